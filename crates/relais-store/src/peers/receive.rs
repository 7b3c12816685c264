//! A peer's batch received: the replays of what is held skipped, the rest audited from where
//! what is held ends, and inserted only if the whole batch passes.

use super::{PeerBatch, PeerView};
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::Store;
use relais_core::chain::{from_hex, GENESIS};
use relais_core::record::Series;
use relais_core::time::format_instant;
use relais_core::{text, Body, EventType, RecordAudit, StoredRecord, Text};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::collections::BTreeMap;

impl Store {
    /// Receives a batch of `till`'s records (records.jsonl lines, in position order),
    /// verified from where what is held of it ends. Records already held are skipped if
    /// identical (a replay); the rest must extend the chain held. A defect refuses the
    /// whole batch: it is recorded on the peer and journaled (JET 1402) once per distinct
    /// defect. Machine work, not a person's: who acts is the till itself.
    pub fn receive_peer_records(&mut self, till: &str, lines: &[String]) -> Result<PeerBatch> {
        self.receive_peer_lines(till, PeerLines::read(lines))
    }

    /// [`Store::receive_peer_records`] of lines already read ([`PeerLines::read`], which
    /// needs no store: a sync reads the next batch on another thread meanwhile).
    pub fn receive_peer_lines(&mut self, till: &str, lines: PeerLines) -> Result<PeerBatch> {
        let peer = self.peer(till)?;
        if peer.unpaired_at.is_some() {
            return Err(StoreError::Invalid(text!(
                fr: "la caisse {till} est désappairée",
                en: "till {till} is unpaired",
            )));
        }
        // The audit the last batch left, if it ends where what is held ends; else one
        // taken up there. Kept only once this batch is stored.
        let audit = match self.peer_audits.remove(till) {
            Some(audit) if audit.last_pos() == peer.held => audit,
            _ => resume(&self.conn, &peer)?,
        };
        let (replayed, fresh) = match self.replays(&peer, lines.0)? {
            Ok(split) => split,
            Err(defect) => return self.refuse_batch(&peer, defect),
        };
        // (Auditing on a thread of its own while inserting, and rolling back on a defect,
        // was measured: no faster, the cores being busy with the sync's other stages.)
        let (rows, audit) = match audit_batch(&peer, fresh, audit) {
            Ok(audited) => audited,
            Err(defect) => return self.refuse_batch(&peer, defect),
        };
        self.write(|tx| insert_rows(tx, &peer.till, &rows))?;
        self.peer_audits.insert(till.to_string(), audit);
        Ok(PeerBatch {
            kept: rows.len() as u64,
            replayed,
            defect: None,
        })
    }

    /// How many of the batch's first lines are records already held, identical (replays),
    /// and the lines after them; or the defect of one held otherwise (a fork, an alteration).
    #[allow(clippy::type_complexity)]
    fn replays(
        &self,
        peer: &PeerView,
        lines: Vec<ReadLine>,
    ) -> Result<std::result::Result<(u64, Vec<ReadLine>), Text>> {
        let mut replayed = 0;
        let mut lines = lines.into_iter().peekable();
        while let Some(Ok((till, row, _))) = lines.peek() {
            if row.pos > peer.held {
                break;
            }
            if let Some(defect) = other_till(peer, till) {
                return Ok(Err(defect));
            }
            let held: Option<String> = self
                .conn
                .query_row(
                    "SELECT hash FROM peer_records WHERE till = ?1 AND pos = ?2",
                    params![peer.till, row.pos],
                    |r| r.get(0),
                )
                .optional()?;
            if held.as_deref() != Some(row.hash.as_str()) {
                let pos = row.pos;
                return Ok(Err(text!(
                    fr: "la chaîne reçue diverge en position {pos} de celle déjà reçue (fourche ou enregistrement modifié)",
                    en: "the chain received differs at position {pos} from the one received before (a fork or an altered record)",
                )));
            }
            replayed += 1;
            lines.next();
        }
        Ok(Ok((replayed, lines.collect())))
    }

    fn refuse_batch(&mut self, peer: &PeerView, defect: Text) -> Result<PeerBatch> {
        self.record_peer_defect(peer, &defect)?;
        Ok(PeerBatch {
            kept: 0,
            replayed: 0,
            defect: Some(defect),
        })
    }

    fn record_peer_defect(&mut self, peer: &PeerView, defect: &Text) -> Result<()> {
        let json = serde_json::to_string(defect).unwrap_or_default();
        let now = format_instant(self.now());
        let till = peer.till.clone();
        let update = |tx: &Connection| -> Result<()> {
            tx.execute(
                "UPDATE peers SET defect = ?2, defect_at = ?3 WHERE till = ?1",
                params![till, json, now],
            )?;
            Ok(())
        };
        if peer.defect.as_deref() == Some(defect.en.as_str()) {
            return update(&self.conn);
        }
        let journal = Journal(
            EventType::PeerDefect,
            format!(
                "Enregistrements de la caisse {} refusés : {}",
                peer.till, defect.fr
            ),
            json!({"till": peer.till, "position": peer.held, "defect": defect.en}),
        );
        // A till holding a lost tail writes nothing: the defect is still kept on the peer.
        if self.write_journaled(journal, "relais", update).is_err() {
            update(&self.conn)?;
        }
        Ok(())
    }
}

