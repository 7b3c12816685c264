//! The priced ticket: what a sale, refund or void records once its input is validated.
//!
//! Pricing method (documented in docs/CHAIN.md, "Amounts"):
//! 1. line gross = round(qty_milli × unit_price_cents / 1000)
//! 2. line net = gross − line discount (a percentage is rounded to the cent first)
//! 3. the ticket discount is spread over the lines in proportion to their net amounts
//!    (largest remainder, ties to the earlier line), so each VAT rate bears its share
//! 4. per VAT rate: TTC = Σ line totals, HT = round(TTC × 10000 / (10000 + rate_bp)),
//!    TVA = TTC − HT
//!
//! Every rounding is half away from zero.

use crate::money::{div_round_half_away, Money, Overflow, Qty, VatRate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// One priced line of a ticket. Refund and void lines carry negative quantities and amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Line {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    pub qty_milli: Qty,
    pub unit_price_cents: Money,
    pub vat_rate_bp: VatRate,
    /// qty × unit price, rounded to the cent.
    pub gross_cents: Money,
    /// The line's own discount.
    pub discount_cents: Money,
    /// This line's share of the ticket discount.
    pub ticket_discount_cents: Money,
    /// What the customer pays for the line, VAT included.
    pub total_cents: Money,
    /// The line total without VAT, for the receipt; the per-rate totals are authoritative.
    pub ht_cents: Money,
    /// Refund lines: the index of the line of the sale they return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of_line: Option<u32>,
}

/// Totals of one VAT rate on a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VatTotal {
    pub rate_bp: VatRate,
    pub ht_cents: Money,
    pub vat_cents: Money,
    pub ttc_cents: Money,
}

/// How a customer paid (or was paid back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Cash,
    /// Paid on the shop's standalone card terminal (TPE).
    Card,
    Cheque,
    /// Voucher or gift card.
    Voucher,
    StoreCredit,
    Other,
    /// The deposit (acompte) paid when a customer order was taken, deducted when it is
    /// collected. Only the store uses it, when a customer order is collected.
    Deposit,
}

impl Method {
    pub const ALL: [Method; 7] = [
        Method::Cash,
        Method::Card,
        Method::Cheque,
        Method::Voucher,
        Method::StoreCredit,
        Method::Other,
        Method::Deposit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Card => "card",
            Method::Cheque => "cheque",
            Method::Voucher => "voucher",
            Method::StoreCredit => "store_credit",
            Method::Other => "other",
            Method::Deposit => "deposit",
        }
    }

    pub fn from_code(code: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Method::Cash => "Espèces",
            Method::Card => "Carte bancaire",
            Method::Cheque => "Chèque",
            Method::Voucher => "Bon d'achat",
            Method::StoreCredit => "Avoir",
            Method::Other => "Autre",
            Method::Deposit => "Acompte",
        }
    }
}

/// One tender. For cash, `amount_cents` is what goes to the sale; the customer handed over
/// `tendered_cents` and got `change_cents` back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Payment {
    pub method: Method,
    pub amount_cents: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tendered_cents: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_cents: Option<Money>,
    /// Card terminal ticket reference, cheque number, voucher code or the label of "other".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// A link from a correction (refund, void, receipt copy) to the record it corrects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Link {
    #[ts(type = "string")]
    pub id: Uuid,
    /// The number people know it by, e.g. `T1-000042`.
    pub number: String,
}

/// A priced ticket: the data of a sale, a refund or a void.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Ticket {
    pub lines: Vec<Line>,
    pub ticket_discount_cents: Money,
    /// One entry per VAT rate present, highest rate first.
    pub vat: Vec<VatTotal>,
    pub total_cents: Money,
    pub payments: Vec<Payment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For refunds and voids: the sale they correct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A sale written on paper during the outage and keyed in later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<LateEntry>,
}

/// When and on which paper slip a late-entered sale really happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LateEntry {
    /// The real sale time, UTC (`YYYY-MM-DDTHH:MM:SS.mmmZ`).
    pub sold_at: String,
    /// The number of the paper slip.
    pub slip: String,
    /// Who sold it, as written on the slip (the record's operator is who keyed it in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<String>,
}

