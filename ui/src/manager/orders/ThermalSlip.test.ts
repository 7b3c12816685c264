import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { printer, type PrinterSettings } from '../../lib/printer.svelte';
import { fakeBackend, refusal } from '../../test/tauri';
import OrderDetail from './OrderDetail.svelte';
import type { OrderView } from './api';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const thermal: PrinterSettings = {
  uri: 'tcp://127.0.0.1:9100', columns: 42, code_page: 16, print_every_receipt: true, drawer_on_cash: true, cashiers_open_drawer: false,
};

const order: OrderView = {
  number: 'T1-C000003', id: '0193a0e0-0000-7000-8000-000000000003', created: '07/12/2026 10:15:00',
  customer: { name: 'Mme Durand', phone: '06 12 34 56 78' }, lines: [{ label: 'Gâteau', qty: '1', unit_price_cents: 3200, total_cents: 3200 }],
  total_cents: 3200, deposits_cents: 1000, balance_cents: 2200, status: 'open', requested_date: '2026-12-24', fulfilment: 'pickup',
  note: null, sale: null, history: [],
};

// (case, printer address, what the backend answers, what the screen then says or null: no
// thermal button, and the A4 button keeps its name)
it.each<[name: string, uri: string, answer: () => unknown, said: string | null]>([
  ['no receipt printer: the A4 slip only', '', () => 'T1-C000003', null],
  ['printed', thermal.uri, () => 'T1-C000003', 'Bon de commande T1-C000003 imprimé sur l’imprimante de tickets.'],
  ['out of paper', thermal.uri, () => refusal('printer_paper_out', 'plus de papier dans l’imprimante'), 'plus de papier dans l’imprimante'],
])('%s', async (_name, uri, answer, said) => {
  printer.settings = { ...thermal, uri };
  const backend = fakeBackend({ print_order_slip: answer });
  render(OrderDetail, { order, onchange: () => {} });
  const a4 = screen.getByTestId('order-print-slip');
  if (said === null) {
    expect(screen.queryByTestId('order-thermal-slip')).toBeNull();
    expect(a4.textContent?.trim()).toBe('Imprimer le bon de commande');
    return;
  }
  expect(a4.textContent?.trim()).toBe('Bon en A4 (imprimante du bureau)');
  const button = screen.getByTestId('order-thermal-slip');
  expect(button.textContent?.trim()).toBe('Imprimer le bon');
  await fireEvent.click(button);
  await expect.poll(() => screen.queryByTestId('order-thermal-slip-said')?.textContent).toBe(said);
  expect(backend.calls).toEqual([{ command: 'print_order_slip', args: { reference: 'T1-C000003' } }]);
});
