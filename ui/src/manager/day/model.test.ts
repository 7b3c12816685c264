import { describe, expect, it } from 'vitest';
import { formatCents } from '../../lib/money';
import {
  DENOMINATIONS,
  denominationLabel,
  directionOf,
  emptyCounts,
  frenchDate,
  extract,
  isoDay,
  lineCents,
  localTime,
  movementProblem,
  parseCount,
  periodName,
  periodsToClose,
  readGrid,
  signedCents,
  textsOf,
  variance,
  type ClosedPeriod,
  type CountTexts,
} from './model';

/** A grid from a few typed cells, the others left blank. */
function grid(cells: Record<number, string>): CountTexts {
  return { ...emptyCounts(), ...cells };
}

describe('the denominations', () => {
  it('are the fifteen euro coins and notes, largest first', () => {
    expect(DENOMINATIONS).toHaveLength(15);
    expect([...DENOMINATIONS].sort((a, b) => b - a)).toEqual(DENOMINATIONS);
  });
  const labels: Array<[number, string]> = [
    [50_000, '500 €'],
    [500, '5 €'],
    [200, '2 €'],
    [50, '0,50 €'],
    [5, '0,05 €'],
    [1, '0,01 €'],
  ];
  it.each(labels)('%i cents reads %s', (cents, label) => {
    expect(denominationLabel(cents).replace('\u202f', ' ')).toBe(label);
  });
});

describe('one cell of the grid', () => {
  const cases: Array<[typed: string, count: number | null]> = [
    ['', 0],
    ['  ', 0],
    ['0', 0],
    ['7', 7],
    [' 12 ', 12],
    ['99999', 99999],
    ['100000', null],
    ['-1', null],
    ['1,5', null],
    ['2.0', null],
    ['abc', null],
  ];
  it.each(cases)('%j counts %s', (typed, count) => {
    expect(parseCount(typed)).toBe(count);
  });
  it('multiplies the count by the value', () => {
    expect(lineCents(2_000, '5')).toBe(10_000);
    expect(lineCents(50, '')).toBe(0);
    expect(lineCents(50, 'x')).toBeNull();
  });
});

describe('the grid total', () => {
  // cells typed → total, coins, notes, invalid denominations
  const cases: Array<[name: string, cells: Record<number, string>, total: number, coins: number, notes: number, invalid: number[]]> = [
    ['an empty drawer', {}, 0, 0, 0, []],
    ['the float of the e2e test', { 2000: '5', 1000: '3', 200: '10', 50: '4' }, 15_200, 2_200, 13_000, []],
    ['one of each', Object.fromEntries(DENOMINATIONS.map((d) => [d, '1'])), 88_888, 388, 88_500, []],
    ['cents only', { 1: '3', 2: '2', 5: '1' }, 12, 12, 0, []],
    ['a big note pile', { 50000: '200' }, 10_000_000, 0, 10_000_000, []],
    ['a typo is left out of the total', { 2000: '5', 1000: 'x3' }, 10_000, 0, 10_000, [1000]],
    ['zeros send nothing', { 2000: '0', 100: '0' }, 0, 0, 0, []],
  ];
  it.each(cases)('%s', (_name, cells, total, coins, notes, invalid) => {
    const read = readGrid(grid(cells));
    expect(read.totalCents).toBe(total);
    expect(read.coinsCents).toBe(coins);
    expect(read.notesCents).toBe(notes);
    expect(read.invalid).toEqual(invalid);
    expect(read.coinsCents + read.notesCents).toBe(read.totalCents);
    expect(read.counts.reduce((sum, c) => sum + c.value_cents * c.count, 0)).toBe(total);
    expect(read.counts.every((c) => c.count > 0)).toBe(true);
  });
  it('sends the counts largest first, as the backend lists them', () => {
    expect(readGrid(grid({ 1: '2', 50000: '1', 200: '3' })).counts).toEqual([
      { value_cents: 50000, count: 1 },
      { value_cents: 200, count: 3 },
      { value_cents: 1, count: 2 },
    ]);
  });
  it('shows a closure’s counts again', () => {
    const texts = textsOf([{ value_cents: 2000, count: 5 }, { value_cents: 10, count: 7 }]);
    expect(readGrid(texts).totalCents).toBe(10_070);
    expect(texts[500]).toBe('');
  });
});

