// The words of the scale-label rules editor, merged into the dictionaries by lib/i18n.ts.

export const fr = {
  'scale.title': 'Étiquettes balance et prix',
  'scale.lead':
    'Les étiquettes d’une balance (EAN-13 commençant par 2) portent le code balance (PLU, chiffres 3 à 7) et, dans les chiffres 8 à 12, un prix en centimes ou un poids en grammes. Le produit est retrouvé par son code balance (colonne « PLU » ou « code balance » du catalogue) ; sans produit, une étiquette de prix est vendue au rayon de sa règle.',
  'scale.prefix': 'Préfixe',
  'scale.carries': 'Contenu',
  'scale.department': 'Rayon si PLU inconnu',
  'scale.price': 'Prix (centimes)',
  'scale.weight': 'Poids (grammes)',
  'scale.remove': 'Retirer',
  'scale.add': 'Ajouter une règle',
  'scale.defaults': 'Règles françaises par défaut',
  'scale.save': 'Enregistrer',
  'scale.saved': 'Règles enregistrées ({count}).',
  'scale.loading': 'Lecture des règles…',
  'scale.none': 'Aucune règle : les codes commençant par 2 sont traités comme des codes-barres ordinaires.',
};

export const en: Record<keyof typeof fr, string> = {
  'scale.title': 'Scale and price labels',
  'scale.lead':
    'A scale’s labels (EAN-13 starting with 2) carry the scale code (PLU, digits 3 to 7) and, in digits 8 to 12, a price in cents or a weight in grams. The product is found by its scale code (the catalogue’s “PLU” or “code balance” column); with no product, a price label is sold on its rule’s department.',
  'scale.prefix': 'Prefix',
  'scale.carries': 'Content',
  'scale.department': 'Department if PLU unknown',
  'scale.price': 'Price (cents)',
  'scale.weight': 'Weight (grams)',
  'scale.remove': 'Remove',
  'scale.add': 'Add a rule',
  'scale.defaults': 'French default rules',
  'scale.save': 'Save',
  'scale.saved': 'Rules saved ({count}).',
  'scale.loading': 'Reading the rules…',
  'scale.none': 'No rule: codes starting with 2 are read as ordinary barcodes.',
};
