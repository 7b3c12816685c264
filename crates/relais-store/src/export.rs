//! The reconciliation bundle: what managers take back to the SaaS once it is up again.
//! A folder (optionally zipped) with a signed manifest, every record in JSON Lines for
//! programs, CSV files for people in two dialects, and a printable French report. Specified
//! in docs/EXPORT-FORMAT.md.
//!
//! Streaming: one pass over the ledger in position order writes every file; memory stays
//! flat whatever the ledger size.

mod poslog;

pub use relais_bundle::{
    collect_bundle_files, merge_bundles, verify_bundle, BundleFile, BundleVerdict, Manifest,
    ManifestSignature, MergeReport, Outage, TillChain,
};

use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::Manager;
use crate::{keys, Store};
use relais_bundle::{
    fec, report, write_avoirs, write_file, write_orders, write_products, BundleWriter, Gathered,
    LedgerLine,
};
use relais_core::record::Body;
use relais_core::text;
use relais_core::{EventData, EventType};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct ExportOptions {
    /// The folder the bundle is written into (a USB stick).
    pub out: PathBuf,
    /// Only what was recorded since the previous export.
    #[serde(default)]
    pub since_last: bool,
    /// Also pack the bundle into one .zip file.
    #[serde(default)]
    pub zip: bool,
    /// Also write the FEC (`<SIREN>FEC<AAAAMMJJ>.txt`), the accountant's journal of the closed
    /// days and cash movements.
    #[serde(default)]
    pub fec: bool,
    /// Also write poslog.xml, the tickets and deposits as ARTS POSLog V6 transactions.
    #[serde(default)]
    pub poslog: bool,
    /// Exactly these positions (first, last): a range exported again gives the same files.
    #[serde(default)]
    #[ts(type = "[number, number] | null")]
    pub range: Option<(u64, u64)>,
    pub operator: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportReport {
    pub folder: String,
    pub zip: Option<String>,
    #[ts(type = "number")]
    pub from_pos: u64,
    #[ts(type = "number")]
    pub to_pos: u64,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub sales: u64,
    pub manifest_sha256: String,
    /// Records per kind, the totals and the files, as in the manifest.
    #[ts(type = "Record<string, number>")]
    pub counts: BTreeMap<String, u64>,
    pub totals: relais_core::closure::PeriodTotals,
    pub files: Vec<BundleFile>,
}

/// How far the exports have gone: the highest position any export covered, and when that
/// export was made. Not simply the latest export: a range exported again (an older one) must
/// not send `--since-last` and the status bar back to its end.
pub fn last_export(conn: &rusqlite::Connection) -> Result<Option<(u64, String)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT json_extract(body, '$.data.details.to_pos') AS to_pos, at FROM ledger
             WHERE kind = 'event' AND json_extract(body, '$.data.name') = 'export'
             ORDER BY to_pos DESC, pos DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// What an archive or an audit extract adds to a bundle: files of its own (listed in the
/// manifest like the others) and, for an archive, the period it freezes.
pub(crate) struct BundleExtras {
    pub archive: Option<relais_bundle::ArchivePeriod>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Store {
    /// What every signed bundle (export, archive, tax-audit extract) needs first: a manager,
    /// a real till (a training till's records are never taken out: `training` says so), and
    /// the till's signing key (`bundle` names what could not be signed without it).
    pub(crate) fn bundle_signing(
        &mut self,
        training: relais_core::Text,
        bundle: &str,
    ) -> Result<(crate::TillConfig, ed25519_dalek::SigningKey)> {
        let config = self.require_config()?.clone();
        if config.training {
            return Err(StoreError::Invalid(training));
        }
        let key = keys::load(&self.dir)?.ok_or_else(|| {
            StoreError::Key(format!(
                "{} is missing: {bundle} cannot be signed",
                keys::KEY_FILE
            ))
        })?;
        Ok((config, key))
    }

    /// Writes a bundle of the whole ledger, or of what is new since the last export.
    /// Managers only, once the till has staff.
    /// Made by `by` (from the options' `operator`).
    pub fn export(&mut self, options: &ExportOptions, by: &Manager) -> Result<ExportReport> {
        let training = text!(
            fr: "caisse de formation : ses enregistrements ne sont pas de vraies ventes et ne sont jamais exportés",
            en: "this is a training till: its records are not real sales and are never exported",
        );
        let (config, key) = self.bundle_signing(training, "the bundle")?;
        let last: u64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(pos), 0) FROM ledger", [], |r| r.get(0))?;
        let (from_pos, head) = match (options.range, options.since_last, last_export(&self.conn)?) {
            (Some((from, to)), _, _) if from >= 1 && from <= to && to <= last => (from, to),
            (Some((from, to)), _, _) => {
                return Err(StoreError::Invalid(text!(
                    fr: "plage {from}-{to} : les positions vont de 1 à {last}",
                    en: "range {from}-{to}: positions go from 1 to {last}",
                )))
            }
            (None, true, Some((to, _))) => (to + 1, last),
            _ => (1, last),
        };
        if from_pos > head {
            return Err(StoreError::Invalid(text!(
                fr: "rien de nouveau à exporter depuis le dernier export",
                en: "nothing new to export since the last export",
            )));
        }
        let name = format!("relais-{}-{from_pos:06}-{head:06}", config.till);
        let folder = options.out.join(&name);
        if folder.exists() {
            let shown = folder.display();
            return Err(StoreError::Invalid(text!(
                fr: "{shown} existe déjà : choisissez un autre dossier",
                en: "{shown} already exists: choose another folder",
            )));
        }
        std::fs::create_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
        let written = self.write_bundle(&folder, &config, &key, (from_pos, head), options, None);
        if written.is_err() {
            // Half a bundle is worse than none: someone might take it for a whole one.
            let _ = std::fs::remove_dir_all(&folder);
            if options.zip {
                let _ = std::fs::remove_file(folder.with_extension("zip"));
            }
        }
        let (manifest_file, zip, manifest) = written?;
        let sales = manifest.counts.get("sale").copied().unwrap_or(0);
        let now = self.now();
        self.write(|tx| {
            let event = EventData::new(
                EventType::Export,
                format!(
                    "Export {name} : positions {from_pos} à {head}, {}",
                    crate::plural::fr(sales, "vente", "ventes")
                ),
                json!({"bundle": name, "from_pos": from_pos, "to_pos": head, "manifest_sha256": manifest_file.sha256}),
            );
            append(tx, &config, now, NewRecord::new(Body::Event(event), by.name()))?;
            Ok(())
        })?;
        self.after_commit();
        Ok(ExportReport {
            folder: folder.display().to_string(),
            zip: zip.map(|z| z.display().to_string()),
            from_pos,
            to_pos: head,
            records: head - from_pos + 1,
            sales,
            manifest_sha256: manifest_file.sha256,
            counts: manifest.counts,
            totals: manifest.totals,
            files: manifest.files,
        })
    }

    /// Writes every file of the bundle of positions `range`; returns the manifest's entry,
    /// the zip, the manifest. An archive adds its period and closures.jsonl, an audit
    /// extract its verification report.
    pub(crate) fn write_bundle(
        &self,
        folder: &Path,
        config: &crate::TillConfig,
        key: &ed25519_dalek::SigningKey,
        range: (u64, u64),
        options: &ExportOptions,
        extras: Option<&BundleExtras>,
    ) -> Result<(BundleFile, Option<PathBuf>, Manifest)> {
        let (from_pos, head) = range;
        let (mut files, mut gathered, chain) = self.write_data(folder, from_pos, head)?;
        let orders = self.orders_in(&gathered, head)?;
        files.extend(write_orders(folder, &orders)?);
        files.extend(write_products(folder, &gathered)?);
        files.extend(write_avoirs(folder, &gathered.report.avoirs)?);
        let totals = std::mem::take(&mut gathered.summarizer)
            .finish()
            .map_err(|_| {
                StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"))
            })?;
        let outage = self.outage_as_of(head)?;
        let mut manifest = Manifest {
            format: relais_bundle::FORMAT.into(),
            format_version: relais_bundle::FORMAT_VERSION,
            software_version: crate::SOFTWARE_VERSION.into(),
            scope: "till".into(),
            shop: config.shop.clone(),
            tills: vec![TillChain {
                till: config.till.clone(),
                public_key: config.public_key.clone(),
                from_pos,
                to_pos: head,
                from_prev_hash: chain.0,
                head_hash: chain.1,
                first_seq: gathered.first_seq.clone(),
                last_seq: gathered.last_seq.clone(),
                records: head - from_pos + 1,
            }],
            first_business_day: gathered.first_day.clone(),
            last_business_day: gathered.last_day.clone(),
            outage: outage.clone(),
            counts: gathered.counts.clone(),
            totals: totals.clone(),
            files: Vec::new(),
            sources: Vec::new(),
            signature: None,
            archive: None,
        };
        if let Some(extras) = extras {
            for (name, bytes) in &extras.files {
                files.push(write_file(folder, name, bytes)?);
            }
            if let Some(period) = &extras.archive {
                manifest.scope = "archive".into();
                manifest.archive = Some(period.clone());
            }
        }
        let report_html = report::render(&manifest, &gathered.report, &orders);
        files.push(write_file(folder, "report.html", report_html.as_bytes())?);
        if options.fec {
            let late = gathered.late_totals()?;
            let (text, last_day) = fec::render(&fec::Journal {
                closures: &gathered.report.closures,
                movements: &gathered.cash_movements,
                late: &late,
            });
            // Without any entry the file name still needs a date: the bundle's last day.
            let day = last_day
                .or_else(|| gathered.last_day.clone())
                .or_else(|| gathered.open_day.clone())
                .unwrap_or_else(|| self.now().format("%Y-%m-%d").to_string());
            let name = fec::file_name(&config.shop.siret, &day);
            files.push(write_file(folder, &name, &fec::latin9(&text))?);
        }
        if options.poslog {
            files.push(self.write_poslog(folder, from_pos, head)?);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        manifest.files = files;
        manifest.sign(key)?;
        let manifest_bytes = manifest.to_bytes()?;
        let manifest_file = write_file(folder, "manifest.json", &manifest_bytes)?;
        let zip = match options.zip {
            true => Some(relais_bundle::zip_folder(folder)?),
            false => None,
        };
        Ok((manifest_file, zip, manifest))
    }

    /// The one pass over the ledger's range into a [`BundleWriter`].
    fn write_data(
        &self,
        folder: &Path,
        from: u64,
        to: u64,
    ) -> Result<(Vec<BundleFile>, Gathered, (String, String))> {
        let till = self.require_config()?.till.clone();
        let mut writer = BundleWriter::create(folder)?;
        let mut statement = self.conn.prepare(
            "SELECT pos, body, prev_hash, hash FROM ledger WHERE pos >= ?1 AND pos <= ?2 ORDER BY pos",
        )?;
        let mut rows = statement.query([from, to])?;
        while let Some(row) = rows.next()? {
            let stored = LedgerLine {
                pos: row.get(0)?,
                body: row.get(1)?,
                prev_hash: row.get(2)?,
                hash: row.get(3)?,
            };
            writer.push_stored(&till, stored)?;
        }
        let mut written = writer.finish()?;
        let chain = written.chains.remove(&till).unwrap_or_default();
        Ok((written.files, written.gathered, chain))
    }

    /// orders.csv, order_lines.csv, order_events.csv: the orders touched in the range, as
    /// they stood at its end (so a range exported again gives the same files), with every
    /// change until then: what to recreate in the SaaS.
    fn orders_in(&self, gathered: &Gathered, head: u64) -> Result<Vec<crate::OrderView>> {
        gathered
            .orders
            .iter()
            .map(|id| self.order_as_of(id, head))
            .collect()
    }
}

#[cfg(test)]
mod alteration_tests;
#[cfg(test)]
mod audit_tests;
#[cfg(test)]
mod hq_chain;
#[cfg(test)]
mod hq_tests;
#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod poslog_tests;
#[cfg(test)]
mod reader_tests;
#[cfg(test)]
mod spreadsheet_tests;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod verify_tests;
