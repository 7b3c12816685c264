//! Applying checked rows to the catalogue, inside the import's transaction: insert or update
//! by SKU, barcode or label, price history, departments created on the way, and the faster
//! road of a first import.

use super::Checked;
use crate::catalog::index::BULK_INDEXES;
use crate::error::Result;
use relais_core::catalog::{normalize, Department, ParsedRow, RowProblem};
use relais_core::VatRate;
use rusqlite::{params, CachedStatement, Connection, OptionalExtension};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Imported,
    Updated,
    Unchanged,
}

/// The product fields an import compares to decide whether a row changes anything.
struct Current {
    label: String,
    price_cents: i64,
    vat_rate_bp: u32,
    department: Option<String>,
    unit: String,
}

impl Current {
    fn is(&self, wanted: &Wanted<'_>) -> bool {
        self.label == wanted.label
            && self.price_cents == wanted.price_cents
            && self.vat_rate_bp == wanted.vat_rate_bp
            && self.department.as_deref() == wanted.department
            && self.unit == wanted.unit
    }
}

/// What a row asks a product to be, borrowed from the row (no copies on the way to SQLite).
struct Wanted<'r> {
    label: &'r str,
    label_norm: &'r str,
    price_cents: i64,
    vat_rate_bp: u32,
    department: Option<&'r str>,
    unit: &'static str,
}

/// The statements run for every row, prepared once (rather than looked up by their text
/// in the statement cache a few million times).
struct Statements<'a> {
    insert_product: CachedStatement<'a>,
    insert_barcode: CachedStatement<'a>,
    product_by_sku: CachedStatement<'a>,
    barcode_owner: CachedStatement<'a>,
}

impl<'a> Statements<'a> {
    fn new(tx: &'a Connection) -> Result<Self> {
        Ok(Statements {
            insert_product: tx.prepare_cached(
                "INSERT INTO products (sku, label, label_norm, price_cents, vat_rate_bp, department, unit,
                                       created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?,
            insert_barcode: tx
                .prepare_cached("INSERT OR IGNORE INTO barcodes (code, product_id) VALUES (?1, ?2)")?,
            product_by_sku: tx.prepare_cached("SELECT id FROM products WHERE sku = ?1")?,
            barcode_owner: tx.prepare_cached("SELECT product_id FROM barcodes WHERE code = ?1")?,
        })
    }
}

/// Applies rows inside one transaction, with the departments known so far.
pub(super) struct Applier<'a> {
    tx: &'a Connection,
    statements: Statements<'a>,
    at: String,
    source: String,
    departments: HashMap<String, Rc<Department>>,
    /// Departments by the exact text of the file, to skip normalising it on every row.
    by_raw_name: HashMap<String, Rc<Department>>,
    default_rate: VatRate,
    pub created: Vec<String>,
    /// Into an empty catalogue: labels are indexed for search all together after the
    /// import, not row by row, and a row whose keys the file had not given before (see
    /// [`SeenKeys`]) needs no lookup.
    first_import: bool,
    /// The label index is dropped for a first import (see `BULK_INDEXES`); a row that
    /// can only be matched by its label brings it back at once.
    label_index_dropped: bool,
    /// A first import's new barcodes, written many to a statement (see [`Self::flush`]).
    pending_barcodes: Vec<(String, i64)>,
}

/// The index of [`BULK_INDEXES`] a row with neither SKU nor barcode is matched by.
const LABEL_INDEX: &str = "products_label_norm";

/// The SKUs and barcodes of the rows read so far, with the line of the row that gave each.
/// A row repeating one is refused, the first kept: two rows of one file for one product are
/// a mistake to show, not to settle by the last one silently winning. So every row applied
/// by an import into an empty catalogue has keys new to it, cannot match a product nor own
/// a barcode of one, and needs no lookup at all (five b-tree searches a row, the better
/// part of a million-row import).
pub(super) struct SeenKeys {
    skus: FxHashMap<Box<str>, usize>,
    barcodes: FxHashMap<Box<str>, usize>,
}

/// A key an earlier row of the file gave: the key, that row's line, whether it is a SKU.
pub(super) struct Repeated(pub String, pub usize, pub bool);

impl SeenKeys {
    /// Room for the keys of about `rows` rows, so that the maps are not grown again and again.
    pub(super) fn with_capacity(rows: usize) -> Self {
        SeenKeys {
            skus: FxHashMap::with_capacity_and_hasher(rows, Default::default()),
            barcodes: FxHashMap::with_capacity_and_hasher(rows + rows / 2, Default::default()),
        }
    }

