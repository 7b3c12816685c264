//! The catalogue in SQLite: departments, products and barcodes, exact lookup, label search,
//! and products created at the counter. Nothing is loaded into memory at start-up: every
//! lookup is an indexed query, so opening a till does not depend on the catalogue's size.

mod departments;
mod import;
mod index;
pub(crate) mod read;
mod scale;
mod terms;

pub(crate) use import::Received;
pub use import::{
    write_rejects, write_rejects_csv, ColumnChoice, ImportOptions, ImportReport, PreviewRow, Reject,
};
pub(crate) use index::INDEX_AFTER_FROM;
pub use read::SourceInfo;
pub use scale::Scanned;
pub(crate) use scale::{resolve_label, rules_of as scale_rules_of};

use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::Actor;
use crate::Store;
use relais_core::catalog::{barcode_forms, normalize, normalize_barcode, Department, Unit};
use relais_core::text;
use relais_core::time::format_instant;
use relais_core::{Body, EventData, EventType, VatRate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;
use ts_rs::TS;

/// A product as the counter and the CLI see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProductView {
    #[ts(type = "number")]
    pub id: i64,
    pub sku: Option<String>,
    pub barcodes: Vec<String>,
    pub label: String,
    #[ts(type = "number")]
    pub price_cents: i64,
    pub vat_rate_bp: u32,
    pub department: Option<String>,
    pub unit: String,
    /// Created at the counter during the outage: to be created in the SaaS too.
    pub created_offline: bool,
}

/// A product typed in at the counter for a barcode the catalogue does not know.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct NewProduct {
    pub barcode: Option<String>,
    pub sku: Option<String>,
    pub label: String,
    #[ts(type = "number")]
    pub price_cents: i64,
    /// Defaults to the department's rate.
    pub vat_rate_bp: Option<u32>,
    pub department: Option<String>,
    pub unit: Option<String>,
}

const PRODUCT_COLUMNS: &str =
    "p.id, p.sku, p.label, p.price_cents, p.vat_rate_bp, p.department, p.unit, \
     p.created_offline, (SELECT group_concat(code, ' ') FROM barcodes b WHERE b.product_id = p.id)";

fn product_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ProductView> {
    let barcodes: Option<String> = r.get(8)?;
    Ok(ProductView {
        id: r.get(0)?,
        sku: r.get(1)?,
        label: r.get(2)?,
        price_cents: r.get(3)?,
        vat_rate_bp: r.get(4)?,
        department: r.get(5)?,
        unit: r.get(6)?,
        created_offline: r.get(7)?,
        barcodes: barcodes
            .map(|b| b.split(' ').map(String::from).collect())
            .unwrap_or_default(),
    })
}

pub(crate) fn product_by_id(conn: &Connection, id: i64) -> Result<Option<ProductView>> {
    // Cached: a search reads up to its limit of products one by one, and preparing this
    // statement costs more than running it.
    let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], product_from_row)
        .optional()?)
}

/// The product with this barcode, else with this SKU.
pub(crate) fn product_by_code(conn: &Connection, code: &str) -> Result<Option<ProductView>> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    let mut by_barcode_query =
        conn.prepare_cached("SELECT product_id FROM barcodes WHERE code = ?1")?;
    let mut by_barcode = by_barcode_query
        .query_row([code.to_ascii_uppercase()], |r| r.get::<_, i64>(0))
        .optional()?;
    // A GTIN may be stored under another form than scanned (`712345678911` kept before
    // codes were made canonical, `0712345678911` read by the scanner): both sell.
    for form in barcode_forms(code) {
        if by_barcode.is_some() {
            break;
        }
        by_barcode = by_barcode_query
            .query_row([form], |r| r.get(0))
            .optional()?;
    }
    let id = match by_barcode {
        Some(id) => Some(id),
        None => conn
            .prepare_cached("SELECT id FROM products WHERE sku = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?,
    };
    id.map_or(Ok(None), |id| product_by_id(conn, id))
}

pub(crate) fn department(conn: &Connection, code_or_name: &str) -> Result<Option<Department>> {
    Ok(conn
        .query_row(
            "SELECT code, name, vat_rate_bp, hidden FROM departments WHERE code = ?1 OR name_norm = ?2",
            params![code_or_name.trim().to_uppercase(), normalize(code_or_name)],
            department_row,
        )
        .optional()?)
}

