import { describe, expect, it } from 'vitest';
import type { Department } from '../bindings/Department';
import type { ProductView } from '../bindings/ProductView';
import {
  addDepartmentLine,
  addProduct,
  emptyCart,
  fromSaleInput,
  itemCount,
  removeLine,
  setLineDiscount,
  setQty,
  setTicketDiscount,
  toSaleInput,
  type Cart,
} from './cart';

function product(id: number, barcodes: string[], unit = 'piece', sku: string | null = null): ProductView {
  return { id, sku, barcodes, label: `Produit ${id}`, price_cents: 100 * id, vat_rate_bp: 550, department: 'ALIM', unit, created_offline: false };
}

const creme = product(1, ['3760000000017']);
const biere = product(2, ['3760000000048', '3760000000049']);
const comte = product(3, ['3760000000031'], 'kg');
const vrac = product(4, [], 'piece', 'VRAC-4');
const alim: Department = { code: 'ALIM', name: 'Alimentation', vat_rate_bp: 550, hidden: false };

type Step = (cart: Cart) => Cart;
const scan = (p: ProductView, code: string | null = p.barcodes[0] ?? null, qty?: number): Step => (cart) =>
  addProduct(cart, p, code, qty).cart;

/** Each case: steps applied to an empty cart, and the lines of the SaleInput sent. */
const cases: Array<[name: string, steps: Step[], lines: Array<Record<string, unknown>>, items: number]> = [
  ['one scan', [scan(creme)], [{ barcode: '3760000000017', qty: '1' }], 1],
  ['the same piece scanned twice merges', [scan(creme), scan(creme)], [{ barcode: '3760000000017', qty: '2' }], 2],
  [
    'a second barcode of the same product merges too',
    [scan(biere), scan(biere, '3760000000049')],
    [{ barcode: '3760000000048', qty: '2' }],
    2,
  ],
  [
    'different products stay apart',
    [scan(creme), scan(biere), scan(creme)],
    [{ barcode: '3760000000017', qty: '2' }, { barcode: '3760000000048', qty: '1' }],
    3,
  ],
  [
    'weighed goods never merge and keep three decimals',
    [scan(comte, '3760000000031', 1250), scan(comte, '3760000000031', 500)],
    [{ barcode: '3760000000031', qty: '1.25' }, { barcode: '3760000000031', qty: '0.5' }],
    2,
  ],
  [
    'a discounted line does not take more scans',
    [scan(creme), (c) => setLineDiscount(c, 0, { kind: 'percent', percent: '10' }), scan(creme)],
    [
      { barcode: '3760000000017', qty: '1', discount_percent: '10' },
      { barcode: '3760000000017', qty: '1' },
    ],
    2,
  ],
  ['a product without barcode is sold by SKU', [scan(vrac, null)], [{ sku: 'VRAC-4', qty: '1' }], 1],
  [
    'a department key sends the department and the typed price',
    [(c) => addDepartmentLine(c, alim, 350).cart],
    [{ department: 'ALIM', unit_price_cents: 350, qty: '1' }],
    1,
  ],
  [
    'a typed label goes with the department line',
    [(c) => addDepartmentLine(c, alim, 350, '  Pain  ').cart],
    [{ department: 'ALIM', unit_price_cents: 350, label: 'Pain', qty: '1' }],
    1,
  ],
  [
    'quantity, euro discount and removal',
    [scan(creme), scan(biere), (c) => setQty(c, 1, 6000), (c) => setLineDiscount(c, 1, { kind: 'cents', cents: 150 }), (c) => removeLine(c, 0)],
    [{ barcode: '3760000000048', qty: '6', discount_cents: 150 }],
    6,
  ],
];

const BLANK = {
  label: null,
  sku: null,
  barcode: null,
  department: null,
  qty: null,
  unit_price_cents: null,
  vat_rate_bp: null,
  discount_cents: null,
  discount_percent: null,
};

describe('cart → SaleInput', () => {
  it.each(cases)('%s', (_name, steps, lines, items) => {
    const cart = steps.reduce((c, step) => step(c), emptyCart('sale-1'));
    const input = toSaleInput(cart);
    expect(input.lines).toEqual(lines.map((l) => ({ ...BLANK, ...l })));
    expect(input.id).toBe('sale-1');
    expect(input.operator).toBeNull();
    expect(input.payments).toEqual([]);
    expect(itemCount(cart)).toBe(items);
    // Every line keeps a distinct key for the screen.
    expect(new Set(cart.lines.map((l) => l.key)).size).toBe(cart.lines.length);
  });

  it.each<[name: string, discount: Parameters<typeof setTicketDiscount>[1], cents: number | null, percent: string | null]>([
    ['no ticket discount', null, null, null],
    ['a ticket discount in euros', { kind: 'cents', cents: 200 }, 200, null],
    ['a ticket discount in percent', { kind: 'percent', percent: '2,5' }, null, '2,5'],
  ])('%s', (_name, discount, cents, percent) => {
    const input = toSaleInput(setTicketDiscount(scan(creme)(emptyCart('x')), discount));
    expect(input.ticket_discount_cents).toBe(cents);
    expect(input.ticket_discount_percent).toBe(percent);
  });

  it('sends the payments it is given', () => {
    const payments = [{ method: 'cash', amount_cents: 235, tendered_cents: 500, reference: null }];
    expect(toSaleInput(scan(creme)(emptyCart('x')), payments).payments).toEqual(payments);
  });

  it('reads a parked cart back into the same sale', () => {
    const steps = [scan(creme), scan(creme), scan(comte, '3760000000031', 1250), (c: Cart) => addDepartmentLine(c, alim, 350, 'Pain').cart];
    const cart = setTicketDiscount(
      steps.reduce((c, step) => step(c), emptyCart('parked-id')),
      { kind: 'percent', percent: '5' },
    );
    const back = fromSaleInput(toSaleInput(cart), 'unused');
    expect(toSaleInput(back)).toEqual(toSaleInput(cart));
    expect(back.id).toBe('parked-id');
  });
});
