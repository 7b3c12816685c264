use super::*;
use chrono::TimeZone;
use relais_core::{Defect, SaleInput, Shop};
use serde_json::json;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub(crate) fn init_store(dir: &Path) -> Store {
    let mut store = Store::open(dir).unwrap();
    store
        .init(&InitOptions {
            shop: Shop {
                name: "Boulangerie Test".into(),
                address: "1 rue du Four, 75001 Paris".into(),
                siret: "123 456 789 00012".into(),
                vat_number: "FR12123456789".into(),
            },
            till: "t1".into(),
            ..InitOptions::default()
        })
        .unwrap();
    store
}

/// Marie, a manager, and Paul, a cashier: the staff most tests need.
pub(crate) fn hire_marie_and_paul(store: &mut Store) {
    store
        .add_staff_as("Marie", crate::staff::Role::Manager, "1234", "setup")
        .unwrap();
    store
        .add_staff_as("Paul", crate::staff::Role::Cashier, "5678", "Marie")
        .unwrap();
}

pub(crate) fn sale(price: i64) -> SaleInput {
    serde_json::from_value(json!({
        "lines":[{"label":"Baguette","unit_price_cents":price,"vat_rate_bp":550,"qty":2}],
        "payments":[{"method":"cash","tendered_cents":price * 2 + 100}],
        "operator":"alice"
    }))
    .unwrap()
}

/// Makes every write to the ledger fail: a journal that cannot be written.
pub(crate) fn break_journal(store: &Store) {
    store
        .conn
        .execute_batch(
            "CREATE TRIGGER journal_fails BEFORE INSERT ON ledger
             BEGIN SELECT RAISE(ABORT, 'journal unavailable'); END;",
        )
        .unwrap();
}

pub(crate) fn repair_journal(store: &Store) {
    store
        .conn
        .execute_batch("DROP TRIGGER journal_fails")
        .unwrap();
}

fn raw(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join(DB_FILE)).unwrap()
}

#[test]
fn sales_are_numbered_chained_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let first = store.record_sale_as(&sale(110), None).unwrap();
    let second = store.record_sale_as(&sale(120), None).unwrap();
    assert_eq!(first.number, "T1-000001");
    assert_eq!(second.number, "T1-000002");
    assert_eq!(first.total_cents, 220);
    let report = store.verify().unwrap();
    assert!(report.defect.is_none(), "{:?}", report.defect);
    assert_eq!(
        report.summary.records, 5,
        "set-up, day opening and its event, 2 sales"
    );
    let status = store.status().unwrap();
    assert_eq!((status.sales, status.chain.ok), (2, true));
    assert_eq!(status.till.as_deref(), Some("T1"));
}

#[test]
fn a_second_init_is_refused_and_bad_settings_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let again = store.init(&InitOptions {
        till: "T2".into(),
        ..InitOptions::default()
    });
    assert_eq!(again.unwrap_err().kind(), "already_initialised");
    let cases = [
        ("T-1", "Shop", "Europe/Paris", "till"),
        ("T1", "", "Europe/Paris", "shop"),
        ("T1", "S", "Mars/Base", "timezone"),
    ];
    for (till, name, zone, field) in cases {
        let fresh = tempfile::tempdir().unwrap();
        let mut store = Store::open(fresh.path()).unwrap();
        let options = InitOptions {
            shop: Shop {
                name: name.into(),
                ..Shop::default()
            },
            till: till.into(),
            timezone: zone.into(),
            ..InitOptions::default()
        };
        match store.init(&options) {
            Err(StoreError::InvalidSetting { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{till}/{name}/{zone}: {other:?}"),
        }
    }
}

#[test]
fn triggers_refuse_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    store.record_sale_as(&sale(100), None).unwrap();
    let conn = raw(dir.path());
    for sql in [
        "UPDATE ledger SET total_cents = 1 WHERE pos = 2",
        "DELETE FROM ledger WHERE pos = 2",
        "DELETE FROM chain_head",
        "UPDATE chain_head SET pos = 1",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(
            err.to_string().contains("refused") || err.to_string().contains("chain head"),
            "{sql}: {err}"
        );
    }
}

