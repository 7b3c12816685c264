//! What an order looks like on screen and in a bundle: its state and history, folded from
//! its record and the records that follow it.

use crate::order::{DepositOutcome, Fulfilment, OrderStatus};
use crate::{Body, Record};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct OrderLineView {
    pub label: String,
    pub qty: String,
    #[ts(type = "number")]
    pub unit_price_cents: i64,
    #[ts(type = "number")]
    pub total_cents: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OrderHistoryEntry {
    pub number: String,
    pub local_time: String,
    pub operator: String,
    pub what: String,
}

/// An order as the list and the order screen show it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OrderView {
    pub number: String,
    pub id: String,
    pub created: String,
    pub customer: crate::order::Customer,
    pub lines: Vec<OrderLineView>,
    #[ts(type = "number")]
    pub total_cents: i64,
    #[ts(type = "number")]
    pub deposits_cents: i64,
    #[ts(type = "number")]
    pub balance_cents: i64,
    pub status: OrderStatus,
    pub requested_date: Option<String>,
    pub fulfilment: Fulfilment,
    pub note: Option<String>,
    /// The sale that collected it.
    pub sale: Option<String>,
    pub history: Vec<OrderHistoryEntry>,
}

/// An order's present state and history, from its record and the deposits and events that
/// follow it (in ledger order). Pure: used by the store and by bundle merges.
pub fn fold_order(record: &Record, related: &[Record]) -> Option<OrderView> {
    let Body::Order(data) = &record.body else {
        return None;
    };
    let mut view = OrderView {
        number: record.number(),
        id: record.id.to_string(),
        created: record.local_time(),
        customer: data.customer.clone(),
        lines: data
            .lines
            .iter()
            .map(|l| OrderLineView {
                label: l.label.clone(),
                qty: l.qty_milli.to_string(),
                unit_price_cents: l.unit_price_cents.0,
                total_cents: l.total_cents.0,
            })
            .collect(),
        total_cents: data.total_cents.0,
        deposits_cents: 0,
        balance_cents: data.total_cents.0,
        status: OrderStatus::Open,
        requested_date: data.requested_date.clone(),
        fulfilment: data.fulfilment,
        note: data.note.clone(),
        sale: None,
        history: vec![OrderHistoryEntry {
            number: record.number(),
            local_time: record.local_time(),
            operator: record.operator.clone(),
            what: format!("Commande prise ({} €)", data.total_cents),
        }],
    };
    for r in related {
        let what = match &r.body {
            Body::Deposit(d) => {
                view.deposits_cents += d.amount_cents.0;
                if d.amount_cents.0 >= 0 {
                    format!("Acompte reçu {} €", d.amount_cents)
                } else {
                    format!("Acompte remboursé {} €", d.amount_cents)
                }
            }
            Body::OrderEvent(e) => {
                view.status = e.status;
                view.sale = e.sale.as_ref().map(|s| s.number.clone()).or(view.sale);
                let extra = match (&e.sale, e.deposit) {
                    (Some(sale), _) => format!(" — vente {}", sale.number),
                    (None, Some(DepositOutcome::StoreCredit)) => {
                        " — acompte conservé en avoir".into()
                    }
                    _ => String::new(),
                };
                format!(
                    "{}{extra}{}",
                    e.status.label_fr(),
                    e.note
                        .as_ref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                )
            }
            _ => continue,
        };
        view.history.push(OrderHistoryEntry {
            number: r.number(),
            local_time: r.local_time(),
            operator: r.operator.clone(),
            what,
        });
    }
    view.balance_cents = match view.status {
        OrderStatus::Open | OrderStatus::Ready => view.total_cents - view.deposits_cents,
        OrderStatus::Collected | OrderStatus::Cancelled => 0,
    };
    Some(view)
}
