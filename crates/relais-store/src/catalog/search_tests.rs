//! Spelling label prefixes out as words (`terms.rs`) finds exactly what the FTS5 prefix
//! query finds, in the same order, whichever way the labels came in: a first import, a
//! re-import that renames, a product created at the counter, a till migrated from before.

use super::*;
use crate::tests::init_store;

const WORDS: &[&str] = &[
    "marche", "martin", "mardi", "lait", "laitiere", "cafe", "creme", "cremeux", "pain", "pate",
    "pates", "bio", "blanc", "bonne", "noir", "extra", "x6", "250g", "œuf",
];

/// 3000 labels of three or four words from WORDS (the same every run): common prefixes
/// match far more than the 500 candidates a search ranks.
fn catalogue_csv() -> String {
    let mut seed: u64 = 12345;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut csv = String::from("Référence;Libellé;Prix\n");
    for i in 0..3000 {
        let count = 3 + next() % 2;
        let label: Vec<&str> = (0..count).map(|_| WORDS[next() % WORDS.len()]).collect();
        csv.push_str(&format!("R{i:05};{};1,{:02}\n", label.join(" "), i % 100));
    }
    csv
}

/// A folder holding the catalogue of [`catalogue_csv`], and the options to import it with.
fn catalogue_file() -> (tempfile::TempDir, std::path::PathBuf, ImportOptions) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("catalogue.csv");
    std::fs::write(&file, catalogue_csv()).unwrap();
    let options = ImportOptions {
        operator: "manager".into(),
        ..ImportOptions::default()
    };
    (dir, file, options)
}

fn queries() -> Vec<String> {
    let mut queries = Vec::new();
    for word in WORDS.iter().map(|w| normalize(w)) {
        for n in 1..=word.len().min(4) {
            queries.push(word[..n].to_string());
        }
        queries.push(format!("{} {}", &word[..2.min(word.len())], "ma"));
        queries.push(format!("{word} bi"));
    }
    queries.extend(["z", "zan", "quet ver", "mar lai cre", "nothing"].map(String::from));
    // Short prefixes beside longer ones, and only short ones.
    queries.extend(
        [
            "p bio", "bio p", "m p", "c l bo", "l", "p m c", "x p", "2 p", "o c",
        ]
        .map(String::from),
    );
    queries
}

fn assert_same_results(store: &Store, when: &str) {
    for query in queries() {
        let ids = |spell_out| -> Vec<i64> {
            store
                .search_with(&query, 50, spell_out)
                .unwrap()
                .into_iter()
                .map(|p| p.id)
                .collect()
        };
        assert_eq!(ids(true), ids(false), "{when}: {query:?}");
    }
}

#[test]
fn spelt_out_prefixes_find_what_prefix_queries_find() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let file = dir.path().join("catalogue.csv");
    std::fs::write(&file, catalogue_csv()).unwrap();
    let options = ImportOptions {
        operator: "manager".into(),
        ..ImportOptions::default()
    };
    store.import_catalog_as(&file, &options).unwrap();
    assert_eq!(
        terms::fts_query(&store.conn, "pat bio", true).unwrap(),
        terms::FtsQuery {
            text: r#"("pate" OR "pates") AND ("bio")"#.into(),
            check: Vec::new(),
        }
    );
    // "p" starts more words (pain, pate, pates) than the tests' bound (2).
    assert_eq!(
        terms::fts_query(&store.conn, "p bio", true).unwrap(),
        terms::FtsQuery {
            text: r#"("bio")"#.into(),
            check: vec!["p".into()],
        }
    );
    let candidates: i64 = store
        .conn
        .query_row(
            "SELECT COUNT(*) FROM product_fts WHERE product_fts MATCH '\"ma\"*'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(candidates > 500, "more matches than ranked: {candidates}");
    assert_same_results(&store, "first import");

    // A re-import renames a product (new words), the counter creates one.
    std::fs::write(
        &file,
        "Référence;Libellé;Prix\nR00007;Zanzibar marche;2,00\n",
    )
    .unwrap();
    store.import_catalog_as(&file, &options).unwrap();
    let new = NewProduct {
        label: "Quetzal vert".into(),
        price_cents: 100,
        ..NewProduct::default()
    };
    store.create_product_as(&new, "alice").unwrap();
    for query in ["zan", "quet ver"] {
        assert_eq!(store.search_products(query, 5).unwrap().len(), 1, "{query}");
    }
    assert_same_results(&store, "after a rename and a creation");

    // A till from before the words table: the migration fills it from the labels.
    store.conn.execute_batch("DROP TABLE label_terms").unwrap();
    store.conn.execute_batch(crate::schema::V6).unwrap();
    assert_same_results(&store, "after the migration");
}

