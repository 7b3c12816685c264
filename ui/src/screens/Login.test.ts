import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import type { StaffView, Status } from '../lib/api';
import { fakeBackend, refusal } from '../test/tauri';
import Login from './Login.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const marie: StaffView = { id: 1, name: 'Marie', role: 'manager', active: true };
const status: Status = {
  initialised: true, training: false,
  shop: { name: 'Épicerie du Marché', address: '', siret: '', vat_number: '' },
  till: 'T1', sales: 3, records: 12, chain: { ok: true, records: 12, head_hash: 'abc', defect: null }, data_dir: '/d',
  today: '2026-11-28', sales_today: 0, turnover_today_cents: 0, unexported_sales: 3, unexported_since: null,
  not_reentered: 0, last_backup: null, clock_warning: null, catalog_size: 0, search_index_pending: 0, staff_count: 1,
};
const held = 'des enregistrements ont disparu (positions 4 à 6, que ledger.head atteste)';

it('a till holding a lost tail lets a manager acknowledge it with their PIN, then logs them in', async () => {
  const backend = fakeBackend({
    staff: () => [marie],
    login: () => refusal('integrity', held),
    acknowledge_lost_tail: () => marie,
  });
  const onlogin = vi.fn();
  render(Login, { status, onlogin });
  await screen.findAllByTestId('login-person');
  const pin = screen.getByTestId('login-pin') as HTMLInputElement;
  await fireEvent.input(pin, { target: { value: '1234' } });
  await fireEvent.keyDown(pin, { key: 'Enter' });
  await expect.poll(() => screen.queryByTestId('login-error')?.dataset.kind).toBe('integrity');
  expect(screen.getByTestId('login-hold-help').textContent).toContain('Constater le défaut');
  expect(onlogin).not.toHaveBeenCalled();

  await fireEvent.input(pin, { target: { value: '1234' } });
  await fireEvent.click(screen.getByTestId('login-acknowledge'));
  await expect.poll(() => onlogin.mock.calls.length).toBe(1);
  expect(backend.calls.find((c) => c.command === 'acknowledge_lost_tail')?.args).toEqual({ name: 'Marie', pin: '1234' });
});
