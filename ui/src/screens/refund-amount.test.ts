import { expect, it } from 'vitest';
import type { ReturnableLine } from '../lib/bindings/ReturnableLine';
import { refundCents } from './refund-amount';

function line(sold: number, left: number, total: number, leftCents: number): ReturnableLine {
  return { line: 0, label: 'x', sold: '', left: '', sold_milli: sold, left_milli: left, total_cents: total, left_cents: leftCents };
}

// (the line, the thousandths returned, the cents given back)
it.each<[ReturnableLine, number, number]>([
  [line(1000, 1000, 195, 195), 1000, 195],
  [line(3000, 3000, 1000, 1000), 1000, 333], // 333,33 → 333
  [line(3000, 3000, 1000, 1000), 2000, 667], // 666,67 → 667
  [line(3000, 2000, 1000, 667), 2000, 667], // the rest of the line: exactly what is left
  [line(3000, 1000, 1000, 334), 1000, 334],
  [line(2000, 2000, 5, 5), 1000, 3], // 2,5 → 3 (half away from zero)
  [line(1412, 1412, 3515, 3515), 706, 1758], // 1757,5 → 1758
])('%j × %i → %i', (returnable, milli, cents) => {
  expect(refundCents(returnable, milli)).toBe(cents);
});