/// Whether a row read for a search has a word starting with each of `prefixes` (an error
/// passes, to be returned).
fn passes<S: AsRef<str>>(row: &rusqlite::Result<(i64, String)>, prefixes: &[S]) -> bool {
    match row {
        Ok((_, label)) => prefixes
            .iter()
            .all(|prefix| terms::has_word_starting(label, prefix.as_ref())),
        Err(_) => true,
    }
}

/// How well a label matches the query's words: whole words beat prefixes, the first word
/// of the label counts more, shorter labels come first.
fn score(label_norm: &str, tokens: &[&str]) -> (u32, usize) {
    let words: Vec<&str> = label_norm.split(' ').collect();
    let mut points = 0;
    for token in tokens {
        if words.contains(token) {
            points += 10;
        }
        if words.first().is_some_and(|w| w.starts_with(token)) {
            points += 5;
        }
    }
    (points, label_norm.len())
}

impl Store {
    pub fn departments(&self) -> Result<Vec<Department>> {
        departments_of(&self.conn)
    }

    /// Adds or changes a department; the change is journaled (JET 270).
    pub fn set_department(
        &mut self,
        code: &str,
        name: &str,
        vat_rate_bp: u32,
        by: &Actor,
    ) -> Result<Department> {
        let operator = by.name();
        let config = self.require_config()?.clone();
        let code = code.trim().to_uppercase();
        let name = name.trim();
        if code.is_empty() || code.len() > 16 || name.is_empty() {
            return Err(StoreError::Invalid(text!(
                fr: "un rayon a un code (16 caractères au plus) et un nom",
                en: "a department needs a code (≤ 16) and a name",
            )));
        }
        if !config.vat_rates.contains(&VatRate(vat_rate_bp)) {
            return Err(StoreError::Invalid(text!(
                fr: format!("le taux de TVA {} n'est pas un taux de cette caisse", VatRate(vat_rate_bp)),
                en: format!("VAT rate {} is not one of this till's", VatRate(vat_rate_bp)),
            )));
        }
        let namesake: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT code, name FROM departments WHERE name_norm = ?1 AND code <> ?2",
                params![normalize(name), code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((other, its_name)) = namesake {
            return Err(StoreError::Invalid(text!(
                fr: format!("le rayon {other} s'appelle déjà « {its_name} » : choisissez un autre nom"),
                en: format!("department {other} is already called \"{its_name}\": choose another name"),
            )));
        }
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO departments (code, name, name_norm, vat_rate_bp, position)
                 VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(position), 0) + 1 FROM departments))
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_norm = excluded.name_norm,
                                                  vat_rate_bp = excluded.vat_rate_bp",
                params![code, name, normalize(name), vat_rate_bp],
            )?;
            let event = EventData::new(
                EventType::SettingsChange,
                format!("Rayon {code} : {name}, TVA {}", VatRate(vat_rate_bp)),
                json!({"department": code, "name": name, "vat_rate_bp": vat_rate_bp}),
            );
            append(tx, &config, now, NewRecord::new(Body::Event(event), operator))?;
            Ok(())
        })?;
        self.after_commit();
        department(&self.conn, &code)?.ok_or_else(|| {
            StoreError::NotFound(text!(fr: "rayon {code} introuvable", en: "no department {code}"))
        })
    }

    /// Exact lookup by barcode (what a scanner sends) or SKU.
    pub fn product_by_code(&self, code: &str) -> Result<Option<ProductView>> {
        product_by_code(&self.conn, code)
    }

    pub fn catalog_size(&self) -> Result<u64> {
        // Products are never deleted, so the highest id is their number, found in one step
        // (COUNT(*) would read the whole table: opening a till must not grow with it).
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM products", [], |r| {
                r.get(0)
            })?)
    }

    /// Finds products for what someone typed: an exact barcode or SKU first, then labels
    /// starting with the text, then labels containing every word as a word prefix, in any
    /// order, accents and case ignored ("creme cafe" finds "Café crème").
    pub fn search_products(&self, query: &str, limit: usize) -> Result<Vec<ProductView>> {
        self.search_with(query, limit, true)
    }

    /// The search, with the label prefixes spelt out as words or left as FTS5 prefix
    /// queries (the tests check both give the same products).
    fn search_with(&self, query: &str, limit: usize, spell_out: bool) -> Result<Vec<ProductView>> {
        let normalized = normalize(query);
        if normalized.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let conn = self.searcher()?;
        let mut found: Vec<ProductView> = Vec::with_capacity(limit);
        let mut seen: HashSet<i64> = HashSet::new();
        if !query.trim().contains(' ') {
            if let Some(product) = product_by_code(conn, query)? {
                seen.insert(product.id);
                found.push(product);
            }
        }
        let starting: Vec<i64> = conn
            .prepare_cached(
                "SELECT id FROM products WHERE label_norm >= ?1 AND label_norm < ?2
                 ORDER BY label_norm LIMIT ?3",
            )?
            .query_map(
                params![normalized, format!("{normalized}\u{10FFFF}"), limit as i64],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let tokens: Vec<&str> = normalized.split(' ').collect();
        let fts = terms::fts_query(conn, &normalized, spell_out)?;
        let mut statement = conn.prepare_cached(
            "SELECT p.id, p.label_norm FROM product_fts f JOIN products p ON p.id = f.rowid
             WHERE product_fts MATCH ?1",
        )?;
        let id_and_label = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get::<_, String>(1)?));
        let indexed = statement
            .query_map([&fts.text], id_and_label)?
            .filter(|row| passes(row, &fts.check));
        // Products a first import left out of the index (for a few seconds after it) are
        // read from the table, after the indexed ones: all in rowid order, as one index.
        let mut unindexed =
            conn.prepare_cached("SELECT id, label_norm FROM products WHERE id >= ?1 ORDER BY id")?;
        let not_yet = index::pending_from(conn)?.unwrap_or(i64::MAX);
        let unindexed = unindexed
            .query_map([not_yet], id_and_label)?
            .filter(|row| passes(row, &tokens));
        // Rows come lazily in rowid order: taking the first 500 that pass the checks stops
        // the reading there.
        let mut containing: Vec<(i64, (u32, usize), String)> = indexed
            .chain(unindexed)
            .take(500)
            .map(|row| row.map(|(id, label): (i64, String)| (id, score(&label, &tokens), label)))
            .collect::<rusqlite::Result<_>>()?;
        containing.sort_by(|a, b| {
            b.1 .0
                .cmp(&a.1 .0)
                .then(a.1 .1.cmp(&b.1 .1))
                .then(a.2.cmp(&b.2))
        });
        let ids = starting
            .into_iter()
            .chain(containing.into_iter().map(|c| c.0));
        for id in ids {
            if found.len() >= limit {
                break;
            }
            if seen.insert(id) {
                if let Some(product) = product_by_id(conn, id)? {
                    found.push(product);
                }
            }
        }
        Ok(found)
    }

    /// Creates a product at the counter (marked as created offline, journaled).
    pub fn create_product(&mut self, new: &NewProduct, by: &Actor) -> Result<ProductView> {
        let operator = by.name();
        let config = self.require_config()?.clone();
        let label = new.label.split_whitespace().collect::<Vec<_>>().join(" ");
        if label.is_empty() || label.chars().count() > relais_core::sale::MAX_TEXT {
            return Err(StoreError::Invalid(text!(
                fr: "un libellé de 1 à 200 caractères est obligatoire",
                en: "a label of 1 to 200 characters is required",
            )));
        }
        if new.price_cents < 0 {
            return Err(StoreError::Invalid(
                text!(fr: "le prix ne peut pas être négatif", en: "the price must not be negative"),
            ));
        }
        let barcode = new
            .barcode
            .as_deref()
            .filter(|b| !b.trim().is_empty())
            .map(normalize_barcode)
            .transpose()
            .map_err(|e| StoreError::Invalid(e.text()))?;
        let department_code = new.department.as_deref().unwrap_or("DIVERS");
        let department = department(&self.conn, department_code)?.ok_or_else(|| {
            StoreError::NotFound(text!(
                fr: "rayon {department_code} introuvable",
                en: "no department {department_code}",
            ))
        })?;
        let rate = VatRate(new.vat_rate_bp.unwrap_or(department.vat_rate_bp.0));
        if !config.vat_rates.contains(&rate) {
            return Err(StoreError::Invalid(text!(
                fr: "le taux de TVA {rate} n'est pas un taux de cette caisse",
                en: "VAT rate {rate} is not one of this till's",
            )));
        }
        let unit = match new.unit.as_deref() {
            None => Unit::Piece,
            Some(u) => Unit::parse(u).ok_or_else(|| {
                StoreError::Invalid(text!(
                    fr: "unité inconnue (pièce, kg, l, m)",
                    en: "unknown unit (piece, kg, l, m)",
                ))
            })?,
        };
        let sku = new.sku.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if index::pending_from(&self.conn)?.is_some() {
            self.finish_search_index()?;
        }
        let now = self.now();
        let at = format_instant(now);
        let id = self.write(|tx| {
            if let Some(code) = &barcode {
                if product_by_code(tx, code)?.is_some() {
                    return Err(StoreError::Invalid(text!(
                        fr: "le code-barres {code} est déjà au catalogue",
                        en: "barcode {code} is already in the catalogue",
                    )));
                }
            }
            tx.execute(
                "INSERT INTO products (sku, label, label_norm, price_cents, vat_rate_bp, department, unit,
                                       created_offline, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8)",
                params![sku, label, normalize(&label), new.price_cents, rate.0, department.code, unit.code(), at],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute("INSERT INTO product_fts (rowid, label_norm) VALUES (?1, ?2)", params![id, normalize(&label)])?;
            terms::add_label(tx, &normalize(&label))?;
            if let Some(code) = &barcode {
                tx.execute("INSERT INTO barcodes (code, product_id) VALUES (?1, ?2)", params![code, id])?;
            }
            let event = EventData::new(
                EventType::ProductCreated,
                format!("Produit créé en caisse : {label}"),
                json!({"product_id": id, "barcode": barcode, "sku": sku, "label": label,
                       "price_cents": new.price_cents, "vat_rate_bp": rate.0, "department": department.code}),
            );
            append(tx, &config, now, NewRecord::new(Body::Event(event), operator))?;
            Ok(id)
        })?;
        self.after_commit();
        product_by_id(&self.conn, id)?.ok_or_else(|| {
            StoreError::NotFound(text!(fr: "produit {id} introuvable", en: "no product {id}"))
        })
    }
}

