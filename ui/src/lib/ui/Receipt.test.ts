import { render, screen } from '@testing-library/svelte';
import { expect, it } from 'vitest';
import type { ReceiptDoc } from '../api';
import Receipt from './Receipt.svelte';

const doc: ReceiptDoc = {
  shop: { name: 'Épicerie du Marché', address: '12 rue des Lilas, 69003 Lyon', siret: '12345678900012', vat_number: 'FR12123456789' },
  title: 'VENTE',
  number: 'T1-000001',
  id: '0193a0b0-0000-7000-8000-000000000001',
  local_time: '28/11/2026 15:16:09',
  till: 'T1',
  operator: 'Paul',
  copy_no: null,
  training: false,
  corrects: null,
  reason: null,
  lines: [{ label: 'Crème fraîche', detail: '2 x 2,35', amount_cents: 470, discount_cents: 20, rate_letter: 'A' }],
  ticket_discount_cents: 0,
  total_cents: 450,
  vat: [{ letter: 'A', rate: '5,5 %', ht_cents: 427, vat_cents: 23, ttc_cents: 450 }],
  payments: [{ label: 'Espèces', amount_cents: 450, tendered_cents: 1000, change_cents: 550 }],
  line_count: 1,
  item_count: '2 article(s)',
  note: null,
  hash_extract: 'a1b2c3d4',
  software: '0.1.0',
  qr_text: 'x h',
  qr_path: 'M0 0h1v1h-1z',
  qr_size: 21,
};

function shown(): string {
  return (screen.getByTestId('receipt').textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ');
}

it.each<[name: string, change: Partial<ReceiptDoc>, present: string[], absent: string[]]>([
  [
    'a sale',
    {},
    ['Épicerie du Marché', '12 rue des Lilas', '69003 Lyon', 'SIRET 12345678900012', 'TVA FR12123456789', 'VENTE', 'T1-000001',
      '28/11/2026 15:16:09', 'Caisse T1', 'Opérateur : Paul', '2 x 2,35', '4,70 A', 'Remise', '-0,20', 'TOTAL TTC', '4,50 EUR',
      'A 5,5 %', '4,27', '0,23', 'Espèces', 'Montant remis', '10,00', 'Rendu', '5,50', '1 ligne(s), 2 article(s)', 'Empreinte : a1b2c3d4', 'Relais 0.1.0'],
    ['DUPLICATA', "Ticket d'origine", 'Motif'],
  ],
  ['a reprint', { copy_no: 2 }, ['DUPLICATA 2'], []],
  [
    'a refund',
    { title: 'REMBOURSEMENT', corrects: 'T1-000001', reason: 'Article défectueux', total_cents: -450 },
    ['REMBOURSEMENT', "Ticket d'origine : T1-000001", 'Motif : Article défectueux', '-4,50 EUR'],
    ['DUPLICATA'],
  ],
])('prints every mention of %s', (_name, change, present, absent) => {
  render(Receipt, { doc: { ...doc, ...change } });
  const text = shown();
  for (const piece of present) expect(text).toContain(piece);
  for (const piece of absent) expect(text).not.toContain(piece);
  const qr = screen.getByTestId('receipt-qr');
  expect(qr.getAttribute('viewBox')).toBe('-4 -4 29 29');
  expect(qr.querySelector('path')?.getAttribute('d')).toBe('M0 0h1v1h-1z');
});
