import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { StaffView, Status } from '../../lib/api';
import PrintArea from '../../lib/ui/PrintArea.svelte';
import { fakeBackend } from '../../test/tauri';
import type { ClosureReport, PeriodTotals, XReport } from './api';
import DayScreen from './DayScreen.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const marie: StaffView = { id: 1, name: 'Marie', role: 'manager', active: true };

const status: Status = {
  initialised: true, training: false,
  shop: { name: 'Épicerie du Marché', address: '12 rue des Lilas, 69003 Lyon', siret: '12345678900012', vat_number: '' },
  till: 'T1', sales: 1, records: 10, chain: { ok: true, records: 10, head_hash: 'abc', defect: null }, data_dir: '/d',
  today: '2026-11-28', sales_today: 1, turnover_today_cents: 350, unexported_sales: 1, unexported_since: null,
  not_reentered: 0, last_backup: null, clock_warning: null, catalog_size: 0, search_index_pending: 0, staff_count: 1,
};

const zero: PeriodTotals = {
  sales: 0n, refunds: 0n, voids: 0n, sales_cents: 0, refunds_cents: 0, voids_cents: 0, total_cents: 0, discounts_cents: 0,
  vat: [], tenders: [], float_cents: 0, cash_in_cents: 0, cash_out_cents: 0, expected_cash_cents: 0, cheques: [],
  abs_total_cents: 0, deposits_received_cents: 0, deposits_refunded_cents: 0, deposit_tenders: [], late_entries: 0n,
  late_total_cents: 0,
};

// The day of the e2e test: 152 € float, a 3,50 € sale in cash, 20 € paid out.
const day: PeriodTotals = {
  ...zero, sales: 1n, sales_cents: 350, total_cents: 350, abs_total_cents: 350,
  vat: [{ rate_bp: 550, ht_cents: 332, vat_cents: 18, ttc_cents: 350 }],
  tenders: [{ method: 'cash', count: 1n, amount_cents: 350 }, { method: 'card', count: 0n, amount_cents: 0 }],
  float_cents: 15_200, cash_out_cents: 2_000, expected_cash_cents: 13_550,
  cheques: [{ ticket: 'T1-000002', number: '0012345', amount_cents: 1_000 }],
};

const closed: XReport = { business_day: null, automatic_opening: false, totals: zero, avoirs_outstanding_cents: 0, generated_at: '2026-11-28T08:00:00Z', local_time: '28/11/2026 09:00:00', today: '2026-11-28' };
const open: XReport = { business_day: '2026-11-28', automatic_opening: false, totals: day, avoirs_outstanding_cents: 0, generated_at: '2026-11-28T15:00:00Z', local_time: '28/11/2026 16:00:00', today: '2026-11-28' };

function z(counted: number): ClosureReport {
  return {
    number: 'T1-Z000001',
    at: '2026-11-28T18:00:00Z',
    local_time: '28/11/2026 19:00:00',
    closure: {
      period: 'day', first_day: '2026-11-28', last_day: '2026-11-28', totals: day, earlier_days: [],
      cash_count: { denominations: [{ value_cents: 2000, count: 5 }, { value_cents: 1000, count: 3 }, { value_cents: 500, count: 1 }], counted_cents: counted, variance_cents: counted - 13_550 },
      card_check: null, automatic: false, note: 'Pièce tombée', perpetual_total_cents: 350, perpetual_abs_total_cents: 350,
      avoirs: { opening_cents: 4500, issued_cents: 1200, sold_cents: 2000, redeemed_cents: 700, expired_cents: 1000, outstanding_cents: 6000 },
      covers: { last_pos: 12n, last_hash: 'f'.repeat(64) },
      signature: { algorithm: 'ed25519', key: 'a'.repeat(64), value: 'b'.repeat(128) },
    },
  };
}

