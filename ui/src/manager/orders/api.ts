// The order commands of the backend (src-tauri/src/commands/manager.rs), typed.
import { call, type Approval, type SaleDone, type SaleOptions } from '../../lib/api';
import type { OrderFilter } from '../../lib/bindings/OrderFilter';
import type { OrderInput } from '../../lib/bindings/OrderInput';
import type { OrderView } from '../../lib/bindings/OrderView';
import type { PaymentInput } from '../../lib/bindings/PaymentInput';
import type { QrCode } from '../../lib/bindings/QrCode';

export type { OrderFilter, OrderInput, OrderView, QrCode };
export type { OrderStatus } from '../../lib/bindings/OrderStatus';

export const ordersApi = {
  create: (order: OrderInput) => call<OrderView>('create_order', { order }),
  list: (filter: OrderFilter) => call<OrderView[]>('orders', { filter }),
  get: (reference: string) => call<OrderView>('order', { reference }),
  ready: (reference: string, note: string | null) => call<OrderView>('order_ready', { reference, note }),
  /** `options` as a sale's: expired avoirs a manager lets through, SaaS vouchers, an approval. */
  collect: (reference: string, payments: PaymentInput[], options: SaleOptions | null) =>
    call<SaleDone>('collect_order', { reference, payments, options }),
  /** `refundMethod` null keeps the deposit as store credit; a method refunds it (a manager's action). */
  cancel: (reference: string, refundMethod: string | null, reason: string, approval: Approval | null) =>
    call<OrderView>('cancel_order', { reference, refundMethod, reason, approval }),
  qrCode: (text: string) => call<QrCode>('qr_code', { text }),
};
