// The counter's avoir commands: issued after a return to « Avoir », checked at payment.
import { call, type Approval } from '../lib/api';
import type { AvoirView } from '../lib/bindings/AvoirView';
import type { QrCode } from '../lib/bindings/QrCode';

export type { AvoirView };

export const avoirApi = {
  /** The avoir of a refund just made to « Avoir ». */
  issue: (from: string, approval: Approval | null) => call<AvoirView>('avoir_issue', { from, approval }),
  /** An avoir scanned or typed: its code checked offline, its balance. */
  check: (code: string) => call<AvoirView>('avoir_check', { code }),
  qrCode: (text: string) => call<QrCode>('qr_code', { text }),
};

/** `2027-12-07` as people read it: `07/12/2027`. */
export function frenchDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return year && month && day ? `${day}/${month}/${year}` : iso;
}
