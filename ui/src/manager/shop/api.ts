// The shop's tills on the LAN (src-tauri/src/commands/shop.rs), typed.
import { call } from '../../lib/api';
import type { QrCode } from '../../lib/bindings/QrCode';
import type { ShopConflictView } from '../../lib/bindings/ShopConflictView';
import type { ShopExportTill } from '../../lib/bindings/ShopExportTill';
import type { ShopExportView } from '../../lib/bindings/ShopExportView';
import type { ShopPeer } from '../../lib/bindings/ShopPeer';
import type { ShopPriceList } from '../../lib/bindings/ShopPriceList';
import type { ShopStatus } from '../../lib/bindings/ShopStatus';
import type { ShopXView } from '../../lib/bindings/ShopXView';

export type { QrCode, ShopConflictView, ShopExportTill, ShopExportView, ShopPeer, ShopPriceList, ShopStatus, ShopXView };

export const shopApi = {
  status: () => call<ShopStatus>('shop_status'),
  invitation: () => call<string>('shop_invitation'),
  join: (invitation: string) => call<string>('shop_join', { invitation }),
  unpair: (till: string) => call<string>('shop_unpair', { till }),
  x: () => call<ShopXView>('shop_x'),
  qrCode: (text: string) => call<QrCode>('qr_code', { text }),
  /** Where this till listens for the others: checked, kept, and the server moved at once. */
  setListen: (address: string) => call<string>('shop_set_listen', { address }),
  /** The tills the shop's bundle would hold, and how fresh each is. */
  exportTills: () => call<ShopExportTill[]>('shop_export_tills'),
  /** `relais export --shop`: the shop's bundle into `out`. */
  exportShop: (out: string) => call<ShopExportView>('export_shop', { out }),
};
