use super::*;
use crate::tests::{hire_marie_and_paul, sale};
use crate::{CloseDayInput, RefundInput, RefundLineInput, SaleOptions};
use chrono::TimeZone;
use relais_core::{SaleInput, Shop};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Till T1 of the shop (Marie manages, Paul sells), T2 of the same shop (its key imported
/// into T1), and a till T1 of another shop (its key unknown to ours), on a clock we move.
struct Shop3 {
    t1: Store,
    t2: Store,
    other: Store,
    now: Arc<AtomicI64>,
    _dirs: [tempfile::TempDir; 3],
}

fn till(dir: &std::path::Path, code: &str, now: &Arc<AtomicI64>) -> Store {
    let mut store = Store::open(dir).unwrap();
    store
        .init(&crate::InitOptions {
            shop: Shop {
                name: "Boulangerie Test".into(),
                ..Shop::default()
            },
            till: code.into(),
            ..crate::InitOptions::default()
        })
        .unwrap();
    let clock = now.clone();
    store.set_clock(move || Utc.timestamp_opt(clock.load(Ordering::SeqCst), 0).unwrap());
    store
}

fn shop() -> Shop3 {
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let now = Arc::new(AtomicI64::new(
        Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0)
            .unwrap()
            .timestamp(),
    ));
    let mut t1 = till(dirs[0].path(), "T1", &now);
    hire_marie_and_paul(&mut t1);
    let mut t2 = till(dirs[1].path(), "T2", &now);
    let other = till(dirs[2].path(), "T1", &now);
    let t2_key = t2.public_key().unwrap();
    t1.import_till_key_as("t2", &t2_key, "Marie").unwrap();
    let gift = |store: &mut Store, cents: i64, operator: &str| {
        store
            .sell_voucher_as(&SellVoucherInput {
                amount_cents: cents,
                payments: vec![cash(cents)],
                operator: operator.into(),
            })
            .unwrap()
    };
    assert_eq!(gift(&mut t2, 3000, "admin").number, "T2-V000001");
    assert_eq!(gift(&mut t1, 5000, "Paul").number, "T1-V000001");
    let mut other = other;
    gift(&mut other, 1000, "admin");
    Shop3 {
        t1,
        t2,
        other,
        now,
        _dirs: dirs,
    }
}

fn cash(cents: i64) -> PaymentInput {
    PaymentInput {
        method: "cash".into(),
        amount_cents: Some(cents),
        tendered_cents: None,
        reference: None,
    }
}

fn marie() -> Option<Approval> {
    Some(Approval {
        manager: "Marie".into(),
        pin: "1234".into(),
    })
}

fn code_of(store: &Store, number: &str) -> String {
    store.avoir(number).unwrap().code.unwrap()
}

fn redeem(s: &mut Shop3, code: &str, cents: i64) -> Result<i64> {
    s.t1.redeem_avoir_as(&RedeemInput {
        code: code.into(),
        amount_cents: cents,
        sale: None,
        allow_expired: false,
        operator: "Paul".into(),
        approval: None,
    })
    .map(|v| v.balance_cents)
}

/// A sale of 2 × 1,60 € paid with an avoir (its code as the payment's reference).
fn sale_paid_by(code: &str, cents: i64) -> SaleInput {
    serde_json::from_value(serde_json::json!({
        "lines": [{"label": "Croissant", "unit_price_cents": cents, "vat_rate_bp": 550, "qty": 1}],
        "payments": [{"method": "store_credit", "amount_cents": cents, "reference": code}],
        "operator": "Paul"
    }))
    .unwrap()
}

fn external(s: &mut Shop3, cents: i64, approval: Option<Approval>) -> Result<i64> {
    s.t1.accept_external_voucher_as(&ExternalVoucherInput {
        code: "SAAS-GIFT-778812".into(),
        amount_cents: cents,
        sale: None,
        operator: "Paul".into(),
        approval,
    })
    .map(|v| v.amount_cents)
}

