import { describe, expect, it } from 'vitest';
import type { PaymentInput } from '../../lib/bindings/PaymentInput';
import { frenchSoldAt, parseSlipDay, parseSlipTime, slipPayments, slipSoldAt, type PaymentProblem, type PaymentRow } from './model';

describe('the day written on a slip', () => {
  const today = '2026-11-28';
  const cases: Array<[text: string, day: string | null]> = [
    ['25/11/2026', '2026-11-25'],
    ['25/11/26', '2026-11-25'],
    ['25.11.2026', '2026-11-25'],
    ['2026-11-25', '2026-11-25'],
    ['25/11', '2026-11-25'],
    ['28/11', '2026-11-28'],
    ['24/12', '2025-12-24'], // still to come this year: the slip is from last year
    ['31/04/2026', null],
    ['25/11/1999', null],
    ['hier', null],
    ['', null],
  ];
  it.each(cases)('%j → %j', (text, day) => {
    expect(parseSlipDay(text, today)).toBe(day);
  });
});

describe('the time written on a slip', () => {
  const cases: Array<[text: string, time: string | null | 'bad']> = [
    ['10:30', '10:30'],
    ['9:05', '09:05'],
    ['10h30', '10:30'],
    ['10h', '10:00'],
    ['10 h 30', '10:30'],
    ['1030', '10:30'],
    ['7', '07:00'],
    ['', null],
    ['24:00', 'bad'],
    ['10:60', 'bad'],
    ['midi', 'bad'],
  ];
  it.each(cases)('%j → %j', (text, time) => {
    expect(parseSlipTime(text)).toBe(time);
  });
});

describe('when the slip really happened, as sent to the backend', () => {
  const now = '2026-11-28 11:15';
  const cases: Array<[date: string, time: string, soldAt: string]> = [
    ['25/11/2026', '10:30', '2026-11-25 10:30'],
    ['25/11', '', '2026-11-25'],
    ['28/11/2026', '11:15', '2026-11-28 11:15'],
    ['28/11/2026', '11:16', 'future'],
    ['28/11/2026', '', 'future'], // noon is assumed, still to come
    ['29/11/2026', '08:00', 'future'],
    ['31/11/2026', '10:00', 'date'],
    ['25/11/2026', '25:00', 'time'],
  ];
  it.each(cases)('%s %s → %s', (date, time, soldAt) => {
    expect(slipSoldAt(date, time, now)).toBe(soldAt);
  });
  it.each([
    ['2026-11-25 10:30', '25/11/2026 10:30'],
    ['2026-11-25', '25/11/2026'],
    ['autre', 'autre'],
  ])('%s is shown %s', (soldAt, shown) => {
    expect(frenchSoldAt(soldAt)).toBe(shown);
  });
});

describe('the payments of a slip', () => {
  const row = (method: PaymentRow['method'], amount: string, reference = ''): PaymentRow => ({ method, amount, reference });
  const pay = (method: string, amount: number, reference: string | null = null): PaymentInput => ({
    method,
    amount_cents: amount,
    tendered_cents: null,
    reference,
  });
  const cases: Array<[what: string, rows: PaymentRow[], total: number, expected: PaymentInput[] | PaymentProblem]> = [
    ['one method, amount left empty', [row('cash', '')], 2350, [pay('cash', 2350)]],
    ['one method, exact amount', [row('card', '23,50', 'TPE 4512')], 2350, [pay('card', 2350, 'TPE 4512')]],
    ['split, the rest in cash', [row('cheque', '20', '1234567'), row('cash', '')], 2350, [pay('cheque', 2000, '1234567'), pay('cash', 350)]],
    ['split, both given', [row('card', '10'), row('cash', '13,50')], 2350, [pay('card', 1000), pay('cash', 1350)]],
    ['too little', [row('cash', '20')], 2350, 'sum'],
    ['too much (no change on paper)', [row('cash', '25')], 2350, 'sum'],
    ['nothing left for the rest', [row('card', '23,50'), row('cash', '')], 2350, 'sum'],
    ['two rests', [row('card', ''), row('cash', '')], 2350, 'one_rest'],
    ['unreadable amount', [row('cash', 'vingt')], 2350, 'amount'],
    ['zero amount', [row('cash', '0'), row('card', '')], 2350, 'amount'],
    ['other needs its label', [row('other', '')], 2350, 'reference'],
    ['other with its label', [row('other', '', 'Ticket resto')], 2350, [pay('other', 2350, 'Ticket resto')]],
  ];
  it.each(cases)('%s', (_what, rows, total, expected) => {
    expect(slipPayments(rows, total)).toEqual(expected);
  });
});
