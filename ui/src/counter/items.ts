// What the cart holds, under the total: pieces counted as articles, weighed or measured goods
// added up in their own unit apart (« 2 article(s) + 1,412 kg »), never « 1,412 article(s) ».
import type { Cart } from '../lib/model/cart';
import { formatWeight } from '../lib/model/qty';
import { t } from '../lib/locale.svelte';

export function itemsText(cart: Cart): string {
  let pieces = 0;
  const measured = new Map<string, number>();
  for (const line of cart.lines) {
    const qty = Math.abs(line.qty_milli);
    if (line.unit === 'piece' && qty % 1000 === 0) pieces += qty / 1000;
    else {
      const unit = line.unit === 'piece' ? 'kg' : line.unit;
      measured.set(unit, (measured.get(unit) ?? 0) + qty);
    }
  }
  const parts: string[] = [];
  if (pieces > 0 || measured.size === 0) parts.push(t('total.items', { lines: cart.lines.length, items: pieces }));
  else parts.push(t('total.lines_only', { lines: cart.lines.length }));
  for (const [unit, milli] of measured) parts.push(`${formatWeight(milli)} ${unit}`);
  return parts.join(' + ');
}