function text(id: string): string {
  return (screen.getByTestId(id).textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

/** The lines of a block as people read them: paragraphs, titles, and table rows with their
 *  cells separated by a space. */
function lines(element: Element | null): string[] {
  const clean = (t: string | null) => (t ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
  return [...(element?.querySelectorAll('p, h1, h2, tr') ?? [])].map((node) =>
    node.tagName === 'TR' ? [...node.querySelectorAll('th, td')].map((cell) => clean(cell.textContent)).join(' ') : clean(node.textContent),
  );
}

async function type(id: string, value: string) {
  await fireEvent.input(screen.getByTestId(id), { target: { value } });
}

// Several screens and dialogs each: generous on a loaded 2-core machine.
describe('the day screen', { timeout: 30_000 }, () => {
  it('opens the day with a float counted by denomination', async () => {
    // The till's today, whatever this PC's date: the form offers it.
    let x: XReport = { ...closed, today: '2031-01-02' };
    const backend = fakeBackend({
      x_report: () => x,
      closures: () => [],
      status: () => status,
      public_key: () => 'a'.repeat(64),
      open_day: () => {
        x = { ...open, totals: { ...zero, float_cents: 15_200, expected_cash_cents: 15_200 } };
        return { id: 'o', number: 'T1-E000003', pos: 3, total_cents: 0, hash: 'h', duplicate: false, warnings: [] };
      },
    });
    render(DayScreen, { operator: marie, ondone: () => {} });
    await screen.findByTestId('day-open-form');
    expect(text('day-state')).toBe('Aucune journée ouverte');
    expect((screen.getByTestId('day-open-date') as HTMLInputElement).value).toBe('02/01/2031');

    await type('float-count-2000', '5');
    await type('float-count-1000', '3');
    await type('float-count-200', '10');
    await type('float-count-50', '4');
    expect(text('float-line-2000')).toBe('100,00 €');
    expect(text('float-total')).toBe('152,00 €');
    await type('day-open-date', '28/11/2026');
    await fireEvent.click(screen.getByTestId('day-open-submit'));

    await screen.findByTestId('x-report');
    expect(text('day-message')).toBe('Journée du 28/11/2026 ouverte : fond de caisse 152,00 €.');
    expect(text('day-state')).toBe('Journée du 28/11/2026 ouverte');
    const call = backend.calls.find((c) => c.command === 'open_day');
    expect(call?.args).toEqual({
      businessDay: '2026-11-28',
      denominations: [
        { value_cents: 2000, count: 5 },
        { value_cents: 1000, count: 3 },
        { value_cents: 200, count: 10 },
        { value_cents: 50, count: 4 },
      ],
    });
  });

  it('refuses a count that is not a number before sending anything', async () => {
    const backend = fakeBackend({ x_report: () => closed, closures: () => [], status: () => status, public_key: () => '' });
    render(DayScreen, { operator: marie, ondone: () => {} });
    await screen.findByTestId('day-open-form');
    await type('float-count-500', '2x');
    expect(text('float-invalid')).toBe('Un nombre entier est attendu pour : 5 €.');
    await fireEvent.click(screen.getByTestId('day-open-submit'));
    expect(text('day-open-problem')).toBe('Corrigez le comptage : un nombre entier par ligne.');
    expect(backend.calls.some((c) => c.command === 'open_day')).toBe(false);
  });

  it('shows the X report, then closes the day with a variance and prints the Z', async () => {
    const print = vi.spyOn(window, 'print').mockImplementation(() => {});
    let closures: ClosureReport[] = [];
    const backend = fakeBackend({
      x_report: () => (closures.length === 0 ? open : closed),
      closures: () => closures,
      status: () => status,
      public_key: () => 'a'.repeat(64),
      close_day: (args) => {
        closures = [z(13_500)];
        expect(args).toEqual({
          counted: [{ value_cents: 2000, count: 5 }, { value_cents: 1000, count: 3 }, { value_cents: 500, count: 1 }],
          cardTerminalCents: 0,
          note: 'Pièce tombée',
          approval: null,
        });
        return closures[0];
      },
    });
    const area = render(PrintArea);
    render(DayScreen, { operator: marie, ondone: () => {} });
    await screen.findByTestId('x-report');
    expect(text('x-sales')).toBe('1');
    expect(text('x-net')).toBe('3,50 €');
    expect(text('x-expected')).toBe('135,50 €');
    expect(text('x-cash-out')).toBe('20,00 €');

    await fireEvent.click(screen.getByTestId('day-tab-z'));
    await screen.findByTestId('z-form');
    // Blind count: nothing says what is expected before the drawer is counted.
    expect(screen.queryByTestId('z-expected')).toBeNull();
    expect(screen.queryByTestId('z-variance')).toBeNull();
    await type('counted-count-2000', '5');
    await type('counted-count-1000', '3');
    await type('counted-count-500', '1');
    expect(text('z-counted')).toBe('135,00 €');
    expect(screen.queryByTestId('z-expected')).toBeNull();
    await fireEvent.click(screen.getByTestId('z-count-done'));
    expect(text('z-expected')).toBe('135,50 €');
    expect((screen.getByTestId('counted-count-2000') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('z-variance').dataset.tone).toBe('short');
    expect(text('z-variance-amount')).toBe('-0,50 €');
    await type('z-card', '0');
    expect(screen.getByTestId('z-card-variance').dataset.tone).toBe('exact');
    expect(lines(screen.getByTestId('z-cheques'))).toEqual(['Ticket N° de chèque Montant', 'T1-000002 0012345 10,00 €']);
    await type('z-note', 'Pièce tombée');
    await fireEvent.click(screen.getByTestId('z-submit'));
    await fireEvent.click(await screen.findByTestId('z-confirm-ok'));

    await screen.findByTestId('closure');
    expect(text('day-message')).toBe('Journée clôturée : T1-Z000001.');
    expect(text('closure-title')).toBe('Clôture Z T1-Z000001 — journée du 28/11/2026');
    expect(text('closure-variance-amount')).toBe('-0,50 €');
    expect(lines(screen.getByTestId('closure-avoirs'))).toEqual([
      'Encours à la clôture précédente 45,00 €',
      '+ Avoirs émis 12,00 €',
      '+ Bons cadeaux vendus 20,00 €',
      '− Utilisés à cette caisse 7,00 €',
      '− Expirés 10,00 €',
      '= Encours à la clôture (ce que le magasin doit) 60,00 €',
    ]);
    expect(backend.calls.filter((c) => c.command === 'close_day')).toHaveLength(1);

    await fireEvent.click(screen.getByTestId('closure-print'));
    await expect.poll(() => print.mock.calls.length).toBe(1);
    const page = area.container.querySelector('[data-testid="report-page"]');
    expect(page?.getAttribute('data-kind')).toBe('day');
    const printed = lines(page ?? null).join('\n');
    for (const wanted of [
      'Épicerie du Marché',
      '12 rue des Lilas',
      'CLÔTURE Z T1-Z000001 — journée du 28/11/2026',
      'Caisse T1 Édité le 28/11/2026 09:00:00 par Marie',
      'Enregistrée le 28/11/2026 19:00:00',
      'TOTAL NET TTC 3,50',
      '5,5 % 3,32 0,18 3,50',
      'Espèces 1 3,50',
      '= Espèces attendues 135,50',
      'Espèces comptées 135,00',
      'Écart -0,50',
      '− Expirés 10,00',
      '= Encours à la clôture (dû par le magasin) 60,00',
      'Grand total perpétuel 3,50',
      'Signature Ed25519 bbbbbbbbbbbbbbbb…',
      'Note : Pièce tombée',
    ]) {
      expect(printed).toContain(wanted);
    }
    print.mockRestore();
  });

  it('offers to close the months and years that are over', async () => {
    const old = z(13_550);
    old.closure.first_day = old.closure.last_day = '2025-10-15';
    let closures = [old];
    const backend = fakeBackend({
      x_report: () => closed,
      closures: () => closures,
      status: () => status,
      public_key: () => 'a'.repeat(64),
      close_period: (args) => {
        const month: ClosureReport = { ...old, number: 'T1-Z000002', closure: { ...old.closure, period: 'month', cash_count: null } };
        closures = [old, month];
        expect(args).toEqual({ period: 'month', which: '2025-10', approval: null });
        return month;
      },
    });
    render(DayScreen, { operator: marie, ondone: () => {} });
    await fireEvent.click(await screen.findByTestId('day-tab-closures'));
    await screen.findByTestId('closure-list');
    expect(screen.getAllByTestId('closure-row')).toHaveLength(1);
    expect(text('close-month')).toBe('Clôturer octobre 2025');
    expect(text('close-year')).toBe('Clôturer l’exercice 2025');
    await fireEvent.click(screen.getByTestId('close-month'));
    await fireEvent.click(await screen.findByTestId('period-confirm-ok'));
    await screen.findByTestId('closure');
    expect(text('closure-title')).toBe('Clôture mensuelle T1-Z000002 — octobre 2025');
    await fireEvent.click(screen.getByTestId('closure-back'));
    expect(screen.getAllByTestId('closure-row').map((r) => r.dataset.number)).toEqual(['T1-Z000002', 'T1-Z000001']);
    expect(screen.queryByTestId('close-month')).toBeNull();
    expect(backend.calls.filter((c) => c.command === 'close_period')).toHaveLength(1);
  });
  it('proposes the archive of a month once closed, and writes a tax-audit extract', async () => {
    const old = z(13_550);
    old.closure.first_day = old.closure.last_day = '2025-10-15';
    const month: ClosureReport = { ...old, number: 'T1-Z000002', closure: { ...old.closure, period: 'month', cash_count: null } };
    let closures = [old];
    const backend = fakeBackend({
      x_report: () => closed,
      closures: () => closures,
      status: () => status,
      public_key: () => 'a'.repeat(64),
      close_period: () => {
        closures = [old, month];
        return month;
      },
      archive: (args) => {
        if (args.out === '/media/plein') throw { kind: 'io', message: 'disque plein' };
        return {
          folder: `${String(args.out)}/relais-archive-T1-2025-10`, zip: null, period: 'month', name: '2025-10',
          from_pos: 1, to_pos: 12, records: 12, closures: ['T1-Z000002'], manifest_sha256: 'c'.repeat(64),
        };
      },
      tax_audit: (args) => ({
        folder: `${String(args.out)}/relais-controle-T1-${String(args.from)}-${String(args.to)}`, from_pos: 1, to_pos: 12, records: 12,
        chain_intact: true, closures_checked: 2, mismatches: [], manifest_sha256: 'd'.repeat(64),
      }),
    });
    render(DayScreen, { operator: marie, ondone: () => {} });
    await fireEvent.click(await screen.findByTestId('day-tab-closures'));
    await screen.findByTestId('archive-panel');
    expect(screen.queryByTestId('archive-proposed')).toBeNull();
    expect(text('archive-none')).toBe('Aucun mois ni exercice clôturé à archiver.');
    await fireEvent.click(screen.getByTestId('close-month'));
    await fireEvent.click(await screen.findByTestId('period-confirm-ok'));
    await fireEvent.click(await screen.findByTestId('closure-back'));
    expect(text('archive-proposed')).toBe('octobre 2025 est clôturé : archivez-le maintenant. Archiver octobre 2025');
    await fireEvent.click(screen.getByTestId('archive-proposed-run'));
    await fireEvent.click(await screen.findByTestId('archive-run'));
    expect(text('archive-problem')).toBe('Indiquez le dossier où écrire.');
    expect(backend.calls.filter((c) => c.command === 'archive')).toHaveLength(0);
    await type('archive-out', '/media/plein');
    await fireEvent.click(screen.getByTestId('archive-run'));
    expect((await screen.findByTestId('archive-error')).dataset.kind).toBe('io');
    await type('archive-out', '/media/usb');
    await fireEvent.click(screen.getByTestId('archive-run'));
    expect(await screen.findByTestId('archive-done')).toBeTruthy();
    expect(text('archive-done')).toBe('Archive écrite et vérifiée : /media/usb/relais-archive-T1-2025-10 (clôtures T1-Z000002).');
    expect(backend.calls.filter((c) => c.command === 'archive').map((c) => c.args)).toEqual([
      { period: '2025-10', out: '/media/plein', zip: false },
      { period: '2025-10', out: '/media/usb', zip: false },
    ]);
    expect(screen.queryByTestId('archive-dialog')).toBeNull();

    await fireEvent.click(screen.getByTestId('audit-run'));
    expect(text('audit-done')).toBe('Indiquez les deux dates et le dossier.');
    await type('audit-from', '2025-10-01');
    await type('audit-to', '2025-10-31');
    await type('audit-out', '/media/usb');
    await fireEvent.click(screen.getByTestId('audit-run'));
    await vi.waitFor(() => expect(screen.getByTestId('audit-done').dataset.ok).toBe('true'));
    expect(text('audit-done')).toBe('Extrait conforme écrit : /media/usb/relais-controle-T1-2025-10-01-2025-10-31 (2 clôtures vérifiées).');
    expect(backend.calls.filter((c) => c.command === 'tax_audit').map((c) => c.args)).toEqual([
      { from: '2025-10-01', to: '2025-10-31', out: '/media/usb' },
    ]);
  });
});
