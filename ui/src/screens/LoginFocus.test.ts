import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import type { StaffView, Status } from '../lib/api';
import { fakeBackend } from '../test/tauri';
import Login from './Login.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const marie: StaffView = { id: 1, name: 'Marie', role: 'manager', active: true };
const paul: StaffView = { id: 2, name: 'Paul', role: 'cashier', active: true };
const status = {
  initialised: true, training: false,
  shop: { name: 'Épicerie', address: '', siret: '', vat_number: '' },
  till: 'T1', sales: 0, records: 1, chain: { ok: true, records: 1, head_hash: 'abc', defect: null }, data_dir: '/d',
  today: '2026-11-28', sales_today: 0, turnover_today_cents: 0, unexported_sales: 0, unexported_since: null,
  not_reentered: 0, last_backup: null, clock_warning: null, catalog_size: 0, search_index_pending: 0, staff_count: 2,
} as Status;

function setUp() {
  const backend = fakeBackend({ staff: () => [marie, paul], login: (args) => (args.name === 'Paul' ? paul : marie) });
  const onlogin = vi.fn();
  render(Login, { status, onlogin });
  return { calls: backend.calls, onlogin };
}

const pin = () => screen.getByTestId('login-pin') as HTMLInputElement;
const person = async (name: string) => (await screen.findAllByTestId('login-person')).find((b) => b.dataset.name === name) as HTMLElement;

it('touching a name puts the focus on the PIN, and Entrée logs in', async () => {
  const { calls, onlogin } = setUp();
  await fireEvent.click(await person('Paul'));
  await expect.poll(() => document.activeElement).toBe(pin());
  await fireEvent.input(pin(), { target: { value: '5678' } });
  await fireEvent.keyDown(pin(), { key: 'Enter' });
  await expect.poll(() => onlogin.mock.calls.length).toBe(1);
  expect(calls.filter((c) => c.command === 'login').map((c) => c.args)).toEqual([{ name: 'Paul', pin: '5678' }]);
});

it('keeps a PIN typed before the name, says so, and logs in once the name is touched', async () => {
  const { calls, onlogin } = setUp();
  await person('Paul');
  await expect.poll(() => document.activeElement).toBe(pin());
  await fireEvent.input(pin(), { target: { value: '5678' } });
  await fireEvent.keyDown(pin(), { key: 'Enter' });
  expect((await screen.findByTestId('login-name-first')).textContent).toBe('Code gardé : touchez votre nom, et vous voilà connecté·e.');
  expect(calls.some((c) => c.command === 'login')).toBe(false);
  // Entrée was pressed already: the name logs in at once with the PIN kept.
  await fireEvent.click(await person('Paul'));
  await expect.poll(() => onlogin.mock.calls.length).toBe(1);
  expect(calls.filter((c) => c.command === 'login').map((c) => c.args)).toEqual([{ name: 'Paul', pin: '5678' }]);
});

it('clears the PIN when another person is chosen', async () => {
  setUp();
  await fireEvent.click(await person('Paul'));
  await fireEvent.input(pin(), { target: { value: '56' } });
  await fireEvent.click(await person('Marie'));
  expect(pin().value).toBe('');
});
