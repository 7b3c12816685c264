import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { fakeBackend, refusal } from '../test/tauri';
import PaymentDialog from '../counter/PaymentDialog.svelte';
import type { AvoirView } from './api';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

function text(id: string): string {
  return (screen.getByTestId(id).textContent ?? '').replace(/[\s\u202f]+/g, ' ').trim();
}

const AVOIR: AvoirView = {
  number: 'T1-V000001',
  origin: 'return',
  from: 'T1-000002',
  amount_cents: 390,
  balance_cents: 390,
  expires: '2027-12-07',
  status: 'open',
  issued_at: '07/12/2026 10:00:00',
  code: 'AV1-T1-V000001-390-20271207-00',
  uses: [],
};

it('pays 2,00 € of a 3,90 € avoir, shows 1,90 € left on it, the rest in cash', async () => {
  fakeBackend({ avoir_check: () => AVOIR });
  const record = vi.fn(async () => ({ recorded: { number: 'T1-000003' } }) as never);
  render(PaymentDialog, { total: 235, record, onpaid: () => {}, onclose: () => {} });
  await fireEvent.click(screen.getByTestId('method-store_credit'));
  await fireEvent.input(screen.getByTestId('avoir-code'), { target: { value: 't1-v000001' } });
  await fireEvent.submit(screen.getByTestId('avoir-tender'));
  await expect.poll(() => screen.queryByTestId('avoir-checked')).not.toBeNull();
  expect(text('avoir-checked')).toBe('Avoir T1-V000001 : solde 3,90 €, valable jusqu’au 07/12/2027');
  expect(text('avoir-left')).toBe('Restera sur l’avoir : 1,55 €');
  await fireEvent.input(screen.getByTestId('avoir-amount-used'), { target: { value: '2,00' } });
  expect(text('avoir-left')).toBe('Restera sur l’avoir : 1,90 €');
  await fireEvent.click(screen.getByTestId('avoir-use'));
  expect(text('pay-remaining')).toBe('0,35 €');
  await fireEvent.click(screen.getByTestId('method-cash'));
  await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: '0,35' } });
  await fireEvent.click(screen.getByTestId('tender-add'));
  await fireEvent.click(screen.getByTestId('pay-validate'));
  await expect.poll(() => record.mock.calls.length).toBe(1);
  expect((record.mock.calls[0] as unknown[])[0]).toEqual([
    { method: 'store_credit', amount_cents: 200, tendered_cents: null, reference: 'T1-V000001' },
    { method: 'cash', amount_cents: 35, tendered_cents: 35, reference: null },
  ]);
});

it.each<[name: string, avoir: Partial<AvoirView>, message: string]>([
  ['spent', { balance_cents: 0, status: 'spent' }, 'Cet avoir est entièrement utilisé.'],
  ['expired', { status: 'expired' }, 'Cet avoir a expiré le 07/12/2027.'],
])('an avoir %s cannot be used', async (_name, changed, message) => {
  fakeBackend({ avoir_check: () => ({ ...AVOIR, ...changed }) });
  render(PaymentDialog, { total: 235, record: vi.fn(), onpaid: () => {}, onclose: () => {} });
  await fireEvent.click(screen.getByTestId('method-store_credit'));
  await fireEvent.input(screen.getByTestId('avoir-code'), { target: { value: 'T1-V000001' } });
  await fireEvent.submit(screen.getByTestId('avoir-tender'));
  await expect.poll(() => screen.queryByTestId('avoir-checked')).not.toBeNull();
  expect(text('avoir-checked')).toContain(message);
  expect(screen.queryByTestId('avoir-use')).toBeNull();
});

it('shows why a forged code is refused', async () => {
  const why = 'avoir refusé : la signature ne correspond pas (code falsifié, modifié, ou d’un autre magasin)';
  fakeBackend({ avoir_check: () => refusal('invalid_input', why) });
  render(PaymentDialog, { total: 235, record: vi.fn(), onpaid: () => {}, onclose: () => {} });
  await fireEvent.click(screen.getByTestId('method-store_credit'));
  await fireEvent.input(screen.getByTestId('avoir-code'), { target: { value: 'AV1-T1-V000001-9900-20271207-00' } });
  await fireEvent.submit(screen.getByTestId('avoir-tender'));
  await expect.poll(() => screen.queryByTestId('avoir-error')).not.toBeNull();
  expect(text('avoir-error')).toBe(why);
});
