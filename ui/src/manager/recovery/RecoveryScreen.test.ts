import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Status } from '../../lib/api';
import { fakeBackend, refusal, type Handler } from '../../test/tauri';
import type { BundleVerdict, ExportReport } from './api';
import RecoveryScreen from './RecoveryScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const status = {
  unexported_sales: 2,
  not_reentered: 5,
  last_backup: null,
} as unknown as Status;

const totals = {
  sales: 2,
  refunds: 1,
  voids: 0,
  sales_cents: 2_450,
  refunds_cents: -300,
  voids_cents: 0,
  total_cents: 2_150,
} as unknown as ExportReport['totals'];

const exported: ExportReport = {
  folder: '/media/usb/relais-T1-000001-000012',
  zip: null,
  from_pos: 1,
  to_pos: 12,
  records: 12,
  sales: 2,
  manifest_sha256: 'abc',
  counts: { event: 8, sale: 2, refund: 1, closure: 1 },
  totals,
  files: ['csv/sales.csv', 'excel-fr/sales.csv', 'records.jsonl', 'report.html'].map((path) => ({ path, sha256: 'x', bytes: 2048 })),
};

const altered: BundleVerdict = {
  ok: false,
  defect: 'excel-fr/sales.csv: altered',
  defect_fr: 'excel-fr/sales.csv : empreinte 12 au lieu de 34 (fichier modifié)',
  tills: ['T1'],
  public_keys: ['82bfd2bb6a072c9405a6564e3d062dabfe99b35f83f0dac233eef90943699e52'],
  records: 0,
  files: 3,
  steps: [
    { step: 'signature', ok: true, defect: null, defect_fr: null },
    { step: 'files', ok: false, defect: 'altered', defect_fr: 'excel-fr/sales.csv : fichier modifié' },
    { step: 'chain', ok: true, defect: null, defect_fr: null },
  ],
  file_states: [
    { path: 'records.jsonl', state: 'ok' },
    { path: 'excel-fr/sales.csv', state: 'altered' },
    { path: 'report.html', state: 'ok' },
  ],
  chains: [],
};

