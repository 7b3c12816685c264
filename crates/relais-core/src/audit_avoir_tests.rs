//! The avoirs' liability a day closure carries, recomputed by the audit (docs/CHAIN.md,
//! « The avoirs' liability »).

use super::*;
use crate::avoir::{AvoirData, AvoirOrigin, AvoirUseData, UseSource};

impl Till {
    fn avoir(&mut self, day: &str, origin: AvoirOrigin, cents: i64, expires: &str) {
        let seq = self.seqs.get(&Series::Avoir).copied().unwrap_or(0) + 1;
        let data = AvoirData {
            origin,
            from: None,
            amount_cents: Money(cents),
            expires: expires.into(),
            payments: Vec::new(),
            code: format!("AV1-T1-V{seq:06}"),
        };
        self.push(day, Body::Avoir(data));
    }

    fn spend(&mut self, day: &str, voucher: &str, cents: i64) {
        let data = AvoirUseData {
            source: UseSource::Avoir,
            voucher: voucher.into(),
            amount_cents: Money(cents),
            issued_cents: None,
            expires: None,
            balance_cents: None,
            sale: None,
            approved_by: None,
        };
        self.push(day, Body::AvoirUse(data));
    }

    /// Three days: a voucher sold and an avoir issued, both spent in part on the second
    /// day, the avoir expired at the third day's close. `forge` changes the third Z.
    fn three_days(before_change: usize, forge: fn(&mut ClosureData)) -> Till {
        let mut till = Till::new();
        for (i, day) in ["2026-11-28", "2026-11-29", "2026-11-30"]
            .iter()
            .enumerate()
        {
            till.states_avoirs = i >= before_change;
            till.open(day);
            till.sale(day, 120);
            match i {
                0 => {
                    till.avoir(day, AvoirOrigin::Gift, 5_000, "2027-11-28");
                    till.avoir(day, AvoirOrigin::Return, 1_200, "2026-11-29");
                }
                1 => {
                    till.spend(day, "T1-V000001", 1_500);
                    till.spend(day, "T1-V000002", 200);
                    till.spend(day, "T2-V000009", 700);
                }
                _ => {}
            }
            match i {
                2 => till.close_day(day, false, forge),
                _ => till.close_day(day, false, |_| {}),
            }
        }
        till
    }
}

fn third_z(till: &Till) -> AvoirLiability {
    let row = till
        .rows
        .iter()
        .rev()
        .find(|r| r.kind == "closure")
        .unwrap();
    match record_of(&row.body).body {
        Body::Closure(c) => c.avoirs.unwrap_or_default(),
        _ => unreachable!(),
    }
}

/// A till that states its avoirs, and one upgraded after its first day or its second (its
/// earlier Zs signed without them): every audit passes, whatever position it starts at, and
/// the last Z carries the same figures.
#[test]
fn a_till_s_avoirs_verify_before_and_after_the_change() {
    for before_change in [0, 1, 2, 3] {
        let till = Till::three_days(before_change, |_| {});
        for from in 1..=till.rows.len() {
            assert_eq!(
                till.audit_from(from),
                Ok(()),
                "changed after {before_change} days, from position {from}"
            );
        }
        let expected = match before_change {
            3 => AvoirLiability::default(),
            _ => AvoirLiability {
                opening_cents: Money(4_500),
                expired_cents: Money(1_000),
                outstanding_cents: Money(3_500),
                ..AvoirLiability::default()
            },
        };
        assert_eq!(third_z(&till), expected, "changed after {before_change}");
    }
}

/// How far an audit taken up mid-chain sees a forgery: it cannot know the avoirs issued
/// before it started, only the previous Z's outstanding total if it saw that Z.
#[derive(Clone, Copy)]
enum Reach {
    /// A whole audit only.
    Whole,
    /// Audits that saw the second Z.
    SecondZ,
    /// Every audit that sees the third Z.
    Everywhere,
}

/// What each forgery of the third Z breaks, and which audits see it.
#[test]
fn a_forged_liability_is_seen() {
    type Forge = fn(&mut ClosureData);
    let cases: [(&str, Forge, &str, Reach); 4] = [
        (
            "outstanding that does not add up",
            |c| c.avoirs.as_mut().unwrap().outstanding_cents.0 += 1,
            "avoirs.outstanding_cents is 3501",
            Reach::Everywhere,
        ),
        (
            "opening not the last Z's outstanding",
            |c| {
                let a = c.avoirs.as_mut().unwrap();
                a.opening_cents.0 += 100;
                a.outstanding_cents.0 += 100;
            },
            "avoirs.opening_cents is 4600",
            Reach::SecondZ,
        ),
        (
            "nothing expired, though it adds up",
            |c| {
                let a = c.avoirs.as_mut().unwrap();
                a.expired_cents = Money::ZERO;
                a.outstanding_cents.0 += 1_000;
            },
            "avoirs.expired_cents is 0",
            Reach::Whole,
        ),
        (
            "left out after Zs that stated them",
            |c| c.avoirs = None,
            "avoirs is null",
            Reach::Whole,
        ),
    ];
    for (what, forge, words, reach) in cases {
        let till = Till::three_days(0, forge);
        let third = till.rows.len();
        let second = till
            .rows
            .iter()
            .filter(|r| r.kind == "closure")
            .nth(1)
            .unwrap()
            .pos as usize;
        for from in 1..=third {
            let found = till.audit_from(from).err().map(|d| d.to_string());
            let seen = match reach {
                Reach::Whole => from == 1,
                Reach::SecondZ => from <= second,
                Reach::Everywhere => true,
            };
            match seen {
                true => assert!(
                    found
                        .as_deref()
                        .is_some_and(|d| d.starts_with("T1-Z000003") && d.contains(words)),
                    "{what} from {from}: {found:?}"
                ),
                false => assert_eq!(found, None, "{what} from {from}: not visible"),
            }
        }
    }
}
