//! An order's collection takes what the sale's payment takes (`SaleOptions`): avoirs spent
//! and linked to the collecting sale, an expired one a manager lets through, vouchers of the
//! SaaS accepted blind, and a manager's approval of the order's discount above the threshold.

use super::*;
use relais_core::order::OrderStatus;

/// An order taken by Paul: one line of `cents`, `discount` off it, `deposit` paid by card.
fn order(s: &mut Shop3, cents: i64, discount: i64, deposit: i64) -> String {
    let deposit: Vec<serde_json::Value> = match deposit {
        0 => vec![],
        _ => vec![serde_json::json!({"method": "card", "amount_cents": deposit})],
    };
    let input = serde_json::from_value(serde_json::json!({
        "customer": {"name": "Mme Durand", "phone": "0612345678"},
        "lines": [{"label": "Pièce montée", "unit_price_cents": cents, "vat_rate_bp": 550,
                   "discount_cents": discount}],
        "deposit": deposit,
        "operator": "Paul"
    }))
    .unwrap();
    s.t1.create_order_as(&input, None).unwrap().number
}

fn pay(method: &str, cents: i64, reference: &str) -> PaymentInput {
    PaymentInput {
        method: method.into(),
        amount_cents: Some(cents),
        tendered_cents: None,
        reference: Some(reference.into()),
    }
}

/// Collects `number` as Paul with `payments` and `options`; the sale's number, or the
/// refusal, which leaves the order open.
fn collect(
    s: &mut Shop3,
    number: &str,
    payments: &[PaymentInput],
    options: SaleOptions,
) -> Result<String> {
    let collected =
        s.t1.collect_order_with_as(number, payments, &options, "Paul");
    let status = s.t1.order(number)?.status;
    match &collected {
        Ok(_) => assert_eq!(status, OrderStatus::Collected, "{number}"),
        Err(_) => assert_eq!(status, OrderStatus::Open, "{number}: nothing written"),
    }
    collected.map(|r| r.number)
}

type Step = Box<dyn Fn(&mut Shop3) -> Result<String>>;

/// The table: each step collects an order (or checks what the last one wrote).
#[test]
fn an_order_is_collected_with_avoirs_vouchers_and_approvals() {
    let mut s = shop();
    let approved = |allow_expired, externals: Vec<usize>| SaleOptions {
        allow_expired,
        external_vouchers: externals,
        approval: marie(),
    };
    let cases: Vec<(&str, Step, Option<&str>)> =
        vec![
        (
            "an avoir pays part of it: its use is linked to the collecting sale",
            Box::new(|s| {
                let number = order(s, 2500, 0, 0);
                let code = code_of(&s.t1, "T1-V000001");
                let payments = [pay("store_credit", 1500, &code), pay("cash", 1000, "")];
                let sold = collect(s, &number, &payments, SaleOptions::default())?;
                let avoir = s.t1.avoir("T1-V000001")?;
                assert_eq!(
                    (avoir.balance_cents, avoir.uses[0].sale.clone()),
                    (3500, Some(sold.clone()))
                );
                Ok(sold)
            }),
            None,
        ),
        (
            "a year later the avoir has expired",
            Box::new(|s| {
                s.now.fetch_add(366 * 86400, Ordering::SeqCst);
                let number = order(s, 1000, 0, 0);
                let code = code_of(&s.t1, "T1-V000001");
                collect(s, &number, &[pay("store_credit", 1000, &code)], SaleOptions::default())
            }),
            Some("expiré le 2027-12-07"),
        ),
        (
            "Paul cannot let it through alone",
            Box::new(|s| {
                let number = order(s, 1000, 0, 0);
                let code = code_of(&s.t1, "T1-V000001");
                let options = SaleOptions {
                    allow_expired: true,
                    ..SaleOptions::default()
                };
                collect(s, &number, &[pay("store_credit", 1000, &code)], options)
            }),
            Some("responsable"),
        ),
        (
            "Marie lets it through: the use names her",
            Box::new(move |s| {
                let number = order(s, 1000, 0, 0);
                let code = code_of(&s.t1, "T1-V000001");
                let payments = [pay("store_credit", 1000, &code)];
                let sold = collect(s, &number, &payments, approved(true, vec![]))?;
                let avoir = s.t1.avoir("T1-V000001")?;
                let used = avoir.uses.last().unwrap();
                assert_eq!(
                    (used.sale.clone(), used.approved_by.as_deref()),
                    (Some(sold.clone()), Some("Marie"))
                );
                Ok(sold)
            }),
            None,
        ),
        (
            "a voucher of the SaaS pays the balance after a deposit (its index is the balance's)",
            Box::new(|s| {
                let number = order(s, 3000, 0, 1000);
                let options = SaleOptions {
                    external_vouchers: vec![0],
                    ..SaleOptions::default()
                };
                let sold = collect(s, &number, &[pay("voucher", 2000, "SAAS-9")], options)?;
                let accepted = s.t1.external_vouchers()?;
                assert_eq!(
                    (accepted[0].amount_cents, accepted[0].sale.clone()),
                    (2000, Some(sold.clone()))
                );
                Ok(sold)
            }),
            None,
        ),
        (
            "a voucher of the SaaS above the threshold needs a manager",
            Box::new(|s| {
                let number = order(s, 6000, 0, 0);
                let options = SaleOptions {
                    external_vouchers: vec![0],
                    ..SaleOptions::default()
                };
                collect(s, &number, &[pay("voucher", 6000, "SAAS-10")], options)
            }),
            Some("responsable"),
        ),
        (
            "Marie approves it",
            Box::new(move |s| {
                let number = order(s, 6000, 0, 0);
                let payments = [pay("voucher", 6000, "SAAS-10")];
                let sold = collect(s, &number, &payments, approved(false, vec![0]))?;
                let accepted = s.t1.external_vouchers()?;
                assert_eq!(accepted[1].approved_by.as_deref(), Some("Marie"));
                Ok(sold)
            }),
            None,
        ),
        (
            "the order's discount above the threshold needs a manager at collection",
            Box::new(|s| {
                let number = order(s, 10000, 3000, 0);
                collect(s, &number, &[pay("cash", 7000, "")], SaleOptions::default())
            }),
            Some("remise de 30,00 € (30 %) sur « Pièce montée » dépasse le seuil"),
        ),
        (
            "Marie approves the discount: journaled with the sale",
            Box::new(move |s| {
                let number = order(s, 10000, 3000, 0);
                let sold = collect(s, &number, &[pay("cash", 7000, "")], approved(false, vec![]))?;
                let journal = s.t1.journal(Some(20))?;
                assert!(
                    journal
                        .iter()
                        .any(|e| e.message.contains(&format!("({sold}) pour Paul"))),
                    "the approval is journaled"
                );
                Ok(sold)
            }),
            None,
        ),
    ];
    for (name, step, refused) in cases {
        match (refused, step(&mut s)) {
            (None, Ok(_)) => {}
            (Some(words), Err(e)) => {
                let message = e.text().fr;
                assert!(message.contains(words), "{name}: {message}");
            }
            (None, Err(e)) => panic!("{name}: refused: {e}"),
            (Some(words), Ok(got)) => panic!("{name}: expected « {words} », got {got}"),
        }
    }
    let report = s.t1.verify().unwrap();
    assert!(report.defect.is_none(), "{:?}", report.defect);
}
