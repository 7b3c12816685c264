import { describe, expect, it } from 'vitest';
import { ScanDetector, type EnterKind } from './scanner';

/** Keys typed `gap` ms apart starting at `start`, then Enter `enterGap` ms after the last. */
function typed(text: string, gap: number, enterGap = gap, start = 1000): Array<[string, number]> {
  const keys: Array<[string, number]> = [...text].map((c, i) => [c, start + i * gap]);
  const last = keys.length === 0 ? start : (keys[keys.length - 1]?.[1] ?? start);
  keys.push(['Enter', last + enterGap]);
  return keys;
}

const cases: Array<[name: string, keys: Array<[string, number]>, expected: EnterKind]> = [
  ['an EAN-13 from a scanner (5 ms apart)', typed('3760000000017', 5), { kind: 'scan', code: '3760000000017' }],
  ['an EAN-8 at the 30 ms limit', typed('12345670', 30), { kind: 'scan', code: '12345670' }],
  ['a code too short to be a barcode', typed('12345', 5), { kind: 'typed' }],
  ['a person typing a name', typed('creme', 140), { kind: 'typed' }],
  ['a person typing fast (45 ms)', typed('3760000000017', 45), { kind: 'typed' }],
  ['a scan whose Enter comes late', typed('3760000000017', 5, 200), { kind: 'typed' }],
  [
    'a scan after slow typing: only the burst is the code',
    [...typed('ab', 200).slice(0, -1), ...typed('3760000000048', 4, 4, 2000)],
    { kind: 'scan', code: '3760000000048' },
  ],
  [
    'a burst broken by Backspace is not a scan',
    [['3', 0], ['7', 5], ['6', 10], ['Backspace', 15], ['0', 20], ['0', 25], ['Enter', 30]],
    { kind: 'typed' },
  ],
  [
    'one slow key inside the burst splits it',
    [...[...'376000'].map((c, i): [string, number] => [c, i * 5]), ['0', 100], ['0', 105], ['Enter', 110]],
    { kind: 'typed' },
  ],
  ['Enter alone', [['Enter', 10]], { kind: 'typed' }],
];

describe('ScanDetector', () => {
  it.each(cases)('%s', (_name, keys, expected) => {
    const detector = new ScanDetector();
    const results = keys.map(([key, at]) => detector.key(key, at));
    expect(results.slice(0, -1).every((r) => r === null)).toBe(true);
    expect(results[results.length - 1]).toEqual(expected);
  });

  it('starts afresh after each Enter', () => {
    const detector = new ScanDetector();
    for (const [key, at] of typed('3760000000017', 5)) detector.key(key, at);
    const second = typed('12', 5, 5, 2000).map(([key, at]) => detector.key(key, at));
    expect(second[second.length - 1]).toEqual({ kind: 'typed' });
  });

  it('says when a burst is under way, to hold the live search back', () => {
    const detector = new ScanDetector();
    detector.key('3', 0);
    expect(detector.scanning(3)).toBe(false);
    detector.key('7', 4);
    expect(detector.scanning(8)).toBe(true);
    expect(detector.scanning(100)).toBe(false);
  });
});
