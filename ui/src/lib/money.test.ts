import { describe, expect, it } from 'vitest';
import { AMOUNT_SPACE as S, formatCents, parseEuros } from './money';

describe('formatCents', () => {
  const cases: Array<[cents: number, expected: string]> = [
    [0, `0,00${S}€`],
    [5, `0,05${S}€`],
    [99, `0,99${S}€`],
    [100, `1,00${S}€`],
    [1250, `12,50${S}€`],
    [99999, `999,99${S}€`],
    [100000, `1${S}000,00${S}€`],
    [123450, `1${S}234,50${S}€`],
    [123456789, `1${S}234${S}567,89${S}€`],
    [-5, `-0,05${S}€`],
    [-123450, `-1${S}234,50${S}€`],
  ];
  it.each(cases)('%i cents → %s', (cents, expected) => {
    expect(formatCents(cents)).toBe(expected);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('refuses %s', (bad) => {
    expect(() => formatCents(bad)).toThrow(RangeError);
  });

  it('uses the narrow no-break space, never a plain space', () => {
    expect(formatCents(123450)).not.toContain(' ');
    expect(formatCents(123450)).toContain('\u202f');
  });
});

describe('parseEuros', () => {
  const cases: Array<[text: string, expected: number | null]> = [
    ['12,50', 1250],
    ['12.5', 1250],
    ['12', 1200],
    ['0,05', 5],
    [',5', 50],
    ['5.', 500],
    ['1 234,50 €', 123450],
    ['1\u00a0234,50\u00a0€', 123450],
    [`1${S}234,50${S}€`, 123450],
    ['€3', 300],
    ['  7,00  ', 700],
    ['-0,05', -5],
    ['+2,10', 210],
    ['-0', 0],
    ['0.10', 10],
    ['0.29', 29], // 0.29 * 100 is 28.999… in floating point
    ['1.15', 115], // 1.15 * 100 is 114.999… in floating point
    ['4.35', 435],
    ['90071992547409,91', 9007199254740991],
    ['90071992547409,92', null], // one cent beyond the exact range
    ['1.234', null], // three decimals: refused, not rounded
    ['1.2.3', null],
    ['1,234,50', null],
    ['12a', null],
    ['abc', null],
    ['', null],
    ['€', null],
    ['.', null],
    ['-', null],
    ['1e3', null],
    ['--1', null],
  ];
  it.each(cases)('%j → %s', (text, expected) => {
    expect(parseEuros(text)).toBe(expected);
  });

  it('always returns an integer', () => {
    for (const [text] of cases) {
      const cents = parseEuros(text);
      if (cents !== null) expect(Number.isInteger(cents)).toBe(true);
    }
  });

  it('reads back what formatCents writes', () => {
    for (const cents of [0, 7, 1250, 123450, -99, 987654321]) {
      expect(parseEuros(formatCents(cents))).toBe(cents);
    }
  });
});
