//! Three tills of one shop exchanging records as `relais shop sync` does (without the
//! network): an order taken at T1 and collected at T2, then, in a partition, at T3 too.

use crate::{RedeemInput, SellVoucherInput, Store};
use relais_core::order::{OrderInput, OrderStatus};
use relais_core::sale::PaymentInput;
use serde_json::json;

fn pay(method: &str, amount: i64) -> PaymentInput {
    PaymentInput {
        method: method.into(),
        amount_cents: Some(amount),
        tendered_cents: None,
        reference: None,
    }
}

/// What `to` lacks of `from`'s chain, received.
fn pull(to: &mut Store, from: &Store) {
    let code = from.config().unwrap().till.clone();
    let held = to.peer(&code).unwrap().held;
    let lines = from.records_after(held, 1_000_000).unwrap();
    let batch = to.receive_peer_records(&code, &lines).unwrap();
    assert_eq!(batch.defect, None);
}

fn all_pull(tills: &mut [Store; 3]) {
    for to in 0..3 {
        for from in 0..3 {
            if to != from {
                let (a, b) = if to < from {
                    let (left, right) = tills.split_at_mut(from);
                    (&mut left[to], &right[0])
                } else {
                    let (left, right) = tills.split_at_mut(to);
                    (&mut right[0], &left[from])
                };
                pull(a, b);
            }
        }
    }
}

/// Three tills of one shop, each paired with the two others.
fn three_tills(dirs: &[tempfile::TempDir; 3]) -> [Store; 3] {
    let mut tills = [0, 1, 2]
        .map(|i| super::tests::till(dirs[i].path(), super::tests::SHOP, &format!("T{}", i + 1)));
    let invitations: Vec<String> = tills
        .iter()
        .enumerate()
        .map(|(i, t)| t.invitation(&format!("127.0.0.1:{}", 47301 + i)).unwrap())
        .collect();
    for (i, till) in tills.iter_mut().enumerate() {
        for (j, invitation) in invitations.iter().enumerate() {
            if i != j {
                super::tests::pair(till, invitation).unwrap();
            }
        }
    }
    tills
}

#[test]
fn an_order_taken_at_one_till_is_collected_at_another_and_twice_is_one_conflict() {
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let mut tills = three_tills(&dirs);
    let order: OrderInput = serde_json::from_value(json!({
        "customer": {"name": "Mme Durand", "phone": "06 12 34 56 78"},
        "lines": [{"label": "Coffret BD", "unit_price_cents": 3800, "vat_rate_bp": 550}],
        "operator": "admin"
    }))
    .unwrap();
    let order = OrderInput {
        deposit: vec![pay("card", 1000)],
        ..order
    };
    let taken = tills[0].create_order_as(&order, None).unwrap();
    assert_eq!(taken.number, "T1-C000001");
    super::tests::sell(&mut tills[2], 2);
    all_pull(&mut tills);

    // T2 sees T1's order and hands it over: its sale deducts T1's deposit.
    let seen = tills[1].order("T1-C000001").unwrap();
    assert_eq!(
        (seen.status, seen.deposits_cents, seen.balance_cents),
        (OrderStatus::Open, 1000, 2800)
    );
    tills[1]
        .collect_order_as("T1-C000001", &[pay("cash", 2800)], "admin")
        .unwrap();
    assert_eq!(
        tills[1].order("T1-C000001").unwrap().status,
        OrderStatus::Collected
    );
    // A partition: T3 has not heard of it yet and hands the same order over too.
    tills[2]
        .collect_order_as("T1-C000001", &[pay("card", 2800)], "admin")
        .unwrap();
    all_pull(&mut tills);
    for till in &mut tills {
        let code = till.config().unwrap().till.clone();
        let view = till.order("T1-C000001").unwrap();
        assert_eq!(view.status, OrderStatus::Collected, "{code}");
        let conflicts = till.shop_conflicts().unwrap();
        assert_eq!(conflicts.len(), 1, "{code}: {conflicts:#?}");
        let at: Vec<&str> = conflicts[0]
            .collections
            .iter()
            .map(|c| c.till.as_str())
            .collect();
        assert_eq!(at, ["T2", "T3"], "{code}");
        assert_eq!(conflicts[0].order, "T1-C000001");
        assert!(
            conflicts[0].what_fr.contains("remise 2 fois"),
            "{conflicts:?}"
        );
        // Once a collection is known here, the order cannot be collected again.
        assert!(till
            .collect_order_as("T1-C000001", &[pay("cash", 2800)], "admin")
            .is_err());
    }

    // The shop's X is the same at every till, and the sum of the tills' own X.
    let own: Vec<i64> = tills
        .iter()
        .map(|t| t.x_report().unwrap().totals.total_cents.0)
        .collect();
    let shop: Vec<_> = tills.iter().map(|t| t.shop_x().unwrap()).collect();
    assert!(shop.iter().all(|x| x.totals == shop[0].totals), "{shop:#?}");
    assert_eq!(shop[0].totals.total_cents.0, own.iter().sum::<i64>());
    assert_eq!(shop[0].totals.deposits_received_cents.0, 1000);
    assert_eq!(own[1], 3800, "T2 sold the order: {own:?}");
    assert_eq!(shop[0].conflicts.len(), 1);
    assert_eq!(shop[0].tills.len(), 3);
}

