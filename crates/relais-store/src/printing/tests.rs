use super::*;
use crate::tests::hire_marie_and_paul;
use crate::tests::{init_store, sale};
use crate::{CloseDayInput, ErrorKind};

fn network(uri: &str) -> PrinterSettings {
    PrinterSettings {
        uri: uri.into(),
        ..PrinterSettings::default()
    }
}

fn events_named(store: &Store, name: &str) -> usize {
    store
        .journal(None)
        .unwrap()
        .iter()
        .filter(|e| e.name == name)
        .count()
}

#[test]
fn printer_settings_are_checked_saved_and_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    hire_marie_and_paul(&mut store);
    assert_eq!(
        store.printer_settings().unwrap(),
        PrinterSettings::default()
    );
    // (settings, operator, the field refused or the error kind)
    let cases: Vec<(PrinterSettings, &str, Result<(), &str>)> = vec![
        (network("tcp://192.168.1.50:9100"), "Marie", Ok(())),
        (network("  file:///dev/usb/lp0 "), "Marie", Ok(())),
        (network("serial:///dev/ttyUSB0?baud=19200"), "Marie", Ok(())),
        (network("tcp://[::1]:9100"), "Marie", Ok(())),
        (network(""), "Marie", Ok(())),
        (network("http://printer"), "Marie", Err("uri")),
        (network("tcp://:9100"), "Marie", Err("uri")),
        (network("tcp://printer:0"), "Marie", Err("uri")),
        (network("file://"), "Marie", Err("uri")),
        (
            network("serial:///dev/ttyS0?baud=fast"),
            "Marie",
            Err("uri"),
        ),
        (network("tcp://a\u{1b}b"), "Marie", Err("uri")),
        (
            PrinterSettings {
                columns: 40,
                ..network("tcp://p")
            },
            "Marie",
            Err("columns"),
        ),
        (
            PrinterSettings {
                code_page: 0,
                ..network("tcp://p")
            },
            "Marie",
            Err("code_page"),
        ),
        (network("tcp://p"), "Paul", Err("forbidden")),
    ];
    for (settings, operator, expected) in cases {
        let before = events_named(&store, "settings_change");
        let result = store.set_printer_settings_as(&settings, operator);
        let after = events_named(&store, "settings_change");
        match (expected, result) {
            (Ok(()), Ok(())) => {
                let saved = store.printer_settings().unwrap();
                assert_eq!(saved.uri, settings.uri.trim(), "{settings:?}");
                assert_eq!(
                    saved,
                    PrinterSettings {
                        uri: saved.uri.clone(),
                        ..settings.clone()
                    }
                );
                assert_eq!(after, before + 1, "journaled: {settings:?}");
            }
            (Err("forbidden"), Err(e)) => {
                assert_eq!(e.kind(), ErrorKind::Forbidden, "{settings:?}");
                assert_eq!(after, before);
            }
            (Err(field), Err(StoreError::InvalidSetting { field: f, reason })) => {
                assert_eq!(f, field, "{settings:?}");
                assert!(
                    !reason.fr.is_empty() && reason.fr != reason.en,
                    "{reason:?}"
                );
                assert_eq!(after, before, "nothing journaled: {settings:?}");
            }
            (expected, got) => panic!("{settings:?}: expected {expected:?}, got {got:?}"),
        }
    }
    let event = store.journal(Some(1)).unwrap().pop().unwrap();
    assert_eq!((event.code, event.operator.as_str()), (270, "Marie"));
}

