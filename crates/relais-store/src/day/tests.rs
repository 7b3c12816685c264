use super::*;
use crate::corrections::{RefundInput, RefundLineInput};
use crate::tests::init_store;
use relais_core::{Method, SaleInput};
use serde_json::json;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// A shop with a manager (Marie) and a cashier (Paul), and a clock the test moves.
fn shop(dir: &std::path::Path) -> (Store, Arc<AtomicI64>) {
    let mut store = init_store(dir);
    crate::tests::hire_marie_and_paul(&mut store);
    // 2026-11-28 09:00 in Paris.
    let now = Arc::new(AtomicI64::new(1_795_852_800));
    let clock = now.clone();
    store.set_clock(move || DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).unwrap());
    (store, now)
}

fn count(pairs: &[(i64, u32)]) -> Vec<DenominationCount> {
    pairs
        .iter()
        .map(|&(value_cents, count)| DenominationCount { value_cents, count })
        .collect()
}

/// Products with round figures: A 12,00 € at 20 % (HT 10,00), B 11,00 € at 10 % (HT 10,00),
/// C 10,55 € at 5,5 % (HT 10,00).
fn line(product: char, qty: u32) -> serde_json::Value {
    let (price, rate) = match product {
        'A' => (1200, 2000),
        'B' => (1100, 1000),
        _ => (1055, 550),
    };
    json!({"label": format!("Produit {product}"), "unit_price_cents": price, "vat_rate_bp": rate, "qty": qty})
}

/// Sale k of the day: by k mod 4, cash (A), card (B + C), cheque (2 A), voucher (C). Sale 40
/// has a 0,55 € discount on its C.
fn day_sale(k: u32) -> SaleInput {
    let (lines, payment) = match k % 4 {
        1 => (
            vec![line('A', 1)],
            json!({"method": "cash", "tendered_cents": 2000}),
        ),
        2 => (
            vec![line('B', 1), line('C', 1)],
            json!({"method": "card", "amount_cents": 2155, "reference": format!("TPE{k}")}),
        ),
        3 => (
            vec![line('A', 2)],
            json!({"method": "cheque", "amount_cents": 2400, "reference": format!("CHQ{k}")}),
        ),
        _ if k == 40 => {
            let mut c = line('C', 1);
            c["discount_cents"] = json!(55);
            (
                vec![c],
                json!({"method": "voucher", "amount_cents": 1000, "reference": "BON40"}),
            )
        }
        _ => (
            vec![line('C', 1)],
            json!({"method": "voucher", "amount_cents": 1055, "reference": format!("BON{k}")}),
        ),
    };
    serde_json::from_value(json!({"lines": lines, "payments": [payment], "operator": "Paul"}))
        .unwrap()
}

