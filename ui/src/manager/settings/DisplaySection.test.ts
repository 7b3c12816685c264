import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { fakeBackend, refusal } from '../../test/tauri';
import DisplaySection from './DisplaySection.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

it.each<[name: string, saved: boolean, answer: () => unknown, said: [id: string, text: string]]>([
  ['a manager turns it on', false, () => null, ['display-message', '✔ Afficheur client activé.']],
  ['a manager turns it off', true, () => null, ['display-message', '✔ Afficheur client désactivé.']],
  ['a cashier is refused', false, () => refusal('forbidden', 'réservé aux responsables'), ['display-error', 'réservé aux responsables']],
])('%s', async (_name, saved, answer, [id, text]) => {
  let enabled = saved;
  const backend = fakeBackend({
    display_settings: () => ({ enabled }),
    set_display_settings: (args) => {
      const result = answer();
      enabled = (args.settings as { enabled: boolean }).enabled;
      return result;
    },
  });
  render(DisplaySection);
  const box = (await screen.findByTestId('display-enabled')) as HTMLInputElement;
  expect(box.checked).toBe(saved);
  expect((screen.getByTestId('display-save') as HTMLButtonElement).disabled).toBe(true);
  await fireEvent.click(box);
  await fireEvent.click(screen.getByTestId('display-save'));
  await expect.poll(() => screen.queryByTestId(id)?.textContent).toBe(text);
  expect(backend.calls.filter((c) => c.command === 'set_display_settings').map((c) => c.args)).toEqual([{ settings: { enabled: !saved } }]);
});
