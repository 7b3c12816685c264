use super::*;
use crate::bounds::MAX_AMOUNT_CENTS;
use crate::i18n::Lang;
use crate::money::DEFAULT_VAT_RATES;
use serde_json::json;

fn sale(value: serde_json::Value) -> SaleInput {
    serde_json::from_value(value).expect("test input parses")
}

/// (name, lines, ticket discount, expected total, expected [(rate, HT, VAT, TTC)]).
/// Every expected figure below was computed by hand; the comment shows the arithmetic.
#[test]
fn vat_totals_match_hand_computed_values() {
    type Case = (
        &'static str,
        serde_json::Value,
        serde_json::Value,
        i64,
        &'static [(u32, i64, i64, i64)],
    );
    let cases: Vec<Case> = vec![
        (
            // 1.5 × 12,50 = 18,75; HT 1875/1.2 = 1562.5 → 1563
            "weighed line, half cent HT",
            json!([{"label":"Divers","unit_price_cents":1250,"vat_rate_bp":2000,"qty":"1.5"}]),
            json!({}),
            1875,
            &[(2000, 1563, 312, 1875)],
        ),
        (
            // 20 %: 3 × 1,99 = 597, 597/1.2 = 497.5 → 498; 10 %: 450/1.1 = 409.09 → 409;
            // 5,5 %: 1990/1.055 = 1886.26 → 1886
            "three rates on one ticket",
            json!([
                {"label":"Livre","unit_price_cents":1990,"vat_rate_bp":550},
                {"label":"Stylo","unit_price_cents":199,"vat_rate_bp":2000,"qty":3},
                {"label":"Sandwich","unit_price_cents":450,"vat_rate_bp":1000}
            ]),
            json!({}),
            3037,
            &[
                (2000, 498, 99, 597),
                (1000, 409, 41, 450),
                (550, 1886, 104, 1990),
            ],
        ),
        (
            // 1.250 kg × 3,99 = 498.75 → 499; 499/1.055 = 472.99 → 473
            "1.250 kg of cheese",
            json!([{"label":"Comté","unit_price_cents":399,"vat_rate_bp":550,"qty":"1,250"}]),
            json!({}),
            499,
            &[(550, 473, 26, 499)],
        ),
        (
            // 0.333 × 15 = 4.995 → 5; 5/1.2 = 4.17 → 4
            "rounding edge on a tiny weight",
            json!([{"label":"Épice","unit_price_cents":15,"vat_rate_bp":2000,"qty":0.333}]),
            json!({}),
            5,
            &[(2000, 4, 1, 5)],
        ),
        (
            // 0.5 × 1 = 0.5 → 1 cent; 1/1.2 = 0.83 → 1: no VAT on one cent
            "one cent",
            json!([{"label":"Bonbon","unit_price_cents":1,"vat_rate_bp":2000,"qty":"0.5"}]),
            json!({}),
            1,
            &[(2000, 1, 0, 1)],
        ),
        (
            // 3 × 9,99 = 2997; 10 % = 299.7 → 300; 2697/1.2 = 2247.5 → 2248
            "line discount in percent",
            json!([{"label":"Tasse","unit_price_cents":999,"vat_rate_bp":2000,"qty":3,"discount_percent":"10"}]),
            json!({}),
            2697,
            &[(2000, 2248, 449, 2697)],
        ),
        (
            // 5,00 over 10,00 and 30,00 → 1,25 and 3,75; 875/1.2 = 729.17 → 729;
            // 2625/1.055 = 2488.15 → 2488
            "ticket discount spread over two rates",
            json!([
                {"label":"Cadre","unit_price_cents":1000,"vat_rate_bp":2000},
                {"label":"Atlas","unit_price_cents":3000,"vat_rate_bp":550}
            ]),
            json!({"ticket_discount_cents": 500}),
            3500,
            &[(2000, 729, 146, 875), (550, 2488, 137, 2625)],
        ),
        (
            // 10 % of 33,34 = 333.4 → 333, spread 333/0 (largest remainder); 3001/1.2 → 2501
            "ticket discount in percent, remainder cent",
            json!([
                {"label":"A","unit_price_cents":3333,"vat_rate_bp":2000},
                {"label":"B","unit_price_cents":1,"vat_rate_bp":2000}
            ]),
            json!({"ticket_discount_percent": "10"}),
            3001,
            &[(2000, 2501, 500, 3001)],
        ),
        (
            // 2 × 0,99 − 0,50 = 1,48; 148/1.021 = 144.96 → 145
            "press at 2.1 % with an amount discount",
            json!([{"label":"Journal","unit_price_cents":99,"vat_rate_bp":210,"qty":2,"discount_cents":50}]),
            json!({}),
            148,
            &[(210, 145, 3, 148)],
        ),
    ];
    for (name, lines, discount, total, vat) in cases {
        let mut input = json!({"lines": lines, "payments": []});
        for (k, v) in discount.as_object().unwrap() {
            input[k] = v.clone();
        }
        input["payments"] = json!([{"method":"card","amount_cents": total}]);
        let ticket =
            price_sale(&sale(input), &DEFAULT_VAT_RATES).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ticket.total_cents.0, total, "{name}: total");
        let got: Vec<(u32, i64, i64, i64)> = ticket
            .vat
            .iter()
            .map(|v| (v.rate_bp.0, v.ht_cents.0, v.vat_cents.0, v.ttc_cents.0))
            .collect();
        assert_eq!(got, vat, "{name}: VAT breakdown");
        let line_sum: i64 = ticket.lines.iter().map(|l| l.total_cents.0).sum();
        assert_eq!(line_sum, total, "{name}: lines add up to the total");
    }
}

