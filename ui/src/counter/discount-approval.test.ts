import { describe, expect, it } from 'vitest';
import type { SaleSettings, Ticket } from '../lib/api';
import { discountWhat, percentOf } from './discount-approval';

const settings: SaleSettings = { default_department: '', discount_approval_percent: 20, discount_approval_cents: 2000 };

function ticket(lines: Array<[label: string, gross: number, discount: number]>, ticketDiscount = 0): Ticket {
  const priced = lines.map(([label, gross, discount]) => ({
    label, qty_milli: 1000, unit_price_cents: gross, vat_rate_bp: 550, gross_cents: gross, discount_cents: discount,
    ticket_discount_cents: 0, total_cents: gross - discount, ht_cents: 0,
  }));
  const total = priced.reduce((s, l) => s + l.total_cents, 0) - ticketDiscount;
  return { lines: priced, ticket_discount_cents: ticketDiscount, vat: [], total_cents: total, payments: [] };
}

const N = '\u202f';

describe('what a manager approves', () => {
  it.each<[name: string, t: Ticket, settings: SaleSettings | null, what: string | null]>([
    ['no discount', ticket([['Pain', 250, 0]]), settings, null],
    ['within the threshold', ticket([['Gâteau', 1000, 200]]), settings, null],
    ['a line above the percentage', ticket([['Gâteau', 1000, 300]]), settings, `La remise de 3,00${N}€ (30 %) sur « Gâteau », ticket de 7,00${N}€`],
    ['a ticket discount above the amount', ticket([['Pièce montée', 20000, 0]], 2500), settings, `La remise de 25,00${N}€ (12,5 %) sur le ticket, ticket de 175,00${N}€`],
    [
      'both, only those above',
      ticket([['Gâteau', 1000, 500], ['Pain', 1000, 100]], 950),
      settings,
      `La remise de 5,00${N}€ (50 %) sur « Gâteau », la remise de 9,50${N}€ (67,9 %) sur le ticket, ticket de 4,50${N}€`,
    ],
    ['threshold unknown: every discount', ticket([['Pain', 1000, 100]]), null, `La remise de 1,00${N}€ (10 %) sur « Pain », ticket de 9,00${N}€`],
  ])('%s', (_name, t, s, what) => {
    expect(discountWhat(t, s)).toBe(what);
  });

  it('words a share with one decimal when it has one', () => {
    expect([percentOf(300, 1000), percentOf(125, 1000), percentOf(1, 3), percentOf(5, 0)]).toEqual(['30', '12,5', '33,3', '100']);
  });
});
