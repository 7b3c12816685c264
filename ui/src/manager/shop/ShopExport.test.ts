import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { fakeBackend } from '../../test/tauri';
import ExportPanel from '../recovery/ExportPanel.svelte';
import type { ShopExportTill, ShopExportView } from './api';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn() }));

function till(code: string, over: Partial<ShopExportTill> = {}): ShopExportTill {
  return { till: code, own: false, held: 40, last_exchange: '07/12/2026 18:01:02', unpaired: false, defect: null, defect_fr: null, ...over };
}

const OWN = till('T1', { own: true, held: 120, last_exchange: null });

function written(tills: ShopExportTill[]): ShopExportView {
  return {
    merge: { folder: '/media/usb/relais-boutique-T1-T2', tills: ['T1', 'T2'], records: 160, duplicates_dropped: 0, conflicts: [], avoir_conflicts: [] },
    tills,
    order_conflicts: [{ what: 'la commande T1-C000001 a été remise 2 fois', details: [] }],
  };
}

it('no other till paired: no choice, the till is exported as before', async () => {
  const backend = fakeBackend({ shop_export_tills: () => [OWN], removable_drives: () => [] });
  render(ExportPanel, { onchange: () => {}, onverify: () => {} });
  await expect.poll(() => backend.calls.some((c) => c.command === 'shop_export_tills')).toBe(true);
  expect(screen.queryByTestId('export-scope')).toBeNull();
  expect(screen.getByTestId('export-run')).toBeTruthy();
});

it.each<[name: string, tills: ShopExportTill[], rows: string[], refused: string | null]>([
  [
    'two tills, each with its freshness',
    [OWN, till('T2'), till('T3', { held: 0, last_exchange: null, unpaired: true })],
    ['T1 120 cette caisse (complète)', 'T2 40 07/12/2026 18:01:02', 'T3 0 jamais reçue désappairée'],
    null,
  ],
  [
    'a till with a defect stops it, with the reason',
    [OWN, till('T2', { defect: 'chain broken', defect_fr: 'chaîne rompue à la position 41' })],
    ['T1 120 cette caisse (complète)', 'T2 40 07/12/2026 18:01:02 DÉFAUT : chaîne rompue à la position 41'],
    'Export du magasin impossible : la caisse T2 a un défaut. Exportez chaque caisse sur elle-même.',
  ],
])('« Exporter le magasin »: %s', async (_name, tills, rows, refused) => {
  const backend = fakeBackend({ shop_export_tills: () => tills, removable_drives: () => [], export_shop: () => written(tills) });
  render(ExportPanel, { onchange: () => {}, onverify: () => {} });
  await fireEvent.click(await screen.findByTestId('export-scope-shop'));
  await expect.poll(() => screen.queryAllByTestId('shop-export-till').length).toBe(rows.length);
  const cells = (row: HTMLElement) => [...row.querySelectorAll('td')].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()).join(' ');
  const seen = screen.getAllByTestId('shop-export-till').map(cells);
  expect(seen).toEqual(rows);
  const run = screen.getByTestId('shop-export-run') as HTMLButtonElement;
  if (refused !== null) {
    expect(screen.getByTestId('shop-export-defect').textContent).toBe(refused);
    expect(run.disabled).toBe(true);
    return;
  }
  await fireEvent.input(screen.getByTestId('shop-export-out'), { target: { value: '/media/usb' } });
  await fireEvent.click(run);
  await expect.poll(() => screen.queryByTestId('shop-export-folder')?.textContent).toBe('/media/usb/relais-boutique-T1-T2');
  expect(screen.getByTestId('shop-export-counts').textContent).toBe('T1, T2 — 160 enregistrements');
  expect(screen.getByTestId('shop-export-conflicts').textContent).toContain('la commande T1-C000001 a été remise 2 fois');
  expect(backend.calls.filter((c) => c.command === 'export_shop').map((c) => c.args)).toEqual([{ out: '/media/usb' }]);
});