#[test]
fn a_receipt_prints_once_then_as_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let number = store.record_sale_as(&sale(120), None).unwrap().number;
    let copies = |store: &Store| store.verify().unwrap().summary.records;
    let records = copies(&store);
    // Not printed yet (the printer failed, say): asking again is still the original.
    for _ in 0..2 {
        let job = store.receipt_to_print_as(&number, "alice").unwrap();
        assert!(!job.duplicate);
        assert_eq!(
            (job.doc.number.as_str(), job.doc.copy_no),
            (number.as_str(), None)
        );
        assert_eq!(copies(&store), records, "nothing written");
    }
    store.mark_printed(&number).unwrap();
    store.mark_printed(&number).unwrap();
    for copy_no in 1..=2 {
        let job = store.receipt_to_print_as(&number, "alice").unwrap();
        assert!(job.duplicate);
        assert_eq!(job.doc.copy_no, Some(copy_no));
        assert_eq!(job.doc.number, number, "the copy shows the sale's number");
    }
    assert_eq!(copies(&store), records + 2, "each duplicate recorded");
    assert!(store.verify().unwrap().defect.is_none());
    assert!(matches!(
        store.receipt_to_print_as("T1-009999", "alice"),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn opening_the_drawer_needs_the_right_and_is_counted_in_x_and_z() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    hire_marie_and_paul(&mut store);
    let mut paul_sells = sale(100);
    paul_sells.operator = Some("Paul".into());
    let number = store.record_sale_as(&paul_sells, None).unwrap().number;
    let stranger = store.receipt_to_print_as(&number, "Inconnu").unwrap_err();
    assert_eq!(
        stranger.kind(),
        ErrorKind::Forbidden,
        "only staff print receipts"
    );
    // (who, cashiers allowed, opened)
    let cases = [
        ("Marie", false, true),
        ("Paul", false, false),
        ("Inconnu", false, false),
        ("Paul", true, true),
        ("Inconnu", true, false),
        ("Marie", true, true),
    ];
    let mut opened = 0;
    for (who, cashiers, allowed) in cases {
        let settings = PrinterSettings {
            cashiers_open_drawer: cashiers,
            ..network("tcp://p")
        };
        store.set_printer_settings_as(&settings, "Marie").unwrap();
        let result = store.record_drawer_opened_as(who);
        assert_eq!(result.is_ok(), allowed, "{who} ({cashiers}): {result:?}");
        if let Err(e) = result {
            assert_eq!(e.kind(), ErrorKind::Forbidden);
        } else {
            opened += 1;
            let event = store.journal(Some(1)).unwrap().pop().unwrap();
            assert_eq!((event.code, event.name.as_str()), (1100, "drawer_opened"));
            assert_eq!(event.operator, who);
        }
        assert_eq!(store.x_report().unwrap().totals.drawer_openings, opened);
    }
    let z = store
        .close_day_as(&CloseDayInput {
            counted: None,
            card_terminal_cents: None,
            note: None,
            operator: "Marie".into(),
            approval: None,
        })
        .unwrap();
    assert_eq!(z.closure.totals.drawer_openings, 3);
    let verified = store.verify().unwrap();
    assert!(verified.defect.is_none(), "{:?}", verified.defect);
    // A day with no opening signs the closure's bytes as before the count existed.
    let bytes = relais_core::closure::signing_bytes(&z.closure).unwrap();
    assert!(bytes.contains("\"drawer_openings\":3"));
    let mut none = z.closure.clone();
    none.totals.drawer_openings = 0;
    let bytes = relais_core::closure::signing_bytes(&none).unwrap();
    assert!(!bytes.contains("drawer_openings"), "{bytes}");
}

/// The X to print is the open day's figures; a Z to print is the closure as signed, found by
/// its number or the latest; an unknown number is not found.
#[test]
fn the_x_and_z_to_print_are_the_tills_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    hire_marie_and_paul(&mut store);
    let none = store.closure_doc(None).unwrap_err();
    assert_eq!(none.kind(), ErrorKind::NotFound);
    for cents in [250, 100] {
        let mut marie_sells = sale(cents);
        marie_sells.operator = Some("Marie".into());
        store.record_sale_as(&marie_sells, None).unwrap();
    }
    let x = store.x_report_doc().unwrap();
    let config = store.config().expect("set up").clone();
    assert_eq!(
        (x.shop.clone(), x.till.as_str()),
        (config.shop.clone(), config.till.as_str())
    );
    assert_eq!(x.title, "RAPPORT X");
    assert_eq!(x.totals, store.x_report().unwrap().totals);
    assert_eq!(x.totals.sales, 2);
    assert!(x.closure.is_none());
    let z = store
        .close_day_as(&CloseDayInput {
            counted: None,
            card_terminal_cents: None,
            note: None,
            operator: "Marie".into(),
            approval: None,
        })
        .unwrap();
    // (number asked, found)
    let cases: [(Option<&str>, Result<&str, ErrorKind>); 3] = [
        (None, Ok(z.number.as_str())),
        (Some(z.number.as_str()), Ok(z.number.as_str())),
        (Some("T1-Z999999"), Err(ErrorKind::NotFound)),
    ];
    for (asked, found) in cases {
        match (store.closure_doc(asked), found) {
            (Ok(doc), Ok(number)) => {
                assert_eq!(doc.title, format!("CLÔTURE Z {number}"));
                assert_eq!(doc.closure.as_ref(), Some(&z.closure));
                assert_eq!(doc.totals.sales, 2);
            }
            (Err(e), Err(kind)) => assert_eq!(e.kind(), kind, "{asked:?}"),
            (got, want) => panic!("{asked:?}: got {got:?}, want {want:?}"),
        }
    }
}

/// An order's slip: the till's shop and code, the order as it stands (deposit, balance); a
/// sale's number or an unknown one is `not_found`. Printing it writes nothing.
#[test]
fn an_order_slip_is_the_order_as_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    hire_marie_and_paul(&mut store);
    let order: relais_core::order::OrderInput = serde_json::from_value(serde_json::json!({
        "customer": {"name": "Mme Durand", "phone": "06 12 34 56 78"},
        "lines": [{"label": "Gâteau 8 parts", "unit_price_cents": 3200, "vat_rate_bp": 550}],
        "requested_date": "2026-12-24",
        "deposit": [{"method": "card", "amount_cents": 1000}],
        "operator": "Paul"
    }))
    .unwrap();
    let taken = store.create_order_as(&order, None).unwrap();
    let mut marie_sells = sale(250);
    marie_sells.operator = Some("Marie".into());
    let sold = store.record_sale_as(&marie_sells, None).unwrap();
    let before = store.journal(None).unwrap().len();
    let config = store.config().expect("set up").clone();
    // (reference asked, the slip's number and balance, or the error kind)
    type Slip<'a> = Result<(&'a str, i64), ErrorKind>;
    let cases: [(&str, Slip); 4] = [
        (&taken.number, Ok((&taken.number, 2200))),
        (&taken.id, Ok((&taken.number, 2200))),
        (&sold.number, Err(ErrorKind::NotFound)),
        ("T1-C999999", Err(ErrorKind::NotFound)),
    ];
    for (asked, wanted) in cases {
        match (store.order_slip_doc(asked), wanted) {
            (Ok(doc), Ok((number, balance))) => {
                assert_eq!(doc.number, number);
                assert_eq!(doc.balance_cents.0, balance);
                assert_eq!(doc.deposits_cents.0, 1000);
                assert_eq!((&doc.shop, doc.till.as_str()), (&config.shop, "T1"));
                assert_eq!(doc.customer.name, "Mme Durand");
            }
            (Err(e), Err(kind)) => assert_eq!(e.kind(), kind, "{asked}"),
            (got, want) => panic!("{asked}: got {got:?}, want {want:?}"),
        }
    }
    assert_eq!(
        store.journal(None).unwrap().len(),
        before,
        "nothing written"
    );
}
