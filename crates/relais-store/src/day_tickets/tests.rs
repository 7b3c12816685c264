use super::*;
use crate::tests::init_store;
use crate::{CloseDayInput, RefundInput, RefundLineInput};
use chrono::{TimeZone, Utc};
use relais_core::SaleInput;
use serde_json::json;

fn sale(cents: i64, payments: serde_json::Value) -> SaleInput {
    serde_json::from_value(json!({
        "lines": [{"label": "Baguette", "unit_price_cents": cents, "vat_rate_bp": 550, "qty": 1}],
        "payments": payments,
        "operator": "alice"
    }))
    .unwrap()
}

/// (number, time, total, methods, voided, refunded), newest first.
type Row = (String, String, i64, Vec<String>, bool, bool);

fn rows(store: &Store) -> Vec<Row> {
    store
        .day_tickets()
        .unwrap()
        .tickets
        .into_iter()
        .map(|t| {
            (
                t.number,
                t.time,
                t.total_cents,
                t.methods,
                t.voided,
                t.refunded,
            )
        })
        .collect()
}

fn row(
    number: &str,
    time: &str,
    total: i64,
    methods: &[&str],
    voided: bool,
    refunded: bool,
) -> Row {
    let methods = methods.iter().map(|m| m.to_string()).collect();
    (number.into(), time.into(), total, methods, voided, refunded)
}

/// The list a cashier searches: newest first, local times, each method once, and the sales
/// voided or refunded since marked; after the Z it still shows that day until the next.
#[test]
fn the_days_tickets_newest_first_with_their_corrections() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    assert_eq!(store.day_tickets().unwrap().business_day, None);
    // 8:05 UTC is 9:05 in Paris in December.
    store.set_clock(|| Utc.with_ymd_and_hms(2026, 12, 7, 8, 5, 0).unwrap());
    let cash = json!([{"method": "cash", "tendered_cents": 500}]);
    let split = json!([
        {"method": "card", "amount_cents": 300},
        {"method": "cash", "amount_cents": 100},
        {"method": "card", "amount_cents": 390}
    ]);
    let first = store
        .record_sale_as(&sale(250, cash.clone()), None)
        .unwrap();
    store.set_clock(|| Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 15).unwrap());
    let second = store.record_sale_as(&sale(790, split), None).unwrap();
    let third = store.record_sale_as(&sale(120, cash), None).unwrap();
    store
        .refund_as(&RefundInput {
            sale: second.number.clone(),
            lines: vec![RefundLineInput {
                line: 0,
                qty: "1".into(),
            }],
            method: "cash".into(),
            reference: None,
            reason: "Rassis".into(),
            operator: "alice".into(),
            approval: None,
        })
        .unwrap();
    store
        .void_sale_as(&third.number, "Erreur", "alice", None)
        .unwrap();
    let expected = vec![
        row(&third.number, "10:30:15", 120, &["cash"], true, false),
        row(
            &second.number,
            "10:30:15",
            790,
            &["card", "cash"],
            false,
            true,
        ),
        row(&first.number, "09:05:00", 250, &["cash"], false, false),
    ];
    assert_eq!(rows(&store), expected);
    let listed = store.day_tickets().unwrap();
    assert_eq!(listed.business_day.as_deref(), Some("2026-12-07"));
    assert!(!listed.truncated);
    assert_eq!(listed.tickets[0].operator, "alice");

    store
        .close_day_as(&CloseDayInput {
            operator: "alice".into(),
            ..CloseDayInput::default()
        })
        .unwrap();
    assert_eq!(
        rows(&store),
        expected,
        "after the Z, the closed day's tickets"
    );
    store.set_clock(|| Utc.with_ymd_and_hms(2026, 12, 8, 8, 0, 0).unwrap());
    let next = store
        .record_sale_as(
            &sale(100, json!([{"method": "cheque", "amount_cents": 100}])),
            None,
        )
        .unwrap();
    assert_eq!(
        rows(&store),
        vec![row(
            &next.number,
            "09:00:00",
            100,
            &["cheque"],
            false,
            false
        )],
        "the next day lists only its own"
    );
}
