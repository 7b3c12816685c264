// The avoir commands: issued after a return to « Avoir » or a cancelled order's deposit,
// checked at payment, gift vouchers sold, external vouchers accepted blind, the list and the
// shop's rules.
import { call, type Approval } from '../lib/api';
import type { AvoirBook } from '../lib/bindings/AvoirBook';
import type { AvoirSettings } from '../lib/bindings/AvoirSettings';
import type { AvoirView } from '../lib/bindings/AvoirView';
import type { ExternalVoucherView } from '../lib/bindings/ExternalVoucherView';
import type { PaymentInput } from '../lib/bindings/PaymentInput';
import type { QrCode } from '../lib/bindings/QrCode';
import type { RefundedToAvoir } from '../lib/bindings/RefundedToAvoir';
import type { RefundRequest } from '../lib/bindings/RefundRequest';

export type { AvoirBook, AvoirSettings, AvoirView, ExternalVoucherView };

export const avoirApi = {
  /** The avoir of a refund just made to « Avoir », or of a cancelled order's kept deposit. */
  issue: (from: string, approval: Approval | null) => call<AvoirView>('avoir_issue', { from, approval }),
  /** An avoir scanned or typed: its code checked offline, its balance. */
  check: (code: string) => call<AvoirView>('avoir_check', { code }),
  qrCode: (text: string) => call<QrCode>('qr_code', { text }),
  /** Every avoir and voucher of this till, the external vouchers, the outstanding total. */
  list: () => call<AvoirBook>('avoir_list'),
  /** A gift voucher sold: paid in full, not turnover. */
  sell: (amountCents: number, payments: PaymentInput[]) => call<AvoirView>('avoir_sell', { amountCents, payments }),
  /** A voucher of the SaaS accepted blind: « bon externe non vérifié ». */
  external: (code: string, amountCents: number, sale: string | null, approval: Approval | null) =>
    call<ExternalVoucherView>('avoir_external', { code, amountCents, sale, approval }),
  /** A return given back as an avoir: the refund and its avoir in one write. */
  refundToAvoir: (request: RefundRequest) => call<RefundedToAvoir>('refund_to_avoir', { request }),
  settings: () => call<AvoirSettings>('avoir_settings'),
  /** The slip of one of this till's avoirs on the thermal printer. */
  printSlip: (number: string) => call<string>('print_avoir_slip', { number }),
  setSettings: (settings: AvoirSettings) => call<void>('set_avoir_settings', { settings }),
};

/** `2027-12-07` as people read it: `07/12/2027`. */
export function frenchDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return year && month && day ? `${day}/${month}/${year}` : iso;
}