fn redeem(till: &mut Store, number: &str, cents: i64) -> crate::Result<i64> {
    till.redeem_avoir_as(&RedeemInput {
        code: number.into(),
        amount_cents: cents,
        sale: None,
        allow_expired: false,
        operator: "admin".into(),
        approval: None,
    })
    .map(|view| view.balance_cents)
}

fn voucher(till: &mut Store, cents: i64) -> String {
    till.sell_voucher_as(&SellVoucherInput {
        amount_cents: cents,
        payments: vec![pay("cash", cents)],
        operator: "admin".into(),
    })
    .unwrap()
    .number
}

#[test]
fn an_avoir_issued_at_one_till_is_spent_at_the_others_and_overspent_is_one_conflict() {
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let mut tills = three_tills(&dirs);
    let number = voucher(&mut tills[1], 3000);
    assert_eq!(number, "T2-V000001");
    all_pull(&mut tills);
    // T3 finds it by its number in T2's records, and spends part of it.
    let seen = tills[2].avoir(&number).unwrap();
    assert_eq!((seen.amount_cents, seen.balance_cents), (3000, 3000));
    assert!(seen.code.is_some() && seen.issued_at.is_some(), "{seen:?}");
    assert_eq!(redeem(&mut tills[2], &number, 2000).unwrap(), 1000);
    all_pull(&mut tills);
    // T1 knows what T3 spent: only 10 € are left.
    assert!(redeem(&mut tills[0], &number, 2000).is_err());
    assert_eq!(redeem(&mut tills[0], &number, 1000).unwrap(), 0);
    all_pull(&mut tills);
    assert!(redeem(&mut tills[1], &number, 1).is_err());
    assert!(tills
        .iter()
        .all(|t| t.shop_avoir_conflicts().unwrap().is_empty()));

    // A partition: T1 and T3 each spend 40 € of a 50 € voucher before hearing of the other.
    let second = voucher(&mut tills[1], 5000);
    all_pull(&mut tills);
    assert_eq!(redeem(&mut tills[0], &second, 4000).unwrap(), 1000);
    assert_eq!(redeem(&mut tills[2], &second, 4000).unwrap(), 1000);
    all_pull(&mut tills);
    for till in &tills {
        let conflicts = till.shop_avoir_conflicts().unwrap();
        assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
        assert_eq!(
            (conflicts[0].avoir.as_str(), conflicts[0].spent_cents),
            (second.as_str(), 8000)
        );
        assert_eq!(till.shop_x().unwrap().avoir_conflicts.len(), 1);
    }
}

/// An order's deposit taken at T1 and refunded at T2 (the customer cancels at another desk):
/// T2's drawer pays it out, the order is cancelled everywhere, and the shop's X nets the
/// deposit to nothing; no till hands the order over afterwards.
#[test]
fn a_deposit_taken_at_one_till_is_refunded_at_another_when_the_order_is_cancelled() {
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let mut tills = three_tills(&dirs);
    let order: OrderInput = serde_json::from_value(json!({
        "customer": {"name": "M. Petit"},
        "lines": [{"label": "Coffret vinyles", "unit_price_cents": 6000, "vat_rate_bp": 2000}],
        "operator": "admin"
    }))
    .unwrap();
    let order = OrderInput {
        deposit: vec![pay("card", 1500)],
        ..order
    };
    tills[0].create_order_as(&order, None).unwrap();
    all_pull(&mut tills);

    let cancelled = tills[1]
        .cancel_order_as("T1-C000001", Some("cash"), "client parti", "admin", None)
        .unwrap();
    assert_eq!(cancelled.status, OrderStatus::Cancelled);
    all_pull(&mut tills);

    let own: Vec<_> = tills.iter().map(|t| t.x_report().unwrap().totals).collect();
    assert_eq!(own[0].deposits_received_cents.0, 1500, "T1 took it");
    assert_eq!(own[1].deposits_refunded_cents.0, -1500, "T2 paid it back");
    for till in &mut tills {
        let code = till.config().unwrap().till.clone();
        let view = till.order("T1-C000001").unwrap();
        assert_eq!(view.status, OrderStatus::Cancelled, "{code}");
        let shop = till.shop_x().unwrap();
        assert_eq!(
            (
                shop.totals.deposits_received_cents.0,
                shop.totals.deposits_refunded_cents.0
            ),
            (1500, -1500),
            "{code}"
        );
        assert!(
            till.collect_order_as("T1-C000001", &[pay("cash", 6000)], "admin")
                .is_err(),
            "{code}: a cancelled order is not handed over"
        );
        assert!(till.shop_conflicts().unwrap().is_empty(), "{code}");
    }
}
