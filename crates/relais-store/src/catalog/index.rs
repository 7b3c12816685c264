//! The catalogue's search structures that a big first import leaves to be built after it:
//! the full-text index of the labels (`product_fts`), the label index (labels starting with
//! what was typed) and the barcodes-by-product index.
//!
//! Building them is a third of a million-product import. Left for after it, the import is
//! done (every product sellable by barcode or SKU) that much sooner, and the till builds them
//! in the background in short transactions (`Store::finish_search_index`), a sale slipping in
//! between two. Until then every search still gives the same products in the same order:
//! what is not indexed yet is read from the products themselves (see `search_with`).
//!
//! The state is one settings row, written in the import's own transaction: the first product
//! id whose label is not in the full-text index yet. It goes when the last chunk is indexed.
//! Any other change to the catalogue (an import, a product created at the counter) finishes
//! the indexing first, so the row only ever describes products of that first import.

use crate::error::Result;
use crate::Store;
use rusqlite::{Connection, OptionalExtension};

/// The settings key of the first product id not yet in the full-text index.
const PENDING_KEY: &str = "search_index_from";

/// A first import of at least this many products leaves its indexing for after it; a
/// smaller one indexes inside its transaction (50 000 labels: about a quarter of a second).
pub(crate) const INDEX_AFTER_FROM: u64 = 50_000;

/// Indexes a first import drops and builds again once its rows are in: SQLite builds an
/// index from sorted keys several times faster than it inserts a million keys in random
/// order. Each is created exactly as in the schema (tested). The SKU and barcode keys stay:
/// they are what makes a row match a product.
pub(crate) const BULK_INDEXES: &[(&str, &str)] = &[(
    "products_label_norm",
    "CREATE INDEX products_label_norm ON products (label_norm)",
)];

/// Products whose labels one statement indexes for search: FTS5 keeps a statement's terms in
/// memory and writes them out at its end, and a single statement over a million rows took
/// three times as long as ten over a hundred thousand each (5.2 s against 2 s by hand).
const INDEX_CHUNK: i64 = 100_000;

/// The first product id not yet in the full-text index, if a first import left some.
pub(crate) fn pending_from(conn: &Connection) -> Result<Option<i64>> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([PENDING_KEY], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

fn set_pending_from(tx: &Connection, from: Option<i64>) -> Result<()> {
    match from {
        Some(from) => tx.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            rusqlite::params![PENDING_KEY, from.to_string()],
        )?,
        None => tx.execute("DELETE FROM settings WHERE key = ?1", [PENDING_KEY])?,
    };
    Ok(())
}

/// Marks every product from `from` on as not yet indexed, with the bulk indexes dropped:
/// what a big first import leaves.
pub(crate) fn leave_for_later(tx: &Connection, from: i64) -> Result<()> {
    set_pending_from(tx, Some(from))
}

pub(crate) fn index_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

/// Builds whichever of [`BULK_INDEXES`] is missing.
pub(crate) fn restore_bulk_indexes(tx: &Connection) -> Result<()> {
    for (name, sql) in BULK_INDEXES {
        if !index_exists(tx, name)? {
            tx.execute_batch(sql)?;
        }
    }
    Ok(())
}

/// Indexes the labels of the products with ids in `from..to` for search.
fn index_labels_between(tx: &Connection, from: i64, to: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO product_fts (rowid, label_norm)
         SELECT id, label_norm FROM products WHERE id >= ?1 AND id < ?2",
    )?
    .execute([from, to])?;
    Ok(())
}

fn last_product(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(id), 0) FROM products", [], |r| {
            r.get(0)
        })?,
    )
}

/// Indexes every product's label for search, in chunks of [`INDEX_CHUNK`] products: how a
/// first import under [`INDEX_AFTER_FROM`] products does it, inside its transaction.
pub(crate) fn index_labels(tx: &Connection) -> Result<()> {
    let last = last_product(tx)?;
    for start in (1..=last).step_by(INDEX_CHUNK as usize) {
        index_labels_between(tx, start, start + INDEX_CHUNK)?;
    }
    Ok(())
}

/// One step of finishing the indexing, in the caller's transaction: a missing index, or the
/// next `chunk` labels. False once nothing is left.
pub(crate) fn index_step(tx: &Connection, chunk: i64) -> Result<bool> {
    let Some(from) = pending_from(tx)? else {
        return Ok(false);
    };
    for (name, sql) in BULK_INDEXES {
        if !index_exists(tx, name)? {
            tx.execute_batch(sql)?;
            return Ok(true);
        }
    }
    let to = from + chunk;
    index_labels_between(tx, from, to)?;
    set_pending_from(tx, (to <= last_product(tx)?).then_some(to))?;
    Ok(true)
}

impl Store {
    /// How many products a first import left out of the search index (0 when it is whole).
    pub fn search_index_pending(&self) -> Result<u64> {
        Ok(match pending_from(&self.conn)? {
            Some(from) => (last_product(&self.conn)? - from + 1).max(0) as u64,
            None => 0,
        })
    }

    /// Builds what a big first import left (see the module's notes), one short transaction
    /// per index or chunk of labels so that sales go on meanwhile. Safe to run from two
    /// connections at once: each step reads where the work stands inside its transaction.
    pub fn finish_search_index(&mut self) -> Result<()> {
        while self.write(|tx| index_step(tx, INDEX_CHUNK))? {}
        Ok(())
    }
}
