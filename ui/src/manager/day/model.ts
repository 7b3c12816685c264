// The pure logic of the day screens: counting a drawer by coin and note, how far a count is
// from what was expected, and the small choices the forms make (categories, periods, dates).
// Money stays integer cents, as in relais-core (closure.rs: EURO_DENOMINATIONS, count_total).

import type { DenominationCount } from '../../lib/bindings/DenominationCount';
import { frenchMinute, minuteIn } from '../../lib/time';

/** Every euro coin and note, largest first (the same list as the backend's). */
export const DENOMINATIONS: readonly number[] = [
  50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
];

/** Notes are 5 € and above; below are coins. */
export function isNote(valueCents: number): boolean {
  return valueCents >= 500;
}

/** The label of a coin or note as printed on it: "500 €", "2 €", "0,50 €", "0,01 €". */
export function denominationLabel(valueCents: number): string {
  if (valueCents % 100 === 0) return `${valueCents / 100}\u202f€`;
  return `0,${String(valueCents).padStart(2, '0')}\u202f€`;
}

/** What a person typed in one cell of the grid: blank is 0; anything but a whole number
 *  from 0 to 99 999 is null (refused, shown as a mistake). */
export function parseCount(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** The counts typed in the grid, one text per denomination (keyed by value in cents). */
export type CountTexts = Record<number, string>;

export function emptyCounts(): CountTexts {
  return Object.fromEntries(DENOMINATIONS.map((value) => [value, '']));
}

/** The value of one line of the grid, or null when its count is not a number. */
export function lineCents(valueCents: number, text: string): number | null {
  const count = parseCount(text);
  return count === null ? null : count * valueCents;
}

export interface GridCount {
  /** Total of the lines that are valid. */
  totalCents: number;
  /** What goes to the backend: the denominations counted (count above zero). */
  counts: DenominationCount[];
  /** Denominations whose cell is not a count. */
  invalid: number[];
  coinsCents: number;
  notesCents: number;
}

/** Reads the whole grid: the live total and what to send. */
export function readGrid(texts: CountTexts): GridCount {
  const result: GridCount = { totalCents: 0, counts: [], invalid: [], coinsCents: 0, notesCents: 0 };
  for (const value of DENOMINATIONS) {
    const count = parseCount(texts[value] ?? '');
    if (count === null) {
      result.invalid.push(value);
      continue;
    }
    if (count === 0) continue;
    const amount = count * value;
    result.totalCents += amount;
    if (isNote(value)) result.notesCents += amount;
    else result.coinsCents += amount;
    result.counts.push({ value_cents: value, count });
  }
  return result;
}

/** The grid filled from counts (a closure's, to show them again). */
export function textsOf(counts: readonly DenominationCount[]): CountTexts {
  const texts = emptyCounts();
  for (const c of counts) texts[c.value_cents] = String(c.count);
  return texts;
}

/** How a variance looks: exact, too much in the drawer, or missing money. */
export type VarianceTone = 'exact' | 'over' | 'short';

export interface Variance {
  cents: number;
  tone: VarianceTone;
}

/** Counted (or typed) against expected: positive is more than expected. */
export function variance(actualCents: number, expectedCents: number): Variance {
  const cents = actualCents - expectedCents;
  return { cents, tone: cents === 0 ? 'exact' : cents > 0 ? 'over' : 'short' };
}

/** A variance signed for people: "+1,50 €", "-0,50 €", "0,00 €". */
export function signedCents(cents: number, format: (cents: number) => string): string {
  return cents > 0 ? `+${format(cents)}` : format(cents);
}

/** Why a cash movement cannot be recorded yet, as an i18n key under `day.move.`. */
export type MovementProblem = 'amount' | 'reason';

export const CATEGORIES = ['paid_out', 'bank_deposit', 'float_top_up', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Which way each category moves cash by default. */
export function directionOf(category: Category): 'in' | 'out' {
  return category === 'float_top_up' ? 'in' : 'out';
}

export function movementProblem(amountCents: number | null, reason: string): MovementProblem | null {
  if (amountCents === null || amountCents <= 0) return 'amount';
  if (reason.trim() === '') return 'reason';
  return null;
}

/** "2026-11-28" → "28/11/2026"; anything else unchanged. */
export function frenchDate(isoDay: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  return m === null ? isoDay : `${m[3]}/${m[2]}/${m[1]}`;
}

/** A date typed as 28/11/2026 or 2026-11-28 → "2026-11-28"; null when it is not a date. */
export function isoDay(text: string): string | null {
  const trimmed = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  if (match !== null) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
    if (match === null) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Today in this computer's zone as YYYY-MM-DD (the backend's default is the till's zone). */
export function localToday(now: Date = new Date()): string {
  return minuteIn(now).slice(0, 10);
}

const MONTHS = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
];

/** "2026-11" → "novembre 2026"; "2026" stays. */
export function periodName(which: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(which);
  if (m === null) return which;
  return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** A closure as far as choosing the next period to close needs it. */
export interface ClosedPeriod {
  period: 'day' | 'month' | 'year';
  first_day: string;
}

/**
 * The months and years that have closed days but no closure of their own yet, oldest
 * first: what the "close a month / a year" buttons offer. Only periods that are over
 * (before `today`'s month or year) and hold no open day: a month closed too early would
 * leave its later days out of every monthly closure.
 */
export function periodsToClose(
  closures: readonly ClosedPeriod[],
  openDay: string | null,
  today: string,
): { months: string[]; years: string[] } {
  const dayMonths = new Set<string>();
  const dayYears = new Set<string>();
  const closedMonths = new Set<string>();
  const closedYears = new Set<string>();
  for (const c of closures) {
    const month = c.first_day.slice(0, 7);
    const year = c.first_day.slice(0, 4);
    if (c.period === 'day') {
      dayMonths.add(month);
      dayYears.add(year);
    } else if (c.period === 'month') {
      closedMonths.add(month);
    } else {
      closedYears.add(year);
    }
  }
  const openMonth = openDay?.slice(0, 7) ?? '';
  const openYear = openDay?.slice(0, 4) ?? '';
  const months = [...dayMonths]
    .filter((m) => !closedMonths.has(m) && m !== openMonth && m < today.slice(0, 7))
    .sort();
  const years = [...dayYears]
    .filter((y) => !closedYears.has(y) && y !== openYear && y < today.slice(0, 4))
    .sort();
  return { months, years };
}

/** A UTC instant ("2026-11-28T14:16:09.123Z") as people read it here: "28/11/2026 15:16". */
export function localTime(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : frenchMinute(minuteIn(date));
}

/** The first characters of a hash or signature, as receipts print them. */
export function extract(hex: string, length = 16): string {
  return hex.length <= length ? hex : `${hex.slice(0, length)}…`;
}
