// The words of the archives and the tax-audit extract (ArchivePanel.svelte), merged into the
// dictionaries by lib/i18n.ts.

export const fr = {
  'archive.title': 'Archives et contrôle fiscal',
  'archive.lead':
    'Chaque mois et chaque exercice clôturés s’archivent sur une clé USB : une archive signée, vérifiable sans la caisse, à garder six ans.',
  'archive.none': 'Aucun mois ni exercice clôturé à archiver.',
  'archive.proposed': '{period} est clôturé : archivez-le maintenant.',
  'archive.month': 'Archiver {period}',
  'archive.year': 'Archiver l’exercice {period}',
  'archive.confirm_title': 'Archiver {period}',
  'archive.out': 'Dossier (clé USB)',
  'archive.zip': 'Aussi en un fichier .zip',
  'archive.need_out': 'Indiquez le dossier où écrire.',
  'archive.run': 'Archiver',
  'archive.done': 'Archive écrite et vérifiée : {folder} (clôtures {closures}).',
  'archive.audit_title': 'Extrait pour un contrôle fiscal',
  'archive.audit_lead': 'Les tickets, lignes, TVA, paiements, corrections, clôtures et le journal des jours choisis, avec un rapport de vérification.',
  'archive.audit_from': 'Du',
  'archive.audit_to': 'Au',
  'archive.audit_run': 'Écrire l’extrait',
  'archive.audit_need': 'Indiquez les deux dates et le dossier.',
  'archive.audit_ok': 'Extrait conforme écrit : {folder} ({closures} clôtures vérifiées).',
  'archive.audit_bad': 'Extrait écrit, NON CONFORME : {folder} — voir verification.txt ({list}).',
};

export const en: Record<keyof typeof fr, string> = {
  'archive.title': 'Archives and tax audit',
  'archive.lead':
    'Each closed month and fiscal year is archived onto a USB stick: a signed archive, verifiable without the till, to keep six years.',
  'archive.none': 'No closed month or year to archive.',
  'archive.proposed': '{period} is closed: archive it now.',
  'archive.month': 'Archive {period}',
  'archive.year': 'Archive the year {period}',
  'archive.confirm_title': 'Archive {period}',
  'archive.out': 'Folder (USB stick)',
  'archive.zip': 'Also as one .zip file',
  'archive.need_out': 'Give the folder to write to.',
  'archive.run': 'Archive',
  'archive.done': 'Archive written and verified: {folder} (closures {closures}).',
  'archive.audit_title': 'Extract for a tax audit',
  'archive.audit_lead': 'The tickets, lines, VAT, payments, corrections, closures and journal of the chosen days, with a verification report.',
  'archive.audit_from': 'From',
  'archive.audit_to': 'To',
  'archive.audit_run': 'Write the extract',
  'archive.audit_need': 'Give both dates and the folder.',
  'archive.audit_ok': 'Conforming extract written: {folder} ({closures} closures checked).',
  'archive.audit_bad': 'Extract written, NOT CONFORMING: {folder} — see verification.txt ({list}).',
};
