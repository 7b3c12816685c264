import { describe, expect, it } from 'vitest';
import type { BundleFile } from '../../lib/bindings/BundleFile';
import {
  backupInstant,
  baseName,
  everySales,
  filesToOpen,
  formatBytes,
  joinPath,
  localInstant,
  orderedCounts,
  readableLocal,
  reentryProgress,
} from './model';

describe('localInstant', () => {
  it.each([
    ['2026-11-25T07:00:00Z', 'Europe/Paris', '25/11/2026 08:00'],
    ['2026-07-14T22:30:00.123Z', 'Europe/Paris', '15/07/2026 00:30'],
    ['2026-03-29T01:00:00Z', 'Europe/Paris', '29/03/2026 03:00'],
    ['2026-11-25T07:00:00Z', 'UTC', '25/11/2026 07:00'],
    ['2026-11-25T07:00:00Z', 'America/Cayenne', '25/11/2026 04:00'],
    ['hier', 'Europe/Paris', 'hier'],
    ['', 'Europe/Paris', ''],
  ])('%s in %s → %s', (utc, zone, expected) => {
    expect(localInstant(utc, zone)).toBe(expected);
  });
});

it('shows an instant in this computer\'s zone when the till\'s is unknown to the engine', () => {
  const utc = '2026-11-25T07:00:00Z';
  expect(localInstant(utc, 'Mars/Olympus')).toBe(localInstant(utc));
});

describe('readableLocal', () => {
  it.each([
    ['', true],
    ['  ', true],
    ['2026-11-25 08:00', true],
    ['2026-11-25T08:00', true],
    ['2026-11-25 08:00:30', true],
    ['25/11/2026 08:00', true],
    ['25/11/2026 08:00:59', true],
    ['25/11/2026', true],
    ['2026-11-25', true],
    ['29/02/2028 10:00', true],
    ['29/02/2027 10:00', false],
    ['31/04/2026 10:00', false],
    ['25/13/2026 08:00', false],
    ['25/11/2026 24:00', false],
    ['25/11/2026 08:60', false],
    ['25/11/26 08:00', false],
    ['25-11-2026 08:00', false],
    ['hier matin', false],
  ])('%j → %s', (text, expected) => {
    expect(readableLocal(text)).toBe(expected);
  });
});

describe('reentryProgress', () => {
  it.each([
    [[], { done: 0, total: 0, left: 0, percent: 100 }],
    [[{ kind: 'sale', total: 4, left: 4 }], { done: 0, total: 4, left: 4, percent: 0 }],
    [
      [
        { kind: 'sale', total: 10, left: 3 },
        { kind: 'refund', total: 2, left: 0 },
      ],
      { done: 9, total: 12, left: 3, percent: 75 },
    ],
    [[{ kind: 'sale', total: 3, left: 1 }], { done: 2, total: 3, left: 1, percent: 66 }],
    [[{ kind: 'closure', total: 1, left: 0 }], { done: 1, total: 1, left: 0, percent: 100 }],
  ])('%j', (kinds, expected) => {
    const left = kinds.reduce((s, k) => s + k.left, 0);
    expect(reentryProgress({ kinds, left })).toEqual(expected);
  });
});

describe('filesToOpen', () => {
  const file = (path: string): BundleFile => ({ path, sha256: 'x', bytes: 1 });
  const all = ['csv/sales.csv', 'excel-fr/sales.csv', 'excel-fr/lines.csv', 'records.jsonl', 'report.html', 'fec.txt'].map(file);
  it.each([
    ['excel-fr', ['report.html', 'fec.txt', 'records.jsonl', 'excel-fr/lines.csv', 'excel-fr/sales.csv']],
    ['csv', ['report.html', 'fec.txt', 'records.jsonl', 'csv/sales.csv']],
  ] as const)('%s', (dialect, expected) => {
    expect(filesToOpen(all, dialect).map((f) => f.path)).toEqual(expected);
  });
  it('leaves the list it was given as it was', () => {
    filesToOpen(all, 'csv');
    expect(all[0]?.path).toBe('csv/sales.csv');
  });
});

describe('paths', () => {
  it.each([
    ['/media/usb/relais-T1-000001-000009', 'report.html', '/media/usb/relais-T1-000001-000009/report.html'],
    ['/media/usb/', 'excel-fr/sales.csv', '/media/usb/excel-fr/sales.csv'],
    ['E:\\relais-T1-000001-000009', 'excel-fr/sales.csv', 'E:\\relais-T1-000001-000009\\excel-fr\\sales.csv'],
  ])('joinPath(%s, %s)', (folder, relative, expected) => {
    expect(joinPath(folder, relative)).toBe(expected);
  });
  it.each([
    ['/media/usb/relais-sauvegarde-T1-20261201-193821123', 'relais-sauvegarde-T1-20261201-193821123'],
    ['/media/usb/x/', 'x'],
    ['E:\\sauvegardes\\b', 'b'],
  ])('baseName(%s) → %s', (path, expected) => {
    expect(baseName(path)).toBe(expected);
  });
});

describe('backupInstant', () => {
  it.each([
    ['/media/usb/relais-sauvegarde-T1-20261201-193821123', '2026-12-01T19:38:21Z'],
    ['/media/usb/relais-sauvegarde-CAISSE2-20261201-193821123-2', '2026-12-01T19:38:21Z'],
    ['/media/usb/relais-sauvegarde-T1-20260105-070000', '2026-01-05T07:00:00Z'],
    ['/media/usb/copie-a-la-main', null],
  ])('%s → %s', (path, expected) => {
    expect(backupInstant(path)).toBe(expected);
  });
});

describe('everySales', () => {
  it.each([
    ['0', 0],
    ['50', 50],
    [' 25 ', 25],
    ['', null],
    ['-1', null],
    ['2,5', null],
    ['dix', null],
  ])('%j → %s', (text, expected) => {
    expect(everySales(text)).toBe(expected);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, 'fr', '0\u00a0o'],
    [850, 'fr', '850\u00a0o'],
    [1024, 'fr', '1,0\u00a0Ko'],
    [12_700, 'fr', '12,4\u00a0Ko'],
    [3_250_000, 'fr', '3,1\u00a0Mo'],
    [3_250_000, 'en', '3.1\u00a0MB'],
  ] as const)('%d (%s) → %s', (bytes, lang, expected) => {
    expect(formatBytes(bytes, lang)).toBe(expected);
  });
});

describe('orderedCounts', () => {
  it.each([
    [{ event: 5, sale: 2, closure: 1 }, [['sale', 2], ['closure', 1], ['event', 5]]],
    [{ refund: 0, sale: 1 }, [['sale', 1]]],
    [{ zzz: 1, sale: 1 }, [['sale', 1], ['zzz', 1]]],
    [{}, []],
  ])('%j', (counts, expected) => {
    expect(orderedCounts(counts)).toEqual(expected);
  });
});
