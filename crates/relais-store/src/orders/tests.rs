use super::*;
use crate::tests::init_store;
use relais_core::order::Customer;

fn shop(dir: &std::path::Path) -> Store {
    let mut store = init_store(dir);
    crate::tests::hire_marie_and_paul(&mut store);
    store
}

fn pay(method: &str, amount: i64) -> PaymentInput {
    PaymentInput {
        method: method.into(),
        amount_cents: Some(amount),
        tendered_cents: None,
        reference: None,
    }
}

fn order_of(name: &str, phone: &str, deposit: Vec<PaymentInput>) -> OrderInput {
    serde_json::from_value(json!({
        "customer": {"name": name, "phone": phone},
        "lines": [
            {"label": "Gâteau d'anniversaire 8 parts", "unit_price_cents": 3200, "vat_rate_bp": 550},
            {"label": "Bougies", "unit_price_cents": 300, "vat_rate_bp": 2000, "qty": 2}
        ],
        "requested_date": "2026-11-28",
        "operator": "Paul"
    }))
    .map(|o: OrderInput| OrderInput { deposit, ..o })
    .unwrap()
}

/// An order with a card deposit, made ready, collected with the balance in cash; another
/// cancelled with its deposit refunded. Deposits stay apart from sales in the day's totals.
#[test]
fn orders_go_from_deposit_to_collection_or_cancellation() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let taken = store
        .create_order_as(
            &order_of("Mme Durand", "06 12 34 56 78", vec![pay("card", 1000)]),
            None,
        )
        .unwrap();
    assert_eq!(
        (
            taken.number.as_str(),
            taken.total_cents,
            taken.deposits_cents,
            taken.balance_cents
        ),
        ("T1-C000001", 3800, 1000, 2800)
    );
    assert_eq!(taken.status, OrderStatus::Open);
    let x = store.x_report().unwrap().totals;
    assert_eq!(
        (x.sales, x.total_cents.0, x.deposits_received_cents.0),
        (0, 0, 1000),
        "a deposit is not turnover"
    );

    assert_eq!(
        store
            .order_ready_as(&taken.number, None, "Paul")
            .unwrap()
            .status,
        OrderStatus::Ready
    );
    let cash = PaymentInput {
        method: "cash".into(),
        amount_cents: None,
        tendered_cents: Some(3000),
        reference: None,
    };
    let sale = store
        .collect_order_as(&taken.number, &[cash], "Paul")
        .unwrap();
    assert_eq!(
        sale.total_cents, 3800,
        "the collecting sale is the whole order"
    );
    let receipt = store.receipt(&sale.number).unwrap();
    assert!(
        receipt.contains("Acompte T1-C000001") && receipt.contains("Rendu"),
        "{receipt}"
    );
    let collected = store.order(&taken.number).unwrap();
    assert_eq!(
        (collected.status, collected.sale.as_deref()),
        (OrderStatus::Collected, Some(sale.number.as_str()))
    );
    assert_eq!(collected.history.len(), 4, "{:?}", collected.history);
    assert!(
        store.order_ready_as(&taken.number, None, "Paul").is_err(),
        "a collected order stays collected"
    );

    let other = store
        .create_order_as(
            &order_of("M. Martin", "0699887766", vec![pay("cash", 500)]),
            None,
        )
        .unwrap();
    let refused = store.cancel_order_as(
        &other.number,
        Some("cash"),
        "client injoignable",
        "Paul",
        None,
    );
    assert_eq!(
        refused.unwrap_err().kind(),
        "forbidden",
        "refunding a deposit needs a manager"
    );
    let marie = Approval {
        manager: "Marie".into(),
        pin: "1234".into(),
    };
    let cancelled = store
        .cancel_order_as(
            &other.number,
            Some("cash"),
            "client injoignable",
            "Paul",
            Some(&marie),
        )
        .unwrap();
    assert_eq!(
        (cancelled.status, cancelled.deposits_cents),
        (OrderStatus::Cancelled, 0)
    );

    store
        .create_order_as(
            &order_of("Mme Petit", "0611111111", vec![pay("cash", 700)]),
            None,
        )
        .unwrap();
    let x = store.x_report().unwrap().totals;
    assert_eq!((x.sales, x.total_cents.0), (1, 3800));
    assert_eq!(
        (x.deposits_received_cents.0, x.deposits_refunded_cents.0),
        (2200, -500)
    );
    assert_eq!(
        x.tender(Method::Deposit).0,
        1000,
        "the deposit deducted at collection"
    );
    assert_eq!(x.deposit_tender(Method::Card).0, 1000);
    // Cash: 30,00 tendered − 2,00 change = 28,00 balance; deposits +5,00 − 5,00 + 7,00.
    assert_eq!(x.expected_cash_cents.0, 3500);
    assert!(store.verify().unwrap().defect.is_none());
}

