import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import type { SaleDone, SaleOptions } from '../lib/api';
import { fakeBackend } from '../test/tauri';
import type { PaymentInput } from '../lib/bindings/PaymentInput';
import PaymentDialog from './PaymentDialog.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

function text(id: string): string {
  return (screen.getByTestId(id).textContent ?? '').replace(/[\s\u202f]+/g, ' ').trim();
}

it('takes 5,00 € by card and 10,00 € cash for 7,80 €, shows 7,20 € to give back, then records', async () => {
  const done = { recorded: { number: 'T1-000001' } } as SaleDone;
  const record = vi.fn(async (_payments: PaymentInput[]) => done);
  const onpaid = vi.fn();
  render(PaymentDialog, { total: 780, record, onpaid, onclose: () => {} });
  expect(text('pay-remaining')).toBe('7,80 €');
  expect((screen.getByTestId('pay-validate') as HTMLButtonElement).disabled).toBe(true);

  await fireEvent.click(screen.getByTestId('method-card'));
  await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: '5,00' } });
  await fireEvent.input(screen.getByTestId('tender-reference'), { target: { value: 'TPE-4242' } });
  await fireEvent.click(screen.getByTestId('tender-add'));
  expect(text('pay-remaining')).toBe('2,80 €');

  await fireEvent.click(screen.getByTestId('method-cash'));
  await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: '10' } });
  expect(text('live-change')).toBe('À rendre : 7,20 €');
  await fireEvent.click(screen.getByTestId('tender-add'));
  expect(text('pay-remaining')).toBe('0,00 €');
  expect(text('pay-change')).toBe('À rendre : 7,20 €');

  await fireEvent.click(screen.getByTestId('pay-validate'));
  await expect.poll(() => onpaid.mock.calls.length).toBe(1);
  expect(record.mock.calls[0]?.[0]).toEqual([
    { method: 'card', amount_cents: 500, tendered_cents: null, reference: 'TPE-4242' },
    { method: 'cash', amount_cents: 280, tendered_cents: 1000, reference: null },
  ]);
  expect(onpaid).toHaveBeenCalledWith(done);
});

it.each<[name: string, method: string, amount: string, reference: string, problem: string]>([
  ['a card amount above what is due', 'card', '9,00', '', 'Le montant dépasse le reste à payer : seules les espèces permettent de rendre la monnaie.'],
  ['"other" without its label', 'other', '7,80', '', 'Le libellé est obligatoire pour le moyen « Autre ».'],
  ['no cash amount', 'cash', '', '', 'Saisissez le montant remis par le client.'],
])('refuses %s before anything is sent', async (_name, method, amount, reference, problem) => {
  const record = vi.fn();
  render(PaymentDialog, { total: 780, record, onpaid: () => {}, onclose: () => {} });
  await fireEvent.click(screen.getByTestId(`method-${method}`));
  await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: amount } });
  if (method !== 'cash') await fireEvent.input(screen.getByTestId('tender-reference'), { target: { value: reference } });
  await fireEvent.click(screen.getByTestId('tender-add'));
  expect(text('tender-problem')).toBe(problem);
  expect(text('pay-remaining')).toBe('7,80 €');
  expect(record).not.toHaveBeenCalled();
});

it('shows the backend refusal and stays open', async () => {
  const record = vi.fn(async () => {
    throw { kind: 'disk_full', message: 'disque plein : la vente n’a pas été enregistrée' };
  });
  const onpaid = vi.fn();
  render(PaymentDialog, { total: 500, record, onpaid, onclose: () => {} });
  await fireEvent.click(screen.getAllByTestId('cash-quick')[0] as HTMLElement);
  await fireEvent.click(screen.getByTestId('pay-validate'));
  await expect.poll(() => screen.queryByTestId('pay-error')?.dataset.kind).toBe('disk_full');
  expect(onpaid).not.toHaveBeenCalled();
});

it('asks a manager for what the caller names when the store refuses (an order’s discount), then records with the approval', async () => {
  fakeBackend({ staff: () => [{ id: 1, name: 'Marie', role: 'manager', active: true }] });
  const done = { recorded: { number: 'T1-000009' } } as SaleDone;
  const record = vi.fn(async (_payments: PaymentInput[], options: SaleOptions | null) => {
    if (options?.approval == null) throw { kind: 'forbidden', message: 'une remise dépasse le seuil du magasin' };
    return done;
  });
  const onpaid = vi.fn();
  render(PaymentDialog, {
    total: 7000,
    record,
    onpaid,
    onclose: () => {},
    approvalWhat: () => 'La remise de la commande T1-C000004 au-delà du seuil du magasin (total 70,00 €)',
  });
  await fireEvent.click(screen.getByTestId('method-card'));
  await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: '70' } });
  await fireEvent.click(screen.getByTestId('tender-add'));
  await fireEvent.click(screen.getByTestId('pay-validate'));
  expect((await screen.findByTestId('approval-why')).textContent).toBe(
    'La remise de la commande T1-C000004 au-delà du seuil du magasin (total 70,00 €) : à autoriser par un responsable, qui saisit son code PIN.',
  );
  await fireEvent.input(await screen.findByTestId('approval-pin'), { target: { value: '1234' } });
  await fireEvent.click(screen.getByTestId('approval-pin-ok'));
  await expect.poll(() => onpaid.mock.calls.length).toBe(1);
  expect(record.mock.calls[1]?.[1]).toEqual({ allow_expired: false, external_vouchers: [], approval: { manager: 'Marie', pin: '1234' } });
});
