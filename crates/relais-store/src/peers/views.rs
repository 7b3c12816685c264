//! Shared views over the own records and the paired tills' (issue 26), folded with the code
//! the merge and the till already use: the shop's X (each till's open day added up by the
//! core's `Summarizer`), an order taken at any till (`relais_core::fold_order` over its
//! records from every till), and the conflicts partitions leave (an order collected twice).

use crate::error::{Result, StoreError};
use crate::ledger::parse_number;
use crate::Store;
use relais_bundle::{AvoirBook, AvoirConflict};
use relais_core::closure::PeriodTotals;
use relais_core::order::OrderStatus;
use relais_core::{text, Body, Record, Summarizer};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;

/// One till's part of the shop's X: its open day's figures as held here.
#[derive(Debug, Clone, Serialize)]
pub struct TillX {
    pub till: String,
    /// This till's own X (else a paired till's, from its records received).
    pub own: bool,
    pub business_day: Option<String>,
    pub totals: PeriodTotals,
}

/// The shop's X: every till's open day, and their sum.
#[derive(Debug, Clone, Serialize)]
pub struct ShopX {
    pub tills: Vec<TillX>,
    pub totals: PeriodTotals,
    pub conflicts: Vec<ShopConflict>,
    /// Avoirs spent beyond their amount across the tills (the merge's own check).
    pub avoir_conflicts: Vec<AvoirConflict>,
}

/// Something two tills did that cannot both stand, shown with who, where and when; never
/// resolved by itself.
#[derive(Debug, Clone, Serialize)]
pub struct ShopConflict {
    /// The order's number (`T1-C000001`).
    pub order: String,
    pub order_id: String,
    pub what: String,
    pub what_fr: String,
    pub collections: Vec<Collection>,
}

/// An order's « collected » record: at which till, by whom, when.
#[derive(Debug, Clone, Serialize)]
pub struct Collection {
    pub till: String,
    pub number: String,
    pub operator: String,
    pub at: String,
    pub local_time: String,
}

