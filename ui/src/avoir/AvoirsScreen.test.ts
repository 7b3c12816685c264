import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { StaffView } from '../lib/api';
import { fakeBackend, refusal } from '../test/tauri';
import PaymentDialog from '../counter/PaymentDialog.svelte';
import type { AvoirBook, AvoirView } from './api';
import AvoirSection from './AvoirSection.svelte';
import AvoirsScreen from './AvoirsScreen.svelte';
import DepositAvoir from './DepositAvoir.svelte';
import PrintSlip from './PrintSlip.svelte';
import { printer } from '../lib/printer.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

function text(id: string): string {
  return (screen.getByTestId(id).textContent ?? '').replace(/[\s\u202f]+/g, ' ').trim();
}

const paul: StaffView = { id: 2, name: 'Paul', role: 'cashier', active: true };
const marie: StaffView = { id: 1, name: 'Marie', role: 'manager', active: true };
const SETTINGS = { validity_days: 365, issue_needs_manager: false, external_approval_cents: 5000 };

const GIFT: AvoirView = {
  number: 'T1-V000003',
  origin: 'gift',
  from: null,
  amount_cents: 2500,
  balance_cents: 2500,
  expires: '2027-12-07',
  status: 'open',
  issued_at: '07/12/2026 10:00:00',
  code: 'AV1-T1-V000003-2500-20271207-00',
  uses: [],
};

const BOOK: AvoirBook = {
  shop: 'Boulangerie Test',
  outstanding_cents: 2690,
  avoirs: [
    {
      ...GIFT,
      number: 'T1-V000001',
      origin: 'return',
      from: 'T1-000002',
      amount_cents: 390,
      balance_cents: 190,
      uses: [{ number: 'T1-U000001', local_time: '07/12/2026 11:00:00', operator: 'Paul', amount_cents: 200, balance_cents: 190, sale: 'T1-000003', approved_by: null }],
    },
    GIFT,
    { ...GIFT, number: 'T2-V000001', origin: null, code: null, issued_at: null, balance_cents: 0, status: 'spent' },
  ],
  external: [
    { number: 'T1-U000002', code: 'SAAS-778812', amount_cents: 6000, local_time: '07/12/2026 12:00:00', operator: 'Paul', sale: null, approved_by: 'Marie' },
  ],
};

async function approve() {
  await fireEvent.input(await screen.findByTestId('approval-pin'), { target: { value: '1234' } });
  await fireEvent.click(screen.getByTestId('approval-pin-ok'));
}

describe('at payment', () => {
  it('lets an expired avoir pay once a manager approves: the sale is sent again with the approval', async () => {
    fakeBackend({ avoir_check: () => ({ ...GIFT, status: 'expired', expires: '2026-12-01' }), staff: () => [marie, paul] });
    const record = vi.fn(async (_payments: unknown, options: { approval: unknown } | null) => {
      if (options?.approval === null) refusal('forbidden', 'action réservée à un responsable');
      return { recorded: { number: 'T1-000004' } } as never;
    });
    const onpaid = vi.fn();
    render(PaymentDialog, { total: 1000, record, onpaid, onclose: () => {} });
    await fireEvent.click(screen.getByTestId('method-store_credit'));
    await fireEvent.input(screen.getByTestId('avoir-code'), { target: { value: 'T1-V000003' } });
    await fireEvent.submit(screen.getByTestId('avoir-tender'));
    await expect.poll(() => screen.queryByTestId('avoir-override')).not.toBeNull();
    expect(screen.queryByTestId('avoir-use')).toBeNull();
    await fireEvent.click(screen.getByTestId('avoir-override'));
    await fireEvent.click(screen.getByTestId('avoir-use'));
    await fireEvent.click(screen.getByTestId('pay-validate'));
    await approve();
    await vi.waitFor(() => expect(onpaid).toHaveBeenCalled());
    expect(record.mock.calls.map((c) => c[1])).toEqual([
      { allow_expired: true, external_vouchers: [], approval: null },
      { allow_expired: true, external_vouchers: [], approval: { manager: 'Marie', pin: '1234' } },
    ]);
  });

  it.each<[name: string, tick: boolean, code: string, options: unknown, problem: string | null]>([
    ['a voucher of the SaaS (the default)', false, 'SAAS-1', { allow_expired: false, external_vouchers: [1], approval: null }, null],
    ['another voucher, unticked', true, 'CADHOC-9', null, null],
    ['a voucher of the SaaS with no code', false, '', null, 'Le code du bon externe est obligatoire : le logiciel en aura besoin pour le rapprocher.'],
  ])('%s', async (_name, untick, code, options, problem) => {
    fakeBackend({});
    const record = vi.fn(async () => ({ recorded: { number: 'T1-000004' } }) as never);
    render(PaymentDialog, { total: 1000, record, onpaid: () => {}, onclose: () => {} });
    await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('tender-add'));
    await fireEvent.click(screen.getByTestId('method-voucher'));
    await fireEvent.input(screen.getByTestId('tender-reference'), { target: { value: code } });
    if (untick) await fireEvent.click(screen.getByTestId('tender-external'));
    await fireEvent.click(screen.getByTestId('tender-add'));
    if (problem !== null) {
      expect(text('tender-problem')).toBe(problem);
      return;
    }
    await fireEvent.click(screen.getByTestId('pay-validate'));
    await expect.poll(() => record.mock.calls.length).toBe(1);
    expect((record.mock.calls[0] as unknown[])[1]).toEqual(options);
  });
});

