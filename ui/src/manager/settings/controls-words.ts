// The words of the manager's controls (issue 21): discounts a manager approves, departments
// hidden from the counter, a new business day said at the first sale. Merged by lib/i18n.ts.

export const fr = {
  'settings.discount.title': 'Remises',
  'settings.discount.lead': 'Au-delà de ce pourcentage ou de ce montant (le premier atteint), une remise sur une ligne ou sur le ticket doit être validée par un responsable avec son code PIN.',
  'settings.discount.percent': 'Seuil en %',
  'settings.discount.amount': 'Seuil en euros',
  'settings.discount.bad_percent': 'Le seuil est un pourcentage entier de 0 à 100.',
  'settings.discount.bad_amount': 'Le seuil en euros est un montant, par exemple 20 ou 15,50.',
  'settings.discount.saved': 'Seuil des remises enregistré : {percent} % ou {amount}.',
  'approval.discount': 'La remise de {amount} ({percent} %) sur {on}',
  'approval.discount_ticket': 'le ticket',
  'approval.discount_total': '{what}, ticket de {total}',
  'settings.depts.hide': 'Masquer',
  'settings.depts.show': 'Afficher',
  'settings.depts.hidden': 'masqué',
  'settings.depts.hidden_done': 'Rayon « {name} » masqué : sa touche quitte la vente ; ses produits, ses ventes et les exports restent.',
  'settings.depts.shown_done': 'Rayon « {name} » de nouveau sur une touche de la vente.',
  'total.lines_only': '{lines} ligne(s)',
  'login.name_then_in': 'Code gardé : touchez votre nom, et vous voilà connecté·e.',
};

export const en: Record<keyof typeof fr, string> = {
  'settings.discount.title': 'Discounts',
  'settings.discount.lead': 'Above this percentage or this amount (whichever comes first), a discount on a line or on the ticket must be approved by a manager with their PIN.',
  'settings.discount.percent': 'Threshold in %',
  'settings.discount.amount': 'Threshold in euros',
  'settings.discount.bad_percent': 'The threshold is a whole percentage from 0 to 100.',
  'settings.discount.bad_amount': 'The threshold in euros is an amount, e.g. 20 or 15.50.',
  'settings.discount.saved': 'Discount threshold saved: {percent} % or {amount}.',
  'approval.discount': 'The discount of {amount} ({percent} %) on {on}',
  'approval.discount_ticket': 'the ticket',
  'approval.discount_total': '{what}, ticket of {total}',
  'settings.depts.hide': 'Hide',
  'settings.depts.show': 'Show',
  'settings.depts.hidden': 'hidden',
  'settings.depts.hidden_done': 'Department "{name}" hidden: its key leaves the sale screen; its products, sales and exports stay.',
  'settings.depts.shown_done': 'Department "{name}" back on a key of the sale screen.',
  'total.lines_only': '{lines} line(s)',
  'login.name_then_in': 'PIN kept: touch your name and you are in.',
};
