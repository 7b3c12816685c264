import { describe, expect, it } from 'vitest';
import shortcutsDoc from '../../../docs/SHORTCUTS.md?raw';
import { SHORTCUTS } from '../counter/shortcuts';
import { dictionaries, en, fr, placeholders, translate, type Key } from './i18n';

const keys = Object.keys(fr) as Key[];

describe('dictionaries', () => {
  it('have the same keys in French and English', () => {
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
  });

  it.each(keys)('%s is translated, with the same parameters', (key) => {
    for (const dictionary of Object.values(dictionaries)) {
      expect(dictionary[key].trim()).not.toBe('');
    }
    expect(placeholders(en[key])).toEqual(placeholders(fr[key]));
  });

  it('fills parameters and leaves unknown ones visible', () => {
    expect(translate('fr', 'pay.change', { amount: '7,20 €' })).toBe('À rendre : 7,20 €');
    expect(translate('en', 'pay.change', { amount: '7,20 €' })).toBe('Change: 7,20 €');
    expect(translate('fr', 'pay.change')).toBe('À rendre : {amount}');
  });
});

/** Every `t('…')` key written in the sources (not the computed ones). */
const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../**/*.test.ts', '!./bindings/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

function keysUsed(): string[] {
  return Object.values(sources).flatMap((source) => [...source.matchAll(/\bt\('([a-z_.]+)'/g)].map((m) => m[1] ?? ''));
}

it('has every key the screens ask for', () => {
  const used = keysUsed();
  expect(used.length).toBeGreaterThan(100);
  const missing = used.filter((key) => !(key in fr));
  expect(missing).toEqual([]);
});

it('documents every function key in docs/SHORTCUTS.md', () => {
  for (const shortcut of SHORTCUTS) {
    const row = shortcutsDoc.split('\n').find((line: string) => line.startsWith(`| ${shortcut.key} `));
    expect(row, `row for ${shortcut.key}`).toBeDefined();
    expect(row).toContain(fr[shortcut.label]);
  }
});
