// The payment dialog's keys: one letter per method, shown on its button. A letter picks
// its method when typed in the amount field (which takes only digits) or on a button; in a
// text field (a card ticket's or a cheque's reference) letters are text, and Alt+letter
// picks the method from anywhere.
import type { Method } from '../lib/model/payment';

/** The methods taken at the counter (a deposit is an order's, never typed here). */
export const METHOD_KEYS: Readonly<Partial<Record<Method, string>>> = {
  cash: 'E',
  card: 'C',
  cheque: 'H',
  voucher: 'B',
  store_credit: 'V',
  other: 'A',
};

/** The method a key picks, if any; `inText`: the focus is in a field that takes letters. */
export function keyOfMethod(method: Method): string {
  return METHOD_KEYS[method] ?? '';
}

export function methodOfKey(event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>, inText: boolean): Method | null {
  if (event.ctrlKey || event.metaKey || event.key.length !== 1) return null;
  if (inText && !event.altKey) return null;
  const letter = event.key.toUpperCase();
  const found = (Object.entries(METHOD_KEYS) as Array<[Method, string]>).find(([, key]) => key === letter);
  return found?.[0] ?? null;
}
