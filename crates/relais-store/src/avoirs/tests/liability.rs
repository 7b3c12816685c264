//! The avoirs' liability each Z signs (docs/CHAIN.md, « The avoirs' liability »): carried
//! from Z to Z, the same as the X's outstanding total, and verified.

use super::*;
use crate::OpenDayInput;

/// What happens on one day at T1, after its day is opened.
enum Act {
    Sell(i64),
    Redeem(&'static str, i64),
}

/// Each day: its date, what T1 does, then the Z's figures (opening, issued, sold, redeemed,
/// expired, outstanding), none when all are 0. T1 sold T1-V000001 (50,00 €, last day
/// 2027-12-07) before the first day opened; T2-V000001 is T2's.
#[test]
fn each_z_carries_the_avoirs_outstanding() {
    use Act::*;
    type Day = (&'static str, Vec<Act>, Option<[i64; 6]>);
    let days: Vec<Day> = vec![
        (
            "2026-12-07",
            vec![Redeem("T1-V000001", 1500), Redeem("T2-V000001", 700)],
            Some([0, 0, 5000, 1500, 0, 3500]),
        ),
        (
            "2026-12-08",
            vec![Sell(2000), Redeem("T1-V000001", 500)],
            Some([3500, 0, 2000, 500, 0, 5000]),
        ),
        // T1-V000001's last day was yesterday: what was left on it expires at this Z.
        ("2027-12-08", vec![], Some([5000, 0, 0, 0, 3000, 2000])),
        (
            "2027-12-09",
            vec![Redeem("T1-V000002", 300)],
            Some([2000, 0, 0, 300, 1700, 0]),
        ),
        ("2027-12-10", vec![], None),
    ];
    let mut s = shop();
    for (day, acts, expected) in days {
        let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let noon = date.and_hms_opt(11, 0, 0).unwrap().and_utc().timestamp();
        s.now.store(noon, Ordering::SeqCst);
        s.t1.open_day_as(&OpenDayInput {
            business_day: None,
            denominations: Vec::new(),
            operator: "Marie".into(),
        })
        .unwrap();
        for act in acts {
            match act {
                Sell(cents) => {
                    s.t1.sell_voucher_as(&SellVoucherInput {
                        amount_cents: cents,
                        payments: vec![cash(cents)],
                        operator: "Paul".into(),
                    })
                    .unwrap();
                }
                Redeem(number, cents) => {
                    let code = match number.starts_with("T2") {
                        true => code_of(&s.t2, number),
                        false => code_of(&s.t1, number),
                    };
                    s.t1.redeem_avoir_as(&RedeemInput {
                        code,
                        amount_cents: cents,
                        sale: None,
                        allow_expired: true,
                        operator: "Paul".into(),
                        approval: marie(),
                    })
                    .unwrap();
                }
            }
        }
        let x = s.t1.x_report().unwrap();
        let z =
            s.t1.close_day_as(&CloseDayInput {
                operator: "Marie".into(),
                ..CloseDayInput::default()
            })
            .unwrap();
        let figures = z.closure.avoirs.map(|a| {
            [
                a.opening_cents.0,
                a.issued_cents.0,
                a.sold_cents.0,
                a.redeemed_cents.0,
                a.expired_cents.0,
                a.outstanding_cents.0,
            ]
        });
        assert_eq!(figures, expected, "{day}");
        assert_eq!(
            x.avoirs_outstanding_cents,
            expected.map_or(0, |f| f[5]),
            "{day}: the X before the Z says the same"
        );
    }
    let report = s.t1.verify().unwrap();
    assert!(report.defect.is_none(), "{:?}", report.defect);
}
