// The words of the day screens, merged into the dictionaries by lib/i18n.ts.

export const fr = {
  'menu.day': 'Journée et clôtures',
  'day.title': 'Journée et clôtures',
  'day.lead': "Ouverture, X, Z, mouvements de caisse, clôtures mensuelles et annuelles.",
};

export const en: Record<keyof typeof fr, string> = {
  'menu.day': 'Day and closures',
  'day.title': 'Day and closures',
  'day.lead': 'Opening, X, Z, cash movements, monthly and yearly closures.',
};
