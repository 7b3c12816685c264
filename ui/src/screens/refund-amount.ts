// What a refund gives back, known before it is sent (the manager's approval names it). The
// rule of relais-core's refund.rs: the rest of a line takes exactly what is left of it; a
// part is the line's total in proportion to the quantity, rounded half away from zero.
import type { ReturnableLine } from '../lib/bindings/ReturnableLine';

export function refundCents(line: ReturnableLine, milli: number): number {
  if (milli >= line.left_milli) return line.left_cents;
  const product = BigInt(line.total_cents) * BigInt(milli);
  const of = BigInt(line.sold_milli);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude * 2n + of) / (2n * of);
  return Number(negative ? -rounded : rounded);
}
