use super::*;
use crate::money::DEFAULT_VAT_RATES;
use crate::record::{Body, Record, FORMAT_VERSION};
use crate::sale::{price_sale, SaleInput};
use serde_json::json;
use uuid::Uuid;

fn shop() -> Shop {
    Shop {
        name: "Épicerie « Chez Zoé »".into(),
        address: "12 rue des Œillets, 75011 Paris".into(),
        siret: "123 456 789 00012".into(),
        vat_number: "FR12123456789".into(),
    }
}

fn sale() -> Record {
    let input: SaleInput = serde_json::from_value(json!({
        "lines": [
            {"label":"Œufs frais x6","unit_price_cents":329,"vat_rate_bp":550,"qty":2},
            {"label":"Café moulu pur arabica d'Éthiopie, torréfaction artisanale","unit_price_cents":1290,"vat_rate_bp":550,"discount_cents":100},
            {"label":"Tire-bouchon","unit_price_cents":1500,"vat_rate_bp":2000},
            {"label":"Comté","unit_price_cents":2390,"vat_rate_bp":550,"qty":"0,412"}
        ],
        "ticket_discount_cents": 50,
        "payments": [{"method":"card","amount_cents":1000,"reference":"A12"},{"method":"cash","tendered_cents":5000}],
        "note": "Livraison jeudi"
    }))
    .expect("test input parses");
    Record {
        v: FORMAT_VERSION,
        id: Uuid::parse_str("019ac9a4-1f00-7000-8000-000000000042").unwrap(),
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

/// The 42-column text as it was before the printer's layout shared its rows (a label
/// longer than the width included): the CLI and the store show exactly this.
#[test]
fn the_text_receipt_is_unchanged() {
    let text = render(&shop(), &sale(), "abcdef0123456789", Some(2), "0.1.0");
    assert_eq!(text, include_str!("receipt_golden.txt"));
}

/// At every printer width, every row fits (a heading row prints double width), and the
/// layout keeps every word of the text form: only where rows break differs.
#[test]
fn the_layout_fits_every_width_and_keeps_every_word() {
    let doc = ReceiptDoc::of(&shop(), &sale(), "abcdef0123456789", Some(2), "0.1.0").unwrap();
    let words = |text: &str| {
        let mut words: Vec<String> = text
            .split_whitespace()
            .filter(|w| !w.chars().all(|c| c == '-'))
            .map(String::from)
            .collect();
        words.sort();
        words
    };
    let text = include_str!("receipt_golden.txt");
    for width in [32, 42, 48] {
        let rows = layout(&doc, width);
        for row in &rows {
            let limit = match row.style {
                RowStyle::Heading => width / 2,
                _ => width,
            };
            assert!(row.text.chars().count() <= limit, "{width}: {row:?}");
        }
        let joined: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(words(&joined.join("\n")), words(text), "{width}");
        let total = rows
            .iter()
            .find(|r| r.text.starts_with("TOTAL TTC"))
            .unwrap();
        assert_eq!(total.style, RowStyle::Strong);
        assert!(total.text.ends_with("42,83 EUR"), "{width}: {total:?}");
    }
}

#[test]
fn wrap_cuts_at_spaces_and_long_words_where_it_must() {
    let cases: [(&str, usize, &[&str]); 6] = [
        ("", 10, &[""]),
        ("Tire-bouchon", 20, &["Tire-bouchon"]),
        (
            "Café moulu pur arabica",
            10,
            &["Café moulu", "pur", "arabica"],
        ),
        ("abcdefghijkl", 5, &["abcde", "fghij", "kl"]),
        ("  2 x 3,29", 6, &["  2 x", "3,29"]),
        ("a  b", 1, &["a", "b"]),
    ];
    for (text, width, expected) in cases {
        assert_eq!(wrap(text, width), expected, "{text:?} at {width}");
    }
}
