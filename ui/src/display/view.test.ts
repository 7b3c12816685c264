import { describe, expect, it, vi } from 'vitest';
import type { SaleDone, Ticket } from '../lib/api';
import { DisplayFeed, type Transport } from './feed.svelte';
import { displayView, IDLE, type DisplayView } from './view';

const NNBSP = '\u202f';

function ticket(lines: Array<[label: string, qtyMilli: number, unit: number, total: number]>): Ticket {
  return {
    lines: lines.map(([label, qty_milli, unit_price_cents, total_cents]) => ({
      label, qty_milli, unit_price_cents, vat_rate_bp: 550, gross_cents: total_cents, discount_cents: 0, ticket_discount_cents: 0, total_cents, ht_cents: total_cents,
    })),
    ticket_discount_cents: 0,
    vat: [],
    total_cents: lines.reduce((sum, l) => sum + l[3], 0),
    payments: [],
  };
}

function done(payments: Array<[amount: number, tendered: number | null, change: number | null]>): SaleDone {
  return {
    recorded: { id: 'id-1', number: 'T1-000001', pos: 3, total_cents: 240, hash: 'h', duplicate: false, warnings: [] },
    receipt: {
      shop: { name: 'Épicerie', address: '', siret: '', vat_number: '' },
      title: 'VENTE', number: 'T1-000001', id: 'id-1', local_time: '', till: 'T1', operator: 'Paul', copy_no: null, training: false, corrects: null, reason: null,
      lines: [{ label: 'Baguette', detail: '2 x 1,20', amount_cents: 240, discount_cents: 20, rate_letter: 'A' }],
      ticket_discount_cents: 0, total_cents: 220, vat: [],
      payments: payments.map(([amount_cents, tendered_cents, change_cents]) => ({ label: 'Espèces', amount_cents, tendered_cents, change_cents })),
      line_count: 1, item_count: '2', note: null, hash_extract: '', software: '', qr_text: '', qr_path: '', qr_size: 0,
    },
    opens_drawer: true,
  };
}

describe('displayView', () => {
  it.each<[name: string, ticket: Ticket | null, done: SaleDone | null, view: DisplayView]>([
    ['an empty counter', null, null, IDLE],
    ['a ticket with no line', ticket([]), null, IDLE],
    [
      'the ticket being rung up',
      ticket([['Baguette', 2000, 120, 240], ['Comté', 1250, 2000, 2500]]),
      null,
      {
        phase: 'sale',
        lines: [
          { label: 'Baguette', detail: `2 × 1,20${NNBSP}€`, amount_cents: 240 },
          { label: 'Comté', detail: `1,25 × 20,00${NNBSP}€`, amount_cents: 2500 },
        ],
        total_cents: 2740,
      },
    ],
    [
      'paid in cash: what was handed over and the change',
      ticket([['Pain', 1000, 100, 100]]),
      done([[220, 500, 280]]),
      { phase: 'paid', lines: [{ label: 'Baguette', detail: '2 × 1,20', amount_cents: 220 }], total_cents: 220, tendered_cents: 500, change_cents: 280 },
    ],
    [
      'paid partly by card, partly in cash',
      null,
      done([[100, null, null], [120, 200, 80]]),
      { phase: 'paid', lines: [{ label: 'Baguette', detail: '2 × 1,20', amount_cents: 220 }], total_cents: 220, tendered_cents: 300, change_cents: 80 },
    ],
  ])('%s', (_name, t, d, view) => {
    expect(displayView(t, d)).toEqual(view);
  });
});

describe('DisplayFeed', () => {
  const sale: DisplayView = { phase: 'sale', lines: [], total_cents: 120 };

  function feed(enabled: boolean) {
    const sent: DisplayView[] = [];
    let ready: () => void = () => {};
    const transport: Transport = {
      send: async (view) => void sent.push(view),
      onReady: async (handler) => void (ready = handler),
    };
    const read = vi.fn(async () => ({ enabled }));
    return { feed: new DisplayFeed(transport, read), sent, ready: () => ready(), read };
  }

  it('sends nothing while the display is off', async () => {
    const off = feed(false);
    await off.feed.load();
    off.feed.show(sale);
    off.ready();
    expect(off.sent).toEqual([]);
  });

  it('on: the current view at load, each change once, and again when the window says it is ready', async () => {
    const on = feed(true);
    on.feed.show(sale);
    await on.feed.load();
    expect(on.sent).toEqual([sale]);
    on.feed.show({ ...sale });
    expect(on.sent).toEqual([sale]);
    on.feed.show(IDLE);
    on.ready();
    expect(on.sent).toEqual([sale, IDLE, IDLE]);
  });

  it('a setting that cannot be read leaves the display off', async () => {
    const broken = feed(true);
    broken.read.mockRejectedValueOnce({ kind: 'not_logged_in', message: '' });
    await broken.feed.load();
    broken.feed.show(sale);
    expect(broken.sent).toEqual([]);
  });
});
