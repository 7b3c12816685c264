import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ReceiptDoc, SaleForReturn, StaffView } from '../lib/api';
import { fakeBackend, refusal } from '../test/tauri';
import Returns from './Returns.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const paul: StaffView = { id: 2, name: 'Paul', role: 'cashier', active: true };

function receipt(number: string, title: string, total: number): ReceiptDoc {
  return {
    shop: { name: 'Épicerie', address: '1 rue A', siret: '1', vat_number: '' },
    title,
    number,
    id: `id-${number}`,
    local_time: '28/11/2026 15:00:00',
    till: 'T1',
    operator: 'Paul',
    copy_no: null,
    training: false,
    corrects: title === 'VENTE' ? null : 'T1-000001',
    reason: null,
    lines: [],
    ticket_discount_cents: 0,
    total_cents: total,
    vat: [],
    payments: title === 'VENTE' ? [] : [{ label: title === 'ANNULATION' ? 'Carte bancaire' : 'Espèces', amount_cents: total, tendered_cents: null, change_cents: null }],
    line_count: 0,
    item_count: '0',
    note: null,
    hash_extract: 'abcd1234',
    software: '0.1.0',
    qr_text: '',
    qr_path: '',
    qr_size: 0,
  };
}

const sale: SaleForReturn = {
  receipt: receipt('T1-000001', 'VENTE', 780),
  lines: [
    { line: 0, label: 'Crème', sold: '1', left: '1', left_milli: 1000, sold_milli: 1000, total_cents: 235, left_cents: 235 },
    { line: 1, label: 'Bière', sold: '2', left: '2', left_milli: 2000, sold_milli: 2000, total_cents: 390, left_cents: 390 },
  ],
  voided: false,
  refunded: false,
};

describe('returns', () => {
  it('asks a manager when the backend refuses a cashier, and retries with the approval', async () => {
    const backend = fakeBackend({
      find_sale: () => sale,
      staff: () => [{ id: 1, name: 'Marie', role: 'manager', active: true }, paul],
      refund: (args) => {
        const request = args.request as { approval: { manager: string; pin: string } | null };
        if (request.approval === null) refusal('forbidden', 'action non autorisée');
        if (request.approval.pin !== '1234') refusal('bad_credentials', 'nom ou code PIN incorrect');
        return { recorded: { id: 'r', number: 'T1-000002', pos: 9, total_cents: -195, hash: 'h', duplicate: false, warnings: [] }, receipt: receipt('T1-000002', 'REMBOURSEMENT', -195) };
      },
    });
    render(Returns, { operator: paul, ondone: () => {} });
    await fireEvent.input(screen.getByTestId('return-reference'), { target: { value: 'T1-000001' } });
    await fireEvent.submit(screen.getByTestId('return-reference').closest('form') as HTMLFormElement);
    await screen.findAllByTestId('return-line');

    await fireEvent.click(screen.getAllByTestId('return-all')[1] as HTMLElement);
    expect((screen.getAllByTestId('return-qty')[1] as HTMLInputElement).value).toBe('2');
    await fireEvent.input(screen.getByTestId('return-reason'), { target: { value: 'Cassé' } });
    await fireEvent.click(screen.getByTestId('refund'));

    // What is approved, and for how much.
    expect((await screen.findByTestId('approval-why')).textContent).toBe(
      'Le remboursement de 3,90\u202f€ (Bière × 2) sur T1-000001 : à autoriser par un responsable, qui saisit son code PIN.',
    );
    const pin = await screen.findByTestId('approval-pin');
    await fireEvent.input(pin, { target: { value: '0000' } });
    await fireEvent.click(screen.getByTestId('approval-pin-ok'));
    expect((await screen.findByTestId('approval-error')).dataset.kind).toBe('bad_credentials');

    await fireEvent.input(screen.getByTestId('approval-pin'), { target: { value: '1234' } });
    await fireEvent.click(screen.getByTestId('approval-pin-ok'));
    expect((await screen.findByTestId('return-done')).textContent).toContain('T1-000002');
    expect(screen.queryByTestId('approval-dialog')).toBeNull();
    expect(screen.getByTestId('give-back').textContent?.trim()).toBe('Rendez 1,95\u202f€ au client');

    const refunds = backend.calls.filter((c) => c.command === 'refund').map((c) => c.args.request);
    expect(refunds).toEqual([
      { sale: 'id-T1-000001', lines: [{ line: 1, qty: '2' }], method: 'cash', reference: null, reason: 'Cassé', approval: null },
      { sale: 'id-T1-000001', lines: [{ line: 1, qty: '2' }], method: 'cash', reference: null, reason: 'Cassé', approval: { manager: 'Marie', pin: '0000' } },
      { sale: 'id-T1-000001', lines: [{ line: 1, qty: '2' }], method: 'cash', reference: null, reason: 'Cassé', approval: { manager: 'Marie', pin: '1234' } },
    ]);
  });

  async function found() {
    const backend = fakeBackend({
      find_sale: () => sale,
      staff: () => [],
      void_sale: () => ({ recorded: { id: 'v', number: 'T1-000003', pos: 9, total_cents: -780, hash: 'h', duplicate: false, warnings: [] }, receipt: receipt('T1-000003', 'ANNULATION', -780) }),
    });
    render(Returns, { operator: { ...paul, role: 'manager' }, ondone: () => {} });
    await fireEvent.input(screen.getByTestId('return-reference'), { target: { value: 'T1-000001' } });
    await fireEvent.submit(screen.getByTestId('return-reference').closest('form') as HTMLFormElement);
    await screen.findAllByTestId('return-line');
    return backend;
  }

  it.each<[name: string, qty: [string, string], reason: string, problem: string]>([
    ['no reason', ['1', ''], '', 'Indiquez le motif.'],
    ['no quantity', ['', ''], 'Cassé', 'Indiquez la quantité rendue d’au moins une ligne.'],
    ['more than is left', ['2', ''], 'Cassé', 'Ligne 1 : 1 au plus peut être rendu.'],
    ['not a quantity', ['', 'deux'], 'Cassé', 'Ligne 2 : quantité invalide.'],
  ])('refuses a refund with %s before asking the backend', async (_name, qty, reason, problem) => {
    const backend = await found();
    const inputs = screen.getAllByTestId('return-qty');
    for (const [i, value] of qty.entries()) await fireEvent.input(inputs[i] as HTMLElement, { target: { value } });
    await fireEvent.input(screen.getByTestId('return-reason'), { target: { value: reason } });
    await fireEvent.click(screen.getByTestId('refund'));
    expect(screen.getByTestId('return-problem').textContent).toBe(problem);
    expect(backend.calls.map((c) => c.command)).not.toContain('refund');
  });

  it('voids the whole sale only after a confirmation', async () => {
    const backend = await found();
    await fireEvent.input(screen.getByTestId('return-reason'), { target: { value: 'Erreur de caisse' } });
    await fireEvent.click(screen.getByTestId('void-sale'));
    expect(screen.getByTestId('void-sale').textContent).toContain('Confirmer l’annulation de T1-000001');
    expect(backend.calls.map((c) => c.command)).not.toContain('void_sale');
    await fireEvent.click(screen.getByTestId('void-sale'));
    expect((await screen.findByTestId('return-done')).textContent).toContain('T1-000003');
    expect(screen.getByTestId('give-back').textContent?.trim()).toBe('7,80\u202f€ rendus au client — Carte bancaire');
    expect(backend.calls.find((c) => c.command === 'void_sale')?.args).toEqual({
      reference: 'id-T1-000001',
      reason: 'Erreur de caisse',
      approval: null,
    });
  });
});