describe('the variance', () => {
  // counted, expected → variance, tone, as shown
  const cases: Array<[counted: number, expected: number, cents: number, tone: string, shown: string]> = [
    [13_550, 13_550, 0, 'exact', '0,00 €'],
    [13_500, 13_550, -50, 'short', '-0,50 €'],
    [13_700, 13_550, 150, 'over', '+1,50 €'],
    [0, 15_200, -15_200, 'short', '-152,00 €'],
    [100, 0, 100, 'over', '+1,00 €'],
    [0, -500, 500, 'over', '+5,00 €'], // more paid out than was in the drawer
  ];
  it.each(cases)('counted %i against %i', (counted, expected, cents, tone, shown) => {
    const v = variance(counted, expected);
    expect(v).toEqual({ cents, tone });
    expect(signedCents(v.cents, formatCents).replace(/\u202f/g, ' ')).toBe(shown);
  });
});

describe('a cash movement', () => {
  const cases: Array<[amount: number | null, reason: string, problem: string | null]> = [
    [2000, 'Timbres', null],
    [null, 'Timbres', 'amount'],
    [0, 'Timbres', 'amount'],
    [-100, 'Timbres', 'amount'],
    [2000, '   ', 'reason'],
  ];
  it.each(cases)('%s € for %j', (amount, reason, problem) => {
    expect(movementProblem(amount, reason)).toBe(problem);
  });
  it('goes in for a float top-up, out otherwise', () => {
    expect(directionOf('float_top_up')).toBe('in');
    expect(directionOf('paid_out')).toBe('out');
    expect(directionOf('bank_deposit')).toBe('out');
    expect(directionOf('other')).toBe('out');
  });
});

describe('dates', () => {
  const typed: Array<[string, string | null]> = [
    ['2026-11-28', '2026-11-28'],
    ['28/11/2026', '2026-11-28'],
    ['1/2/2026', '2026-02-01'],
    ['2026-02-30', null],
    ['29/02/2025', null],
    ['29/02/2024', '2024-02-29'],
    ['demain', null],
    ['', null],
  ];
  it.each(typed)('%j is %s', (text, iso) => {
    expect(isoDay(text)).toBe(iso);
  });
  it('reads French', () => {
    expect(frenchDate('2026-11-28')).toBe('28/11/2026');
    expect(periodName('2026-08')).toBe('août 2026');
    expect(periodName('2026')).toBe('2026');
  });
});

describe('periods to close', () => {
  const day = (first_day: string): ClosedPeriod => ({ period: 'day', first_day });
  const month = (first_day: string): ClosedPeriod => ({ period: 'month', first_day });
  const year = (first_day: string): ClosedPeriod => ({ period: 'year', first_day });
  const cases: Array<[name: string, closures: ClosedPeriod[], open: string | null, today: string, months: string[], years: string[]]> = [
    ['nothing closed yet', [], null, '2026-11-28', [], []],
    ['the current month is not over', [day('2026-11-02'), day('2026-11-03')], null, '2026-11-28', [], []],
    ['last month is', [day('2026-10-30'), day('2026-11-02')], null, '2026-11-28', ['2026-10'], []],
    ['a month already closed', [day('2026-10-30'), month('2026-10-30')], null, '2026-11-28', [], []],
    ['last year', [day('2025-12-30'), month('2025-12-30')], null, '2026-01-05', [], ['2025']],
    ['a year already closed', [day('2025-12-30'), month('2025-12-30'), year('2025-12-30')], null, '2026-01-05', [], []],
    ['a day left open in that month', [day('2026-10-30')], '2026-10-31', '2026-11-01', [], []],
    ['oldest first', [day('2026-09-30'), day('2026-08-01'), day('2026-10-01')], null, '2026-11-28', ['2026-08', '2026-09', '2026-10'], []],
  ];
  it.each(cases)('%s', (_name, closures, open, today, months, years) => {
    expect(periodsToClose(closures, open, today)).toEqual({ months, years });
  });
});

describe('times and extracts', () => {
  it('reads an instant in local time', () => {
    const local = new Date(2026, 10, 28, 15, 16, 9);
    expect(localTime(local.toISOString())).toBe('28/11/2026 15:16');
    expect(localTime('pas une date')).toBe('pas une date');
  });
  it('cuts a signature', () => {
    expect(extract('0123456789abcdef0123')).toBe('0123456789abcdef…');
    expect(extract('abcd')).toBe('abcd');
  });
});
