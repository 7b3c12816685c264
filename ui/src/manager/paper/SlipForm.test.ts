import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SaleInput, Ticket } from '../../lib/api';
import { fakeBackend, refusal } from '../../test/tauri';
import SlipForm from './SlipForm.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const done = (number: string, duplicate: boolean) => ({
  recorded: { id: `id-${number}`, number, pos: 5, total_cents: 440, hash: 'h', duplicate, warnings: [] },
  receipt: {},
});

/** The backend's answer to `price_sale`: qty × unit price, plus `extra` cents a line (a figure
 *  on screen that has it can only be the backend's). */
function priced(sale: SaleInput, extra = 0): Ticket {
  const lines = sale.lines.map((l) => {
    const qty = Number(String(l.qty ?? '1')) * 1000;
    const unit = l.unit_price_cents ?? 0;
    const total = (qty * unit) / 1000 + extra;
    return { label: l.label ?? '', qty_milli: qty, unit_price_cents: unit, vat_rate_bp: l.vat_rate_bp ?? 0, gross_cents: total, discount_cents: 0, ticket_discount_cents: 0, total_cents: total, ht_cents: total };
  });
  return { lines, ticket_discount_cents: 0, vat: [], total_cents: lines.reduce((sum, l) => sum + l.total_cents, 0), payments: [] };
}

const till = {
  departments: () => [{ code: 'BOUL', name: 'Boulangerie', vat_rate_bp: 550 }],
  vat_rates: () => [2000, 1000, 850, 550, 210],
  price_sale: (args: Record<string, unknown>) => priced(args.sale as SaleInput),
};

async function fillSlip() {
  await screen.findByTestId('slip-line-dept');
  await fireEvent.input(screen.getByTestId('slip-date'), { target: { value: '25/11/2026' } });
  await fireEvent.input(screen.getByTestId('slip-time'), { target: { value: '9h12' } });
  await fireEvent.input(screen.getByTestId('slip-number'), { target: { value: '0001' } });
  await fireEvent.input(screen.getByTestId('slip-seller'), { target: { value: 'Lucie' } });
  await fireEvent.click(screen.getByTestId('slip-line-dept'));
  await fireEvent.input(await screen.findByTestId('slip-line-price'), { target: { value: '2,20' } });
  await fireEvent.input(screen.getByTestId('slip-line-qty'), { target: { value: '2' } });
  await fireEvent.click(screen.getByTestId('slip-submit'));
}

