// The screens' words in French (the default) and English. Messages from the backend come in
// the language the app tells it (`set_lang`, from App.svelte); receipts are legal documents
// and stay French. `{name}` marks a parameter.

import * as avoirWords from '../avoir/words';
import * as dayWords from '../manager/day/words';
import * as archiveWords from '../manager/day/archive-words';
import * as ordersWords from '../manager/orders/words';
import * as paperWords from '../manager/paper/words';
import * as recoveryWords from '../manager/recovery/words';
import * as counterWords from '../counter/words';
import * as keysWords from '../counter/keys-words';
import * as screensWords from '../screens/words';
import * as journalWords from '../manager/journal/words';
import * as scaleWords from '../manager/settings/scale-words';
import * as settingsWords from '../manager/settings/words';
import * as displayWords from '../display/words';
import * as controlsWords from '../manager/settings/controls-words';
import * as shopWords from '../manager/shop/words';

export type Lang = 'fr' | 'en';
export type Params = Record<string, string | number>;

/** The counter's and the screens' words, and each manager area's (the words.ts of each folder of ui/src/manager). */
export const fr = { ...counterWords.fr, ...screensWords.fr, ...dayWords.fr, ...ordersWords.fr, ...paperWords.fr, ...recoveryWords.fr, ...journalWords.fr, ...settingsWords.fr, ...scaleWords.fr, ...archiveWords.fr, ...displayWords.fr, ...avoirWords.fr, ...keysWords.fr, ...controlsWords.fr, ...shopWords.fr };

export type Key = keyof typeof fr;

export const en: Record<Key, string> = { ...counterWords.en, ...screensWords.en, ...dayWords.en, ...ordersWords.en, ...paperWords.en, ...recoveryWords.en, ...journalWords.en, ...settingsWords.en, ...scaleWords.en, ...archiveWords.en, ...displayWords.en, ...avoirWords.en, ...keysWords.en, ...controlsWords.en, ...shopWords.en };

export const dictionaries: Record<Lang, Record<Key, string>> = { fr, en };

/** The `{name}` parameters a text expects. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

export function translate(lang: Lang, key: Key, params?: Params): string {
  const text = dictionaries[lang][key] ?? fr[key] ?? key;
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
