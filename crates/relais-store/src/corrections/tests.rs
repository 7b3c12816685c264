use super::*;
use crate::tests::{init_store, sale};

/// What the return screen is told is left of a line (quantity and amount) after each
/// refund: the manager's approval names the amount from it before the refund is sent.
#[test]
fn the_amount_left_of_a_line_follows_its_refunds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let number = store.record_sale_as(&sale(335), None).unwrap().number; // 2 × 3,35 €
    let refund = |store: &mut Store, qty: &str| {
        store
            .refund_as(&RefundInput {
                sale: number.clone(),
                lines: vec![RefundLineInput {
                    line: 0,
                    qty: qty.into(),
                }],
                method: "cash".into(),
                reference: None,
                reason: "Cassé".into(),
                operator: "alice".into(),
                approval: None,
            })
            .unwrap()
            .total_cents
    };
    let left = |store: &Store| {
        let line = &store.sale_for_return(&number).unwrap().lines[0];
        (line.sold_milli, line.left_milli, line.left_cents)
    };
    assert_eq!(left(&store), (2000, 2000, 670));
    assert_eq!(refund(&mut store, "1"), -335);
    assert_eq!(left(&store), (2000, 1000, 335));
    assert_eq!(refund(&mut store, "1"), -335);
    assert_eq!(left(&store), (2000, 0, 0));
}
