//! Hostile input and hostile hands: random tampering with the database (triggers dropped),
//! and random input to every reader. Nothing may go unnoticed; nothing may panic or be
//! half-written. More cases: PROPTEST_CASES=10000 cargo test -p relais-store robustness.

use crate::export::{verify_bundle, ExportOptions};
use crate::tests::{init_store, sale};
use crate::{Store, DB_FILE};
use proptest::prelude::*;
use rusqlite::{params, Connection};
use std::path::Path;

/// A small deterministic generator, so a failure names a reproducible mutation.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn ledger(dir: &Path) -> Store {
    let mut store = init_store(dir);
    for price in 100..130 {
        store.record_sale_as(&sale(price), None).unwrap();
    }
    store
        .void_sale_as("T1-000003", "erreur", "a", None)
        .unwrap();
    store.reprint_as("T1-000004", "a").unwrap();
    store
}

const COLUMNS: [&str; 11] = [
    "id",
    "kind",
    "series",
    "seq",
    "at",
    "business_day",
    "operator",
    "total_cents",
    "body",
    "prev_hash",
    "hash",
];

/// One random single mutation of the ledger; returns what it did, or None if it changed
/// nothing (then it is not counted).
fn mutate(conn: &Connection, rng: &mut Rng) -> Option<String> {
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS ledger_no_update; DROP TRIGGER IF EXISTS ledger_no_delete;
         DROP TRIGGER IF EXISTS chain_head_forward; DROP TRIGGER IF EXISTS chain_head_no_delete;",
    )
    .unwrap();
    let last: i64 = conn
        .query_row("SELECT MAX(pos) FROM ledger", [], |r| r.get(0))
        .unwrap();
    let pos = 1 + rng.below(last as u64) as i64;
    match rng.below(5) {
        0 => {
            let column = COLUMNS[rng.below(COLUMNS.len() as u64) as usize];
            let value: rusqlite::types::Value = conn
                .query_row(
                    &format!("SELECT {column} FROM ledger WHERE pos = ?1"),
                    [pos],
                    |r| r.get(0),
                )
                .unwrap();
            let changed = match value {
                rusqlite::types::Value::Integer(i) => {
                    rusqlite::types::Value::Integer(i + 1 + rng.below(3) as i64)
                }
                rusqlite::types::Value::Null => {
                    rusqlite::types::Value::Integer(rng.below(1000) as i64)
                }
                rusqlite::types::Value::Text(text) => {
                    let mut chars: Vec<char> = text.chars().collect();
                    let at = rng.below(chars.len() as u64) as usize;
                    let replacement =
                        ['0', '7', 'a', 'z', '"', '}', ' ', 'é'][rng.below(8) as usize];
                    if chars[at] == replacement {
                        return None;
                    }
                    chars[at] = replacement;
                    rusqlite::types::Value::Text(chars.into_iter().collect())
                }
                other => other,
            };
            conn.execute(
                &format!("UPDATE ledger SET {column} = ?1 WHERE pos = ?2"),
                params![changed, pos],
            )
            .ok()?;
            Some(format!("changed {column} at position {pos}"))
        }
        1 => {
            conn.execute("DELETE FROM ledger WHERE pos = ?1", [pos])
                .unwrap();
            Some(format!("deleted position {pos}"))
        }
        2 => {
            let other = 1 + rng.below(last as u64) as i64;
            if other == pos {
                return None;
            }
            conn.execute_batch(&format!(
                "UPDATE ledger SET pos = 1000000 WHERE pos = {pos}; UPDATE ledger SET pos = {pos} WHERE pos = {other};
                 UPDATE ledger SET pos = {other} WHERE pos = 1000000;"
            ))
            .unwrap();
            Some(format!("swapped positions {pos} and {other}"))
        }
        3 => {
            // A copy of a record inserted at the end, with the head moved to it as well.
            conn.execute(
                "INSERT INTO ledger (pos, id, kind, series, seq, at, business_day, operator, total_cents, body, prev_hash, hash)
                 SELECT ?2, id || 'x', kind, series, seq + 100000, at, business_day, operator, total_cents, body, prev_hash, hash FROM ledger WHERE pos = ?1",
                params![pos, last + 1],
            )
            .unwrap();
            conn.execute(
                "UPDATE chain_head SET pos = ?1, hash = (SELECT hash FROM ledger WHERE pos = ?1)",
                [last + 1],
            )
            .unwrap();
            Some(format!("copied position {pos} to the end"))
        }
        _ => {
            conn.execute("DELETE FROM ledger WHERE pos = ?1", [last])
                .unwrap();
            conn.execute(
                "UPDATE chain_head SET pos = ?1, hash = (SELECT hash FROM ledger WHERE pos = ?1)",
                [last - 1],
            )
            .unwrap();
            Some("deleted the last record and moved the head back".into())
        }
    }
}

