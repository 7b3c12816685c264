use super::*;
use crate::tests::{hire_marie_and_paul, init_store};
use crate::{Approval, ErrorKind};

fn events_named(store: &Store, name: &str) -> usize {
    store
        .journal(None)
        .unwrap()
        .iter()
        .filter(|e| e.name == name)
        .count()
}

fn chosen(code: &str) -> SaleSettings {
    SaleSettings {
        default_department: code.into(),
        ..SaleSettings::default()
    }
}

#[test]
fn the_default_department_is_chosen_by_a_manager_and_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    hire_marie_and_paul(&mut store);
    let never_set = store.default_department().unwrap().unwrap();
    assert_eq!(never_set.code, "DIVERS", "the first department in order");

    // (asked, operator, the department a typed price then goes to, or the refusal's kind)
    let cases: &[(&str, &str, Result<&str, ErrorKind>)] = &[
        ("ALIM", "Marie", Ok("ALIM")),
        ("alimentation", "Marie", Ok("ALIM")),
        (" presse ", "Marie", Ok("PRESSE")),
        ("", "Marie", Ok("DIVERS")),
        ("NOPE", "Marie", Err(ErrorKind::InvalidSetting)),
        ("LIVRES", "Paul", Err(ErrorKind::Forbidden)),
    ];
    for (asked, operator, expected) in cases {
        let before_events = events_named(&store, "settings_change");
        let before = store.default_department().unwrap().unwrap().code;
        let result = store.set_sale_settings_as(&chosen(asked), operator);
        let now = store.default_department().unwrap().unwrap().code;
        let after_events = events_named(&store, "settings_change");
        match (expected, result) {
            (Ok(code), Ok(())) => {
                assert_eq!(now, *code, "{asked:?}");
                assert_eq!(after_events, before_events + 1, "journaled: {asked:?}");
            }
            (Err(kind), Err(e)) => {
                assert_eq!(e.kind(), *kind, "{asked:?}: {e}");
                assert_eq!(now, before, "unchanged after {asked:?}");
                assert_eq!(after_events, before_events, "nothing journaled: {asked:?}");
            }
            (expected, got) => panic!("{asked:?}: expected {expected:?}, got {got:?}"),
        }
    }
    store
        .set_sale_settings_as(&chosen("RESTO"), "Marie")
        .unwrap();
    assert_eq!(store.sale_settings().unwrap(), chosen("RESTO"));
    let event = store.journal(Some(1)).unwrap().pop().unwrap();
    assert_eq!((event.code, event.operator.as_str()), (270, "Marie"));
    assert!(event.message.contains("RESTO"), "{event:?}");
}

/// A sale of one 10,00 € line and one 190,00 € line by `operator`, with `discounts`
/// (the first line's and the ticket's, as `SaleInput` members).
fn discounted(operator: &str, discounts: serde_json::Value) -> relais_core::SaleInput {
    let mut sale = serde_json::json!({
        "operator": operator,
        "lines": [
            {"label": "Gâteau", "unit_price_cents": 1000, "vat_rate_bp": 550},
            {"label": "Pièce montée", "unit_price_cents": 19000, "vat_rate_bp": 550},
        ],
        "payments": [{"method": "cash", "tendered_cents": 100000}],
    });
    for (key, value) in discounts.as_object().unwrap() {
        if let Some(line_key) = key.strip_prefix("line_") {
            sale["lines"][0][line_key] = value.clone();
        } else {
            sale[key] = value.clone();
        }
    }
    serde_json::from_value(sale).unwrap()
}

