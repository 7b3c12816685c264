import { AMOUNT_SPACE } from './money';

/** `1234` → `"1 234"`, grouped with the same narrow no-break space as amounts. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, AMOUNT_SPACE);
}

/** French count with its noun: 0 and 1 take the singular in French ("0 vente", "1 vente").
 *  A no-break space (U+00A0) joins them so a line never ends between number and noun. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)}\u00a0${Math.abs(n) < 2 ? singular : plural}`;
}
