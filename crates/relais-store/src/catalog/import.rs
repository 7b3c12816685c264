//! Importing a price list: every valid row applied in one transaction, every bad row reported
//! with its line, column and reason; `strict` applies nothing when a row is bad; `dry_run`
//! (the app's preview) applies nothing at all.

mod apply;

use super::index;
use super::read::{SourceInfo, Table};
use super::terms::Terms;
use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::plural;
use crate::TillConfig;
use crate::{Manager, Store};
use apply::{Applier, Outcome, Repeated, SeenKeys};
use relais_core::catalog::{
    map_headers, normalize, parse_row, ColumnMap, Field, ParsedRow, RowError, RowProblem, VatRule,
};
use relais_core::text;
use relais_core::time::format_instant;
use relais_core::{Body, EventData, EventType, Text};
use serde::Serialize;
use serde_json::json;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// `COLUMN=FIELD` overrides of the automatic header mapping.
    pub map: Vec<String>,
    /// XLSX: the sheet to read (default: the first).
    pub sheet: Option<String>,
    /// Apply nothing if any row is bad.
    pub strict: bool,
    /// Apply nothing at all: report what would happen (the preview).
    pub dry_run: bool,
    /// How many valid rows to return in `preview`.
    pub preview_rows: usize,
    pub operator: String,
}

/// A price list received from another till of the shop (issue 26): the till, the file's
/// SHA-256, and the setting written with the import (the offer this till holds then).
pub(crate) struct Received {
    pub from_till: String,
    pub sha256: String,
    pub setting: (&'static str, String),
}

/// A refused row: where, why, and its cells as they were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Reject {
    pub line: usize,
    pub column: Option<String>,
    /// Why, in both languages (the rejects file is in French).
    pub reason: Text,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    pub line: usize,
    pub sku: Option<String>,
    pub barcodes: Vec<String>,
    pub label: String,
    #[ts(type = "number")]
    pub price_cents: i64,
    pub vat_rate_bp: u32,
    pub department: Option<String>,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ColumnChoice {
    pub header: String,
    pub field: Field,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub file: String,
    pub source: SourceInfo,
    pub columns: Vec<ColumnChoice>,
    #[ts(type = "number")]
    pub imported: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub unchanged: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    pub departments_created: Vec<String>,
    pub rejects: Vec<Reject>,
    pub preview: Vec<PreviewRow>,
    /// False for a dry run, or a strict import with bad rows.
    pub applied: bool,
}

fn reject(line: usize, error: &RowError, cells: &[String]) -> Reject {
    Reject {
        line,
        column: error.column.clone(),
        reason: error.text(),
        cells: cells.to_vec(),
    }
}

fn preview_row(line: usize, row: &ParsedRow, rate: u32) -> PreviewRow {
    PreviewRow {
        line,
        sku: row.sku.clone(),
        barcodes: row.barcodes.clone(),
        label: row.label.clone(),
        price_cents: row.price_cents.0,
        vat_rate_bp: rate,
        department: row.department.clone(),
        unit: row.unit.code().into(),
    }
}

/// A row read from the file: checked, or refused with its reason.
struct ParsedLine {
    line: usize,
    cells: Cells,
    parsed: std::result::Result<Checked, RowError>,
}

/// A checked row, with its label already normalised on the reading core.
pub(super) struct Checked {
    pub row: ParsedRow,
    pub label_norm: String,
    /// Whether the row needs no lookup: an import into an empty catalogue, where no earlier
    /// row of the file gave its SKU or any of its barcodes (see `SeenKeys`).
    pub keys_new: bool,
}

/// A row's cells as read, kept for the rejects file: two allocations instead of one a cell,
/// since nearly every row is applied and dropped by the writing core.
struct Cells {
    text: String,
    ends: Vec<usize>,
}

impl Cells {
    fn new(cells: &[&str]) -> Self {
        let mut text = String::with_capacity(cells.iter().map(|c| c.len()).sum());
        let ends = cells
            .iter()
            .map(|cell| {
                text.push_str(cell);
                text.len()
            })
            .collect();
        Cells { text, ends }
    }

