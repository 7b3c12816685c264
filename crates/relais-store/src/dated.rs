//! Records dated to their business day before they reach the ledger: the ledger appends and
//! knows nothing of business days; this module, above it and the open day's query, decides.

use crate::error::Result;
use crate::ledger::{self, Dated};
use crate::session::open_day;
use crate::settings::TillConfig;
use chrono::{DateTime, Utc};
use relais_core::{Body, Sealed};
use rusqlite::Connection;
use uuid::Uuid;

/// A record about to be appended; the ledger fills in position, sequence, time and day.
pub(crate) struct NewRecord {
    pub id: Uuid,
    pub operator: String,
    pub body: Body,
    /// The business day, when the caller decided it (tickets: the open day; closures: the
    /// day closed). Otherwise the open day, else the local date.
    pub business_day: Option<String>,
}

impl NewRecord {
    pub fn new(body: Body, operator: &str) -> Self {
        NewRecord {
            id: Uuid::now_v7(),
            operator: operator.to_string(),
            body,
            business_day: None,
        }
    }

    pub fn on_day(mut self, day: &str) -> Self {
        self.business_day = Some(day.to_string());
        self
    }
}

/// Appends `record` inside the caller's transaction, dated to the day the caller chose, else
/// the open day, else the local date. Returns every sealed record, the requested one last
/// (a clock event comes first when the clock went backwards).
pub(crate) fn append(
    tx: &Connection,
    config: &TillConfig,
    now: DateTime<Utc>,
    record: NewRecord,
) -> Result<Vec<Sealed>> {
    let today = match open_day(tx)? {
        Some(day) => day,
        None => config.local_day(now),
    };
    let dated = Dated {
        id: record.id,
        operator: record.operator,
        body: record.body,
        business_day: record.business_day.unwrap_or_else(|| today.clone()),
        events_day: today,
    };
    ledger::append(tx, &config.stamp(), now, dated)
}
