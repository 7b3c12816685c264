import { describe, expect, it } from 'vitest';
import {
  cashSuggestions,
  cashTender,
  changeOf,
  isTender,
  otherTender,
  remainingCents,
  toPaymentInputs,
  totalChange,
  type Tender,
  type TenderError,
} from './payment';

const card = (amount: number, reference: string | null = null): Tender => ({
  method: 'card',
  amount_cents: amount,
  tendered_cents: null,
  reference,
});

describe('cash handed over', () => {
  // remaining, tendered → amount paid, change (or the refusal)
  const cases: Array<[remaining: number, tendered: number | null, expected: [number, number] | TenderError]> = [
    [780, 1000, [780, 220]],
    [280, 1000, [280, 720]],
    [280, 280, [280, 0]],
    [780, 500, [500, 0]], // part paid in cash, the rest by another method
    [1, 5000, [1, 4999]],
    [0, 1000, 'nothing_due'],
    [780, 0, 'tendered'],
    [780, null, 'tendered'],
    [780, -100, 'tendered'],
  ];
  it.each(cases)('due %i, handed %s → %j', (remaining, tendered, expected) => {
    const tender = cashTender(remaining, tendered);
    if (typeof expected === 'string') {
      expect(tender).toBe(expected);
      return;
    }
    expect(isTender(tender)).toBe(true);
    if (!isTender(tender)) return;
    expect([tender.amount_cents, changeOf(tender)]).toEqual(expected);
    expect(tender.tendered_cents).toBe(tendered);
  });
});

describe('other methods', () => {
  const cases: Array<[method: 'card' | 'cheque' | 'other', remaining: number, amount: number | null, reference: string, expected: Tender | TenderError]> = [
    ['card', 780, 500, ' TPE-0042 ', card(500, 'TPE-0042')],
    ['card', 780, 780, '', card(780)],
    ['card', 780, 781, '', 'over'],
    ['card', 780, 0, '', 'amount'],
    ['card', 780, null, '', 'amount'],
    ['card', 0, 100, '', 'nothing_due'],
    ['cheque', 780, 780, '1234567', { method: 'cheque', amount_cents: 780, tendered_cents: null, reference: '1234567' }],
    ['other', 780, 780, '  ', 'reference'],
    ['other', 780, 780, 'Ticket resto', { method: 'other', amount_cents: 780, tendered_cents: null, reference: 'Ticket resto' }],
  ];
  it.each(cases)('%s: due %i, %s (%j) → %j', (method, remaining, amount, reference, expected) => {
    expect(otherTender(remaining, method, amount, reference)).toEqual(expected);
  });
});

describe('a split payment', () => {
  it('pays 7,80 € with 5,00 € by card and 10,00 € cash: 7,20 € back', () => {
    const total = 780;
    const tenders: Tender[] = [card(500, 'TPE-1')];
    expect(remainingCents(total, tenders)).toBe(280);
    const cash = cashTender(remainingCents(total, tenders), 1000);
    if (!isTender(cash)) throw new Error(cash);
    tenders.push(cash);
    expect(remainingCents(total, tenders)).toBe(0);
    expect(totalChange(tenders)).toBe(720);
    expect(toPaymentInputs(tenders)).toEqual([
      { method: 'card', amount_cents: 500, tendered_cents: null, reference: 'TPE-1' },
      { method: 'cash', amount_cents: 280, tendered_cents: 1000, reference: null },
    ]);
  });
});

it.each([
  [780, [780, 800, 1000, 2000]],
  [2350, [2350, 2400, 5000, 10000]],
  [500, [500, 1000, 2000, 5000]],
  [0, []],
])('cash suggestions for %i: %j', (remaining, expected) => {
  expect(cashSuggestions(remaining)).toEqual(expected);
});
