//! Re-entry tracking: after the outage, the manager re-enters (or imports) into the SaaS what
//! Relais recorded, and marks it here — one by one, or from a two-column file `record → SaaS
//! reference` — so the till shows what is left to do.

use crate::catalog::read::{owned, Table};
use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::plural;
use crate::Actor;
use crate::Store;
use relais_core::closure::Direction;
use relais_core::text;
use relais_core::time::format_instant;
use relais_core::{Body, EventData, EventType, Money, Record};
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::json;
use std::path::Path;
use ts_rs::TS;

/// The kinds that have to be re-entered into the SaaS.
const TO_REENTER: &str = "'sale', 'refund', 'void', 'order', 'closure', 'cash_movement', 'deposit', 'avoir', 'avoir_use'";

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReentryCount {
    pub kind: String,
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub left: u64,
}

/// What is left to re-enter, per kind.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReentryStatus {
    pub kinds: Vec<ReentryCount>,
    #[ts(type = "number")]
    pub left: u64,
}

/// One record still to re-enter, as the manager looks for it in the paper trail.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReentryItem {
    pub number: String,
    pub kind: String,
    pub business_day: String,
    /// In the till's zone: "28/11/2026 15:16:09".
    pub local_time: String,
    #[ts(type = "number | null")]
    pub total_cents: Option<i64>,
    /// The customer of an order, the reason of a cash movement; empty otherwise.
    pub detail: String,
}

/// The oldest records still to re-enter (the order they were recorded in), and how many more.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReentryLeft {
    pub items: Vec<ReentryItem>,
    #[ts(type = "number")]
    pub more: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReentryImport {
    #[ts(type = "number")]
    pub marked: u64,
    #[ts(type = "number")]
    pub already: u64,
    /// (line, what was not found).
    pub unknown: Vec<(usize, String)>,
}

/// Marks one record as re-entered, inside the caller's transaction; false when it already
/// was.
fn insert_mark(
    tx: &Connection,
    record: &Record,
    saas_ref: &str,
    operator: &str,
    at: &str,
) -> Result<bool> {
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO reentry (record_id, saas_ref, marked_at, operator) VALUES (?1, ?2, ?3, ?4)",
        params![record.id.to_string(), saas_ref.trim(), at, operator],
    )?;
    Ok(inserted > 0)
}

fn reentry_event(message: String, details: serde_json::Value, operator: &str) -> NewRecord {
    NewRecord::new(
        Body::Event(EventData::new(EventType::ReentryMarked, message, details)),
        operator,
    )
}

impl Store {
    /// The record `reference` names, if it is something to re-enter.
    fn to_reenter(&self, reference: &str) -> Result<Record> {
        let (record, _) = self.find(reference)?;
        let allowed: bool = self.conn.query_row(
            &format!("SELECT kind IN ({TO_REENTER}) FROM ledger WHERE id = ?1"),
            [record.id.to_string()],
            |r| r.get(0),
        )?;
        if !allowed {
            return Err(StoreError::Invalid(text!(
                fr: format!("{} n'est pas à ressaisir", record.number()),
                en: format!("{} is not something to re-enter", record.number()),
            )));
        }
        Ok(record)
    }

    /// Marks one record (by number or id) as re-entered into the SaaS under `saas_ref`. The
    /// mark and its journal record are one transaction.
    pub fn mark_reentered(&mut self, reference: &str, saas_ref: &str, by: &Actor) -> Result<bool> {
        let operator = by.name();
        let record = self.to_reenter(reference)?;
        let config = self.require_config()?.clone();
        let now = self.now();
        let at = format_instant(now);
        let saas_ref = saas_ref.trim();
        let reference_text = match saas_ref.is_empty() {
            true => String::new(),
            false => format!(" (réf. {saas_ref})"),
        };
        let event = reentry_event(
            format!(
                "{} ressaisi dans le logiciel principal{reference_text}",
                record.number()
            ),
            json!({"record": reference, "saas_ref": saas_ref}),
            operator,
        );
        let marked = self.write(|tx| {
            let marked = insert_mark(tx, &record, saas_ref, operator, &at)?;
            if marked {
                append(tx, &config, now, event)?;
            }
            Ok(marked)
        })?;
        self.after_commit();
        Ok(marked)
    }

