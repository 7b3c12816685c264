//! Customer orders: taken with a deposit, made ready, collected (a sale that deducts the
//! deposit) or cancelled (deposit refunded or kept as store credit). Every step is a ledger
//! record; an order's state is what its records say, folded in order.

use crate::dated::{append, NewRecord};
use crate::day::ensure_day;
use crate::error::{Result, StoreError};
use crate::sales::Recorded;
use crate::staff::Approval;
use crate::SaleOptions;
use crate::{Actor, Store};
use relais_core::fold_order;
use relais_core::order::{
    DepositData, DepositOutcome, OrderData, OrderEventData, OrderInput, OrderStatus,
};
use relais_core::sale::{price_payments, LineInput, PaymentInput, QtyInput};
use relais_core::text;
use relais_core::{Body, EventData, EventType, Method, Money, Payment, Record, SaleInput};
pub use relais_core::{OrderHistoryEntry, OrderLineView, OrderView};
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;

/// Filters of the order list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct OrderFilter {
    /// Name, phone, e-mail or order number, in part.
    pub search: Option<String>,
    pub status: Option<OrderStatus>,
    /// Requested on this day (`YYYY-MM-DD`).
    pub requested_date: Option<String>,
    /// Open or ready orders requested for today or earlier: what to prepare now.
    #[serde(default)]
    pub to_prepare_today: bool,
}

fn money_error(_: relais_core::money::Overflow) -> StoreError {
    StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"))
}

impl Store {
    /// Who takes an order: the input's `operator`, else `default_operator`, checked.
    pub fn order_actor(&self, input: &OrderInput, default_operator: Option<&str>) -> Result<Actor> {
        let operator = input
            .operator
            .as_deref()
            .or(default_operator)
            .filter(|o| !o.trim().is_empty())
            .ok_or_else(|| {
                StoreError::Invalid(
                    text!(fr: "l'opérateur est obligatoire", en: "an operator is required"),
                )
            })?;
        self.actor(operator)
    }

