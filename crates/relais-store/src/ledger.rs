//! The ledger: appending records to the chain, reading them back, and verifying the chain.

use crate::error::{Result, StoreError};
use crate::Store;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use relais_core::chain::{from_hex, seal, Hash, GENESIS};
use relais_core::time::{format_instant, offset_minutes, parse_instant};
use relais_core::{
    Anchor, Body, ChainSummary, Defect, EventData, EventType, Record, RecordAudit, Sealed, Series,
    StoredRecord, Text, FORMAT_VERSION,
};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

/// The sidecar file that repeats the chain head outside the database (see docs/CHAIN.md).
pub const HEAD_FILE: &str = "ledger.head";

/// How far back the wall clock may go between two records before it is logged as a jump.
const CLOCK_TOLERANCE_MS: i64 = 2_000;

/// What the ledger stamps on every record of its till: the till's code, its time zone
/// (parsed once, when the settings were read) and whether it is a training till.
#[derive(Debug, Clone)]
pub(crate) struct Stamp {
    pub till: String,
    pub zone_name: String,
    pub zone: Tz,
    pub training: bool,
    /// Why nothing may be appended (records lost after they were acknowledged), if so.
    pub hold: Option<Text>,
}

/// The prefix of the settings that hold, per series, the lowest number its next record may
/// take: set when a lost tail is acknowledged (see `lost_tail`).
pub(crate) const SEQ_FLOOR: &str = "seq_floor.";

/// The chain ends before the position `ledger.head` vouches for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LostTail {
    /// The last position in the database.
    #[ts(type = "number")]
    pub head_pos: u64,
    /// The position and hash `ledger.head` holds.
    #[ts(type = "number")]
    pub anchored_pos: u64,
    pub anchored_hash: String,
}

impl LostTail {
    /// Records lost: at most this many numbers of any one series were issued and lost.
    pub fn lost(&self) -> u64 {
        self.anchored_pos - self.head_pos
    }

    /// Why the till will not write, and what to do.
    pub fn refusal(&self) -> Text {
        let (from, to) = (self.head_pos + 1, self.anchored_pos);
        relais_core::text!(
            fr: "des enregistrements ont disparu (positions {from} à {to}, que {HEAD_FILE} atteste) : aucune vente avant qu'un responsable constate le défaut (relais verify --acknowledge --operator NOM)",
            en: "records are missing (positions {from} to {to}, vouched for by {HEAD_FILE}): no sale until a manager acknowledges the defect (relais verify --acknowledge --operator NAME)",
        )
    }
}

/// A record about to be appended, already dated to its business day by the caller; the
/// ledger fills in position, sequence and time.
pub(crate) struct Dated {
    pub id: Uuid,
    pub operator: String,
    pub body: Body,
    pub business_day: String,
    /// The day a clock event found on the way is dated to (the open day, else the local
    /// date), which may differ from the record's own (a paper slip of an earlier day).
    pub events_day: String,
}

struct Head {
    pos: u64,
    hash: Hash,
    at: Option<String>,
}

impl Head {
    /// The head once `sealed` is appended.
    fn after(sealed: &Sealed) -> Result<Head> {
        Ok(Head {
            pos: sealed.record.pos,
            hash: from_hex(&sealed.hash)
                .ok_or_else(|| StoreError::Corrupt(format!("hash {:?}", sealed.hash)))?,
            at: Some(sealed.record.at.clone()),
        })
    }
}

/// The chain head's position and hash (hex), for records that anchor themselves to it.
pub(crate) fn current_head(conn: &Connection) -> Result<(u64, String)> {
    Ok(conn
        .prepare_cached("SELECT pos, hash FROM chain_head WHERE one = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

fn head(conn: &Connection) -> Result<Head> {
    let row: Option<(u64, String)> = conn
        .prepare_cached("SELECT pos, hash FROM chain_head WHERE one = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((pos, hash_hex)) = row else {
        return Ok(Head {
            pos: 0,
            hash: GENESIS,
            at: None,
        });
    };
    let hash = from_hex(&hash_hex)
        .ok_or_else(|| StoreError::Corrupt(format!("chain head hash {hash_hex:?}")))?;
    let at = conn
        .prepare_cached("SELECT at FROM ledger WHERE pos = ?1")?
        .query_row([pos], |r| r.get(0))
        .optional()?;
    Ok(Head { pos, hash, at })
}

/// The next number of a series: one more than its last, or its floor after a lost tail.
pub(crate) fn next_seq(conn: &Connection, series: Series) -> Result<u64> {
    Ok(conn
        .prepare_cached(
            "SELECT MAX(COALESCE(MAX(seq), 0) + 1,
                        COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?2), 0))
             FROM ledger WHERE series = ?1",
        )?
        .query_row(
            [series.code(), &format!("{SEQ_FLOOR}{}", series.code())],
            |r| r.get(0),
        )?)
}

