// Quantities are integer thousandths ("milli-units"), as in relais-core: 1 piece = 1000,
// 1,250 kg = 1250. Text is converted digit by digit, never through parseFloat.

/** Largest quantity a person may type: 99 999,999 units. */
export const MAX_QTY_MILLI = 99_999_999;

/**
 * Reads a quantity typed by a person: "3", "1,250", "1.25", ",5". Returns thousandths, or
 * null when the text is not a positive quantity with at most three decimals (more decimals
 * are refused, not rounded, like `Qty::parse` in relais-core).
 */
export function parseQty(text: string): number | null {
  const compact = text.trim().replace(/[ \u00a0\u202f]/g, '');
  const match = /^\+?(\d*)(?:[.,](\d*))?$/.exec(compact);
  if (match === null) return null;
  const [, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  if (fraction.length > 3) return null;
  const milli = Number((whole + fraction.padEnd(3, '0')).replace(/^0+(?=\d)/, ''));
  if (!Number.isSafeInteger(milli) || milli <= 0 || milli > MAX_QTY_MILLI) return null;
  return milli;
}

/** `2000` → "2", `1250` → "1,25", `5` → "0,005" (trailing zeros dropped, as the backend
 *  writes quantities on receipts). */
export function formatQty(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  const whole = Math.trunc(abs / 1000);
  const frac = abs % 1000;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole},${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

/** Weighed goods keep their three decimals: `1250` → "1,250". */
export function formatWeight(milli: number): string {
  const abs = Math.abs(milli);
  return `${milli < 0 ? '-' : ''}${Math.trunc(abs / 1000)},${String(abs % 1000).padStart(3, '0')}`;
}

/** The quantity as sent to the backend: "1", "1.25" (a string, so no float is involved). */
export function qtyInput(milli: number): string {
  return formatQty(milli).replace(',', '.');
}

/**
 * A percentage typed by a person ("10", "2,5", "12.5 %"), checked to be above 0 and at most
 * 100 with at most two decimals; returned as the text the backend reads ("2,5"), else null.
 */
export function parsePercent(text: string): string | null {
  const compact = text.trim().replace(/\s*%$/, '').replace(/[ \u00a0\u202f]/g, '');
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (match === null) return null;
  const [, whole = '', fraction = ''] = match;
  const basisPoints = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (basisPoints <= 0 || basisPoints > 10_000) return null;
  return fraction === '' ? String(Number(whole)) : `${Number(whole)},${fraction}`;
}

/** 550 → "5,5 %", 2000 → "20 %", as receipts write rates. */
export function formatRate(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const frac = basisPoints % 100;
  if (frac === 0) return `${whole}\u00a0%`;
  return `${whole},${String(frac).padStart(2, '0').replace(/0+$/, '')}\u00a0%`;
}