function open(handlers: Record<string, Handler>) {
  const backend = fakeBackend({ status: () => status, outage: () => null, till_zone: () => 'America/Cayenne', ...handlers });
  render(RecoveryScreen, { ondone: () => {} });
  return backend;
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe('recovery screen', () => {
  it('shows what is left to do above the tabs', async () => {
    open({});
    expect((await screen.findByTestId('recovery-summary')).textContent).toBe(
      'Ventes pas encore exportées : 2 · à ressaisir : 5 · dernière sauvegarde : jamais',
    );
  });

  it('exports with the options chosen, shows the result, and verifies it in the next tab', async () => {
    const backend = open({ export: () => exported, verify_bundle: () => altered });
    await fireEvent.click(screen.getByTestId('recovery-tab-export'));
    await type('export-out', ' /media/usb ');
    await fireEvent.click(screen.getByTestId('export-standard'));
    await fireEvent.click(screen.getByTestId('export-poslog'));
    await fireEvent.click(screen.getByTestId('export-run'));

    const result = await screen.findByTestId('export-result');
    expect(backend.calls.find((c) => c.command === 'export')?.args).toEqual({
      out: '/media/usb',
      sinceLast: false,
      zip: false,
      fec: false,
      poslog: true,
    });
    expect(screen.getByTestId('export-report-path').textContent).toBe('/media/usb/relais-T1-000001-000012/report.html');
    expect(screen.getByTestId('export-net').textContent).toBe('21,50\u202f€');
    expect(screen.getByTestId('export-counts').textContent).toContain('ventes : 2 · remboursements : 1 · clôtures : 1 · événements techniques : 8');
    const files = result.querySelectorAll('[data-testid="export-files"] td.mono');
    expect([...files].map((f) => f.textContent)).toEqual(['report.html', 'records.jsonl', 'csv/sales.csv']);

    await fireEvent.click(screen.getByTestId('export-verify'));
    expect((screen.getByTestId('verify-path') as HTMLInputElement).value).toBe(exported.folder);
    await fireEvent.click(screen.getByTestId('verify-run'));
    const verdict = await screen.findByTestId('verdict');
    expect(verdict.dataset.ok).toBe('false');
    expect(screen.getByTestId('verdict-headline').textContent).toContain('NON valide');
    expect(screen.getByTestId('verdict-step-files').dataset.ok).toBe('false');
    expect(screen.getByTestId('verdict-step-signature').dataset.ok).toBe('true');
    const rows = screen.getAllByTestId('verdict-file');
    expect(rows.map((r) => [r.dataset.path, r.dataset.state])).toEqual([
      ['excel-fr/sales.csv', 'altered'],
      ['records.jsonl', 'ok'],
      ['report.html', 'ok'],
    ]);
    expect(screen.getByTestId('verdict-step-files').textContent).toContain('excel-fr/sales.csv : fichier modifié');
    expect(screen.queryByTestId('verdict-defect')).toBeNull();
  });

  it('says why an export was refused, in French', async () => {
    open({ export: () => refusal('invalid_input', 'rien de nouveau à exporter depuis le dernier export') });
    await fireEvent.click(screen.getByTestId('recovery-tab-export'));
    await type('export-out', '/media/usb');
    await fireEvent.click(screen.getByTestId('export-since-last'));
    await fireEvent.click(screen.getByTestId('export-run'));
    expect((await screen.findByTestId('export-error')).textContent?.trim()).toBe(
      'Export refusé : rien de nouveau à exporter depuis le dernier export',
    );
  });

  it.each([
    ['no reason', '', '', 'Indiquez le motif de la panne.'],
    ['an unreadable time', 'Rançongiciel', 'hier matin', 'Date et heure illisibles : écrivez par exemple 25/11/2026 08:00.'],
  ])('refuses an outage start with %s before asking the backend', async (_name, reason, at, problem) => {
    const backend = open({});
    await screen.findByTestId('recovery-outage');
    await type('outage-reason-input', reason);
    await type('outage-start-at', at);
    await fireEvent.click(screen.getByTestId('outage-start'));
    expect(screen.getByTestId('outage-problem').textContent).toBe(problem);
    expect(backend.calls.map((c) => c.command)).not.toContain('outage_start');
  });

  it('records the outage and shows it as ongoing', async () => {
    const backend = open({
      outage_start: () => ({ started_at: '2026-11-25T07:00:00Z', reason: 'Rançongiciel', ended_at: null }),
    });
    await type('outage-reason-input', ' Rançongiciel ');
    await type('outage-start-at', '25/11/2026 08:00');
    await fireEvent.click(screen.getByTestId('outage-start'));
    await screen.findByTestId('outage-saved');
    expect(backend.calls.find((c) => c.command === 'outage_start')?.args).toEqual({ reason: 'Rançongiciel', at: '25/11/2026 08:00' });
    expect(screen.getByTestId('outage-state').dataset.state).toBe('ongoing');
    expect(screen.getByTestId('outage-state').textContent).toContain('En panne depuis le 25/11/2026 04:00');
    expect(screen.getByTestId('outage-reason').textContent).toBe('Motif : Rançongiciel');
  });

  it('shows the re-entry progress, lists what is left and marks a record picked in the list', async () => {
    const rows = [
      { number: 'T1-000003', kind: 'sale', business_day: '2026-11-25', local_time: '25/11/2026 09:12:00', total_cents: 1_250, detail: '' },
      { number: 'T1-000004', kind: 'sale', business_day: '2026-11-25', local_time: '25/11/2026 09:20:00', total_cents: 380, detail: '' },
      { number: 'T1-C000001', kind: 'order', business_day: '2026-11-25', local_time: '25/11/2026 10:02:00', total_cents: 4_200, detail: 'Mme Durand' },
    ];
    const marked: string[] = [];
    const leftRows = () => rows.filter((r) => !marked.includes(r.number));
    const backend = open({
      reentry_status: () => {
        const sales = leftRows().filter((r) => r.kind === 'sale').length;
        const orders = leftRows().length - sales;
        return { kinds: [{ kind: 'order', total: 1, left: orders }, { kind: 'sale', total: 4, left: sales }], left: sales + orders };
      },
      reentry_left: ({ kind }) => ({ items: leftRows().filter((r) => kind === null || r.kind === kind), more: 0 }),
      mark_reentered: ({ reference }) => {
        marked.push(reference as string);
        return true;
      },
    });
    await fireEvent.click(screen.getByTestId('recovery-tab-reentry'));
    expect((await screen.findByTestId('reentry-progress')).textContent?.trim()).toBe('2 sur 5 ressaisis');
    await vi.waitFor(() => expect(screen.getAllByTestId('reentry-left-row')).toHaveLength(3));
    const order = screen.getAllByTestId('reentry-left-row')[2]!;
    expect(order.textContent).toContain('Commande');
    expect(order.textContent).toContain('42,00');
    expect(order.textContent).toContain('Mme Durand');
    await fireEvent.change(screen.getByTestId('reentry-left-kind'), { target: { value: 'sale' } });
    await vi.waitFor(() => expect(screen.getAllByTestId('reentry-left-row')).toHaveLength(2));
    expect(backend.calls.filter((c) => c.command === 'reentry_left').at(-1)?.args).toEqual({ kind: 'sale' });
    await fireEvent.click(screen.getAllByTestId('reentry-pick')[1]!);
    expect((screen.getByTestId('reentry-number') as HTMLInputElement).value).toBe('T1-000004');
    expect(document.activeElement).toBe(screen.getByTestId('reentry-saas-ref'));
    await type('reentry-saas-ref', 'SAAS-77');
    await fireEvent.click(screen.getByTestId('reentry-mark'));
    expect((await screen.findByTestId('reentry-message')).textContent).toBe('T1-000004 est marqué ressaisi.');
    expect(screen.getByTestId('reentry-progress').textContent?.trim()).toBe('3 sur 5 ressaisis');
    expect(backend.calls.find((c) => c.command === 'mark_reentered')?.args).toEqual({ reference: 'T1-000004', saasRef: 'SAAS-77' });
    await vi.waitFor(() =>
      expect(screen.getAllByTestId('reentry-left-row').map((r) => r.dataset.number)).toEqual(['T1-000003']),
    );
  });

  it('imports a re-entry file and names the lines it could not use', async () => {
    const backend = open({
      reentry_status: () => ({ kinds: [{ kind: 'sale', total: 5, left: 2 }], left: 2 }),
      reentry_left: () => ({ items: [], more: 0 }),
      import_reentries: () => ({ marked: 2, already: 1, unknown: [[4, 'T1-000099']] }),
    });
    await fireEvent.click(screen.getByTestId('recovery-tab-reentry'));
    await screen.findByTestId('reentry-progress');
    await fireEvent.click(screen.getByTestId('reentry-import'));
    expect(screen.getByTestId('reentry-problem').textContent).toBe('Indiquez le fichier à importer.');
    await type('reentry-file', ' /media/usb/ressaisie.csv ');
    await fireEvent.click(screen.getByTestId('reentry-import'));
    const shown = await screen.findByTestId('reentry-imported');
    expect(shown.textContent).toContain('Marqués ressaisis : 2 ; déjà marqués : 1.');
    expect(shown.textContent).toContain('Ligne 4 : « T1-000099 » introuvable ou pas à ressaisir.');
    expect(shown.className).toContain('warn');
    expect(backend.calls.find((c) => c.command === 'import_reentries')?.args).toEqual({ path: '/media/usb/ressaisie.csv' });
  });

  it('saves the backup settings, backs up now and lists the backups', async () => {
    const made = '/media/usb/sauv/relais-sauvegarde-T1-20261201-193821123';
    let listed: string[] = [];
    const backend = open({
      backup_settings: () => ({ folder: null, every_sales: 0, last_backup: listed.length > 0 ? '01/12/2026 20:38:21' : null }),
      public_key: () => 'ab12',
      configure_backups: () => null,
      list_backups: () => listed,
      backup: () => {
        listed = [made];
        return { folder: made, records: 14, bytes: 98_304, head_hash: 'h', removed: [] };
      },
    });
    await fireEvent.click(screen.getByTestId('recovery-tab-backups'));
    expect((await screen.findByTestId('public-key')).textContent).toBe('ab12');
    await type('backup-folder', '/media/usb/sauv');
    await type('backup-every', 'dix');
    await fireEvent.click(screen.getByTestId('backup-save'));
    expect(screen.getByTestId('backup-problem').textContent).toBe('Nombre de ventes : un nombre entier, 0 ou plus.');
    await type('backup-every', '20');
    await fireEvent.click(screen.getByTestId('backup-save'));
    await screen.findByTestId('backup-message');
    expect(backend.calls.find((c) => c.command === 'configure_backups')?.args).toEqual({ folder: '/media/usb/sauv', everySales: 20 });

    await fireEvent.click(screen.getByTestId('backup-now'));
    expect((await screen.findByTestId('backup-done')).textContent).toContain('Sauvegarde vérifiée : 14 enregistrements, 96,0\u00a0Ko.');
    expect(screen.getAllByTestId('backup-item').map((r) => r.dataset.path)).toEqual([made]);
    expect(screen.getByTestId('backup-last').textContent).toBe('Dernière sauvegarde : 01/12/2026 20:38:21');
  });
});
