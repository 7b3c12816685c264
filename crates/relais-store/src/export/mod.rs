//! The reconciliation bundle: what managers take back to the SaaS once it is up again.
//! A folder (optionally zipped) with a signed manifest, every record in JSON Lines for
//! programs, CSV files for people in two dialects, and a printable French report. Specified
//! in docs/EXPORT-FORMAT.md.
//!
//! Streaming: one pass over the ledger in position order writes every file; memory stays
//! flat whatever the ledger size.

mod bundle;
mod fec;
mod merge;
mod poslog;
mod report;
mod rows;
mod tables;
mod verify;
mod writer;

pub use bundle::{BundleFile, Manifest, ManifestSignature, Outage, TillChain};
pub use merge::{merge_bundles, MergeReport};
pub use verify::{verify_bundle, BundleVerdict};
pub(crate) use writer::BundleWriter;

use crate::error::{Result, StoreError};
use crate::ledger::{append, NewRecord};
use crate::{keys, Store};
use relais_core::closure::Summarizer;
use relais_core::record::{Body, Record};
use relais_core::{EventData, EventType};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use tables::{Cell, HashingFile, Table};
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
    /// Also write fec.txt, the accountant's journal of the closed days.
    #[serde(default)]
    pub fec: bool,
    /// Also write poslog.xml, the tickets as ARTS POSLog transactions.
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

/// Everything the pass over the ledger gathers for the manifest and the report.
#[derive(Default)]
pub(crate) struct Gathered {
    pub summarizer: Summarizer,
    pub counts: BTreeMap<String, u64>,
    pub first_seq: BTreeMap<String, u64>,
    pub last_seq: BTreeMap<String, u64>,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub report: report::ReportData,
    pub orders: Vec<String>,
    /// (event number, details) of each product created at the counter.
    pub created_products: Vec<(String, serde_json::Value)>,
    /// Merges: every order's own records, to fold its state without a database.
    pub order_records: BTreeMap<String, Vec<Record>>,
    /// The business day of the last day opening met in the pass.
    pub open_day: Option<String>,
    /// Tickets dated to a day earlier than the one open when they were recorded (paper
    /// slips keyed in later), per day: no day closure's totals hold them (a closure counts
    /// the records of its own day from its opening on).
    pub late: BTreeMap<String, Summarizer>,
}

impl Store {
    /// Writes a bundle of the whole ledger, or of what is new since the last export.
    pub fn export(&mut self, options: &ExportOptions) -> Result<ExportReport> {
        let config = self.require_config()?.clone();
        if config.training {
            return Err(StoreError::invalid(
                "this is a training till: its records are not real sales and are never exported",
                "caisse de formation : ses enregistrements ne sont pas de vraies ventes et ne sont jamais exportés",
            ));
        }
        let key = keys::load(&self.dir)?.ok_or_else(|| {
            StoreError::Key(format!(
                "{} is missing: the bundle cannot be signed",
                keys::KEY_FILE
            ))
        })?;
        let last: u64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(pos), 0) FROM ledger", [], |r| r.get(0))?;
        let (from_pos, head) = match (options.range, options.since_last, last_export(&self.conn)?) {
            (Some((from, to)), _, _) if from >= 1 && from <= to && to <= last => (from, to),
            (Some((from, to)), _, _) => {
                return Err(StoreError::invalid(
                    format!("range {from}-{to}: positions go from 1 to {last}"),
                    format!("plage {from}-{to} : les positions vont de 1 à {last}"),
                ))
            }
            (None, true, Some((to, _))) => (to + 1, last),
            _ => (1, last),
        };
        if from_pos > head {
            return Err(StoreError::invalid(
                "nothing new to export since the last export",
                "rien de nouveau à exporter depuis le dernier export",
            ));
        }
        let name = format!("relais-{}-{from_pos:06}-{head:06}", config.till);
        let folder = options.out.join(&name);
        if folder.exists() {
            let shown = folder.display();
            return Err(StoreError::invalid(
                format!("{shown} already exists: choose another folder"),
                format!("{shown} existe déjà : choisissez un autre dossier"),
            ));
        }
        std::fs::create_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
        let written = self.write_bundle(&folder, &config, &key, from_pos, head, options);
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
            append(tx, &config, now, NewRecord::new(Body::Event(event), &options.operator))?;
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