#[test]
fn cash_change_is_computed() {
    let input = sale(json!({
        "lines":[{"label":"Divers","unit_price_cents":1250,"vat_rate_bp":2000,"qty":"1.5"}],
        "payments":[{"method":"cash","tendered_cents":2000}]
    }));
    let ticket = price_sale(&input, &DEFAULT_VAT_RATES).unwrap();
    let cash = &ticket.payments[0];
    assert_eq!(cash.amount_cents, Money(1875));
    assert_eq!(cash.tendered_cents, Some(Money(2000)));
    assert_eq!(cash.change_cents, Some(Money(125)));
}

#[test]
fn split_payment_card_then_cash() {
    let input = sale(json!({
        "lines":[{"label":"Veste","unit_price_cents":8990,"vat_rate_bp":2000}],
        "payments":[
            {"method":"card","amount_cents":5000,"reference":"TPE 004512"},
            {"method":"cash","tendered_cents":5000}
        ]
    }));
    let ticket = price_sale(&input, &DEFAULT_VAT_RATES).unwrap();
    assert_eq!(ticket.payments[1].amount_cents, Money(3990));
    assert_eq!(ticket.payments[1].change_cents, Some(Money(1010)));
    assert_eq!(ticket.payments[0].reference.as_deref(), Some("TPE 004512"));
}