enum Expect {
    /// The balance (or amount accepted) after the step.
    Gives(i64),
    /// Refused, the French message containing this.
    Refused(&'static str),
}

type Step = fn(&mut Shop3) -> Result<i64>;

/// One row of the table (a function, so that each closure becomes a `Step`).
fn case(name: &'static str, step: Step, expected: Expect) -> (&'static str, Step, Expect) {
    (name, step, expected)
}

/// Every rule of issue 25 through the store, in one shop's day and a year later: issue on a
/// return, partial and full use, over-balance, spent, another till's avoir, forged, altered,
/// another shop's, unknown till, external vouchers and the manager's threshold, expiry and
/// its override.
#[test]
fn avoirs_through_the_store() {
    let mut s = shop();
    let cases: Vec<(&str, Step, Expect)> = vec![
        case(
            "an avoir for a return to « avoir »",
            |s| {
                let by_paul = SaleInput {
                    operator: Some("Paul".into()),
                    ..sale(110)
                };
                let sold = s.t1.record_sale_as(&by_paul, None)?;
                let refund = s.t1.refund_as(&RefundInput {
                    sale: sold.number,
                    lines: vec![RefundLineInput {
                        line: 0,
                        qty: "2".into(),
                    }],
                    method: "store_credit".into(),
                    reference: None,
                    reason: "Trop cuit".into(),
                    operator: "Marie".into(),
                    approval: None,
                })?;
                let avoir = s.t1.issue_avoir_as(&IssueAvoirInput {
                    from: refund.number,
                    operator: "Paul".into(),
                    approval: None,
                })?;
                assert_eq!(
                    (avoir.number.as_str(), avoir.origin),
                    ("T1-V000002", Some(AvoirOrigin::Return))
                );
                Ok(avoir.balance_cents)
            },
            Expect::Gives(220),
        ),
        case(
            "the same refund twice",
            |s| {
                let refund = s.t1.find("T1-000002")?.0.number();
                s.t1.issue_avoir_as(&IssueAvoirInput {
                    from: refund,
                    operator: "Paul".into(),
                    approval: None,
                })
                .map(|v| v.amount_cents)
            },
            Expect::Refused("a déjà son avoir"),
        ),
        case(
            "a sale is no ground for an avoir",
            |s| {
                s.t1.issue_avoir_as(&IssueAvoirInput {
                    from: "T1-000001".into(),
                    operator: "Paul".into(),
                    approval: None,
                })
                .map(|v| v.amount_cents)
            },
            Expect::Refused("n'ouvre pas droit"),
        ),
        case(
            "part of it, by number",
            |s| redeem(s, "T1-V000002", 100),
            Expect::Gives(120),
        ),
        case(
            "over the balance",
            |s| redeem(s, "t1-v000002", 200),
            Expect::Refused("il reste 1,20 € sur l'avoir T1-V000002"),
        ),
        case(
            "the rest, paying a sale with its code",
            |s| {
                let code = code_of(&s.t1, "T1-V000002");
                let sold = s.t1.record_sale_as(&sale_paid_by(&code, 120), None)?;
                let avoir = s.t1.avoir(&code)?;
                assert_eq!(
                    avoir.uses.last().and_then(|u| u.sale.clone()),
                    Some(sold.number)
                );
                assert_eq!(avoir.status, AvoirStatus::Spent);
                Ok(avoir.balance_cents)
            },
            Expect::Gives(0),
        ),
        case(
            "spent",
            |s| redeem(s, "T1-V000002", 1),
            Expect::Refused("déjà entièrement utilisé"),
        ),
        case(
            "a sale paid with a spent avoir is not recorded",
            |s| {
                let code = code_of(&s.t1, "T1-V000002");
                s.t1.record_sale_as(&sale_paid_by(&code, 50), None)
                    .map(|r| r.total_cents)
            },
            Expect::Refused("déjà entièrement utilisé"),
        ),
        case(
            "a gift voucher of T2, offline",
            |s| {
                let code = code_of(&s.t2, "T2-V000001");
                redeem(s, &code, 500)
            },
            Expect::Gives(2500),
        ),
        case(
            "T2's voucher, amount altered",
            |s| {
                let code = code_of(&s.t2, "T2-V000001").replacen("-3000-", "-9000-", 1);
                redeem(s, &code, 500)
            },
            Expect::Refused("signature ne correspond pas"),
        ),
        case(
            "forged: T1's number signed with T2's key",
            |s| {
                let forged = AvoirCode {
                    till: "T1".into(),
                    seq: 1,
                    amount_cents: Money(90000),
                    expires: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                };
                let key = keys::load(s.t2.data_dir())?.unwrap();
                redeem(s, &forged.sign(&key), 500)
            },
            Expect::Refused("code falsifié, modifié, ou d'un autre magasin"),
        ),
        case(
            "another shop's till T1",
            |s| {
                let code = code_of(&s.other, "T1-V000001");
                redeem(s, &code, 500)
            },
            Expect::Refused("d'un autre magasin"),
        ),
        case(
            "a till whose key was never imported",
            |s| {
                let key = keys::load(s.other.data_dir())?.unwrap();
                let code = AvoirCode {
                    till: "T9".into(),
                    seq: 1,
                    amount_cents: Money(500),
                    expires: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                };
                redeem(s, &code.sign(&key), 500)
            },
            Expect::Refused("caisse T9 inconnue : importez sa clé"),
        ),
        case(
            "an external voucher under the threshold",
            |s| external(s, 2000, None),
            Expect::Gives(2000),
        ),
        case(
            "an external voucher over it, no manager",
            |s| external(s, 6000, None),
            Expect::Refused("responsable"),
        ),
        case(
            "an external voucher over it, Marie approves",
            |s| {
                external(s, 6000, marie())?;
                let accepted = s.t1.external_vouchers()?;
                assert_eq!(
                    accepted
                        .iter()
                        .map(|v| v.approved_by.clone())
                        .collect::<Vec<_>>(),
                    [None, Some("Marie".into())]
                );
                Ok(accepted.iter().map(|v| v.amount_cents).sum())
            },
            Expect::Gives(8000),
        ),
        case(
            "a year and a day later: expired",
            |s| {
                s.now.fetch_add(366 * 86400, Ordering::SeqCst);
                redeem(s, "T1-V000001", 1000)
            },
            Expect::Refused("expiré le 2027-12-07 : seul un responsable"),
        ),
        case(
            "expired, Paul alone cannot override",
            |s| {
                s.t1.redeem_avoir_as(&RedeemInput {
                    code: "T1-V000001".into(),
                    amount_cents: 1000,
                    sale: None,
                    allow_expired: true,
                    operator: "Paul".into(),
                    approval: None,
                })
                .map(|v| v.balance_cents)
            },
            Expect::Refused("responsable"),
        ),
        case(
            "expired, Marie overrides",
            |s| {
                let avoir = s.t1.redeem_avoir_as(&RedeemInput {
                    code: "T1-V000001".into(),
                    amount_cents: 1000,
                    sale: None,
                    allow_expired: true,
                    operator: "Paul".into(),
                    approval: marie(),
                })?;
                assert_eq!(avoir.uses[0].approved_by.as_deref(), Some("Marie"));
                Ok(avoir.balance_cents)
            },
            Expect::Gives(4000),
        ),
    ];
    for (name, step, expected) in cases {
        let outcome = step(&mut s);
        match (expected, outcome) {
            (Expect::Gives(cents), Ok(got)) => assert_eq!(got, cents, "{name}"),
            (Expect::Refused(words), Err(e)) => {
                let message = e.text().fr;
                assert!(message.contains(words), "{name}: {message}");
            }
            (Expect::Gives(cents), Err(e)) => panic!("{name}: expected {cents}, refused: {e}"),
            (Expect::Refused(words), Ok(got)) => panic!("{name}: expected « {words} », got {got}"),
        }
    }
    let report = s.t1.verify().unwrap();
    assert!(report.defect.is_none(), "{:?}", report.defect);
}

/// Vouchers sold are money in the drawer but not turnover; avoirs issued, spent and external
/// vouchers are counted apart; the outstanding liability is in the X; the Z signs them and
/// the chain verifies.
#[test]
fn the_x_and_the_z_count_vouchers_apart_from_sales() {
    let mut s = shop();
    let code = code_of(&s.t1, "T1-V000001");
    s.t1.record_sale_as(&sale_paid_by(&code, 1500), None)
        .unwrap();
    external(&mut s, 700, None).unwrap();
    let x = s.t1.x_report().unwrap();
    let t = &x.totals;
    assert_eq!(
        (
            t.sales_cents.0,
            t.vouchers_sold_cents.0,
            t.avoirs_redeemed_cents.0,
            t.external_vouchers_cents.0
        ),
        (1500, 5000, 1500, 700)
    );
    assert_eq!(
        t.expected_cash_cents.0, 5000,
        "the voucher's cash is in the drawer"
    );
    assert_eq!(x.avoirs_outstanding_cents, 3500);
    s.t1.close_day_as(&CloseDayInput {
        operator: "Marie".into(),
        ..CloseDayInput::default()
    })
    .unwrap();
    let report = s.t1.verify().unwrap();
    assert!(report.defect.is_none(), "{:?}", report.defect);
}

/// What the counter adds to a sale, and a refund with its avoir.
mod sales;

/// The liability each Z signs.
mod liability;

/// An order's collection paid as a sale is.
mod collection;
