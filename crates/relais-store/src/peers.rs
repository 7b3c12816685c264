//! The shop's other tills on the LAN (issue 26): pairing, and their records received by log
//! shipping, verified and kept apart from the own ledger (`peers`, `peer_records`: never in
//! the own chain). The network is `relais-lan`'s; this module is what a till keeps.
//!
//! A peer's records are verified as they come by the core's `RecordAudit` taken up where
//! what is held of that peer ends (links, hashes, numbers, the set-up's key against the key
//! pinned at pairing, closure signatures with it). A batch that does not extend what is held
//! (a fork, an altered record) is a defect: reported, journaled once, nothing of it kept.

use crate::actor::Manager;
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::ledger::{stored_from_row, ROW_COLUMNS};
use crate::Store;
use relais_bundle::LedgerLine;
use relais_core::chain::{from_hex, GENESIS};
use relais_core::record::Series;
use relais_core::time::{format_instant, local_display, parse_instant};
use relais_core::{text, Body, EventType, RecordAudit, StoredRecord, Text};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

mod invitation;
mod listen;
mod price_list;
mod shop_export;
mod views;
pub use invitation::Invitation;
pub use listen::{valid_lan_listen, DEFAULT_LAN_LISTEN};
pub use price_list::PriceListOffer;
pub use shop_export::{ShopExport, ShopExportTill};
pub use views::{Collection, ShopConflict, ShopX, TillX};

/// A paired till as this till knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerView {
    pub till: String,
    pub public_key: String,
    /// `IP:port`: its invitation's, or where a sync last found it by mDNS.
    pub address: String,
    /// Where `address` came from: `invitation` (the one journaled when it was paired) or
    /// `mdns` (found on the LAN since).
    pub address_from: &'static str,
    pub paired_at: String,
    pub unpaired_at: Option<String>,
    /// The last position of its chain held here (0: nothing yet).
    pub held: u64,
    /// The last sync that reached it (UTC), and in the till's zone as people read it.
    pub last_exchange: Option<String>,
    pub last_exchange_local: Option<String>,
    /// The last batch refused, in English (`defect_fr` in French), and when.
    pub defect: Option<String>,
    pub defect_fr: Option<String>,
    pub defect_at: Option<String>,
}

/// What became of one batch of a peer's records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PeerBatch {
    /// Records new here, kept.
    pub kept: u64,
    /// Records already held, identical: skipped.
    pub replayed: u64,
    /// Why the batch was refused (nothing kept), if it was.
    pub defect: Option<Text>,
}

impl Store {
    /// This till's invitation: what another till's manager types or pastes into `join`.
    pub fn invitation(&self, address: &str) -> Result<String> {
        let config = self.require_config()?;
        let invitation = Invitation {
            shop: config.shop.name.clone(),
            till: config.till.clone(),
            public_key: config.public_key.clone(),
            address: address.parse().map_err(|_| bad_address(address))?,
        };
        Ok(invitation.to_string())
    }

