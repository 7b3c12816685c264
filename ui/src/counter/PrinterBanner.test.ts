import { render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import type { ErrorKind } from '../lib/api';
import { printer } from '../lib/printer.svelte';
import PrinterBanner from './PrinterBanner.svelte';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

it.each<[kind: ErrorKind, what: 'receipt' | 'drawer', title: string, line: string]>([
  ['printer_unreachable', 'receipt', 'Imprimante hors ligne', 'Ticket non imprimé : T1-000007. La vente est bien enregistrée.'],
  ['printer_timeout', 'receipt', 'Imprimante hors ligne', 'Ticket non imprimé : T1-000007.'],
  ['printer_paper_out', 'receipt', 'Plus de papier', 'Ticket non imprimé : T1-000007.'],
  ['printer_cover_open', 'receipt', 'Capot de l’imprimante ouvert', 'Ticket non imprimé : T1-000007.'],
  ['printer_offline', 'drawer', 'Imprimante en erreur', 'Le tiroir-caisse ne s’est pas ouvert.'],
])('%s (%s): « %s »', (kind, what, title, line) => {
  printer.unprinted = [{ reference: 'id-7', number: 'T1-000007', what, openDrawer: what === 'drawer', error: { kind, message: 'détail' } }];
  render(PrinterBanner);
  expect(screen.getByTestId('printer-banner-title').textContent).toContain(title);
  expect(screen.getByTestId('printer-banner').textContent).toContain(line);
  expect(screen.getByTestId('printer-retry').textContent).toContain('Réessayer');
  printer.dismiss();
});
