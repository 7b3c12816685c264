//! The day's figures (X report) and closures (Z, monthly, yearly): totals per VAT rate and
//! tender, the cash drawer's expected content, and the signed closure record.
//!
//! Pure: the store feeds the records of a period; the signature is made by the store with
//! the till's key and checked here with the public key alone.

use crate::canonical::{to_canonical, CanonicalError};
use crate::money::Money;
use crate::ticket::{Method, VatTotal};
use ed25519_dalek::{Signature as EdSignature, VerifyingKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Euro coins and notes, in cents, largest first.
pub const EURO_DENOMINATIONS: [i64; 15] = [
    50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
];

/// How many of one coin or note were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DenominationCount {
    #[ts(type = "number")]
    pub value_cents: i64,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("{0} is not a euro coin or note")]
    NotADenomination(Money),
    #[error("amount out of range")]
    Overflow,
}

/// The total of a count, refusing values that are not euro coins or notes.
pub fn count_total(counts: &[DenominationCount]) -> Result<Money, CountError> {
    let mut total = Money::ZERO;
    for c in counts {
        if !EURO_DENOMINATIONS.contains(&c.value_cents) {
            return Err(CountError::NotADenomination(Money(c.value_cents)));
        }
        let amount = c
            .value_cents
            .checked_mul(i64::from(c.count))
            .ok_or(CountError::Overflow)?;
        total = total
            .checked_add(Money(amount))
            .map_err(|_| CountError::Overflow)?;
    }
    Ok(total)
}

/// The data of a day opening: the float counted into the drawer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayOpenData {
    pub float_cents: Money,
    pub denominations: Vec<DenominationCount>,
    /// Opened by the first sale of the day because nobody opened it: the float is 0 and
    /// has to be counted.
    pub automatic: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

/// Cash put in or taken out of the drawer outside a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashMovementData {
    pub direction: Direction,
    /// Always positive; the direction says which way.
    pub amount_cents: Money,
    /// `paid_out` (a purchase paid from the drawer), `bank_deposit`, `float_top_up`, `other`.
    pub category: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TenderTotal {
    pub method: Method,
    pub count: u64,
    pub amount_cents: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChequeLine {
    pub ticket: String,
    pub number: Option<String>,
    pub amount_cents: Money,
}

/// The figures of a period, from its records. The X report shows them; a closure seals them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PeriodTotals {
    pub sales: u64,
    pub refunds: u64,
    pub voids: u64,
    pub sales_cents: Money,
    /// Negative.
    pub refunds_cents: Money,
    /// Negative.
    pub voids_cents: Money,
    /// Sales + refunds + voids.
    pub total_cents: Money,
    /// Line and ticket discounts granted on the period's sales.
    pub discounts_cents: Money,
    /// Per VAT rate, net of refunds and voids, highest rate first.
    pub vat: Vec<VatTotal>,
    /// Per tender, net, in the order of [`Method::ALL`].
    pub tenders: Vec<TenderTotal>,
    pub float_cents: Money,
    pub cash_in_cents: Money,
    pub cash_out_cents: Money,
    /// Float + cash tenders (sales, deposits, gift vouchers sold) + cash in − cash out: what the drawer
    /// should hold.
    pub expected_cash_cents: Money,
    pub cheques: Vec<ChequeLine>,
    /// Sum of |sales| + |refunds| + |voids|.
    pub abs_total_cents: Money,
    /// Customer-order deposits received and refunded: money in the drawer or on the card
    /// terminal, but not turnover until the order is collected.
    pub deposits_received_cents: Money,
    /// Negative.
    pub deposits_refunded_cents: Money,
    /// How deposits were paid (and refunded), net, per tender.
    pub deposit_tenders: Vec<TenderTotal>,
    /// Sales keyed in later from paper slips, among the period's sales.
    pub late_entries: u64,
    pub late_total_cents: Money,
    /// Times the cash drawer was opened without a sale (JET 1100 events of the period).
    /// Left out of the JSON when zero, so that closures signed before it existed keep
    /// their signing bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub drawer_openings: u64,
    /// Avoirs given on returns and cancelled orders' deposits (docs/CHAIN.md, « Avoirs »).
    /// This and the next four are left out of the JSON when zero or empty, as above.
    #[serde(default, skip_serializing_if = "is_zero_money")]
    pub avoirs_issued_cents: Money,
    /// Gift vouchers sold: money received, not turnover (VAT is due when they are spent).
    #[serde(default, skip_serializing_if = "is_zero_money")]
    pub vouchers_sold_cents: Money,
    /// How the gift vouchers sold were paid, per tender.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voucher_tenders: Vec<TenderTotal>,
    /// Avoirs and gift vouchers of the shop spent at this till.
    #[serde(default, skip_serializing_if = "is_zero_money")]
    pub avoirs_redeemed_cents: Money,
    /// External vouchers (« bons externes non vérifiés ») accepted.
    #[serde(default, skip_serializing_if = "is_zero_money")]
    pub external_vouchers_cents: Money,
}

fn is_zero_money(amount: &Money) -> bool {
    amount.0 == 0
}

fn is_zero(count: &u64) -> bool {
    *count == 0
}

impl PeriodTotals {
    pub fn tender(&self, method: Method) -> Money {
        self.tenders
            .iter()
            .find(|t| t.method == method)
            .map(|t| t.amount_cents)
            .unwrap_or_default()
    }

    pub fn deposit_tender(&self, method: Method) -> Money {
        self.deposit_tenders
            .iter()
            .find(|t| t.method == method)
            .map(|t| t.amount_cents)
            .unwrap_or_default()
    }
}