    fn to_vec(&self) -> Vec<String> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| self.text[start..end].to_string())
            .collect()
    }
}

const BATCH: usize = 512;

/// Reads and checks every row, sending them in batches; stops early if the writer is gone.
/// Returns the words of the labels read (see `terms`). For a first import, tells each row
/// whether its keys are new to the file (see [`SeenKeys`]).
fn read_rows(
    table: &Table,
    map: &ColumnMap,
    rule: &VatRule<'_>,
    first_import: bool,
    sender: std::sync::mpsc::SyncSender<Vec<ParsedLine>>,
) -> Result<Terms> {
    let mut batch = Vec::with_capacity(BATCH);
    let mut terms = Terms::default();
    let mut seen = SeenKeys::with_capacity(table.rows_hint());
    let outcome = table.for_each_row(|line, cells| {
        let parsed = parse_row(cells, map, rule).and_then(|row| {
            if let Err(Repeated(key, first, sku)) = seen.record(&row, line) {
                let field = if sku { Field::Sku } else { Field::Barcode };
                return Err(RowError {
                    column: map.column_of(field).map(|i| map.headers[i].clone()),
                    problem: RowProblem::RepeatedInFile {
                        key,
                        line: first,
                        sku,
                    },
                });
            }
            let label_norm = normalize(&row.label);
            terms.add(&label_norm);
            Ok(Checked {
                row,
                label_norm,
                keys_new: first_import,
            })
        });
        batch.push(ParsedLine {
            line,
            cells: Cells::new(cells),
            parsed,
        });
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            sender.send(full).map_err(|_| {
                StoreError::Invalid(text!(fr: "import interrompu", en: "import interrupted"))
            })?;
        }
        Ok(())
    });
    if !batch.is_empty() {
        let _ = sender.send(batch);
    }
    outcome.map(|()| terms)
}

/// Applies one checked row and counts it in the report.
fn apply_line(
    applier: &mut Applier<'_>,
    map: &ColumnMap,
    options: &ImportOptions,
    line: ParsedLine,
    report: &mut ImportReport,
) -> Result<()> {
    let checked = match line.parsed {
        Ok(checked) => checked,
        Err(error) => {
            report
                .rejects
                .push(reject(line.line, &error, &line.cells.to_vec()));
            return Ok(());
        }
    };
    let parsed = &checked.row;
    match applier.apply(&checked)? {
        Ok((outcome, rate)) => {
            match outcome {
                Outcome::Imported => report.imported += 1,
                Outcome::Updated => report.updated += 1,
                Outcome::Unchanged => report.unchanged += 1,
            }
            if report.preview.len() < options.preview_rows {
                report.preview.push(preview_row(line.line, parsed, rate.0));
            }
        }
        Err(problem) => {
            let column = map
                .column_of(Field::Barcode)
                .map(|i| map.headers[i].clone());
            report.rejects.push(reject(
                line.line,
                &RowError { column, problem },
                &line.cells.to_vec(),
            ));
        }
    }
    Ok(())
}

/// Why a header may not have been understood, after what was read: a title above the real
/// header, or the wrong delimiter guessed.
fn likely_cause(table: &Table) -> Text {
    let header_below = table
        .first_rows(20)
        .into_iter()
        .find(|(_, cells)| map_headers(cells, &[]).is_ok());
    if let Some((line, cells)) = header_below {
        let header = cells.join(" | ");
        return text!(
            fr: ". La ligne {line} (« {header} ») ressemble à l'en-tête : supprimez la ou les \
                 lignes de titre au-dessus d'elle et importez de nouveau",
            en: ". Line {line} ({header:?}) looks like the header: delete the title lines above \
                 it and import again",
        );
    }
    if table.headers.len() == 1 && table.info.delimiter.is_some() {
        return text!(
            fr: ". Une seule colonne a été lue : les colonnes sont peut-être séparées par un \
                 autre caractère que « ; », « , » ou une tabulation",
            en: ". Only one column was read: the columns may be separated by a character \
                 other than ;, , or a tab",
        );
    }
    text!(fr: "", en: "")
}