describe('the avoirs screen', () => {
  it('sells a gift voucher paid by card and shows its slip', async () => {
    const backend = fakeBackend({ avoir_list: () => BOOK, avoir_settings: () => SETTINGS, avoir_sell: () => GIFT, qr_code: () => ({ path: 'M0 0h1v1H0z', size: 21 }) });
    render(AvoirsScreen, { operator: paul, ondone: () => {} });
    expect(screen.queryByTestId('avoirs-tab-list')).toBeNull();
    await fireEvent.input(screen.getByTestId('voucher-amount'), { target: { value: '25' } });
    await fireEvent.click(screen.getByTestId('voucher-method-card'));
    await fireEvent.input(screen.getByTestId('voucher-reference'), { target: { value: 'TPE 0042' } });
    await fireEvent.click(screen.getByTestId('voucher-confirm'));
    await expect.poll(() => screen.queryByTestId('voucher-sold')).not.toBeNull();
    expect(backend.calls.find((c) => c.command === 'avoir_sell')?.args).toEqual({
      amountCents: 2500,
      payments: [{ method: 'card', amount_cents: 2500, tendered_cents: null, reference: 'TPE 0042' }],
    });
    expect(text('voucher-sold')).toBe('Bon cadeau T1-V000003 vendu : 25,00 €.');
    expect(text('avoir-slip')).toContain('BON CADEAU');
    expect(text('avoir-amount')).toBe('25,00 €');
  });

  it('records an external voucher over the threshold once a manager approves', async () => {
    const backend = fakeBackend({
      avoir_list: () => BOOK,
      avoir_settings: () => SETTINGS,
      staff: () => [marie, paul],
      avoir_external: (args) => {
        if (args.approval === null) refusal('forbidden', 'action réservée à un responsable');
        return BOOK.external[0];
      },
    });
    render(AvoirsScreen, { operator: paul, ondone: () => {} });
    await fireEvent.click(screen.getByTestId('avoirs-tab-external'));
    await expect.poll(() => text('external-form')).toContain('Au-delà de 50,00 €');
    await fireEvent.input(screen.getByTestId('external-code'), { target: { value: 'SAAS-778812' } });
    await fireEvent.input(screen.getByTestId('external-amount'), { target: { value: '60' } });
    await fireEvent.click(screen.getByTestId('external-confirm'));
    await approve();
    await expect.poll(() => screen.queryByTestId('external-done')).not.toBeNull();
    expect(backend.calls.filter((c) => c.command === 'avoir_external').map((c) => c.args)).toEqual([
      { code: 'SAAS-778812', amountCents: 6000, sale: null, approval: null },
      { code: 'SAAS-778812', amountCents: 6000, sale: null, approval: { manager: 'Marie', pin: '1234' } },
    ]);
    expect(text('external-done')).toBe('Bon externe SAAS-778812 enregistré (T1-U000002) : 60,00 €.');
  });

  it('lists avoirs with their balance, state and uses, the outstanding total and the external vouchers', async () => {
    fakeBackend({ avoir_list: () => BOOK, avoir_settings: () => SETTINGS });
    render(AvoirsScreen, { operator: marie, ondone: () => {} });
    await fireEvent.click(screen.getByTestId('avoirs-tab-list'));
    await expect.poll(() => screen.queryAllByTestId('avoir-row').length).toBe(3);
    expect(text('avoirs-outstanding')).toBe('Encours (ce que le magasin doit en avoirs et bons) : 26,90 €');
    const rows = screen.getAllByTestId('avoir-row').map((r) => [r.dataset.number, r.dataset.status, r.querySelector('[data-testid="avoir-balance"]')?.textContent?.replace(/\s/g, ' ')]);
    expect(rows).toEqual([
      ['T1-V000001', 'open', '1,90 €'],
      ['T1-V000003', 'open', '25,00 €'],
      ['T2-V000001', 'spent', '0,00 €'],
    ]);
    expect(text('avoir-use')).toBe('T1-U000001 : 2,00 € le 07/12/2026 11:00:00 (ticket T1-000003), reste 1,90 €');
    const cells = screen.getAllByTestId('external-row').map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.replace(/[\s\u202f]+/g, ' ')));
    expect(cells).toEqual([['T1-U000002', 'SAAS-778812', '60,00 €', '07/12/2026 12:00:00', 'Paul', '—', 'Marie']]);
  });
});

