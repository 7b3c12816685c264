import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Department, ProductView, SaleInput, Ticket } from '../lib/api';
import { fakeBackend } from '../test/tauri';
import { SaleState } from './sale.svelte';
import SaleScreen from './SaleScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const products: ProductView[] = [
  { id: 1, sku: null, barcodes: ['3760000000017'], label: 'Crème fraîche', price_cents: 235, vat_rate_bp: 550, department: 'ALIM', unit: 'piece', created_offline: false },
  { id: 2, sku: 'B33', barcodes: ['3760000000048'], label: 'Bière blonde', price_cents: 195, vat_rate_bp: 2000, department: 'BOISSONS', unit: 'piece', created_offline: false },
  { id: 3, sku: null, barcodes: ['3760000000062'], label: 'Bière brune', price_cents: 215, vat_rate_bp: 2000, department: 'BOISSONS', unit: 'piece', created_offline: false },
];
const departments: Department[] = [{ code: 'ALIM', name: 'Alimentation', vat_rate_bp: 550, hidden: false }];

/** Prices a cart the way the backend would for these simple cases (no discounts). */
function price(sale: SaleInput): Ticket {
  const lines = sale.lines.map((l) => {
    const product = products.find((p) => p.barcodes.includes(l.barcode ?? '') || (l.sku !== null && p.sku === l.sku));
    const label = scaleLabel(l.barcode ?? '');
    const unit = product?.price_cents ?? label?.value ?? l.unit_price_cents ?? 0;
    const qty = Math.round(Number(String(l.qty ?? '1').replace(',', '.')) * 1000);
    const gross = Math.round((qty * unit) / 1000);
    return {
      label: l.label ?? product?.label ?? 'Alimentation',
      qty_milli: qty,
      unit_price_cents: unit,
      vat_rate_bp: product?.vat_rate_bp ?? 550,
      gross_cents: gross,
      discount_cents: 0,
      ticket_discount_cents: 0,
      total_cents: gross,
      ht_cents: gross,
    };
  });
  const total = lines.reduce((s, l) => s + l.total_cents, 0);
  return { lines, ticket_discount_cents: 0, vat: [], total_cents: total, payments: [] };
}

/** A price label of prefix 22 as the backend reads it (no check digit checked here). */
function scaleLabel(code: string) {
  if (!/^22\d{11}$/.test(code)) return null;
  return { code, prefix: '22', plu: code.slice(2, 7), carries: 'price' as const, value: Number(code.slice(7, 12)), department: 'ALIM' };
}

function backend() {
  const find = (code: unknown) => products.find((p) => p.barcodes.includes(String(code)) || p.sku === code) ?? null;
  return fakeBackend({
    parked: () => [],
    find_product: (args) => find(args.code),
    scan_code: (args) => {
      const product = find(args.code);
      return { product, scale: product === null ? scaleLabel(String(args.code)) : null };
    },
    search_products: (args) => products.filter((p) => p.label.toLowerCase().includes(String(args.query).toLowerCase())),
    price_sale: (args) => price(args.sale as SaleInput),
    create_product: (args) => {
      const p = args.product as { barcode: string; label: string; price_cents: number };
      const created: ProductView = { id: 9, sku: null, barcodes: [p.barcode], label: p.label, price_cents: p.price_cents, vat_rate_bp: 2000, department: 'DIVERS', unit: 'piece', created_offline: true };
      products.push(created);
      return created;
    },
  });
}

/** Keys in a burst, as a scanner types them into the focused field. */
async function type(field: HTMLElement, text: string) {
  for (const key of text) {
    await fireEvent.keyDown(field, { key });
    await fireEvent.input(field, { target: { value: (field as HTMLInputElement).value + key } });
  }
  await fireEvent.keyDown(field, { key: 'Enter' });
}

function lines(): string[] {
  return screen.queryAllByTestId('cart-line').map((row) => (row.textContent ?? '').replace(/\s+/g, ' ').trim());
}