/// A price a product has had, from `since` until the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricePoint {
    pub price_cents: i64,
    pub vat_rate_bp: u32,
    pub since: String,
    /// `import:FILE` for a change by an import; for a first price, `import` or `counter`.
    pub source: String,
}

impl Store {
    /// Every price a product has had, oldest first. A product's first price is written to
    /// `price_history` only when a second one replaces it (see `keep_first_price`): a
    /// million-product import writes no history at all. Until then it is the product's own.
    pub fn price_history(&self, product_id: i64) -> Result<Vec<PricePoint>> {
        let point = |r: &rusqlite::Row<'_>| {
            Ok(PricePoint {
                price_cents: r.get(0)?,
                vat_rate_bp: r.get(1)?,
                since: r.get(2)?,
                source: r.get(3)?,
            })
        };
        let written: Vec<PricePoint> = self
            .conn
            .prepare_cached(
                "SELECT price_cents, vat_rate_bp, since, source FROM price_history
                 WHERE product_id = ?1 ORDER BY rowid",
            )?
            .query_map([product_id], point)?
            .collect::<rusqlite::Result<_>>()?;
        if !written.is_empty() {
            return Ok(written);
        }
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT price_cents, vat_rate_bp, created_at, {FIRST_PRICE_SOURCE} FROM products WHERE id = ?1"
            ))?
            .query_map([product_id], point)?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// Where a product's first price came from, in SQL over `products`.