/// The day of the issue: float 150,00; 40 sales over 3 rates and 4 tenders; 2 refunds; 1
/// void; a paid-out of 15,00 and a bank deposit of 100,00; drawer counted at 142,50 and card
/// terminal at 204,95. Every expected figure was computed by hand (see the comments).
#[test]
fn a_full_day_gives_the_hand_computed_x_and_z() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = shop(dir.path());
    let float = count(&[(2000, 5), (1000, 4), (200, 5)]); // 100 + 40 + 10 = 150,00
    store
        .open_day_as(&OpenDayInput {
            business_day: None,
            denominations: float,
            operator: "Paul".into(),
        })
        .unwrap();
    for k in 1..=40 {
        store.record_sale_as(&day_sale(k), None).unwrap();
    }
    let marie = || {
        Some(Approval {
            manager: "Marie".into(),
            pin: "1234".into(),
        })
    };
    let refund = |sale: &str, line: usize, method: &str| RefundInput {
        sale: sale.into(),
        lines: vec![RefundLineInput {
            line,
            qty: "1".into(),
        }],
        method: method.into(),
        reference: None,
        reason: "retour client".into(),
        operator: "Paul".into(),
        approval: marie(),
    };
    store.refund_as(&refund("T1-000001", 0, "cash")).unwrap(); // −12,00 cash, 20 %
    store.refund_as(&refund("T1-000002", 1, "card")).unwrap(); // −10,55 card, 5,5 %
    store
        .void_sale_as("T1-000004", "erreur de caisse", "Paul", marie().as_ref())
        .unwrap(); // −10,55 voucher
    store
        .cash_movement_as(
            Direction::Out,
            1500,
            "paid_out",
            "Achat de sacs",
            "Marie",
            None,
        )
        .unwrap();
    store
        .cash_movement_as(
            Direction::Out,
            10_000,
            "bank_deposit",
            "Dépôt banque",
            "Marie",
            None,
        )
        .unwrap();

    let x = store.x_report().unwrap();
    let close = CloseDayInput {
        counted: Some(count(&[(5000, 2), (2000, 2), (200, 1), (50, 1)])), // 100 + 40 + 2 + 0,50 = 142,50
        card_terminal_cents: Some(20_495),
        note: Some("RAS".into()),
        operator: "Marie".into(),
        approval: None,
    };
    let z = store.close_day_as(&close).unwrap();
    assert_eq!(z.number, "T1-Z000001");
    assert_eq!(
        x.totals, z.closure.totals,
        "the X before closing shows what the Z seals"
    );

    let t = &z.closure.totals;
    let vat: Vec<(u32, i64, i64, i64)> = t
        .vat
        .iter()
        .map(|v| (v.rate_bp.0, v.ht_cents.0, v.vat_cents.0, v.ttc_cents.0))
        .collect();
    let tenders: Vec<(Method, u64, i64)> = t
        .tenders
        .iter()
        .map(|p| (p.method, p.count, p.amount_cents.0))
        .collect();
    let cash = z.closure.cash_count.as_ref().unwrap();
    let card = z.closure.card_check.as_ref().unwrap();
    let figures: &[(&str, i64, i64)] = &[
        ("sales", t.sales as i64, 40),
        ("refunds", t.refunds as i64, 2),
        ("voids", t.voids as i64, 1),
        // 10 × 12,00 + 10 × 21,55 + 10 × 24,00 + 9 × 10,55 + 10,00
        ("sales total", t.sales_cents.0, 68_045),
        ("refunds total", t.refunds_cents.0, -2_255),
        ("voids total", t.voids_cents.0, -1_055),
        ("net total", t.total_cents.0, 64_735),
        ("absolute total", t.abs_total_cents.0, 71_355),
        ("discounts", t.discounts_cents.0, 55),
        ("float", t.float_cents.0, 15_000),
        ("cash out", t.cash_out_cents.0, 11_500),
        // 150,00 + (120,00 − 12,00) − 15,00 − 100,00
        ("expected cash", t.expected_cash_cents.0, 14_300),
        ("counted cash", cash.counted_cents.0, 14_250),
        ("cash variance", cash.variance_cents.0, -50),
        ("card terminal variance", card.variance_cents.0, 0),
        ("perpetual total", z.closure.perpetual_total_cents.0, 64_735),
        (
            "perpetual absolute total",
            z.closure.perpetual_abs_total_cents.0,
            71_355,
        ),
        ("cheques listed", t.cheques.len() as i64, 10),
    ];
    for (name, got, expected) in figures {
        assert_eq!(got, expected, "{name}");
    }
    // 20 %: 30 A − 1 A; 10 %: 10 B; 5,5 %: 20 C − 2 C, one of them 10,00 (HT 9,48, VAT 0,52).
    assert_eq!(
        vat,
        [
            (2000, 29_000, 5_800, 34_800),
            (1000, 10_000, 1_000, 11_000),
            (550, 17_948, 987, 18_935)
        ]
    );
    assert_eq!(
        tenders,
        [
            (Method::Cash, 11, 10_800),
            (Method::Card, 11, 20_495),
            (Method::Cheque, 10, 24_000),
            (Method::Voucher, 11, 9_440)
        ]
    );
    assert!(store.verify().unwrap().defect.is_none());
    let journal = store.journal(None).unwrap();
    assert!(journal
        .iter()
        .any(|e| e.code == 50 && e.message.contains("T1-Z000001")));
    assert!(journal.iter().filter(|e| e.code == 1050).count() == 2);
}

