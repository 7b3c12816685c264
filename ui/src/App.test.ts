import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { ApiError, Status } from './lib/api';

const initialised: Status = {
  initialised: true,
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
  last_backup: null,
  clock_warning: null,
  catalog_size: 0,
  staff_count: 0,
};

const blank: Status = {
  initialised: false,
  shop: null,
  till: null,
  sales: 0,
  records: 0,
  chain: { ok: true, records: 0, head_hash: null, defect: null },
  data_dir: '/var/lib/relais',
  today: '2026-11-28',
  sales_today: 0,
  turnover_today_cents: 0,
  unexported_sales: 0,
  unexported_since: null,
  last_backup: null,
  clock_warning: null,
  catalog_size: 0,
  staff_count: 0,
};

const broken: Status = {
  ...initialised,
  chain: { ok: false, records: 4, head_hash: null, defect: 'Enregistrement 3 : empreinte incorrecte' },
};

/** What the screen must show for a given Status; null means "the element is absent". */
interface Expected {
  shop: string | null;
  till: string | null;
  sales: string | null;
  chain: string | null;
  chainState: 'ok' | 'defect' | null;
  notInitialised: boolean;
  /** Refreshing is pointless before set-up: only a restart reads `relais init`. */
  refreshButton: boolean;
}

const cases: Array<[name: string, status: Status, expected: Expected]> = [
  [
    'an initialised till with an intact chain',
    initialised,
    {
      shop: 'Boulangerie Test',
      till: 'T1',
      sales: '1',
      chain: 'Chaîne intègre — 4 enregistrements',
      chainState: 'ok',
      notInitialised: false,
      refreshButton: true,
    },
  ],
  [
    'a till that is not set up',
    blank,
    { shop: null, till: null, sales: null, chain: null, chainState: null, notInitialised: true, refreshButton: false },
  ],
  [
    'a damaged chain',
    broken,
    {
      shop: 'Boulangerie Test',
      till: 'T1',
      sales: '1',
      chain: 'Chaîne altérée : Enregistrement 3 : empreinte incorrecte',
      chainState: 'defect',
      notInitialised: false,
      refreshButton: true,
    },
  ],
  [
    'a damaged chain on a till that is not set up',
    { ...blank, chain: { ok: false, records: 2, head_hash: null, defect: 'Séquence rompue' } },
    { shop: null, till: null, sales: null, chain: 'Chaîne altérée : Séquence rompue', chainState: 'defect', notInitialised: true, refreshButton: false },
  ],
];

function textOf(testId: string): string | null {
  const element = screen.queryByTestId(testId);
  return element === null ? null : (element.textContent ?? '').replace(/[✔✖]/g, '').replace(/\s+/g, ' ').trim();
}

describe('status screen', () => {
  it.each(cases)('shows %s', async (_name, status, expected) => {
    render(App, { load: () => Promise.resolve(status) });
    await expect.poll(() => screen.queryByText('Chargement…')).toBeNull();

    expect(textOf('shop-name')).toBe(expected.shop);
    expect(textOf('till-code')).toBe(expected.till);
    expect(textOf('sales-count')).toBe(expected.sales);
    expect(textOf('chain-status')).toBe(expected.chain);
    expect(screen.queryByTestId('chain-status')?.dataset.state ?? null).toBe(expected.chainState);
    expect(screen.queryByRole('button', { name: 'Actualiser' }) !== null).toBe(expected.refreshButton);
    const notice = textOf('not-initialised');
    if (expected.notInitialised) {
      expect(notice).toContain('Caisse non initialisée : lancez relais init --shop … --till …');
    } else {
      expect(notice).toBeNull();
    }
  });

  it.each<[name: string, rejection: unknown, kind: string, message: string]>([
    [
      'an ApiError from a command',
      { kind: 'database', message: 'Base de données illisible' } satisfies ApiError,
      'database',
      'Base de données illisible',
    ],
    ['an IPC failure', new Error('no runtime'), 'ipc', 'Communication impossible avec la caisse : no runtime'],
  ])('shows %s in French, without a stack trace', async (_name, rejection, kind, message) => {
    render(App, { load: () => Promise.reject(rejection) });
    const alert = await screen.findByTestId('app-error');
    expect(alert.dataset.kind).toBe(kind);
    expect(alert.textContent).toContain(message);
    expect(screen.queryByTestId('chain-status')).toBeNull();
  });

  it('reads the status again when Actualiser is pressed', async () => {
    const answers = [initialised, { ...initialised, sales: 2 }];
    let calls = 0;
    render(App, { load: () => Promise.resolve(answers[calls++] ?? initialised) });
    await expect.poll(() => textOf('sales-count')).toBe('1');

    await fireEvent.click(screen.getByRole('button', { name: 'Actualiser' }));

    await expect.poll(() => textOf('sales-count')).toBe('2');
    expect(calls).toBe(2);
  });
});
