import { expect, it } from 'vitest';
import { countOf, formatCount } from './plural';

const S = '\u202f';

it.each([
  [0, '0'],
  [7, '7'],
  [999, '999'],
  [1000, `1${S}000`],
  [1234567, `1${S}234${S}567`],
])('formatCount(%i) → %s', (n, expected) => {
  expect(formatCount(n)).toBe(expected);
});

it.each([
  [0, '0\u00a0enregistrement'],
  [1, '1\u00a0enregistrement'],
  [2, '2\u00a0enregistrements'],
  [1500, `1${S}500\u00a0enregistrements`],
])('countOf(%i) → %s', (n, expected) => {
  expect(countOf(n, 'enregistrement')).toBe(expected);
});