fn bodies(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Record>> {
    let mut statement = conn.prepare(sql)?;
    let bodies = statement
        .query_map(args, |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(|e| StoreError::Corrupt(e.to_string())))
        .collect()
}

fn out_of_range(_: relais_core::money::Overflow) -> StoreError {
    StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"))
}

/// The open day of a till whose records `records` gives from its last day closure on: its
/// day and totals, as `Store::x_report` adds up the own.
fn open_day(records: &[Record]) -> Result<(Option<String>, PeriodTotals)> {
    let Some(opening) = records
        .iter()
        .position(|r| matches!(r.body, Body::DayOpen(_)))
    else {
        return Ok((None, PeriodTotals::default()));
    };
    let day = records[opening].business_day.clone();
    let mut summarizer = Summarizer::default();
    for record in &records[opening..] {
        if record.business_day == day {
            summarizer.add(record).map_err(out_of_range)?;
        }
    }
    Ok((Some(day), summarizer.finish().map_err(out_of_range)?))
}

const AFTER_LAST_DAY_CLOSURE: &str = "pos > COALESCE((SELECT MAX(pos) FROM {table} WHERE {till} kind = 'closure' AND json_extract(body, '$.data.period') = 'day'), 0)";

impl Store {
    /// The shop's X: this till's open day and each paired till's, as received, added up.
    pub fn shop_x(&self) -> Result<ShopX> {
        let own = self.require_config()?.till.clone();
        let x = self.x_report()?;
        let mut tills = vec![TillX {
            till: own,
            own: true,
            business_day: x.business_day,
            totals: x.totals,
        }];
        let after = AFTER_LAST_DAY_CLOSURE
            .replace("{table}", "peer_records")
            .replace("{till}", "till = ?1 AND");
        for peer in self.peers()? {
            let sql =
                format!("SELECT body FROM peer_records WHERE till = ?1 AND {after} ORDER BY pos");
            let records = bodies(&self.conn, &sql, [&peer.till])?;
            let (business_day, totals) = open_day(&records)?;
            tills.push(TillX {
                till: peer.till,
                own: false,
                business_day,
                totals,
            });
        }
        let mut sum = Summarizer::default();
        for till in &tills {
            sum.add_totals(&till.totals).map_err(out_of_range)?;
        }
        Ok(ShopX {
            tills,
            totals: sum.finish().map_err(out_of_range)?,
            conflicts: self.shop_conflicts()?,
            avoir_conflicts: self.shop_avoir_conflicts()?,
        })
    }

    /// An order record by number or id: the own ledger's, else a paired till's.
    pub(crate) fn find_order(&self, reference: &str) -> Result<Record> {
        match self.find(reference) {
            Ok((record, _)) => return Ok(record),
            Err(StoreError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
        let reference = reference.split_whitespace().next().unwrap_or("");
        let body: Option<String> = match parse_number(reference) {
            Some((till, series, seq)) => self
                .conn
                .query_row(
                    "SELECT body FROM peer_records WHERE till = ?1 AND series = ?2 AND seq = ?3",
                    params![till, series.code(), seq],
                    |r| r.get(0),
                )
                .optional()?,
            None => self
                .conn
                .query_row(
                    "SELECT body FROM peer_records WHERE id = ?1",
                    [reference],
                    |r| r.get(0),
                )
                .optional()?,
        };
        let body = body.ok_or_else(|| StoreError::no_record(reference))?;
        serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// An order's deposits and events received from the paired tills.
    pub(crate) fn peer_order_records(&self, order_id: &str) -> Result<Vec<Record>> {
        bodies(
            &self.conn,
            "SELECT body FROM peer_records WHERE kind IN ('deposit', 'order_event')
               AND json_extract(body, '$.data.order.id') = ?1 ORDER BY till, pos",
            [order_id],
        )
    }

    /// Avoirs spent beyond their amount across the shop's tills (a partition: each till
    /// saw enough left), found by the bundle merge's own `AvoirBook` over the avoirs and
    /// their uses, own and received.
    pub fn shop_avoir_conflicts(&self) -> Result<Vec<AvoirConflict>> {
        let sql = "SELECT body FROM ledger WHERE kind IN ('avoir', 'avoir_use')
                   UNION ALL
                   SELECT body FROM peer_records WHERE kind IN ('avoir', 'avoir_use')";
        let mut book = AvoirBook::default();
        for record in bodies(&self.conn, sql, [])? {
            book.take(&record, &record.local_time());
        }
        Ok(book.conflicts())
    }

    /// Orders collected more than once across the shop's tills (a partition: two tills
    /// handed the same order over), each with who, where and when.
    pub fn shop_conflicts(&self) -> Result<Vec<ShopConflict>> {
        let sql = "SELECT body FROM ledger WHERE kind = 'order_event'
                     AND json_extract(body, '$.data.status') = 'collected'
                   UNION ALL
                   SELECT body FROM peer_records WHERE kind = 'order_event'
                     AND json_extract(body, '$.data.status') = 'collected'";
        let mut by_order: BTreeMap<String, (String, Vec<Collection>)> = BTreeMap::new();
        for record in bodies(&self.conn, sql, [])? {
            let Body::OrderEvent(event) = &record.body else {
                continue;
            };
            if event.status != OrderStatus::Collected {
                continue;
            }
            let entry = by_order
                .entry(event.order.id.to_string())
                .or_insert_with(|| (event.order.number.clone(), Vec::new()));
            entry.1.push(Collection {
                till: record.till.clone(),
                number: record.number(),
                operator: record.operator.clone(),
                at: record.at.clone(),
                local_time: record.local_time(),
            });
        }
        let mut conflicts = Vec::new();
        for (order_id, (order, mut collections)) in by_order {
            if collections.len() < 2 {
                continue;
            }
            collections.sort_by(|a, b| (&a.at, &a.till).cmp(&(&b.at, &b.till)));
            let said: Vec<String> = collections
                .iter()
                .map(|c| format!("{} ({}, {})", c.till, c.operator, c.local_time))
                .collect();
            let said = said.join(", ");
            conflicts.push(ShopConflict {
                what: format!(
                    "order {order} was collected {} times: {said}",
                    collections.len()
                ),
                what_fr: format!(
                    "la commande {order} a été remise {} fois : {said}",
                    collections.len()
                ),
                order,
                order_id,
                collections,
            });
        }
        Ok(conflicts)
    }
}