    /// Pairs the till of `invitation` with this one (a manager's act, journaled, JET 1400):
    /// its records will be pulled and verified with the key it names, which is also
    /// imported for its avoirs. Pairing a till again (a new address) updates it.
    pub fn pair_till(&mut self, invitation: &str, by: &Manager) -> Result<PeerView> {
        let config = self.require_config()?.clone();
        let invitation: Invitation = invitation.parse()?;
        if invitation.till == config.till || invitation.public_key == config.public_key {
            return Err(StoreError::Invalid(text!(
                fr: "c'est l'invitation de cette caisse-ci : lancez « relais shop join » sur une autre caisse",
                en: "this is this till's own invitation: run `relais shop join` on another till",
            )));
        }
        if invitation.shop != config.shop.name {
            let (theirs, ours) = (&invitation.shop, &config.shop.name);
            return Err(StoreError::Invalid(text!(
                fr: "cette caisse est celle du magasin « {theirs} », pas « {ours} »",
                en: "this till belongs to the shop \"{theirs}\", not \"{ours}\"",
            )));
        }
        let other: Option<String> = self
            .conn
            .query_row(
                "SELECT till FROM peers WHERE public_key = ?1 AND till <> ?2",
                params![invitation.public_key, invitation.till],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = other {
            return Err(StoreError::Invalid(text!(
                fr: "cette clé est déjà celle de la caisse {other}",
                en: "this key is already till {other}'s",
            )));
        }
        let held_key: Option<String> = self
            .conn
            .query_row(
                "SELECT public_key FROM peers WHERE till = ?1",
                [&invitation.till],
                |r| r.get(0),
            )
            .optional()?;
        if held_key.is_some_and(|k| k != invitation.public_key) {
            let till = &invitation.till;
            return Err(StoreError::Invalid(text!(
                fr: "la caisse {till} est déjà appairée avec une autre clé : ses enregistrements reçus ne peuvent pas changer de clé",
                en: "till {till} is already paired with another key: the records received from it cannot change key",
            )));
        }
        let now = format_instant(self.now());
        let Invitation {
            till,
            public_key,
            address,
            ..
        } = invitation;
        let address = address.to_string();
        self.write_journaled(
            Journal(
                EventType::TillPaired,
                format!("Caisse {till} du magasin appairée ({address})"),
                json!({"till": till, "public_key": public_key, "address": address}),
            ),
            by.name(),
            |tx| {
                tx.execute(
                    "INSERT INTO peers (till, public_key, address, paired_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (till) DO UPDATE SET address = excluded.address,
                         address_from = 'invitation', paired_at = excluded.paired_at,
                         unpaired_at = NULL",
                    params![till, public_key, address, now],
                )?;
                crate::settings::put(tx, &format!("avoir_key.{till}"), &public_key)
            },
        )?;
        self.peer(&till)
    }

    /// Unpairs a till (a manager's act, journaled, JET 1401): nothing more is pulled from it
    /// or served to it; what was received from it stays.
    pub fn unpair_till(&mut self, till: &str, by: &Manager) -> Result<PeerView> {
        let till = till.trim().to_ascii_uppercase();
        let peer = self.peer(&till)?;
        if peer.unpaired_at.is_some() {
            return Ok(peer);
        }
        let now = format_instant(self.now());
        self.write_journaled(
            Journal(
                EventType::TillUnpaired,
                format!("Caisse {till} du magasin désappairée"),
                json!({"till": till}),
            ),
            by.name(),
            |tx| {
                tx.execute(
                    "UPDATE peers SET unpaired_at = ?2 WHERE till = ?1",
                    params![till, now],
                )?;
                Ok(())
            },
        )?;
        self.peer(&till)
    }

    /// Every till ever paired, by code.
    pub fn peers(&self) -> Result<Vec<PeerView>> {
        let zone = self.require_config()?.zone;
        let mut statement = self.conn.prepare_cached(
            "SELECT p.till, p.public_key, p.address, p.paired_at, p.unpaired_at,
                    (SELECT COALESCE(MAX(pos), 0) FROM peer_records r WHERE r.till = p.till),
                    p.last_exchange, p.defect, p.defect_at, p.address_from
             FROM peers p ORDER BY p.till",
        )?;
        let rows = statement.query_map([], |r| {
            let defect: Option<String> = r.get(7)?;
            let (defect, defect_fr) = match defect.as_deref().map(serde_json::from_str::<Text>) {
                Some(Ok(text)) => (Some(text.en), Some(text.fr)),
                _ => (defect.clone(), defect),
            };
            let last_exchange: Option<String> = r.get(6)?;
            let (till, address): (String, String) = (r.get(0)?, r.get(2)?);
            let address_from = match r.get::<_, String>(9)?.as_str() {
                "mdns" => "mdns",
                _ => "invitation",
            };
            let last_exchange_local = last_exchange
                .as_deref()
                .and_then(parse_instant)
                .map(|at| local_display(zone, at));
            Ok(PeerView {
                till,
                public_key: r.get(1)?,
                address,
                address_from,
                paired_at: r.get(3)?,
                unpaired_at: r.get(4)?,
                held: r.get(5)?,
                last_exchange,
                last_exchange_local,
                defect,
                defect_fr,
                defect_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn peer(&self, till: &str) -> Result<PeerView> {
        self.peers()?
            .into_iter()
            .find(|p| p.till == till)
            .ok_or_else(|| {
                StoreError::NotFound(text!(
                    fr: "aucune caisse {till} appairée",
                    en: "no till {till} is paired",
                ))
            })
    }

    /// Whether the till of this public key (hex) is paired now.
    pub fn is_paired_key(&self, public_key: &str) -> Result<bool> {
        let found: Option<String> = self
            .conn
            .query_row(
                "SELECT till FROM peers WHERE public_key = ?1 AND unpaired_at IS NULL",
                [public_key.to_ascii_lowercase()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    /// The own records after `position`, at most `limit`, as records.jsonl lines (what a
    /// bundle's records.jsonl holds for them, without the newline): what peers are served.
    pub fn records_after(&self, position: u64, limit: usize) -> Result<Vec<String>> {
        let till = self.require_config()?.till.clone();
        let sql = format!("SELECT {ROW_COLUMNS} FROM ledger WHERE pos > ?1 ORDER BY pos LIMIT ?2");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map(params![position, limit as i64], stored_from_row)?;
        let mut lines = Vec::with_capacity(limit.min(4096));
        for row in rows {
            let row = row?;
            lines.push(relais_bundle::record_line(
                &till,
                &LedgerLine {
                    pos: row.pos,
                    body: row.body,
                    prev_hash: row.prev_hash,
                    hash: row.hash,
                },
            ));
        }
        Ok(lines)
    }

    /// The till's signing key, which is also its identity on the LAN (the iroh node key):
    /// a peer dials this till by the public key of its invitation.
    pub fn lan_secret_key(&self) -> Result<[u8; 32]> {
        let key = crate::keys::load(&self.dir)?.ok_or_else(|| {
            StoreError::Key(format!(
                "no {} in {}",
                crate::keys::KEY_FILE,
                self.dir.display()
            ))
        })?;
        Ok(key.to_bytes())
    }

    /// Stores where a sync found `till` by mDNS (an `IP:port` other than the one stored), so
    /// that the next start dials it there even without multicast. Machine work, like its
    /// last exchange, and not journaled: an address is never trust (the key pinned at the
    /// journaled pairing is), and the invitation's address stays in that pairing's record.
    pub fn peer_found_at(&mut self, till: &str, address: &str) -> Result<()> {
        let address: std::net::SocketAddr = address.parse().map_err(|_| bad_address(address))?;
        self.conn.execute(
            "UPDATE peers SET address = ?2, address_from = 'mdns' WHERE till = ?1 AND unpaired_at IS NULL",
            params![till, address.to_string()],
        )?;
        Ok(())
    }

    /// Notes that a sync reached `till` (its last exchange), whatever it brought.
    pub fn peer_reached(&mut self, till: &str) -> Result<()> {
        let now = format_instant(self.now());
        self.conn.execute(
            "UPDATE peers SET last_exchange = ?2 WHERE till = ?1",
            params![till, now],
        )?;
        Ok(())
    }

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
        match self.check_batch(&peer, lines, audit)? {
            Ok((rows, replayed, audit)) => {
                let kept = rows.len() as u64;
                self.write(|tx| {
                    let mut insert = tx.prepare_cached(
                        "INSERT INTO peer_records (till, pos, id, kind, series, seq, business_day, body, prev_hash, hash)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    )?;
                    for r in &rows {
                        insert.execute(params![
                            till, r.pos, r.id, r.kind, r.series, r.seq, r.business_day, r.body,
                            r.prev_hash, r.hash
                        ])?;
                    }
                    Ok(())
                })?;
                self.peer_audits.insert(till.to_string(), audit);
                Ok(PeerBatch {
                    kept,
                    replayed,
                    defect: None,
                })
            }
            Err(defect) => {
                self.record_peer_defect(&peer, &defect)?;
                Ok(PeerBatch {
                    kept: 0,
                    replayed: 0,
                    defect: Some(defect),
                })
            }
        }
    }

    /// The rows of a batch that extend what is held (and how many were replays, and the
    /// audit after them), or the batch's defect.
    #[allow(clippy::type_complexity)]
    fn check_batch(
        &self,
        peer: &PeerView,
        lines: PeerLines,
        mut audit: RecordAudit,
    ) -> Result<std::result::Result<(Vec<StoredRecord>, u64, RecordAudit), Text>> {
        let mut rows = Vec::with_capacity(lines.0.len());
        let mut replayed = 0;
        for read in lines.0 {
            let (till, row, parsed) = match read {
                Ok(read) => read,
                Err((en, fr)) => return Ok(Err(Text { fr, en })),
            };
            if till != peer.till {
                let expected = &peer.till;
                return Ok(Err(text!(
                    fr: "un enregistrement de la caisse {till} envoyé par la caisse {expected}",
                    en: "a record of till {till} sent by till {expected}",
                )));
            }
            if row.pos <= peer.held {
                let held: Option<String> = self
                    .conn
                    .query_row(
                        "SELECT hash FROM peer_records WHERE till = ?1 AND pos = ?2",
                        params![peer.till, row.pos],
                        |r| r.get(0),
                    )
                    .optional()?;
                if held.as_deref() == Some(row.hash.as_str()) {
                    replayed += 1;
                    continue;
                }
                let pos = row.pos;
                return Ok(Err(text!(
                    fr: "la chaîne reçue diverge en position {pos} de celle déjà reçue (fourche ou enregistrement modifié)",
                    en: "the chain received differs at position {pos} from the one received before (a fork or an altered record)",
                )));
            }
            let checked = match parsed {
                Some(record) => audit.push_parsed(&row, record),
                None => audit.push(&row),
            };
            let record = match checked {
                Ok(record) => record,
                Err(defect) => return Ok(Err(defect.text())),
            };
            if let Body::Event(event) = &record.body {
                let key = event.details["public_key"].as_str();
                if event.name == EventType::TillInitialised.name() && key != Some(&peer.public_key)
                {
                    return Ok(Err(text!(
                        fr: "la caisse a été initialisée avec une autre clé que celle de son invitation",
                        en: "the till was set up with another key than its invitation's",
                    )));
                }
            }
            rows.push(row);
        }
        Ok(Ok((rows, replayed, audit)))
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

fn bad_address(address: &str) -> StoreError {
    StoreError::Invalid(text!(
        fr: "« {address} » n'est pas une adresse IP:port (par exemple 192.168.1.20:47300)",
        en: "\"{address}\" is not an IP:port address (for example 192.168.1.20:47300)",
    ))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod views_tests;

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
