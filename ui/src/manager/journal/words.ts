// The words of the journal screens, merged into the dictionaries by lib/i18n.ts.

export const fr = {
  'menu.journal': 'Journal des événements',
  'journal.title': 'Journal des événements',
  'journal.lead': 'Événements techniques de la caisse (codes JET), les plus récents en premier.',
  'journal.filter': 'Filtrer',
  'journal.filter_placeholder': 'Un mot, un code, un nom… par ex. « clôture », « 1050 », « Marie »',
  'journal.loading': 'Lecture du journal…',
  'journal.count': '{shown} événement(s) sur {total}',
  'journal.none': 'Aucun événement ne correspond à « {text} ».',
  'journal.empty': 'Le journal est vide.',
  'journal.time': 'Date et heure',
  'journal.code': 'Code',
  'journal.label': 'Événement',
  'journal.operator': 'Opérateur',
  'journal.details': 'Détails',
  'journal.more': 'Afficher les {count} précédents',
  'journal.refresh': 'Actualiser',
};

export const en: Record<keyof typeof fr, string> = {
  'menu.journal': 'Event journal',
  'journal.title': 'Event journal',
  'journal.lead': 'Technical events of the till (JET codes), newest first.',
  'journal.filter': 'Filter',
  'journal.filter_placeholder': 'A word, a code, a name… e.g. “closure”, “1050”, “Marie”',
  'journal.loading': 'Reading the journal…',
  'journal.count': '{shown} event(s) of {total}',
  'journal.none': 'No event matches “{text}”.',
  'journal.empty': 'The journal is empty.',
  'journal.time': 'Date and time',
  'journal.code': 'Code',
  'journal.label': 'Event',
  'journal.operator': 'Operator',
  'journal.details': 'Details',
  'journal.more': 'Show the {count} before',
  'journal.refresh': 'Refresh',
};
