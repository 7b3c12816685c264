//! Corrections of a sale, as new records linked to it: a void cancels all of it, a refund
//! gives back some or all of its lines. Both need a manager (the operator, or one approving
//! with a PIN, which is journaled as an override).

use crate::avoirs::{append_avoir, AvoirView, NewAvoir};
use crate::dated::{append, NewRecord};
use crate::day::ensure_day;
use crate::error::{Result, StoreError};
use crate::sales::{count_links, Recorded};
use crate::staff::override_event;
use crate::staff::Approval;
use crate::{Manager, Store};
use relais_core::avoir::AvoirOrigin;
use relais_core::refund::{refund_ticket, Refunded};
use relais_core::text;
use relais_core::{Body, EventData, EventType, Kind, Method, Money, Qty, Record, Ticket};
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;

/// One line to give back: its index on the sale (from 0) and the quantity.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct RefundLineInput {
    pub line: usize,
    /// Quantity with up to three decimals, e.g. "1" or "0,250".
    pub qty: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct RefundInput {
    /// The sale: its number (`T1-000042`) or id.
    pub sale: String,
    pub lines: Vec<RefundLineInput>,
    /// How the money goes back: cash, card, cheque, voucher, store_credit, other.
    pub method: String,
    pub reference: Option<String>,
    pub reason: String,
    pub operator: String,
    pub approval: Option<Approval>,
}

/// A sale line as the return screen shows it: what can still be given back.
#[derive(Debug, Clone, serde::Serialize, TS)]
pub struct ReturnableLine {
    pub line: usize,
    pub label: String,
    /// Sold and still returnable quantities, as people write them ("3", "1,25").
    pub sold: String,
    pub left: String,
    /// Thousandths still returnable.
    #[ts(type = "number")]
    pub left_milli: i64,
    /// Thousandths sold.
    #[ts(type = "number")]
    pub sold_milli: i64,
    #[ts(type = "number")]
    pub total_cents: i64,
    /// What is left of the line's total to give back (its whole rest when the rest of the
    /// quantity is returned; a part is in proportion, as `relais_core::refund` computes it).
    #[ts(type = "number")]
    pub left_cents: i64,
}

/// A sale found for a return or a void.
#[derive(Debug, Clone, serde::Serialize, TS)]
#[ts(export)]
pub struct SaleForReturn {
    pub receipt: relais_core::receipt::ReceiptDoc,
    pub lines: Vec<ReturnableLine>,
    pub voided: bool,
    pub refunded: bool,
}

fn sale_of(store: &Store, reference: &str) -> Result<(Record, Ticket)> {
    let (record, _) = store.find(reference)?;
    match &record.body {
        Body::Sale(ticket) => Ok((record.clone(), ticket.clone())),
        _ => Err(StoreError::NotASale(record.number())),
    }
}

fn reason_of(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > relais_core::sale::MAX_TEXT {
        return Err(StoreError::Invalid(text!(
            fr: "un motif (200 caractères au plus) est obligatoire",
            en: "a reason (up to 200 characters) is required",
        )));
    }
    Ok(reason.to_string())
}

