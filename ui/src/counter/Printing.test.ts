import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProductView, SaleDone, SaleInput, Ticket } from '../lib/api';
import { printer, type PrinterSettings } from '../lib/printer.svelte';
import { fakeBackend, refusal, type Backend } from '../test/tauri';
import { SaleState } from './sale.svelte';
import SaleScreen from './SaleScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const bread: ProductView = {
  id: 1,
  sku: null,
  barcodes: ['3761234500014'],
  label: 'Baguette',
  price_cents: 120,
  vat_rate_bp: 550,
  department: 'BOUL',
  unit: 'piece',
  created_offline: false,
};

const settings: PrinterSettings = {
  uri: 'tcp://127.0.0.1:9100',
  columns: 48,
  code_page: 16,
  print_every_receipt: false,
  drawer_on_cash: true,
  cashiers_open_drawer: false,
};

function ticket(): Ticket {
  const line = { label: 'Baguette', qty_milli: 1000, unit_price_cents: 120, vat_rate_bp: 550, gross_cents: 120, discount_cents: 0, ticket_discount_cents: 0, total_cents: 120, ht_cents: 114 };
  return { lines: [line], ticket_discount_cents: 0, vat: [], total_cents: 120, payments: [] };
}

function done(cash: boolean): SaleDone {
  return {
    recorded: { id: 'id-1', number: 'T1-000001', pos: 3, total_cents: 120, hash: 'h', duplicate: false, warnings: [] },
    receipt: {
      shop: { name: 'Épicerie', address: '', siret: '', vat_number: '' },
      title: 'VENTE', number: 'T1-000001', id: 'id-1', local_time: '28/11/2026 15:00:00', till: 'T1', operator: 'Paul',
      copy_no: null, training: false, corrects: null, reason: null, lines: [], ticket_discount_cents: 0, total_cents: 120,
      vat: [], payments: [], line_count: 1, item_count: '1', note: null, hash_extract: 'a', software: '0.1.0', qr_text: 'id-1 h', qr_path: '', qr_size: 0,
    },
    opens_drawer: cash && settings.drawer_on_cash,
  };
}

function backend(print: () => unknown = () => ({ doc: done(true).receipt, duplicate: false })): Backend {
  return fakeBackend({
    parked: () => [],
    find_product: () => bread,
    scan_code: () => ({ product: bread, scale: null }),
    price_sale: () => ticket(),
    record_sale: (args) => done((args.sale as SaleInput).payments.some((p) => p.method === 'cash')),
    print_receipt: print,
    open_drawer: () => null,
  });
}

async function sell(method: 'cash' | 'card') {
  const field = screen.getByTestId('scan');
  await fireEvent.input(field, { target: { value: '3761234500014' } });
  await fireEvent.keyDown(field, { key: 'Enter' });
  await expect.poll(() => screen.queryAllByTestId('cart-line').length).toBe(1);
  await expect.poll(() => (screen.getByTestId('action-pay') as HTMLButtonElement).disabled).toBe(false);
  await fireEvent.click(screen.getByTestId('action-pay'));
  await fireEvent.click(await screen.findByTestId(`method-${method}`));
  if (method === 'card') await fireEvent.input(screen.getByTestId('tender-reference'), { target: { value: 'TPE-1' } });
  else await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: '5' } });
  await fireEvent.click(screen.getByTestId('tender-add'));
  await fireEvent.click(screen.getByTestId('pay-validate'));
  await screen.findByTestId('paid');
}

function commands(calls: Backend['calls'], name: string) {
  return calls.filter((c) => c.command === name).map((c) => c.args);
}

beforeEach(() => {
  printer.settings = settings;
  printer.dismiss();
});

describe('« Imprimer ? » after a sale', () => {
  it.each<[name: string, key: string, printed: number]>([
    ['Entrée prints the receipt', 'Enter', 1],
    ['Échap prints nothing', 'Escape', 0],
  ])('%s', async (_name, key, printed) => {
    const { calls } = backend();
    render(SaleScreen, { sale: new SaleState(), departments: [], onsold: () => {} });
    await sell('cash');
    await screen.findByTestId('print-ask');
    // The cash sale's drawer opens at once, before any answer, without a receipt.
    await expect.poll(() => commands(calls, 'open_drawer')).toEqual([{ sale: 'id-1' }]);
    await fireEvent.keyDown(screen.getByTestId('scan'), { key });
    await expect.poll(() => screen.queryByTestId('print-ask')).toBeNull();
    await expect.poll(() => commands(calls, 'print_receipt').length).toBe(printed);
    if (printed > 0) expect(commands(calls, 'print_receipt')[0]).toEqual({ reference: 'id-1', openDrawer: false });
    // The sale is still on screen; the next Entrée starts the next one.
    await fireEvent.keyDown(screen.getByTestId('scan'), { key: 'Enter' });
    await screen.findByTestId('cart-empty');
  });

  it('a card sale opens no drawer', async () => {
    const { calls } = backend();
    render(SaleScreen, { sale: new SaleState(), departments: [], onsold: () => {} });
    await sell('card');
    await screen.findByTestId('print-ask');
    expect(commands(calls, 'open_drawer')).toEqual([]);
  });
});

describe('no thermal printer', () => {
  it('« Imprimer le ticket » goes to the system print, nothing is asked, no drawer', async () => {
    printer.settings = { ...settings, uri: '' };
    const print = vi.spyOn(window, 'print').mockImplementation(() => {});
    const { calls } = backend();
    render(SaleScreen, { sale: new SaleState(), departments: [], onsold: () => {} });
    await sell('cash');
    expect(screen.queryByTestId('print-ask')).toBeNull();
    await fireEvent.click(screen.getByTestId('print'));
    await expect.poll(() => print.mock.calls.length).toBe(1);
    expect(commands(calls, 'print_receipt')).toEqual([]);
    expect(commands(calls, 'open_drawer')).toEqual([]);
  });
});

describe('every receipt printed', () => {
  it('prints with the drawer on cash; a printer problem shows the banner and « Réessayer » prints', async () => {
    printer.settings = { ...settings, print_every_receipt: true };
    let online = false;
    const { calls } = backend(() => (online ? { doc: done(true).receipt, duplicate: false } : refusal('printer_unreachable' as never, 'imprimante injoignable')));
    const { container } = render(SaleScreen, { sale: new SaleState(), departments: [], onsold: () => {} });
    await sell('cash');
    expect(screen.queryByTestId('print-ask')).toBeNull();
    await expect.poll(() => commands(calls, 'print_receipt')).toEqual([{ reference: 'id-1', openDrawer: true }]);
    expect(commands(calls, 'open_drawer')).toEqual([]);
    await expect.poll(() => printer.unprinted.map((u) => u.number)).toEqual(['T1-000001']);
    expect(container).toBeTruthy();
    online = true;
    await printer.retry();
    expect(printer.unprinted).toEqual([]);
    expect(commands(calls, 'print_receipt').at(-1)).toEqual({ reference: 'id-1', openDrawer: true });
  });
});