#[test]
fn the_signature_verifies_with_the_public_key_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = shop(dir.path());
    store.record_sale_as(&day_sale(1), None).unwrap();
    let z = store
        .close_day_as(&CloseDayInput {
            operator: "Marie".into(),
            ..CloseDayInput::default()
        })
        .unwrap();
    let public_key = store.public_key().unwrap();
    // What an auditor does: take the record's data, drop "signature", canonicalise, verify.
    let (record, _) = store.find(&z.number).unwrap();
    let mut data = serde_json::to_value(&record).unwrap()["data"].clone();
    let signature = data.as_object_mut().unwrap().remove("signature").unwrap();
    let bytes = relais_core::canonical::to_canonical(&data).unwrap();
    let mut key = [0u8; 32];
    hex::decode_to_slice(&public_key, &mut key).unwrap();
    let mut sig = [0u8; 64];
    hex::decode_to_slice(signature["value"].as_str().unwrap(), &mut sig).unwrap();
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key).unwrap();
    assert!(key
        .verify_strict(
            bytes.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&sig)
        )
        .is_ok());
    let tampered = bytes.replace("\"total_cents\":1200", "\"total_cents\":1100");
    assert_ne!(tampered, bytes);
    assert!(key
        .verify_strict(
            tampered.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&sig)
        )
        .is_err());
}

/// A forger who changes a closure and re-hashes the chain still cannot sign: verify says so.
#[test]
fn a_rehashed_forged_closure_fails_its_signature() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = shop(dir.path());
    store.record_sale_as(&day_sale(1), None).unwrap();
    let z = store
        .close_day_as(&CloseDayInput {
            operator: "Marie".into(),
            ..CloseDayInput::default()
        })
        .unwrap();
    let (mut record, _) = store.find(&z.number).unwrap();
    if let Body::Closure(c) = &mut record.body {
        c.totals.total_cents = Money(100);
    }
    let conn = rusqlite::Connection::open(dir.path().join(crate::DB_FILE)).unwrap();
    let prev: String = conn
        .query_row(
            "SELECT prev_hash FROM ledger WHERE pos = ?1",
            [record.pos],
            |r| r.get(0),
        )
        .unwrap();
    let sealed =
        relais_core::chain::seal(record, &relais_core::chain::from_hex(&prev).unwrap()).unwrap();
    let row = sealed.stored();
    conn.execute_batch("DROP TRIGGER ledger_no_update; DROP TRIGGER chain_head_forward;")
        .unwrap();
    conn.execute(
        "UPDATE ledger SET body = ?1, hash = ?2, total_cents = ?3 WHERE pos = ?4",
        rusqlite::params![row.body, row.hash, row.total_cents, row.pos],
    )
    .unwrap();
    // Re-link everything after it, as a careful forger would.
    let mut prev_hash = relais_core::chain::from_hex(&row.hash).unwrap();
    let later: Vec<(u64, String)> = conn
        .prepare("SELECT pos, body FROM ledger WHERE pos > ?1 ORDER BY pos")
        .unwrap()
        .query_map([row.pos], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (pos, body) in later {
        let hash = relais_core::chain::chain_hash(&prev_hash, body.as_bytes());
        conn.execute(
            "UPDATE ledger SET prev_hash = ?1, hash = ?2 WHERE pos = ?3",
            rusqlite::params![
                relais_core::chain::to_hex(&prev_hash),
                relais_core::chain::to_hex(&hash),
                pos
            ],
        )
        .unwrap();
        prev_hash = hash;
    }
    conn.execute(
        "UPDATE chain_head SET hash = ?1",
        [relais_core::chain::to_hex(&prev_hash)],
    )
    .unwrap();
    std::fs::remove_file(dir.path().join(crate::HEAD_FILE)).unwrap();
    let defect = store.verify().unwrap().defect.expect("detected");
    assert!(
        matches!(defect, relais_core::Defect::BadSignature { .. }),
        "{defect}"
    );
    assert!(defect.to_string().contains("T1-Z000001"), "{defect}");
}

#[test]
fn selling_is_never_blocked_and_midnight_closes_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, now) = shop(dir.path());
    let first = store.record_sale_as(&day_sale(1), None).unwrap();
    let (record, _) = store.find(&first.number).unwrap();
    assert_eq!(
        record.business_day, "2026-11-28",
        "the first sale opened the day"
    );
    assert!(store
        .journal(None)
        .unwrap()
        .iter()
        .any(|e| e.name == "day_opened" && e.message.contains("automatiquement")));
    assert!(store.x_report().unwrap().automatic_opening);
    now.fetch_add(16 * 3600, Ordering::SeqCst); // 2026-11-29 01:00 in Paris
    let next = store.record_sale_as(&day_sale(2), None).unwrap();
    let (record, _) = store.find(&next.number).unwrap();
    assert_eq!(record.business_day, "2026-11-29");
    let closures = store.closures().unwrap();
    assert_eq!(closures.len(), 1);
    assert!(closures[0].closure.automatic && closures[0].closure.cash_count.is_none());
    assert_eq!(
        (
            closures[0].closure.first_day.as_str(),
            closures[0].closure.totals.sales
        ),
        ("2026-11-28", 1)
    );
    assert!(store
        .journal(None)
        .unwrap()
        .iter()
        .any(|e| e.name == "day_auto_closed"));
    assert!(store.verify().unwrap().defect.is_none());
}

