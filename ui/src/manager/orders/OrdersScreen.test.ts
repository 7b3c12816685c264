import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SaleInput, StaffView, Ticket } from '../../lib/api';
import { fakeBackend, refusal } from '../../test/tauri';
import type { OrderView } from './api';
import CancelDialog from './CancelDialog.svelte';
import OrdersScreen from './OrdersScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const paul: StaffView = { id: 2, name: 'Paul', role: 'cashier', active: true };

function order(deposit: number): OrderView {
  return {
    number: 'T1-C000001',
    id: 'id-c1',
    created: '28/11/2026 10:00:00',
    customer: { name: 'Mme Durand', phone: '06 12 34 56 78', email: null, address: null },
    lines: [{ label: 'Gâteau 8 parts', qty: '1', unit_price_cents: 3200, total_cents: 3200 }],
    total_cents: 3200,
    deposits_cents: deposit,
    balance_cents: 3200 - deposit,
    status: 'open',
    requested_date: '2026-12-05',
    fulfilment: 'pickup',
    note: null,
    sale: null,
    history: [{ number: 'T1-C000001', local_time: '28/11/2026 10:00:00', operator: 'Paul', what: 'Commande prise (32,00 €)' }],
  };
}

/** The backend's answer to `price_sale`: here each line costs `total`, whatever is typed, so
 *  that a figure on screen can only be the backend's. */
function ticket(sale: SaleInput, total: (unit: number) => number): Ticket {
  const lines = sale.lines.map((l) => {
    const cents = total(l.unit_price_cents ?? 0);
    const qty_milli = 1000;
    const rate = l.vat_rate_bp ?? 0;
    return { label: l.label ?? '', qty_milli, unit_price_cents: l.unit_price_cents ?? 0, vat_rate_bp: rate, gross_cents: cents, discount_cents: 0, ticket_discount_cents: 0, total_cents: cents, ht_cents: cents };
  });
  return { lines, ticket_discount_cents: 0, vat: [], total_cents: lines.reduce((sum, l) => sum + l.total_cents, 0), payments: [] };
}

const status = {
  shop: { name: 'Pâtisserie Wach', address: '1 rue A', siret: '1', vat_number: '' },
  till: 'T1',
  today: '2026-11-28',
};

