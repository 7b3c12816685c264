import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Department, ProductView, SaleInput, Ticket } from '../lib/api';
import { fakeBackend } from '../test/tauri';
import { SaleState } from './sale.svelte';
import SaleScreen from './SaleScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const departments: Department[] = [
  { code: 'BOUL', name: 'Boulangerie', vat_rate_bp: 550, hidden: false },
  { code: 'ALIM', name: 'Alimentation', vat_rate_bp: 550, hidden: false },
  { code: 'DIVERS', name: 'Divers', vat_rate_bp: 2000, hidden: false },
];
/** SKU « 12 »: a product whose code is short digits (found, never asked about). */
const tart: ProductView = { id: 4, sku: '12', barcodes: [], label: 'Tarte aux pommes', price_cents: 1450, vat_rate_bp: 550, department: 'BOUL', unit: 'piece', created_offline: false };

function price(sale: SaleInput): Ticket {
  const lines = sale.lines.map((l) => {
    const unit = l.sku === tart.sku ? tart.price_cents : (l.unit_price_cents ?? 0);
    const qty = Math.round(Number(String(l.qty ?? '1').replace(',', '.')) * 1000);
    const gross = Math.round((qty * unit) / 1000);
    const label = l.label ?? departments.find((d) => d.code === l.department)?.name ?? tart.label;
    return { label, qty_milli: qty, unit_price_cents: unit, vat_rate_bp: 550, gross_cents: gross, discount_cents: 0, ticket_discount_cents: 0, total_cents: gross, ht_cents: gross };
  });
  const total = lines.reduce((s, l) => s + l.total_cents, 0);
  return { lines, ticket_discount_cents: 0, vat: [], total_cents: total, payments: [] };
}

function backend(defaultDepartment = 'ALIM') {
  return fakeBackend({
    parked: () => [],
    sale_settings: () => ({ default_department: defaultDepartment }),
    scan_code: (args) => ({ product: args.code === tart.sku ? tart : null, scale: null }),
    search_products: () => [tart],
    price_sale: (args) => price(args.sale as SaleInput),
  });
}

/** Keys as a person types them (each event with its own time), then Enter. */
async function type(field: HTMLElement, text: string, gapMs = 100) {
  let at = 1000;
  for (const key of text) {
    at += gapMs;
    await fireEvent.keyDown(field, { key, timeStamp: at });
    await fireEvent.input(field, { target: { value: (field as HTMLInputElement).value + key } });
  }
  await fireEvent.keyDown(field, { key: 'Enter', timeStamp: at + gapMs });
}

/** What the backend is asked to price last: (department, unit price, quantity) per line. */
function pricedLines(calls: ReturnType<typeof backend>['calls']): Array<[string | null, number | null, string]> {
  const sale = calls.filter((c) => c.command === 'price_sale').at(-1)?.args.sale as SaleInput | undefined;
  return (sale?.lines ?? []).map((l) => [l.department ?? l.sku ?? null, l.unit_price_cents ?? null, String(l.qty ?? '1')]);
}

function setUp(defaultDepartment?: string) {
  const { calls } = backend(defaultDepartment);
  render(SaleScreen, { sale: new SaleState(), departments, onsold: () => {} });
  return { calls, field: screen.getByTestId('scan') };
}

describe('prices typed in the scan field', () => {
  // (typed, the default department, then the key pressed in the question if one is asked,
  //  the lines priced)
  const cases: Array<[typed: string, dflt: string, answer: string | null, lines: Array<[string | null, number | null, string]>]> = [
    ['2,50', 'ALIM', null, [['ALIM', 250, '1']]],
    ['1,2', 'ALIM', null, [['ALIM', 120, '1']]],
    ['2.5', 'DIVERS', null, [['DIVERS', 250, '1']]],
    ['3*2,50', 'ALIM', null, [['ALIM', 250, '3']]],
    ['3x2,50', 'ALIM', null, [['ALIM', 250, '3']]],
    ['2 X 1,20', 'ALIM', null, [['ALIM', 120, '2']]],
    ['2,50', '', null, [['BOUL', 250, '1']]], // never chosen: the first department
    ['250', 'ALIM', '1', [['ALIM', 250, '1']]],
    ['250', 'ALIM', '2', [['ALIM', 25000, '1']]],
    ['3*250', 'ALIM', '1', [['ALIM', 250, '3']]],
    ['12', 'ALIM', null, [['12', null, '1']]], // a product's code: sold, not asked about
  ];
  it.each(cases)('%j on %j (answer %j)', async (typed, dflt, answer, lines) => {
    const { calls, field } = setUp(dflt);
    await expect.poll(() => calls.some((c) => c.command === 'sale_settings')).toBe(true);
    await type(field, typed);
    if (answer !== null) {
      const dialog = await screen.findByTestId('typed-price-dialog');
      expect(dialog.textContent).toContain(`« ${typed.replace(/^\d+\*/, '')} »`);
      await expect.poll(() => document.activeElement?.getAttribute('data-testid')).toBe('typed-price-choice');
      await fireEvent.keyDown(document.activeElement as Element, { key: answer });
    }
    await expect.poll(() => pricedLines(calls)).toEqual(lines);
    expect(screen.queryByTestId('typed-price-dialog')).toBeNull();
    expect(screen.queryByTestId('new-product-dialog')).toBeNull();
  });

  it('asks, and sells nothing when the question is dismissed', async () => {
    const { calls, field } = setUp();
    await type(field, '250');
    await screen.findByTestId('typed-price-dialog');
    const choices = screen.getAllByTestId('typed-price-choice').map((b) => (b.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(choices).toEqual(['1 2,50 €', '2 250,00 €']);
    await fireEvent.keyDown(screen.getAllByTestId('typed-price-choice')[0] as Element, { key: 'Escape' });
    await expect.poll(() => screen.queryByTestId('typed-price-dialog')).toBeNull();
    expect(pricedLines(calls)).toEqual([]);
  });

  it('a fast burst with a comma is a price, not a barcode', async () => {
    const { calls, field } = setUp();
    await type(field, '2x1,20', 5);
    await expect.poll(() => pricedLines(calls)).toEqual([['ALIM', 120, '2']]);
    expect(calls.some((c) => c.command === 'scan_code')).toBe(false);
  });

  it('a price then a department key sells it on that department', async () => {
    const { calls, field } = setUp();
    await fireEvent.input(field, { target: { value: '3,40' } });
    const keys = screen.getAllByTestId('dept-key');
    await fireEvent.click(keys[2] as HTMLElement);
    await expect.poll(() => pricedLines(calls)).toEqual([['DIVERS', 340, '1']]);
    expect(screen.queryByTestId('department-dialog')).toBeNull();
    expect((field as HTMLInputElement).value).toBe('');
  });

  it('never searches the catalogue for a price', async () => {
    const { calls, field } = setUp();
    await fireEvent.input(field, { target: { value: '2,50' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.some((c) => c.command === 'search_products')).toBe(false);
    expect(screen.queryByTestId('search-results')).toBeNull();
  });
});
