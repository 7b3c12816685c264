//! The day's tickets for the counter's Tickets (F10) and Retours (F8) screens: the sales of
//! the open business day (else of the last day that had any), newest first, each with what a
//! cashier searches by (time, amount, methods, cashier) and whether it was voided or
//! refunded since. Reads only.

use crate::error::{Result, StoreError};
use crate::session::open_day;
use crate::Store;
use relais_core::record::{Body, Record};
use relais_core::time::{parse_instant, parse_zone};
use serde::Serialize;
use std::collections::HashSet;
use ts_rs::TS;

/// The most tickets one list holds (a very busy day's last ones): the screen stays quick
/// and the memory bounded; older ones are still found by their number.
pub const DAY_TICKETS_MAX: usize = 2000;

/// One sale as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TicketSummary {
    pub id: String,
    /// `T1-000042`.
    pub number: String,
    /// The local time it was recorded, `14:05:09` (a paper slip's: when keyed in).
    pub time: String,
    #[ts(type = "number")]
    pub total_cents: i64,
    /// The payment methods' codes (`cash`, `card`…), in the ticket's order, once each.
    pub methods: Vec<String>,
    /// Who recorded it.
    pub operator: String,
    pub voided: bool,
    pub refunded: bool,
    /// A paper slip keyed in later.
    pub late: bool,
}

/// The day's sales, newest first.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DayTickets {
    /// The business day listed (`YYYY-MM-DD`), none before the first sale.
    pub business_day: Option<String>,
    pub tickets: Vec<TicketSummary>,
    /// The day had more sales than [`DAY_TICKETS_MAX`]: the oldest are left out.
    pub truncated: bool,
}

fn parse(body: &str) -> Result<Record> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn local_time(record: &Record) -> String {
    match (parse_zone(&record.tz), parse_instant(&record.at)) {
        (Some(zone), Some(at)) => at.with_timezone(&zone).format("%H:%M:%S").to_string(),
        _ => record.at.clone(),
    }
}

impl Store {
    /// The sales of the open business day, else of the last day that had a sale.
    pub fn day_tickets(&self) -> Result<DayTickets> {
        let day = match open_day(&self.conn)? {
            Some(day) => Some(day),
            None => self
                .conn
                .query_row(
                    "SELECT business_day FROM ledger WHERE kind = 'sale' ORDER BY pos DESC LIMIT 1",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?,
        };
        let Some(day) = day else {
            return Ok(DayTickets {
                business_day: None,
                tickets: Vec::new(),
                truncated: false,
            });
        };
        let mut statement = self.conn.prepare(
            "SELECT pos, body FROM ledger WHERE kind = 'sale' AND business_day = ?1
             ORDER BY pos DESC LIMIT ?2",
        )?;
        let rows = statement
            .query_map(rusqlite::params![day, DAY_TICKETS_MAX as i64 + 1], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let truncated = rows.len() > DAY_TICKETS_MAX;
        let rows = &rows[..rows.len().min(DAY_TICKETS_MAX)];
        let first = rows.last().map_or(0, |(pos, _)| *pos);
        let (voided, refunded) = self.corrected_since(first)?;
        let mut tickets = Vec::with_capacity(rows.len());
        for (_, body) in rows {
            let record = parse(body)?;
            let Body::Sale(ticket) = &record.body else {
                continue;
            };
            let mut methods: Vec<String> = Vec::new();
            for payment in &ticket.payments {
                let code = payment.method.code().to_string();
                if !methods.contains(&code) {
                    methods.push(code);
                }
            }
            let id = record.id.to_string();
            tickets.push(TicketSummary {
                number: record.number(),
                time: local_time(&record),
                total_cents: ticket.total_cents.0,
                methods,
                operator: record.operator.clone(),
                voided: voided.contains(&id),
                refunded: refunded.contains(&id),
                late: ticket.late.is_some(),
                id,
            });
        }
        Ok(DayTickets {
            business_day: Some(day),
            tickets,
            truncated,
        })
    }

    /// The ids of the sales voided, and of those refunded, by records from `pos` on.
    fn corrected_since(&self, pos: i64) -> Result<(HashSet<String>, HashSet<String>)> {
        let mut statement = self.conn.prepare(
            "SELECT kind, json_extract(body, '$.data.corrects.id') FROM ledger
             WHERE kind IN ('void', 'refund') AND pos > ?1",
        )?;
        let mut voided = HashSet::new();
        let mut refunded = HashSet::new();
        let rows = statement.query_map([pos], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        for row in rows {
            let (kind, id) = row?;
            if let Some(id) = id {
                if kind == "void" {
                    voided.insert(id);
                } else {
                    refunded.insert(id);
                }
            }
        }
        Ok((voided, refunded))
    }
}

#[cfg(test)]
#[path = "day_tickets/tests.rs"]
mod tests;