describe('taking an order', () => {
  it('takes the deposit by card with its terminal reference, then shows the slip with the balance', async () => {
    const backend = fakeBackend({
      status: () => status,
      orders: () => [],
      vat_rates: () => [2000, 1000, 850, 550, 210],
      price_sale: (args) => ticket(args.sale as SaleInput, (unit) => unit),
      create_order: () => order(1000),
      qr_code: () => ({ path: 'M0 0h1v1h-1z', size: 21 }),
    });
    render(OrdersScreen, { operator: paul, ondone: () => {} });
    await fireEvent.click(screen.getByTestId('orders-tab-new'));
    await fireEvent.input(screen.getByTestId('order-name'), { target: { value: 'Mme Durand' } });
    await fireEvent.input(screen.getByTestId('order-phone'), { target: { value: '06 12 34 56 78' } });
    await fireEvent.input(screen.getByTestId('order-line-free'), { target: { value: 'Gâteau 8 parts' } });
    await fireEvent.click(screen.getByTestId('order-line-free-add'));
    await fireEvent.input(await screen.findByTestId('order-line-price'), { target: { value: '32' } });
    await fireEvent.input(screen.getByTestId('order-date'), { target: { value: '5/12' } });
    await fireEvent.input(screen.getByTestId('order-deposit'), { target: { value: '10' } });
    await vi.waitFor(() => expect(screen.getByTestId('order-total').textContent).toBe('32,00\u202f€'));
    expect(screen.getByTestId('order-balance').textContent).toBe('22,00\u202f€');

    await fireEvent.click(screen.getByTestId('order-submit'));
    await screen.findByTestId('deposit-dialog');
    expect(backend.calls.map((c) => c.command)).not.toContain('create_order');
    await fireEvent.click(screen.getByTestId('deposit-method-card'));
    await fireEvent.input(screen.getByTestId('tender-reference'), { target: { value: 'TPE 004512' } });
    await fireEvent.click(screen.getByTestId('tender-add'));
    await fireEvent.click(await screen.findByTestId('deposit-validate'));

    expect((await screen.findByTestId('order-created')).textContent).toContain('T1-C000001');
    expect(screen.getByTestId('slip-balance').textContent).toBe('22,00 EUR');
    expect(await screen.findByTestId('slip-qr')).toBeTruthy();
    const sent = backend.calls.find((c) => c.command === 'create_order')?.args.order as Record<string, unknown>;
    expect(sent.requested_date).toBe('2026-12-05');
    expect(sent.deposit).toEqual([{ method: 'card', amount_cents: 1000, tendered_cents: null, reference: 'TPE 004512' }]);
  });

  it('offers the till’s VAT rates for a line typed by hand, and shows the totals the backend gives', async () => {
    const backend = fakeBackend({
      status: () => status,
      orders: () => [],
      vat_rates: () => [850, 2000],
      price_sale: (args) => ticket(args.sale as SaleInput, (unit) => unit + 1),
    });
    render(OrdersScreen, { operator: paul, ondone: () => {} });
    await fireEvent.click(screen.getByTestId('orders-tab-new'));
    await vi.waitFor(() => expect(backend.calls.map((c) => c.command)).toContain('vat_rates'));
    await fireEvent.input(screen.getByTestId('order-line-free'), { target: { value: 'Fiadone' } });
    await fireEvent.click(screen.getByTestId('order-line-free-add'));
    await fireEvent.input(await screen.findByTestId('order-line-price'), { target: { value: '32' } });
    const rate = screen.getByRole('combobox', { name: 'TVA' }) as HTMLSelectElement;
    expect([...rate.options].map((o) => o.textContent)).toEqual(['8,5\u00a0%', '20\u00a0%']);
    expect(rate.value).toBe('850');
    await fireEvent.input(screen.getByTestId('order-deposit'), { target: { value: '10' } });

    // 32,00 typed; the backend says 32,01: that is what is shown, and what the deposit leaves.
    await vi.waitFor(() => expect(screen.getByTestId('order-total').textContent).toBe('32,01\u202f€'));
    expect(screen.getByTestId('order-line-total').textContent?.trim()).toBe('32,01\u202f€');
    expect(screen.getByTestId('order-lines-total').textContent).toBe('32,01\u202f€');
    expect(screen.getByTestId('order-balance').textContent).toBe('22,01\u202f€');
    const priced = backend.calls.filter((c) => c.command === 'price_sale').at(-1)?.args.sale as SaleInput;
    expect(priced.lines.map((l) => [l.label, l.qty, l.unit_price_cents, l.vat_rate_bp])).toEqual([['Fiadone', '1', 3200, 850]]);
  });

  it('refuses an order without a way to reach the customer before asking the backend', async () => {
    const backend = fakeBackend({ status: () => status, orders: () => [] });
    render(OrdersScreen, { operator: paul, ondone: () => {} });
    await fireEvent.click(screen.getByTestId('orders-tab-new'));
    await fireEvent.input(screen.getByTestId('order-name'), { target: { value: 'Mme Durand' } });
    await fireEvent.click(screen.getByTestId('order-submit'));
    expect(screen.getByTestId('order-problem').textContent).toBe('Indiquez un téléphone ou un e-mail pour prévenir le client.');
    expect(backend.calls.map((c) => c.command)).not.toContain('create_order');
  });
});

describe('cancelling an order', () => {
  it('keeps the deposit as store credit without asking anyone', async () => {
    const backend = fakeBackend({ cancel_order: () => ({ ...order(1000), status: 'cancelled' }) });
    const cancelled = vi.fn();
    render(CancelDialog, { order: order(1000), oncancelled: cancelled, onclose: () => {} });
    await fireEvent.input(screen.getByTestId('cancel-reason'), { target: { value: 'Client absent' } });
    await fireEvent.click(screen.getByTestId('cancel-confirm'));
    await vi.waitFor(() => expect(cancelled).toHaveBeenCalled());
    expect(backend.calls[0]?.args).toEqual({ reference: 'T1-C000001', refundMethod: null, reason: 'Client absent', approval: null });
  });

  it('asks a manager when a cashier refunds the deposit, and sends the same cancellation again', async () => {
    const backend = fakeBackend({
      staff: () => [{ id: 1, name: 'Marie', role: 'manager', active: true }, paul],
      cancel_order: (args) => {
        if (args.approval === null) refusal('forbidden', 'action réservée à un responsable');
        return { ...order(1000), status: 'cancelled' };
      },
    });
    const cancelled = vi.fn();
    render(CancelDialog, { order: order(1000), oncancelled: cancelled, onclose: () => {} });
    await fireEvent.input(screen.getByTestId('cancel-reason'), { target: { value: 'Erreur' } });
    await fireEvent.click(screen.getByTestId('cancel-refund-cash'));
    await fireEvent.click(screen.getByTestId('cancel-confirm'));
    await fireEvent.input(await screen.findByTestId('approval-pin'), { target: { value: '1234' } });
    await fireEvent.click(screen.getByTestId('approval-pin-ok'));
    await vi.waitFor(() => expect(cancelled).toHaveBeenCalled());
    expect(backend.calls.filter((c) => c.command === 'cancel_order').map((c) => c.args)).toEqual([
      { reference: 'T1-C000001', refundMethod: 'cash', reason: 'Erreur', approval: null },
      { reference: 'T1-C000001', refundMethod: 'cash', reason: 'Erreur', approval: { manager: 'Marie', pin: '1234' } },
    ]);
  });
});
