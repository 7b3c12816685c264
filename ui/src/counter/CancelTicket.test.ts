import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Department, SaleInput, Ticket } from '../lib/api';
import { fakeBackend, refusal } from '../test/tauri';
import { SaleState } from './sale.svelte';
import SaleScreen from './SaleScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const departments: Department[] = [{ code: 'ALIM', name: 'Alimentation', vat_rate_bp: 550, hidden: false }];

function price(sale: SaleInput): Ticket {
  const lines = sale.lines.map((l) => {
    const qty = Math.round(Number(String(l.qty ?? '1')) * 1000);
    const gross = Math.round((qty * (l.unit_price_cents ?? 0)) / 1000);
    return { label: 'Alimentation', qty_milli: qty, unit_price_cents: l.unit_price_cents ?? 0, vat_rate_bp: 550, gross_cents: gross, discount_cents: 0, ticket_discount_cents: 0, total_cents: gross, ht_cents: gross };
  });
  return { lines, ticket_discount_cents: 0, vat: [], total_cents: lines.reduce((s, l) => s + l.total_cents, 0), payments: [] };
}

function setUp(refuse: boolean) {
  const backend = fakeBackend({
    parked: () => [],
    sale_settings: () => ({ default_department: 'ALIM' }),
    price_sale: (args) => price(args.sale as SaleInput),
    abandon_cart: (args) => {
      if (refuse) refusal('io', 'journal indisponible');
      const sale = args.sale as SaleInput;
      return { amount_cents: price(sale).total_cents, lines: sale.lines.length };
    },
  });
  const sale = new SaleState();
  render(SaleScreen, { sale, departments, onsold: () => {} });
  return { calls: backend.calls, sale };
}

async function typePrice(text: string) {
  const field = screen.getByTestId('scan');
  await fireEvent.input(field, { target: { value: text } });
  await fireEvent.keyDown(field, { key: 'Enter', timeStamp: 5000 });
}

describe('« Annuler le ticket »', () => {
  // (how the question is answered, whether the backend refuses, the cart's lines after,
  //  the carts journaled as abandoned, the notice)
  const cases: Array<[answer: 'confirm' | 'escape', refuse: boolean, linesAfter: number, journaled: number, notice: string | null]> = [
    ['confirm', false, 0, 1, 'Ticket annulé (5,70\u202f€), inscrit au journal.'],
    ['escape', false, 2, 0, null],
    ['confirm', true, 2, 1, 'journal indisponible'],
  ];
  it.each(cases)('%s (refused: %s)', async (answer, refuse, linesAfter, journaled, notice) => {
    const { calls, sale } = setUp(refuse);
    await typePrice('3*1,20');
    await typePrice('2,10');
    await expect.poll(() => screen.getByTestId('total').textContent).toContain('5,70');
    await fireEvent.click(screen.getByTestId('action-cancel'));
    const dialog = await screen.findByTestId('cancel-ticket-dialog');
    expect(screen.getByTestId('cancel-what').textContent).toContain('2 ligne(s), 5,70');
    await expect.poll(() => document.activeElement?.getAttribute('data-testid')).toBe('cancel-confirm');
    if (answer === 'confirm') await fireEvent.click(screen.getByTestId('cancel-confirm'));
    else await fireEvent.keyDown(dialog, { key: 'Escape' });
    await expect.poll(() => screen.queryByTestId('cancel-ticket-dialog')).toBeNull();
    await expect.poll(() => sale.cart.lines.length).toBe(linesAfter);
    const abandoned = calls.filter((c) => c.command === 'abandon_cart');
    expect(abandoned).toHaveLength(journaled);
    if (journaled > 0) expect((abandoned[0]?.args.sale as SaleInput).lines).toHaveLength(2);
    if (notice === null) expect(screen.queryByTestId('notice')).toBeNull();
    else expect(screen.getByTestId('notice').textContent).toContain(notice);
  });

  it('is not offered for an empty cart', () => {
    setUp(false);
    expect((screen.getByTestId('action-cancel') as HTMLButtonElement).disabled).toBe(true);
  });
});