impl Ticket {
    /// The exact opposite of this ticket, linked to it: what a void records. Tendered and
    /// change amounts are dropped (no change is given back on a void).
    pub fn negated(&self, corrects: Link, reason: Option<String>) -> Result<Ticket, Overflow> {
        let neg = |m: Money| m.checked_neg();
        let lines = self
            .lines
            .iter()
            .map(|l| {
                Ok(Line {
                    qty_milli: Qty(l.qty_milli.0.checked_neg().ok_or(Overflow)?),
                    gross_cents: neg(l.gross_cents)?,
                    discount_cents: neg(l.discount_cents)?,
                    ticket_discount_cents: neg(l.ticket_discount_cents)?,
                    total_cents: neg(l.total_cents)?,
                    ht_cents: neg(l.ht_cents)?,
                    ..l.clone()
                })
            })
            .collect::<Result<_, Overflow>>()?;
        let vat = self
            .vat
            .iter()
            .map(|v| {
                Ok(VatTotal {
                    rate_bp: v.rate_bp,
                    ht_cents: neg(v.ht_cents)?,
                    vat_cents: neg(v.vat_cents)?,
                    ttc_cents: neg(v.ttc_cents)?,
                })
            })
            .collect::<Result<_, Overflow>>()?;
        let payments = self
            .payments
            .iter()
            .map(|p| {
                Ok(Payment {
                    method: p.method,
                    amount_cents: neg(p.amount_cents)?,
                    tendered_cents: None,
                    change_cents: None,
                    reference: p.reference.clone(),
                })
            })
            .collect::<Result<_, Overflow>>()?;
        Ok(Ticket {
            lines,
            ticket_discount_cents: neg(self.ticket_discount_cents)?,
            vat,
            total_cents: neg(self.total_cents)?,
            payments,
            note: None,
            corrects: Some(corrects),
            reason,
            late: None,
        })
    }

    /// Sum of the line totals per rate, with HT and VAT, highest rate first.
    pub fn vat_breakdown(lines: &[Line]) -> Result<Vec<VatTotal>, Overflow> {
        let mut rates: Vec<VatRate> = lines.iter().map(|l| l.vat_rate_bp).collect();
        rates.sort_unstable_by(|a, b| b.cmp(a));
        rates.dedup();
        rates
            .into_iter()
            .map(|rate| {
                let ttc = Money::sum(
                    lines
                        .iter()
                        .filter(|l| l.vat_rate_bp == rate)
                        .map(|l| l.total_cents),
                )?;
                let ht = ht_of(ttc, rate)?;
                Ok(VatTotal {
                    rate_bp: rate,
                    ht_cents: ht,
                    vat_cents: ttc.checked_sub(ht)?,
                    ttc_cents: ttc,
                })
            })
            .collect()
    }
}

/// The amount without VAT in a VAT-inclusive amount: round(ttc × 10000 / (10000 + rate)).
pub fn ht_of(ttc: Money, rate: VatRate) -> Result<Money, Overflow> {
    div_round_half_away(i128::from(ttc.0) * 10_000, 10_000 + i128::from(rate.0)).map(Money)
}

/// qty × unit price rounded to the cent.
pub fn line_gross(qty: Qty, unit_price: Money) -> Result<Money, Overflow> {
    div_round_half_away(i128::from(qty.0) * i128::from(unit_price.0), 1000).map(Money)
}

/// Splits `discount` over `weights` in proportion, exactly: floor shares, then the
/// remaining cents to the largest remainders (earlier index first on ties).
/// Weights must be non-negative with a positive sum when the discount is non-zero.
pub fn allocate(discount: Money, weights: &[Money]) -> Result<Vec<Money>, Overflow> {
    let total: i128 = weights.iter().map(|w| i128::from(w.0)).sum();
    if discount.0 == 0 || total == 0 {
        return Ok(vec![Money::ZERO; weights.len()]);
    }
    let d = i128::from(discount.0);
    let mut shares: Vec<i128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (index, w) in weights.iter().enumerate() {
        let product = d * i128::from(w.0);
        shares.push(product.div_euclid(total));
        remainders.push((product.rem_euclid(total), index));
    }
    let mut left = d - shares.iter().sum::<i128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders {
        if left == 0 {
            break;
        }
        shares[index] += 1;
        left -= 1;
    }
    shares
        .into_iter()
        .map(|s| i64::try_from(s).map(Money).map_err(|_| Overflow))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_is_exact_and_proportional() {
        let cases: &[(i64, &[i64], &[i64])] = &[
            (100, &[1000, 1000], &[50, 50]),
            (100, &[1000, 2000], &[33, 67]),
            (1, &[1000, 1000, 1000], &[1, 0, 0]),
            (2, &[1000, 1000, 1000], &[1, 1, 0]),
            (10, &[0, 500], &[0, 10]),
            (0, &[500, 500], &[0, 0]),
            (299, &[999, 1, 1000], &[149, 0, 150]),
        ];
        for (discount, weights, expected) in cases {
            let weights: Vec<Money> = weights.iter().map(|&w| Money(w)).collect();
            let got: Vec<i64> = allocate(Money(*discount), &weights)
                .unwrap()
                .into_iter()
                .map(|m| m.0)
                .collect();
            assert_eq!(got, *expected, "discount {discount} over {weights:?}");
            assert_eq!(got.iter().sum::<i64>(), *discount);
        }
    }

    #[test]
    fn ht_rounds_half_away() {
        let cases: &[(i64, u32, i64)] = &[
            (1200, 2000, 1000),
            (100, 550, 95),  // 94.786… → 95
            (105, 2000, 88), // 87.5 → 88
            (-105, 2000, -88),
            (1, 2000, 1), // 0.833… → 1: VAT of one cent is zero
            (0, 2000, 0),
        ];
        for &(ttc, rate, expected) in cases {
            assert_eq!(ht_of(Money(ttc), VatRate(rate)).unwrap(), Money(expected));
        }
    }
}