/// Appends one record inside the caller's transaction. When the clock went backwards since
/// the previous record, a clock event is appended first. Returns every sealed record, the
/// requested one last.
pub(crate) fn append(
    tx: &Connection,
    stamp: &Stamp,
    now: DateTime<Utc>,
    record: Dated,
) -> Result<Vec<Sealed>> {
    if let Some(hold) = &stamp.hold {
        return Err(StoreError::OnHold(hold.clone()));
    }
    relais_core::gate::check_body(&record.body).map_err(|e| StoreError::Invalid(e.text()))?;
    let mut sealed = Vec::with_capacity(1);
    let mut previous = head(tx)?;
    if previous.pos + 2 > relais_core::bounds::MAX_RECORDS {
        return Err(StoreError::Invalid(relais_core::text!(
            fr: "le registre de cette caisse est plein (un milliard d'enregistrements) : installez une nouvelle caisse",
            en: "this till's ledger is full (a billion records): set up a new till",
        )));
    }
    if let Some(jump) = clock_jump(previous.at.as_deref(), now) {
        let event = EventData::new(
            EventType::ClockBackwards,
            format!(
                "L'horloge a reculé de {} s depuis l'enregistrement précédent ({})",
                jump.1 / 1000,
                jump.0
            ),
            json!({"previous_at": jump.0, "now": format_instant(now), "backwards_ms": jump.1}),
        );
        let event = Dated {
            id: Uuid::now_v7(),
            operator: "system".into(),
            body: Body::Event(event),
            business_day: record.events_day.clone(),
            events_day: record.events_day.clone(),
        };
        let event = insert(tx, stamp, now, &previous, event)?;
        previous = Head::after(&event)?;
        sealed.push(event);
    }
    sealed.push(insert(tx, stamp, now, &previous, record)?);
    Ok(sealed)
}

/// `(previous instant, milliseconds back)` when `now` is earlier than the previous record.
fn clock_jump(previous_at: Option<&str>, now: DateTime<Utc>) -> Option<(String, i64)> {
    let previous = parse_instant(previous_at?)?;
    let back = (previous - now).num_milliseconds();
    (back > CLOCK_TOLERANCE_MS).then(|| (previous_at.unwrap_or_default().to_string(), back))
}

fn insert(
    tx: &Connection,
    stamp: &Stamp,
    now: DateTime<Utc>,
    previous: &Head,
    new: Dated,
) -> Result<Sealed> {
    let record = Record {
        v: FORMAT_VERSION,
        id: new.id,
        till: stamp.till.clone(),
        pos: previous.pos + 1,
        seq: next_seq(tx, new.body.kind().series())?,
        at: format_instant(now),
        tz: stamp.zone_name.clone(),
        utc_offset_min: offset_minutes(stamp.zone, now),
        business_day: new.business_day,
        operator: new.operator,
        training: stamp.training,
        body: new.body,
    };
    let sealed = seal(record, &previous.hash)?;
    let row = sealed.stored();
    tx.prepare_cached(
        "INSERT INTO ledger (pos, id, kind, series, seq, at, business_day, operator,
                             total_cents, body, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        row.pos,
        row.id,
        row.kind,
        row.series,
        row.seq,
        row.at,
        row.business_day,
        row.operator,
        row.total_cents,
        row.body,
        row.prev_hash,
        row.hash
    ])?;
    tx.prepare_cached(
        "INSERT INTO chain_head (one, pos, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (one) DO UPDATE SET pos = excluded.pos, hash = excluded.hash",
    )?
    .execute(params![row.pos, row.hash])?;
    Ok(sealed)
}

/// Pushes one ledger row to the audit (chain, tickets, closures). Bodies are written in canonical form, so the common case is read
/// straight from the text (no JSON tree, no second canonicalisation: three times less CPU
/// over a million records); a body that is not canonical goes the long way, which names
/// what is wrong with it. The chain's verdict is the same either way.
fn push_stored(verifier: &mut RecordAudit, row: &StoredRecord) -> std::result::Result<(), Defect> {
    let quick = relais_core::canonical::canonical_members(&row.body)
        .and_then(|members| Record::from_canonical(&members));
    match quick {
        Some(record) => verifier.push_parsed(row, record).map(|_| ()),
        None => verifier.push(row).map(|_| ()),
    }
}

pub(crate) const ROW_COLUMNS: &str = "pos, id, kind, series, seq, at, business_day, operator, \
                                      total_cents, body, prev_hash, hash";