    /// Records the keys of the row on `line`, or names one an earlier row gave (and records
    /// none of them).
    pub(super) fn record(&mut self, row: &ParsedRow, line: usize) -> Result<(), Repeated> {
        if let Some(sku) = &row.sku {
            if let Some(&first) = self.skus.get(sku.as_str()) {
                return Err(Repeated(sku.clone(), first, true));
            }
        }
        for code in &row.barcodes {
            if let Some(&first) = self.barcodes.get(code.as_str()) {
                return Err(Repeated(code.clone(), first, false));
            }
        }
        if let Some(sku) = &row.sku {
            self.skus.insert(sku.as_str().into(), line);
        }
        for code in &row.barcodes {
            self.barcodes.insert(code.as_str().into(), line);
        }
        Ok(())
    }
}

/// Barcodes one statement writes when pending ones are flushed.
const BARCODES_PER_STATEMENT: usize = 256;

/// Pending barcodes are written as they reach this number: while the other core still reads
/// rows, rather than all at the end (1 000 000 rows by the CLI: 13.6 s → 12.2 s, A/B
/// interleaved; peak memory 560 → 490 MB).
const FLUSH_EVERY: usize = 64 * BARCODES_PER_STATEMENT;

/// `OR FAIL`: a failing statement aborts the whole import anyway, so SQLite need not keep a
/// statement journal to undo its first rows (1M rows: 0.2 s of the writing core).
fn insert_barcodes_sql(rows: usize) -> String {
    let values = vec!["(?, ?)"; rows].join(", ");
    format!("INSERT OR FAIL INTO barcodes (code, product_id) VALUES {values}")
}

fn bind_barcodes(statement: &mut rusqlite::Statement<'_>, rows: &[(String, i64)]) -> Result<()> {
    for (i, (code, id)) in rows.iter().enumerate() {
        statement.raw_bind_parameter(2 * i + 1, code)?;
        statement.raw_bind_parameter(2 * i + 2, id)?;
    }
    Ok(())
}

impl<'a> Applier<'a> {
    pub(super) fn new(
        tx: &'a Connection,
        at: String,
        source: String,
        first_import: bool,
    ) -> Result<Self> {
        let mut departments = HashMap::new();
        for department in crate::catalog::departments_of(tx)? {
            let department = Rc::new(department);
            departments.insert(normalize(&department.name), department.clone());
            departments.insert(normalize(&department.code), department);
        }
        let default_rate = departments
            .get("divers")
            .map(|d| d.vat_rate_bp)
            .unwrap_or(VatRate(2000));
        Ok(Applier {
            tx,
            statements: Statements::new(tx)?,
            at,
            source,
            departments,
            by_raw_name: HashMap::new(),
            default_rate,
            created: Vec::new(),
            first_import,
            label_index_dropped: false,
            pending_barcodes: Vec::new(),
        })
    }

