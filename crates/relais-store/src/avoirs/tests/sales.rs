//! The counter's additions to a sale (expired avoirs a manager lets through, vouchers of the
//! SaaS accepted blind) and a refund written with its avoir, through the store.

use super::*;

/// A sale paid by Paul with `payments` (`method`, cents, reference), its lines adding up.
fn sale_by_paul(payments: &[(&str, i64, &str)]) -> SaleInput {
    let total: i64 = payments.iter().map(|p| p.1).sum();
    let payments: Vec<_> = payments
        .iter()
        .map(|(method, cents, reference)| {
            serde_json::json!({"method": method, "amount_cents": cents, "reference": reference})
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "lines": [{"label": "Galette", "unit_price_cents": total, "vat_rate_bp": 550, "qty": 1}],
        "payments": payments,
        "operator": "Paul"
    }))
    .unwrap()
}

/// A step of the sale options' table: a sale, its number (or what a step checks) back.
type SaleStep = Box<dyn Fn(&mut Shop3) -> Result<String>>;

fn sell(s: &mut Shop3, payments: &[(&str, i64, &str)], options: SaleOptions) -> Result<String> {
    s.t1.record_sale_with_as(&sale_by_paul(payments), None, &options)
        .map(|r| r.number)
}

fn externals(s: &Shop3) -> Vec<(i64, Option<String>, Option<String>)> {
    s.t1.external_vouchers()
        .unwrap()
        .into_iter()
        .map(|v| (v.amount_cents, v.sale, v.approved_by))
        .collect()
}

/// What the counter adds to a sale (`SaleOptions`), through the store: an expired avoir let
/// through by a manager, vouchers of the SaaS accepted blind with the sale they pay (in its
/// transaction: refused means nothing written), and what is refused.
#[test]
fn a_sale_takes_expired_avoirs_and_external_vouchers() {
    let mut s = shop();
    s.now.fetch_add(366 * 86400, Ordering::SeqCst);
    let expired = |approval| SaleOptions {
        allow_expired: true,
        approval,
        ..SaleOptions::default()
    };
    let external = |approval| SaleOptions {
        external_vouchers: vec![0],
        approval,
        ..SaleOptions::default()
    };
    let cases: Vec<(&str, SaleStep, Expect)> = vec![
        (
            "an expired avoir, no override",
            Box::new(|s| {
                sell(
                    s,
                    &[("store_credit", 1000, "T1-V000001")],
                    SaleOptions::default(),
                )
            }),
            Expect::Refused("expiré le 2027-12-07"),
        ),
        (
            "Paul lets it through alone",
            Box::new(move |s| sell(s, &[("store_credit", 1000, "T1-V000001")], expired(None))),
            Expect::Refused("responsable"),
        ),
        (
            "Marie approves: the use names her",
            Box::new(move |s| {
                let sold = sell(s, &[("store_credit", 1000, "T1-V000001")], expired(marie()))?;
                let avoir = s.t1.avoir("T1-V000001")?;
                let used = &avoir.uses[0];
                assert_eq!(
                    (used.sale.clone(), used.approved_by.as_deref()),
                    (Some(sold.clone()), Some("Marie"))
                );
                let receipt = s.t1.receipt(&sold)?;
                assert!(
                    receipt.contains("Reste sur l'avoir") && receipt.contains("40,00"),
                    "{receipt}"
                );
                let doc = s.t1.receipt_doc(&sold)?;
                assert_eq!(doc.payments[0].balance_cents, Some(4000));
                Ok(format!("{} {}", sold, avoir.balance_cents))
            }),
            Expect::Gives(0),
        ),
        (
            "a voucher of the SaaS under the threshold",
            Box::new(move |s| {
                let sold = sell(s, &[("voucher", 2000, " SAAS-1 ")], external(None))?;
                assert_eq!(externals(s), [(2000, Some(sold.clone()), None)]);
                Ok(sold)
            }),
            Expect::Gives(0),
        ),
        (
            "over the threshold, no manager",
            Box::new(move |s| sell(s, &[("voucher", 6000, "SAAS-2")], external(None))),
            Expect::Refused("responsable"),
        ),
        (
            "nothing of it was written",
            Box::new(|s| Ok(format!("{}", externals(s).len()))),
            Expect::Gives(0),
        ),
        (
            "over the threshold, Marie approves",
            Box::new(move |s| {
                let sold = sell(
                    s,
                    &[("card", 500, ""), ("voucher", 6000, "SAAS-2")],
                    SaleOptions {
                        external_vouchers: vec![1],
                        approval: marie(),
                        ..SaleOptions::default()
                    },
                )?;
                assert_eq!(
                    externals(s)[1],
                    (6000, Some(sold.clone()), Some("Marie".into()))
                );
                Ok(sold)
            }),
            Expect::Gives(0),
        ),
        (
            "a card payment named as an external voucher",
            Box::new(|s| {
                sell(
                    s,
                    &[("card", 500, "")],
                    SaleOptions {
                        external_vouchers: vec![0],
                        ..SaleOptions::default()
                    },
                )
            }),
            Expect::Refused("n'est pas un bon d'achat"),
        ),
        (
            "an external voucher with no code",
            Box::new(move |s| sell(s, &[("voucher", 500, "  ")], external(None))),
            Expect::Refused("code du bon externe"),
        ),
    ];
    for (name, step, expected) in cases {
        match (expected, step(&mut s)) {
            (Expect::Gives(_), Ok(_)) => {}
            (Expect::Refused(words), Err(e)) => {
                let message = e.text().fr;
                assert!(message.contains(words), "{name}: {message}");
            }
            (Expect::Gives(_), Err(e)) => panic!("{name}: refused: {e}"),
            (Expect::Refused(words), Ok(got)) => panic!("{name}: expected « {words} », got {got}"),
        }
    }
    assert_eq!(externals(&s).len(), 2);
    let journal = s.t1.journal(Some(100)).unwrap();
    assert!(
        journal.iter().any(|e| e
            .message
            .contains("Marie autorise l'avoir expiré T1-V000001 pour Paul")),
        "the override is journaled"
    );
    let report = s.t1.verify().unwrap();
    assert!(report.defect.is_none(), "{:?}", report.defect);
}

