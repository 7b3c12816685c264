use super::*;
use crate::day::{CloseDayInput, OpenDayInput};
use crate::staff::Role;
use crate::tests::init_store;
use relais_core::order::OrderInput;
use relais_core::sale::LateInput;
use relais_core::SaleInput;
use serde_json::json;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub(crate) fn sale(label: &str, price: i64, rate: u32, method: &str) -> SaleInput {
    let payment = match method {
        "cash" => json!({"method": "cash", "tendered_cents": price + 500}),
        m => json!({"method": m, "amount_cents": price, "reference": "REF"}),
    };
    serde_json::from_value(json!({
        "lines": [{"label": label, "unit_price_cents": price, "vat_rate_bp": rate}],
        "payments": [payment], "operator": "Marie"
    }))
    .unwrap()
}

/// Three closed days of sales, a refund, a void, an order with its deposit and a late
/// paper sale: everything a bundle must carry.
pub(crate) fn busy_till(dir: &Path) -> Store {
    let mut store = init_store(dir);
    store
        .add_staff_as("Marie", Role::Manager, "1234", "setup")
        .unwrap();
    let now = Arc::new(AtomicI64::new(1_795_852_800)); // 2026-11-28 09:00 Paris
    let clock = now.clone();
    store.set_clock(move || {
        chrono::DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).unwrap()
    });
    store
        .outage_started_as(
            Some("2026-11-27 08:00"),
            "rançongiciel chez l'hébergeur",
            "Marie",
        )
        .unwrap();
    for day in 0..3 {
        store
            .open_day_as(&OpenDayInput {
                business_day: None,
                denominations: vec![],
                operator: "Marie".into(),
            })
            .unwrap();
        store
            .record_sale_as(&sale("Pain", 120, 550, "cash"), None)
            .unwrap();
        store
            .record_sale_as(&sale("Tasse", 900, 2000, "card"), None)
            .unwrap();
        store
            .record_sale_as(&sale("Journal", 150, 210, "cheque"), None)
            .unwrap();
        if day == 1 {
            store
                .void_sale_as("T1-000004", "erreur", "Marie", None)
                .unwrap();
            let refund = crate::RefundInput {
                sale: "T1-000005".into(),
                lines: vec![crate::RefundLineInput {
                    line: 0,
                    qty: "1".into(),
                }],
                method: "card".into(),
                reference: None,
                reason: "cassée".into(),
                operator: "Marie".into(),
                approval: None,
            };
            store.refund_as(&refund).unwrap();
            let order: OrderInput = serde_json::from_value(json!({
                "customer": {"name": "Mme Durand", "phone": "0612345678"},
                "lines": [{"label": "Gâteau", "unit_price_cents": 3200, "vat_rate_bp": 550}],
                "deposit": [{"method": "card", "amount_cents": 1000}], "operator": "Marie"
            }))
            .unwrap();
            store.create_order_as(&order, None).unwrap();
            let mut late = sale("Croissant", 110, 550, "cash");
            late.late = Some(LateInput {
                sold_at: "2026-11-27 10:00".into(),
                slip: "P-1".into(),
                seller: Some("Lucie".into()),
                allow_duplicate: false,
            });
            store.record_sale_as(&late, None).unwrap();
        }
        store
            .close_day_as(&CloseDayInput {
                operator: "Marie".into(),
                ..CloseDayInput::default()
            })
            .unwrap();
        now.fetch_add(24 * 3600, Ordering::SeqCst);
    }
    store
}

pub(super) fn export(store: &mut Store, out: &Path) -> ExportReport {
    store
        .export_as(&ExportOptions {
            out: out.to_path_buf(),
            operator: "Marie".into(),
            ..ExportOptions::default()
        })
        .unwrap()
}

pub(crate) fn cents(text: &str) -> i64 {
    relais_core::Money::parse(text).unwrap().0
}

