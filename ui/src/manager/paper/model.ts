// A paper slip being keyed in: when it really happened, and how it was paid. Pure functions;
// the backend checks everything again (late.rs: the time, the slip number, duplicates).

import type { PaymentInput } from '../../lib/bindings/PaymentInput';
import type { Method } from '../../lib/bindings/Method';
import { parseEuros } from '../../lib/money';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function validDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 2000 || year > 2999) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day > last ? null : `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * The day written on a slip → "YYYY-MM-DD": "25/11/2026", "25/11/26", "2026-11-25", or
 * "25/11" (this year, or last year when that day is still to come: a slip is in the past).
 */
export function parseSlipDay(text: string, today: string): string | null {
  const compact = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(compact);
  if (iso !== null) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const fr = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$/.exec(compact);
  if (fr === null) return null;
  const [day, month] = [Number(fr[1]), Number(fr[2])];
  if (fr[3] !== undefined) return validDay(fr[3].length === 2 ? 2000 + Number(fr[3]) : Number(fr[3]), month, day);
  const year = Number(today.slice(0, 4));
  const candidate = validDay(year, month, day);
  if (candidate === null) return null;
  return candidate > today ? validDay(year - 1, month, day) : candidate;
}

/** "10:30", "10h30", "10h", "9:05", "1030" → "HH:MM"; empty → null (noon is assumed). */
export function parseSlipTime(text: string): string | null | 'bad' {
  const compact = text.trim().toLowerCase().replace(/\s/g, '');
  if (compact === '') return null;
  const match = /^(\d{1,2})(?:[:h.]?(\d{2}))?h?$/.exec(compact);
  if (match === null) return 'bad';
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  if (hours > 23 || minutes > 59) return 'bad';
  return `${pad(hours)}:${pad(minutes)}`;
}

export type WhenProblem = 'date' | 'time' | 'future';

/**
 * The slip's real time as the backend takes it ("2026-11-25 10:30", or the day alone for
 * noon), or why not. `now` is the till's local "YYYY-MM-DD HH:MM".
 */
export function slipSoldAt(date: string, time: string, now: string): string | WhenProblem {
  const day = parseSlipDay(date, now.slice(0, 10));
  if (day === null) return 'date';
  const clock = parseSlipTime(time);
  if (clock === 'bad') return 'time';
  const at = `${day} ${clock ?? '12:00'}`;
  if (at > now) return 'future';
  return clock === null ? day : at;
}

/** One payment written on the slip, as typed. An empty amount means "the rest". */
export interface PaymentRow {
  method: Exclude<Method, 'deposit'>;
  amount: string;
  reference: string;
}

export type PaymentProblem = 'amount' | 'sum' | 'one_rest' | 'reference';

/**
 * The slip's payments for a total: amounts as typed, at most one left empty (it takes what
 * the others leave); they must add up to the total exactly (no change on paper).
 */
export function slipPayments(rows: readonly PaymentRow[], total: number): PaymentInput[] | PaymentProblem {
  const empty = rows.filter((r) => r.amount.trim() === '').length;
  if (empty > 1) return 'one_rest';
  let given = 0;
  const amounts: (number | null)[] = [];
  for (const row of rows) {
    if (row.amount.trim() === '') {
      amounts.push(null);
      continue;
    }
    const cents = parseEuros(row.amount);
    if (cents === null || cents <= 0) return 'amount';
    given += cents;
    amounts.push(cents);
  }
  const rest = total - given;
  if (empty === 1 ? rest <= 0 : rest !== 0) return 'sum';
  const payments: PaymentInput[] = [];
  for (const [index, row] of rows.entries()) {
    const reference = row.reference.trim();
    if (row.method === 'other' && reference === '') return 'reference';
    payments.push({ method: row.method, amount_cents: amounts[index] ?? rest, tendered_cents: null, reference: reference === '' ? null : reference });
  }
  return payments;
}

/** A slip recorded in this session, as the screen lists it. */
export interface Entered {
  number: string;
  slip: string;
  /** As sent: "2026-11-25 10:30" or "2026-11-25". */
  soldAt: string;
  total: number;
  /** Recorded although the slip number was already entered for that day. */
  forced: boolean;
}

/** "2026-11-25 10:30" → "25/11/2026 10:30"; "2026-11-25" → "25/11/2026". */
export function frenchSoldAt(soldAt: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}:\d{2}))?$/.exec(soldAt);
  if (match === null) return soldAt;
  const day = `${match[3]}/${match[2]}/${match[1]}`;
  return match[4] === undefined ? day : `${day} ${match[4]}`;
}
