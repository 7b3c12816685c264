import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { printer, type PrinterSettings } from '../../lib/printer.svelte';
import { fakeBackend, refusal } from '../../test/tauri';
import ThermalPrint from './ThermalPrint.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const thermal: PrinterSettings = {
  uri: 'tcp://127.0.0.1:9100', columns: 42, code_page: 16, print_every_receipt: true, drawer_on_cash: true, cashiers_open_drawer: false,
};

it.each<[name: string, uri: string, closure: string | null, answer: () => unknown, said: string | null]>([
  ['no receipt printer: no button', '', null, () => 'RAPPORT X', null],
  ['the X report', thermal.uri, null, () => 'RAPPORT X', 'Imprimé sur l’imprimante de tickets : RAPPORT X.'],
  ['a closure', thermal.uri, 'T1-Z000003', () => 'CLÔTURE Z T1-Z000003', 'Imprimé sur l’imprimante de tickets : CLÔTURE Z T1-Z000003.'],
  ['out of paper', thermal.uri, null, () => refusal('printer_paper_out', 'plus de papier'), 'plus de papier'],
])('%s', async (_name, uri, closure, answer, said) => {
  printer.settings = { ...thermal, uri };
  const backend = fakeBackend({ print_report: answer });
  render(ThermalPrint, { closure, testid: 'thermal' });
  if (said === null) {
    expect(screen.queryByTestId('thermal')).toBeNull();
    return;
  }
  await fireEvent.click(screen.getByTestId('thermal'));
  await expect.poll(() => screen.queryByTestId('thermal-said')?.textContent).toBe(said);
  expect(backend.calls).toEqual([{ command: 'print_report', args: { closure } }]);
});
