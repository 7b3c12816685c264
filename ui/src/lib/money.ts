// Money in the UI is always an integer number of cents, as in the Rust core and in SQLite.
// Text is converted digit by digit (never through parseFloat or toFixed) so that no binary
// floating-point rounding can slip into an amount.

/**
 * The one space character used in formatted amounts: U+202F NARROW NO-BREAK SPACE, both as
 * the thousands separator and before the euro sign. It is the separator French typography
 * (and CLDR's fr locale) uses for thousands; using it before "€" too keeps one rule, and it
 * never lets a line break split an amount.
 */
export const AMOUNT_SPACE = '\u202f';

/** Largest amount handled exactly: beyond this a JS number can no longer hold every cent. */
const MAX_CENTS = Number.MAX_SAFE_INTEGER;

/** `123450` → `"1 234,50 €"` (spaces are {@link AMOUNT_SPACE}); negative amounts get "-". */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) {
    throw new RangeError(`formatCents expects an integer number of cents, got ${cents}`);
  }
  const sign = cents < 0 ? '-' : '';
  const digits = String(Math.abs(cents)).padStart(3, '0');
  const euros = digits.slice(0, -2);
  const centsPart = digits.slice(-2);
  return `${sign}${groupThousands(euros)},${centsPart}${AMOUNT_SPACE}€`;
}

function groupThousands(digits: string): string {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) {
    groups.unshift(digits.slice(Math.max(0, end - 3), end));
  }
  return groups.join(AMOUNT_SPACE);
}

/**
 * Reads an amount typed by a person, French or English style: "12,50", "12.5",
 * "1 234,50 €", "€3", "-0,05". Returns integer cents, or null when the text is not an
 * amount. More than two decimals is refused rather than rounded (same rule as
 * `Money::parse` in relais-core), so "1.234" is null, not 1234 € nor 1,23 €.
 */
export function parseEuros(text: string): number | null {
  const compact = text
    .trim()
    .replace(/^€|€$/g, '')
    .replace(/[ \u00a0\u202f]/g, '');
  const match = /^([+-]?)(\d*)(?:[.,](\d*))?$/.exec(compact);
  if (match === null) return null;
  const [, sign, whole, fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  if (fraction.length > 2) return null;

  const centsDigits = (whole + fraction.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  const magnitude = Number(centsDigits);
  if (!Number.isSafeInteger(magnitude) || magnitude > MAX_CENTS) return null;
  return sign === '-' && magnitude !== 0 ? -magnitude : magnitude;
}
