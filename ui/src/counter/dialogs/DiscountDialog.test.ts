import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import DiscountDialog from './DiscountDialog.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

it('says a bad percentage, and the problem goes once the field is fixed', async () => {
  const onsave = vi.fn();
  render(DiscountDialog, { title: 'Remise', current: null, onsave, onclose: () => {} });
  const input = screen.getByTestId('discount-input');
  await fireEvent.input(input, { target: { value: 'abc' } });
  await fireEvent.click(screen.getByTestId('discount-ok'));
  expect(screen.queryByTestId('discount-problem')).not.toBeNull();
  expect(onsave).not.toHaveBeenCalled();
  await fireEvent.input(input, { target: { value: '10' } });
  await expect.poll(() => screen.queryByTestId('discount-problem')).toBeNull();
  await fireEvent.click(screen.getByTestId('discount-ok'));
  expect(onsave).toHaveBeenCalledWith({ kind: 'percent', percent: '10' });
});