describe('a paper slip keyed in', () => {
  it('is recorded with its real time and number; a slip number already entered warns, and is recorded only when confirmed', async () => {
    const backend = fakeBackend({
      ...till,
      record_sale: (args) => {
        const sale = args.sale as SaleInput;
        if (sale.late?.allow_duplicate !== true) refusal('duplicate_slip', 'le bordereau n° 0001 du 2026-11-25 est déjà saisi (T1-000003)');
        return done('T1-000004', false);
      },
    });
    const entered = vi.fn();
    render(SlipForm, { onentered: entered });
    await fillSlip();

    expect((await screen.findByTestId('slip-duplicate')).textContent).toContain('déjà saisi (T1-000003)');
    expect(entered).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('slip-anyway'));
    await vi.waitFor(() => expect(entered).toHaveBeenCalled());
    expect(entered.mock.calls[0]?.[0]).toEqual({ number: 'T1-000004', slip: '0001', soldAt: '2026-11-25 09:12', total: 440, forced: true });

    const sales = backend.calls.filter((c) => c.command === 'record_sale').map((c) => c.args.sale as SaleInput);
    expect(sales.map((s) => s.late)).toEqual([
      { sold_at: '2026-11-25 09:12', slip: '0001', seller: 'Lucie', allow_duplicate: false },
      { sold_at: '2026-11-25 09:12', slip: '0001', seller: 'Lucie', allow_duplicate: true },
    ]);
    expect(sales[0]?.lines.map((l) => [l.department, l.qty, l.unit_price_cents, l.vat_rate_bp])).toEqual([['BOUL', '2', 220, 550]]);
    expect(sales[0]?.payments).toEqual([{ method: 'cash', amount_cents: 440, tendered_cents: null, reference: null }]);
  });

  it('says so when the very same slip was already recorded, and adds nothing', async () => {
    fakeBackend({ ...till, record_sale: () => done('T1-000003', true) });
    const entered = vi.fn();
    render(SlipForm, { onentered: entered });
    await fillSlip();
    expect((await screen.findByTestId('slip-duplicate')).textContent).toContain(
      'Le bordereau n° 0001 est déjà saisi, à l’identique (T1-000003) : rien n’a été ajouté.',
    );
    expect(entered).not.toHaveBeenCalled();
  });

  it('refuses a slip dated in the future before asking the backend', async () => {
    const backend = fakeBackend(till);
    render(SlipForm, { onentered: () => {} });
    await screen.findByTestId('slip-line-dept');
    await fireEvent.input(screen.getByTestId('slip-date'), { target: { value: '01/01/2999' } });
    await fireEvent.input(screen.getByTestId('slip-number'), { target: { value: '7' } });
    await fireEvent.click(screen.getByTestId('slip-submit'));
    expect(screen.getByTestId('slip-problem').textContent).toBe('La date et l’heure sont dans le futur (sans heure, midi est retenu).');
    expect(backend.calls.map((c) => c.command)).not.toContain('record_sale');
  });

  it('offers the till’s VAT rates for a line typed by hand, and is paid the total the backend gives', async () => {
    const backend = fakeBackend({
      ...till,
      vat_rates: () => [850, 2000],
      price_sale: (args) => priced(args.sale as SaleInput, 1),
      record_sale: () => done('T1-000005', false),
    });
    render(SlipForm, { onentered: () => {} });
    await fireEvent.input(screen.getByTestId('slip-date'), { target: { value: '25/11/2026' } });
    await fireEvent.input(screen.getByTestId('slip-number'), { target: { value: '0002' } });
    await vi.waitFor(() => expect(backend.calls.map((c) => c.command)).toContain('vat_rates'));
    await fireEvent.input(screen.getByTestId('slip-line-free'), { target: { value: 'Fiadone' } });
    await fireEvent.click(screen.getByTestId('slip-line-free-add'));
    await fireEvent.input(await screen.findByTestId('slip-line-price'), { target: { value: '2,20' } });
    await fireEvent.input(screen.getByTestId('slip-line-qty'), { target: { value: '2' } });
    const rate = screen.getByRole('combobox', { name: 'TVA' }) as HTMLSelectElement;
    expect([...rate.options].map((o) => o.textContent)).toEqual(['8,5\u00a0%', '20\u00a0%']);

    // 2 × 2,20 typed; the backend says 4,41: shown, and the payment left empty takes it.
    await vi.waitFor(() => expect(screen.getByTestId('slip-total').textContent).toBe('4,41\u202f€'));
    expect(screen.getByTestId('slip-line-total').textContent?.trim()).toBe('4,41\u202f€');
    await fireEvent.click(screen.getByTestId('slip-submit'));
    await vi.waitFor(() => expect(backend.calls.map((c) => c.command)).toContain('record_sale'));
    const sale = backend.calls.find((c) => c.command === 'record_sale')?.args.sale as SaleInput;
    expect(sale.lines.map((l) => [l.label, l.qty, l.unit_price_cents, l.vat_rate_bp])).toEqual([['Fiadone', '2', 220, 850]]);
    expect(sale.payments).toEqual([{ method: 'cash', amount_cents: 441, tendered_cents: null, reference: null }]);
  });

  it('refuses payments that do not add up to the backend’s total', async () => {
    const backend = fakeBackend({ ...till, price_sale: (args) => priced(args.sale as SaleInput, 1) });
    render(SlipForm, { onentered: () => {} });
    await fireEvent.input(screen.getByTestId('slip-date'), { target: { value: '25/11/2026' } });
    await fireEvent.input(screen.getByTestId('slip-number'), { target: { value: '0003' } });
    await fireEvent.click(await screen.findByTestId('slip-line-dept'));
    await fireEvent.input(await screen.findByTestId('slip-line-price'), { target: { value: '2,20' } });
    await fireEvent.input(screen.getByTestId('slip-pay-amount'), { target: { value: '2,20' } });
    await fireEvent.click(screen.getByTestId('slip-submit'));
    expect((await screen.findByTestId('slip-problem')).textContent).toContain('2,21');
    expect(backend.calls.map((c) => c.command)).not.toContain('record_sale');
  });
});