/// What each line of `sale` has already had refunded.
fn refunded_so_far(
    conn: &rusqlite::Connection,
    sale: &Record,
    lines: usize,
) -> Result<Vec<Refunded>> {
    let mut tally = vec![Refunded::default(); lines];
    let mut statement = conn.prepare(
        "SELECT body FROM ledger WHERE kind = 'refund' AND json_extract(body, '$.data.corrects.id') = ?1",
    )?;
    let bodies = statement
        .query_map([sale.id.to_string()], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for body in bodies {
        let record: Record =
            serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        for line in record
            .body
            .ticket()
            .map(|t| t.lines.as_slice())
            .unwrap_or_default()
        {
            if let Some(slot) = line.of_line.and_then(|i| tally.get_mut(i as usize)) {
                slot.add(line);
            }
        }
    }
    Ok(tally)
}

impl Store {
    /// A sale (by number, or by the id its receipt's QR code holds) with what is left to
    /// give back on each line.
    pub fn sale_for_return(&self, reference: &str) -> Result<SaleForReturn> {
        let (record, ticket) = sale_of(self, reference)?;
        let receipt = self.receipt_doc(&record.id.to_string())?;
        let before = refunded_so_far(&self.conn, &record, ticket.lines.len())?;
        let voided = count_links(&self.conn, Kind::Void, "$.data.corrects.id", record.id)? > 0;
        let lines = ticket
            .lines
            .iter()
            .zip(&before)
            .enumerate()
            .map(|(index, (line, done))| {
                let left = Qty(if voided {
                    0
                } else {
                    line.qty_milli.0 - done.qty.0
                });
                ReturnableLine {
                    line: index,
                    label: line.label.clone(),
                    sold: line.qty_milli.to_string(),
                    left: left.to_string(),
                    left_milli: left.0,
                    sold_milli: line.qty_milli.0,
                    total_cents: line.total_cents.0,
                    left_cents: if voided {
                        0
                    } else {
                        line.total_cents.0 - done.total.0
                    },
                }
            })
            .collect();
        Ok(SaleForReturn {
            receipt,
            lines,
            voided,
            refunded: before.iter().any(|b| b.qty.0 > 0),
        })
    }

    /// Cancels a whole sale with a linked void (the opposite amounts) and a cancellation
    /// event (JET 190). The sale itself is never touched.
    pub fn void_sale(&mut self, reference: &str, reason: &str, by: &Manager) -> Result<Recorded> {
        let config = self.require_config()?.clone();
        let (original, ticket) = sale_of(self, reference)?;
        let reason = reason_of(reason)?;
        let (operator, approver) = (by.name(), by.approver().map(String::from));
        let void = ticket
            .negated(original.link(), Some(reason.clone()))
            .map_err(|_| {
                StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"))
            })?;
        let closer = self.closer()?;
        let now = closer.now;
        let recorded = self.write(|tx| {
            if count_links(tx, Kind::Void, "$.data.corrects.id", original.id)? > 0 {
                return Err(StoreError::AlreadyVoided(original.number()));
            }
            if count_links(tx, Kind::Refund, "$.data.corrects.id", original.id)? > 0 {
                return Err(StoreError::Invalid(text!(
                    fr: format!("{} a déjà des remboursements : remboursez le reste au lieu de l'annuler", original.number()),
                    en: format!("{} has refunds: refund the rest instead of voiding it", original.number()),
                )));
            }
            let day = ensure_day(tx, &closer)?;
            let sealed = append(
                tx,
                &config,
                now,
                NewRecord::new(Body::Void(void), operator).on_day(&day),
            )?;
            let recorded = Recorded::from_sealed(&sealed);
            let event = EventData::new(
                EventType::Cancellation,
                format!(
                    "Annulation de la vente {} par {}",
                    original.number(),
                    recorded.number
                ),
                json!({"sale": original.number(), "sale_id": original.id.to_string(),
                       "void": recorded.number, "reason": reason, "approved_by": approver}),
            );
            append(
                tx,
                &config,
                now,
                NewRecord::new(Body::Event(event), operator),
            )?;
            if let Some(manager) = &approver {
                let event = override_event(operator, manager, "l'annulation", &recorded.number);
                append(tx, &config, now, NewRecord::new(Body::Event(event), operator))?;
            }
            Ok(recorded)
        })?;
        self.after_commit();
        Ok(recorded)
    }

    /// Gives back some or all lines of a sale, paid back by one method.
    /// Given back by `by` (made from the input's `operator` and `approval`).
    pub fn refund(&mut self, input: &RefundInput, by: &Manager) -> Result<Recorded> {
        Ok(self.refund_with(input, by, false)?.0)
    }

    /// A refund to « avoir » and the avoir that stands for it, in one transaction: a crash
    /// leaves both or neither. The refund's method must be `store_credit`; the manager's
    /// authority over the refund (`by`) serves the avoir too when the shop asks for one.
    pub fn refund_to_avoir(
        &mut self,
        input: &RefundInput,
        by: &Manager,
    ) -> Result<(Recorded, AvoirView)> {
        if Method::from_code(input.method.trim()) != Some(Method::StoreCredit) {
            return Err(StoreError::Invalid(text!(
                fr: "un avoir s'émet sur un remboursement en « avoir » (store_credit)",
                en: "an avoir is issued for a refund to store credit (store_credit)",
            )));
        }
        let (recorded, avoir) = self.refund_with(input, by, true)?;
        let number = avoir.ok_or_else(|| StoreError::Corrupt("refund without its avoir".into()))?;
        Ok((recorded, self.avoir(&number)?))
    }

    fn refund_with(
        &mut self,
        input: &RefundInput,
        by: &Manager,
        with_avoir: bool,
    ) -> Result<(Recorded, Option<String>)> {
        let config = self.require_config()?.clone();
        let (original, ticket) = sale_of(self, &input.sale)?;
        let reason = reason_of(&input.reason)?;
        let method = Method::from_code(input.method.trim()).ok_or_else(|| {
            StoreError::Invalid(text!(
                fr: format!("moyen de paiement inconnu « {} »", input.method),
                en: format!("unknown payment method {:?}", input.method),
            ))
        })?;
        let lines = input
            .lines
            .iter()
            .map(|l| {
                Qty::parse(&l.qty).map(|q| (l.line, q)).map_err(|e| {
                    StoreError::Invalid(text!(
                        fr: format!("ligne {} : {}", l.line + 1, e.text().fr),
                        en: format!("line {}: {e}", l.line + 1),
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let (operator, approver) = (by.name(), by.approver().map(String::from));
        let signer = if with_avoir {
            Some(self.avoir_signer()?)
        } else {
            None
        };
        let closer = self.closer()?;
        let now = closer.now;
        let reference = input.reference.clone().filter(|r| !r.trim().is_empty());
        let recorded = self.write(|tx| {
            if count_links(tx, Kind::Void, "$.data.corrects.id", original.id)? > 0 {
                return Err(StoreError::AlreadyVoided(original.number()));
            }
            let before = refunded_so_far(tx, &original, ticket.lines.len())?;
            let refund = refund_ticket(
                &ticket,
                original.link(),
                &lines,
                &before,
                method,
                reference,
                reason.clone(),
            )
            .map_err(|e| StoreError::Invalid(e.text()))?;
            let credit: i64 = refund
                .payments
                .iter()
                .filter(|p| p.method == Method::StoreCredit)
                .map(|p| -p.amount_cents.0)
                .sum();
            let sealed = append(
                tx,
                &config,
                now,
                NewRecord::new(Body::Refund(refund), operator),
            )?;
            let recorded = Recorded::from_sealed(&sealed);
            let avoir = match (&signer, sealed.last()) {
                (Some(signer), Some(refund)) => {
                    let avoir = NewAvoir {
                        origin: AvoirOrigin::Return,
                        from: Some(refund.record.link()),
                        amount: Money(credit),
                        payments: Vec::new(),
                    };
                    Some(append_avoir(tx, &closer, signer, avoir, operator)?)
                }
                _ => None,
            };
            if let Some(manager) = &approver {
                let event = override_event(operator, manager, "le remboursement", &recorded.number);
                append(
                    tx,
                    &config,
                    now,
                    NewRecord::new(Body::Event(event), operator),
                )?;
            }
            Ok((recorded, avoir))
        })?;
        self.after_commit();
        Ok(recorded)
    }
}

#[cfg(test)]
mod tests;
