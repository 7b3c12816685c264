import { describe, expect, it } from 'vitest';
import { formatQty, formatRate, formatWeight, parsePercent, parseQty, qtyInput } from './qty';

describe('parseQty', () => {
  const cases: Array<[text: string, milli: number | null]> = [
    ['1', 1000],
    ['3', 3000],
    ['1,250', 1250],
    ['1.25', 1250],
    ['0,5', 500],
    [',5', 500],
    ['2.', 2000],
    ['0,001', 1],
    [' 12 ', 12000],
    ['1 000', 1_000_000],
    ['+2', 2000],
    ['99999,999', 99_999_999],
    ['100000', null], // above the largest quantity
    ['1,2345', null], // four decimals: refused, never rounded
    ['0', null],
    ['0,000', null],
    ['-1', null],
    ['', null],
    ['abc', null],
    ['1,2,3', null],
    ['1e3', null],
  ];
  it.each(cases)('%j → %s', (text, milli) => {
    expect(parseQty(text)).toBe(milli);
  });
});

describe('formatting quantities', () => {
  const cases: Array<[milli: number, qty: string, weight: string, input: string]> = [
    [1000, '1', '1,000', '1'],
    [12000, '12', '12,000', '12'],
    [1250, '1,25', '1,250', '1.25'],
    [1255, '1,255', '1,255', '1.255'],
    [5, '0,005', '0,005', '0.005'],
    [-1500, '-1,5', '-1,500', '-1.5'],
  ];
  it.each(cases)('%i → %s / %s / %s', (milli, qty, weight, input) => {
    expect(formatQty(milli)).toBe(qty);
    expect(formatWeight(milli)).toBe(weight);
    expect(qtyInput(milli)).toBe(input);
    expect(parseQty(qty.replace('-', ''))).toBe(Math.abs(milli));
  });
});

describe('parsePercent', () => {
  const cases: Array<[text: string, percent: string | null]> = [
    ['10', '10'],
    ['2,5', '2,5'],
    ['2.5', '2,5'],
    ['12,75 %', '12,75'],
    ['100', '100'],
    ['007', '7'],
    ['0', null],
    ['100,01', null],
    ['1,234', null],
    ['-5', null],
    ['', null],
  ];
  it.each(cases)('%j → %s', (text, percent) => {
    expect(parsePercent(text)).toBe(percent);
  });
});

it.each([
  [2000, '20\u00a0%'],
  [1000, '10\u00a0%'],
  [550, '5,5\u00a0%'],
  [210, '2,1\u00a0%'],
  [850, '8,5\u00a0%'],
  [1, '0,01\u00a0%'],
])('formatRate(%i) → %s', (bp, text) => {
  expect(formatRate(bp)).toBe(text);
});