/// An independent reader: the CSV files with a plain CSV reader, records.jsonl with a plain
/// JSON parser; every total recomputed and compared with the manifest.
#[test]
fn a_bundle_round_trips_through_plain_readers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    let report = export(&mut store, out.path());
    let folder = PathBuf::from(&report.folder);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    let totals = &manifest["totals"];

    let mut by_kind: BTreeMap<String, i64> = BTreeMap::new();
    let mut sale_totals: BTreeMap<String, i64> = BTreeMap::new();
    for row in csv::Reader::from_path(folder.join("csv/sales.csv"))
        .unwrap()
        .records()
    {
        let row = row.unwrap();
        *by_kind.entry(row[2].to_string()).or_default() += cents(&row[8]);
        sale_totals.insert(row[0].to_string(), cents(&row[8]));
    }
    assert_eq!(by_kind["sale"], totals["sales_cents"].as_i64().unwrap());
    assert_eq!(by_kind["refund"], totals["refunds_cents"].as_i64().unwrap());
    assert_eq!(by_kind["void"], totals["voids_cents"].as_i64().unwrap());
    let mut from_lines: BTreeMap<String, i64> = BTreeMap::new();
    for row in csv::Reader::from_path(folder.join("csv/sale_lines.csv"))
        .unwrap()
        .records()
    {
        let row = row.unwrap();
        *from_lines.entry(row[0].to_string()).or_default() += cents(&row[13]);
    }
    assert_eq!(from_lines, sale_totals, "every sale's lines add up to it");
    // VAT per rate and money per tender, summed from the CSV rows as a spreadsheet would.
    let mut vat: BTreeMap<i64, [i64; 3]> = BTreeMap::new();
    for row in csv::Reader::from_path(folder.join("csv/sale_vat.csv"))
        .unwrap()
        .records()
    {
        let row = row.unwrap();
        let sums = vat.entry(cents(&row[3])).or_default();
        for (sum, column) in sums.iter_mut().zip([4, 5, 6]) {
            *sum += cents(&row[column]);
        }
    }
    let manifest_vat: BTreeMap<i64, [i64; 3]> = totals["vat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let amount = |key: &str| v[key].as_i64().unwrap();
            (
                amount("rate_bp"),
                [amount("ht_cents"), amount("vat_cents"), amount("ttc_cents")],
            )
        })
        .filter(|(_, sums)| sums != &[0, 0, 0])
        .collect();
    assert_eq!(vat, manifest_vat, "VAT per rate");
    let mut tenders: BTreeMap<String, i64> = BTreeMap::new();
    for row in csv::Reader::from_path(folder.join("csv/payments.csv"))
        .unwrap()
        .records()
    {
        let row = row.unwrap();
        *tenders.entry(row[3].to_string()).or_default() += cents(&row[4]);
    }
    let manifest_tenders: BTreeMap<String, i64> = totals["tenders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let method = t["method"].as_str().unwrap().to_string();
            (method, t["amount_cents"].as_i64().unwrap())
        })
        .filter(|(_, amount)| *amount != 0)
        .collect();
    tenders.retain(|_, amount| *amount != 0);
    assert_eq!(tenders, manifest_tenders, "money per tender");
    // The French dialect says the same with ';' and decimal commas.
    let excel = std::fs::read_to_string(folder.join("excel-fr/sales.csv")).unwrap();
    assert!(excel.starts_with("\u{feff}id;number;kind"));
    let mut excel_reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(excel.trim_start_matches('\u{feff}').as_bytes());
    let excel_total: i64 = excel_reader.records().map(|r| cents(&r.unwrap()[8])).sum();
    assert_eq!(excel_total, totals["total_cents"].as_i64().unwrap());

    let mut jsonl_total = 0;
    let mut count = 0;
    for line in std::fs::read_to_string(folder.join("records.jsonl"))
        .unwrap()
        .lines()
    {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        count += 1;
        if ["sale", "refund", "void"].contains(&value["record"]["kind"].as_str().unwrap()) {
            jsonl_total += value["record"]["data"]["total_cents"].as_i64().unwrap();
        }
    }
    assert_eq!(jsonl_total, totals["total_cents"].as_i64().unwrap());
    // The events' numbers (shared with day openings and order changes) are all listed.
    let rows = |file: &str| {
        csv::Reader::from_path(folder.join(file))
            .unwrap()
            .records()
            .filter(|r| r.as_ref().unwrap()[1].contains("-E"))
            .count()
    };
    let e_series = std::fs::read_to_string(folder.join("records.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| {
            let value: serde_json::Value = serde_json::from_str(l).unwrap();
            ["event", "day_open", "order_event"]
                .contains(&value["record"]["kind"].as_str().unwrap())
        })
        .count();
    assert_eq!(
        rows("csv/events.csv") + rows("csv/order_events.csv"),
        e_series
    );
    assert_eq!(count, report.records);
    let orders = std::fs::read_to_string(folder.join("csv/orders.csv")).unwrap();
    assert!(orders.contains("Mme Durand"), "{orders}");
    for row in csv::Reader::from_path(folder.join("csv/order_lines.csv"))
        .unwrap()
        .records()
    {
        let qty = row.unwrap()[3].to_string();
        let decimals = qty.split_once('.').map(|(_, d)| d.len());
        assert_eq!(decimals, Some(3), "quantities have three decimals: {qty}");
    }
    let closures = csv::Reader::from_path(folder.join("csv/closures.csv"))
        .unwrap()
        .records()
        .count();
    assert_eq!(closures, 3);
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    for text in [
        "Mme Durand",
        "rançongiciel",
        "P-1",
        "<svg",
        "Par taux de TVA",
        "Numérotation",
        "aucun trou dans aucune série",
    ] {
        assert!(html.contains(text), "report.html lacks {text}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched from the network"
    );
    let verdict = verify_bundle(&folder).unwrap();
    assert!(verdict.ok, "{:?}", verdict.defect);
}