    /// The department named in a row, created (with the row's VAT rate) when it is new.
    fn department(&mut self, name: &str, rate: Option<VatRate>) -> Result<Rc<Department>> {
        if let Some(found) = self.by_raw_name.get(name) {
            return Ok(found.clone());
        }
        let key = normalize(name);
        if let Some(found) = self.departments.get(&key).cloned() {
            self.by_raw_name.insert(name.to_string(), found.clone());
            return Ok(found);
        }
        let mut code: String = key
            .to_uppercase()
            .replace(' ', "_")
            .chars()
            .take(16)
            .collect();
        if code.is_empty() {
            code = "RAYON".into();
        }
        while self.departments.values().any(|d| d.code == code) {
            code = format!("{}{}", &code[..code.len().min(14)], self.created.len() + 2);
        }
        let department = Rc::new(Department {
            code,
            name: name.to_string(),
            vat_rate_bp: rate.unwrap_or(self.default_rate),
            hidden: false,
        });
        self.tx.execute(
            "INSERT INTO departments (code, name, name_norm, vat_rate_bp, position)
             VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(position), 0) + 1 FROM departments))",
            params![
                department.code,
                department.name,
                key,
                department.vat_rate_bp.0
            ],
        )?;
        self.created.push(department.name.clone());
        self.departments.insert(key, department.clone());
        self.departments
            .insert(normalize(&department.code), department.clone());
        Ok(department)
    }

    pub(super) fn drop_bulk_indexes(&mut self) -> Result<()> {
        for (name, _) in BULK_INDEXES {
            self.tx.execute_batch(&format!("DROP INDEX {name}"))?;
        }
        self.label_index_dropped = true;
        Ok(())
    }

    fn restore_label_index(&mut self) -> Result<()> {
        if std::mem::take(&mut self.label_index_dropped) {
            if let Some((_, sql)) = BULK_INDEXES.iter().find(|(name, _)| *name == LABEL_INDEX) {
                self.tx.execute_batch(sql)?;
            }
        }
        Ok(())
    }

    fn existing(&mut self, row: &ParsedRow, label_norm: &str) -> Result<Option<i64>> {
        if let Some(sku) = &row.sku {
            return Ok(self
                .statements
                .product_by_sku
                .query_row([sku], |r| r.get(0))
                .optional()?);
        }
        for code in &row.barcodes {
            if let Some(id) = self.barcode_owner(code)? {
                return Ok(Some(id));
            }
        }
        if row.barcodes.is_empty() {
            self.restore_label_index()?;
            return Ok(self
                .tx
                .prepare_cached(
                    "SELECT id FROM products WHERE sku IS NULL AND label_norm = ?1 LIMIT 1",
                )?
                .query_row([label_norm], |r| r.get(0))
                .optional()?);
        }
        Ok(None)
    }

    /// The product owning `code`, or another form of the same GTIN (one recorded before
    /// codes were kept canonical: `712345678911` for `0712345678911`).
    fn barcode_owner(&mut self, code: &str) -> Result<Option<i64>> {
        self.flush()?;
        let owner = &mut self.statements.barcode_owner;
        if let Some(id) = owner.query_row([code], |r| r.get(0)).optional()? {
            return Ok(Some(id));
        }
        for form in relais_core::catalog::barcode_forms(code) {
            if let Some(id) = owner.query_row([form], |r| r.get(0)).optional()? {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Writes the pending barcodes, 256 to a statement: one statement per
    /// barcode cost twice SQLite's own work of inserting it (2 000 000 barcodes of the bench
    /// catalogue: 4.2 s, against 2.9 s this way). Done before any barcode is looked up, every
    /// [`FLUSH_EVERY`] barcodes, and at the end of the import.
    pub(super) fn flush(&mut self) -> Result<()> {
        if self.pending_barcodes.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending_barcodes);
        let mut chunks = pending.chunks_exact(BARCODES_PER_STATEMENT);
        let mut full = self
            .tx
            .prepare_cached(&insert_barcodes_sql(BARCODES_PER_STATEMENT))?;
        for chunk in &mut chunks {
            bind_barcodes(&mut full, chunk)?;
            full.raw_execute()?;
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = self.tx.prepare(&insert_barcodes_sql(rest.len()))?;
            bind_barcodes(&mut last, rest)?;
            last.raw_execute()?;
        }
        Ok(())
    }

    /// Inserts or updates the row's product; the outcome and the VAT rate it got, or why the
    /// row cannot be applied.
    pub(super) fn apply(
        &mut self,
        checked: &Checked,
    ) -> Result<std::result::Result<(Outcome, VatRate), RowProblem>> {
        let row = &checked.row;
        let department = match &row.department {
            Some(name) => Some(self.department(name, row.vat_rate_bp)?),
            None => None,
        };
        let rate = row
            .vat_rate_bp
            .or(department.as_ref().map(|d| d.vat_rate_bp))
            .unwrap_or(self.default_rate);
        // A first import's row with keys new to the file: nothing to look up (a row with
        // neither SKU nor barcode is still matched by its label).
        let fresh = self.first_import
            && checked.keys_new
            && (row.sku.is_some() || !row.barcodes.is_empty());
        let existing = match fresh {
            true => None,
            false => self.existing(row, &checked.label_norm)?,
        };
        for code in row.barcodes.iter().filter(|_| !fresh) {
            if let Some(owner) = self.barcode_owner(code)? {
                if Some(owner) != existing {
                    return Ok(Err(RowProblem::DuplicateBarcode(code.clone())));
                }
            }
        }
        let wanted = Wanted {
            label: &row.label,
            label_norm: &checked.label_norm,
            price_cents: row.price_cents.0,
            vat_rate_bp: rate.0,
            department: department.as_ref().map(|d| d.code.as_str()),
            unit: row.unit.code(),
        };
        if let Some(plu) = &row.plu {
            let owner: Option<i64> = self
                .tx
                .prepare_cached("SELECT id FROM products WHERE plu = ?1")?
                .query_row([plu], |r| r.get(0))
                .optional()?;
            if owner.is_some() && owner != existing {
                return Ok(Err(RowProblem::DuplicatePlu(plu.clone())));
            }
        }
        let (mut outcome, id) = match existing {
            Some(id) => (self.update(id, row, &wanted)?, id),
            None => self.insert(row, &wanted, fresh)?,
        };
        if let Some(plu) = &row.plu {
            let changed = self
                .tx
                .prepare_cached("UPDATE products SET plu = ?2 WHERE id = ?1 AND plu IS NOT ?2")?
                .execute(params![id, plu])?;
            if changed > 0 && outcome == Outcome::Unchanged {
                outcome = Outcome::Updated;
            }
        }
        Ok(Ok((outcome, rate)))
    }

    fn insert(&mut self, row: &ParsedRow, p: &Wanted<'_>, fresh: bool) -> Result<(Outcome, i64)> {
        self.statements.insert_product.execute(params![
            row.sku,
            p.label,
            p.label_norm,
            p.price_cents,
            p.vat_rate_bp,
            p.department,
            p.unit,
            self.at
        ])?;
        let id = self.tx.last_insert_rowid();
        if !self.first_import {
            self.tx
                .prepare_cached("INSERT INTO product_fts (rowid, label_norm) VALUES (?1, ?2)")?
                .execute(params![id, p.label_norm])?;
        }
        self.add_barcodes(id, &row.barcodes, fresh)?;
        Ok((Outcome::Imported, id))
    }

    fn update(&mut self, id: i64, row: &ParsedRow, wanted: &Wanted<'_>) -> Result<Outcome> {
        let current = self
            .tx
            .prepare_cached("SELECT label, price_cents, vat_rate_bp, department, unit FROM products WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(Current { label: r.get(0)?, price_cents: r.get(1)?, vat_rate_bp: r.get(2)?, department: r.get(3)?, unit: r.get(4)? })
            })?;
        let added = self.add_barcodes(id, &row.barcodes, false)?;
        if current.is(wanted) {
            return Ok(if added {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            });
        }
        if current.label != wanted.label && !self.first_import {
            self.tx
                .prepare_cached("INSERT INTO product_fts (product_fts, rowid, label_norm) VALUES ('delete', ?1, ?2)")?
                .execute(params![id, normalize(&current.label)])?;
            self.tx
                .prepare_cached("INSERT INTO product_fts (rowid, label_norm) VALUES (?1, ?2)")?
                .execute(params![id, wanted.label_norm])?;
        }
        let new_price =
            (current.price_cents, current.vat_rate_bp) != (wanted.price_cents, wanted.vat_rate_bp);
        if new_price {
            crate::catalog::keep_first_price(self.tx, id)?;
        }
        self.tx
            .prepare_cached(
                "UPDATE products SET label = ?2, label_norm = ?3, price_cents = ?4, vat_rate_bp = ?5,
                                     department = ?6, unit = ?7, updated_at = ?8 WHERE id = ?1",
            )?
            .execute(params![id, wanted.label, wanted.label_norm, wanted.price_cents, wanted.vat_rate_bp,
                             wanted.department, wanted.unit, self.at])?;
        if new_price {
            self.history(id, wanted)?;
        }
        Ok(Outcome::Updated)
    }

    /// Adds the barcodes a product does not have yet; true if any was added. The `fresh`
    /// barcodes of a first import wait in `pending_barcodes`: they cannot be in the database.
    fn add_barcodes(&mut self, id: i64, codes: &[String], fresh: bool) -> Result<bool> {
        if codes.is_empty() {
            return Ok(false);
        }
        if fresh {
            self.pending_barcodes
                .extend(codes.iter().map(|code| (code.clone(), id)));
            if self.pending_barcodes.len() >= FLUSH_EVERY {
                self.flush()?;
            }
            return Ok(true);
        }
        let mut added = false;
        self.flush()?;
        for code in codes {
            added |= self.statements.insert_barcode.execute(params![code, id])? > 0;
        }
        Ok(added)
    }

    fn history(&self, id: i64, p: &Wanted<'_>) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO price_history (product_id, price_cents, vat_rate_bp, since, source) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![id, p.price_cents, p.vat_rate_bp, self.at, self.source])?;
        Ok(())
    }
}
