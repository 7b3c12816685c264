//! `relais export --shop` (issue 26): the shop's bundle written from one till, from its own
//! records and its paired tills' as received and verified, by the bundle merge's own code
//! (`relais_bundle::merge_held`): the same records, totals and conflicts as `relais merge` of
//! every till's bundle. The till vouches for each chain's head with a signed attestation
//! (scope `held`, docs/EXPORT-FORMAT.md), since it holds no other till's key.

use super::views::ShopConflict;
use crate::actor::Manager;
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::Store;
use relais_bundle::{Manifest, MergeReport, TillChain};
use relais_core::{text, EventType};
use rusqlite::params;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// What `export --shop` wrote, and what partitions left that cannot both stand.
#[derive(Debug, Clone, Serialize)]
pub struct ShopExport {
    #[serde(flatten)]
    pub merge: MergeReport,
    /// Orders collected at more than one till.
    pub order_conflicts: Vec<ShopConflict>,
}

/// One till in the shop's bundle written from here, before it is written: how far its chain
/// is held and how fresh that is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ShopExportTill {
    pub till: String,
    /// This till (its chain is here whole, always fresh).
    pub own: bool,
    /// The last position of its chain held here (0: none yet, then it is left out).
    #[ts(type = "number")]
    pub held: u64,
    /// The last sync that reached it, in the till's zone as people read it.
    pub last_exchange: Option<String>,
    pub unpaired: bool,
    /// Its last batch refused, in French and English, if one was: the shop's bundle is then
    /// refused by the app (its records may stop short of what it sold).
    pub defect: Option<String>,
    pub defect_fr: Option<String>,
}

/// A till's chain as held, from its records.jsonl lines (position order).
fn chain_of(till: &str, public_key: &str, lines: &[String]) -> Result<Option<TillChain>> {
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return Ok(None);
    };
    let row = |line: &String| {
        relais_bundle::read_record_line(line)
            .map(|(_, row, _)| row)
            .map_err(|(en, fr)| StoreError::Corrupt(format!("{en} / {fr}")))
    };
    let mut first_seq = BTreeMap::new();
    let mut last_seq = BTreeMap::new();
    for line in lines {
        let row = row(line)?;
        first_seq.entry(row.series.clone()).or_insert(row.seq);
        last_seq.insert(row.series, row.seq);
    }
    let (first, last) = (row(first)?, row(last)?);
    Ok(Some(TillChain {
        till: till.to_string(),
        public_key: public_key.to_string(),
        from_pos: first.pos,
        to_pos: last.pos,
        from_prev_hash: first.prev_hash,
        head_hash: last.hash,
        first_seq,
        last_seq,
        records: lines.len() as u64,
    }))
}