#[test]
fn a_range_exported_again_gives_the_same_files_and_increments_follow_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let first = export(&mut store, &dir.path().join("usb1"));
    // Things change after the range: the order becomes ready, the outage ends.
    let order = store.orders(&Default::default()).unwrap().remove(0);
    store.order_ready_as(&order.number, None, "Marie").unwrap();
    store.outage_ended_as(None, "Marie").unwrap();
    let again = store
        .export_as(&ExportOptions {
            out: dir.path().join("usb2"),
            range: Some((first.from_pos, first.to_pos)),
            operator: "Marie".into(),
            ..ExportOptions::default()
        })
        .unwrap();
    let mut files = Vec::new();
    collect_bundle_files(Path::new(&first.folder), &mut files);
    assert!(files.iter().any(|f| f == "csv/orders.csv"));
    for file in &files {
        let a = std::fs::read(Path::new(&first.folder).join(file)).unwrap();
        let b = std::fs::read(Path::new(&again.folder).join(file)).unwrap();
        assert!(
            a == b,
            "{file} differs between two exports of the same range"
        );
    }
    store
        .record_sale_as(&sale("Pain", 120, 550, "cash"), None)
        .unwrap();
    let next = store
        .export_as(&ExportOptions {
            out: dir.path().join("usb3"),
            since_last: true,
            zip: true,
            operator: "Marie".into(),
            ..ExportOptions::default()
        })
        .unwrap();
    assert_eq!(
        next.from_pos,
        again.to_pos + 1,
        "right after the last position exported"
    );
    assert_eq!(next.sales, 1);
    let (order_now, order_then) = (store.order(&order.number).unwrap(), order);
    assert_ne!(order_now.status, order_then.status, "the order did change");
    // An older range exported again does not send the next increment back to its end.
    store
        .export_as(&ExportOptions {
            out: dir.path().join("usb4"),
            range: Some((first.from_pos, first.to_pos)),
            operator: "Marie".into(),
            ..ExportOptions::default()
        })
        .unwrap();
    assert_eq!(store.status().unwrap().unexported_sales, 0);
    let after_redo = store
        .export_as(&ExportOptions {
            out: dir.path().join("usb5"),
            since_last: true,
            operator: "Marie".into(),
            ..ExportOptions::default()
        })
        .unwrap();
    assert_eq!(after_redo.from_pos, next.to_pos + 1);
    assert_eq!(after_redo.sales, 0);
    assert!(verify_bundle(Path::new(&next.folder)).unwrap().ok);
    assert!(
        verify_bundle(Path::new(next.zip.as_ref().unwrap()))
            .unwrap()
            .ok,
        "the zip verifies too"
    );
    let journal = store.journal(None).unwrap();
    assert_eq!(journal.iter().filter(|e| e.code == 110).count(), 5);
}

