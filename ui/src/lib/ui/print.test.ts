import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import type { SaleDone } from '../api';
import PaidPanel from '../../counter/PaidPanel.svelte';
import PrintArea from './PrintArea.svelte';
import { printReceipt } from './print.svelte';

it('prints the receipt alone, from the print area', async () => {
  const print = vi.spyOn(window, 'print').mockImplementation(() => {});
  const receipt = {
    shop: { name: 'Épicerie', address: '', siret: '', vat_number: '' },
    title: 'VENTE', number: 'T1-000042', id: 'x', local_time: '28/11/2026 15:00:00', till: 'T1', operator: 'Paul',
    copy_no: null, training: false, corrects: null, reason: null, lines: [], ticket_discount_cents: 0, total_cents: 250,
    vat: [], payments: [{ label: 'Espèces', amount_cents: 250, tendered_cents: 500, change_cents: 250 }],
    line_count: 0, item_count: '0', note: null, hash_extract: 'a', software: '0.1.0', qr_text: 'id-1 h', qr_path: '', qr_size: 0,
  };
  const done = {
    recorded: { id: 'x', number: 'T1-000042', pos: 1, total_cents: 250, hash: 'h', duplicate: false, warnings: [{ fr: 'L’horloge a reculé', en: 'The clock went back' }] },
    receipt,
    opens_drawer: false,
  } satisfies SaleDone;
  const { container } = render(PrintArea);
  render(PaidPanel, { done, onnew: () => {}, onprint: () => void printReceipt(done.receipt), onanswer: () => {}, asking: false, printed: null });
  expect(container.querySelector('.print-area')).toBeNull();
  expect(screen.getByTestId('paid-change').textContent?.replace(/[\s\u202f]+/g, ' ')).toBe('À rendre : 2,50 €');
  expect(screen.getByTestId('paid-warning').textContent).toContain('L’horloge a reculé');

  await fireEvent.click(screen.getByTestId('print'));
  await expect.poll(() => print.mock.calls.length).toBe(1);
  expect(container.querySelector('.print-area [data-testid="receipt-number"]')?.textContent).toBe('T1-000042');
});
