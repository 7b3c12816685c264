import { describe, expect, it } from 'vitest';
import type { TicketSummary } from '../lib/bindings/TicketSummary';
import { isReference, ticketMatches } from './ticket-search';

const LABELS: Record<string, string> = { cash: 'Espèces', card: 'Carte bancaire', cheque: 'Chèque', store_credit: 'Avoir' };
const label = (code: string) => LABELS[code] ?? code;

const ticket: TicketSummary = {
  id: '0193',
  number: 'T1-000042',
  time: '14:05:09',
  total_cents: 790,
  methods: ['card', 'cash'],
  operator: 'Marie',
  voided: false,
  refunded: false,
  late: false,
};

describe('ticketMatches', () => {
  const cases: [query: string, expected: boolean][] = [
    ['', true],
    ['14h', true],
    ['14h05', true],
    ['14:0', true],
    ['14h1', false],
    ['9h', false],
    ['7,90', true],
    ['7,9', true],
    ['7.90', true],
    ['7', true],
    ['7,50', false],
    ['8', false],
    ['esp', true],
    ['especes', true],
    ['carte', true],
    ['cb', true],
    ['cheque', false],
    ['mar', true],
    ['MARIE', true],
    ['paul', false],
    ['42', true],
    ['t1-000042', true],
    ['marie 14h cb', true],
    ['marie 15h', false],
  ];
  it.each(cases)('« %s » → %s', (query, expected) => {
    expect(ticketMatches(ticket, query, label)).toBe(expected);
  });

  it('an early morning hour is written with one digit', () => {
    expect(ticketMatches({ ...ticket, time: '09:30:00' }, '9h30', label)).toBe(true);
  });
});

describe('isReference', () => {
  const cases: [text: string, expected: boolean][] = [
    ['T1-000042', true],
    ['t1-42', true],
    ['0193a0b1-7c2d-7e00-8000-000000000000 abcd', true],
    ['14h', false],
    ['7,90', false],
    ['marie', false],
    ['42', false],
  ];
  it.each(cases)('%s → %s', (text, expected) => expect(isReference(text)).toBe(expected));
});