/// Tampering with the database directly (triggers dropped, as an attacker with the sqlite3
/// tool would) is detected by `verify`, which names the record.
#[test]
fn tampering_with_sql_is_detected_and_named() {
    // Positions: 1 set-up, 2 day opening, 3 its event, 4–6 the sales T1-000001 to T1-000003.
    let cases: &[(&str, &str, &str)] = &[
        ("amount in body", "UPDATE ledger SET body = replace(body, '\"total_cents\":220', '\"total_cents\":120') WHERE kind = 'sale' AND seq = 1", "T1-000001"),
        ("amount column", "UPDATE ledger SET total_cents = 1 WHERE kind = 'sale' AND seq = 2", "T1-000002"),
        ("label", "UPDATE ledger SET body = replace(body, 'Baguette', 'Baguettf') WHERE kind = 'sale' AND seq = 2", "T1-000002"),
        ("date column", "UPDATE ledger SET at = '2020-01-01T00:00:00.000Z' WHERE kind = 'sale' AND seq = 1", "T1-000001"),
        ("business day", "UPDATE ledger SET business_day = '2020-01-01' WHERE kind = 'sale' AND seq = 2", "T1-000002"),
        ("hash", "UPDATE ledger SET hash = (CASE substr(hash, 1, 1) WHEN '0' THEN '1' ELSE '0' END) || substr(hash, 2) WHERE kind = 'sale' AND seq = 1", "T1-000001"),
        ("middle row deleted", "DELETE FROM ledger WHERE kind = 'sale' AND seq = 1", "position 4"),
        ("last row deleted", "DELETE FROM ledger WHERE pos = 6", "position 6"),
    ];
    for (name, sql, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        for price in [110, 120, 130] {
            store.record_sale_as(&sale(price), None).unwrap();
        }
        let conn = raw(dir.path());
        conn.execute_batch("DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete;")
            .unwrap();
        assert_eq!(conn.execute(sql, []).unwrap(), 1, "{name}");
        let defect = store
            .verify()
            .unwrap()
            .defect
            .unwrap_or_else(|| panic!("{name}: not detected"));
        assert!(defect.to_string().contains(expected), "{name}: {defect}");
    }
}

#[test]
fn deleting_the_last_row_and_its_head_is_caught_by_the_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    store.record_sale_as(&sale(100), None).unwrap();
    store.record_sale_as(&sale(200), None).unwrap();
    let conn = raw(dir.path());
    conn.execute_batch(
        "DROP TRIGGER ledger_no_delete; DROP TRIGGER chain_head_forward;
         DELETE FROM ledger WHERE pos = (SELECT MAX(pos) FROM ledger);
         UPDATE chain_head SET pos = pos - 1, hash = (SELECT hash FROM ledger WHERE pos = (SELECT MAX(pos) FROM ledger));",
    )
    .unwrap();
    let defect = store.verify().unwrap().defect.expect("detected");
    assert!(
        matches!(&defect, Defect::Truncated { anchor, .. } if anchor == HEAD_FILE),
        "{defect}"
    );
}

/// The insider's next step after deleting the tail: remove or empty the sidecar that would
/// tell. Without it, verification must fail, never say ok.
#[test]
fn a_missing_or_empty_sidecar_is_a_defect_once_the_ledger_holds_records() {
    type Tamper = fn(&Path);
    let cases: [(&str, Tamper); 3] = [
        ("deleted", |dir| {
            std::fs::remove_file(dir.join(HEAD_FILE)).unwrap()
        }),
        ("emptied", |dir| {
            std::fs::write(dir.join(HEAD_FILE), "").unwrap()
        }),
        ("blanked", |dir| {
            std::fs::write(dir.join(HEAD_FILE), " ".repeat(256)).unwrap()
        }),
    ];
    for (what, tamper) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        store.record_sale_as(&sale(100), None).unwrap();
        assert!(
            store.verify().unwrap().defect.is_none(),
            "{what}: clean at first"
        );
        tamper(dir.path());
        let defect = store.verify().unwrap().defect.expect(what);
        assert!(
            matches!(&defect, Defect::BadAnchor { anchor, .. } if anchor == HEAD_FILE),
            "{what}: {defect}"
        );
    }
}

#[test]
fn a_new_till_has_its_sidecar_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = init_store(dir.path());
    let text = std::fs::read_to_string(dir.path().join(HEAD_FILE)).unwrap();
    assert!(text.contains("\"pos\":1"), "{text}");
    assert!(
        text.contains("\"till\":\"T1\""),
        "the sidecar names its till: {text}"
    );
    assert!(store.verify().unwrap().defect.is_none());
}

