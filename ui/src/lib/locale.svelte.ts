// The language the screens are shown in (French by default) and `t`, which reads it: a
// component calling t() in its markup is redrawn when the language changes.
import { translate, type Key, type Lang, type Params } from './i18n';
import type { Text } from './bindings/Text';

const STORAGE_KEY = 'relais.lang';

function initial(): Lang {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

let current: Lang = $state(initial());

export const locale = {
  get lang(): Lang {
    return current;
  },
  set lang(lang: Lang) {
    current = lang;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode or no storage: the choice lasts until the window closes.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
  },
};

export function t(key: Key, params?: Params): string {
  return translate(current, key, params);
}

/** A message the backend sent in both languages, in the screens' language. */
export function say(text: Text): string {
  return current === 'en' ? text.en : text.fr;
}
