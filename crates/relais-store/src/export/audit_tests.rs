//! What the signatures and hashes do not prove, caught the same way on a till and on its
//! bundle (`relais_core::audit`): records rewritten under a signed Z and every later hash
//! recomputed with both heads, closures forged with the till's own key (an owner has it),
//! tickets that do not add up.

use super::tests::{busy_till, export, sale};
use super::*;
use crate::day::{CloseDayInput, OpenDayInput};
use crate::{DB_FILE, HEAD_FILE};
use ed25519_dalek::{Signer, SigningKey};
use relais_core::chain::{from_hex, seal, to_hex};
use relais_core::closure::{signing_bytes, ClosureData, ClosurePeriod};
use relais_core::{Body, Money, Record, Ticket};
use rusqlite::{params, Connection};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const FILES: [&str; 3] = [DB_FILE, HEAD_FILE, "till.key"];

/// busy_till's three days of November (Z1 to Z3: sales, a void, a refund, an order and its
/// deposit, a paper sale of the 27th keyed in on the 29th), then the month (Z4) and the year
/// (Z5) closed, and a fourth day whose Z (Z6) is sealed just after the clock went back.
fn audited_till(dir: &Path) -> Store {
    let mut store = busy_till(dir);
    let now = Arc::new(AtomicI64::new(1_796_112_000)); // 2026-12-01 09:00 Paris
    let clock = now.clone();
    store.set_clock(move || {
        chrono::DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).unwrap()
    });
    store
        .close_period_as(ClosurePeriod::Month, "2026-11", "Marie", None)
        .unwrap();
    store
        .close_period_as(ClosurePeriod::Year, "2026", "Marie", None)
        .unwrap();
    store
        .open_day_as(&OpenDayInput {
            business_day: None,
            denominations: vec![],
            operator: "Marie".into(),
        })
        .unwrap();
    store
        .record_sale_as(&sale("Pain", 120, 550, "cheque"), None)
        .unwrap();
    now.fetch_sub(10, Ordering::SeqCst);
    let z = store
        .close_day_as(&CloseDayInput {
            operator: "Marie".into(),
            ..CloseDayInput::default()
        })
        .unwrap();
    assert_eq!(z.number, "T1-Z000006");
    store
}

/// A copy of `from` (database, head file, key) in a new folder.
fn copy_till(from: &Path) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    for file in FILES {
        std::fs::copy(from.join(file), work.path().join(file)).unwrap();
    }
    work
}

/// Who rewrites: anyone with the files (every later record linked again, both heads
/// moved), or the till's owner, who also has its key and signs every later closure again
/// with `covers` on the new hashes.
#[derive(Clone, Copy, PartialEq)]
enum Forger {
    Keyless,
    Owner,
}

