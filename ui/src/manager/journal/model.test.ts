import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../lib/bindings/JournalEntry';
import { fold, visibleEntries } from './model';

const entry = (n: number, code: number, name: string, label: string, message: string, operator: string): JournalEntry => ({
  number: `T1-E${String(n).padStart(6, '0')}`,
  at: `2026-11-28T0${n}:00:00Z`,
  local_time: `28/11/2026 0${n + 1}:00:00`,
  code,
  name,
  label,
  message,
  operator,
});

// Oldest first, as the store sends them.
const journal = [
  entry(1, 270, 'till_initialised', 'Initialisation de la caisse', 'Caisse T1 initialisée', 'setup'),
  entry(2, 80, 'login', 'Connexion', 'Connexion de Marie', 'Marie'),
  entry(3, 1010, 'day_opened', 'Ouverture de journée', 'Ouverture de la journée du 2026-11-28, fond de caisse 152,00 €', 'Marie'),
  entry(4, 1050, 'cash_movement', 'Mouvement de caisse', 'Mouvement de caisse T1-M000001 : -20,00 € (Timbres)', 'Marie'),
  entry(5, 50, 'day_closed', 'Clôture de période', 'Clôture de la journée du 2026-11-28 (T1-Z000001) : total 3,50 €', 'Marie'),
];

describe('the journal screen', () => {
  // filter → the numbers shown, in order
  const cases: Array<[filter: string, shown: number[]]> = [
    ['', [5, 4, 3, 2, 1]],
    ['   ', [5, 4, 3, 2, 1]],
    ['cloture', [5]],
    ['CLÔTURE', [5]],
    ['marie', [5, 4, 3, 2]],
    ['1050', [4]],
    ['timbres marie', [4]],
    ['marie setup', []],
    ['T1-E000002', [2]],
    ['28/11/2026 02:00', [1]],
    ['journée', [5, 3]],
    ['inconnu', []],
  ];
  it.each(cases)('%j shows %j', (filter, shown) => {
    expect(visibleEntries(journal, filter).map((e) => Number(e.number.slice(-6)))).toEqual(shown);
  });
  it('never reorders the list it is given', () => {
    visibleEntries(journal, 'marie');
    expect(journal[0]?.code).toBe(270);
  });
  it('folds accents and case', () => {
    expect(fold('Événement Clôturé')).toBe('evenement cloture');
  });
});
