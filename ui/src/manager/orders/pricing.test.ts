import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaleInput, Ticket } from '../../lib/api';
import type { DraftLine } from './model';
import { DraftPricing, PRICING_DELAY_MS } from './pricing.svelte';

const free = (qty: string, price: string, vatBp: number | null = 850): DraftLine => ({
  label: 'Gâteau',
  sku: null,
  barcode: null,
  department: null,
  qty,
  price,
  vatBp,
});

/** A backend that answers figures no arithmetic here would give: each line costs its unit
 *  price + 1 cent, and the ticket 1 cent more; the screens must show what it says. */
function backend() {
  const sent: SaleInput[] = [];
  const price = vi.fn(async (sale: SaleInput): Promise<Ticket> => {
    sent.push(sale);
    const totals = sale.lines.map((l) => (l.unit_price_cents ?? 0) + 1);
    return {
      lines: totals.map((total, i) => ({
        label: 'x',
        qty_milli: 1000,
        unit_price_cents: sale.lines[i]?.unit_price_cents ?? 0,
        vat_rate_bp: sale.lines[i]?.vat_rate_bp ?? 0,
        gross_cents: total,
        discount_cents: 0,
        ticket_discount_cents: 0,
        total_cents: total,
        ht_cents: total,
      })),
      ticket_discount_cents: 0,
      vat: [],
      total_cents: totals.reduce((a, b) => a + b, 1),
      payments: [],
    };
  });
  return { price, sent };
}

describe('the lines being typed, priced by the backend', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // Lines → what each line shows and the total shown, once priced.
  const cases: Array<[what: string, lines: DraftLine[], shown: Array<number | null>, total: number, sent: number]> = [
    ['no line', [], [], 0, 0],
    ['two lines', [free('1', '32'), free('2', '1,50', 2000)], [3201, 151], 3353, 2],
    ['an unreadable line has no total and is not sent', [free('deux', '3'), free('1', '12')], [null, 1201], 1202, 1],
    ['a line typed by hand before the rates came is not sent', [free('1', '3', null)], [null], 0, 0],
  ];
  it.each(cases)('%s', async (_what, lines, shown, total, sent) => {
    const { price, sent: calls } = backend();
    const pricing = new DraftPricing(price);
    pricing.update(lines);
    await vi.advanceTimersByTimeAsync(PRICING_DELAY_MS);
    expect(lines.map((l) => pricing.lineTotal(l))).toEqual(shown);
    expect(pricing.total).toBe(total);
    expect(pricing.pending).toBe(false);
    expect(calls.flatMap((s) => s.lines)).toHaveLength(sent);
  });

  it('asks once typing pauses, for the last lines typed', async () => {
    const { price, sent } = backend();
    const pricing = new DraftPricing(price);
    for (const typed of ['3', '32', '32,5']) pricing.update([free('1', typed)]);
    expect(pricing.lineTotal(free('1', '32,5'))).toBe('pending');
    await vi.advanceTimersByTimeAsync(PRICING_DELAY_MS);
    expect(sent.map((s) => s.lines.map((l) => [l.qty, l.unit_price_cents, l.vat_rate_bp]))).toEqual([[['1', 3250, 850]]]);
    expect(pricing.total).toBe(3252);
  });

  it('prices at once when the form is sent, and says why the backend refuses', async () => {
    const refusing = vi.fn(async () => {
      throw { kind: 'invalid_input', message: 'ligne 1 : taux de TVA 5,5 % inconnu de cette caisse' };
    });
    const pricing = new DraftPricing(refusing);
    expect(await pricing.settle([free('1', '3', 550)])).toBeNull();
    expect(pricing.error?.message).toBe('ligne 1 : taux de TVA 5,5 % inconnu de cette caisse');
    expect(pricing.total).toBeNull();
    expect(pricing.lineTotal(free('1', '3', 550))).toBeNull();

    const { price } = backend();
    const accepted = new DraftPricing(price);
    expect(await accepted.settle([free('1', '3')])).toBe(302);
    expect(price).toHaveBeenCalledTimes(1);
  });
});
