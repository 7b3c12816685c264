//! What the till shows at a glance, the technical event journal, and session start-up.

use crate::dated::{append, NewRecord};
use crate::error::Result;
use crate::Store;
use relais_core::time::{local_display, parse_instant, parse_zone};
use relais_core::{Body, EventData, EventType, Record, Shop, Text};
use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChainStatus {
    pub ok: bool,
    #[ts(type = "number")]
    pub records: u64,
    pub head_hash: Option<String>,
    /// The first defect, in both languages (the screens and the CLI show the session's).
    pub defect: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Status {
    pub initialised: bool,
    /// A training till: everything on screen and on receipts is marked "formation".
    pub training: bool,
    pub shop: Option<Shop>,
    pub till: Option<String>,
    /// Number of sales recorded (voided ones included).
    #[ts(type = "number")]
    pub sales: u64,
    #[ts(type = "number")]
    pub records: u64,
    pub chain: ChainStatus,
    pub data_dir: String,
    /// Today's date in the till's zone, and today's sales (count and total incl. VAT of
    /// sales, refunds and voids). The total (the day's takings) is None when the status is
    /// for someone who may not see it (`Store::status_for`: whoever stands at the counter).
    pub today: Option<String>,
    #[ts(type = "number")]
    pub sales_today: u64,
    #[ts(type = "number | null")]
    pub turnover_today_cents: Option<i64>,
    /// Sales not yet in any export bundle, and the local time of the first of them.
    #[ts(type = "number")]
    pub unexported_sales: u64,
    pub unexported_since: Option<String>,
    /// Records (sales, refunds, voids, orders, deposits, closures, cash movements) not yet
    /// marked as re-entered into the SaaS.
    #[ts(type = "number")]
    pub not_reentered: u64,
    /// Local time of the last verified backup.
    pub last_backup: Option<String>,
    /// Set when this computer's clock is earlier than the last record: a warning for staff.
    pub clock_warning: Option<String>,
    #[ts(type = "number")]
    pub catalog_size: u64,
    /// Products a big first import left out of the search index, until it is built (see
    /// `Store::finish_search_index`).
    #[ts(type = "number")]
    pub search_index_pending: u64,
    #[ts(type = "number")]
    pub staff_count: u64,
}

/// One line of the technical event journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct JournalEntry {
    pub number: String,
    /// UTC instant.
    pub at: String,
    /// Local date and time in the till's zone, as people read it.
    pub local_time: String,
    pub code: u32,
    pub name: String,
    /// The event type's French label ("Ouverture de journée"), as the JET lists it.
    pub label: String,
    pub message: String,
    pub operator: String,
}

impl Store {
    /// `status` for the counter's screens: the day's takings only for `viewer` logged in as
    /// an active manager (or on a till that has no staff yet, where anyone is the manager);
    /// the lock screen (no viewer) and a cashier get the count of sales without the amount.
    pub fn status_for(&mut self, viewer: Option<&str>) -> Result<Status> {
        let mut status = self.status()?;
        let manager = match viewer {
            _ if status.staff_count == 0 => true,
            None => false,
            Some(name) => self
                .staff()?
                .iter()
                .any(|s| s.name == name && s.active && s.role == crate::Role::Manager),
        };
        if !manager {
            status.turnover_today_cents = None;
        }
        Ok(status)
    }

