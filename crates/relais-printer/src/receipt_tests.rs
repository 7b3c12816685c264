//! A real receipt (`ReceiptDoc::of` a priced sale) printed at each width and code page to
//! the fake printer over TCP, then read back as the printer printed it.

use crate::codepage::CodePage;
use crate::escpos::Pin;
use crate::fake::{self, Answer, Event, FakePrinter, Line};
use crate::layout::{receipt, test_page, Setup, SAMPLES};
use crate::status::Status;
use crate::transport::Printer;
use relais_core::receipt::ReceiptDoc;
use relais_core::record::{Body, Record, FORMAT_VERSION};
use relais_core::{price_sale, SaleInput, Shop, DEFAULT_VAT_RATES};
use serde_json::json;

const LABELS: [&str; 4] = [
    "Œufs frais de la ferme x6",
    "Café moulu pur arabica d'Éthiopie torréfaction artisanale",
    "Tire-bouchon",
    "Comté",
];

pub(crate) fn shop() -> Shop {
    Shop {
        name: "Épicerie « Chez Zoé »".into(),
        address: "12 rue des Œillets, 75011 Paris".into(),
        siret: "123 456 789 00012".into(),
        vat_number: "FR12123456789".into(),
    }
}

pub(crate) fn sale() -> Record {
    let input: SaleInput = serde_json::from_value(json!({
        "lines": [
            {"label": LABELS[0], "unit_price_cents": 329, "vat_rate_bp": 550, "qty": 2},
            {"label": LABELS[1], "unit_price_cents": 1290, "vat_rate_bp": 550, "discount_cents": 100},
            {"label": LABELS[2], "unit_price_cents": 1500, "vat_rate_bp": 2000},
            {"label": LABELS[3], "unit_price_cents": 2390, "vat_rate_bp": 550, "qty": "0,412"}
        ],
        "ticket_discount_cents": 50,
        "payments": [{"method": "card", "amount_cents": 1000}, {"method": "cash", "tendered_cents": 5000}]
    }))
    .expect("test input parses");
    Record {
        v: FORMAT_VERSION,
        id: uuid::Uuid::parse_str("019ac9a4-1f00-7000-8000-000000000042").unwrap(),
        till: "T1".into(),
        pos: 7,
        seq: 42,
        at: "2026-11-28T14:16:09.123Z".into(),
        tz: "Europe/Paris".into(),
        utc_offset_min: 60,
        business_day: "2026-11-28".into(),
        operator: "Zoé".into(),
        training: false,
        body: Body::Sale(price_sale(&input, &DEFAULT_VAT_RATES).expect("priced")),
    }
}

/// What the printer prints for `text` (CP858 has no Œ).
fn printed(page: CodePage, text: &str) -> String {
    page.decode(&page.encode(text))
}

/// Everything a receipt must show, read from what the printer printed.
fn check(name: &str, doc: &ReceiptDoc, setup: &Setup, drawer: bool, events: &[Event]) {
    let page = setup.page;
    let lines: Vec<Line> = fake::lines(events);
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let all = texts.join(" ");
    for line in &lines {
        assert!(line.columns <= setup.columns, "{name}: too wide: {line:?}");
    }
    assert_eq!(
        events.get(1),
        Some(&Event::CodePage(page.number())),
        "{name}"
    );
    let heading: Vec<&Line> = lines
        .iter()
        .filter(|l| l.columns > l.text.chars().count())
        .collect();
    let heading = heading
        .iter()
        .map(|l| l.text.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        heading,
        printed(page, &doc.shop.name),
        "{name}: the shop's name, double"
    );
    assert!(
        !all.contains('\u{FFFD}') && !all.contains('?'),
        "{name}: {all}"
    );
    for label in LABELS {
        assert!(
            all.contains(&printed(page, label)),
            "{name}: {label} in {texts:#?}"
        );
    }
    for amount in ["6,58 C", "12,90 C", "15,00 A", "9,85 C", "-1,00"] {
        assert!(
            texts.iter().any(|t| t.trim_end().ends_with(amount)),
            "{name}: {amount}"
        );
    }
    let total = lines
        .iter()
        .find(|l| l.text.starts_with("TOTAL TTC"))
        .expect(name);
    assert!(
        total.bold && total.text.ends_with("42,83 EUR"),
        "{name}: {total:?}"
    );
    for row in [
        ["A", "20", "%", "12,36", "2,47", "14,83"],
        ["C", "5,5", "%", "26,54", "1,46", "28,00"],
    ] {
        let found = texts
            .iter()
            .any(|t| t.split_whitespace().eq(row.iter().copied()));
        assert!(found, "{name}: VAT row {row:?} in {texts:#?}");
    }
    for (left, right) in [
        ("Espèces", "32,83"),
        ("Montant remis", "50,00"),
        ("Rendu", "17,17"),
    ] {
        let line = texts
            .iter()
            .find(|t| t.trim_start().starts_with(&printed(page, left)));
        assert!(
            line.is_some_and(|t| t.ends_with(right)),
            "{name}: {left} {right}"
        );
    }
    let duplicata = doc.copy_no.map(|n| format!("*** DUPLICATA {n} ***"));
    let found = lines.iter().find(|l| l.text.contains("DUPLICATA"));
    assert_eq!(
        found.map(|l| l.text.trim().to_string()),
        duplicata,
        "{name}"
    );
    assert!(found.is_none_or(|l| l.bold), "{name}");
    let qr: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::Qr(_)))
        .collect();
    assert_eq!(
        qr,
        [&Event::Qr(doc.qr_text.clone())],
        "{name}: the QR code holds the id and the hash"
    );
    let pulses = events
        .iter()
        .filter(|e| matches!(e, Event::Pulse { .. }))
        .count();
    assert_eq!(pulses, usize::from(drawer), "{name}");
    assert_eq!(
        events.last(),
        Some(&Event::Cut { partial: true }),
        "{name}: cut at the end"
    );
    let unknown: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::Unknown(_)))
        .collect();
    assert!(unknown.is_empty(), "{name}: {unknown:?}");
}

