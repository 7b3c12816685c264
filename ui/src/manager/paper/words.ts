// The words of the paper screens, merged into the dictionaries by lib/i18n.ts.

export const fr = {
  'menu.paper': 'Saisie des tickets papier',
  'paper.title': 'Saisie des tickets papier',
  'paper.lead': 'Ventes écrites sur papier pendant la panne, saisies à leur vraie date.',
};

export const en: Record<keyof typeof fr, string> = {
  'menu.paper': 'Paper slips catch-up',
  'paper.title': 'Paper slips catch-up',
  'paper.lead': 'Sales written on paper during the outage, entered at their real time.',
};
