//! Customer orders (commandes): taken with a deposit (acompte), made ready, collected with the
//! balance paid (a sale that deducts the deposit), or cancelled (deposit refunded or kept as
//! store credit). Each step is a new ledger record: the order, its deposits, its events.

use crate::money::Money;
use crate::sale::{LineInput, PaymentInput};
use crate::ticket::{Line, Link, Payment, VatTotal};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Customer {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    #[default]
    Pickup,
    Delivery,
}

/// An order as the counter, the phone or a script takes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct OrderInput {
    #[serde(default)]
    #[ts(type = "string | null")]
    pub id: Option<uuid::Uuid>,
    pub customer: Customer,
    /// From the catalogue (`barcode`, `sku`) or free text (special orders).
    pub lines: Vec<LineInput>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub requested_date: Option<String>,
    #[serde(default)]
    pub fulfilment: Fulfilment,
    #[serde(default)]
    pub note: Option<String>,
    /// The deposit, paid with any method; none is fine.
    #[serde(default)]
    pub deposit: Vec<PaymentInput>,
    #[serde(default)]
    pub operator: Option<String>,
}

/// The data of an `order` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrderData {
    pub customer: Customer,
    pub lines: Vec<Line>,
    pub vat: Vec<VatTotal>,
    pub total_cents: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_date: Option<String>,
    pub fulfilment: Fulfilment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Money received for (or given back on) an order, kept apart from turnover until the order
/// is collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DepositData {
    pub order: Link,
    /// Positive when received, negative when refunded.
    pub amount_cents: Money,
    pub payments: Vec<Payment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Open,
    Ready,
    Collected,
    Cancelled,
}

impl OrderStatus {
    pub fn label_fr(self) -> &'static str {
        match self {
            OrderStatus::Open => "En cours",
            OrderStatus::Ready => "Prête",
            OrderStatus::Collected => "Retirée",
            OrderStatus::Cancelled => "Annulée",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            OrderStatus::Open => "open",
            OrderStatus::Ready => "ready",
            OrderStatus::Collected => "collected",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// Whether an order may go from `self` to `next`.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Open, Ready) | (Open | Ready, Collected) | (Open | Ready, Cancelled)
        )
    }
}

/// What happened to a cancelled order's deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DepositOutcome {
    Refunded,
    StoreCredit,
}

/// The data of an `order_event` record: a change of status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrderEventData {
    pub order: Link,
    pub status: OrderStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The sale that collected the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale: Option<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit: Option<DepositOutcome>,
}
