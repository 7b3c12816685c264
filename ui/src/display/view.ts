// What the customer display shows, computed in the till's window from the sale on the
// counter and sent to the display's window (feed.svelte.ts): plain data, amounts in cents.
import type { SaleDone, Ticket } from '../lib/api';
import { formatCents } from '../lib/money';
import { formatQty } from '../lib/model/qty';

export interface DisplayLine {
  label: string;
  /** "2 × 1,20 €" */
  detail: string;
  /** What the customer pays for the line, its discount taken off. */
  amount_cents: number;
}

export type DisplayView =
  /** No sale under way: a welcome. */
  | { phase: 'idle' }
  /** A sale being rung up: its lines (the last at the bottom) and total. */
  | { phase: 'sale'; lines: DisplayLine[]; total_cents: number }
  /** The sale recorded: its total, what was handed over, the change, « Merci ». */
  | { phase: 'paid'; lines: DisplayLine[]; total_cents: number; tendered_cents: number; change_cents: number };

export const IDLE: DisplayView = { phase: 'idle' };

/** The view of the counter: the sale just paid if any, else the ticket being rung up. */
export function displayView(ticket: Ticket | null, done: SaleDone | null): DisplayView {
  if (done !== null) return paidView(done);
  if (ticket === null || ticket.lines.length === 0) return IDLE;
  return {
    phase: 'sale',
    lines: ticket.lines.map((l) => ({
      label: l.label,
      detail: `${formatQty(l.qty_milli)} × ${formatCents(l.unit_price_cents)}`,
      amount_cents: l.total_cents,
    })),
    total_cents: ticket.total_cents,
  };
}

function paidView(done: SaleDone): DisplayView {
  const receipt = done.receipt;
  const payments = receipt.payments;
  return {
    phase: 'paid',
    lines: receipt.lines.map((l) => ({
      label: l.label,
      detail: l.detail.replace(' x ', ' × '),
      amount_cents: l.amount_cents - l.discount_cents,
    })),
    total_cents: receipt.total_cents,
    tendered_cents: payments.reduce((sum, p) => sum + (p.tendered_cents ?? p.amount_cents), 0),
    change_cents: payments.reduce((sum, p) => sum + (p.change_cents ?? 0), 0),
  };
}