#[test]
fn a_day_opened_for_a_chosen_date_keeps_it_and_a_second_opening_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, now) = shop(dir.path());
    // 2026-11-29 09:00: a day is opened for today or a past day, never ahead of the clock.
    now.fetch_add(86_400, Ordering::SeqCst);
    let open = |day: &str| OpenDayInput {
        business_day: Some(day.into()),
        denominations: vec![],
        operator: "Paul".into(),
    };
    store.open_day_as(&open("2026-11-29")).unwrap();
    assert_eq!(
        store.open_day_as(&open("2026-11-29")).unwrap_err().kind(),
        "invalid_input"
    );
    let sold = store.record_sale_as(&day_sale(1), None).unwrap();
    assert_eq!(
        store.find(&sold.number).unwrap().0.business_day,
        "2026-11-29"
    );
    let bad = OpenDayInput {
        denominations: count(&[(300, 1)]),
        ..open("2026-11-30")
    };
    assert!(store.open_day_as(&bad).is_err(), "3 € is not a coin");
}

/// `day open --date` cannot open a day to come, nor a day already closed (two Z for one day),
/// nor a day before the last one closed (days in date order); today and a past day after the
/// last day closed can be opened.
#[test]
fn a_day_is_never_opened_ahead_of_the_clock_or_again_after_its_z() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, now) = shop(dir.path());
    let open = |day: &str| OpenDayInput {
        business_day: Some(day.into()),
        denominations: vec![],
        operator: "Marie".into(),
    };
    let close = CloseDayInput {
        operator: "Marie".into(),
        ..Default::default()
    };
    store.open_day_as(&open("2026-11-27")).unwrap();
    store.close_day_as(&close).unwrap();
    now.fetch_add(86_400, Ordering::SeqCst); // 2026-11-29 09:00
    let cases = [
        ("tomorrow", "2026-11-30", Some("futur")),
        ("next year", "2027-11-29", Some("futur")),
        ("the day closed", "2026-11-27", Some("déjà clôturée")),
        (
            "a day before the day closed, never closed itself",
            "2026-11-20",
            Some("antérieur à la dernière journée clôturée (2026-11-27)"),
        ),
        ("a past day after the last closed", "2026-11-28", None),
        ("then the day before it", "2026-11-26", Some("antérieur")),
    ];
    for (what, day, refused) in cases {
        match (store.open_day_as(&open(day)), refused) {
            (Ok(_), None) => store.close_day_as(&close).map(|_| ()).unwrap(),
            (Err(e), Some(words)) => {
                assert!(e.text().fr.contains(words), "{what}: {e}");
                assert_eq!(e.kind(), "invalid_input", "{what}");
            }
            (outcome, _) => panic!("{what}: {:?}", outcome.map(|r| r.number)),
        }
    }
    store.open_day_as(&open("2026-11-29")).unwrap();
    assert_eq!(store.closures().unwrap().len(), 2, "one Z for each day");
}

/// A sale after the Z opens a new day and says so, with its float; the day is closed again.
#[test]
fn a_sale_after_the_z_says_that_it_opens_a_new_day() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = shop(dir.path());
    let first = store.record_sale_as(&day_sale(1), None).unwrap();
    let opened = "Nouvelle journée du 28/11/2026 ouverte par cette vente, fond de caisse 0,00 €";
    let said = |w: &[relais_core::Text]| w.iter().any(|t| t.fr.starts_with(opened));
    assert!(said(&first.warnings), "{:?}", first.warnings);
    let close = CloseDayInput {
        operator: "Marie".into(),
        ..Default::default()
    };
    store.close_day_as(&close).unwrap();
    let after = store.record_sale_as(&day_sale(2), None).unwrap();
    assert_eq!(after.warnings.len(), 1, "{:?}", after.warnings);
    assert!(
        after.warnings[0].fr.starts_with(opened),
        "{:?}",
        after.warnings
    );
    assert!(
        after.warnings[0].en.contains("float €0.00"),
        "{:?}",
        after.warnings
    );
    let next = store.record_sale_as(&day_sale(3), None).unwrap();
    assert!(next.warnings.is_empty(), "said once: {:?}", next.warnings);
    store.close_day_as(&close).unwrap();
    assert!(store.verify().unwrap().defect.is_none());
}

