use super::*;
use crate::closure::DayOpenData;
use crate::event::{EventData, EventType};
use crate::gate::check_body;
use crate::money::DEFAULT_VAT_RATES;
use crate::record::Body;
use crate::sale::{price_sale, Problem, SaleInput};
use proptest::prelude::*;
use serde_json::json;

fn sale(value: serde_json::Value) -> SaleInput {
    serde_json::from_value(value).expect("test input parses")
}

fn one_line(line: serde_json::Value, payment: serde_json::Value) -> SaleInput {
    sale(json!({"lines": [line], "payments": [payment]}))
}

/// (name, sale, Ok(total) or Err((field, problem))): the bounds as a script meets them.
#[test]
fn sales_beyond_the_bounds_are_refused_where_they_break_them() {
    type Case = (
        &'static str,
        SaleInput,
        Result<i64, (&'static str, Problem)>,
    );
    let cash = |cents: i64| json!({"method": "cash", "amount_cents": cents});
    let cases: Vec<Case> = vec![
        (
            "1 000 000,00 € exactly",
            one_line(
                json!({"label":"x","unit_price_cents":100_000_000,"vat_rate_bp":2000}),
                cash(100_000_000),
            ),
            Ok(100_000_000),
        ),
        (
            "a unit price of 5·10¹⁸ cents",
            one_line(
                json!({"label":"x","unit_price_cents":5_000_000_000_000_000_000_i64,"vat_rate_bp":2000}),
                cash(1),
            ),
            Err(("lines[0].unit_price_cents", Problem::AmountAboveLimit)),
        ),
        (
            "a quantity of 10⁹",
            one_line(
                json!({"label":"x","unit_price_cents":1250,"vat_rate_bp":2000,"qty":1_000_000_000}),
                cash(1),
            ),
            Err(("lines[0].qty", Problem::QtyAboveLimit)),
        ),
        (
            "99 999,999 × 12,50 € is beyond a line",
            one_line(
                json!({"label":"x","unit_price_cents":1250,"vat_rate_bp":2000,"qty":"99999,999"}),
                cash(1),
            ),
            Err(("lines[0].qty", Problem::AmountAboveLimit)),
        ),
        (
            "two lines of 600 000 € each",
            sale(json!({"lines": [
                {"label":"a","unit_price_cents":60_000_000,"vat_rate_bp":2000},
                {"label":"b","unit_price_cents":60_000_000,"vat_rate_bp":2000}],
                "payments": [cash(120_000_000)]})),
            Err(("lines", Problem::AmountAboveLimit)),
        ),
        (
            "a discount does not lift the bound on the lines",
            sale(json!({"lines": [
                {"label":"a","unit_price_cents":60_000_000,"vat_rate_bp":2000,"discount_cents":30_000_000},
                {"label":"b","unit_price_cents":60_000_000,"vat_rate_bp":2000}],
                "payments": [cash(90_000_000)]})),
            Err(("lines", Problem::AmountAboveLimit)),
        ),
        (
            "cash tendered beyond the bound",
            one_line(
                json!({"label":"x","unit_price_cents":500,"vat_rate_bp":2000}),
                json!({"method":"cash","tendered_cents":200_000_000}),
            ),
            Err(("payments[0].tendered_cents", Problem::AmountAboveLimit)),
        ),
        (
            "a payment beyond the bound",
            one_line(
                json!({"label":"x","unit_price_cents":500,"vat_rate_bp":2000}),
                json!({"method":"card","amount_cents":5_000_000_000_000_000_000_i64}),
            ),
            Err(("payments[0].amount_cents", Problem::AmountAboveLimit)),
        ),
        (
            "ESC in a label",
            one_line(
                json!({"label":"Caf\u{1b}[2Jé","unit_price_cents":150,"vat_rate_bp":1000}),
                cash(150),
            ),
            Err(("lines[0].label", Problem::ControlCharacter('\u{1b}'))),
        ),
        (
            "BEL in a payment's reference",
            one_line(
                json!({"label":"x","unit_price_cents":150,"vat_rate_bp":1000}),
                json!({"method":"other","amount_cents":150,"reference":"a\u{7}"}),
            ),
            Err(("payments[0].reference", Problem::ControlCharacter('\u{7}'))),
        ),
        (
            "NUL in the note",
            sale(
                json!({"lines":[{"label":"x","unit_price_cents":150,"vat_rate_bp":1000}],"payments":[cash(150)],"note":"a\u{0}b"}),
            ),
            Err(("note", Problem::ControlCharacter('\u{0}'))),
        ),
        (
            "a right-to-left override in a label",
            one_line(
                json!({"label":"abc\u{202e}fdp.exe","unit_price_cents":150,"vat_rate_bp":1000}),
                cash(150),
            ),
            Err(("lines[0].label", Problem::ControlCharacter('\u{202e}'))),
        ),
        (
            "a tab and a line break are spaces",
            one_line(
                json!({"label":"Pain\tde\nmie","unit_price_cents":150,"vat_rate_bp":1000}),
                cash(150),
            ),
            Ok(150),
        ),
    ];
    for (name, input, expected) in cases {
        let outcome = price_sale(&input, &DEFAULT_VAT_RATES);
        match (outcome, expected) {
            (Ok(ticket), Ok(total)) => {
                assert_eq!(ticket.total_cents.0, total, "{name}");
                check_body(&Body::Sale(ticket)).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            (Err(error), Err((field, problem))) => {
                assert_eq!(
                    (error.field.as_str(), &error.problem),
                    (field, &problem),
                    "{name}"
                )
            }
            (outcome, expected) => panic!("{name}: got {outcome:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn a_tab_or_line_break_in_a_label_is_recorded_as_a_space() {
    let input = one_line(
        json!({"label":"Pain\tde\r\nmie","unit_price_cents":150,"vat_rate_bp":1000}),
        json!({"method":"cash","amount_cents":150}),
    );
    let ticket = price_sale(&input, &DEFAULT_VAT_RATES).expect("priced");
    assert_eq!(ticket.lines[0].label, "Pain de  mie");
}

/// Records that reach the store by other ways than `price_sale` (orders, the float, events,
/// a hand-edited import) meet the same bounds at the last gate before the ledger.
#[test]
fn the_last_gate_checks_every_record() {
    let priced = price_sale(
        &one_line(
            json!({"label":"x","unit_price_cents":500,"vat_rate_bp":2000}),
            json!({"method":"cash","amount_cents":500}),
        ),
        &DEFAULT_VAT_RATES,
    )
    .expect("priced");
    let mut huge = priced.clone();
    huge.lines[0].unit_price_cents = Money(5_000_000_000_000_000_000);
    let mut spoofed = priced.clone();
    spoofed.lines[0].label = "\u{1b}[31mrouge".into();
    let float = |cents| {
        Body::DayOpen(DayOpenData {
            float_cents: Money(cents),
            denominations: vec![],
            automatic: false,
        })
    };
    let event =
        |message: &str, details| Body::Event(EventData::new(EventType::Export, message, details));
    let cases: Vec<(&str, Body, Option<&str>)> = vec![
        ("a priced sale", Body::Sale(priced), None),
        (
            "a unit price of 5·10¹⁸",
            Body::Sale(huge),
            Some("lines[0].unit_price_cents"),
        ),
        (
            "ESC in a label",
            Body::Sale(spoofed),
            Some("lines[0].label"),
        ),
        ("a float of 150 €", float(15_000), None),
        (
            "a float of 5·10¹⁸",
            float(5_000_000_000_000_000_000),
            Some("float_cents"),
        ),
        (
            "an event's totals are the till's own",
            event("Export", json!({"total_cents": 1_000_000_000_000_i64})),
            None,
        ),
        (
            "BEL in an event",
            event("a\u{7}", json!({})),
            Some("message"),
        ),
        (
            "a line break in an event's text",
            event("deux\nlignes", json!({})),
            None,
        ),
    ];
    for (name, body, refused_at) in cases {
        let path = check_body(&body).err().map(|e| match e {
            OutOfBounds::Amount { path, .. } | OutOfBounds::Character { path, .. } => path,
        });
        assert_eq!(path.as_deref(), refused_at, "{name}");
    }
}

#[test]
fn the_messages_say_what_and_where_in_both_languages() {
    let amount = OutOfBounds::Amount {
        path: "float_cents".into(),
        value: 200_000_000,
        limit: MAX_AMOUNT_CENTS,
    };
    assert_eq!(
        amount.text().fr,
        "montant hors limites (float_cents = 2000000,00 €) : au plus 1000000,00 €"
    );
    let character = OutOfBounds::Character {
        path: "lines[0].label".into(),
        code: 0x1b,
    };
    assert_eq!(
        character.text().en,
        "forbidden control character U+001B in lines[0].label"
    );
}

/// The sums every report makes: a figure adds at most a few amounts of each record (expected
/// cash: float, cash sales, change, movements in and out), over at most MAX_RECORDS records,
/// for at most MAX_MERGED_TILLS tills.
#[test]
fn every_total_over_a_till_and_a_shop_fits() {
    let terms_per_record: i128 = 5;
    let worst_till = i128::from(MAX_AMOUNT_CENTS) * i128::from(MAX_RECORDS) * terms_per_record;
    assert!(worst_till < i128::from(i64::MAX));
    let worst_shop = i128::from(MAX_TOTAL_CENTS) * i128::from(MAX_MERGED_TILLS);
    assert!(worst_shop <= i128::from(i64::MAX));
    // Thirty years of a till selling one maximal ticket a second stays inside one till's sum.
    let thirty_years_of_seconds: i128 = 30 * 366 * 24 * 3600;
    assert!(thirty_years_of_seconds < i128::from(MAX_RECORDS));
}

fn any_line() -> impl Strategy<Value = serde_json::Value> {
    (
        0..=2 * MAX_AMOUNT_CENTS,
        1..=2 * MAX_QTY_MILLI,
        prop::option::of(0..=MAX_AMOUNT_CENTS),
    )
        .prop_map(|(price, qty_milli, discount)| {
            let qty = format!("{}.{:03}", qty_milli / 1000, qty_milli % 1000);
            let mut line =
                json!({"label":"x","unit_price_cents":price,"vat_rate_bp":550,"qty":qty});
            if let Some(discount) = discount {
                line["discount_cents"] = json!(discount);
            }
            line
        })
}

proptest! {
    /// Whatever a script sends, a sale is priced within the bounds or refused for a reason
    /// that names a bound: never an arithmetic overflow, never a record the gate refuses.
    #[test]
    fn any_sale_is_within_the_bounds_or_refused_for_them(
        lines in prop::collection::vec(any_line(), 1..4),
        tendered in 0..=2 * MAX_AMOUNT_CENTS,
    ) {
        let input = sale(json!({"lines": lines, "payments": [{"method":"cash","tendered_cents": tendered}]}));
        match price_sale(&input, &DEFAULT_VAT_RATES) {
            Ok(ticket) => {
                prop_assert!(ticket.total_cents.0 <= MAX_AMOUNT_CENTS);
                prop_assert!(check_body(&Body::Sale(ticket)).is_ok());
            }
            Err(error) => prop_assert!(
                !matches!(error.problem, Problem::Overflow),
                "overflow at {}", error.field
            ),
        }
    }
}
