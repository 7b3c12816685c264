use super::*;
use crate::tests::{hire_marie_and_paul, init_store};
use crate::ErrorKind;
use relais_core::Money;

fn cart(lines: serde_json::Value) -> SaleInput {
    serde_json::from_value(json!({ "lines": lines, "payments": [] })).unwrap()
}

#[test]
fn an_abandoned_cart_is_journaled_with_its_amount_and_nothing_is_sold() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    hire_marie_and_paul(&mut store);
    let baguettes = json!([
        {"department": "ALIM", "unit_price_cents": 120, "qty": 2},
        {"label": "Croissant", "unit_price_cents": 95, "vat_rate_bp": 550},
    ]);
    // (cart, operator, the amount and lines journaled, or the refusal's kind)
    type Case<'a> = (SaleInput, &'a str, Result<(i64, u32), ErrorKind>);
    let cases: Vec<Case> = vec![
        (cart(baguettes.clone()), "Paul", Ok((335, 2))),
        (
            cart(json!([{"department": "DIVERS", "unit_price_cents": 4990}])),
            "Marie",
            Ok((4990, 1)),
        ),
        (cart(json!([])), "Paul", Err(ErrorKind::InvalidInput)),
        (cart(baguettes), "Nobody", Err(ErrorKind::Forbidden)),
        (
            cart(json!([{"department": "NOPE", "unit_price_cents": 100}])),
            "Paul",
            Err(ErrorKind::InvalidSale),
        ),
    ];
    for (input, operator, expected) in cases {
        let records = store.verify().unwrap().summary.records;
        let result = store.record_abandoned_cart_as(&input, operator);
        let after = store.verify().unwrap().summary.records;
        match (expected, result) {
            (Ok((amount, lines)), Ok(abandoned)) => {
                assert_eq!(
                    abandoned,
                    Abandoned {
                        amount_cents: amount,
                        lines
                    }
                );
                assert_eq!(after, records + 1, "one event, no sale");
                let event = store.journal(Some(1)).unwrap().pop().unwrap();
                assert_eq!((event.code, event.name.as_str()), (1200, "cart_abandoned"));
                assert_eq!(event.operator, operator);
                let shown = Money(amount).to_string();
                assert!(event.message.contains(&format!("{shown} €")), "{event:?}");
            }
            (Err(kind), Err(e)) => {
                assert_eq!(e.kind(), kind, "{input:?}: {e}");
                assert_eq!(after, records, "nothing journaled");
            }
            (expected, got) => panic!("{input:?}: expected {expected:?}, got {got:?}"),
        }
    }
    assert_eq!(
        store.status().unwrap().sales,
        0,
        "an abandoned cart is no sale"
    );
}
