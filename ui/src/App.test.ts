import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import type { ApiError, Status } from './lib/api';
import { fakeBackend } from './test/tauri';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const initialised: Status = {
  initialised: true,
  training: false,
  shop: { name: 'Boulangerie Test', address: '1 rue du Pain', siret: '', vat_number: '' },
  till: 'T1',
  sales: 1,
  records: 4,
  chain: { ok: true, records: 4, head_hash: 'a1b2c3d4e5f6', defect: null },
  data_dir: '/var/lib/relais',
  today: '2026-11-28',
  sales_today: 0,
  turnover_today_cents: 0,
  unexported_sales: 0,
  unexported_since: null,
  not_reentered: 0,
  last_backup: null,
  clock_warning: null,
  catalog_size: 0,
  search_index_pending: 0,
  staff_count: 2,
};

const blank: Status = {
  ...initialised,
  initialised: false,
  shop: null,
  till: null,
  sales: 0,
  records: 0,
  chain: { ok: true, records: 0, head_hash: null, defect: null },
  staff_count: 0,
};

const broken: Status = {
  ...initialised,
  chain: { ok: false, records: 4, head_hash: null, defect: { fr: 'Enregistrement 3 : empreinte incorrecte', en: 'Record 3: wrong hash' } },
};

beforeEach(() => {
  fakeBackend({
    session: () => null,
    staff: () => [
      { id: 1, name: 'Marie', role: 'manager', active: true },
      { id: 2, name: 'Paul', role: 'cashier', active: true },
    ],
  });
});

/** What the first screen must show for a given Status; null means "absent". */
interface Expected {
  screen: 'setup' | 'login';
  shop: string | null;
  till: string | null;
  sales: string | null;
  chain: string | null;
  chainState: 'ok' | 'defect' | null;
}

const cases: Array<[name: string, status: Status, expected: Expected]> = [
  [
    'an initialised till with an intact chain: the lock screen',
    initialised,
    { screen: 'login', shop: 'Boulangerie Test', till: 'T1', sales: '1', chain: 'Chaîne intègre — 4 enregistrements', chainState: 'ok' },
  ],
  [
    'a till that is not set up: the set-up screen',
    blank,
    { screen: 'setup', shop: null, till: null, sales: null, chain: null, chainState: null },
  ],
  [
    'a damaged chain',
    broken,
    {
      screen: 'login',
      shop: 'Boulangerie Test',
      till: 'T1',
      sales: '1',
      chain: 'Chaîne altérée : Enregistrement 3 : empreinte incorrecte',
      chainState: 'defect',
    },
  ],
  [
    'a damaged chain on a till that is not set up',
    { ...blank, chain: { ok: false, records: 2, head_hash: null, defect: { fr: 'Séquence rompue', en: 'Broken sequence' } } },
    { screen: 'setup', shop: null, till: null, sales: null, chain: 'Chaîne altérée : Séquence rompue', chainState: 'defect' },
  ],
];

function textOf(testId: string): string | null {
  const element = screen.queryByTestId(testId);
  return element === null ? null : (element.textContent ?? '').replace(/[✔✖]/g, '').replace(/\s+/g, ' ').trim();
}

describe('first screen', () => {
  it.each(cases)('shows %s', async (_name, status, expected) => {
    render(App, { load: () => Promise.resolve(status) });
    await screen.findByTestId(expected.screen);

    expect(textOf('shop-name')).toBe(expected.shop);
    expect(textOf('till-code')).toBe(expected.till);
    expect(textOf('sales-count')).toBe(expected.sales);
    expect(textOf('chain-status')).toBe(expected.chain);
    expect(screen.queryByTestId('chain-status')?.dataset.state ?? null).toBe(expected.chainState);
    expect(textOf('data-dir')).toBe('Données : /var/lib/relais');
  });

  it.each<[name: string, rejection: unknown, kind: string, message: string]>([
    ['an ApiError from a command', { kind: 'database', message: 'Base de données illisible' } satisfies ApiError, 'database', 'Base de données illisible'],
    ['an IPC failure', new Error('no runtime'), 'ipc', 'Communication impossible avec la caisse : no runtime'],
  ])('shows %s in French, without a stack trace', async (_name, rejection, kind, message) => {
    render(App, { load: () => Promise.reject(rejection) });
    const alert = await screen.findByTestId('app-error');
    expect(alert.dataset.kind).toBe(kind);
    expect(alert.textContent).toContain(message);
    expect(screen.queryByTestId('chain-status')).toBeNull();
  });

  it('offers every person of the till as a big button, then asks for the PIN', async () => {
    render(App, { load: () => Promise.resolve(initialised) });
    const people = await screen.findAllByTestId('login-person');
    expect(people.map((p) => p.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['Marie Responsable', 'Paul Caissier·ère']);
    await fireEvent.click(people[1] as HTMLElement);
    expect(textOf('login-prompt')).toBe('Code PIN de Paul');
  });

  it('marks a training till on every screen', async () => {
    render(App, { load: () => Promise.resolve({ ...initialised, training: true }) });
    await screen.findByTestId('login');
    expect(textOf('training')).toBe('FORMATION');
  });

  it('switches to English and back', async () => {
    render(App, { load: () => Promise.resolve(initialised) });
    await screen.findByTestId('login');
    await fireEvent.click(screen.getByRole('button', { name: 'EN' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Who are you?');
    await fireEvent.click(screen.getByRole('button', { name: 'FR' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Qui êtes-vous ?');
  });

  it("tells the backend the screens' language, at start and at each change", async () => {
    const backend = fakeBackend({ session: () => null, staff: () => [], set_lang: () => null });
    const told = () => backend.calls.filter((c) => c.command === 'set_lang').map((c) => c.args.lang);
    render(App, { load: () => Promise.resolve(initialised) });
    await screen.findByTestId('login');
    expect(told()[0]).toBe('fr');
    await fireEvent.click(screen.getByRole('button', { name: 'EN' }));
    await vi.waitFor(() => expect(told().at(-1)).toBe('en'));
    await fireEvent.click(screen.getByRole('button', { name: 'FR' }));
    await vi.waitFor(() => expect(told().at(-1)).toBe('fr'));
  });
});
