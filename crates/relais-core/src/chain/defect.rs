//! [`Defect`]: the first thing wrong with a chain, named as people name records, in English
//! and in French.

use crate::i18n::Lang;
use crate::money::Money;
use crate::record::{Kind, Record};

/// A record as a defect names it: `T1-000042 (sale, position 137)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordName {
    pub number: String,
    /// The kind's code (`sale`, `event`…), as stored.
    pub kind: String,
    pub pos: u64,
}

impl std::fmt::Display for RecordName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, position {})", self.number, self.kind, self.pos)
    }
}

impl RecordName {
    /// The name of a record read: its number, kind and position.
    pub fn of(record: &Record) -> Self {
        RecordName {
            number: record.number(),
            kind: record.kind().code().into(),
            pos: record.pos,
        }
    }

    /// `T1-000042 (vente, position 137)`.
    pub fn fr(&self) -> String {
        let kind = Kind::from_code(&self.kind)
            .map(|k| k.label_fr().to_lowercase())
            .unwrap_or_else(|| self.kind.clone());
        format!("{} ({kind}, position {})", self.number, self.pos)
    }
}

/// A figure a closure states, and the one its records give: `totals.sales_cents`, as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub field: String,
    pub stated: String,
    pub recomputed: String,
}

/// The first thing wrong with a ledger. `record` names it as people do: `T1-000042 (sale,
/// position 137)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Defect {
    #[error("position {expected} is missing (the next record found is at position {found})")]
    MissingPosition { expected: u64, found: u64 },
    #[error("{record}: body is not readable as a record: {reason}")]
    Unreadable { record: RecordName, reason: String },
    #[error("{record}: body is not in canonical form")]
    NotCanonical { record: RecordName },
    /// `stored` and `hashed` are the column's text; a `total_cents` holds cents (or nothing)
    /// and is shown as money.
    #[error(
        "{record}: column {column} says {} but the hashed record says {}",
        shown(column, stored, Lang::En),
        shown(column, hashed, Lang::En)
    )]
    ColumnMismatch {
        record: RecordName,
        column: &'static str,
        stored: String,
        hashed: String,
    },
    #[error("{record}: previous hash should be {expected} but is {found}")]
    BrokenLink {
        record: RecordName,
        expected: String,
        found: String,
    },
    #[error("{record}: hash should be {expected} but is {found} (the record was altered)")]
    HashMismatch {
        record: RecordName,
        expected: String,
        found: String,
    },
    #[error("{record}: number {missing} is missing from the {series} series")]
    SequenceGap {
        record: RecordName,
        series: &'static str,
        missing: String,
    },
    #[error("{record}: the closure's signature does not verify with the till's public key")]
    BadSignature { record: RecordName },
    #[error("{record}: belongs to till {found}, not {expected}")]
    WrongTill {
        record: RecordName,
        expected: String,
        found: String,
    },
    #[error("{anchor}: the ledger should end at position {anchored} with hash {hash}, but it ends at position {last} (records were deleted)")]
    Truncated {
        anchor: String,
        anchored: u64,
        hash: String,
        last: u64,
    },
    #[error("{anchor}: position {pos} should have hash {anchored} but has {found}")]
    AnchorMismatch {
        anchor: String,
        pos: u64,
        anchored: String,
        found: String,
    },
    #[error("{anchor}: unreadable ({reason})")]
    BadAnchor { anchor: String, reason: String },
    #[error("{anchor}: the ledger goes on past its anchored end at position {anchored} (last position {last})")]
    BeyondHead {
        anchor: String,
        anchored: u64,
        last: u64,
    },
    // What the records say, beyond the chain (see `audit`): checked by `RecordAudit`.
    #[error("{record}: its lines do not add up to its totals (total, VAT per rate or payments)")]
    TicketDoesNotAddUp { record: RecordName },
    #[error("{record}: the closure covers the chain up to position {claimed}, but it must cover the record just before it (position {expected}, or the one before a clock event)")]
    CoversElsewhere {
        record: RecordName,
        claimed: u64,
        expected: u64,
    },
    #[error("{record}: the closure covers position {pos} with hash {claimed}, but the record there has hash {found}")]
    CoversMismatch {
        record: RecordName,
        pos: u64,
        claimed: String,
        found: String,
    },
    #[error("{record}: {} is {}, but the day's records give {}", .figure.field, .figure.stated, .figure.recomputed)]
    DayTotalsMismatch {
        record: RecordName,
        figure: Box<Figure>,
    },
    #[error("{record}: {} is {}, but the period's day closures give {}", .figure.field, .figure.stated, .figure.recomputed)]
    PeriodTotalsMismatch {
        record: RecordName,
        figure: Box<Figure>,
    },
    #[error("{record}: {field} is {stated}, but the previous day closure's plus this period's give {recomputed}")]
    PerpetualMismatch {
        record: RecordName,
        field: &'static str,
        stated: i64,
        recomputed: i64,
    },
    #[error("{record}: the closure closes the day {day}, which was not open")]
    DayNotOpen { record: RecordName, day: String },
    #[error("{record}: the closure closes {period}, in which no day was closed")]
    NoDayClosed { record: RecordName, period: String },
    #[error("{record}: an amount is out of range")]
    OutOfRange { record: RecordName },
    #[error("{record}: {} is {}, but the till's avoirs give {}", .figure.field, .figure.stated, .figure.recomputed)]
    LiabilityMismatch {
        record: RecordName,
        figure: Box<Figure>,
    },
}

