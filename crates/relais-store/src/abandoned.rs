//! « Annuler le ticket »: a cart given up before its payment. Nothing was sold, so no sale
//! record is written; the cart is journaled (JET 1200, `cart_abandoned`) with its amount and
//! its lines, as NF525 tills count abandoned tickets.

use crate::error::Result;
use crate::journaled::Journal;
use crate::sales::resolve_lines;
use crate::{Actor, Store};
use relais_core::{text, EventType, SaleInput};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

/// What was given up: the cart's amount as it was priced, and how many lines it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Abandoned {
    #[ts(type = "number")]
    pub amount_cents: i64,
    pub lines: u32,
}

impl Store {
    /// Journals a cart given up by `operator` (JET 1200). The cart is priced as a sale
    /// would be (an empty or unpriceable cart is refused: nothing to abandon).
    pub fn record_abandoned_cart(&mut self, cart: &SaleInput, by: &Actor) -> Result<Abandoned> {
        let config = self.require_config()?.clone();
        let operator = by.name();
        if cart.lines.is_empty() {
            return Err(crate::StoreError::Invalid(text!(
                fr: "le ticket est vide : rien à annuler",
                en: "the ticket is empty: nothing to cancel",
            )));
        }
        let input = resolve_lines(&self.conn, cart)?;
        let ticket = relais_core::price_cart(&input, &config.vat_rates)?;
        let amount = ticket.total_cents;
        let lines = u32::try_from(ticket.lines.len()).unwrap_or(u32::MAX);
        self.write_event(Journal(EventType::CartAbandoned, format!( "Ticket annulé avant paiement par {operator} : {lines} ligne(s), {amount} €" ), json!({ "staff": operator, "sale_id": cart.id, "lines": lines, "amount_cents": amount.0, })), operator)?;
        Ok(Abandoned {
            amount_cents: amount.0,
            lines,
        })
    }
}

#[cfg(test)]
mod tests;