it('saves the avoir rules from Réglages', async () => {
  const backend = fakeBackend({ avoir_settings: () => SETTINGS, set_avoir_settings: () => null });
  render(AvoirSection);
  await expect.poll(() => screen.queryByTestId('avoirs-validity')).not.toBeNull();
  expect((screen.getByTestId('avoirs-threshold') as HTMLInputElement).value).toBe('50,00');
  await fireEvent.input(screen.getByTestId('avoirs-validity'), { target: { value: '730' } });
  await fireEvent.input(screen.getByTestId('avoirs-threshold'), { target: { value: '100' } });
  await fireEvent.click(screen.getByTestId('avoirs-issue-manager'));
  await fireEvent.click(screen.getByTestId('avoirs-settings-save'));
  await expect.poll(() => screen.queryByTestId('avoirs-settings-saved')).not.toBeNull();
  expect(backend.calls.find((c) => c.command === 'set_avoir_settings')?.args).toEqual({
    settings: { validity_days: 730, issue_needs_manager: true, external_approval_cents: 10000 },
  });
});

it('issues the avoir of a cancelled order’s kept deposit, once', async () => {
  const backend = fakeBackend({
    avoir_list: () => ({ ...BOOK, avoirs: [] }),
    avoir_issue: () => ({ ...GIFT, origin: 'deposit', from: 'T1-C000001', amount_cents: 1000, balance_cents: 1000 }),
    qr_code: () => ({ path: 'M0 0h1v1H0z', size: 21 }),
  });
  const onissued = vi.fn();
  render(DepositAvoir, { order: 'T1-C000001', deposit: 1000, onissued });
  await fireEvent.click(await screen.findByTestId('deposit-avoir-issue'));
  await expect.poll(() => screen.queryByTestId('deposit-avoir-issued')).not.toBeNull();
  expect(backend.calls.find((c) => c.command === 'avoir_issue')?.args).toEqual({ from: 'T1-C000001', approval: null });
  expect(onissued).toHaveBeenCalled();
  expect(text('avoir-slip')).toContain('Remboursement T1-C000001');
});

it.each<[name: string, answer: () => unknown, shown: string]>([
  ['prints the slip on the thermal printer', () => 'T1-V000003', 'Bon T1-V000003 envoyé à l’imprimante.'],
  ['says why the printer refused', () => refusal('printer_paper_out', 'plus de papier'), 'plus de papier'],
])('%s', async (_name, answer, shown) => {
  const backend = fakeBackend({ print_avoir_slip: answer, qr_code: () => ({ path: 'M0 0h1v1H0z', size: 21 }) });
  printer.settings = { uri: 'tcp://127.0.0.1:9100' } as never;
  render(PrintSlip, { avoir: GIFT, shop: 'Boulangerie Test' });
  await fireEvent.click(screen.getByTestId('avoir-print'));
  await expect.poll(() => screen.queryByRole(shown.startsWith('Bon') ? 'status' : 'alert')?.textContent).toBe(shown);
  expect(backend.calls).toEqual([{ command: 'print_avoir_slip', args: { number: 'T1-V000003' } }]);
  printer.settings = null;
});