pub(crate) fn stored_from_row(r: &Row<'_>) -> rusqlite::Result<StoredRecord> {
    Ok(StoredRecord {
        pos: r.get(0)?,
        id: r.get(1)?,
        kind: r.get(2)?,
        series: r.get(3)?,
        seq: r.get(4)?,
        at: r.get(5)?,
        business_day: r.get(6)?,
        operator: r.get(7)?,
        total_cents: r.get(8)?,
        body: r.get(9)?,
        prev_hash: r.get(10)?,
        hash: r.get(11)?,
    })
}

/// The result of walking the whole chain.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub summary: ChainSummary,
    pub defect: Option<Defect>,
}

impl Store {
    /// After a commit: repeat the new head in the sidecar file. Best effort: the sidecar is a
    /// lower bound that may lag (a crash between commit and this write is harmless).
    pub(crate) fn after_commit(&self) {
        if let Ok(head) = head(&self.conn) {
            let _ = write_head_file(
                &self.dir,
                self.config.as_ref().map(|c| c.till.as_str()),
                &head,
            );
        }
    }

    /// The sidecar moved to the chain's real end, even below what it held: once a lost tail
    /// is acknowledged (the event that says so holds the old anchor).
    pub(crate) fn rewrite_head_file(&self) -> Result<()> {
        let path = self.dir.join(HEAD_FILE);
        let previous_len = std::fs::metadata(&path)
            .map(|m| m.len() as usize)
            .unwrap_or(0);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        let till = self.config.as_ref().map(|c| c.till.as_str());
        overwrite_head_file(file, till, &head(&self.conn)?, previous_len)
            .map_err(|e| StoreError::io(&path, e))
    }

    /// The sidecar at the genesis position, written by `init` before the first record.
    pub(crate) fn write_genesis_head(&self, till: &str) -> Result<()> {
        let genesis = Head {
            pos: 0,
            hash: GENESIS,
            at: None,
        };
        write_head_file(&self.dir, Some(till), &genesis)
            .map_err(|e| StoreError::io(self.dir.join(HEAD_FILE), e))
    }

    /// The anchors the chain must end on: the head row (exact) and the sidecar (lower bound).
    /// Once the ledger holds a record, the sidecar must be there: deleting or emptying it
    /// would otherwise hide a deleted tail.
    fn anchors(&self) -> Result<Vec<Anchor>> {
        let row: Option<(u64, String)> = self
            .conn
            .query_row("SELECT pos, hash FROM chain_head WHERE one = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let (pos, hash) = row.unwrap_or((0, relais_core::chain::to_hex(&GENESIS)));
        let mut anchors = vec![Anchor {
            source: "chain_head".into(),
            pos,
            hash,
            exact: true,
        }];
        match read_head_file(&self.dir)? {
            Some(sidecar) => anchors.push(sidecar),
            None if pos > 0 => {
                return Err(StoreError::Corrupt(format!(
                    "{HEAD_FILE} is missing or empty while the ledger holds {pos} records"
                )))
            }
            None => {}
        }
        Ok(anchors)
    }

    fn hash_at(&self, pos: u64) -> Option<String> {
        self.conn
            .query_row("SELECT hash FROM ledger WHERE pos = ?1", [pos], |r| {
                r.get(0)
            })
            .ok()
    }

    /// Walks every record from the first (the chain, each ticket's arithmetic, each
    /// closure's `covers`, totals and perpetual totals: `relais_core::audit`), then checks
    /// the anchors.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut verifier = RecordAudit::new(self.config.as_ref().map(|c| c.till.clone()));
        let defect = self.feed(&mut verifier, 0)?;
        Ok(self.conclude(&verifier, defect))
    }

    /// Verifies only what was appended since the last call (for the status bar): the audit
    /// keeps, between calls, the open day's running totals and the sums of the periods not
    /// closed yet, so each record is read once.
    pub(crate) fn verify_incremental(&mut self) -> Result<VerifyReport> {
        let mut verifier = std::mem::replace(&mut self.verifier, RecordAudit::new(None));
        let from = verifier.last_pos();
        let defect = self.feed(&mut verifier, from)?;
        let report = self.conclude(&verifier, defect);
        if report.defect.is_none() {
            self.verifier = verifier;
        } else {
            self.verifier = RecordAudit::new(self.config.as_ref().map(|c| c.till.clone()));
        }
        Ok(report)
    }