impl Store {
    /// A paired till's records held, as records.jsonl lines.
    fn peer_lines(&self, till: &str) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT pos, body, prev_hash, hash FROM peer_records WHERE till = ?1 ORDER BY pos",
        )?;
        let rows = statement.query_map(params![till], |r| {
            Ok(relais_bundle::LedgerLine {
                pos: r.get(0)?,
                body: r.get(1)?,
                prev_hash: r.get(2)?,
                hash: r.get(3)?,
            })
        })?;
        rows.map(|r| Ok(relais_bundle::record_line(till, &r?)))
            .collect()
    }

    /// The tills the shop's bundle written from here holds: this one first, then every till
    /// ever paired, with how far and how fresh their chains are held.
    pub fn shop_export_tills(&self) -> Result<Vec<ShopExportTill>> {
        let till = self.require_config()?.till.clone();
        let held: u64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(pos), 0) FROM ledger", [], |r| r.get(0))?;
        let mut tills = vec![ShopExportTill {
            till,
            own: true,
            held,
            last_exchange: None,
            unpaired: false,
            defect: None,
            defect_fr: None,
        }];
        tills.extend(self.peers()?.into_iter().map(|p| ShopExportTill {
            unpaired: p.unpaired_at.is_some(),
            till: p.till,
            own: false,
            held: p.held,
            last_exchange: p.last_exchange_local,
            defect: p.defect,
            defect_fr: p.defect_fr,
        }));
        Ok(tills)
    }

    /// Writes the shop's bundle into `out` (a manager's act, journaled, JET 1650). Refused
    /// with no till paired (export this till alone), and when a till's records were refused:
    /// its chain held may stop short of what it sold.
    pub fn export_shop(&mut self, out: &Path, by: &Manager) -> Result<ShopExport> {
        let tills = self.shop_export_tills()?;
        if tills.len() < 2 {
            return Err(StoreError::Invalid(text!(
                fr: "aucune caisse appairée : exportez cette caisse seule",
                en: "no till is paired: export this till alone",
            )));
        }
        if let Some(bad) = tills.iter().find(|t| t.defect.is_some()) {
            let till = &bad.till;
            let fr = bad.defect_fr.clone().unwrap_or_default();
            let en = bad.defect.clone().unwrap_or_default();
            return Err(StoreError::Invalid(text!(
                fr: "export du magasin refusé : les enregistrements de la caisse {till} ont été refusés ({fr}). Exportez chaque caisse sur sa propre caisse, puis vérifiez-les ensemble",
                en: "shop export refused: till {till}'s records were refused ({en}). Export each till on itself, then verify them together",
            )));
        }
        let training = text!(
            fr: "caisse de formation : ses enregistrements ne sont pas de vraies ventes et ne sont jamais exportés",
            en: "this is a training till: its records are not real sales and are never exported",
        );
        let (config, key) = self.bundle_signing(training, "the shop bundle")?;
        let own = self.records_after(0, usize::MAX)?;
        let mut tills = Vec::new();
        tills.extend(chain_of(&config.till, &config.public_key, &own)?);
        let mut lines = own;
        for peer in self.peers()? {
            let held = self.peer_lines(&peer.till)?;
            tills.extend(chain_of(&peer.till, &peer.public_key, &held)?);
            lines.extend(held);
        }
        if tills.first().is_none_or(|t| t.till != config.till) {
            return Err(StoreError::Invalid(text!(
                fr: "rien à exporter : la caisse n'a aucun enregistrement",
                en: "nothing to export: the till has no record",
            )));
        }
        let head = tills[0].to_pos;
        let mut attestation = Manifest {
            format: relais_bundle::FORMAT.into(),
            format_version: relais_bundle::FORMAT_VERSION,
            software_version: crate::SOFTWARE_VERSION.into(),
            scope: "held".into(),
            shop: config.shop.clone(),
            tills: tills.clone(),
            first_business_day: None,
            last_business_day: None,
            outage: self.outage_as_of(head)?,
            counts: BTreeMap::new(),
            totals: Default::default(),
            files: Vec::new(),
            sources: Vec::new(),
            signature: None,
            archive: None,
        };
        attestation.sign(&key)?;
        let mut codes: Vec<&str> = tills.iter().map(|t| t.till.as_str()).collect();
        codes.sort();
        let name = format!("relais-boutique-{}", codes.join("-"));
        let merge = relais_bundle::merge_held(&attestation, lines, out, &name)?;
        if let Some(conflict) = merge.conflicts.first() {
            let (fr, en) = (&conflict.what_fr, &conflict.what);
            return Err(StoreError::Invalid(text!(
                fr: "export du magasin impossible : {fr}",
                en: "the shop bundle cannot be written: {en}",
            )));
        }
        let folder = out.join(&name);
        let manifest =
            std::fs::read(folder.join("manifest.json")).map_err(|e| StoreError::io(&folder, e))?;
        let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&manifest));
        let positions: BTreeMap<&str, u64> =
            tills.iter().map(|t| (t.till.as_str(), t.to_pos)).collect();
        self.write_journaled(
            Journal(
                EventType::ShopExport,
                format!(
                    "Export du magasin {name} : {} enregistrements de {} caisses",
                    merge.records,
                    tills.len()
                ),
                json!({"bundle": name, "tills": positions, "records": merge.records, "manifest_sha256": sha256}),
            ),
            by.name(),
            |_| Ok(()),
        )?;
        Ok(ShopExport {
            merge,
            order_conflicts: self.shop_conflicts()?,
        })
    }
}
