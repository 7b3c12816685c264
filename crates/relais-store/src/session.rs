//! The open business day, read from the ledger: below both the ledger's writers and the day's
//! screens, so that dating a record needs nothing of either.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

/// The open day: its date and the position of its first opening record since the last day
/// closure (a day opened automatically may be opened again by hand, with its float counted:
/// the day goes on from its first opening).
pub(crate) fn open_session(conn: &Connection) -> Result<Option<(String, u64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT business_day, pos FROM ledger WHERE kind = 'day_open' AND pos >
                 COALESCE((SELECT MAX(pos) FROM ledger WHERE kind = 'closure'
                           AND json_extract(body, '$.data.period') = 'day'), 0)
             ORDER BY pos LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Whether the open day was opened only automatically (by its first ticket or paper slip):
/// its float is then still to be counted, by `day open`.
pub(crate) fn opened_automatically(conn: &Connection, from: u64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM ledger WHERE kind = 'day_open' AND pos >= ?1
                 AND json_extract(body, '$.data.automatic') = 0)",
        )?
        .query_row([from], |r| r.get(0))?)
}

pub(crate) fn open_day(conn: &Connection) -> Result<Option<String>> {
    Ok(open_session(conn)?.map(|(day, _)| day))
}

/// Whether a day closure (Z) of `day` exists.
/// The latest business day a day closure (Z) closed, if any.
pub(crate) fn last_day_closed(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT MAX(business_day) FROM ledger WHERE kind = 'closure'
                AND json_extract(body, '$.data.period') = 'day'",
        )?
        .query_row([], |r| r.get(0))?)
}

pub(crate) fn day_closed(conn: &Connection, day: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM ledger WHERE kind = 'closure' AND business_day = ?1
                AND json_extract(body, '$.data.period') = 'day')",
        )?
        .query_row([day], |r| r.get(0))?)
}
