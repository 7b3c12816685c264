// Tenders of a payment as the cashier enters them, mirroring the backend's rules
// (relais-core sale.rs, price_payments): amounts are positive and add up to the total
// exactly; only cash may be over-tendered, the difference being the change.

import type { Method } from '../bindings/Method';
import type { Approval } from '../bindings/Approval';
import type { PaymentInput } from '../bindings/PaymentInput';
import type { SaleOptions } from '../bindings/SaleOptions';

export type { Method };

export const METHODS: Method[] = ['cash', 'card', 'cheque', 'voucher', 'store_credit', 'other'];

export interface Tender {
  method: Method;
  /** What goes to the sale. */
  amount_cents: number;
  /** Cash only: what the customer handed over. */
  tendered_cents: number | null;
  /** Card terminal ticket, cheque number, voucher code, or the label of "other". */
  reference: string | null;
  /** An avoir that expired, let through by a manager (store_credit). */
  expired_override?: boolean;
  /** A voucher sold by the shop's usual software, accepted blind (voucher). */
  external?: boolean;
}

/** Why a tender cannot be added: an i18n key under `pay.error.`. */
export type TenderError = 'nothing_due' | 'amount' | 'over' | 'tendered' | 'reference';

export function paidCents(tenders: readonly Tender[]): number {
  return tenders.reduce((sum, t) => sum + t.amount_cents, 0);
}

/** What is still to pay (never below zero: over-payment is refused, not carried). */
export function remainingCents(total: number, tenders: readonly Tender[]): number {
  return Math.max(0, total - paidCents(tenders));
}

export function changeOf(tender: Tender): number {
  return tender.tendered_cents === null ? 0 : tender.tendered_cents - tender.amount_cents;
}

export function totalChange(tenders: readonly Tender[]): number {
  return tenders.reduce((sum, t) => sum + changeOf(t), 0);
}

/**
 * Cash handed over: it pays what is due, up to the remaining amount, and the rest is the
 * change. Returns the tender, or why it is refused.
 */
export function cashTender(remaining: number, tendered: number | null): Tender | TenderError {
  if (remaining <= 0) return 'nothing_due';
  if (tendered === null || tendered <= 0) return 'tendered';
  return {
    method: 'cash',
    amount_cents: Math.min(tendered, remaining),
    tendered_cents: tendered,
    reference: null,
  };
}

/** Any other method: an exact amount, at most what is due; "other" needs its label. */
export function otherTender(
  remaining: number,
  method: Exclude<Method, 'cash'>,
  amount: number | null,
  reference: string,
): Tender | TenderError {
  if (remaining <= 0) return 'nothing_due';
  if (amount === null || amount <= 0) return 'amount';
  if (amount > remaining) return 'over';
  const ref = reference.trim();
  if (method === 'other' && ref === '') return 'reference';
  return { method, amount_cents: amount, tendered_cents: null, reference: ref === '' ? null : ref };
}

export function isTender(value: Tender | TenderError): value is Tender {
  return typeof value === 'object';
}

/**
 * What the sale asks beyond its payments: expired avoirs let through (a manager's), and which
 * payments are vouchers of the SaaS accepted blind. `null` when it asks nothing.
 */
export function saleOptions(tenders: readonly Tender[], approval: Approval | null): SaleOptions | null {
  const external = tenders.flatMap((t, index) => (t.method === 'voucher' && t.external === true ? [index] : []));
  const expired = tenders.some((t) => t.method === 'store_credit' && t.expired_override === true);
  if (external.length === 0 && !expired && approval === null) return null;
  return { allow_expired: expired, external_vouchers: external, approval };
}

export function toPaymentInputs(tenders: readonly Tender[]): PaymentInput[] {
  return tenders.map((t) => ({
    method: t.method,
    amount_cents: t.amount_cents,
    tendered_cents: t.tendered_cents,
    reference: t.reference,
  }));
}

/** Quick amounts offered for cash: the exact sum, then the next notes above it. */
export function cashSuggestions(remaining: number): number[] {
  if (remaining <= 0) return [];
  const notes = [500, 1000, 2000, 5000, 10000, 20000];
  const above = notes.filter((n) => n > remaining).slice(0, 3);
  const roundUp = Math.ceil(remaining / 100) * 100;
  const all = [remaining, ...(roundUp !== remaining ? [roundUp] : []), ...above];
  return [...new Set(all)].slice(0, 4);
}
