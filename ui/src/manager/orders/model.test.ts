import { describe, expect, it } from 'vitest';
import type { PaymentInput } from '../../lib/bindings/PaymentInput';
import {
  addDays,
  balanceCents,
  emptyDraft,
  frenchDay,
  isProblem,
  parseDay,
  suggestedDeposit,
  toLineInput,
  toLineInputs,
  toOrderInput,
  type Draft,
  type DraftLine,
  type Problem,
} from './model';

const free = (label: string, qty: string, price: string): DraftLine => ({
  label,
  sku: null,
  barcode: null,
  department: null,
  qty,
  price,
  vatBp: 2000,
});

describe('a typed line as the backend prices it, or why it cannot be read yet', () => {
  // No price is computed here: the backend prices what this sends (pricing.svelte.ts).
  const cases: Array<[line: DraftLine, sent: [qty: unknown, unit: unknown, rate: unknown] | string]> = [
    [free('Gâteau', '1', '21,00'), ['1', 2100, 2000]],
    [free('Pain', '1,250', '3,99'), ['1.25', 399, 2000]],
    [{ ...free('Flan', '2', '3'), vatBp: 850 }, ['2', 300, 850]],
    [free('Pain', 'deux', '3,99'), 'qty'],
    [free('Tarte', '0', '12'), 'qty'],
    [free('Tarte', '1', '12,345'), 'price'], // three decimals of euros: refused
    [free('Tarte', '1', '-2'), 'price'],
    [free(' ', '1', '2'), 'label'],
    [{ ...free('Tarte', '1', '12'), vatBp: null }, 'rate'], // the till's rates not known yet
  ];
  it.each(cases)('%j → %j', (line, sent) => {
    const input = toLineInput(line);
    expect(typeof input === 'string' ? input : [input.qty, input.unit_price_cents, input.vat_rate_bp]).toEqual(sent);
  });
});

describe('balance and suggested deposits', () => {
  const balances: Array<[total: number, deposit: number, balance: number]> = [
    [2400, 1000, 1400],
    [2400, 0, 2400],
    [2400, 2400, 0],
    [2400, 3000, 0],
  ];
  it.each(balances)('total %i, deposit %i → balance %i', (total, deposit, balance) => {
    expect(balanceCents(total, deposit)).toBe(balance);
  });
  const suggestions: Array<[total: number, percent: number, deposit: number]> = [
    [2400, 30, 800], // 7,20 → 8,00
    [2400, 50, 1200],
    [2450, 50, 1300], // 12,25 → 13,00
    [2400, 100, 2400],
    [150, 50, 100],
    [50, 30, 50], // never more than the total
    [0, 30, 0],
  ];
  it.each(suggestions)('%i at %i %% → %i', (total, percent, deposit) => {
    expect(suggestedDeposit(total, percent)).toBe(deposit);
  });
});

