// The words of the counter's fast keys (issue 21): prices typed in the scan field, the
// ticket cancelled as a whole, the shop's rules for both. Merged by lib/i18n.ts.

export const fr = {
  'typed.ask_title': '« {digits} » : quel prix ?',
  'typed.ask_lead': 'Aucun produit n’a ce code. Sans virgule, le prix est ambigu : choisissez.',
  'typed.ask_times': '{qty} × {price}',
  'typed.ask_on': 'Vendu au rayon {name}.',
  'typed.no_department': 'Aucun rayon pour vendre un prix tapé : un responsable en crée un (Réglages).',

  'keys.alt': '{key} ou Alt+{letter}',
  'status.today_count': 'Aujourd’hui : {count} vente(s)',
  'login.name_first': 'Code gardé : touchez maintenant votre nom, puis Entrée.',
  'giveback.cash': 'Rendez {amount} au client',
  'giveback.other': '{amount} rendus au client — {method}',
  'approval.refund': 'Le remboursement de {amount} ({items}) sur {number}',
  'approval.void': 'L’annulation de {number} ({amount})',
  'action.cancel': 'Annuler le ticket',
  'cancel.title': 'Annuler le ticket ?',
  'cancel.what': '{lines} ligne(s), {amount}',
  'cancel.lead': 'Rien n’est vendu. L’abandon est inscrit au journal de la caisse avec son montant.',
  'cancel.keep': 'Non, garder le ticket',
  'cancel.confirm': 'Oui, annuler le ticket',
  'cancel.done': 'Ticket annulé ({amount}), inscrit au journal.',

  'settings.sale.title': 'Vente sans catalogue',
  'settings.sale.lead': 'Un prix tapé dans le champ de saisie (« 2,50 » Entrée, « 3*2,50 » Entrée) est vendu sur ce rayon. Une touche rayon après le prix le vend sur ce rayon-là.',
  'settings.sale.department': 'Rayon des prix tapés',
  'settings.sale.first': 'Le premier rayon ({name})',
  'settings.sale.save': 'Enregistrer',
  'settings.sale.saved': 'Rayon des prix tapés enregistré.',
};

export const en: Record<keyof typeof fr, string> = {
  'typed.ask_title': '"{digits}": which price?',
  'typed.ask_lead': 'No product has this code. Without a decimal separator the price is ambiguous: choose.',
  'typed.ask_times': '{qty} × {price}',
  'typed.ask_on': 'Sold on department {name}.',
  'typed.no_department': 'No department to sell a typed price on: a manager creates one (Settings).',

  'keys.alt': '{key} or Alt+{letter}',
  'status.today_count': 'Today: {count} sale(s)',
  'login.name_first': 'PIN kept: now touch your name, then Enter.',
  'giveback.cash': 'Give {amount} back to the customer',
  'giveback.other': '{amount} given back to the customer — {method}',
  'approval.refund': 'Refunding {amount} ({items}) of {number}',
  'approval.void': 'Voiding {number} ({amount})',
  'action.cancel': 'Cancel the ticket',
  'cancel.title': 'Cancel the ticket?',
  'cancel.what': '{lines} line(s), {amount}',
  'cancel.lead': 'Nothing is sold. The cancellation is written to the till’s journal with its amount.',
  'cancel.keep': 'No, keep the ticket',
  'cancel.confirm': 'Yes, cancel the ticket',
  'cancel.done': 'Ticket cancelled ({amount}), written to the journal.',

  'settings.sale.title': 'Selling without a catalogue',
  'settings.sale.lead': 'A price typed in the entry field ("2,50" Enter, "3*2,50" Enter) is sold on this department. A department key after the price sells it on that department.',
  'settings.sale.department': 'Department of typed prices',
  'settings.sale.first': 'The first department ({name})',
  'settings.sale.save': 'Save',
  'settings.sale.saved': 'Department of typed prices saved.',
};
