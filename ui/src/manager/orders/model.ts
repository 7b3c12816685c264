// The order being taken, as plain data: its lines as typed, their totals, the deposit and the
// balance, and what the backend is sent. Amounts are integer cents, quantities thousandths;
// the backend prices the order again and is the authority on what is recorded.

import type { LineInput } from '../../lib/bindings/LineInput';
import type { OrderInput } from '../../lib/bindings/OrderInput';
import type { Fulfilment } from '../../lib/bindings/Fulfilment';
import type { PaymentInput } from '../../lib/bindings/PaymentInput';
import { parseEuros } from '../../lib/money';
import { parseQty, qtyInput } from '../../lib/model/qty';

/** A line of the order form: from the catalogue (sku/barcode set), a department key, or
 *  free text. */
export interface DraftLine {
  label: string;
  sku: string | null;
  barcode: string | null;
  /** A department key's code: its name is the label and its rate the line's. */
  department: string | null;
  /** As typed: "2", "1,250". */
  qty: string;
  /** Unit price incl. VAT as typed: "12,50". */
  price: string;
  vatBp: number;
}

export interface Draft {
  name: string;
  phone: string;
  email: string;
  address: string;
  lines: DraftLine[];
  /** As typed: "28/11/2026", "28/11", "2026-11-28" or empty. */
  date: string;
  fulfilment: Fulfilment;
  note: string;
}

/** VAT rates offered for a free-text line (basis points). */
export const FREE_LINE_RATES = [2000, 1000, 550, 210];

/** qty (thousandths) × unit price, rounded half away from zero to the cent, as relais-core. */
export function lineTotalCents(qtyMilli: number, unitCents: number): number {
  const product = BigInt(qtyMilli) * BigInt(unitCents);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = Number((magnitude + 500n) / 1000n);
  return negative ? -rounded : rounded;
}

/** The line's total, or null when its quantity or price cannot be read. */
export function draftLineTotal(line: DraftLine): number | null {
  const qty = parseQty(line.qty);
  const price = parseEuros(line.price);
  if (qty === null || price === null || price < 0) return null;
  return lineTotalCents(qty, price);
}

/** Sum of the readable lines' totals. */
export function draftTotal(lines: readonly DraftLine[]): number {
  return lines.reduce((sum, line) => sum + (draftLineTotal(line) ?? 0), 0);
}

/** What the customer still owes once the deposit is paid (never below zero). */
export function balanceCents(total: number, deposit: number): number {
  return Math.max(0, total - deposit);
}

/** A deposit suggestion: `percent` of the total, rounded up to the euro, at most the total. */
export function suggestedDeposit(total: number, percent: number): number {
  if (total <= 0) return 0;
  const raw = Math.ceil((total * percent) / 100 / 100) * 100;
  return Math.min(total, raw);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function validDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * A day typed by a person → "YYYY-MM-DD": "28/11/2026", "28/11/26", "28-11-2026",
 * "2026-11-28", or "28/11" (the year of `today`, or the next year when that day is already
 * past). Null when it is not a real day.
 */
export function parseDay(text: string, today: string): string | null {
  const compact = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(compact);
  if (iso !== null) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const fr = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$/.exec(compact);
  if (fr === null) return null;
  const [day, month] = [Number(fr[1]), Number(fr[2])];
  if (fr[3] !== undefined) {
    const year = fr[3].length === 2 ? 2000 + Number(fr[3]) : Number(fr[3]);
    return validDay(year, month, day);
  }
  const thisYear = Number(today.slice(0, 4));
  const candidate = validDay(thisYear, month, day);
  if (candidate === null) return null;
  return candidate < today ? validDay(thisYear + 1, month, day) : candidate;
}

/** "2026-11-28" → "28/11/2026"; anything else unchanged. */
export function frenchDay(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match === null ? iso : `${match[3]}/${match[2]}/${match[1]}`;
}

/** "2026-11-28" plus `days` days. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Why the draft cannot be sent: an i18n key under `orders.problem.` and the line (1-based). */
export interface Problem {
  key: 'name' | 'no_lines' | 'label' | 'qty' | 'price' | 'date' | 'deposit_over' | 'contact';
  line?: number;
}

/** True for a line typed by hand (not from the catalogue nor a department key). */
export function isFreeLine(line: DraftLine): boolean {
  return line.sku === null && line.barcode === null && line.department === null;
}

/** The lines as the backend takes them, or the first problem found. */
export function toLineInputs(draftLines: readonly DraftLine[]): LineInput[] | Problem {
  if (draftLines.length === 0) return { key: 'no_lines' };
  const lines: LineInput[] = [];
  for (const [index, line] of draftLines.entries()) {
    const qty = parseQty(line.qty);
    const price = parseEuros(line.price);
    if (line.label.trim() === '' && isFreeLine(line)) return { key: 'label', line: index + 1 };
    if (qty === null) return { key: 'qty', line: index + 1 };
    if (price === null || price < 0) return { key: 'price', line: index + 1 };
    lines.push({
      label: line.label.trim() === '' ? null : line.label.trim(),
      sku: line.sku,
      barcode: line.sku === null ? line.barcode : null,
      department: line.department,
      qty: qtyInput(qty),
      unit_price_cents: price,
      vat_rate_bp: line.vatBp,
      discount_cents: null,
      discount_percent: null,
    });
  }
  return lines;
}

/** The order as the backend takes it, or the first problem found. */
export function toOrderInput(
  draft: Draft,
  deposit: readonly PaymentInput[],
  today: string,
): OrderInput | Problem {
  if (draft.name.trim() === '') return { key: 'name' };
  if (draft.phone.trim() === '' && draft.email.trim() === '') return { key: 'contact' };
  const lines = toLineInputs(draft.lines);
  if (isProblem(lines)) return lines;
  let requested: string | null = null;
  if (draft.date.trim() !== '') {
    requested = parseDay(draft.date, today);
    if (requested === null) return { key: 'date' };
  }
  const paid = deposit.reduce((sum, p) => sum + (p.amount_cents ?? 0), 0);
  if (paid > draftTotal(draft.lines)) return { key: 'deposit_over' };
  const text = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    id: null,
    customer: { name: draft.name.trim(), phone: text(draft.phone), email: text(draft.email), address: text(draft.address) },
    lines,
    requested_date: requested,
    fulfilment: draft.fulfilment,
    note: text(draft.note),
    deposit: [...deposit],
    operator: null,
  };
}

export function isProblem<T extends object>(value: T | Problem): value is Problem {
  return !Array.isArray(value) && 'key' in value;
}

export function emptyDraft(): Draft {
  return { name: '', phone: '', email: '', address: '', lines: [], date: '', fulfilment: 'pickup', note: '' };
}