    /// Marks every record of a two-column file (record number or id, SaaS reference), in one
    /// transaction with its journal record.
    pub fn import_reentries(&mut self, path: &Path, by: &Actor) -> Result<ReentryImport> {
        let operator = by.name();
        let table = Table::open(path, None)?;
        let config = self.require_config()?.clone();
        let now = self.now();
        let at = format_instant(now);
        let mut report = ReentryImport {
            marked: 0,
            already: 0,
            unknown: Vec::new(),
        };
        // A first row that names an existing record is data, not a header.
        let first = table.headers.first().cloned().unwrap_or_default();
        let mut rows = Vec::new();
        if self.find(&first).is_ok() {
            rows.push((1usize, table.headers.clone()));
        }
        table.for_each_row(|line, cells| {
            rows.push((line, owned(cells)));
            Ok(())
        })?;
        let mut targets = Vec::new();
        for (line, cells) in rows {
            let reference = cells.first().map(|c| c.trim()).unwrap_or("");
            let saas = cells.get(1).map(|c| c.trim()).unwrap_or("").to_string();
            match self.to_reenter(reference) {
                Ok(record) => targets.push((record, saas)),
                Err(_) => report.unknown.push((line, reference.to_string())),
            }
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let report = self.write(|tx| {
            for (record, saas) in &targets {
                match insert_mark(tx, record, saas, operator, &at)? {
                    true => report.marked += 1,
                    false => report.already += 1,
                }
            }
            if report.marked > 0 {
                let what = plural::fr(
                    report.marked,
                    "enregistrement marqué ressaisi",
                    "enregistrements marqués ressaisis",
                );
                let details = json!({"file": name, "marked": report.marked});
                append(
                    tx,
                    &config,
                    now,
                    reentry_event(format!("{what} ({name})"), details, operator),
                )?;
            }
            Ok(report)
        })?;
        self.after_commit();
        Ok(report)
    }

    /// What is left to re-enter into the SaaS.
    pub fn reentry_status(&self) -> Result<ReentryStatus> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT l.kind, COUNT(*), COUNT(*) FILTER (WHERE r.record_id IS NULL)
             FROM ledger l LEFT JOIN reentry r ON r.record_id = l.id
             WHERE l.kind IN ({TO_REENTER}) AND NOT json_extract(l.body, '$.training') GROUP BY l.kind ORDER BY l.kind"
        ))?;
        let kinds = statement
            .query_map([], |r| {
                Ok(ReentryCount {
                    kind: r.get(0)?,
                    total: r.get(1)?,
                    left: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let left = kinds.iter().map(|k| k.left).sum();
        Ok(ReentryStatus { kinds, left })
    }

    /// The first `limit` records left to re-enter, oldest first, of one kind or of all.
    pub fn reentry_left(&self, kind: Option<&str>, limit: u32) -> Result<ReentryLeft> {
        let kind = kind.map(str::trim).filter(|k| !k.is_empty());
        let left = format!(
            "FROM ledger l LEFT JOIN reentry r ON r.record_id = l.id
             WHERE l.kind IN ({TO_REENTER}) AND (?1 IS NULL OR l.kind = ?1) AND r.record_id IS NULL
               AND NOT json_extract(l.body, '$.training')"
        );
        let total: u64 =
            self.conn
                .query_row(&format!("SELECT COUNT(*) {left}"), params![kind], |r| {
                    r.get(0)
                })?;
        let mut statement = self
            .conn
            .prepare(&format!("SELECT l.body {left} ORDER BY l.pos LIMIT ?2"))?;
        let items = statement
            .query_map(params![kind, limit], |r| r.get::<_, String>(0))?
            .map(|body| {
                let record: Record = serde_json::from_str(&body?)
                    .map_err(|e| StoreError::Corrupt(format!("ledger body: {e}")))?;
                Ok(item_of(&record))
            })
            .collect::<Result<Vec<_>>>()?;
        let more = total.saturating_sub(items.len() as u64);
        Ok(ReentryLeft { items, more })
    }
}

fn item_of(record: &Record) -> ReentryItem {
    let (total, detail) = match &record.body {
        Body::Order(order) => (Some(order.total_cents), order.customer.name.clone()),
        Body::CashMovement(movement) => {
            let signed = match movement.direction {
                Direction::In => movement.amount_cents,
                Direction::Out => Money(-movement.amount_cents.cents()),
            };
            (Some(signed), movement.reason.clone())
        }
        Body::Deposit(deposit) => (Some(deposit.amount_cents), deposit.order.number.clone()),
        Body::Avoir(avoir) => (
            Some(avoir.amount_cents),
            avoir.origin.label_fr().to_string(),
        ),
        Body::AvoirUse(used) => (Some(used.amount_cents), used.voucher.clone()),
        other => (other.total(), String::new()),
    };
    ReentryItem {
        number: record.number(),
        kind: record.kind().code().to_string(),
        business_day: record.business_day.clone(),
        local_time: record.local_time(),
        total_cents: total.map(Money::cents),
        detail,
    }
}

#[cfg(test)]
mod tests;
