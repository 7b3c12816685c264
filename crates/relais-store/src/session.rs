//! The open business day, read from the ledger: below both the ledger's writers and the day's
//! screens, so that dating a record needs nothing of either.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// The open day: its date and the position of its opening record.
pub(crate) fn open_session(conn: &Connection) -> Result<Option<(String, u64)>> {
    let last_open: Option<(String, u64)> = conn
        .prepare_cached(
            "SELECT business_day, pos FROM ledger WHERE kind = 'day_open' ORDER BY pos DESC LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((day, pos)) = last_open else {
        return Ok(None);
    };
    let closed: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM ledger WHERE kind = 'closure' AND business_day = ?1 AND pos > ?2
                            AND json_extract(body, '$.data.period') = 'day')",
        )?
        .query_row(params![day, pos], |r| r.get(0))?;
    Ok((!closed).then_some((day, pos)))
}

pub(crate) fn open_day(conn: &Connection) -> Result<Option<String>> {
    Ok(open_session(conn)?.map(|(day, _)| day))
}
