// What a manager approves when a cashier's discount is above the shop's threshold: each
// discount over it, named, with its amount and share, and the ticket's total. The store
// decides (it refuses the sale without the approval); this only words the question.
import type { SaleSettings, Ticket } from '../lib/api';
import { t } from '../lib/locale.svelte';
import { formatCents } from '../lib/money';

/** `part` as a percentage of `whole`, one decimal when it has one: « 30 », « 12,5 ». */
export function percentOf(part: number, whole: number): string {
  if (whole <= 0) return '100';
  const tenths = Math.round((part * 1000) / whole);
  return tenths % 10 === 0 ? String(tenths / 10) : `${Math.floor(tenths / 10)},${tenths % 10}`;
}

function over(settings: SaleSettings | null, discount: number, base: number): boolean {
  if (discount <= 0) return false;
  if (settings === null) return true;
  return discount > settings.discount_approval_cents || discount * 100 > base * settings.discount_approval_percent;
}

/** The approval's « what »: the discounts above the threshold (every discount when the
 *  threshold is not known), or null when the ticket has none. */
export function discountWhat(ticket: Ticket | null, settings: SaleSettings | null): string | null {
  if (ticket === null) return null;
  const parts: string[] = [];
  for (const line of ticket.lines) {
    if (over(settings, line.discount_cents, line.gross_cents)) {
      parts.push(
        t('approval.discount', {
          amount: formatCents(line.discount_cents),
          percent: percentOf(line.discount_cents, line.gross_cents),
          on: `« ${line.label} »`,
        }),
      );
    }
  }
  const base = ticket.lines.reduce((sum, l) => sum + l.gross_cents - l.discount_cents, 0);
  if (over(settings, ticket.ticket_discount_cents, base)) {
    parts.push(
      t('approval.discount', {
        amount: formatCents(ticket.ticket_discount_cents),
        percent: percentOf(ticket.ticket_discount_cents, base),
        on: t('approval.discount_ticket'),
      }),
    );
  }
  if (parts.length === 0) return null;
  const what = parts.map((p, i) => (i === 0 ? p : p.charAt(0).toLowerCase() + p.slice(1))).join(', ');
  return t('approval.discount_total', { what, total: formatCents(ticket.total_cents) });
}