    /// Counts and chain status; verifies only the records added since the previous call.
    pub fn status(&mut self) -> Result<Status> {
        self.refresh_config()?;
        let count = |kind: &str| -> Result<u64> {
            Ok(self
                .conn
                .query_row("SELECT COUNT(*) FROM ledger WHERE kind = ?1", [kind], |r| {
                    r.get(0)
                })?)
        };
        let sales = count("sale")?;
        let records: u64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM ledger", [], |r| r.get(0))?;
        let report = self.verify_incremental()?;
        let chain = ChainStatus {
            ok: report.defect.is_none(),
            records: report.summary.records,
            head_hash: report.summary.head_hash.clone(),
            defect: report.defect.as_ref().map(|d| d.text()),
        };
        let today = self.today();
        let (sales_today, turnover_today_cents): (u64, i64) = self.conn.query_row(
            "SELECT COUNT(*) FILTER (WHERE kind = 'sale'), COALESCE(SUM(total_cents), 0)
             FROM ledger WHERE kind IN ('sale', 'refund', 'void') AND business_day = ?1",
            [today.as_deref().unwrap_or("")],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let exported_to = crate::export::last_export(&self.conn)?
            .map(|(to, _)| to)
            .unwrap_or(0);
        let (unexported, first_sale_at): (u64, Option<String>) = self.conn.query_row(
            "SELECT COUNT(*), MIN(at) FROM ledger WHERE kind = 'sale' AND pos > ?1",
            [exported_to],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let not_reentered = self.reentry_status()?.left;
        let local = |at: &str| self.local_time(at);
        Ok(Status {
            today,
            sales_today,
            turnover_today_cents: Some(turnover_today_cents),
            unexported_sales: unexported,
            not_reentered,
            unexported_since: first_sale_at.as_deref().map(local),
            last_backup: self.last_backup()?,
            clock_warning: self.clock_warning()?,
            catalog_size: self.catalog_size()?,
            search_index_pending: self.search_index_pending()?,
            staff_count: self.staff()?.len() as u64,
            initialised: self.config.is_some(),
            training: self.config.as_ref().is_some_and(|c| c.training),
            shop: self.config.as_ref().map(|c| c.shop.clone()),
            till: self.config.as_ref().map(|c| c.till.clone()),
            sales,
            records,
            chain,
            data_dir: self.dir.display().to_string(),
        })
    }

    /// `at` (UTC, as records store instants) as the till's local date and time, as people
    /// read it: "28/11/2026 15:16:09"; `at` itself if it is not an instant.
    pub fn local_time(&self, at: &str) -> String {
        let zone = self.config.as_ref().map(|c| c.zone);
        match (zone, parse_instant(at)) {
            (Some(zone), Some(instant)) => local_display(zone, instant),
            _ => at.to_string(),
        }
    }

    /// A warning when the clock says it is earlier than the last record was written.
    fn clock_warning(&self) -> Result<Option<String>> {
        let Some(last) = self.last_record_at()? else {
            return Ok(None);
        };
        let Some(last_instant) = parse_instant(&last) else {
            return Ok(None);
        };
        let behind = (last_instant - self.now()).num_seconds();
        Ok((behind > 2).then(|| {
            format!(
                "L'horloge de ce poste retarde : le dernier enregistrement date du {}. Vérifiez la date et l'heure.",
                self.local_time(&last)
            )
        }))
    }

    /// Records that a program opened the till to work (JET 80), and a new-version event
    /// (JET 250) when the software version differs from the previous start-up's.
    pub fn start_session(&mut self, program: &str) -> Result<()> {
        let Some(config) = self.config.clone() else {
            return Ok(());
        };
        let previous_version: Option<String> = self
            .conn
            .query_row(
                "SELECT json_extract(body, '$.data.details.version') FROM ledger
                 WHERE kind = 'event' AND json_extract(body, '$.data.name') = 'startup'
                 ORDER BY pos DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let version = crate::SOFTWARE_VERSION;
        let now = self.now();
        self.write(|tx| {
            if let Some(previous) = previous_version.filter(|p| p != version) {
                let event = EventData::new(
                    EventType::NewVersion,
                    format!("Nouvelle version du logiciel : {previous} → {version}"),
                    json!({"previous": previous, "version": version}),
                );
                append(
                    tx,
                    &config,
                    now,
                    NewRecord::new(Body::Event(event), "system"),
                )?;
            }
            let event = EventData::new(
                EventType::Startup,
                format!("Démarrage de {program} {version}"),
                json!({"program": program, "version": version, "pid": std::process::id()}),
            );
            append(
                tx,
                &config,
                now,
                NewRecord::new(Body::Event(event), "system"),
            )?;
            Ok(())
        })?;
        self.after_commit();
        Ok(())
    }

    /// The technical events, oldest first; `last` keeps only the most recent ones.
    pub fn journal(&self, last: Option<usize>) -> Result<Vec<JournalEntry>> {
        let limit = last.map(|n| n as i64).unwrap_or(-1);
        let mut statement = self.conn.prepare(
            "SELECT body FROM (SELECT pos, body FROM ledger WHERE kind = 'event'
             ORDER BY pos DESC LIMIT ?1) ORDER BY pos",
        )?;
        let bodies = statement
            .query_map([limit], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        bodies
            .iter()
            .map(|body| {
                let record: Record = serde_json::from_str(body)
                    .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
                Ok(journal_entry(&record))
            })
            .collect()
    }
}

fn journal_entry(record: &Record) -> JournalEntry {
    let local_time = match (parse_zone(&record.tz), parse_instant(&record.at)) {
        (Some(zone), Some(at)) => local_display(zone, at),
        _ => record.at.clone(),
    };
    let (code, name, message) = match &record.body {
        Body::Event(e) => (e.code, e.name.clone(), e.message.clone()),
        other => (0, other.kind().code().to_string(), String::new()),
    };
    let label = EventType::from_name(&name)
        .map(|t| t.label_fr().to_string())
        .unwrap_or_else(|| name.clone());
    JournalEntry {
        number: record.number(),
        at: record.at.clone(),
        local_time,
        code,
        name,
        label,
        message,
        operator: record.operator.clone(),
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::{hire_marie_and_paul, init_store, sale};

    /// The day's takings go to a manager logged in only: never to the lock screen (nobody),
    /// a cashier, or a name that is not staff; a till with no staff yet has no one to hide
    /// them from.
    #[test]
    fn the_days_takings_go_to_a_manager_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        store.record_sale_as(&sale(150), None).unwrap();
        assert_eq!(
            store.status_for(None).unwrap().turnover_today_cents,
            Some(300),
            "no staff yet"
        );
        hire_marie_and_paul(&mut store);
        let cases: &[(Option<&str>, Option<i64>)] = &[
            (None, None),
            (Some("Paul"), None),
            (Some("Nobody"), None),
            (Some("Marie"), Some(300)),
        ];
        for (viewer, takings) in cases {
            let status = store.status_for(*viewer).unwrap();
            assert_eq!(status.turnover_today_cents, *takings, "{viewer:?}");
            assert_eq!(status.sales_today, 1, "{viewer:?}: the count stays");
        }
        assert_eq!(store.status().unwrap().turnover_today_cents, Some(300));
    }
}
