//! Sale input as a script, a test or the counter screen sends it, and its validation into a
//! priced [`Ticket`].

use crate::bounds::{single_line, MAX_AMOUNT_CENTS, MAX_QTY_MILLI};
use crate::money::{div_round_half_away, DecimalError, Money, Overflow, Qty, VatRate};
use crate::ticket::{allocate, ht_of, line_gross, Line, Method, Payment, Ticket};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// Longest label, reference or note we accept: a receipt line is short, a note is a sentence.
pub const MAX_TEXT: usize = 200;
const MAX_LINES: usize = 1000;
const MAX_PAYMENTS: usize = 20;

mod problem;
pub use problem::{Problem, SaleError};

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

/// Trims a text field, makes it one line and checks its length and characters; empty means
/// absent.
fn text(field: &str, value: &Option<String>) -> Result<Option<String>, SaleError> {
    let Some(value) = value else { return Ok(None) };
    let line =
        single_line(value).map_err(|c| SaleError::at(field, Problem::ControlCharacter(c)))?;
    match line.trim() {
        "" => Ok(None),
        t if t.chars().count() > MAX_TEXT => Err(SaleError::at(field, Problem::TooLong)),
        t => Ok(Some(t.to_string())),
    }
}

/// Refuses an amount beyond [`MAX_AMOUNT_CENTS`] (either sign).
fn bounded(field: &str, cents: i64) -> Result<i64, SaleError> {
    if cents.unsigned_abs() > MAX_AMOUNT_CENTS as u64 {
        return Err(SaleError::at(field, Problem::AmountAboveLimit));
    }
    Ok(cents)
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
    if qty.0 > MAX_QTY_MILLI {
        return Err(SaleError::at(field("qty"), Problem::QtyAboveLimit));
    }
    let price = input
        .unit_price_cents
        .ok_or_else(|| SaleError::at(field("unit_price_cents"), Problem::MissingPrice))?;
    let price = bounded(&field("unit_price_cents"), price)?;
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
    bounded(&field("qty"), gross.0)?;
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
    let tendered = match input.tendered_cents {
        Some(t) => Some(Money(bounded(&field("tendered_cents"), t)?)),
        None => None,
    };
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
    bounded(&field("amount_cents"), amount.0)?;
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
    // What the customer handed over in all: the change given is a part of it, and the day's
    // totals add it up.
    let mut handed = Money::ZERO;
    for (index, input) in inputs.iter().enumerate() {
        let due = total.0.saturating_sub(paid.0);
        let payment = price_payment(index, input, Money(due))?;
        paid = paid
            .checked_add(payment.amount_cents)
            .map_err(|e| SaleError::at("payments", e.into()))?;
        handed = handed
            .checked_add(payment.tendered_cents.unwrap_or(payment.amount_cents))
            .map_err(|e| SaleError::at("payments", e.into()))?;
        bounded("payments", handed.0)?;
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
    let gross = Money::sum(lines.iter().map(|l| l.gross_cents))
        .map_err(|e| SaleError::at("lines", e.into()))?;
    bounded("lines", gross.0)?;
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