describe('a requested day typed by a person', () => {
  const today = '2026-11-28';
  const cases: Array<[text: string, day: string | null]> = [
    ['28/11/2026', '2026-11-28'],
    ['1/12/2026', '2026-12-01'],
    ['05-12-26', '2026-12-05'],
    ['2026-12-24', '2026-12-24'],
    ['24/12', '2026-12-24'],
    ['3/1', '2027-01-03'], // already past this year: next year's
    ['28/11', '2026-11-28'], // today stays today
    ['29/02/2027', null],
    ['29/02/2028', '2028-02-29'],
    ['31/11/2026', null],
    ['13/13/2026', null],
    ['demain', null],
    ['', null],
  ];
  it.each(cases)('%j → %j', (text, day) => {
    expect(parseDay(text, today)).toBe(day);
  });
  it.each([
    ['2026-11-28', 1, '2026-11-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
  ] as const)('%s + %i day → %s, shown %s', (day, n, next) => {
    expect(addDays(day, n)).toBe(next);
    expect(frenchDay(next)).toBe(`${next.slice(8)}/${next.slice(5, 7)}/${next.slice(0, 4)}`);
  });
});

describe('the order sent to the backend', () => {
  const today = '2026-11-28';
  const base = (): Draft => ({
    ...emptyDraft(),
    name: ' Mme Durand ',
    phone: '06 12 34 56 78',
    lines: [free('Gâteau 8 parts', '1', '32,00')],
    date: '5/12',
  });
  const card: PaymentInput = { method: 'card', amount_cents: 1000, tendered_cents: null, reference: 'TPE 1' };
  const cases: Array<[what: string, change: (d: Draft) => void, deposit: PaymentInput[], expected: Problem | null]> = [
    ['a complete order', () => {}, [card], null],
    ['no name', (d) => (d.name = '  '), [], { key: 'name' }],
    ['no way to reach the customer', (d) => (d.phone = ''), [], { key: 'contact' }],
    ['an e-mail is enough', (d) => ((d.phone = ''), (d.email = 'a@b.fr')), [], null],
    ['no line', (d) => (d.lines = []), [], { key: 'no_lines' }],
    ['a free line without label', (d) => d.lines.push(free(' ', '1', '2')), [], { key: 'label', line: 2 }],
    ['a bad quantity', (d) => d.lines.push(free('Tarte', '0', '2')), [], { key: 'qty', line: 2 }],
    ['a bad price', (d) => d.lines.push(free('Tarte', '1', 'abc')), [], { key: 'price', line: 2 }],
    ['a bad date', (d) => (d.date = '31/02'), [], { key: 'date' }],
    ['no date is fine', (d) => (d.date = ''), [], null],
    ['a deposit over the total', () => {}, [{ ...card, amount_cents: 3201 }], { key: 'deposit_over' }],
    ['a deposit over the backend’s total', (d) => (d.lines = [free('Gâteau 8 parts', '1', '35,00')]), [{ ...card, amount_cents: 3201 }], { key: 'deposit_over' }],
  ];
  /** What the backend priced the lines at (not what they would cost here: it is the authority). */
  const total = 3200;
  it.each(cases)('%s', (_what, change, deposit, expected) => {
    const draft = base();
    change(draft);
    const input = toOrderInput(draft, deposit, today, total);
    if (expected !== null) {
      expect(input).toEqual(expected);
      return;
    }
    expect(isProblem(input)).toBe(false);
  });

  it('leaves the deposit to the backend while the total is not known', () => {
    expect(isProblem(toOrderInput(base(), [{ ...card, amount_cents: 3201 }], today, null))).toBe(false);
  });

  it('carries the customer, the lines as integers and the deposit', () => {
    const input = toOrderInput(base(), [card], today, 3200);
    expect(input).toEqual({
      id: null,
      customer: { name: 'Mme Durand', phone: '06 12 34 56 78', email: null, address: null },
      lines: [
        {
          label: 'Gâteau 8 parts',
          sku: null,
          barcode: null,
          department: null,
          qty: '1',
          unit_price_cents: 3200,
          vat_rate_bp: 2000,
          discount_cents: null,
          discount_percent: null,
        },
      ],
      requested_date: '2026-12-05',
      fulfilment: 'pickup',
      note: null,
      deposit: [card],
      operator: null,
    });
  });

  it('sends a catalogue line by its sku, else its barcode, and a department line by its code', () => {
    const lines = toLineInputs([
      { ...free('Crème', '2', '2,35'), sku: 'CR20', barcode: '3250390000011' },
      { ...free('Bière', '1,5', '1,95'), barcode: '3250390000028' },
      { ...free('Boulangerie', '1', '4,20'), department: 'BOUL', vatBp: 550 },
    ]);
    expect(isProblem(lines)).toBe(false);
    expect(Array.isArray(lines) && lines.map((l) => [l.sku, l.barcode, l.department, l.qty, l.unit_price_cents, l.vat_rate_bp])).toEqual([
      ['CR20', null, null, '2', 235, 2000],
      [null, '3250390000028', null, '1.5', 195, 2000],
      [null, null, 'BOUL', '1', 420, 550],
    ]);
  });
});