/// A column's value as a message shows it, quoted; a total as money (« 18,75 € », "€18.75")
/// or as none.
fn shown(column: &str, value: &str, lang: Lang) -> String {
    let value = match (column, value.parse::<i64>(), lang) {
        ("total_cents", Ok(cents), Lang::Fr) => format!("{} €", Money(cents).decimal(',')),
        ("total_cents", Ok(cents), Lang::En) => format!("€{}", Money(cents).decimal('.')),
        ("total_cents", Err(_), Lang::Fr) if value.is_empty() => "aucun".into(),
        ("total_cents", Err(_), Lang::En) if value.is_empty() => "none".into(),
        _ => value.to_string(),
    };
    match lang {
        Lang::Fr => format!("« {value} »"),
        Lang::En => format!("{value:?}"),
    }
}

impl Defect {
    /// The defect in French, for the status bar and the journal.
    /// The message in both languages (`Display` is the English).
    pub fn text(&self) -> crate::Text {
        crate::Text {
            fr: self.fr(),
            en: self.to_string(),
        }
    }

    pub(crate) fn fr(&self) -> String {
        match self {
            Defect::MissingPosition { expected, found } => format!(
                "la position {expected} manque (l'enregistrement suivant est en position {found})"
            ),
            Defect::Unreadable { record, reason } => {
                format!("{} : enregistrement illisible ({reason})", record.fr())
            }
            Defect::NotCanonical { record } => {
                format!("{} : l'enregistrement n'est pas sous forme canonique", record.fr())
            }
            Defect::ColumnMismatch { record, column, stored, hashed } => format!(
                "{} : la colonne {column} vaut {} mais l'enregistrement scellé dit {}",
                record.fr(),
                shown(column, stored, Lang::Fr),
                shown(column, hashed, Lang::Fr)
            ),
            Defect::BrokenLink { record, expected, found } => format!(
                "{} : l'empreinte précédente devrait être {expected} mais vaut {found}", record.fr()
            ),
            Defect::HashMismatch { record, expected, found } => format!(
                "{} : l'empreinte devrait être {expected} mais vaut {found} (enregistrement modifié)", record.fr()
            ),
            Defect::SequenceGap { record, series, missing } => {
                format!("{} : le numéro {missing} manque dans la série {series}", record.fr())
            }
            Defect::BadSignature { record } => format!(
                "{} : la signature de la clôture ne correspond pas à la clé publique de la caisse",
                record.fr()
            ),
            Defect::WrongTill { record, expected, found } => {
                format!("{} : appartient à la caisse {found}, pas à {expected}", record.fr())
            }
            Defect::Truncated { anchor, anchored, last, .. } => format!(
                "{anchor} : le journal devrait finir en position {anchored} mais finit en position {last} (des enregistrements ont été supprimés)"
            ),
            Defect::AnchorMismatch { anchor, pos, .. } => {
                format!("{anchor} : l'empreinte de la position {pos} ne correspond pas")
            }
            Defect::BadAnchor { anchor, reason } => format!("{anchor} : illisible ({reason})"),
            Defect::BeyondHead { anchor, anchored, last } => format!(
                "{anchor} : le journal continue après sa fin scellée en position {anchored} (dernière position {last})"
            ),
            Defect::TicketDoesNotAddUp { record } => format!(
                "{} : ses lignes ne donnent pas ses totaux (total, TVA par taux ou paiements)",
                record.fr()
            ),
            Defect::CoversElsewhere { record, claimed, expected } => format!(
                "{} : la clôture couvre le journal jusqu'à la position {claimed}, mais elle doit couvrir l'enregistrement qui la précède (position {expected}, ou celui d'avant un événement d'horloge)", record.fr()
            ),
            Defect::CoversMismatch { record, pos, claimed, found } => format!(
                "{} : la clôture couvre la position {pos} d'empreinte {claimed}, mais l'enregistrement de cette position a l'empreinte {found}", record.fr()
            ),
            Defect::DayTotalsMismatch { record, figure } => format!(
                "{} : {} vaut {}, mais les enregistrements de la journée donnent {}", record.fr(), figure.field, figure.stated, figure.recomputed
            ),
            Defect::PeriodTotalsMismatch { record, figure } => format!(
                "{} : {} vaut {}, mais les clôtures journalières de la période donnent {}", record.fr(), figure.field, figure.stated, figure.recomputed
            ),
            Defect::PerpetualMismatch { record, field, stated, recomputed } => format!(
                "{} : {field} vaut {stated}, mais la clôture journalière précédente plus cette période donnent {recomputed}", record.fr()
            ),
            Defect::DayNotOpen { record, day } => format!(
                "{} : la clôture clôt la journée du {day}, qui n'était pas ouverte",
                record.fr()
            ),
            Defect::NoDayClosed { record, period } => format!(
                "{} : la clôture clôt {period}, où aucune journée n'a été clôturée",
                record.fr()
            ),
            Defect::OutOfRange { record } => {
                format!("{} : un montant est hors limites", record.fr())
            }
            Defect::LiabilityMismatch { record, figure } => format!(
                "{} : {} vaut {}, mais les avoirs de la caisse donnent {}", record.fr(), figure.field, figure.stated, figure.recomputed
            ),
        }
    }
}
