import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import PaymentDialog from './PaymentDialog.svelte';
import { METHOD_KEYS, methodOfKey } from './payment-keys';

/** The method chosen: the selected button (« Avoir » shows the avoir's own form, not the tender form). */
function method(): string | undefined {
  const selected = screen.getAllByRole('button').find((b) => b.classList.contains('selected'));
  return selected?.dataset.testid?.replace('method-', '');
}

function open() {
  render(PaymentDialog, { total: 780, record: vi.fn(), onpaid: () => {}, onclose: () => {} });
}

it('shows each method’s key on its button', () => {
  open();
  for (const [m, key] of Object.entries(METHOD_KEYS)) {
    expect(screen.getByTestId(`method-${m}`).querySelector('.kbd')?.textContent).toBe(key);
  }
});

// (the key, with Alt, typed in the amount field or the reference field: the method after)
it.each<[key: string, alt: boolean, field: 'tender-amount' | 'tender-reference', after: string]>([
  ['c', false, 'tender-amount', 'card'],
  ['C', false, 'tender-amount', 'card'],
  ['h', false, 'tender-amount', 'cheque'],
  ['b', false, 'tender-amount', 'voucher'],
  ['v', false, 'tender-amount', 'store_credit'],
  ['a', false, 'tender-amount', 'other'],
  ['z', false, 'tender-amount', 'other'], // no method: unchanged
  ['e', false, 'tender-reference', 'other'], // a letter of the reference
  ['e', true, 'tender-reference', 'cash'],
])('%s (Alt %s) in %s → %s', async (key, alt, field, after) => {
  open();
  await fireEvent.click(screen.getByTestId('method-other'));
  await fireEvent.keyDown(screen.getByTestId(field), { key, altKey: alt });
  expect(method()).toBe(after);
});

it('goes back to cash after each part of a split payment', async () => {
  open();
  await fireEvent.keyDown(screen.getByTestId('tender-amount'), { key: 'c' });
  expect(method()).toBe('card');
  await fireEvent.input(screen.getByTestId('tender-amount'), { target: { value: '5,00' } });
  await fireEvent.click(screen.getByTestId('tender-add'));
  expect(screen.getAllByTestId('tender')).toHaveLength(1);
  expect(method()).toBe('cash');
  expect(screen.getByTestId('method-cash').classList.contains('selected')).toBe(true);
});

it('leaves Ctrl and unknown keys alone', () => {
  const key = (k: string, more: Partial<KeyboardEvent> = {}) => methodOfKey({ key: k, altKey: false, ctrlKey: false, metaKey: false, ...more }, false);
  expect(key('c', { ctrlKey: true })).toBeNull();
  expect(key('Enter')).toBeNull();
  expect(key('5')).toBeNull();
  expect(key('e')).toBe('cash');
});
