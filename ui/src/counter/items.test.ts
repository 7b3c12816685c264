import { describe, expect, it } from 'vitest';
import { addDepartmentLine, emptyCart, type Cart } from '../lib/model/cart';
import { itemsText } from './items';

function cart(lines: Array<[unit: string, qty: number]>): Cart {
  let c = emptyCart('s');
  for (const [unit, qty] of lines) {
    const added = addDepartmentLine(c, { code: 'DIVERS', name: 'Divers', vat_rate_bp: 2000, hidden: false }, 100, '', qty);
    c = { ...added.cart, lines: added.cart.lines.map((l, i) => (i === added.index ? { ...l, unit } : l)) };
  }
  return c;
}

describe('the count under the total', () => {
  it.each<[name: string, lines: Array<[string, number]>, text: string]>([
    ['empty', [], '0 ligne(s), 0 article(s)'],
    ['pieces', [['piece', 1000], ['piece', 3000]], '2 ligne(s), 4 article(s)'],
    ['a weight alone', [['kg', 1412]], '1 ligne(s) + 1,412 kg'],
    ['pieces and weights', [['piece', 2000], ['kg', 1412], ['kg', 500]], '3 ligne(s), 2 article(s) + 1,912 kg'],
    ['litres apart from kilograms', [['kg', 250], ['l', 1500]], '2 ligne(s) + 0,250 kg + 1,500 l'],
  ])('%s', (_name, lines, text) => {
    expect(itemsText(cart(lines))).toBe(text);
  });
});