#[test]
fn receipts_print_whole_at_every_width_and_code_page() {
    let fake = FakePrinter::start(Answer::Status(Status::ready())).unwrap();
    let printer = Printer::new(&fake.uri()).unwrap();
    let record = sale();
    // (columns, code page, copy, drawer)
    let cases = [
        (32, CodePage::Wpc1252, None, false),
        (32, CodePage::Cp858, Some(1), true),
        (42, CodePage::Wpc1252, Some(1), false),
        (42, CodePage::Cp858, None, false),
        (48, CodePage::Wpc1252, None, true),
        (48, CodePage::Cp858, Some(3), false),
    ];
    for (columns, page, copy_no, drawer) in cases {
        let doc = ReceiptDoc::of(&shop(), &record, "abcdef0123456789", copy_no, "0.1.0").unwrap();
        let setup = Setup {
            columns,
            page,
            drawer: Some(Pin::Two),
        };
        printer.print(&receipt(&doc, &setup, drawer)).unwrap();
    }
    let received = fake.received(cases.len());
    assert_eq!(received.len(), cases.len());
    for ((columns, page, copy_no, drawer), bytes) in cases.into_iter().zip(received) {
        let name = format!("{columns} columns, {page:?}, copy {copy_no:?}");
        let doc = ReceiptDoc::of(&shop(), &record, "abcdef0123456789", copy_no, "0.1.0").unwrap();
        let events = fake::decode(&bytes);
        assert_eq!(
            events[..3],
            [
                Event::StatusRequest(1),
                Event::StatusRequest(2),
                Event::StatusRequest(4)
            ]
        );
        let setup = Setup {
            columns,
            page,
            drawer: Some(Pin::Two),
        };
        check(&name, &doc, &setup, drawer, &events[3..]);
    }
    fake.stop();
}

#[test]
fn the_test_page_shows_the_width_and_the_french_letters() {
    for columns in crate::layout::WIDTHS {
        for page in [CodePage::Wpc1252, CodePage::Cp858] {
            let setup = Setup {
                columns,
                page,
                drawer: Some(Pin::Five),
            };
            let events = fake::decode(&test_page(&setup, true));
            let lines = fake::lines(&events);
            for line in &lines {
                assert!(line.columns <= columns, "{columns}: {line:?}");
            }
            let texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
            assert!(texts.iter().any(
                |t| t.chars().count() == columns && t.ends_with(['.', '0', '1', '2', '3', '4'])
            ));
            for sample in SAMPLES {
                assert!(
                    texts.contains(&printed(page, sample)),
                    "{columns} {page:?}: {sample}"
                );
            }
            let tail = &events[events.len() - 2..];
            assert_eq!(
                tail,
                [
                    Event::Pulse {
                        pin: 5,
                        on_ms: 50,
                        off_ms: 500
                    },
                    Event::Cut { partial: true }
                ]
            );
        }
    }
}