/// The batch's lines audited in order, from `audit` (where what is held ends): their rows
/// and the audit after them, or the first defect (a line that did not read, a record of another till, a
/// broken link, hash or number, a set-up with another key than the invitation's).
fn audit_batch(
    peer: &PeerView,
    lines: Vec<ReadLine>,
    mut audit: RecordAudit,
) -> std::result::Result<(Vec<StoredRecord>, RecordAudit), Text> {
    let mut rows = Vec::with_capacity(lines.len());
    for line in lines {
        let (till, row, parsed) = line.map_err(|(en, fr)| Text { fr, en })?;
        if let Some(defect) = other_till(peer, &till) {
            return Err(defect);
        }
        let checked = match parsed {
            Some(record) => audit.push_parsed(&row, record),
            None => audit.push(&row),
        };
        let record = checked.map_err(|defect| defect.text())?;
        if let Body::Event(event) = &record.body {
            let key = event.details["public_key"].as_str();
            if event.name == EventType::TillInitialised.name() && key != Some(&peer.public_key) {
                return Err(text!(
                    fr: "la caisse a été initialisée avec une autre clé que celle de son invitation",
                    en: "the till was set up with another key than its invitation's",
                ));
            }
        }
        rows.push(row);
    }
    Ok((rows, audit))
}

/// The defect of a record of another till than the one that sent it.
fn other_till(peer: &PeerView, till: &str) -> Option<Text> {
    let expected = &peer.till;
    (till != expected).then(|| {
        text!(
            fr: "un enregistrement de la caisse {till} envoyé par la caisse {expected}",
            en: "a record of till {till} sent by till {expected}",
        )
    })
}

/// The rows of an audited batch, inserted.
fn insert_rows(tx: &Connection, till: &str, rows: &[StoredRecord]) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO peer_records (till, pos, id, kind, series, seq, business_day, body, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for r in rows {
        insert.execute(params![
            till,
            r.pos,
            r.id,
            r.kind,
            r.series,
            r.seq,
            r.business_day,
            r.body,
            r.prev_hash,
            r.hash
        ])?;
    }
    Ok(())
}

/// The audit taken up after the last record held of `peer` (from its first record if none).
fn resume(conn: &Connection, peer: &PeerView) -> Result<RecordAudit> {
    let prev = if peer.held == 0 {
        GENESIS
    } else {
        let hash: String = conn.query_row(
            "SELECT hash FROM peer_records WHERE till = ?1 AND pos = ?2",
            params![peer.till, peer.held],
            |r| r.get(0),
        )?;
        from_hex(&hash).ok_or_else(|| StoreError::Corrupt(format!("peer hash {hash}")))?
    };
    let mut next_seq = BTreeMap::new();
    let mut statement = conn.prepare_cached(
        "SELECT series, MAX(seq) FROM peer_records WHERE till = ?1 GROUP BY series",
    )?;
    let rows = statement.query_map([&peer.till], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?))
    })?;
    for row in rows {
        let (series, last) = row?;
        if let Some(series) = Series::from_code(&series) {
            next_seq.insert(series, last + 1);
        }
    }
    let audit = RecordAudit::resume(
        peer.till.clone(),
        peer.held + 1,
        prev,
        next_seq,
        Some(peer.public_key.clone()),
    );
    Ok(match skip_in_progress(conn, &peer.till)? {
        Some((skipped, seen)) => audit.after_skip(skipped, seen),
        None => audit,
    })
}

/// The numbers the peer's last integrity-defect event skipped and the series that have had
/// their first record since (the event's own included), if some series has not: an audit
/// taken up in between must still let that series jump, as one walk from the start would.
fn skip_in_progress(
    conn: &Connection,
    till: &str,
) -> Result<Option<(u64, std::collections::BTreeSet<Series>)>> {
    let last_defect: Option<(u64, String)> = conn
        .query_row(
            "SELECT pos, body FROM peer_records
             WHERE till = ?1 AND kind = 'event' AND body LIKE '%\"integrity_defect\"%'
             ORDER BY pos DESC LIMIT 1",
            [till],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((pos, body)) = last_defect else {
        return Ok(None);
    };
    let record: relais_core::Record = serde_json::from_str(&body)
        .map_err(|e| StoreError::Corrupt(format!("a peer's record: {e}")))?;
    let skipped = match &record.body {
        Body::Event(event) if event.name == EventType::IntegrityDefect.name() => {
            event.details[relais_core::chain::SKIPPED_NUMBERS].as_u64()
        }
        _ => None,
    };
    let Some(skipped) = skipped else {
        return Ok(None);
    };
    let mut statement = conn
        .prepare_cached("SELECT DISTINCT series FROM peer_records WHERE till = ?1 AND pos >= ?2")?;
    let seen = statement
        .query_map(params![till, pos], |r| r.get::<_, String>(0))?
        .filter_map(|s| s.ok().and_then(|s| Series::from_code(&s)))
        .collect();
    Ok(Some((skipped, seen)))
}

/// A batch of a peer's records.jsonl lines as `relais_bundle::read_record_line` reads them,
/// in order, not yet checked against what is held.
pub struct PeerLines(Vec<ReadLine>);

type ReadLine =
    std::result::Result<(String, StoredRecord, Option<relais_core::Record>), (String, String)>;

impl PeerLines {
    /// Reads `lines`; a large batch on two threads (as a bundle's verification reads its
    /// lines): reading is the larger part of a catch-up's work, and the audit after it must
    /// stay in order on one thread.
    pub fn read(lines: &[String]) -> PeerLines {
        let read = |part: &[String]| -> Vec<ReadLine> {
            part.iter()
                .map(|l| relais_bundle::read_record_line(l))
                .collect()
        };
        if lines.len() < 256 {
            return PeerLines(read(lines));
        }
        let (first, second) = lines.split_at(lines.len() / 2);
        PeerLines(std::thread::scope(|scope| {
            let later = scope.spawn(|| read(second));
            let mut all = read(first);
            all.extend(later.join().expect("the thread reading a batch's lines"));
            all
        }))
    }
}
