// What a cashier typed in the scan field, read before any catalogue lookup. A till with no
// catalogue sells by price: « 2,50 » is 2,50 € on the default department, « 3*2,50 » or
// « 3x2,50 » is 3 × 2,50 €. Digits without a separator (« 250 ») may be a product's code or
// a price typed in cents: they are looked up first, and asked about if nothing has them,
// never sold as 250,00 € silently.
import { parseEuros } from '../money';

/** The most articles one typed line may count (« 999*1,20 »). */
export const MAX_TYPED_QTY = 999;
/** Digits longer than this are a code (EAN-8 and up), never a price. */
const MAX_PRICE_DIGITS = 5;

export type Typed =
  /** A price with its decimal separator, sold at once. */
  | { kind: 'price'; qty: number; cents: number }
  /** Digits without a separator: a code, else ask which price is meant. */
  | { kind: 'digits'; qty: number; digits: string }
  /** Anything else: a code or a search, as before. */
  | { kind: 'text' };

const QTY_PREFIX = /^(\d{1,3})\s*[*xX×]\s*(.+)$/;
const PRICE = /^\d{1,6}[.,]\d{1,2}\s*€?$/;
const DIGITS = new RegExp(`^\\d{1,${MAX_PRICE_DIGITS}}$`);

export function readTyped(text: string): Typed {
  const trimmed = text.trim();
  const prefixed = QTY_PREFIX.exec(trimmed);
  const qty = prefixed === null ? 1 : Number(prefixed[1]);
  const rest = prefixed === null ? trimmed : (prefixed[2] ?? '').trim();
  if (qty < 1 || qty > MAX_TYPED_QTY) return { kind: 'text' };
  if (PRICE.test(rest)) {
    const cents = parseEuros(rest);
    return cents !== null && cents > 0 ? { kind: 'price', qty, cents } : { kind: 'text' };
  }
  if (DIGITS.test(rest) && Number(rest) > 0) return { kind: 'digits', qty, digits: rest };
  return { kind: 'text' };
}

/** True for what the live search should leave alone (a price is not a product's name). */
export function looksLikePrice(text: string): boolean {
  return readTyped(text).kind !== 'text';
}

/** The two prices « 250 » may mean: 2,50 € (typed in cents, as on many tills) and 250,00 €. */
export function pricesOf(digits: string): [inCents: number, inEuros: number] {
  const value = Number(digits);
  return [value, value * 100];
}