/// The ids each query finds.
fn results(store: &Store) -> Vec<Vec<i64>> {
    queries()
        .iter()
        .map(|query| {
            let found = store.search_products(query, 50).unwrap();
            found.into_iter().map(|p| p.id).collect()
        })
        .collect()
}

#[test]
fn a_search_finds_the_same_while_a_big_first_import_is_being_indexed() {
    let (dir, file, options) = catalogue_file();
    let mut indexed = init_store(&dir.path().join("indexed"));
    indexed.import_catalog_as(&file, &options).unwrap();
    assert_eq!(indexed.search_index_pending().unwrap(), 0);
    let wanted = results(&indexed);

    let mut later = init_store(&dir.path().join("later"));
    later.index_after = 3000;
    later.import_catalog_as(&file, &options).unwrap();
    assert_eq!(later.search_index_pending().unwrap(), 3000);
    assert_eq!(
        later.product_by_code("R00042").unwrap().unwrap().label,
        indexed.product_by_code("R00042").unwrap().unwrap().label,
        "sellable at once"
    );
    // Step by step: the label index, then 1000 labels at a time.
    let mut step = 0;
    loop {
        assert_eq!(results(&later), wanted, "after {step} steps");
        if !later.write(|tx| index::index_step(tx, 1000)).unwrap() {
            break;
        }
        step += 1;
    }
    assert_eq!(step, 4, "the label index, three chunks");
    assert_eq!(later.search_index_pending().unwrap(), 0);
    let schema = |store: &Store| -> Vec<String> {
        store
            .conn
            .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(schema(&later), schema(&indexed));
    let fts_rows = |store: &Store| -> i64 {
        store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM product_fts WHERE product_fts MATCH 'pain OR lait OR cafe'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(fts_rows(&later), fts_rows(&indexed));
}

/// FTS5's own check that its index holds exactly the labels of the products.
fn fts_integrity(store: &Store) -> rusqlite::Result<usize> {
    store.conn.execute(
        "INSERT INTO product_fts (product_fts, rank) VALUES ('integrity-check', 1)",
        [],
    )
}

/// Changing the catalogue while a first import's indexing is left finishes it first: the
/// full-text index stays exact (a rename removes the old words from it).
#[test]
fn changing_the_catalogue_finishes_the_indexing_first() {
    let (dir, file, options) = catalogue_file();
    let rename = dir.path().join("rename.csv");
    std::fs::write(
        &rename,
        "Référence;Libellé;Prix\nR00007;Zanzibar marche;2,00\n",
    )
    .unwrap();
    let new = NewProduct {
        label: "Quetzal vert".into(),
        price_cents: 100,
        ..NewProduct::default()
    };
    type Change = fn(&mut Store, &std::path::Path, &ImportOptions, &NewProduct);
    let changes: [(&str, Change); 2] = [
        ("re-import", |store, rename, options, _| {
            store.import_catalog_as(rename, options).unwrap();
        }),
        ("counter product", |store, _, _, new| {
            store.create_product_as(new, "alice").unwrap();
        }),
    ];
    for (name, change) in changes {
        let mut store = init_store(&dir.path().join(name));
        store.index_after = 1;
        store.import_catalog_as(&file, &options).unwrap();
        assert_eq!(store.search_index_pending().unwrap(), 3000, "{name}");
        assert!(
            fts_integrity(&store).is_err(),
            "{name}: labels not indexed yet"
        );
        change(&mut store, &rename, &options, &new);
        assert_eq!(store.search_index_pending().unwrap(), 0, "{name}");
        assert_same_results(&store, name);
        let fts_integrity = store.conn.execute(
            "INSERT INTO product_fts (product_fts, rank) VALUES ('integrity-check', 1)",
            [],
        );
        assert!(fts_integrity.is_ok(), "{name}: {fts_integrity:?}");
    }
}