/// Each bad sale names the field at fault and the reason.
#[test]
fn bad_sales_are_refused_with_field_and_reason() {
    let line = json!({"label":"Divers","unit_price_cents":1000,"vat_rate_bp":2000});
    let pay = json!([{"method":"card","amount_cents":1000}]);
    type Expected = fn(&Problem) -> bool;
    let cases: Vec<(&str, serde_json::Value, &str, Expected)> = vec![
        (
            "empty sale",
            json!({"lines":[],"payments":pay}),
            "lines",
            |p| matches!(p, Problem::NoLines),
        ),
        (
            "underpaid",
            json!({"lines":[line],"payments":[{"method":"cash","amount_cents":900}]}),
            "payments",
            |p| matches!(p, Problem::Underpaid { .. }),
        ),
        (
            "overpaid",
            json!({"lines":[line],"payments":[{"method":"card","amount_cents":1100}]}),
            "payments",
            |p| matches!(p, Problem::Overpaid { .. }),
        ),
        (
            "change on card",
            json!({"lines":[line],"payments":[{"method":"card","amount_cents":1000,"tendered_cents":2000}]}),
            "payments[0].tendered_cents",
            |p| matches!(p, Problem::ChangeOnNonCash),
        ),
        (
            "zero quantity",
            json!({"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":2000,"qty":0}],"payments":pay}),
            "lines[0].qty",
            |p| matches!(p, Problem::NonPositiveQty),
        ),
        (
            "negative quantity",
            json!({"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":2000,"qty":"-1"}],"payments":pay}),
            "lines[0].qty",
            |p| matches!(p, Problem::NonPositiveQty),
        ),
        (
            "four decimals",
            json!({"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":2000,"qty":"1.0001"}],"payments":pay}),
            "lines[0].qty",
            |p| matches!(p, Problem::BadNumber(_)),
        ),
        (
            "unknown VAT rate",
            json!({"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":1900}],"payments":pay}),
            "lines[0].vat_rate_bp",
            |p| matches!(p, Problem::UnknownVatRate { .. }),
        ),
        (
            "price beyond the bound",
            json!({"lines":[{"label":"X","unit_price_cents":i64::MAX,"vat_rate_bp":2000,"qty":1000}],"payments":pay}),
            "lines[0].unit_price_cents",
            |p| matches!(p, Problem::AmountAboveLimit),
        ),
        (
            "beyond the bound across lines",
            json!({"lines":[
                {"label":"X","unit_price_cents":MAX_AMOUNT_CENTS,"vat_rate_bp":2000},
                {"label":"Y","unit_price_cents":MAX_AMOUNT_CENTS,"vat_rate_bp":2000}],"payments":pay}),
            "lines",
            |p| matches!(p, Problem::AmountAboveLimit),
        ),
        (
            "missing label",
            json!({"lines":[{"label":"  ","unit_price_cents":1000,"vat_rate_bp":2000}],"payments":pay}),
            "lines[0].label",
            |p| matches!(p, Problem::MissingLabel),
        ),
        (
            "negative price",
            json!({"lines":[{"label":"X","unit_price_cents":-1,"vat_rate_bp":2000}],"payments":pay}),
            "lines[0].unit_price_cents",
            |p| matches!(p, Problem::NegativePrice),
        ),
        (
            "discount above the line",
            json!({"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":2000,"discount_cents":1001}],"payments":pay}),
            "lines[0].discount",
            |p| matches!(p, Problem::DiscountOutOfRange { .. }),
        ),
        (
            "unknown method",
            json!({"lines":[line],"payments":[{"method":"bitcoin","amount_cents":1000}]}),
            "payments[0].method",
            |p| matches!(p, Problem::UnknownMethod(_)),
        ),
        (
            "no payment",
            json!({"lines":[line],"payments":[]}),
            "payments",
            |p| matches!(p, Problem::NoPayments),
        ),
        (
            "other without label",
            json!({"lines":[line],"payments":[{"method":"other","amount_cents":1000}]}),
            "payments[0].reference",
            |p| matches!(p, Problem::MissingReference),
        ),
        (
            "zero payment",
            json!({"lines":[line],"payments":[{"method":"card","amount_cents":0},{"method":"card","amount_cents":1000}]}),
            "payments[0].amount_cents",
            |p| matches!(p, Problem::NonPositiveAmount),
        ),
    ];
    for (name, input, field, expected) in cases {
        let err = price_sale(&sale(input), &DEFAULT_VAT_RATES).expect_err(name);
        assert_eq!(err.field, field, "{name}: {err}");
        assert!(expected(&err.problem), "{name}: unexpected {err}");
        assert!(!err.message(Lang::Fr).is_empty());
    }
}

#[test]
fn unknown_fields_are_refused() {
    let parsed: Result<SaleInput, _> = serde_json::from_value(json!({
        "lines":[{"label":"X","unit_price":1000,"vat_rate_bp":2000}],"payments":[]
    }));
    assert!(parsed.unwrap_err().to_string().contains("unit_price"));
}

#[test]
fn a_free_sale_needs_no_payment() {
    let input = sale(json!({
        "lines":[{"label":"Échantillon","unit_price_cents":0,"vat_rate_bp":2000}],
        "payments":[]
    }));
    assert_eq!(
        price_sale(&input, &DEFAULT_VAT_RATES).unwrap().total_cents,
        Money(0)
    );
}

#[test]
fn a_void_is_the_exact_opposite() {
    let input = sale(json!({
        "lines":[
            {"label":"A","unit_price_cents":1999,"vat_rate_bp":2000,"qty":"1.333"},
            {"label":"B","unit_price_cents":250,"vat_rate_bp":550}],
        "ticket_discount_cents": 7,
        "payments":[{"method":"cash","tendered_cents":5000}]
    }));
    let ticket = price_sale(&input, &DEFAULT_VAT_RATES).unwrap();
    let link = crate::ticket::Link {
        id: Uuid::nil(),
        number: "T1-000001".into(),
    };
    let void = ticket.negated(link, None).unwrap();
    assert_eq!(void.total_cents.0, -ticket.total_cents.0);
    for (v, s) in void.vat.iter().zip(&ticket.vat) {
        assert_eq!(
            (v.ht_cents.0, v.vat_cents.0),
            (-s.ht_cents.0, -s.vat_cents.0)
        );
    }
    let paid: i64 = void.payments.iter().map(|p| p.amount_cents.0).sum();
    assert_eq!(paid, void.total_cents.0);
}
