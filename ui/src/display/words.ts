// The customer display's words, merged into the dictionaries by lib/i18n.ts. The display
// faces the customer and is shown in French (CustomerDisplay.svelte).

export const fr = {
  'display.welcome': 'Bienvenue',
  'display.welcome_sub': 'Votre caisse est prête.',
  'display.total': 'Total à payer',
  'display.paid_total': 'Total',
  'display.tendered': 'Reçu',
  'display.change': 'Rendu',
  'display.thanks': 'Merci',
  'display.thanks_sub': 'Merci de votre visite, à bientôt !',
  'display.more': '… et {lines} plus haut',
};

export const en: Record<keyof typeof fr, string> = {
  'display.welcome': 'Welcome',
  'display.welcome_sub': 'Your till is ready.',
  'display.total': 'Total to pay',
  'display.paid_total': 'Total',
  'display.tendered': 'Received',
  'display.change': 'Change',
  'display.thanks': 'Thank you',
  'display.thanks_sub': 'Thank you for coming, see you soon!',
  'display.more': '… and {lines} above',
};