/// A dry run (the preview) keeps nothing; nor does a strict import with a bad row.
fn keeps_nothing(options: &ImportOptions, report: &ImportReport) -> bool {
    options.dry_run || (options.strict && report.rejected > 0)
}

/// SQLite page cache during an import, in KiB: a big import touches index pages all over;
/// with the default 2 MB cache they are spilled and read again and again. A million-product
/// catalogue (340 MB) fits: with half of it, pages were written out before the commit
/// (1M rows: 11.3 s against 10.7 s, average of three; peak memory 570 → 620 MB).
const IMPORT_CACHE_KIB: i64 = 512 * 1024;

impl Store {
    /// Imports a CSV or XLSX price list. See [`ImportOptions`].
    /// Managers only, once the till has staff (a preview too: it reads the shop's prices).
    /// Imported by `by` (made from the options' `operator`).
    pub fn import_catalog(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        by: &Manager,
    ) -> Result<ImportReport> {
        self.import_catalog_from(path, options, by.name(), None)
    }

    /// An import, made by `operator`; `received` when it is a price list another till of
    /// the shop offered (issue 26): its journal event names that till, and the offer is kept
    /// as this till's in the same transaction.
    pub(crate) fn import_catalog_from(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        operator: &str,
        received: Option<&Received>,
    ) -> Result<ImportReport> {
        let config = self.require_config()?.clone();
        let table = Table::open(path, options.sheet.as_deref())?;
        let file = path.display().to_string();
        let map = map_headers(&table.headers, &options.map).map_err(|e| {
            let read = table.describe();
            let cause = likely_cause(&table);
            StoreError::Invalid(text!(
                fr: format!("{file} : {} ; {}{}", e.text().fr, read.fr, cause.fr),
                en: format!("{file}: {e}; {}{}", read.en, cause.en),
            ))
        })?;
        let mut report = ImportReport {
            file,
            source: table.info.clone(),
            columns: map
                .headers
                .iter()
                .zip(&map.fields)
                .map(|(h, f)| ColumnChoice {
                    header: h.clone(),
                    field: *f,
                })
                .collect(),
            imported: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            departments_created: Vec::new(),
            rejects: Vec::new(),
            preview: Vec::new(),
            applied: false,
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.conn
            .pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        // Every product id and department code the import writes comes from its own inserts
        // and lookups in the same transaction; SQLite checking them again cost one lookup per
        // barcode and per product (1M rows: 0.5 s of the writing core). Tested after every
        // kind of import with `PRAGMA foreign_key_check`.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let outcome = self.import_rows(
            &table,
            &map,
            &config,
            options,
            operator,
            &name,
            &mut report,
            received,
        );
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.conn.pragma_update(None, "cache_size", -2000)?;
        outcome.map(|()| report)
    }

