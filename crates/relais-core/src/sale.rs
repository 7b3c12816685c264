//! Sale input as a script, a test or the counter screen sends it, and its validation into a
//! priced [`Ticket`].

use crate::i18n::Lang;
use crate::money::{div_round_half_away, DecimalError, Money, Overflow, Qty, VatRate};
use crate::ticket::{allocate, ht_of, line_gross, Line, Method, Payment, Ticket};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// Longest label, reference or note we accept: a receipt line is short, a note is a sentence.
pub const MAX_TEXT: usize = 200;
const MAX_LINES: usize = 1000;
const MAX_PAYMENTS: usize = 20;

/// A quantity as JSON gives it: a number (`1.5`) or a string (`"1,250"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum QtyInput {
    #[ts(type = "number")]
    Number(serde_json::Number),
    Text(String),
}

impl QtyInput {
    pub fn parse(&self) -> Result<Qty, DecimalError> {
        match self {
            QtyInput::Number(n) => Qty::parse(&n.to_string()),
            QtyInput::Text(t) => Qty::parse(t),
        }
    }
}

/// One sale as sent by the CLI (`relais sale record`) or the app.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SaleInput {
    /// A client-chosen UUID: recording the same id twice is a no-op, never a duplicate.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub id: Option<Uuid>,
    #[serde(default)]
    pub operator: Option<String>,
    pub lines: Vec<LineInput>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub ticket_discount_cents: Option<i64>,
    /// A percentage of the ticket, e.g. `"10"` or `"2,5"`.
    #[serde(default)]
    pub ticket_discount_percent: Option<String>,
    pub payments: Vec<PaymentInput>,
    #[serde(default)]
    pub note: Option<String>,
    /// A sale written on paper during the outage, keyed in now.
    #[serde(default)]
    pub late: Option<LateInput>,
}

/// When a paper sale really happened, and its slip number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct LateInput {
    /// Local date and time in the till's zone: `2026-11-25 10:30`, `2026-11-25T10:30:00`, or
    /// just `2026-11-25` (noon is then assumed).
    pub sold_at: String,
    /// The paper slip's number.
    pub slip: String,
    /// Who sold it, as written on the slip.
    #[serde(default)]
    pub seller: Option<String>,
    /// Enter it even though a slip with this number and day is already in the ledger.
    #[serde(default)]
    pub allow_duplicate: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub barcode: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    /// Defaults to 1.
    #[serde(default)]
    pub qty: Option<QtyInput>,
    /// Required unless the store fills it from the catalogue (`barcode`, `sku`).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub unit_price_cents: Option<i64>,
    /// Required unless the store fills it from the catalogue or the department.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub vat_rate_bp: Option<u32>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub discount_cents: Option<i64>,
    #[serde(default)]
    pub discount_percent: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// cash, card, cheque, voucher, store_credit or other.
    pub method: String,
    /// May be left out for cash when `tendered_cents` is given: the rest due is taken.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub amount_cents: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub tendered_cents: Option<i64>,
    #[serde(default)]
    pub reference: Option<String>,
}

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
            Lang::Fr => format!("{} : {}", field_fr(&self.field), self.problem.message_fr()),
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
    pub fn message_fr(&self) -> String {
        match self {
            Problem::NoLines => "la vente n'a aucune ligne".into(),
            Problem::TooMany => "trop de lignes ou de paiements".into(),
            Problem::MissingLabel => "un libellé est obligatoire".into(),
            Problem::TooLong => format!("texte de plus de {MAX_TEXT} caractères"),
            Problem::NonPositiveQty => "la quantité doit être supérieure à zéro".into(),
            Problem::BadNumber(e) => format!("nombre invalide : {}", e.message_fr()),
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
        }
    }
}

/// Trims a text field and checks its length; empty means absent.
fn text(field: &str, value: &Option<String>) -> Result<Option<String>, SaleError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > MAX_TEXT => Err(SaleError::at(field, Problem::TooLong)),
        Some(t) => Ok(Some(t.to_string())),
    }
}

/// A percentage text ("10", "2,5") as basis points.
fn percent_bp(field: &str, text: &str) -> Result<i64, SaleError> {
    crate::money::Money::parse(text)
        .map(|m| m.0)
        .map_err(|e| SaleError::at(field, Problem::BadNumber(e)))
}

