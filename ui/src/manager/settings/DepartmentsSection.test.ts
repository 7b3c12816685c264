import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import type { Department } from '../../lib/api';
import { fakeBackend } from '../../test/tauri';
import DepartmentsSection from './DepartmentsSection.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

it('renames, reorders and adds departments through the backend', async () => {
  let list: Department[] = [
    { code: 'DIVERS', name: 'Divers', vat_rate_bp: 2000, hidden: false },
    { code: 'ALIM', name: 'Alimentation', vat_rate_bp: 550, hidden: false },
  ];
  const { calls } = fakeBackend({
    departments: () => list,
    vat_rates: () => [2000, 1000, 550, 210],
    set_department: (args) => {
      const d = { code: String(args.code).toUpperCase(), name: String(args.name), vat_rate_bp: Number(args.vatRateBp), hidden: false };
      list = list.some((x) => x.code === d.code) ? list.map((x) => (x.code === d.code ? d : x)) : [...list, d];
      return d;
    },
    move_department: (args) => {
      list = args.earlier ? [list[1], list[0]] as Department[] : list;
      return list;
    },
  });
  render(DepartmentsSection);
  await expect.poll(() => screen.queryAllByTestId('dept-row').length).toBe(2);
  const rows = () => screen.getAllByTestId('dept-row').map((r) => r.dataset.code);

  await fireEvent.input(screen.getAllByTestId('dept-name')[1] as HTMLElement, { target: { value: 'Épicerie' } });
  await fireEvent.click(screen.getAllByTestId('dept-save')[1] as HTMLElement);
  await expect.poll(() => screen.queryByTestId('depts-message')?.textContent ?? '').toContain('Épicerie');

  await fireEvent.click(screen.getAllByTestId('dept-up')[1] as HTMLElement);
  await expect.poll(rows).toEqual(['ALIM', 'DIVERS']);

  await fireEvent.input(screen.getByTestId('dept-new-code'), { target: { value: 'fleurs' } });
  await fireEvent.input(screen.getByTestId('dept-new-name'), { target: { value: 'Fleurs' } });
  await fireEvent.change(screen.getByTestId('dept-new-vat'), { target: { value: '1000' } });
  await fireEvent.click(screen.getByTestId('dept-add'));
  await expect.poll(rows).toEqual(['ALIM', 'DIVERS', 'FLEURS']);

  expect(calls.filter((c) => c.command !== 'departments' && c.command !== 'vat_rates').map((c) => [c.command, c.args])).toEqual([
    ['set_department', { code: 'ALIM', name: 'Épicerie', vatRateBp: 550 }],
    ['move_department', { code: 'ALIM', earlier: true }],
    ['set_department', { code: 'fleurs', name: 'Fleurs', vatRateBp: 1000 }],
  ]);
});

it('hides a department from the counter and shows it again', async () => {
  let list: Department[] = [
    { code: 'DIVERS', name: 'Divers', vat_rate_bp: 2000, hidden: false },
    { code: 'PRESSE', name: 'Presse', vat_rate_bp: 210, hidden: false },
  ];
  const { calls } = fakeBackend({
    departments: () => list,
    vat_rates: () => [2000, 1000, 550, 210],
    hide_department: (args) => {
      list = list.map((d) => (d.code === args.code ? { ...d, hidden: args.hidden as boolean } : d));
      return list.find((d) => d.code === args.code);
    },
  });
  render(DepartmentsSection);
  await expect.poll(() => screen.queryAllByTestId('dept-row').length).toBe(2);
  const presse = () => screen.getAllByTestId('dept-row')[1] as HTMLElement;
  const hideButton = () => presse().querySelector('[data-testid="dept-hide"]') as HTMLElement;
  expect(hideButton().textContent).toBe('Masquer');

  await fireEvent.click(hideButton());
  await expect.poll(() => presse().dataset.hidden).toBe('true');
  expect(presse().querySelector('[data-testid="dept-hidden"]')?.textContent).toBe('masqué');
  expect(screen.getByTestId('depts-message').textContent).toContain(
    'Rayon « Presse » masqué : sa touche quitte la vente ; ses produits, ses ventes et les exports restent.',
  );
  expect(hideButton().textContent).toBe('Afficher');

  await fireEvent.click(hideButton());
  await expect.poll(() => presse().dataset.hidden).toBe('false');
  expect(calls.filter((c) => c.command === 'hide_department').map((c) => c.args)).toEqual([
    { code: 'PRESSE', hidden: true },
    { code: 'PRESSE', hidden: false },
  ]);
});