/// A cashier cannot close the day, move cash or close a month: the store refuses.
#[test]
fn cashiers_cannot_close_or_move_cash() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = shop(dir.path());
    store.record_sale_as(&day_sale(1), None).unwrap();
    let by_paul = CloseDayInput {
        operator: "Paul".into(),
        ..CloseDayInput::default()
    };
    assert_eq!(
        store.close_day_as(&by_paul).unwrap_err().kind(),
        "forbidden"
    );
    assert_eq!(
        store
            .cash_movement_as(Direction::Out, 100, "paid_out", "x", "Paul", None)
            .unwrap_err()
            .kind(),
        "forbidden"
    );
    assert_eq!(
        store
            .close_period_as(ClosurePeriod::Month, "2026-11", "Paul", None)
            .unwrap_err()
            .kind(),
        "forbidden"
    );
    let approved = CloseDayInput {
        approval: Some(Approval {
            manager: "Marie".into(),
            pin: "1234".into(),
        }),
        ..by_paul
    };
    assert!(store.close_day_as(&approved).is_ok());
}

#[test]
fn month_and_year_closures_add_up_their_days() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, now) = shop(dir.path());
    for day in 0..3 {
        store.record_sale_as(&day_sale(1), None).unwrap(); // 12,00
        store.record_sale_as(&day_sale(3), None).unwrap(); // 24,00
        store
            .close_day_as(&CloseDayInput {
                operator: "Marie".into(),
                ..CloseDayInput::default()
            })
            .unwrap();
        if day < 2 {
            now.fetch_add(24 * 3600, Ordering::SeqCst);
        }
    }
    assert_eq!(
        store
            .close_period_as(ClosurePeriod::Month, "2026-12", "Marie", None)
            .unwrap_err()
            .kind(),
        "invalid_input"
    );
    let month = store
        .close_period_as(ClosurePeriod::Month, "2026-11", "Marie", None)
        .unwrap();
    assert_eq!(month.number, "T1-Z000004");
    assert_eq!(
        (
            month.closure.first_day.as_str(),
            month.closure.last_day.as_str()
        ),
        ("2026-11-28", "2026-11-30")
    );
    assert_eq!(
        (
            month.closure.totals.sales,
            month.closure.totals.total_cents.0
        ),
        (6, 10_800)
    );
    assert_eq!(month.closure.perpetual_total_cents.0, 10_800);
    assert!(
        store
            .close_period_as(ClosurePeriod::Month, "2026-11", "Marie", None)
            .is_err(),
        "closed once"
    );
    let year = store
        .close_period_as(ClosurePeriod::Year, "2026", "Marie", None)
        .unwrap();
    assert_eq!(year.closure.totals.total_cents.0, 10_800);
    assert!(store.journal(None).unwrap().iter().any(|e| e.code == 60));
    assert!(store.verify().unwrap().defect.is_none());
}

/// The first ticket opened the day with no float; the manager counts it later with
/// `day open`: the day goes on (its tickets stay in it) and the float counts in the X.
#[test]
fn a_day_opened_by_its_first_ticket_gets_its_float_counted_later() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = shop(dir.path());
    let first = store.record_sale_as(&day_sale(1), None).unwrap();
    let open = OpenDayInput {
        business_day: None,
        denominations: count(&[(2_000, 5)]),
        operator: "Marie".into(),
    };
    store.open_day_as(&open).unwrap();
    assert_eq!(
        store.open_day_as(&open).unwrap_err().kind(),
        "invalid_input",
        "counted once: the day is no longer automatic"
    );
    store.record_sale_as(&day_sale(5), None).unwrap();
    let x = store.x_report().unwrap();
    assert_eq!(x.totals.float_cents.0, 10_000);
    assert_eq!(x.totals.sales, 2, "the first ticket stays in the day");
    assert!(!x.automatic_opening, "the float is counted");
    let z = store
        .close_day_as(&CloseDayInput {
            operator: "Marie".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(z.closure.totals.float_cents.0, 10_000);
    assert_eq!(
        store.find(&first.number).unwrap().0.business_day,
        z.closure.first_day
    );
    assert!(store.verify().unwrap().defect.is_none());
}
