import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import type { SaleSettings } from '../../lib/api';
import { fakeBackend } from '../../test/tauri';
import SaleSection from './SaleSection.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

it('saves the discount threshold, and a problem goes once the field is fixed', async () => {
  let settings: SaleSettings = { default_department: 'ALIM', discount_approval_percent: 20, discount_approval_cents: 2000 };
  const { calls } = fakeBackend({
    departments: () => [{ code: 'ALIM', name: 'Alimentation', vat_rate_bp: 550, hidden: false }],
    sale_settings: () => settings,
    set_sale_settings: (args) => {
      settings = args.settings as SaleSettings;
      return null;
    },
  });
  render(SaleSection);
  const percent = () => screen.getByTestId('threshold-percent') as HTMLInputElement;
  const amount = () => screen.getByTestId('threshold-amount') as HTMLInputElement;
  await expect.poll(() => percent().value).toBe('20');
  expect(amount().value).toBe('20,00');
  expect((screen.getByTestId('threshold-save') as HTMLButtonElement).disabled).toBe(true);

  await fireEvent.input(percent(), { target: { value: '150' } });
  await fireEvent.click(screen.getByTestId('threshold-save'));
  expect(screen.getByTestId('threshold-invalid').textContent).toBe('Le seuil est un pourcentage entier de 0 à 100.');
  await fireEvent.input(percent(), { target: { value: '30' } });
  await expect.poll(() => screen.queryByTestId('threshold-invalid')).toBeNull();
  await fireEvent.input(amount(), { target: { value: '15,50' } });
  await fireEvent.click(screen.getByTestId('threshold-save'));
  await expect.poll(() => screen.queryByTestId('sale-message')?.textContent ?? '').toContain('Seuil des remises enregistré : 30 % ou 15,50');
  expect(calls.filter((c) => c.command === 'set_sale_settings').map((c) => c.args.settings)).toEqual([
    { default_department: 'ALIM', discount_approval_percent: 30, discount_approval_cents: 1550 },
  ]);
});
