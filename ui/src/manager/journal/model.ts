// The event journal as the screen lists it: newest first, filtered by what is typed.
import type { JournalEntry } from '../../lib/bindings/JournalEntry';

/** Lower case, without accents: "Clôture" matches "cloture". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** The text of an entry that a filter looks in. */
function haystack(entry: JournalEntry): string {
  return fold([entry.number, entry.local_time, String(entry.code), entry.label, entry.name, entry.message, entry.operator].join(' '));
}

/**
 * The entries matching every word of `filter` (in any field, any order, accents and case
 * ignored), newest first. The store lists them oldest first.
 */
export function visibleEntries(entries: readonly JournalEntry[], filter: string): JournalEntry[] {
  const words = fold(filter).split(/\s+/).filter((w) => w !== '');
  const newestFirst = [...entries].reverse();
  if (words.length === 0) return newestFirst;
  return newestFirst.filter((entry) => {
    const text = haystack(entry);
    return words.every((word) => text.includes(word));
  });
}