#[test]
fn orders_are_found_by_name_phone_number_status_and_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    store
        .create_order_as(&order_of("Mme Durand", "06 12 34 56 78", vec![]), None)
        .unwrap();
    let martin = store
        .create_order_as(&order_of("M. Martin", "0699887766", vec![]), None)
        .unwrap();
    store.order_ready_as(&martin.number, None, "Paul").unwrap();
    let find = |filter: OrderFilter| -> Vec<String> {
        store
            .orders(&filter)
            .unwrap()
            .into_iter()
            .map(|o| o.customer.name)
            .collect()
    };
    let search = |text: &str| OrderFilter {
        search: Some(text.into()),
        ..OrderFilter::default()
    };
    assert_eq!(find(search("durand")), ["Mme Durand"]);
    assert_eq!(find(search("0612345678")), ["Mme Durand"]);
    assert_eq!(find(search("C000002")), ["M. Martin"]);
    assert_eq!(
        find(OrderFilter {
            status: Some(OrderStatus::Ready),
            ..OrderFilter::default()
        }),
        ["M. Martin"]
    );
    assert_eq!(find(OrderFilter::default()).len(), 2);
    assert_eq!(
        find(OrderFilter {
            requested_date: Some("2026-12-01".into()),
            ..OrderFilter::default()
        })
        .len(),
        0
    );
}

#[test]
fn a_cancelled_order_can_keep_its_deposit_as_store_credit() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let order = store
        .create_order_as(
            &order_of("Mme Roux", "0600000000", vec![pay("card", 800)]),
            None,
        )
        .unwrap();
    let cancelled = store
        .cancel_order_as(&order.number, None, "change d'avis", "Paul", None)
        .unwrap();
    assert_eq!(
        (cancelled.status, cancelled.deposits_cents),
        (OrderStatus::Cancelled, 800)
    );
    assert!(cancelled.history.last().unwrap().what.contains("avoir"));
}

#[test]
fn bad_orders_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let mut no_name = order_of("", "", vec![]);
    no_name.customer = Customer::default();
    assert!(store.create_order_as(&no_name, None).is_err());
    assert!(
        store
            .create_order_as(&order_of("A", "", vec![pay("card", 99_999)]), None)
            .is_err(),
        "deposit above total"
    );
    let mut bad_date = order_of("A", "", vec![]);
    bad_date.requested_date = Some("28/11".into());
    assert!(store.create_order_as(&bad_date, None).is_err());
    let mut sale = crate::tests::sale(100);
    sale.payments[0].method = "deposit".into();
    assert!(
        store.record_sale_as(&sale, Some("Paul")).is_err(),
        "no deposit tender outside a collection"
    );
}

/// The screens show an order being typed as `price_preview` prices its lines (the
/// `price_sale` command), at the till's own rates: the total recorded is that total, and a
/// rate the till was not set up with is refused by both.
#[test]
fn an_order_draft_is_priced_as_it_is_recorded_at_the_tills_rates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .init(&crate::InitOptions {
            shop: relais_core::Shop {
                name: "Pâtisserie de Bastia".into(),
                ..relais_core::Shop::default()
            },
            till: "t1".into(),
            vat_rates: vec![relais_core::VatRate(850), relais_core::VatRate(2000)],
            ..crate::InitOptions::default()
        })
        .unwrap();
    crate::tests::hire_marie_and_paul(&mut store);
    assert_eq!(
        store.vat_rates().unwrap(),
        [relais_core::VatRate(850), relais_core::VatRate(2000)]
    );

    // Lines as (qty typed, unit price in cents, rate) → the order's total, or None if refused.
    type Case<'a> = (&'a [(&'a str, i64, u32)], Option<i64>);
    let cases: &[Case] = &[
        (&[("1", 3200, 850)], Some(3200)),
        (&[("1,333", 199, 850), ("2", 300, 2000)], Some(265 + 600)),
        (&[("0,5", 1, 2000)], Some(1)), // 0.5 cent rounds half away from zero
        (&[("1", 3200, 550)], None),    // 5.5 % is not this till's
    ];
    for (lines, expected) in cases {
        let lines: Vec<LineInput> = lines
            .iter()
            .map(|(qty, unit, rate)| {
                serde_json::from_value(json!({
                    "label": "Entremets", "qty": qty, "unit_price_cents": unit, "vat_rate_bp": rate
                }))
                .unwrap()
            })
            .collect();
        let draft = SaleInput {
            lines: lines.clone(),
            ..SaleInput::default()
        };
        let preview = store.price_preview(&draft).map(|t| t.total_cents.0).ok();
        let order = OrderInput {
            lines,
            ..order_of("Mme Santoni", "0495000000", vec![])
        };
        let recorded = store
            .create_order_as(&order, None)
            .map(|o| o.total_cents)
            .ok();
        assert_eq!((preview, recorded), (*expected, *expected), "{order:?}");
    }
}