/// A body that cannot be read stops the export with the error, wherever in the pipeline it
/// is met, and leaves no half bundle behind.
#[test]
fn an_unreadable_record_stops_the_export_and_leaves_no_folder() {
    for position in [2, 9, 20] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = busy_till(dir.path());
        let conn = rusqlite::Connection::open(dir.path().join("relais.db")).unwrap();
        conn.execute_batch("DROP TRIGGER ledger_no_update;")
            .unwrap();
        let changed = conn
            .execute(
                "UPDATE ledger SET body = '{\"v\":1}' WHERE pos = ?1",
                [position],
            )
            .unwrap();
        assert_eq!(changed, 1);
        let out = dir.path().join("usb");
        let err = store
            .export_as(&ExportOptions {
                out: out.clone(),
                operator: "Marie".into(),
                ..ExportOptions::default()
            })
            .expect_err("an unreadable record");
        assert!(matches!(err, StoreError::Corrupt(_)), "{position}: {err}");
        let left = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
        assert_eq!(left, 0, "{position}: a half bundle was left");
    }
}

/// The FEC accounts for every ticket of the bundle: the days closed, and the paper sales keyed
/// in for a day that was never closed (or after its closure); every entry balances. It is
/// named after the SIREN and the last day, in ISO 8859-15.
#[test]
fn the_fec_journal_holds_every_ticket_and_balances() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    let report = store
        .export_as(&ExportOptions {
            out: out.path().to_path_buf(),
            fec: true,
            operator: "Marie".into(),
            ..ExportOptions::default()
        })
        .unwrap();
    let name = "123456789FEC20261130.txt";
    assert!(report.files.iter().any(|f| f.path == name), "{name} listed");
    let bytes = std::fs::read(Path::new(&report.folder).join(name)).unwrap();
    assert!(
        bytes.windows(3).any(|w| w == b"cl\xF4"),
        "« clôture » in ISO 8859-15"
    );
    // ISO 8859-15 is Latin-1 for every character the journal's own words use.
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let mut by_entry: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut turnover = 0;
    for line in text.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let (debit, credit) = (cents(columns[11]), cents(columns[12]));
        let sums = by_entry.entry(columns[2].to_string()).or_default();
        sums.0 += debit;
        sums.1 += credit;
        if columns[4].starts_with("7070") || columns[4].starts_with("44571") {
            turnover += credit - debit;
        }
    }
    for (entry, (debit, credit)) in &by_entry {
        assert_eq!(debit, credit, "entry {entry} balances");
    }
    assert_eq!(
        turnover, report.totals.total_cents.0,
        "every ticket, once:\n{text}"
    );
    assert!(
        text.contains("Ventes du 2026-11-27 saisies a posteriori"),
        "the paper day never closed has its entry"
    );
}

/// The hourly chart spans the usual hours, and any other hour that sold.
#[test]
fn the_hourly_chart_shows_a_sale_made_late_at_night() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    // 2026-12-01 23:30 in Paris.
    store.set_clock(|| chrono::DateTime::from_timestamp(1_796_164_200, 0).unwrap());
    store
        .record_sale_as(&sale("Vin chaud", 350, 2000, "cash"), None)
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let folder = PathBuf::from(export(&mut store, out.path()).folder);
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(html.contains("<title>23h : 3,50</title>"), "the 23h bar");
    assert!(
        html.contains(">3,50&nbsp;€</text>"),
        "its value written on it"
    );
    assert!(html.contains(">6h</text>"), "the usual hours stay");
}