    #[allow(clippy::too_many_arguments)]
    fn import_rows(
        &mut self,
        table: &Table,
        map: &ColumnMap,
        config: &TillConfig,
        options: &ImportOptions,
        operator: &str,
        name: &str,
        report: &mut ImportReport,
        received: Option<&Received>,
    ) -> Result<()> {
        let now = self.now();
        let rule = VatRule {
            allowed: &config.vat_rates,
        };
        if index::pending_from(&self.conn)?.is_some() {
            self.finish_search_index()?;
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Into an empty catalogue, labels are indexed for search all together at the end,
        // several times faster than row by row; so are the indexes of BULK_INDEXES (or, for
        // a big catalogue, after the import: see `index`).
        let defer_fts: bool =
            tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM products)", [], |r| {
                r.get(0)
            })?;
        let kept = {
            let mut applier = Applier::new(
                &tx,
                format_instant(now),
                format!("import:{name}"),
                defer_fts,
            )?;
            if defer_fts {
                applier.drop_bulk_indexes()?;
            }
            // Two cores: one reads and checks rows while the other writes them to SQLite. The
            // writer stops now and then to write barcodes; 64 batches waiting (32 768 rows)
            // keep the reader going meanwhile (1M rows: 11.8 → 10.8 s, average of four, A/B
            // interleaved, against 8 batches).
            let terms = std::thread::scope(|scope| -> Result<Terms> {
                let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<ParsedLine>>(64);
                let reader = scope.spawn(move || read_rows(table, map, &rule, defer_fts, sender));
                for batch in receiver {
                    for line in batch {
                        apply_line(&mut applier, map, options, line, report)?;
                    }
                }
                reader.join().expect("the row reader does not panic")
            })?;
            report.departments_created = std::mem::take(&mut applier.created);
            report.rejected = report.rejects.len() as u64;
            if keeps_nothing(options, report) {
                // Rolled back below: the dropped indexes come back with it, without being
                // built again (a preview of a million rows is 2 s shorter).
                false
            } else {
                terms.save(&tx)?;
                applier.flush()?;
                true
            }
        };
        if !kept {
            tx.rollback()?;
            return Ok(());
        }
        if defer_fts {
            if report.imported >= self.index_after {
                let first: i64 =
                    tx.query_row("SELECT COALESCE(MIN(id), 1) FROM products", [], |r| {
                        r.get(0)
                    })?;
                index::leave_for_later(&tx, first)?;
            } else {
                index::restore_bulk_indexes(&tx)?;
                index::index_labels(&tx)?;
            }
        }
        let mut message = format!(
            "Import du catalogue {name} : {}, {} mis à jour, {}",
            plural::fr(report.imported, "créé", "créés"),
            report.updated,
            plural::fr(report.rejected, "rejeté", "rejetés")
        );
        let mut details = json!({"file": name, "imported": report.imported, "updated": report.updated,
               "unchanged": report.unchanged, "rejected": report.rejected,
               "format": report.source.format, "encoding": report.source.encoding});
        if let Some(offer) = received {
            message.push_str(&format!(
                " (liste de prix reçue de la caisse {})",
                offer.from_till
            ));
            details["from_till"] = json!(offer.from_till);
            details["sha256"] = json!(offer.sha256);
            crate::settings::put(&tx, offer.setting.0, &offer.setting.1)?;
        }
        let event = EventData::new(EventType::CatalogImport, message, details);
        append(
            &tx,
            config,
            now,
            NewRecord::new(Body::Event(event), operator),
        )?;
        tx.commit()?;
        self.after_commit();
        report.applied = true;
        Ok(())
    }
}

/// Writes the refused rows as a spreadsheet-friendly CSV (UTF-8 with BOM, `;`): line,
/// column, reason, then the row's original cells under the file's own headers.
pub fn write_rejects(path: &Path, report: &ImportReport) -> Result<()> {
    let headers: Vec<String> = report.columns.iter().map(|c| c.header.clone()).collect();
    write_rejects_csv(path, &headers, &report.rejects)
}

/// The same for any import: `headers` are the file's own column names.
pub fn write_rejects_csv(path: &Path, headers: &[String], rejects: &[Reject]) -> Result<()> {
    let io = |e: std::io::Error| StoreError::io(path, e);
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .from_writer(&mut out);
        let mut header = vec!["Ligne".to_string(), "Colonne".into(), "Motif".into()];
        header.extend(headers.iter().cloned());
        writer.write_record(&header).map_err(|e| io(e.into()))?;
        for r in rejects {
            let mut record = vec![
                r.line.to_string(),
                r.column.clone().unwrap_or_default(),
                r.reason.fr.clone(),
            ];
            record.extend(r.cells.iter().cloned());
            writer.write_record(&record).map_err(|e| io(e.into()))?;
        }
        writer.flush().map_err(io)?;
    }
    std::fs::write(path, out).map_err(io)
}