/// A return to « avoir » and its avoir in one store call and one transaction: refused
/// whole (no refund left without its avoir) when the avoir cannot be issued.
#[test]
fn a_refund_and_its_avoir_are_one_write() {
    let mut s = shop();
    let by_paul = SaleInput {
        operator: Some("Paul".into()),
        ..sale(110)
    };
    let sold = s.t1.record_sale_as(&by_paul, None).unwrap();
    let refund = |method: &str, approval: Option<Approval>| RefundInput {
        sale: sold.number.clone(),
        lines: vec![RefundLineInput {
            line: 0,
            qty: "1".into(),
        }],
        method: method.into(),
        reference: None,
        reason: "Trop cuit".into(),
        operator: "Paul".into(),
        approval,
    };
    let refused =
        s.t1.refund_to_avoir_as(&refund("cash", marie()))
            .unwrap_err();
    assert!(
        refused.text().fr.contains("remboursement en « avoir »"),
        "{refused}"
    );
    let head = s.t1.verify().unwrap().summary.records;
    s.t1.set_avoir_settings_as(
        &AvoirSettings {
            issue_needs_manager: true,
            ..AvoirSettings::default()
        },
        "Marie",
    )
    .unwrap();
    // Paul's refund needs Marie; her approval serves the refund and the avoir.
    let refused =
        s.t1.refund_to_avoir_as(&refund("store_credit", None))
            .unwrap_err();
    assert!(refused.text().fr.contains("responsable"), "{refused}");
    assert_eq!(
        s.t1.verify().unwrap().summary.records,
        head + 1,
        "only the settings change"
    );
    let (refunded, avoir) =
        s.t1.refund_to_avoir_as(&refund("store_credit", marie()))
            .unwrap();
    assert_eq!(
        (avoir.from.as_deref(), avoir.amount_cents, avoir.origin),
        (
            Some(refunded.number.as_str()),
            110,
            Some(AvoirOrigin::Return)
        )
    );
    let again = s.t1.issue_avoir_as(&IssueAvoirInput {
        from: refunded.number.clone(),
        operator: "Marie".into(),
        approval: None,
    });
    assert!(again.is_err(), "one avoir per refund");
    let report = s.t1.verify().unwrap();
    assert!(report.defect.is_none(), "{:?}", report.defect);
}
