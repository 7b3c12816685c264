//! A first import (into an empty catalogue) takes a faster road: it drops three indexes and
//! builds them again at the end, and skips lookups for keys it has not written. Each file
//! here must end as the same catalogue, with the same schema, as row-by-row imports give.

use super::*;
use crate::tests::init_store;

/// (file, products expected: (label, price) in id order).
type Case = (&'static str, &'static [(&'static str, i64)]);

const CASES: &[Case] = &[
    // SKUs only; the second BAG01 updates the first.
    (
        "Référence;Libellé;Prix\nBAG01;Baguette;1,20\nCRO01;Croissant;1,10\nBAG01;Baguette tradition;1,30\n",
        &[("Baguette tradition", 130), ("Croissant", 110)],
    ),
    // Barcodes only; a row shares the first one's code and updates it.
    (
        "EAN;Libellé;Prix\n3760000000017;Crème;2,35\n4006381333931;Stylo;1,50\n3760000000017;Crème fraîche;2,40\n",
        &[("Crème fraîche", 240), ("Stylo", 150)],
    ),
    // Labels only: matched by label, which needs the label index in the middle of the import.
    (
        "Libellé;Prix\nPain de mie;2,00\nBrioche;3,50\nPain de mie;2,10\n",
        &[("Pain de mie", 210), ("Brioche", 350)],
    ),
    // A mix, the label-only row last.
    (
        "Référence;EAN;Libellé;Prix\nA1;3760000000017;Crème;2,35\n;4006381333931;Stylo;1,50\n;;Brioche;3,50\n;;Brioche;3,60\n",
        &[("Crème", 235), ("Stylo", 150), ("Brioche", 360)],
    ),
];

fn indexes(store: &Store) -> Vec<(String, String)> {
    store
        .conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn products(store: &Store) -> Vec<(String, i64)> {
    store
        .conn
        .prepare("SELECT label, price_cents FROM products ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_first_import_ends_as_row_by_row_imports_do() {
    for (file, expected) in CASES {
        for dry_run in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let mut store = init_store(dir.path());
            let schema = indexes(&store);
            assert!(schema.iter().any(|(name, _)| name == "products_label_norm"));
            let path = dir.path().join("prix.csv");
            std::fs::write(&path, file).unwrap();
            let options = ImportOptions {
                dry_run,
                operator: "manager".into(),
                ..ImportOptions::default()
            };
            let report = store.import_catalog(&path, &options).unwrap();
            assert_eq!(report.rejected, 0, "{file}");
            assert_eq!(
                indexes(&store),
                schema,
                "{file}: the indexes are as in the schema"
            );
            let wanted: Vec<(String, i64)> = match dry_run {
                true => Vec::new(),
                false => expected.iter().map(|(l, p)| (l.to_string(), *p)).collect(),
            };
            assert_eq!(products(&store), wanted, "{file} (dry run: {dry_run})");
            if !dry_run {
                // The same file again, into a catalogue that is no longer empty: same result.
                let again = store.import_catalog(&path, &options).unwrap();
                assert_eq!(again.imported, 0, "{file}");
                assert_eq!(products(&store), wanted, "{file}, imported again");
            }
        }
    }
}