    /// Writes every file of the bundle; returns the manifest's entry, the zip, the manifest.
    fn write_bundle(
        &self,
        folder: &Path,
        config: &crate::TillConfig,
        key: &ed25519_dalek::SigningKey,
        from_pos: u64,
        head: u64,
        options: &ExportOptions,
    ) -> Result<(BundleFile, Option<PathBuf>, Manifest)> {
        let (mut files, mut gathered, chain) = self.write_data(folder, from_pos, head)?;
        let orders = self.orders_in(&gathered, head)?;
        files.extend(write_orders(folder, &orders)?);
        files.extend(write_products(folder, &gathered)?);
        let totals = std::mem::take(&mut gathered.summarizer)
            .finish()
            .map_err(|_| StoreError::InvalidInput("amount out of range".into()))?;
        let outage = self.outage_as_of(head)?;
        let mut manifest = Manifest {
            format: bundle::FORMAT.into(),
            format_version: bundle::FORMAT_VERSION,
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
        };
        let report_html = report::render(&manifest, &gathered.report, &orders);
        files.push(write_file(folder, "report.html", report_html.as_bytes())?);
        if options.fec {
            let late = gathered.late_totals()?;
            let text = fec::render(&gathered.report.closures, &late);
            files.push(write_file(folder, "fec.txt", text.as_bytes())?);
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
            true => Some(bundle::zip_folder(folder)?),
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
            let stored = writer::LedgerLine {
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

/// orders.csv, order_lines.csv, order_events.csv: the orders given, with every change.
pub(crate) fn write_orders(folder: &Path, views: &[crate::OrderView]) -> Result<Vec<BundleFile>> {
    {
        let mut orders = Table::create(
            folder,
            "orders.csv",
            &[
                "id",
                "number",
                "created_local",
                "status",
                "customer",
                "phone",
                "email",
                "address",
                "requested_date",
                "fulfilment",
                "total_ttc",
                "deposits",
                "balance",
                "sale",
                "note",
            ],
        )?;
        let mut lines = Table::create(
            folder,
            "order_lines.csv",
            &[
                "order",
                "line",
                "label",
                "qty",
                "unit_price_ttc",
                "total_ttc",
            ],
        )?;
        let mut events = Table::create(
            folder,
            "order_events.csv",
            &["order", "number", "local_time", "operator", "what"],
        )?;
        for o in views {
            let status = serde_json::to_value(o.status)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            let fulfilment = serde_json::to_value(o.fulfilment)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            orders.row(&[
                o.id.clone().into(),
                o.number.clone().into(),
                o.created.clone().into(),
                status.into(),
                o.customer.name.clone().into(),
                o.customer.phone.clone().into(),
                o.customer.email.clone().into(),
                o.customer.address.clone().into(),
                o.requested_date.clone().into(),
                fulfilment.into(),
                relais_core::Money(o.total_cents).into(),
                relais_core::Money(o.deposits_cents).into(),
                relais_core::Money(o.balance_cents).into(),
                o.sale.clone().into(),
                o.note.clone().into(),
            ])?;
            for (index, l) in o.lines.iter().enumerate() {
                lines.row(&[
                    o.number.clone().into(),
                    Cell::Int(index as i64 + 1),
                    l.label.clone().into(),
                    // Three decimals, as every quantity of the bundle (the view's text is "1").
                    match relais_core::Qty::parse(&l.qty) {
                        Ok(qty) => Cell::Qty(qty),
                        Err(_) => l.qty.clone().into(),
                    },
                    relais_core::Money(l.unit_price_cents).into(),
                    relais_core::Money(l.total_cents).into(),
                ])?;
            }
            for h in &o.history {
                events.row(&[
                    o.number.clone().into(),
                    h.number.clone().into(),
                    h.local_time.clone().into(),
                    h.operator.clone().into(),
                    h.what.clone().into(),
                ])?;
            }
        }
        tables::finish_all([orders, lines, events])
    }
}

/// products_created.csv: the products created at the counter within the range (from their
/// journal events, which say what they were created as).
pub(crate) fn write_products(folder: &Path, gathered: &Gathered) -> Result<Vec<BundleFile>> {
    let mut table = Table::create(
        folder,
        "products_created.csv",
        &[
            "event",
            "barcode",
            "sku",
            "label",
            "price_ttc",
            "vat_rate",
            "department",
        ],
    )?;
    for (number, d) in &gathered.created_products {
        let text = |key: &str| d[key].as_str().map(String::from);
        table.row(&[
            number.clone().into(),
            text("barcode").into(),
            text("sku").into(),
            text("label").into(),
            relais_core::Money(d["price_cents"].as_i64().unwrap_or(0)).into(),
            Cell::Rate(relais_core::VatRate(
                d["vat_rate_bp"].as_u64().unwrap_or(0) as u32
            )),
            text("department").into(),
        ])?;
    }
    table.finish()
}

impl Gathered {
    fn take(&mut self, record: &Record, local: &str) -> Result<()> {
        self.summarizer
            .add(record)
            .map_err(|_| StoreError::InvalidInput("amount out of range".into()))?;
        *self
            .counts
            .entry(record.kind().code().to_string())
            .or_default() += 1;
        let series = record.kind().series().code().to_string();
        self.first_seq.entry(series.clone()).or_insert(record.seq);
        self.last_seq.insert(series, record.seq);
        if let Body::DayOpen(_) = record.body {
            self.open_day = Some(record.business_day.clone());
        }
        let earlier = self
            .open_day
            .as_ref()
            .is_some_and(|open| &record.business_day < open);
        if record.body.ticket().is_some() && earlier {
            self.late
                .entry(record.business_day.clone())
                .or_default()
                .add(record)
                .map_err(|_| StoreError::InvalidInput("amount out of range".into()))?;
        }
        if record.body.ticket().is_some() {
            let day = &record.business_day;
            if self.first_day.as_ref().is_none_or(|d| day < d) {
                self.first_day = Some(day.clone());
            }
            if self.last_day.as_ref().is_none_or(|d| day > d) {
                self.last_day = Some(day.clone());
            }
        }
        match &record.body {
            Body::Order(_) => {
                self.note_order(record.id.to_string());
                self.order_records
                    .entry(record.id.to_string())
                    .or_default()
                    .insert(0, record.clone());
            }
            Body::OrderEvent(e) => {
                self.note_order(e.order.id.to_string());
                self.order_records
                    .entry(e.order.id.to_string())
                    .or_default()
                    .push(record.clone());
            }
            Body::Deposit(d) => {
                self.note_order(d.order.id.to_string());
                self.order_records
                    .entry(d.order.id.to_string())
                    .or_default()
                    .push(record.clone());
            }
            Body::Event(e) if e.name == EventType::ProductCreated.name() => {
                self.created_products
                    .push((record.number(), e.details.clone()));
            }
            _ => {}
        }
        self.report.take(record, local);
        Ok(())
    }

    /// The totals of [`Gathered::late`], per day.
    fn late_totals(&mut self) -> Result<BTreeMap<String, relais_core::closure::PeriodTotals>> {
        std::mem::take(&mut self.late)
            .into_iter()
            .map(|(day, summarizer)| {
                let totals = summarizer
                    .finish()
                    .map_err(|_| StoreError::InvalidInput("amount out of range".into()))?;
                Ok((day, totals))
            })
            .collect()
    }

    fn note_order(&mut self, id: String) {
        if !self.orders.contains(&id) {
            self.orders.push(id);
        }
    }
}

/// Every file of a bundle folder, relative, with `/` (for tests and tools).
pub fn collect_bundle_files(folder: &Path, out: &mut Vec<String>) {
    let _ = bundle::collect_files(folder, folder, out);
}

/// Writes a whole file and returns its entry.
fn write_file(folder: &Path, name: &str, bytes: &[u8]) -> Result<BundleFile> {
    let mut file = HashingFile::create(&folder.join(name))?;
    file.write_all(bytes)
        .map_err(|e| StoreError::io(folder.join(name), e))?;
    let (sha256, size) = file.finish()?;
    Ok(BundleFile {
        path: name.into(),
        sha256,
        bytes: size,
    })
}

#[cfg(test)]
mod alteration_tests;
#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod tests;