/// Hundreds of random single mutations of the ledger rows: every one is detected.
#[test]
fn hundreds_of_random_mutations_are_all_detected() {
    let dir = tempfile::tempdir().unwrap();
    drop(ledger(dir.path()));
    let pristine = dir.path().join("pristine");
    std::fs::create_dir_all(&pristine).unwrap();
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
    }
    for file in [DB_FILE, crate::HEAD_FILE, "till.key"] {
        std::fs::copy(dir.path().join(file), pristine.join(file)).unwrap();
    }
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut tried, mut detected) = (0, 0);
    while tried < 300 {
        let work = tempfile::tempdir().unwrap();
        for file in [DB_FILE, crate::HEAD_FILE, "till.key"] {
            std::fs::copy(pristine.join(file), work.path().join(file)).unwrap();
        }
        let conn = Connection::open(work.path().join(DB_FILE)).unwrap();
        let Some(what) = mutate(&conn, &mut rng) else {
            continue;
        };
        drop(conn);
        tried += 1;
        let store = Store::open(work.path()).unwrap();
        match store.verify().unwrap().defect {
            Some(_) => detected += 1,
            None => panic!("mutation {tried} went unnoticed: {what}"),
        }
    }
    eprintln!("tampering: {detected} of {tried} random mutations detected");
    assert_eq!(detected, tried);
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e6f64..1e6).prop_map(serde_json::Value::from),
        "[a-z0-9,.€ -]{0,8}".prop_map(serde_json::Value::from),
        prop_oneof![
            Just("cash"),
            Just("card"),
            Just("1,5"),
            Just("2000"),
            Just("Divers"),
            Just("deposit")
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("lines".to_string()),
                    Just("payments".to_string()),
                    Just("label".to_string()),
                    Just("unit_price_cents".to_string()),
                    Just("vat_rate_bp".to_string()),
                    Just("qty".to_string()),
                    Just("method".to_string()),
                    Just("amount_cents".to_string()),
                    Just("tendered_cents".to_string()),
                    Just("operator".to_string()),
                    Just("barcode".to_string()),
                    Just("discount_percent".to_string()),
                    Just("late".to_string()),
                    Just("sold_at".to_string()),
                    Just("slip".to_string()),
                ],
                inner,
                0..6,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Any JSON thrown at the sale input: no panic; refused sales write nothing.
    #[test]
    fn random_sale_json_never_panics_nor_half_writes(value in json_value()) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        let before = store.status().unwrap().records;
        let parsed: Result<relais_core::SaleInput, _> = serde_json::from_value(value);
        if let Ok(input) = parsed {
            let outcome = store.record_sale_as(&input, Some("fuzz"));
            let after = store.status().unwrap().records;
            if outcome.is_err() {
                prop_assert_eq!(before, after);
            } else {
                prop_assert!(after > before);
            }
        }
        prop_assert!(store.verify().unwrap().defect.is_none());
    }

    /// Paper spreadsheets of random rows: no panic, strict is all or nothing.
    #[test]
    fn random_paper_files_never_panic(rows in proptest::collection::vec(
        ("(2[0-9]/11/2026|2026-11-2[0-9]|x|)", "[0-9]{0,3}", "[A-Za-zé ]{0,6}", "[0-9]{0,2}([,.][0-9]{0,3})?", "[0-9]{0,2}([,.][0-9])?", "(Espèces|CB|Chèque|zz|)"),
        0..30), strict in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        let mut text = String::from("Date;Bordereau;Libellé;Prix;TVA;Paiement\n");
        for (date, slip, label, price, vat, method) in rows {
            text += &format!("{date};{slip};{label};{price};{vat};{method}\n");
        }
        let file = dir.path().join("papier.csv");
        std::fs::write(&file, text).unwrap();
        let options = crate::PaperOptions { strict, operator: "fuzz".into(), ..Default::default() };
        if let Ok(report) = store.import_paper_as(&file, &options) {
            let sales = store.status().unwrap().sales;
            if strict && report.slips_rejected > 0 {
                prop_assert_eq!(sales, 0);
            } else {
                prop_assert_eq!(sales, report.slips_recorded);
            }
        }
        prop_assert!(store.verify().unwrap().defect.is_none());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 3, ..ProptestConfig::default() })]

    /// A bundle with random bytes changed: the reader never panics, and never says intact.
    #[test]
    fn random_damage_to_a_bundle_is_reported_never_panics(edits in proptest::collection::vec((any::<u32>(), any::<u8>(), any::<u32>()), 1..4)) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(&dir.path().join("till"));
        store.record_sale_as(&sale(150), None).unwrap();
        let report = store.export_as(&ExportOptions { out: dir.path().join("usb"), operator: "fuzz".into(), ..Default::default() }).unwrap();
        let folder = Path::new(&report.folder);
        let mut files = Vec::new();
        crate::export::collect_bundle_files(folder, &mut files);
        let mut changed = false;
        for (which, byte, at) in edits {
            let path = folder.join(&files[which as usize % files.len()]);
            let mut bytes = std::fs::read(&path).unwrap();
            if bytes.is_empty() {
                continue;
            }
            let at = at as usize % bytes.len();
            changed |= bytes[at] != byte;
            bytes[at] = byte;
            std::fs::write(&path, bytes).unwrap();
        }
        let verdict = verify_bundle(folder);
        if changed {
            prop_assert!(!verdict.map(|v| v.ok).unwrap_or(false));
        }
    }
}
