// The words of the journal screens, merged into the dictionaries by lib/i18n.ts.

export const fr = {
  'menu.journal': 'Journal des événements',
  'journal.title': 'Journal des événements',
  'journal.lead': 'Événements techniques de la caisse (codes JET).',
};

export const en: Record<keyof typeof fr, string> = {
  'menu.journal': 'Event journal',
  'journal.title': 'Event journal',
  'journal.lead': 'Technical events of the till (JET codes).',
};
