//! A first import (into an empty catalogue) takes a faster road: it drops two indexes and
//! builds them again at the end, skips lookups for keys it has not written, and indexes the
//! labels for search at the end (or, for a big one, after it). Each file here must end as the same catalogue (products,
//! price histories, search), with the same schema, as a row-by-row import gives.

use super::*;
use crate::tests::init_store;

/// (file, products expected: (label, price) in id order, rows rejected). A row repeating a
/// SKU or barcode of an earlier row is refused, the first kept.
type Case = (&'static str, &'static [(&'static str, i64)], u64);

const CASES: &[Case] = &[
    // SKUs only; the second BAG01 is refused.
    (
        "Référence;Libellé;Prix\nBAG01;Baguette;1,20\nCRO01;Croissant;1,10\nBAG01;Baguette tradition;1,30\n",
        &[("Baguette", 120), ("Croissant", 110)],
        1,
    ),
    // Barcodes only; a row repeating the first one's code is refused.
    (
        "EAN;Libellé;Prix\n3760000000017;Crème;2,35\n4006381333931;Stylo;1,50\n3760000000017;Crème fraîche;2,40\n",
        &[("Crème", 235), ("Stylo", 150)],
        1,
    ),
    // Labels only: matched by label, which needs the label index in the middle of the import.
    (
        "Libellé;Prix\nPain de mie;2,00\nBrioche;3,50\nPain de mie;2,10\n",
        &[("Pain de mie", 210), ("Brioche", 350)],
        0,
    ),
    // A mix, the label-only row last.
    (
        "Référence;EAN;Libellé;Prix\nA1;3760000000017;Crème;2,35\n;4006381333931;Stylo;1,50\n;;Brioche;3,50\n;;Brioche;3,60\n",
        &[("Crème", 235), ("Stylo", 150), ("Brioche", 360)],
        0,
    ),
    // Departments, one of them created by the import.
    (
        "Référence;EAN;Libellé;Prix;Rayon\nP1;3760000000017;Pain;1,00;Boulangerie\nS1;;Sel;0,50;Alimentation\nP2;;Pain complet;1,05;Boulangerie\n",
        &[("Pain", 100), ("Sel", 50), ("Pain complet", 105)],
        0,
    ),
];

/// The import writes with SQLite's foreign-key checks off (see `import_catalog`): every
/// reference it wrote must still hold, and the checks must be back on.
fn references_hold(store: &Store, file: &str) {
    let broken: Vec<(String, i64)> = all(store, "PRAGMA foreign_key_check", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    });
    assert_eq!(broken, [], "{file}: references to no row");
    let on: bool = store
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(on, "{file}: foreign keys are checked again");
}

/// Every row of a query, mapped.
fn all<T>(
    store: &Store,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    let mut statement = store.conn.prepare(sql).unwrap();
    let rows = statement.query_map(params, map).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

fn indexes(store: &Store) -> Vec<(String, String)> {
    all(
        store,
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Each product (but those of `skip`): label, price, and its price history without dates.
type Product = (String, i64, Vec<(i64, String)>);

fn products(store: &Store, skip: &str) -> Vec<Product> {
    let rows: Vec<(i64, String, i64)> = all(
        store,
        "SELECT id, label, price_cents FROM products WHERE label <> ?1 ORDER BY id",
        [skip],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    );
    rows.into_iter()
        .map(|(id, label, price)| {
            let history = store.price_history(id).unwrap();
            let history = history
                .into_iter()
                .map(|p| (p.price_cents, p.source))
                .collect();
            (label, price, history)
        })
        .collect()
}

/// What a search for each product's label finds first (the same product, by its label).
fn found_by_label(store: &Store) -> Vec<String> {
    let labels: Vec<String> = all(store, "SELECT label FROM products ORDER BY id", [], |r| {
        r.get(0)
    });
    labels
        .iter()
        .map(|label| store.search_products(label, 1).unwrap()[0].label.clone())
        .collect()
}

/// A catalogue that is not empty: a product created at the counter, with its own barcode.
const SEED: &str = "Produit de la caisse";

fn seeded_store(dir: &std::path::Path) -> Store {
    let mut store = init_store(dir);
    let seed = NewProduct {
        barcode: Some("2000000000015".into()),
        label: SEED.into(),
        price_cents: 100,
        ..NewProduct::default()
    };
    store.create_product_as(&seed, "manager").unwrap();
    store
}

#[test]
fn a_first_import_ends_as_row_by_row_imports_do() {
    let modes = [(false, false), (true, false), (false, true)];
    for (file, expected, rejected) in CASES {
        for (dry_run, index_later) in modes {
            let dir = tempfile::tempdir().unwrap();
            let mut store = init_store(dir.path());
            if index_later {
                store.index_after = 1;
            }
            let schema = indexes(&store);
            assert!(schema.iter().any(|(name, _)| name == "products_label_norm"));
            let path = dir.path().join("prix.csv");
            std::fs::write(&path, file).unwrap();
            let options = ImportOptions {
                dry_run,
                operator: "manager".into(),
                ..ImportOptions::default()
            };
            let report = store.import_catalog_as(&path, &options).unwrap();
            assert_eq!(report.rejected, *rejected, "{file}");
            references_hold(&store, file);
            if index_later {
                let count = expected.len() as u64;
                assert_eq!(store.search_index_pending().unwrap(), count, "{file}");
                let labels: Vec<&str> = expected.iter().map(|(l, _)| *l).collect();
                assert_eq!(
                    found_by_label(&store),
                    labels,
                    "{file}: found before indexing"
                );
                store.finish_search_index().unwrap();
            }
            assert_eq!(
                indexes(&store),
                schema,
                "{file}: the indexes are as in the schema"
            );
            let got = products(&store, SEED);
            let labels: Vec<(String, i64)> = got.iter().map(|(l, p, _)| (l.clone(), *p)).collect();
            let wanted: Vec<(String, i64)> = match dry_run {
                true => Vec::new(),
                false => expected.iter().map(|(l, p)| (l.to_string(), *p)).collect(),
            };
            assert_eq!(labels, wanted, "{file} (dry run: {dry_run})");
            if dry_run {
                continue;
            }
            assert_eq!(
                found_by_label(&store),
                labels.iter().map(|l| l.0.clone()).collect::<Vec<_>>()
            );
            // The same file into a catalogue that is not empty: row by row, same result.
            let mut row_by_row = seeded_store(&dir.path().join("seeded"));
            row_by_row.import_catalog_as(&path, &options).unwrap();
            references_hold(&row_by_row, file);
            assert_eq!(products(&row_by_row, SEED), got, "{file}, row by row");
            // And again into the first: the same products (a file that changes a price twice
            // adds to the history each time).
            let again = store.import_catalog_as(&path, &options).unwrap();
            assert_eq!(again.imported, 0, "{file}");
            references_hold(&store, file);
            let after: Vec<(String, i64)> = products(&store, SEED)
                .into_iter()
                .map(|(l, p, _)| (l, p))
                .collect();
            assert_eq!(after, labels, "{file}, imported again");
        }
    }
}
