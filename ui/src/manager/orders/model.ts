// The order being taken, as plain data: its lines as typed, the deposit and the balance, and
// what the backend is sent. Amounts are integer cents, quantities thousandths. The backend
// prices the lines (pricing.svelte.ts asks it while they are typed) and is the authority on
// what is recorded; nothing here computes a price.

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
  /** Basis points; null for a line typed by hand while the till's rates are not known. */
  vatBp: number | null;
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
  key: 'name' | 'no_lines' | 'label' | 'qty' | 'price' | 'rate' | 'date' | 'deposit_over' | 'contact';
  line?: number;
}

/** True for a line typed by hand (not from the catalogue nor a department key). */
export function isFreeLine(line: DraftLine): boolean {
  return line.sku === null && line.barcode === null && line.department === null;
}

/** The line as the backend takes it, or what keeps it from being read. */
export function toLineInput(line: DraftLine): LineInput | Problem['key'] {
  const qty = parseQty(line.qty);
  const price = parseEuros(line.price);
  if (line.label.trim() === '' && isFreeLine(line)) return 'label';
  if (qty === null) return 'qty';
  if (price === null || price < 0) return 'price';
  if (line.vatBp === null) return 'rate';
  return {
    label: line.label.trim() === '' ? null : line.label.trim(),
    sku: line.sku,
    barcode: line.sku === null ? line.barcode : null,
    department: line.department,
    qty: qtyInput(qty),
    unit_price_cents: price,
    vat_rate_bp: line.vatBp,
    discount_cents: null,
    discount_percent: null,
  };
}

/** The lines as the backend takes them, or the first problem found. */
export function toLineInputs(draftLines: readonly DraftLine[]): LineInput[] | Problem {
  if (draftLines.length === 0) return { key: 'no_lines' };
  const lines: LineInput[] = [];
  for (const [index, line] of draftLines.entries()) {
    const input = toLineInput(line);
    if (typeof input === 'string') return { key: input, line: index + 1 };
    lines.push(input);
  }
  return lines;
}

/** The order as the backend takes it, or the first problem found. */
export function toOrderInput(
  draft: Draft,
  deposit: readonly PaymentInput[],
  today: string,
  /** The lines' total as the backend priced them; null when not known (the backend checks). */
  total: number | null,
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
  if (total !== null && paid > total) return { key: 'deposit_over' };
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
