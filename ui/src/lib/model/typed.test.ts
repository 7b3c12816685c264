import { describe, expect, it } from 'vitest';
import { looksLikePrice, pricesOf, readTyped, type Typed } from './typed';

describe('readTyped', () => {
  const cases: Array<[text: string, read: Typed]> = [
    ['2,50', { kind: 'price', qty: 1, cents: 250 }],
    ['2.5', { kind: 'price', qty: 1, cents: 250 }],
    ['1,2', { kind: 'price', qty: 1, cents: 120 }],
    [' 0,90 ', { kind: 'price', qty: 1, cents: 90 }],
    ['12,50€', { kind: 'price', qty: 1, cents: 1250 }],
    ['3*2,50', { kind: 'price', qty: 3, cents: 250 }],
    ['3x2,50', { kind: 'price', qty: 3, cents: 250 }],
    ['3X2,5', { kind: 'price', qty: 3, cents: 250 }],
    ['2 x 1,20', { kind: 'price', qty: 2, cents: 120 }],
    ['3×0,9', { kind: 'price', qty: 3, cents: 90 }],
    ['250', { kind: 'digits', qty: 1, digits: '250' }],
    ['3*250', { kind: 'digits', qty: 3, digits: '250' }],
    ['7', { kind: 'digits', qty: 1, digits: '7' }],
    ['0', { kind: 'text' }],
    ['0,00', { kind: 'text' }],
    ['0*2,50', { kind: 'text' }],
    ['1000*2,50', { kind: 'text' }],
    ['2,505', { kind: 'text' }],
    ['1,2,3', { kind: 'text' }],
    ['376123', { kind: 'text' }], // six digits and more: a code
    ['3760000000017', { kind: 'text' }],
    ['3*3760000000017', { kind: 'text' }],
    ['B33', { kind: 'text' }],
    ['bière', { kind: 'text' }],
    ['2x', { kind: 'text' }],
    ['-2,50', { kind: 'text' }],
  ];
  it.each(cases)('%j', (text, read) => {
    expect(readTyped(text)).toEqual(read);
    expect(looksLikePrice(text)).toBe(read.kind !== 'text');
  });
});

describe('pricesOf', () => {
  const cases: Array<[digits: string, cents: number, euros: number]> = [
    ['250', 250, 25000],
    ['7', 7, 700],
    ['00120', 120, 12000],
  ];
  it.each(cases)('%j', (digits, cents, euros) => {
    expect(pricesOf(digits)).toEqual([cents, euros]);
  });
});
