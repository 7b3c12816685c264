use super::*;
use crate::avoir::{AvoirData, AvoirUseData};
use crate::record::FORMAT_VERSION;
use uuid::Uuid;

/// One step of a till's day: an avoir issued, a voucher sold, a use, or a day closed.
enum Step {
    Issue(u64, i64, &'static str),
    Sell(u64, i64, &'static str),
    Use(&'static str, i64),
    Close(&'static str),
}

fn record(seq: u64, body: Body) -> Record {
    Record {
        v: FORMAT_VERSION,
        id: Uuid::from_u128(u128::from(seq)),
        till: "T1".into(),
        pos: seq,
        seq,
        at: "2026-11-28T10:00:00.000Z".into(),
        tz: "Europe/Paris".into(),
        utc_offset_min: 60,
        business_day: "2026-11-28".into(),
        operator: "alice".into(),
        training: false,
        body,
    }
}

fn avoir(seq: u64, origin: AvoirOrigin, cents: i64, expires: &str) -> Record {
    record(
        seq,
        Body::Avoir(AvoirData {
            origin,
            from: None,
            amount_cents: Money(cents),
            expires: expires.into(),
            payments: Vec::new(),
            code: format!("AV1-T1-V{seq:06}"),
        }),
    )
}

fn used(voucher: &str, cents: i64) -> Record {
    record(
        1,
        Body::AvoirUse(AvoirUseData {
            source: UseSource::Avoir,
            voucher: voucher.into(),
            amount_cents: Money(cents),
            issued_cents: None,
            expires: None,
            balance_cents: None,
            sale: None,
            approved_by: None,
        }),
    )
}

/// Each case's steps, then the figures of its last closure: (opening, issued, sold,
/// redeemed, expired, outstanding).
#[test]
fn the_liability_carries_from_close_to_close() {
    use Step::*;
    type Case = (&'static str, Vec<Step>, [i64; 6]);
    let cases: Vec<Case> = vec![
        ("nothing", vec![Close("2026-11-28")], [0, 0, 0, 0, 0, 0]),
        (
            "an avoir issued",
            vec![Issue(1, 2500, "2027-11-28"), Close("2026-11-28")],
            [0, 2500, 0, 0, 0, 2500],
        ),
        (
            "a voucher sold, used in part the same day",
            vec![
                Sell(1, 5000, "2027-11-28"),
                Use("T1-V000001", 1500),
                Close("2026-11-28"),
            ],
            [0, 0, 5000, 1500, 0, 3500],
        ),
        (
            "across two days: opening is the last close's outstanding",
            vec![
                Sell(1, 5000, "2027-11-28"),
                Close("2026-11-28"),
                Issue(2, 800, "2027-11-29"),
                Use("T1-V000001", 1500),
                Close("2026-11-29"),
            ],
            [5000, 800, 0, 1500, 0, 4300],
        ),
        (
            "spent in full: it leaves the count, a later use changes nothing",
            vec![
                Issue(1, 1000, "2027-11-28"),
                Use("T1-V000001", 1000),
                Close("2026-11-28"),
                Use("T1-V000001", 300),
                Close("2026-11-29"),
            ],
            [0, 0, 0, 0, 0, 0],
        ),
        (
            "another till's avoir spent here is not this till's liability",
            vec![
                Issue(1, 1000, "2027-11-28"),
                Use("T2-V000001", 400),
                Close("2026-11-28"),
            ],
            [0, 1000, 0, 0, 0, 1000],
        ),
        (
            "still good on its last day",
            vec![
                Issue(1, 1000, "2026-11-29"),
                Close("2026-11-28"),
                Close("2026-11-29"),
            ],
            [1000, 0, 0, 0, 0, 1000],
        ),
        (
            "expired the day after its last day, with what was left on it",
            vec![
                Issue(1, 1000, "2026-11-29"),
                Use("T1-V000001", 250),
                Close("2026-11-29"),
                Close("2026-11-30"),
            ],
            [750, 0, 0, 0, 750, 0],
        ),
        (
            "spent expired (a manager's override) before the close that takes it out",
            vec![
                Issue(1, 1000, "2026-11-29"),
                Close("2026-11-29"),
                Use("T1-V000001", 400),
                Close("2026-11-30"),
            ],
            [1000, 0, 0, 400, 600, 0],
        ),
        (
            "spent expired after the close that took it out: no longer counted",
            vec![
                Issue(1, 1000, "2026-11-29"),
                Close("2026-11-30"),
                Use("T1-V000001", 400),
                Close("2026-12-01"),
            ],
            [0, 0, 0, 0, 0, 0],
        ),
    ];
    for (name, steps, expected) in cases {
        let mut liability = Liability::default();
        let mut last = None;
        for step in steps {
            match step {
                Issue(seq, cents, expires) => liability
                    .add(&avoir(seq, AvoirOrigin::Return, cents, expires))
                    .unwrap(),
                Sell(seq, cents, expires) => liability
                    .add(&avoir(seq, AvoirOrigin::Gift, cents, expires))
                    .unwrap(),
                Use(voucher, cents) => liability.add(&used(voucher, cents)).unwrap(),
                Close(day) => last = Some(liability.close(day).unwrap()),
            }
        }
        let l = last.unwrap();
        assert!(l.adds_up(), "{name}");
        assert_eq!(
            [
                l.opening_cents.0,
                l.issued_cents.0,
                l.sold_cents.0,
                l.redeemed_cents.0,
                l.expired_cents.0,
                l.outstanding_cents.0
            ],
            expected,
            "{name}"
        );
    }
}