    /// Takes an order, with its deposit if any; `by` takes it (see `order_actor`).
    pub fn create_order(&mut self, input: &OrderInput, by: &Actor) -> Result<OrderView> {
        let config = self.require_config()?.clone();
        let operator = by.name().to_string();
        let name = input.customer.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(text!(
                fr: "le nom du client est obligatoire",
                en: "customer.name: the customer's name is required",
            )));
        }
        if let Some(date) = input
            .requested_date
            .as_deref()
            .filter(|d| !d.trim().is_empty())
        {
            chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
                StoreError::Invalid(text!(
                    fr: "date souhaitée « {date} » : attendu AAAA-MM-JJ",
                    en: "requested_date {date:?}: expected YYYY-MM-DD",
                ))
            })?;
        }
        let cart = SaleInput {
            lines: input.lines.clone(),
            ..SaleInput::default()
        };
        let priced = self.price_preview(&cart)?;
        let deposit_payments = match input.deposit.is_empty() {
            true => Vec::new(),
            false => {
                let asked = input
                    .deposit
                    .iter()
                    .map(|p| p.amount_cents.or(p.tendered_cents).unwrap_or(0))
                    .sum::<i64>();
                price_payments(&input.deposit, Money(asked)).map_err(|e| {
                    StoreError::Invalid(text!(
                        fr: format!("acompte : {}", e.message(relais_core::Lang::Fr)),
                        en: "deposit: {e}",
                    ))
                })?
            }
        };
        let deposit_total =
            Money::sum(deposit_payments.iter().map(|p| p.amount_cents)).map_err(money_error)?;
        if deposit_total > priced.total_cents {
            return Err(StoreError::Invalid(text!(
                fr: "l'acompte dépasse le total de la commande",
                en: "the deposit is more than the order's total",
            )));
        }
        let data = OrderData {
            customer: relais_core::order::Customer {
                name: name.to_string(),
                phone: input
                    .customer
                    .phone
                    .clone()
                    .filter(|p| !p.trim().is_empty()),
                email: input
                    .customer
                    .email
                    .clone()
                    .filter(|p| !p.trim().is_empty()),
                address: input
                    .customer
                    .address
                    .clone()
                    .filter(|p| !p.trim().is_empty()),
            },
            lines: priced.lines,
            vat: priced.vat,
            total_cents: priced.total_cents,
            requested_date: input
                .requested_date
                .clone()
                .filter(|d| !d.trim().is_empty()),
            fulfilment: input.fulfilment,
            note: input.note.clone().filter(|n| !n.trim().is_empty()),
        };
        let closer = self.closer()?;
        let id = input.id.unwrap_or_else(uuid::Uuid::now_v7);
        let number = self.write(|tx| {
            let new = NewRecord {
                id,
                operator: operator.clone(),
                body: Body::Order(data),
                business_day: None,
            };
            let order = append(tx, &config, closer.now, new)?
                .pop()
                .expect("the order")
                .record;
            if deposit_total.0 > 0 {
                let day = ensure_day(tx, &closer)?;
                let deposit = DepositData {
                    order: order.link(),
                    amount_cents: deposit_total,
                    payments: deposit_payments,
                };
                append(
                    tx,
                    &config,
                    closer.now,
                    NewRecord::new(Body::Deposit(deposit), &operator).on_day(&day),
                )?;
            }
            let event = EventData::new(
                EventType::OrderTaken,
                format!(
                    "Commande {} de {name}, acompte {deposit_total} €",
                    order.number()
                ),
                json!({"order": order.number(), "deposit_cents": deposit_total.0}),
            );
            append(
                tx,
                &config,
                closer.now,
                NewRecord::new(Body::Event(event), &operator),
            )?;
            Ok(order.number())
        })?;
        self.after_commit();
        self.order(&number)
    }

    /// Every record of one order, in ledger order: the order, its deposits, its events.
    /// An order's deposits and events up to position `until`.
    fn order_records(&self, order: &Record, until: u64) -> Result<Vec<Record>> {
        let id = order.id.to_string();
        let mut statement = self.conn.prepare(
            "SELECT body FROM ledger WHERE ((kind = 'deposit' AND json_extract(body, '$.data.order.id') = ?1)
               OR (kind = 'order_event' AND json_extract(body, '$.data.order.id') = ?1)) AND pos <= ?2
             ORDER BY pos",
        )?;
        let bodies = statement
            .query_map(rusqlite::params![id, until as i64], |r| {
                r.get::<_, String>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        bodies
            .iter()
            .map(|b| serde_json::from_str(b).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    /// An order by its number (`T1-C000001`) or id, with its history.
    /// The shop's view (issue 26): an order taken at this till or at a paired one, with its
    /// deposits and events from every till (in the order they happened when several tills
    /// had a part in it).
    pub fn order(&self, reference: &str) -> Result<OrderView> {
        let record = self.find_order(reference)?;
        let mut related = self.order_records(&record, i64::MAX as u64)?;
        let elsewhere = self.peer_order_records(&record.id.to_string())?;
        if !elsewhere.is_empty() {
            related.extend(elsewhere);
            related.sort_by(|a, b| a.at.cmp(&b.at));
        }
        fold_order(&record, &related).ok_or_else(|| {
            StoreError::NotFound(text!(
                fr: "commande {reference} introuvable",
                en: "no order {reference}",
            ))
        })
    }

    /// An order as it stood once the ledger reached position `until`.
    pub(crate) fn order_as_of(&self, reference: &str, until: u64) -> Result<OrderView> {
        let (record, _) = self.find(reference)?;
        let related = self.order_records(&record, until)?;
        fold_order(&record, &related).ok_or_else(|| {
            StoreError::NotFound(text!(
                fr: "commande {reference} introuvable",
                en: "no order {reference}",
            ))
        })
    }

    /// The orders, newest first, filtered: this till's and, the shop's view (issue 26), those
    /// taken at a paired till, from its records received.
    pub fn orders(&self, filter: &OrderFilter) -> Result<Vec<OrderView>> {
        let mut statement = self.conn.prepare(
            "SELECT id FROM (
                 SELECT id, at FROM ledger WHERE kind = 'order'
                 UNION ALL
                 SELECT id, json_extract(body, '$.at') AS at FROM peer_records WHERE kind = 'order'
             ) ORDER BY at DESC",
        )?;
        let ids = statement
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let today = self.today().unwrap_or_default();
        let needle = filter
            .search
            .as_deref()
            .map(relais_core::catalog::normalize)
            .filter(|n| !n.is_empty());
        let mut found = Vec::new();
        for id in ids {
            let order = self.order(&id)?;
            let haystack = relais_core::catalog::normalize(&format!(
                "{} {} {} {}",
                order.number,
                order.customer.name,
                order.customer.phone.as_deref().unwrap_or(""),
                order.customer.email.as_deref().unwrap_or("")
            ));
            let phone_digits: String = order
                .customer
                .phone
                .as_deref()
                .unwrap_or("")
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let matches_search = needle.as_ref().is_none_or(|n| {
                haystack.contains(n.as_str())
                    || (!phone_digits.is_empty() && phone_digits.contains(&n.replace(' ', "")))
            });
            let matches_status = filter.status.is_none_or(|s| s == order.status);
            let matches_date = filter
                .requested_date
                .as_ref()
                .is_none_or(|d| order.requested_date.as_ref() == Some(d));
            let to_prepare = !filter.to_prepare_today
                || (matches!(order.status, OrderStatus::Open | OrderStatus::Ready)
                    && order
                        .requested_date
                        .as_deref()
                        .is_some_and(|d| d <= today.as_str()));
            if matches_search && matches_status && matches_date && to_prepare {
                found.push(order);
            }
        }
        Ok(found)
    }

    /// The order and its state, if it may go to `status`.
    fn check_transition(
        &mut self,
        reference: &str,
        status: OrderStatus,
    ) -> Result<(Record, OrderView)> {
        let record = self.find_order(reference)?;
        let view = self.order(reference)?;
        if !view.status.can_become(status) {
            let number = &view.number;
            let (now_fr, next_fr) = (view.status.label_fr(), status.label_fr());
            let (now_fr, next_fr) = (now_fr.to_lowercase(), next_fr.to_lowercase());
            let (now_en, next_en) = (view.status.label_en(), status.label_en());
            return Err(StoreError::Invalid(text!(
                fr: "la commande {number} est {now_fr} : elle ne peut pas devenir {next_fr}",
                en: "order {number} is {now_en}: it cannot become {next_en}",
            )));
        }
        Ok((record, view))
    }

    /// Marks an order ready for pickup or delivery.
    pub fn order_ready(
        &mut self,
        reference: &str,
        note: Option<String>,
        by: &Actor,
    ) -> Result<OrderView> {
        let operator = by.name();
        let config = self.require_config()?.clone();
        let (record, _) = self.check_transition(reference, OrderStatus::Ready)?;
        let now = self.now();
        let data = OrderEventData {
            order: record.link(),
            status: OrderStatus::Ready,
            note,
            sale: None,
            deposit: None,
        };
        self.write(|tx| {
            append(
                tx,
                &config,
                now,
                NewRecord::new(Body::OrderEvent(data), operator),
            )?;
            Ok(())
        })?;
        self.after_commit();
        self.order(reference)
    }

    /// Hands an order over: a sale of its lines, paid by its deposits and the balance, with
    /// what the counter may add to a sale (`SaleOptions`: expired avoirs a manager lets
    /// through, vouchers of the SaaS accepted blind — `external_vouchers` index `balance` —,
    /// a manager's approval of the order's discounts above the shop's threshold).
    pub fn collect_order(
        &mut self,
        reference: &str,
        balance: &[PaymentInput],
        options: &SaleOptions,
        by: &Actor,
    ) -> Result<Recorded> {
        let operator = by.name();
        let (record, view) = self.check_transition(reference, OrderStatus::Collected)?;
        let Body::Order(data) = &record.body else {
            unreachable!("check_transition found an order")
        };
        let lines = data
            .lines
            .iter()
            .map(|l| LineInput {
                label: Some(l.label.clone()),
                sku: l.sku.clone(),
                department: l.department.clone(),
                qty: Some(QtyInput::Text(l.qty_milli.to_string())),
                unit_price_cents: Some(l.unit_price_cents.0),
                vat_rate_bp: Some(l.vat_rate_bp.0),
                discount_cents: (l.discount_cents.0 != 0).then_some(l.discount_cents.0),
                ..LineInput::default()
            })
            .collect();
        let mut payments = Vec::new();
        let mut options = options.clone();
        if view.deposits_cents > 0 {
            // The deposits come first: the balance's payments move one place on.
            options.external_vouchers.iter_mut().for_each(|i| *i += 1);
            payments.push(PaymentInput {
                method: Method::Deposit.code().into(),
                amount_cents: Some(view.deposits_cents),
                tendered_cents: None,
                reference: Some(view.number.clone()),
            });
        }
        payments.extend(balance.iter().cloned());
        let sale = SaleInput {
            lines,
            payments,
            operator: Some(operator.to_string()),
            note: Some(format!("Commande {}", view.number)),
            ..SaleInput::default()
        };
        self.record_sale_for(&sale, by, &options, Some(&record))
    }

    /// Cancels an order: its deposits are refunded by `refund_method` (a manager's action), or
    /// kept as store credit when no method is given.
    pub fn cancel_order(
        &mut self,
        reference: &str,
        refund_method: Option<&str>,
        reason: &str,
        by: &Actor,
        approval: Option<&Approval>,
    ) -> Result<OrderView> {
        let operator = by.name();
        let config = self.require_config()?.clone();
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid(text!(
                fr: "un motif est obligatoire pour annuler une commande",
                en: "a reason is required to cancel an order",
            )));
        }
        let (record, view) = self.check_transition(reference, OrderStatus::Cancelled)?;
        let refund = match (view.deposits_cents > 0, refund_method) {
            (true, Some(method)) => {
                self.manager(by, approval)?;
                let method = Method::from_code(method.trim())
                    .filter(|m| *m != Method::Deposit)
                    .ok_or_else(|| {
                        StoreError::Invalid(text!(
                            fr: "moyen de remboursement inconnu « {method} »",
                            en: "unknown refund method {method:?}",
                        ))
                    })?;
                let amount = Money(-view.deposits_cents);
                Some(DepositData {
                    order: record.link(),
                    amount_cents: amount,
                    payments: vec![Payment {
                        method,
                        amount_cents: amount,
                        tendered_cents: None,
                        change_cents: None,
                        reference: None,
                    }],
                })
            }
            _ => None,
        };
        let outcome = match (view.deposits_cents > 0, &refund) {
            (false, _) => None,
            (true, Some(_)) => Some(DepositOutcome::Refunded),
            (true, None) => Some(DepositOutcome::StoreCredit),
        };
        let closer = self.closer()?;
        self.write(|tx| {
            if let Some(deposit) = refund {
                let day = ensure_day(tx, &closer)?;
                append(
                    tx,
                    &config,
                    closer.now,
                    NewRecord::new(Body::Deposit(deposit), operator).on_day(&day),
                )?;
            }
            let event = OrderEventData {
                order: record.link(),
                status: OrderStatus::Cancelled,
                note: Some(reason.to_string()),
                sale: None,
                deposit: outcome,
            };
            append(
                tx,
                &config,
                closer.now,
                NewRecord::new(Body::OrderEvent(event), operator),
            )?;
            Ok(())
        })?;
        self.after_commit();
        self.order(reference)
    }
}

#[cfg(test)]
mod tests;
