// The shop's tills on the LAN (src-tauri/src/commands/shop.rs), typed.
import { call } from '../../lib/api';
import type { QrCode } from '../../lib/bindings/QrCode';
import type { ShopConflictView } from '../../lib/bindings/ShopConflictView';
import type { ShopPeer } from '../../lib/bindings/ShopPeer';
import type { ShopStatus } from '../../lib/bindings/ShopStatus';
import type { ShopXView } from '../../lib/bindings/ShopXView';

export type { QrCode, ShopConflictView, ShopPeer, ShopStatus, ShopXView };

export const shopApi = {
  status: () => call<ShopStatus>('shop_status'),
  invitation: () => call<string>('shop_invitation'),
  join: (invitation: string) => call<string>('shop_join', { invitation }),
  unpair: (till: string) => call<string>('shop_unpair', { till }),
  x: () => call<ShopXView>('shop_x'),
  qrCode: (text: string) => call<QrCode>('qr_code', { text }),
};
