import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StaffView, Status } from '../lib/api';
import { fakeBackend } from '../test/tauri';
import Counter from './Counter.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const paul: StaffView = { id: 2, name: 'Paul', role: 'cashier', active: true };
const marie: StaffView = { id: 1, name: 'Marie', role: 'manager', active: true };

const status: Status = {
  initialised: true,
  training: false,
  shop: { name: 'Épicerie', address: '', siret: '', vat_number: '' },
  till: 'T1',
  sales: 12,
  records: 40,
  chain: { ok: true, records: 40, head_hash: 'abc', defect: null },
  data_dir: '/d',
  today: '2026-11-28',
  sales_today: 12,
  turnover_today_cents: 123450,
  unexported_sales: 12,
  unexported_since: '28/11/2026 09:12:03',
  not_reentered: 0,
  last_backup: null,
  clock_warning: null,
  catalog_size: 5,
  search_index_pending: 0,
  staff_count: 2,
};

function text(id: string): string {
  return (screen.getByTestId(id).textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

function backend() {
  return fakeBackend({
    departments: () => [{ code: 'ALIM', name: 'Alimentation', vat_rate_bp: 550 }],
    parked: () => [],
    logout: () => null,
    park: () => 7,
    price_sale: () => ({ lines: [], ticket_discount_cents: 0, vat: [], total_cents: 350, payments: [] }),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('status bar', () => {
  it.each<[name: string, change: Partial<Status>, expected: Record<string, string | null>]>([
    [
      'a normal day',
      {},
      {
        // A cashier's screen, which a customer sees too: no takings.
        'status-today': 'Aujourd’hui : 12 vente(s)',
        'chain-status': '✔ Chaîne intègre',
        'status-backup': 'Sauvegarde : aucune',
        'status-unexported': 'Non exporté : 12 vente(s) depuis 09:12',
        'clock-warning': null,
      },
    ],
    [
      'a damaged chain, a backup, all exported, a clock gone back',
      {
        chain: { ok: false, records: 40, head_hash: null, defect: { fr: 'T1-000007 : empreinte incorrecte', en: 'T1-000007: wrong hash' } },
        last_backup: '28/11/2026 08:00:00',
        unexported_sales: 0,
        unexported_since: null,
        clock_warning: 'L’horloge de ce poste retarde sur le dernier enregistrement',
      },
      {
        'chain-status': '✖ Chaîne altérée : T1-000007 : empreinte incorrecte',
        'status-backup': 'Sauvegarde : 28/11/2026 08:00:00',
        'status-unexported': 'Tout est exporté',
        'clock-warning': '⚠ L’horloge de ce poste retarde sur le dernier enregistrement',
      },
    ],
  ])('shows %s', async (_name, change, expected) => {
    backend();
    render(Counter, { status: { ...status, ...change }, operator: paul, onlock: () => {}, onrefresh: async () => {} });
    for (const [id, want] of Object.entries(expected)) {
      if (want === null) expect(screen.queryByTestId(id)).toBeNull();
      else expect(text(id)).toBe(want);
    }
  });
});

it('shows the day’s takings to a manager only', () => {
  backend();
  render(Counter, { status, operator: marie, onlock: () => {}, onrefresh: async () => {} });
  expect(text('status-today')).toBe('Aujourd’hui : 12 vente(s) — 1 234,50 €');
});

it('shows no takings when the backend withholds them, even to a manager’s screen', () => {
  backend();
  render(Counter, { status: { ...status, turnover_today_cents: null }, operator: marie, onlock: () => {}, onrefresh: async () => {} });
  expect(text('status-today')).toBe('Aujourd’hui : 12 vente(s)');
});

it.each<[day: string | null, notice: string | null]>([
  [null, 'Aucune journée ouverte : la prochaine vente ouvre celle du 28/11/2026, fond de caisse 0,00 €.'],
  ['2026-11-28', null],
])('says before a sale that it opens a business day (open: %s)', async (day, notice) => {
  fakeBackend({ ...backend().handlers, x_report: () => ({ business_day: day }) });
  render(Counter, { status, operator: paul, onlock: () => {}, onrefresh: async () => {} });
  if (notice === null) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId('day-notice')).toBeNull();
  } else {
    await expect.poll(() => screen.queryByTestId('day-notice')?.textContent ?? '').toContain('fond de caisse');
    expect(text('day-notice')).toContain(notice);
  }
});

describe('the counter', () => {
  it('gives cashiers the orders only, and managers the whole management menu', async () => {
    backend();
    const { unmount } = render(Counter, { status, operator: paul, onlock: () => {}, onrefresh: async () => {} });
    await fireEvent.click(screen.getByTestId('menu'));
    expect(screen.getByTestId('menu-orders')).toBeTruthy();
    for (const managerOnly of ['menu-day', 'menu-paper', 'menu-recovery', 'menu-import', 'menu-staff', 'menu-journal']) {
      expect(screen.queryByTestId(managerOnly)).toBeNull();
    }
    unmount();
    render(Counter, { status, operator: marie, onlock: () => {}, onrefresh: async () => {} });
    await fireEvent.click(screen.getByTestId('menu'));
    await fireEvent.click(screen.getByTestId('menu-staff'));
    expect(screen.getByTestId('screen-staff')).toBeTruthy();
  });

  it('locks itself after five minutes without a key or a touch, parking the cart first', async () => {
    vi.useFakeTimers();
    const calls = backend().calls;
    const onlock = vi.fn();
    render(Counter, { status, operator: paul, onlock, onrefresh: async () => {} });
    await vi.advanceTimersByTimeAsync(100);
    // One department line in the cart.
    await fireEvent.click(screen.getByTestId('dept-key'));
    await fireEvent.input(screen.getByTestId('dept-price'), { target: { value: '3,50' } });
    await fireEvent.click(screen.getByTestId('dept-ok'));
    await vi.advanceTimersByTimeAsync(100);

    await vi.advanceTimersByTimeAsync(4 * 60 * 1000);
    expect(onlock).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(70 * 1000);
    expect(onlock).toHaveBeenCalledOnce();
    const commands = calls.map((c) => c.command);
    expect(commands.indexOf('park')).toBeGreaterThan(-1);
    expect(commands.indexOf('park')).toBeLessThan(commands.indexOf('logout'));
    expect(calls.find((c) => c.command === 'park')?.args.label).toBe('Verrouillage — Paul');
  });

  it('locks at once with F12', async () => {
    const calls = backend().calls;
    const onlock = vi.fn();
    render(Counter, { status, operator: paul, onlock, onrefresh: async () => {} });
    await fireEvent.keyDown(window, { key: 'F12' });
    await expect.poll(() => onlock.mock.calls.length).toBe(1);
    expect(calls.map((c) => c.command)).toContain('logout');
    expect(calls.map((c) => c.command)).not.toContain('park');
  });
});
