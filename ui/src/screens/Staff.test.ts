import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import type { StaffView } from '../lib/api';
import { fakeBackend, refusal } from '../test/tauri';
import Staff from './Staff.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const marie: StaffView = { id: 1, name: 'Marie', role: 'manager', active: true };

function text(id: string): string {
  return (screen.getByTestId(id).textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

it('disables someone, enables them again and gives them a new PIN', { timeout: 30_000 }, async () => {
  let paul: StaffView = { id: 2, name: 'Paul', role: 'cashier', active: true };
  const backend = fakeBackend({
    staff: (args) => (args.all === true ? [marie, paul] : [marie, paul].filter((s) => s.active)),
    session: () => marie,
    set_staff_active: (args) => {
      paul = { ...paul, active: args.active as boolean };
      return paul;
    },
    change_pin: (args) => (args.pin === '0000' ? refusal('invalid_input', 'code PIN refusé') : null),
  });
  render(Staff);
  await screen.findAllByTestId('staff-person');
  const row = (name: string) => screen.getAllByTestId('staff-person').find((r) => r.dataset.name === name);
  // Nobody disables themselves.
  await expect.poll(() => row('Marie')?.textContent).toContain('(vous)');
  expect(row('Marie')?.querySelector('[data-testid="staff-disable"]')).toBeNull();

  await fireEvent.click(row('Paul')?.querySelector('[data-testid="staff-disable"]') as Element);
  await expect.poll(() => row('Paul')?.dataset.active).toBe('false');
  expect(text('staff-done')).toBe('Paul est désactivé·e : plus de connexion possible ; ses enregistrements restent à son nom.');
  expect(row('Paul')?.querySelector('[data-testid="staff-disabled"]')?.textContent).toBe('Désactivé·e');

  await fireEvent.click(row('Paul')?.querySelector('[data-testid="staff-enable"]') as Element);
  await expect.poll(() => row('Paul')?.dataset.active).toBe('true');
  expect(text('staff-done')).toBe('Paul est réactivé·e.');

  await fireEvent.click(row('Paul')?.querySelector('[data-testid="staff-change-pin"]') as Element);
  await screen.findByTestId('staff-pin-dialog');
  await fireEvent.input(screen.getByTestId('staff-new-pin'), { target: { value: '12' } });
  await fireEvent.click(screen.getByTestId('staff-pin-submit'));
  expect(text('staff-pin-error')).toBe('Le code PIN a de 4 à 8 chiffres.');
  await fireEvent.input(screen.getByTestId('staff-new-pin'), { target: { value: '0000' } });
  await fireEvent.input(screen.getByTestId('staff-new-pin2'), { target: { value: '0000' } });
  await fireEvent.click(screen.getByTestId('staff-pin-submit'));
  await expect.poll(() => screen.queryByTestId('staff-pin-error')?.textContent).toBe('code PIN refusé');
  await fireEvent.input(screen.getByTestId('staff-new-pin'), { target: { value: '4321' } });
  await fireEvent.input(screen.getByTestId('staff-new-pin2'), { target: { value: '4321' } });
  await fireEvent.click(screen.getByTestId('staff-pin-submit'));
  await expect.poll(() => screen.queryByTestId('staff-pin-dialog')).toBeNull();
  expect(text('staff-done')).toBe('Code PIN de Paul changé.');

  expect(backend.calls.filter((c) => c.command !== 'staff' && c.command !== 'session').map((c) => [c.command, c.args])).toEqual([
    ['set_staff_active', { name: 'Paul', active: false }],
    ['set_staff_active', { name: 'Paul', active: true }],
    ['change_pin', { name: 'Paul', pin: '0000' }],
    ['change_pin', { name: 'Paul', pin: '4321' }],
  ]);
});

it('clears a problem once the field is fixed, and puts the focus back on « Nom » after adding', async () => {
  const backend = fakeBackend({
    staff: () => [marie],
    session: () => marie,
    add_staff: (args) => ({ id: 3, name: args.name as string, role: args.role as 'cashier', active: true }),
  });
  render(Staff);
  await screen.findAllByTestId('staff-person');
  await fireEvent.input(screen.getByTestId('staff-pin'), { target: { value: '1234' } });
  await fireEvent.input(screen.getByTestId('staff-pin2'), { target: { value: '1234' } });
  await fireEvent.click(screen.getByTestId('staff-submit'));
  expect(text('staff-problem')).toBe(screen.getByTestId('staff-problem').textContent?.trim() ?? '');
  expect(screen.queryByTestId('staff-problem')).not.toBeNull();
  // The name typed: the problem goes without submitting again.
  await fireEvent.input(screen.getByTestId('staff-name'), { target: { value: 'Léa' } });
  await expect.poll(() => screen.queryByTestId('staff-problem')).toBeNull();
  await fireEvent.click(screen.getByTestId('staff-submit'));
  await expect.poll(() => screen.queryByTestId('staff-added')?.textContent ?? '').toContain('Léa');
  await expect.poll(() => document.activeElement).toBe(screen.getByTestId('staff-name'));
  expect((screen.getByTestId('staff-name') as HTMLInputElement).value).toBe('');
  expect(backend.calls.filter((c) => c.command === 'add_staff').map((c) => c.args)).toEqual([{ name: 'Léa', role: 'cashier', pin: '1234' }]);
});