#[test]
fn discounts_above_the_threshold_need_a_manager() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    hire_marie_and_paul(&mut store);
    assert_eq!(
        (
            store.sale_settings().unwrap().discount_approval_percent,
            store.sale_settings().unwrap().discount_approval_cents
        ),
        (20, 2000),
        "20 % or 20,00 € by default"
    );
    let marie = Approval {
        manager: "Marie".into(),
        pin: "1234".into(),
    };
    let wrong_pin = Approval {
        manager: "Marie".into(),
        pin: "0000".into(),
    };
    let paul = Approval {
        manager: "Paul".into(),
        pin: "5678".into(),
    };
    use serde_json::json;
    // (who sells, the discounts, the approval, recorded with an override journaled, or the
    // refusal's kind)
    type Case<'a> = (
        &'a str,
        serde_json::Value,
        Option<&'a Approval>,
        Result<bool, ErrorKind>,
    );
    let cases: Vec<Case> = vec![
        ("Paul", json!({}), None, Ok(false)),
        ("Paul", json!({"line_discount_cents": 200}), None, Ok(false)),
        (
            "Paul",
            json!({"line_discount_percent": "20"}),
            None,
            Ok(false),
        ),
        (
            "Paul",
            json!({"line_discount_cents": 201}),
            None,
            Err(ErrorKind::Forbidden),
        ),
        (
            "Paul",
            json!({"line_discount_percent": "25"}),
            None,
            Err(ErrorKind::Forbidden),
        ),
        (
            "Paul",
            json!({"ticket_discount_cents": 2000}),
            None,
            Ok(false),
        ),
        (
            "Paul",
            json!({"ticket_discount_cents": 2001}),
            None,
            Err(ErrorKind::Forbidden),
        ),
        (
            "Paul",
            json!({"ticket_discount_percent": "15"}),
            None,
            Err(ErrorKind::Forbidden),
        ),
        (
            "Paul",
            json!({"line_discount_percent": "50"}),
            Some(&marie),
            Ok(true),
        ),
        (
            "Paul",
            json!({"ticket_discount_percent": "50"}),
            Some(&marie),
            Ok(true),
        ),
        (
            "Paul",
            json!({"line_discount_percent": "50"}),
            Some(&wrong_pin),
            Err(ErrorKind::BadCredentials),
        ),
        (
            "Paul",
            json!({"line_discount_percent": "50"}),
            Some(&paul),
            Err(ErrorKind::Forbidden),
        ),
        (
            "Marie",
            json!({"line_discount_percent": "50", "ticket_discount_percent": "50"}),
            None,
            Ok(false),
        ),
    ];
    for (operator, discounts, approval, expected) in cases {
        let sales_before = store.status().unwrap().sales;
        let overrides_before = events_named(&store, "rights_change");
        let sale = discounted(operator, discounts.clone());
        let result =
            store.record_sale_with_as(&sale, None, &crate::SaleOptions::approved(approval));
        let what = format!("{operator} {discounts} {:?}", approval.map(|a| &a.manager));
        let overrides = events_named(&store, "rights_change") - overrides_before;
        match (expected, result) {
            (Ok(journaled), Ok(recorded)) => {
                assert_eq!(overrides, usize::from(journaled), "{what}");
                if journaled {
                    let event = store.journal(Some(1)).unwrap().pop().unwrap();
                    assert!(
                        event.message.starts_with("Marie autorise une remise de")
                            && event.message.contains(&recorded.number),
                        "{what}: {event:?}"
                    );
                }
            }
            (Err(kind), Err(e)) => {
                assert_eq!(e.kind(), kind, "{what}: {e}");
                assert_eq!(store.status().unwrap().sales, sales_before, "{what}");
                assert_eq!(overrides, 0, "{what}");
            }
            (expected, got) => panic!("{what}: expected {expected:?}, got {got:?}"),
        }
    }
    // The refusal names the discount, its amount and share, and the threshold, in French.
    let refused = store
        .record_sale_as(
            &discounted("Paul", json!({"line_discount_percent": "30"})),
            None,
        )
        .unwrap_err();
    assert_eq!(
        refused.message(relais_core::Lang::Fr),
        "Une remise de 3,00 € (30 %) sur « Gâteau » dépasse le seuil du magasin (20 % ou 20,00 €) : un responsable doit la valider avec son code PIN"
    );

    // A manager raises the threshold: the same discount needs nobody, and it is journaled.
    let raised = SaleSettings {
        discount_approval_percent: 50,
        discount_approval_cents: 10_000,
        ..SaleSettings::default()
    };
    assert_eq!(
        store
            .set_sale_settings_as(&raised, "Paul")
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );
    store.set_sale_settings_as(&raised, "Marie").unwrap();
    assert_eq!(store.sale_settings().unwrap(), raised);
    let event = store.journal(Some(1)).unwrap().pop().unwrap();
    assert!(event.message.contains("50 % ou 100,00 €"), "{event:?}");
    store
        .record_sale_as(
            &discounted("Paul", json!({"line_discount_percent": "30"})),
            None,
        )
        .unwrap();
    for bad in [
        SaleSettings {
            discount_approval_percent: 101,
            ..raised.clone()
        },
        SaleSettings {
            discount_approval_cents: -1,
            ..raised.clone()
        },
    ] {
        let e = store.set_sale_settings_as(&bad, "Marie").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidSetting, "{bad:?}");
    }
}
