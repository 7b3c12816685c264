import { describe, expect, it } from 'vitest';
import shortcutsDoc from '../../../docs/SHORTCUTS.md?raw';
import { fr } from '../lib/i18n';
import { actionOf, SHORTCUTS, underline } from './shortcuts';

describe('Alt + letter, the F-keys of a laptop', () => {
  it('gives each action its own letter, found in its French label and in docs/SHORTCUTS.md', () => {
    const letters = SHORTCUTS.map((s) => s.letter);
    expect(new Set(letters).size).toBe(letters.length);
    for (const shortcut of SHORTCUTS) {
      expect(underline(fr[shortcut.label], shortcut.letter)[1].toUpperCase(), shortcut.label).toBe(shortcut.letter);
      const row = shortcutsDoc.split('\n').find((line: string) => line.startsWith(`| ${shortcut.key} `));
      expect(row, `row for ${shortcut.key}`).toContain(`Alt+${shortcut.letter}`);
    }
  });

  const cases: Array<[key: string, alt: boolean, action: string | null]> = [
    ['F9', false, 'pay'],
    ['p', true, 'pay'],
    ['P', true, 'pay'],
    ['p', false, null], // a letter typed in the scan field stays text
    ['n', true, 'cancel'],
    ['F1', false, 'cancel'],
    ['z', true, null],
  ];
  it.each(cases)('%s (Alt %s) → %s', (key, alt, action) => {
    expect(actionOf(key, alt)).toBe(action);
  });

  it('cuts a label around its letter', () => {
    expect(underline('Mettre en attente', 'A')).toEqual(['Mettre en ', 'a', 'ttente']);
    expect(underline('PAYER', 'P')).toEqual(['', 'P', 'AYER']);
    expect(underline('Receipts', 'Y')).toEqual(['Receipts', '', '']);
  });
});