#[test]
fn the_same_sale_id_twice_is_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let mut input = sale(150);
    input.id = Some(uuid::Uuid::now_v7());
    let first = store.record_sale_as(&input, None).unwrap();
    let again = store.record_sale_as(&input, None).unwrap();
    assert!(again.duplicate);
    assert_eq!((again.number, again.hash), (first.number, first.hash));
    input.lines[0].unit_price_cents = Some(999);
    input.payments[0].tendered_cents = Some(5000);
    assert_eq!(
        store.record_sale_as(&input, None).unwrap_err().kind(),
        "id_conflict"
    );
    assert_eq!(store.status().unwrap().sales, 1);
}

#[test]
fn a_bad_sale_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let mut input = sale(100);
    input.payments[0].tendered_cents = Some(10);
    let err = store.record_sale_as(&input, None).unwrap_err();
    assert_eq!(err.kind(), "invalid_sale");
    for (lang, field) in [
        (relais_core::Lang::Fr, "paiements"),
        (relais_core::Lang::En, "payments"),
    ] {
        assert!(err.message(lang).contains(field), "{}", err.message(lang));
    }
    assert_eq!(store.status().unwrap().records, 1);
}

#[test]
fn a_clock_going_backwards_is_logged_and_order_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let now = Arc::new(AtomicI64::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 15, 0, 0)
            .unwrap()
            .timestamp(),
    ));
    let clock = now.clone();
    store.set_clock(move || Utc.timestamp_opt(clock.load(Ordering::SeqCst), 0).unwrap());
    store.record_sale_as(&sale(100), None).unwrap();
    now.fetch_sub(3 * 3600, Ordering::SeqCst);
    let later = store.record_sale_as(&sale(100), None).unwrap();
    assert_eq!(later.warnings.len(), 1, "{:?}", later.warnings);
    let warning = &later.warnings[0];
    assert!(
        warning.fr.starts_with("L'horloge a reculé de 10800 s"),
        "{warning:?}"
    );
    assert!(
        warning.en.starts_with("The clock went back 10800 s"),
        "{warning:?}"
    );
    assert_eq!(later.number, "T1-000002");
    let journal = store.journal(None).unwrap();
    assert!(journal
        .iter()
        .any(|e| e.name == "clock_backwards" && e.code == 1020));
    assert!(store.verify().unwrap().defect.is_none());
}

/// One sale with the clock at 2100 opens a day 2100-01-01; once the clock is right again, the
/// next sale warns of the jump and goes to today's day, never to the day the wrong reading
/// opened.
#[test]
fn a_wrong_clock_reading_never_captures_the_business_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let at = |y, m, d, h| Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().timestamp();
    let now = Arc::new(AtomicI64::new(at(2100, 1, 1, 12)));
    let clock = now.clone();
    store.set_clock(move || Utc.timestamp_opt(clock.load(Ordering::SeqCst), 0).unwrap());
    let wrong = store.record_sale_as(&sale(100), None).unwrap();
    assert_eq!(
        store.find(&wrong.number).unwrap().0.business_day,
        "2100-01-01"
    );
    now.store(at(2026, 11, 28, 15), Ordering::SeqCst);
    let right = store.record_sale_as(&sale(200), None).unwrap();
    assert_eq!(
        right.warnings.len(),
        2,
        "the jump and the new day are said: {:?}",
        right.warnings
    );
    assert!(
        right.warnings[0].fr.starts_with("L'horloge a reculé"),
        "{:?}",
        right.warnings
    );
    assert!(
        right.warnings[1].fr.starts_with(
            "Nouvelle journée du 28/11/2026 ouverte par cette vente, fond de caisse 0,00 €"
        ),
        "{:?}",
        right.warnings
    );
    let day_of = |store: &Store, number: &str| store.find(number).unwrap().0.business_day;
    assert_eq!(day_of(&store, &right.number), "2026-11-28");
    now.fetch_add(600, Ordering::SeqCst);
    let next = store.record_sale_as(&sale(300), None).unwrap();
    assert!(next.warnings.is_empty());
    assert_eq!(day_of(&store, &next.number), "2026-11-28");
    assert!(store.verify().unwrap().defect.is_none());
}

