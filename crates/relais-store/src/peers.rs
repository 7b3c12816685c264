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
use relais_core::time::{format_instant, local_display, parse_instant};
use relais_core::{text, EventType, Text};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::json;

mod invitation;
mod listen;
mod price_list;
mod receive;
mod shop_export;
mod views;
pub use invitation::Invitation;
pub use listen::{valid_lan_listen, DEFAULT_LAN_LISTEN};
pub use price_list::PriceListOffer;
pub use receive::PeerLines;
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
}

fn bad_address(address: &str) -> StoreError {
    StoreError::Invalid(text!(
        fr: "« {address} » n'est pas une adresse IP:port (par exemple 192.168.1.20:47300)",
        en: "\"{address}\" is not an IP:port address (for example 192.168.1.20:47300)",
    ))
}

#[cfg(test)]
mod price_list_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod views_tests;