    fn feed(&self, verifier: &mut RecordAudit, after_pos: u64) -> Result<Option<Defect>> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM ledger WHERE pos > ?1 ORDER BY pos");
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query([after_pos])?;
        while let Some(row) = rows.next()? {
            if let Err(defect) = push_stored(verifier, &stored_from_row(row)?) {
                return Ok(Some(defect));
            }
        }
        Ok(None)
    }

    fn conclude(&self, verifier: &RecordAudit, defect: Option<Defect>) -> VerifyReport {
        let outcome = match defect {
            Some(d) => Err(d),
            None => self
                .anchors()
                .map_err(|e| Defect::BadAnchor {
                    anchor: HEAD_FILE.into(),
                    reason: e.to_string(),
                })
                .and_then(|anchors| verifier.finish(&anchors, |pos| self.hash_at(pos))),
        };
        match outcome {
            Ok(summary) => VerifyReport {
                summary,
                defect: None,
            },
            Err(defect) => VerifyReport {
                summary: ChainSummary::default(),
                defect: Some(defect),
            },
        }
    }

    /// Whether the ledger holds `hash` at `pos`: the live chain extends a copy made earlier (an
    /// export, a backup) that ends there.
    pub fn holds(&self, pos: u64, hash: &str) -> Result<bool> {
        let found: Option<String> = self
            .conn
            .query_row("SELECT hash FROM ledger WHERE pos = ?1", [pos], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(found.is_some_and(|found| found.eq_ignore_ascii_case(hash)))
    }

    /// A record by its number (`T1-000042`, `T1-D000003`) or its UUID, with its hash.
    pub fn find(&self, reference: &str) -> Result<(Record, String)> {
        // A receipt's QR code holds the id then the hash: the id finds the record.
        let reference = reference.split_whitespace().next().unwrap_or("");
        let as_number = match Uuid::parse_str(reference) {
            Ok(_) => None,
            Err(_) => {
                Some(parse_number(reference).ok_or_else(|| StoreError::no_record(reference))?)
            }
        };
        let row = match as_number {
            Some((till, series, seq)) => {
                if self.config.as_ref().is_some_and(|c| c.till != till) {
                    return Err(StoreError::no_record(reference));
                }
                self.conn
                    .query_row(
                        "SELECT body, hash FROM ledger WHERE series = ?1 AND seq = ?2",
                        params![series.code(), seq],
                        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                    )
                    .optional()?
            }
            None => self
                .conn
                .query_row(
                    "SELECT body, hash FROM ledger WHERE id = ?1",
                    [reference.to_ascii_lowercase()],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?,
        };
        let (body, hash) = row.ok_or_else(|| StoreError::no_record(reference))?;
        let record = serde_json::from_str(&body)
            .map_err(|e| StoreError::Corrupt(format!("{reference}: {e}")))?;
        Ok((record, hash))
    }
}

/// Parses `T1-000042` (ticket), `T1-D000003` (copy), `T1-Z…`, `T1-E…` into its parts.
pub(crate) fn parse_number(text: &str) -> Option<(String, Series, u64)> {
    let (till, rest) = text.rsplit_once('-')?;
    let digits_at = rest.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = rest.split_at(digits_at);
    let series = Series::ALL
        .into_iter()
        .find(|s| s.prefix().eq_ignore_ascii_case(prefix))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((till.to_ascii_uppercase(), series, digits.parse().ok()?))
}

/// The sidecar's fixed width: every write covers the whole previous content, so it is
/// rewritten in place (one open, one read, one write) instead of written aside and renamed,
/// which cost a sale a journalled rename. Not fsynced: it is a lower bound that may lag.
const HEAD_FILE_WIDTH: usize = 256;

fn write_head_file(dir: &std::path::Path, till: Option<&str>, head: &Head) -> std::io::Result<()> {
    use std::io::Read;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(HEAD_FILE))?;
    let mut existing = String::new();
    file.read_to_string(&mut existing)?;
    if parse_head(&existing).is_some_and(|(pos, _)| pos >= head.pos) {
        return Ok(());
    }
    overwrite_head_file(file, till, head, existing.len())
}

/// Writes the sidecar at `head` whatever it held: only once a lost tail is acknowledged.
fn overwrite_head_file(
    mut file: std::fs::File,
    till: Option<&str>,
    head: &Head,
    previous_len: usize,
) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    let mut text = json!({
        "till": till,
        "pos": head.pos,
        "hash": relais_core::chain::to_hex(&head.hash),
    })
    .to_string();
    let width = HEAD_FILE_WIDTH.max(previous_len);
    text.extend(std::iter::repeat_n(' ', width.saturating_sub(text.len())));
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())
}

/// The position and hash of a sidecar's text (JSON, padded with spaces).
fn parse_head(text: &str) -> Option<(u64, String)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    Some((value["pos"].as_u64()?, value["hash"].as_str()?.to_string()))
}

pub(crate) fn read_head_file(dir: &std::path::Path) -> Result<Option<Anchor>> {
    let path = dir.join(HEAD_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    if text.trim().is_empty() {
        // Created but not yet written when the program stopped: no anchor, not a defect.
        return Ok(None);
    }
    let (pos, hash) = parse_head(&text)
        .ok_or_else(|| StoreError::Corrupt(format!("{HEAD_FILE}: not a position and hash")))?;
    Ok(Some(Anchor {
        source: HEAD_FILE.into(),
        pos,
        hash,
        exact: false,
    }))
}
