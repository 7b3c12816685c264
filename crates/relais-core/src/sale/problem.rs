//! What is wrong with a sale, and where, in the words of counter staff.

use crate::bounds::{MAX_AMOUNT_CENTS, MAX_QTY_MILLI};
use crate::i18n::Lang;
use crate::money::{DecimalError, Money, Overflow, Qty, VatRate};

use super::MAX_TEXT;

/// What is wrong with a sale, and where (`lines[1].qty`, `payments`, …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct SaleError {
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the sale has no line")]
    NoLines,
    #[error("too many lines or payments")]
    TooMany,
    #[error("a label is required")]
    MissingLabel,
    #[error("text longer than {MAX_TEXT} characters")]
    TooLong,
    #[error("quantity must be above zero")]
    NonPositiveQty,
    #[error("invalid quantity: {0}")]
    BadNumber(DecimalError),
    #[error("price must not be negative")]
    NegativePrice,
    #[error("a price is required")]
    MissingPrice,
    #[error("a VAT rate is required")]
    MissingVat,
    #[error("no product with this code in the catalogue")]
    UnknownProduct,
    #[error("no such department")]
    UnknownDepartment,
    #[error("VAT rate {rate} is not configured (allowed: {allowed})")]
    UnknownVatRate { rate: VatRate, allowed: String },
    #[error("give a discount in cents or in percent, not both")]
    BothDiscounts,
    #[error("discount must be between 0 and {max} cents")]
    DiscountOutOfRange { max: Money },
    #[error("the sale has no payment")]
    NoPayments,
    #[error("unknown payment method {0:?} (cash, card, cheque, voucher, store_credit, other)")]
    UnknownMethod(String),
    #[error("amount is required")]
    MissingAmount,
    #[error("amount must be above zero")]
    NonPositiveAmount,
    #[error("change can only be given on cash")]
    ChangeOnNonCash,
    #[error("tendered amount is below the amount paid")]
    TenderedBelowAmount,
    #[error("payments ({paid}) do not cover the total ({total})")]
    Underpaid { total: Money, paid: Money },
    #[error("payments ({paid}) exceed the total ({total}); give change on cash instead")]
    Overpaid { total: Money, paid: Money },
    #[error("a label is required for an \"other\" payment")]
    MissingReference,
    #[error("an operator is required")]
    MissingOperator,
    #[error("amount out of range")]
    Overflow,
    #[error("amount above the limit of {} €", Money(MAX_AMOUNT_CENTS))]
    AmountAboveLimit,
    #[error("quantity above the limit of {}", Qty(MAX_QTY_MILLI))]
    QtyAboveLimit,
    #[error("forbidden control character U+{:04X}", u32::from(*.0))]
    ControlCharacter(char),
}

impl From<Overflow> for Problem {
    fn from(_: Overflow) -> Self {
        Problem::Overflow
    }
}

impl SaleError {
    pub fn at(field: impl Into<String>, problem: Problem) -> Self {
        SaleError {
            field: field.into(),
            problem,
        }
    }

    /// The message for counter staff or a script's user, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Fr => format!("{} : {}", field_fr(&self.field), self.problem.fr()),
        }
    }
}

