// The counter feeds the display: with the display on, the sale screen's ticket and then the
// sale paid reach the display's window as events (Tauri's events stubbed here).
import { fireEvent, render, screen } from '@testing-library/svelte';
import { emitTo } from '@tauri-apps/api/event';
import { expect, it, vi } from 'vitest';
import type { ProductView, SaleDone, SaleInput, Ticket } from '../lib/api';
import { printer } from '../lib/printer.svelte';
import { fakeBackend } from '../test/tauri';
import { SaleState } from '../counter/sale.svelte';
import SaleScreen from '../counter/SaleScreen.svelte';
import { customerDisplay, DISPLAY_WINDOW, VIEW_EVENT } from './feed.svelte';
import type { DisplayView } from './view';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ emitTo: vi.fn(async () => {}), listen: vi.fn(async () => () => {}) }));

const bread: ProductView = {
  id: 1, sku: null, barcodes: ['3761234500014'], label: 'Baguette', price_cents: 120, vat_rate_bp: 550, department: 'BOUL', unit: 'piece', created_offline: false,
};

function ticket(qty: number): Ticket {
  const total = 120 * qty;
  const line = { label: 'Baguette', qty_milli: qty * 1000, unit_price_cents: 120, vat_rate_bp: 550, gross_cents: total, discount_cents: 0, ticket_discount_cents: 0, total_cents: total, ht_cents: total };
  return { lines: [line], ticket_discount_cents: 0, vat: [], total_cents: total, payments: [] };
}

function done(): SaleDone {
  return {
    recorded: { id: 'id-1', number: 'T1-000001', pos: 3, total_cents: 240, hash: 'h', duplicate: false, warnings: [] },
    receipt: {
      shop: { name: 'Épicerie', address: '', siret: '', vat_number: '' },
      title: 'VENTE', number: 'T1-000001', id: 'id-1', local_time: '', till: 'T1', operator: 'Paul', copy_no: null, training: false, corrects: null, reason: null,
      lines: [{ label: 'Baguette', detail: '2 x 1,20', amount_cents: 240, discount_cents: 0, rate_letter: 'A' }],
      ticket_discount_cents: 0, total_cents: 240, vat: [],
      payments: [{ label: 'Espèces', amount_cents: 240, tendered_cents: 500, change_cents: 260 }],
      line_count: 1, item_count: '2', note: null, hash_extract: '', software: '', qr_text: '', qr_path: '', qr_size: 0,
    },
    opens_drawer: false,
  };
}

/** The views sent to the display's window, in order. */
function sent(): DisplayView[] {
  return vi.mocked(emitTo).mock.calls.map(([target, event, view]) => {
    expect([target, event]).toEqual([DISPLAY_WINDOW, VIEW_EVENT]);
    return view as DisplayView;
  });
}

it('the ticket, then the total, the change and « Merci » reach the display', async () => {
  printer.settings = null;
  fakeBackend({
    display_settings: () => ({ enabled: true }),
    parked: () => [],
    scan_code: () => ({ product: bread, scale: null }),
    price_sale: (args) => ticket(Number(String((args.sale as SaleInput).lines[0]?.qty ?? 1).replace(',', '.'))),
    record_sale: () => done(),
  });
  await customerDisplay.load();
  render(SaleScreen, { sale: new SaleState(), departments: [], onsold: () => {} });
  const field = screen.getByTestId('scan');
  for (const lines of [1, 1]) {
    await fireEvent.input(field, { target: { value: '3761234500014' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    await expect.poll(() => screen.queryAllByTestId('cart-line').length).toBe(lines);
  }
  await expect.poll(() => sent().at(-1)).toMatchObject({ phase: 'sale', total_cents: 240, lines: [{ label: 'Baguette', amount_cents: 240 }] });
  await expect.poll(() => (screen.getByTestId('action-pay') as HTMLButtonElement).disabled).toBe(false);
  await fireEvent.click(screen.getByTestId('action-pay'));
  await fireEvent.click(await screen.findByTestId('method-cash'));
  await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: '5' } });
  await fireEvent.click(screen.getByTestId('tender-add'));
  await fireEvent.click(screen.getByTestId('pay-validate'));
  await screen.findByTestId('paid');
  await expect.poll(() => sent().at(-1)).toEqual({
    phase: 'paid', lines: [{ label: 'Baguette', detail: '2 × 1,20', amount_cents: 240 }], total_cents: 240, tendered_cents: 500, change_cents: 260,
  });
  // The next sale begins: the display welcomes the next customer.
  await fireEvent.keyDown(screen.getByTestId('scan'), { key: 'Enter' });
  await screen.findByTestId('cart-empty');
  await expect.poll(() => sent().at(-1)).toEqual({ phase: 'idle' });
  expect(sent()[0]).toEqual({ phase: 'idle' });
}, 30_000);
