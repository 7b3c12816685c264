// The words of the orders screens, merged into the dictionaries by lib/i18n.ts.

export const fr = {
  'menu.orders': 'Commandes clients',
  'orders.title': 'Commandes clients',
  'orders.lead': 'Commandes avec acompte : prise, préparation, retrait, annulation.',
};

export const en: Record<keyof typeof fr, string> = {
  'menu.orders': 'Customer orders',
  'orders.title': 'Customer orders',
  'orders.lead': 'Orders with deposits: taking, preparing, collecting, cancelling.',
};