/// A clock set back by a few seconds around midnight (a time server's correction) does not
/// close the day just opened.
#[test]
fn a_small_correction_across_midnight_keeps_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    // 2026-11-28 00:00:30 in Paris (23:00:30 UTC the day before).
    let after_midnight = Utc
        .with_ymd_and_hms(2026, 11, 27, 23, 0, 30)
        .unwrap()
        .timestamp();
    let now = Arc::new(AtomicI64::new(after_midnight));
    let clock = now.clone();
    store.set_clock(move || Utc.timestamp_opt(clock.load(Ordering::SeqCst), 0).unwrap());
    let first = store.record_sale_as(&sale(100), None).unwrap();
    now.fetch_sub(60, Ordering::SeqCst);
    let second = store.record_sale_as(&sale(100), None).unwrap();
    let day_of = |number: &str| store.find(number).unwrap().0.business_day;
    assert_eq!(
        (day_of(&first.number), day_of(&second.number)),
        ("2026-11-28".into(), "2026-11-28".into())
    );
}

#[test]
fn void_and_reprint_are_linked_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let sold = store.record_sale_as(&sale(250), None).unwrap();
    let void = store
        .void_sale_as(&sold.number, "erreur de saisie", "manager", None)
        .unwrap();
    assert_eq!(
        (void.number.as_str(), void.total_cents),
        ("T1-000002", -500)
    );
    assert_eq!(
        store
            .void_sale_as(&sold.number, "encore", "manager", None)
            .unwrap_err()
            .kind(),
        "already_voided"
    );
    assert_eq!(
        store
            .void_sale_as(&void.number, "x", "m", None)
            .unwrap_err()
            .kind(),
        "not_a_sale"
    );
    let first = store.reprint_as(&sold.number, "alice").unwrap();
    let second = store.reprint_as(&sold.id, "alice").unwrap();
    assert_eq!(first.copy.number, "T1-D000001");
    assert!(second.receipt.contains("DUPLICATA 2"), "{}", second.receipt);
    let receipt = store.receipt("t1-000001").unwrap();
    for mention in [
        "Boulangerie Test",
        "SIRET 12345678900012",
        "TVA FR12123456789",
        "T1-000001",
        "Baguette",
        "5,5 %",
        "TOTAL TTC",
        "5,00 EUR",
        "Espèces",
        "Rendu",
        "Opérateur : alice",
        "Caisse T1",
    ] {
        assert!(
            receipt.contains(mention),
            "receipt lacks {mention}:\n{receipt}"
        );
    }
    assert!(store.journal(None).unwrap().iter().any(|e| e.code == 190));
    assert!(store.verify().unwrap().defect.is_none());
}

#[test]
fn two_programs_writing_at_once_share_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    drop(init_store(dir.path()));
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let path = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for i in 0..50 {
                    store.record_sale_as(&sale(100 + i), None).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let report = store.verify().unwrap();
    assert!(report.defect.is_none(), "{:?}", report.defect);
    assert_eq!(report.summary.last_seq.get("ticket"), Some(&100));
}

#[test]
fn start_up_is_journaled_and_a_version_change_noted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    store.start_session("test").unwrap();
    let journal = store.journal(None).unwrap();
    let names: Vec<&str> = journal.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["till_initialised", "startup"]);
    assert_eq!(journal[1].code, 80);
    assert_eq!(store.journal(Some(1)).unwrap().len(), 1);
}

#[test]
fn data_dir_resolution_prefers_the_flag() {
    let explicit = PathBuf::from("/tmp/explicit");
    assert_eq!(resolve_data_dir(Some(explicit.clone())), explicit);
}

/// Records are stamped with the till's own zone, parsed once from the settings; a zone the
/// settings no longer name is refused when the till opens, never replaced by Paris time.
#[test]
fn records_carry_the_tills_zone_and_an_unknown_zone_is_refused() {
    let cases = [("America/Martinique", -240), ("Indian/Reunion", 240)];
    for (zone, offset) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store
            .init(&InitOptions {
                shop: Shop {
                    name: "Boutique".into(),
                    ..Shop::default()
                },
                till: "T1".into(),
                timezone: zone.into(),
                ..InitOptions::default()
            })
            .unwrap();
        let (tz, minutes): (String, i64) = store
            .conn
            .query_row(
                "SELECT json_extract(body, '$.tz'), json_extract(body, '$.utc_offset_min') FROM ledger WHERE pos = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((tz.as_str(), minutes), (zone, offset));
        store
            .conn
            .execute(
                "UPDATE settings SET value = 'Mars/Olympus' WHERE key = 'timezone'",
                [],
            )
            .unwrap();
        drop(store);
        let refused = Store::open(dir.path())
            .err()
            .expect("an unknown zone is refused");
        assert_eq!(refused.kind(), "invalid_setting");
        assert!(refused.to_string().contains("Mars/Olympus"), "{refused}");
    }
}