describe('sale screen', () => {
  const cases: Array<[name: string, typed: string[], expected: string[], total: string]> = [
    ['one scan', ['3760000000017'], ['Crème fraîche', '1 × 2,35'], '2,35'],
    ['the same barcode twice makes one line of 2', ['3760000000017', '3760000000017'], ['Crème fraîche', '2 × 2,35'], '4,70'],
    ['a typed reference finds the product', ['B33'], ['Bière blonde', '1 × 1,95'], '1,95'],
    ['a typed name with one match adds it', ['blond'], ['Bière blonde'], '1,95'],
    ['a scale label is sold at once at its price', ['2212345012503'], ['Alimentation', '12,50'], '12,50'],
  ];
  it.each(cases)('%s', async (_name, typed, expected, total) => {
    backend();
    render(SaleScreen, { sale: new SaleState(), departments, onsold: () => {} });
    const field = screen.getByTestId('scan');
    for (const text of typed) {
      await type(field, text);
      await expect.poll(() => screen.queryAllByTestId('cart-line').length).toBeGreaterThan(0);
    }
    await expect.poll(() => screen.getByTestId('total').textContent).toContain(total);
    expect(lines()).toHaveLength(1);
    for (const piece of expected) expect(lines()[0]).toContain(piece);
  });

  it('offers to create a product for an unknown barcode, then sells it', async () => {
    const calls = backend().calls;
    render(SaleScreen, { sale: new SaleState(), departments, onsold: () => {} });
    await type(screen.getByTestId('scan'), '2000000000015');
    await screen.findByTestId('new-product-dialog');
    await fireEvent.input(screen.getByTestId('product-label'), { target: { value: 'Savon' } });
    await fireEvent.input(screen.getByTestId('product-price'), { target: { value: '3,20' } });
    await fireEvent.click(screen.getByTestId('product-ok'));
    await expect.poll(() => lines()[0] ?? '').toContain('Savon');
    expect(calls.find((c) => c.command === 'create_product')?.args.product).toMatchObject({
      barcode: '2000000000015',
      label: 'Savon',
      price_cents: 320,
    });
  });

  it('sells under a department key with a typed price', async () => {
    const calls = backend().calls;
    render(SaleScreen, { sale: new SaleState(), departments, onsold: () => {} });
    await fireEvent.click(screen.getByTestId('dept-key'));
    await fireEvent.input(await screen.findByTestId('dept-price'), { target: { value: '3,50' } });
    await fireEvent.click(screen.getByTestId('dept-ok'));
    await expect.poll(() => screen.getByTestId('total').textContent).toContain('3,50');
    const priced = calls.filter((c) => c.command === 'price_sale').at(-1)?.args.sale as SaleInput;
    expect(priced.lines).toEqual([expect.objectContaining({ department: 'ALIM', unit_price_cents: 350, barcode: null })]);
  });

  it('parks the cart and brings it back', async () => {
    let parked: Array<{ id: number; label: string; operator: string; parked_at: string; cart: SaleInput }> = [];
    const calls = fakeBackend({
      ...backend().handlers,
      parked: () => parked,
      park: (args) => {
        parked = [{ id: 7, label: String(args.label), operator: 'Paul', parked_at: '2026-11-28T10:00:00Z', cart: args.cart as SaleInput }];
        return 7;
      },
      unpark: (args) => {
        const found = parked.find((p) => p.id === args.id);
        parked = [];
        return found;
      },
    }).calls;
    const sale = new SaleState();
    render(SaleScreen, { sale, departments, onsold: () => {} });
    await type(screen.getByTestId('scan'), '3760000000017');
    await type(screen.getByTestId('scan'), '3760000000048');
    await expect.poll(() => lines().length).toBe(2);
    const id = sale.cart.id;

    await fireEvent.click(screen.getByTestId('action-park'));
    await fireEvent.input(await screen.findByTestId('park-label'), { target: { value: 'Mme Martin' } });
    await fireEvent.click(screen.getByTestId('park-ok'));
    await screen.findByTestId('cart-empty');
    expect(screen.getByTestId('notice').textContent).toContain('F7');

    await fireEvent.click(screen.getByTestId('action-resume'));
    const ticket = await screen.findByTestId('parked-ticket');
    expect(ticket.textContent).toContain('Mme Martin');
    await fireEvent.click(ticket);
    await expect.poll(() => lines().length).toBe(2);
    expect(lines()[0]).toContain('Crème fraîche');
    expect(sale.cart.id).toBe(id);
    expect(calls.filter((c) => c.command === 'unpark').map((c) => c.args.id)).toEqual([7]);
  });

  it('searches as the cashier types; arrows and Enter pick a result', async () => {
    const calls = backend().calls;
    render(SaleScreen, { sale: new SaleState(), departments, onsold: () => {} });
    const field = screen.getByTestId('scan');
    await fireEvent.input(field, { target: { value: 'bière' } });
    const results = await screen.findAllByTestId('search-result');
    expect(results.map((r) => r.querySelector('.label')?.textContent)).toEqual(['Bière blonde', 'Bière brune']);
    expect(calls.filter((c) => c.command === 'search_products').map((c) => c.args.query)).toEqual(['bière']);
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fireEvent.keyDown(field, { key: 'Enter' });
    await expect.poll(() => lines()[0] ?? '').toContain('Bière brune');
    expect(screen.queryByTestId('search-results')).toBeNull();
    expect((field as HTMLInputElement).value).toBe('');
  });
});
