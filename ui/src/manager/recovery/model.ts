// The pure logic of the recovery screens: dates, paths, progress and file lists. No IPC.

import type { BundleFile } from '../../lib/bindings/BundleFile';
import { frenchMinute, minuteIn } from '../../lib/time';
import type { ReentryStatus } from '../../lib/bindings/ReentryStatus';

/** Which CSV folder of a bundle someone opens: both are always written. */
export type Dialect = 'excel-fr' | 'csv';

/** The kinds of records, in the order a person reads them. */
const KIND_ORDER = [
  'sale',
  'refund',
  'void',
  'receipt_copy',
  'order',
  'order_event',
  'deposit',
  'cash_movement',
  'day_open',
  'closure',
  'event',
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * A UTC instant ("2026-11-25T07:00:00Z", also with milliseconds) as "25/11/2026 08:00" in
 * `timeZone` (default, or when unknown: this computer's). Anything unreadable is returned
 * as it is.
 */
export function localInstant(utc: string, timeZone?: string): string {
  const date = new Date(utc);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(utc) || Number.isNaN(date.getTime())) return utc;
  return frenchMinute(minuteIn(date, timeZone));
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

function validTime(hour: number, minute: number, second: number): boolean {
  return hour < 24 && minute < 60 && second < 60;
}

/**
 * Whether a local date and time typed by a person is one the till reads (as the store's
 * `parse_local`): "2026-11-25 08:00", "2026-11-25T08:00", "25/11/2026 08:00", seconds
 * optional, or a date alone (noon). Empty means "now" and is fine too.
 */
export function readableLocal(text: string): boolean {
  const s = text.trim();
  if (s === '') return true;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  const fields = iso
    ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]]
    : fr
      ? [fr[3], fr[2], fr[1], fr[4], fr[5], fr[6]]
      : null;
  if (fields === null) return false;
  const [year, month, day, hour, minute, second] = fields.map((f) => Number(f ?? '0'));
  return validDate(year ?? 0, month ?? 0, day ?? 0) && validTime(hour ?? 0, minute ?? 0, second ?? 0);
}

export interface Progress {
  done: number;
  total: number;
  left: number;
  /** Whole percent done, 100 when there is nothing to do. */
  percent: number;
}

/** "N sur M ressaisis" from the store's per-kind counts. */
export function reentryProgress(status: ReentryStatus): Progress {
  const total = status.kinds.reduce((sum, k) => sum + k.total, 0);
  const left = status.kinds.reduce((sum, k) => sum + k.left, 0);
  const done = total - left;
  const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
  return { done, total, left, percent };
}

/** A bundle's files worth opening: the top-level ones (report first) and the chosen dialect's. */
export function filesToOpen(files: BundleFile[], dialect: Dialect): BundleFile[] {
  const rank = (path: string) => (path === 'report.html' ? 0 : path.includes('/') ? 2 : 1);
  return files
    .filter((f) => !f.path.includes('/') || f.path.startsWith(`${dialect}/`))
    .slice()
    .sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
}

/** `folder` and a relative path with `/`, with the folder's own separator. */
export function joinPath(folder: string, relative: string): string {
  const windows = /^[A-Za-z]:\\/.test(folder) || (folder.includes('\\') && !folder.includes('/'));
  const separator = windows ? '\\' : '/';
  const base = folder.replace(/[\\/]+$/, '');
  return `${base}${separator}${windows ? relative.replaceAll('/', '\\') : relative}`;
}

/** The last part of a path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

/**
 * When a backup was made, from its folder's name ("relais-sauvegarde-T1-20261201-193821123",
 * UTC, milliseconds last), as a UTC instant; null for a name not made by Relais.
 */
export function backupInstant(path: string): string | null {
  const match = /relais-sauvegarde-.+-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\d*(?:-\d+)?$/.exec(baseName(path));
  if (match === null) return null;
  const [, y, mo, d, h, mi, s] = match;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
}

/** "every N sales" as typed: a whole number ≥ 0, else null. */
export function everySales(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,9}$/.test(s)) return null;
  return Number(s);
}

/** A size in bytes for people: "850 o", "12,4 Ko", "3,1 Mo" (French decimal comma). */
export function formatBytes(bytes: number, lang: 'fr' | 'en' = 'fr'): string {
  const units = lang === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let unit = 0;
  // Tenths of the unit, in integers: no float formatting.
  let tenths = bytes * 10;
  while (tenths >= 10240 && unit < units.length - 1) {
    tenths = Math.round(tenths / 1024);
    unit += 1;
  }
  if (unit === 0) return `${bytes}\u00a0${units[0]}`;
  const whole = Math.floor(tenths / 10);
  const decimal = tenths % 10;
  const mark = lang === 'fr' ? ',' : '.';
  return `${whole}${mark}${decimal}\u00a0${units[unit]}`;
}

/** The manifest's counts per kind, in reading order, kinds with no record left out. */
export function orderedCounts(counts: Record<string, number>): Array<[string, number]> {
  const rank = (kind: string) => {
    const i = KIND_ORDER.indexOf(kind);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Whether a kind has a word of its own in the dictionaries. */
export function knownKind(kind: string): boolean {
  return KIND_ORDER.includes(kind);
}

/** Brings a result just shown into view (the form above it may fill the screen). */
export function reveal(testId: string): void {
  const element = document.querySelector(`[data-testid="${testId}"]`) as (HTMLElement & { scrollIntoView?: unknown }) | null;
  if (typeof element?.scrollIntoView === 'function') element.scrollIntoView({ block: 'start', behavior: 'auto' });
}