/// Period a closure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClosurePeriod {
    Day,
    Month,
    Year,
}

impl ClosurePeriod {
    pub fn code(self) -> &'static str {
        match self {
            ClosurePeriod::Day => "day",
            ClosurePeriod::Month => "month",
            ClosurePeriod::Year => "year",
        }
    }
}

/// The drawer as counted at closing, and how far it is from what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashCount {
    pub denominations: Vec<DenominationCount>,
    pub counted_cents: Money,
    /// Counted − expected.
    pub variance_cents: Money,
}

/// The card terminal's own day total (from its batch ticket), against the cards recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CardCheck {
    pub terminal_total_cents: Money,
    /// Terminal − recorded.
    pub variance_cents: Money,
}

/// The last record a closure covers: the closure is bound to the chain up to there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Covers {
    pub last_pos: u64,
    pub last_hash: String,
}

/// An Ed25519 signature of a closure's data (without this field), by the till's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClosureSignature {
    pub algorithm: String,
    /// Public key, hex.
    pub key: String,
    /// Signature, hex.
    pub value: String,
}

/// Sales keyed in during a day for an earlier business day (paper slips of the outage): they
/// are not in that day's Z, which was closed, so the next Z reports them and adds them to the
/// perpetual totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EarlierDay {
    pub business_day: String,
    pub tickets: u64,
    pub total_cents: Money,
    pub abs_total_cents: Money,
}

/// What the shop owes in this till's avoirs and gift vouchers, carried from one day closure
/// to the next: `outstanding = opening + issued + sold − redeemed − expired`. Made by
/// [`crate::liability::Liability`] from the till's records, which the audit folds the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AvoirLiability {
    /// The previous day closure's `outstanding_cents` (0 before the first).
    pub opening_cents: Money,
    /// Avoirs issued (returns, cancelled orders' deposits) since the previous day closure.
    pub issued_cents: Money,
    /// Gift vouchers sold since the previous day closure.
    pub sold_cents: Money,
    /// Spent at this till, since the previous day closure, from this till's avoirs still
    /// counted (another till's avoirs are not this till's liability).
    pub redeemed_cents: Money,
    /// What was left on this till's avoirs whose last day is before the closed day, taken
    /// out at this closure.
    pub expired_cents: Money,
    /// What is left at the close on this till's avoirs neither spent nor expired.
    pub outstanding_cents: Money,
}

impl AvoirLiability {
    /// Every figure 0: nothing to carry (the closure leaves `avoirs` out).
    pub fn is_empty(&self) -> bool {
        *self == AvoirLiability::default()
    }

    /// Whether `outstanding = opening + issued + sold − redeemed − expired` holds.
    pub fn adds_up(&self) -> bool {
        let carried = || -> Result<Money, crate::money::Overflow> {
            self.opening_cents
                .checked_add(self.issued_cents)?
                .checked_add(self.sold_cents)?
                .checked_sub(self.redeemed_cents)?
                .checked_sub(self.expired_cents)
        };
        carried().is_ok_and(|m| m == self.outstanding_cents)
    }
}

/// A closure (Z report, monthly, yearly), signed with the till's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClosureData {
    pub period: ClosurePeriod,
    pub first_day: String,
    pub last_day: String,
    pub totals: PeriodTotals,
    /// Day closures: late entries recorded during the day for earlier days.
    pub earlier_days: Vec<EarlierDay>,
    pub cash_count: Option<CashCount>,
    pub card_check: Option<CardCheck>,
    /// Closed automatically (a day left open past midnight): nothing was counted.
    pub automatic: bool,
    pub note: Option<String>,
    /// Perpetual grand total of every ticket since the till was set up, and of absolute
    /// values, after this period.
    pub perpetual_total_cents: Money,
    pub perpetual_abs_total_cents: Money,
    /// Day closures: this till's avoirs and gift vouchers carried from the previous day
    /// closure to this one, the shop's liability (docs/CHAIN.md, « The avoirs' liability »).
    /// Left out of the JSON when none, so that closures signed before it keep their signing
    /// bytes; the till leaves it out when every figure is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avoirs: Option<AvoirLiability>,
    pub covers: Covers,
    pub signature: ClosureSignature,
}

impl ClosureData {
    pub fn total_cents(&self) -> Money {
        self.totals.total_cents
    }
}

/// The bytes a closure signature covers: the canonical JSON of its data without the
/// `signature` member.
pub fn signing_bytes(data: &ClosureData) -> Result<String, CanonicalError> {
    let mut value = serde_json::to_value(data).map_err(|e| CanonicalError::Json(e.to_string()))?;
    if let Some(object) = value.as_object_mut() {
        object.remove("signature");
    }
    to_canonical(&value)
}

/// Checks a closure's signature with `public_key` (hex); false on any mismatch.
pub fn signature_valid(data: &ClosureData, public_key: &str) -> bool {
    let check = || -> Option<bool> {
        let mut key = [0u8; 32];
        hex::decode_to_slice(public_key, &mut key).ok()?;
        let key = VerifyingKey::from_bytes(&key).ok()?;
        let mut sig = [0u8; 64];
        hex::decode_to_slice(&data.signature.value, &mut sig).ok()?;
        let bytes = signing_bytes(data).ok()?;
        Some(
            data.signature.algorithm == "ed25519"
                && data.signature.key == public_key
                && key
                    .verify_strict(bytes.as_bytes(), &EdSignature::from_bytes(&sig))
                    .is_ok(),
        )
    };
    check().unwrap_or(false)
}