/// Rewrites the record `number` with `edit` as a careful forger would: triggers dropped,
/// the record sealed again, every later record linked again (later closures signed again
/// by an owner), both heads (the chain_head row and the ledger.head file) moved to the new
/// last hash.
fn rewrite(dir: &Path, number: &str, edit: Edit, forger: Forger) {
    let key = crate::keys::load(dir).unwrap().unwrap();
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    conn.execute_batch("DROP TRIGGER ledger_no_update; DROP TRIGGER chain_head_forward;")
        .unwrap();
    let (_, series, seq) = crate::ledger::parse_number(number).unwrap();
    let (pos, body, prev): (u64, String, String) = conn
        .query_row(
            "SELECT pos, body, prev_hash FROM ledger WHERE series = ?1 AND seq = ?2",
            params![series.code(), seq],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let mut record: Record = serde_json::from_str(&body).unwrap();
    edit(&mut record, &key);
    let mut hash = from_hex(&prev).unwrap();
    let mut rehashed = std::collections::BTreeMap::new();
    let later: Vec<(u64, String)> = conn
        .prepare("SELECT pos, body FROM ledger WHERE pos > ?1 ORDER BY pos")
        .unwrap()
        .query_map([pos], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut next = Some(record);
    let mut rows = later.into_iter();
    let mut last = pos;
    while let Some(mut record) = next.take() {
        if let (Body::Closure(c), Forger::Owner) = (&mut record.body, forger) {
            if let Some(covered) = rehashed.get(&c.covers.last_pos) {
                c.covers.last_hash = to_hex(covered);
                let bytes = signing_bytes(c).unwrap();
                c.signature.value = hex::encode(key.sign(bytes.as_bytes()).to_bytes());
            }
        }
        let row = seal(record, &hash).unwrap().stored();
        conn.execute(
            "UPDATE ledger SET body = ?1, prev_hash = ?2, hash = ?3, total_cents = ?4 WHERE pos = ?5",
            params![row.body, row.prev_hash, row.hash, row.total_cents, row.pos],
        )
        .unwrap();
        hash = from_hex(&row.hash).unwrap();
        rehashed.insert(row.pos, hash);
        last = row.pos;
        next = rows
            .next()
            .map(|(_, body)| serde_json::from_str(&body).unwrap());
    }
    conn.execute(
        "UPDATE chain_head SET pos = ?1, hash = ?2",
        params![last, to_hex(&hash)],
    )
    .unwrap();
    let head = serde_json::json!({"till": "T1", "pos": last, "hash": to_hex(&hash)});
    std::fs::write(dir.join(HEAD_FILE), head.to_string()).unwrap();
}

fn ticket(record: &mut Record) -> &mut Ticket {
    match &mut record.body {
        Body::Sale(t) | Body::Refund(t) | Body::Void(t) => t,
        other => panic!("not a ticket: {other:?}"),
    }
}

/// The ticket's first line dearer by `cents`, and everything that follows from it (VAT,
/// total, payment): a ticket that adds up, with other figures than the Z sealed.
fn reprice(record: &mut Record, cents: i64) {
    let t = ticket(record);
    let line = &mut t.lines[0];
    line.unit_price_cents = Money(line.unit_price_cents.0 + cents);
    line.gross_cents = Money(line.gross_cents.0 + cents);
    line.total_cents = Money(line.total_cents.0 + cents);
    t.vat = Ticket::vat_breakdown(&t.lines).unwrap();
    t.total_cents = Money::sum(t.lines.iter().map(|l| l.total_cents)).unwrap();
    t.payments[0].amount_cents = t.total_cents;
    if let Some(change) = &mut t.payments[0].change_cents {
        *change = Money(change.0 - cents);
    }
}

/// The closure changed by `change`, then signed again with the till's key.
fn forge(record: &mut Record, key: &SigningKey, change: fn(&mut ClosureData)) {
    let Body::Closure(closure) = &mut record.body else {
        panic!("not a closure");
    };
    change(closure);
    let bytes = signing_bytes(closure).unwrap();
    closure.signature.value = hex::encode(key.sign(bytes.as_bytes()).to_bytes());
}

type Edit = fn(&mut Record, &SigningKey);

/// One tampering: what it does, who does it, the record it rewrites and how; the record the
/// defect must name and the words that say which check caught it.
struct Tampering {
    what: &'static str,
    forger: Forger,
    number: &'static str,
    edit: Edit,
    named: &'static str,
    words: &'static str,
}

#[rustfmt::skip]
fn tamperings() -> Vec<Tampering> {
    use Forger::{Keyless, Owner};
    let t = |what, forger, number, edit, named, words| Tampering { what, forger, number, edit, named, words };
    vec![
        // A record under a signed Z: its `covers` no longer names the chain's hash…
        t("a sale rewritten under its Z", Keyless, "T1-000001", |r, _| reprice(r, -20), "T1-Z000001", "but the record there has hash"),
        // …and when the owner signs the Z again on the new hash, its totals give it away.
        t("a sale rewritten under its Z, signed again", Owner, "T1-000001", |r, _| reprice(r, -20), "T1-Z000001", "totals.abs_total_cents is 1170, but the day's records give 1150"),
        t("a refund rewritten under its Z, signed again", Owner, "T1-000008", |r, _| reprice(r, 50), "T1-Z000002", "but the day's records give"),
        t("a paper sale of an earlier day rewritten", Owner, "T1-000009", |r, _| reprice(r, 10), "T1-Z000002", "earlier_days is"),
        t("a ticket whose lines do not add up", Keyless, "T1-000002", |r, _| ticket(r).total_cents.0 += 1, "T1-000002", "do not add up"),
        t("a Z's totals forged", Owner, "T1-Z000002", |r, k| forge(r, k, |c| c.totals.sales += 1), "T1-Z000002", "totals.sales is"),
        t("a Z covering an earlier position", Owner, "T1-Z000001", |r, k| forge(r, k, |c| c.covers.last_pos -= 1), "T1-Z000001", "must cover the record just before it"),
        t("a Z covering another hash", Owner, "T1-Z000003", |r, k| forge(r, k, |c| c.covers.last_hash = "0".repeat(64)), "T1-Z000003", "but the record there has hash"),
        t("a Z's perpetual total forged", Owner, "T1-Z000002", |r, k| forge(r, k, |c| c.perpetual_total_cents.0 += 100), "T1-Z000002", "perpetual_total_cents is"),
        t("a month's cheques forged", Owner, "T1-Z000004", |r, k| forge(r, k, |c| { c.totals.cheques.pop(); }), "T1-Z000004", "but the period's day closures give"),
        t("a year's days forged", Owner, "T1-Z000005", |r, k| forge(r, k, |c| c.first_day = "2026-11-29".into()), "T1-Z000005", "first_day is"),
        t("a month's perpetual total forged", Owner, "T1-Z000004", |r, k| forge(r, k, |c| c.perpetual_abs_total_cents.0 -= 1), "T1-Z000004", "perpetual_abs_total_cents is"),
    ]
}

/// Every tampering of the table fails the till's `verify`, its status bar and the bundle
/// exported from it, naming the same record with the same defect.
#[test]
fn what_signatures_do_not_protect_is_caught_on_the_till_and_its_bundle() {
    let pristine = tempfile::tempdir().unwrap();
    {
        let store = audited_till(pristine.path());
        assert_eq!(store.verify().unwrap().defect, None, "a sound till passes");
        let conn = Connection::open(pristine.path().join(DB_FILE)).unwrap();
        let before_z6: String = conn
            .query_row(
                "SELECT json_extract(body, '$.data.name') FROM ledger WHERE pos = (SELECT pos - 1 FROM ledger WHERE series = 'closure' AND seq = 6)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            before_z6, "clock_backwards",
            "Z6 covers the record before its clock event"
        );
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
    }
    let sound = copy_till(pristine.path());
    let out = tempfile::tempdir().unwrap();
    let bundle = export(&mut Store::open(sound.path()).unwrap(), out.path());
    let verdict = verify_bundle(Path::new(&bundle.folder)).unwrap();
    assert!(verdict.ok, "a sound bundle passes: {:?}", verdict.defect);

    for Tampering {
        what,
        forger,
        number,
        edit,
        named,
        words,
    } in tamperings()
    {
        let work = copy_till(pristine.path());
        rewrite(work.path(), number, edit, forger);
        let mut store = Store::open(work.path()).unwrap();
        let defect = store
            .verify()
            .unwrap()
            .defect
            .unwrap_or_else(|| panic!("{what}: the till's verify missed it"));
        let said = defect.to_string();
        assert!(
            said.starts_with(named) && said.contains(words),
            "{what}: {said}"
        );
        assert!(
            defect.text().fr.starts_with(named),
            "{what}: {}",
            defect.text().fr
        );
        let status = store.status().unwrap().chain;
        assert_eq!(status.defect, Some(defect.text()), "{what}: the status bar");

        let out = tempfile::tempdir().unwrap();
        let bundle = export(&mut store, out.path());
        let verdict = verify_bundle(Path::new(&bundle.folder)).unwrap();
        let chain = verdict.steps.iter().find(|s| s.step == "chain").unwrap();
        assert!(!chain.ok, "{what}: the bundle's verify missed it");
        assert!(
            chain
                .defect
                .as_deref()
                .unwrap_or("")
                .ends_with(&format!(": {said}")),
            "{what}: the bundle says {:?}, the till {said}",
            chain.defect
        );
    }
}

fn export_since_last(store: &mut Store, out: &Path) -> ExportReport {
    store
        .export_as(&ExportOptions {
            out: out.to_path_buf(),
            operator: "Marie".into(),
            since_last: true,
            ..ExportOptions::default()
        })
        .unwrap()
}

/// Opens `day` at 09:00 Paris by the till's clock: a day is never opened ahead of the clock.
fn open_day(store: &mut Store, day: &str) {
    let nine = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
        .and_utc();
    store.set_clock(move || nine);
    store
        .open_day_as(&OpenDayInput {
            business_day: Some(day.into()),
            denominations: vec![],
            operator: "Marie".into(),
        })
        .unwrap();
}

fn close_day(store: &mut Store) -> String {
    let input = CloseDayInput {
        operator: "Marie".into(),
        ..CloseDayInput::default()
    };
    store.close_day_as(&input).unwrap().number
}

/// A bundle exported `--since-last` starts in the middle of a day: it cannot recompute that
/// day's Z, nor the first perpetual totals it meets, and skips exactly those; everything
/// after them it checks as a till does.
#[test]
fn a_bundle_that_starts_mid_day_checks_all_it_can() {
    let pristine = tempfile::tempdir().unwrap();
    let (sale_b, sale_c) = {
        let mut store = audited_till(pristine.path());
        let out = tempfile::tempdir().unwrap();
        export(&mut store, out.path());
        open_day(&mut store, "2026-12-02");
        store
            .record_sale_as(&sale("Pain", 120, 550, "cash"), None)
            .unwrap();
        export_since_last(&mut store, out.path());
        let b = store
            .record_sale_as(&sale("Tasse", 900, 2000, "card"), None)
            .unwrap();
        assert_eq!(close_day(&mut store), "T1-Z000007");
        open_day(&mut store, "2026-12-03");
        let c = store
            .record_sale_as(&sale("Journal", 150, 210, "cheque"), None)
            .unwrap();
        assert_eq!(close_day(&mut store), "T1-Z000008");
        let conn = Connection::open(pristine.path().join(DB_FILE)).unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
        (b.number, c.number)
    };
    // What each tampering does to the till's verdict and to the since-last bundle's.
    #[rustfmt::skip]
    let cases: [(&str, &str, Edit, &str, Option<&str>); 4] = [
        ("untouched", "", |_, _| {}, "", None),
        ("a sale of the day the bundle starts in", &sale_b, |r, _| reprice(r, 30), "T1-Z000007", None),
        ("a sale of the next day", &sale_c, |r, _| reprice(r, 30), "T1-Z000008", Some("T1-Z000008")),
        ("the next Z's perpetual total", "T1-Z000008", |r, k| forge(r, k, |c| c.perpetual_total_cents.0 += 1), "T1-Z000008", Some("T1-Z000008")),
    ];
    for (what, number, edit, till_names, bundle_names) in cases {
        let work = copy_till(pristine.path());
        if !number.is_empty() {
            rewrite(work.path(), number, edit, Forger::Owner);
        }
        let mut store = Store::open(work.path()).unwrap();
        let defect = store.verify().unwrap().defect.map(|d| d.to_string());
        match till_names {
            "" => assert_eq!(defect, None, "{what}"),
            named => assert!(
                defect.as_deref().unwrap_or("").starts_with(named),
                "{what}: {defect:?}"
            ),
        }
        let out = tempfile::tempdir().unwrap();
        let bundle = export_since_last(&mut store, out.path());
        assert!(bundle.from_pos > 1, "{what}: a bundle mid-chain");
        let verdict = verify_bundle(Path::new(&bundle.folder)).unwrap();
        match bundle_names {
            None => assert!(verdict.ok, "{what}: {:?}", verdict.defect),
            Some(named) => assert!(
                verdict
                    .defect
                    .as_deref()
                    .unwrap_or("")
                    .contains(&format!(": {named} (closure")),
                "{what}: {:?}",
                verdict.defect
            ),
        }
    }
}

/// The till's own ways of opening and closing days all pass the audit, on the till and in its
/// bundle: a float and cash movements, a day left open past midnight and closed by the next
/// sale, a date opened a second time after its Z.
#[test]
fn every_way_the_till_closes_a_day_passes() {
    use relais_core::closure::{DenominationCount, Direction};
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let now = Arc::new(AtomicI64::new(1_796_112_000)); // 2026-12-01 09:00 Paris
    let clock = now.clone();
    store.set_clock(move || {
        chrono::DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).unwrap()
    });
    store
        .open_day_as(&OpenDayInput {
            business_day: None,
            denominations: vec![DenominationCount {
                value_cents: 2_000,
                count: 5,
            }],
            operator: "Marie".into(),
        })
        .unwrap();
    store
        .record_sale_as(&sale("Pain", 120, 550, "cash"), None)
        .unwrap();
    store
        .cash_movement_as(Direction::Out, 1_500, "paid_out", "facteur", "Marie", None)
        .unwrap();
    store
        .cash_movement_as(Direction::In, 500, "float_top_up", "monnaie", "Marie", None)
        .unwrap();
    now.fetch_add(24 * 3600, Ordering::SeqCst);
    store
        .record_sale_as(&sale("Tasse", 900, 2000, "card"), None)
        .unwrap();
    assert_eq!(close_day(&mut store), "T1-Z000005", "Z4 was automatic");
    open_day(&mut store, "2026-12-03");
    store
        .record_sale_as(&sale("Journal", 150, 210, "cheque"), None)
        .unwrap();
    assert_eq!(close_day(&mut store), "T1-Z000006");
    store
        .close_period_as(ClosurePeriod::Month, "2026-12", "Marie", None)
        .unwrap();
    assert_eq!(store.verify().unwrap().defect, None);
    assert!(store.status().unwrap().chain.ok);
    let out = tempfile::tempdir().unwrap();
    let bundle = export(&mut store, out.path());
    let verdict = verify_bundle(Path::new(&bundle.folder)).unwrap();
    assert!(verdict.ok, "{:?}", verdict.defect);
}
