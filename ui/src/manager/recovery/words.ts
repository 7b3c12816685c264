// The words of the recovery screens, merged into the dictionaries by lib/i18n.ts.

export const fr = {
  'menu.recovery': 'Reprise après la panne',
  'recovery.title': 'Reprise après la panne',
  'recovery.lead': 'Export, vérification, ressaisie dans le logiciel habituel, sauvegardes.',
};

export const en: Record<keyof typeof fr, string> = {
  'menu.recovery': 'After the outage',
  'recovery.title': 'After the outage',
  'recovery.lead': 'Export, verification, re-entry into the usual software, backups.',
};