/// `lines[1].discount` → "ligne 2, remise": the field as counter staff read it.
fn field_fr(field: &str) -> String {
    let names = [
        ("label", "libellé"),
        ("qty", "quantité"),
        ("unit_price_cents", "prix"),
        ("vat_rate_bp", "taux de TVA"),
        ("discount", "remise"),
        ("barcode", "code-barres"),
        ("sku", "référence"),
        ("department", "rayon"),
        ("method", "moyen de paiement"),
        ("amount_cents", "montant"),
        ("tendered_cents", "montant remis"),
        ("reference", "référence"),
        ("ticket_discount", "remise sur le ticket"),
        ("lines", "lignes"),
        ("payments", "paiements"),
        ("operator", "opérateur"),
        ("note", "note"),
    ];
    let name = |n: &str| {
        names
            .iter()
            .find(|(en, _)| *en == n)
            .map(|(_, fr)| fr.to_string())
            .unwrap_or_else(|| n.to_string())
    };
    let indexed = |prefix: &str, word: &str| -> Option<String> {
        let rest = field.strip_prefix(prefix)?;
        let (index, tail) = rest.split_once(']')?;
        let number: usize = index.parse().ok()?;
        let tail = tail.trim_start_matches('.');
        Some(if tail.is_empty() {
            format!("{word} {}", number + 1)
        } else {
            format!("{word} {}, {}", number + 1, name(tail))
        })
    };
    indexed("lines[", "ligne")
        .or_else(|| indexed("payments[", "paiement"))
        .unwrap_or_else(|| name(field))
}

impl Problem {
    /// The message in both languages (`Display` is the English).
    pub fn text(&self) -> crate::Text {
        crate::Text {
            fr: self.fr(),
            en: self.to_string(),
        }
    }

    pub(crate) fn fr(&self) -> String {
        match self {
            Problem::NoLines => "la vente n'a aucune ligne".into(),
            Problem::TooMany => "trop de lignes ou de paiements".into(),
            Problem::MissingLabel => "un libellé est obligatoire".into(),
            Problem::TooLong => format!("texte de plus de {MAX_TEXT} caractères"),
            Problem::NonPositiveQty => "la quantité doit être supérieure à zéro".into(),
            Problem::BadNumber(e) => format!("nombre invalide : {}", e.fr()),
            Problem::NegativePrice => "le prix ne peut pas être négatif".into(),
            Problem::MissingPrice => "le prix est obligatoire".into(),
            Problem::MissingVat => "le taux de TVA est obligatoire".into(),
            Problem::UnknownProduct => "aucun produit du catalogue n'a ce code".into(),
            Problem::UnknownDepartment => "rayon inconnu".into(),
            Problem::UnknownVatRate { rate, allowed } => {
                format!("taux de TVA {rate} non configuré (autorisés : {allowed})")
            }
            Problem::BothDiscounts => {
                "remise en centimes ou en pourcentage, pas les deux".into()
            }
            Problem::DiscountOutOfRange { max } => {
                format!("la remise doit être comprise entre 0 et {max} €")
            }
            Problem::NoPayments => "la vente n'a aucun paiement".into(),
            Problem::UnknownMethod(m) => format!(
                "moyen de paiement inconnu « {m} » (cash, card, cheque, voucher, store_credit, other)"
            ),
            Problem::MissingAmount => "le montant est obligatoire".into(),
            Problem::NonPositiveAmount => "le montant doit être supérieur à zéro".into(),
            Problem::ChangeOnNonCash => "le rendu de monnaie n'est possible qu'en espèces".into(),
            Problem::TenderedBelowAmount => "le montant remis est inférieur au montant payé".into(),
            Problem::Underpaid { total, paid } => {
                format!("les paiements ({paid} €) ne couvrent pas le total ({total} €)")
            }
            Problem::Overpaid { total, paid } => format!(
                "les paiements ({paid} €) dépassent le total ({total} €) ; rendez la monnaie en espèces"
            ),
            Problem::MissingReference => "un libellé est obligatoire pour un paiement « autre »".into(),
            Problem::MissingOperator => "l'opérateur est obligatoire".into(),
            Problem::Overflow => "montant hors limites".into(),
            Problem::AmountAboveLimit => {
                format!("montant au-delà de la limite de {} €", Money(MAX_AMOUNT_CENTS))
            }
            Problem::QtyAboveLimit => {
                format!("quantité au-delà de la limite de {}", Qty(MAX_QTY_MILLI))
            }
            Problem::ControlCharacter(c) => {
                format!("caractère de contrôle interdit U+{:04X}", u32::from(*c))
            }
        }
    }
}
