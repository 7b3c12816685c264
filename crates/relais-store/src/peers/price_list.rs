//! Price lists sent to the shop's other tills (issue 26: a shop imports once). A manager
//! imports a price list at one till with `--shop`: the till keeps the file and offers it (its
//! name, SHA-256, who offered it and when), journaled (JET 1651). The other tills fetch it at
//! their next `relais shop sync` (relais-lan's second request), check its SHA-256, and import
//! it with the same import code, journaled as any import, naming the till it came from. The
//! newest offer wins; a till that imported it offers it in turn, so it reaches a till that was
//! off when the first one was on.

use crate::actor::Manager;
use crate::catalog::{ImportOptions, ImportReport, Received};
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::Store;
use relais_core::time::format_instant;
use relais_core::{text, EventType};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The setting holding the price list this till offers the shop.
const OFFER_KEY: &str = "shop_price_list";
/// The folder of the data directory holding the files offered, by SHA-256.
const FOLDER: &str = "price-lists";

/// A price list offered to the shop's tills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceListOffer {
    /// The file's name, as imported (its extension says how to read it).
    pub name: String,
    /// Lowercase hex.
    pub sha256: String,
    pub size: u64,
    /// The till where it was imported first, and who did, and when (UTC).
    pub from_till: String,
    pub offered_by: String,
    pub offered_at: String,
    /// The import's `COLUMN=FIELD` overrides and sheet, which every till imports it with:
    /// a list whose columns were mapped by hand reads the same everywhere. Absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub map: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

impl PriceListOffer {
    /// Whether this offer is newer than `other` (the newest offer wins).
    fn newer_than(&self, other: &PriceListOffer) -> bool {
        (&self.offered_at, &self.sha256) > (&other.offered_at, &other.sha256)
    }
}

/// Keeps `offer` as this till's, in the caller's transaction (which journals it).
fn keep_offer(tx: &Connection, offer: &PriceListOffer) -> Result<()> {
    let value = serde_json::to_string(offer).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    crate::settings::put(tx, OFFER_KEY, &value)
}

/// Only a file's own name: no folder, nothing a path could climb out with.
fn plain_name(name: &str) -> Option<&str> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && name.len() <= 200;
    ok.then_some(name)
}

impl Store {
    fn price_list_path(&self, offer: &PriceListOffer) -> PathBuf {
        self.dir.join(FOLDER).join(&offer.sha256).join(&offer.name)
    }

    /// Stores a price list's bytes under the data directory; returns where.
    fn keep_price_list_file(&self, offer: &PriceListOffer, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.price_list_path(offer);
        let folder = path.parent().unwrap_or(&self.dir).to_path_buf();
        std::fs::create_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
        std::fs::write(&path, bytes).map_err(|e| StoreError::io(&path, e))?;
        Ok(path)
    }

    /// The price list this till offers the shop, if any.
    pub fn price_list_offer(&self) -> Result<Option<PriceListOffer>> {
        Ok(self
            .setting(OFFER_KEY)?
            .and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// The offer and its file's bytes, as served to the paired tills (none if the file is
    /// gone or no longer the one offered).
    pub fn price_list_offered(&self) -> Result<Option<(PriceListOffer, Vec<u8>)>> {
        let Some(offer) = self.price_list_offer()? else {
            return Ok(None);
        };
        let Ok(bytes) = std::fs::read(self.price_list_path(&offer)) else {
            return Ok(None);
        };
        Ok((hex::encode(Sha256::digest(&bytes)) == offer.sha256).then_some((offer, bytes)))
    }

    /// Offers the price list at `path`, just imported here with `options` (its column map
    /// and sheet go with it), to the shop's other tills (a manager's act, journaled, JET 1651).
    pub fn offer_price_list(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        by: &Manager,
    ) -> Result<PriceListOffer> {
        let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let offer = PriceListOffer {
            name,
            sha256: hex::encode(Sha256::digest(&bytes)),
            size: bytes.len() as u64,
            from_till: self.require_config()?.till.clone(),
            offered_by: by.name().to_string(),
            offered_at: format_instant(self.now()),
            map: options.map.clone(),
            sheet: options.sheet.clone(),
        };
        self.keep_price_list_file(&offer, &bytes)?;
        self.write_journaled(
            Journal(
                EventType::PriceListOffered,
                format!(
                    "Liste de prix {} proposée aux caisses du magasin",
                    offer.name
                ),
                json!({"file": offer.name, "sha256": offer.sha256, "size": offer.size}),
            ),
            by.name(),
            |tx| keep_offer(tx, &offer),
        )?;
        Ok(offer)
    }

    /// Whether a price list a paired till offers (its offer, before its file is fetched)
    /// would be imported here: another file than the one held, and newer.
    pub fn wants_price_list(&self, offer: &serde_json::Value) -> Result<bool> {
        match serde_json::from_value::<PriceListOffer>(offer.clone()) {
            Ok(offer) => Ok(wanted(self.price_list_offer()?.as_ref(), &offer)),
            // Fetched, then refused in words by `receive_price_list`.
            Err(_) => Ok(true),
        }
    }

    /// A price list a paired till offers: imported with the same code as any import if it
    /// is newer than the one this till holds (then offered from here too), else left. The
    /// till itself imports it (operator `relais`), its journal event naming where it came
    /// from. `None`: not newer, nothing done.
    pub fn receive_price_list(
        &mut self,
        offer: serde_json::Value,
        bytes: &[u8],
    ) -> Result<Option<(PriceListOffer, ImportReport)>> {
        let invalid = |why: &str| {
            let why = why.to_string();
            StoreError::Invalid(text!(
                fr: "liste de prix reçue illisible : {why}",
                en: "unreadable price list received: {why}",
            ))
        };
        let offer: PriceListOffer =
            serde_json::from_value(offer).map_err(|e| invalid(&e.to_string()))?;
        if plain_name(&offer.name).is_none() {
            return Err(invalid(&format!("file name {:?}", offer.name)));
        }
        if hex::encode(Sha256::digest(bytes)) != offer.sha256 || bytes.len() as u64 != offer.size {
            return Err(invalid("its SHA-256 or size is not the one announced"));
        }
        if !wanted(self.price_list_offer()?.as_ref(), &offer) {
            return Ok(None);
        }
        let path = self.keep_price_list_file(&offer, bytes)?;
        let options = ImportOptions {
            map: offer.map.clone(),
            sheet: offer.sheet.clone(),
            strict: false,
            dry_run: false,
            preview_rows: 0,
            operator: "relais".into(),
        };
        let received = Received {
            from_till: offer.from_till.clone(),
            sha256: offer.sha256.clone(),
            setting: (
                OFFER_KEY,
                serde_json::to_string(&offer).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            ),
        };
        let report = self.import_catalog_from(&path, &options, "relais", Some(&received))?;
        Ok(Some((offer, report)))
    }
}

/// Whether `offer` would be imported by a till holding `held`: another file, and newer.
fn wanted(held: Option<&PriceListOffer>, offer: &PriceListOffer) -> bool {
    held.is_none_or(|held| held.sha256 != offer.sha256 && offer.newer_than(held))
}