pub(crate) const FIRST_PRICE_SOURCE: &str =
    "CASE WHEN created_offline THEN 'counter' ELSE 'import' END";

/// Writes a product's first price to `price_history` if it is not there yet: called before
/// its price changes for the first time.
pub(crate) fn keep_first_price(tx: &rusqlite::Connection, product_id: i64) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO price_history (product_id, price_cents, vat_rate_bp, since, source)
         SELECT id, price_cents, vat_rate_bp, created_at, {FIRST_PRICE_SOURCE} FROM products
         WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM price_history WHERE product_id = ?1)"
    ))?
    .execute([product_id])?;
    Ok(())
}

/// The departments, in their display order.
pub(crate) fn departments_of(conn: &rusqlite::Connection) -> Result<Vec<Department>> {
    let mut statement = conn.prepare(
        "SELECT code, name, vat_rate_bp, hidden FROM departments ORDER BY position, code",
    )?;
    let rows = statement.query_map([], department_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A department read by `SELECT code, name, vat_rate_bp, hidden`.
fn department_row(r: &rusqlite::Row) -> rusqlite::Result<Department> {
    Ok(Department {
        code: r.get(0)?,
        name: r.get(1)?,
        vat_rate_bp: VatRate(r.get(2)?),
        hidden: r.get::<_, i64>(3)? != 0,
    })
}

#[cfg(test)]
mod file_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod bulk_tests;
#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod search_tests;