fn discount(
    field: &str,
    cents: Option<i64>,
    percent: &Option<String>,
    base: Money,
) -> Result<Money, SaleError> {
    let amount = match (cents, percent.as_deref().map(str::trim)) {
        (Some(_), Some(p)) if !p.is_empty() => {
            return Err(SaleError::at(field, Problem::BothDiscounts))
        }
        (Some(c), _) => Money(c),
        (None, Some(p)) if !p.is_empty() => {
            let bp = percent_bp(field, p)?;
            let cents = div_round_half_away(i128::from(base.0) * i128::from(bp), 10_000)
                .map_err(|e| SaleError::at(field, e.into()))?;
            Money(cents)
        }
        _ => Money::ZERO,
    };
    if amount.0 < 0 || amount > base {
        return Err(SaleError::at(
            field,
            Problem::DiscountOutOfRange { max: base },
        ));
    }
    Ok(amount)
}

fn allowed_list(rates: &[VatRate]) -> String {
    rates
        .iter()
        .map(|r| r.0.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A line before the ticket discount is spread.
fn price_line(index: usize, input: &LineInput, rates: &[VatRate]) -> Result<Line, SaleError> {
    let field = |name: &str| format!("lines[{index}].{name}");
    let label = text(&field("label"), &input.label)?
        .ok_or_else(|| SaleError::at(field("label"), Problem::MissingLabel))?;
    let qty = match &input.qty {
        None => Qty::ONE,
        Some(q) => q
            .parse()
            .map_err(|e| SaleError::at(field("qty"), Problem::BadNumber(e)))?,
    };
    if qty.0 <= 0 {
        return Err(SaleError::at(field("qty"), Problem::NonPositiveQty));
    }
    let price = input
        .unit_price_cents
        .ok_or_else(|| SaleError::at(field("unit_price_cents"), Problem::MissingPrice))?;
    if price < 0 {
        return Err(SaleError::at(
            field("unit_price_cents"),
            Problem::NegativePrice,
        ));
    }
    let rate = VatRate(
        input
            .vat_rate_bp
            .ok_or_else(|| SaleError::at(field("vat_rate_bp"), Problem::MissingVat))?,
    );
    if !rates.contains(&rate) {
        return Err(SaleError::at(
            field("vat_rate_bp"),
            Problem::UnknownVatRate {
                rate,
                allowed: allowed_list(rates),
            },
        ));
    }
    let unit_price = Money(price);
    let gross = line_gross(qty, unit_price).map_err(|e| SaleError::at(field("qty"), e.into()))?;
    let discount = discount(
        &field("discount"),
        input.discount_cents,
        &input.discount_percent,
        gross,
    )?;
    let total = gross
        .checked_sub(discount)
        .map_err(|e| SaleError::at(field("discount"), e.into()))?;
    Ok(Line {
        label,
        sku: text(&field("sku"), &input.sku)?,
        barcode: text(&field("barcode"), &input.barcode)?,
        department: text(&field("department"), &input.department)?,
        qty_milli: qty,
        unit_price_cents: unit_price,
        vat_rate_bp: rate,
        gross_cents: gross,
        discount_cents: discount,
        ticket_discount_cents: Money::ZERO,
        total_cents: total,
        ht_cents: Money::ZERO,
        of_line: None,
    })
}

/// Spreads the ticket discount over the lines and fills each line's total and HT.
fn apply_ticket_discount(lines: &mut [Line], ticket_discount: Money) -> Result<(), Overflow> {
    let nets: Vec<Money> = lines.iter().map(|l| l.total_cents).collect();
    let shares = allocate(ticket_discount, &nets)?;
    for (line, share) in lines.iter_mut().zip(shares) {
        line.ticket_discount_cents = share;
        line.total_cents = line.total_cents.checked_sub(share)?;
        line.ht_cents = ht_of(line.total_cents, line.vat_rate_bp)?;
    }
    Ok(())
}

fn price_payment(index: usize, input: &PaymentInput, due: Money) -> Result<Payment, SaleError> {
    let field = |name: &str| format!("payments[{index}].{name}");
    let method = Method::from_code(input.method.trim()).ok_or_else(|| {
        SaleError::at(
            field("method"),
            Problem::UnknownMethod(input.method.clone()),
        )
    })?;
    let reference = text(&field("reference"), &input.reference)?;
    if method == Method::Other && reference.is_none() {
        return Err(SaleError::at(field("reference"), Problem::MissingReference));
    }
    let tendered = input.tendered_cents.map(Money);
    let amount = match (input.amount_cents, tendered) {
        (Some(a), _) => Money(a),
        (None, Some(t)) if method == Method::Cash => t.min(due.max(Money::ZERO)),
        (None, _) => return Err(SaleError::at(field("amount_cents"), Problem::MissingAmount)),
    };
    if amount.0 <= 0 {
        return Err(SaleError::at(
            field("amount_cents"),
            Problem::NonPositiveAmount,
        ));
    }
    let change = match tendered {
        Some(t) if t < amount => {
            return Err(SaleError::at(
                field("tendered_cents"),
                Problem::TenderedBelowAmount,
            ))
        }
        Some(t) if t > amount && method != Method::Cash => {
            return Err(SaleError::at(
                field("tendered_cents"),
                Problem::ChangeOnNonCash,
            ))
        }
        Some(t) => Some(Money(t.0 - amount.0)),
        None => None,
    };
    Ok(Payment {
        method,
        amount_cents: amount,
        tendered_cents: tendered,
        change_cents: change,
        reference,
    })
}

pub fn price_payments(inputs: &[PaymentInput], total: Money) -> Result<Vec<Payment>, SaleError> {
    if inputs.is_empty() && total == Money::ZERO {
        return Ok(Vec::new());
    }
    if inputs.is_empty() {
        return Err(SaleError::at("payments", Problem::NoPayments));
    }
    if inputs.len() > MAX_PAYMENTS {
        return Err(SaleError::at("payments", Problem::TooMany));
    }
    let mut payments = Vec::with_capacity(inputs.len());
    let mut paid = Money::ZERO;
    for (index, input) in inputs.iter().enumerate() {
        let due = total.0.saturating_sub(paid.0);
        let payment = price_payment(index, input, Money(due))?;
        paid = paid
            .checked_add(payment.amount_cents)
            .map_err(|e| SaleError::at("payments", e.into()))?;
        payments.push(payment);
    }
    match paid.cmp(&total) {
        std::cmp::Ordering::Less => Err(SaleError::at(
            "payments",
            Problem::Underpaid { total, paid },
        )),
        std::cmp::Ordering::Greater => {
            Err(SaleError::at("payments", Problem::Overpaid { total, paid }))
        }
        std::cmp::Ordering::Equal => Ok(payments),
    }
}

/// Validates a sale and prices it. `rates` are the VAT rates this till accepts.
pub fn price_sale(input: &SaleInput, rates: &[VatRate]) -> Result<Ticket, SaleError> {
    let mut ticket = price_cart(input, rates)?;
    ticket.payments = price_payments(&input.payments, ticket.total_cents)?;
    Ok(ticket)
}

/// Prices the lines and discounts of a cart, ignoring its payments (which may not be
/// chosen yet): what the counter shows while the customer's items are scanned.
pub fn price_cart(input: &SaleInput, rates: &[VatRate]) -> Result<Ticket, SaleError> {
    if input.lines.is_empty() {
        return Err(SaleError::at("lines", Problem::NoLines));
    }
    if input.lines.len() > MAX_LINES {
        return Err(SaleError::at("lines", Problem::TooMany));
    }
    let mut lines = input
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| price_line(i, l, rates))
        .collect::<Result<Vec<_>, _>>()?;
    let net = Money::sum(lines.iter().map(|l| l.total_cents))
        .map_err(|e| SaleError::at("lines", e.into()))?;
    let ticket_discount = discount(
        "ticket_discount",
        input.ticket_discount_cents,
        &input.ticket_discount_percent,
        net,
    )?;
    apply_ticket_discount(&mut lines, ticket_discount)
        .map_err(|e| SaleError::at("ticket_discount", e.into()))?;
    let vat = Ticket::vat_breakdown(&lines).map_err(|e| SaleError::at("lines", e.into()))?;
    let total = net
        .checked_sub(ticket_discount)
        .map_err(|e| SaleError::at("ticket_discount", e.into()))?;
    Ok(Ticket {
        lines,
        ticket_discount_cents: ticket_discount,
        vat,
        total_cents: total,
        payments: Vec::new(),
        note: text("note", &input.note)?,
        corrects: None,
        reason: None,
        late: None,
    })
}

/// The operator of a sale: the input's, else the default given (a CLI flag), else an error.
pub fn operator_of(input: &SaleInput, default: Option<&str>) -> Result<String, SaleError> {
    let given = text("operator", &input.operator)?;
    given
        .or_else(|| {
            default
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(String::from)
        })
        .ok_or_else(|| SaleError::at("operator", Problem::MissingOperator))
}

#[cfg(test)]
#[path = "sale_tests.rs"]
mod tests;
