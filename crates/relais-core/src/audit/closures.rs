//! A closure's figures recomputed as the till computed them when it made it: a day's from
//! its records, a month's or a year's from its day closures, the perpetual totals from the
//! previous day closure's, the avoirs' liability from the till's avoirs folded since its
//! first record.
//!
//! What an audit taken up mid-chain skips (docs/CHAIN.md, section 6.2): a day closure's
//! totals, earlier days and dates when its day was opened before the audit's first record; every month's and year's totals
//! and dates (their first days may lie before it); the perpetual totals until it has seen a
//! day closure, whose perpetual totals it then takes as given; the avoirs' fold, checking only
//! that a day closure's avoirs add up and start from the previous one's outstanding total.

use crate::chain::{Defect, Figure, RecordName};
use crate::closure::{
    AvoirLiability, ChequeLine, ClosureData, ClosurePeriod, EarlierDay, PeriodTotals,
};
use crate::liability::Liability;
use crate::money::{Money, Overflow};
use crate::record::{Body, Record};
use crate::summary::Summarizer;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The open day: the records of its business day from its `day_open` record on, and the
/// tickets recorded since then for earlier days.
struct OpenDay {
    day: String,
    from: u64,
    totals: Summarizer,
    earlier: BTreeMap<String, EarlierDay>,
}

/// The day closures of a month or a year added up, in position order. Their cheque lines
/// are hashed, not kept: the sum stays small whatever the number of cheques.
struct PeriodSum {
    totals: Summarizer,
    cheques: Sha256,
    cheque_lines: usize,
    first_day: String,
    last_day: String,
}

impl PeriodSum {
    fn new(first_day: &str) -> Self {
        PeriodSum {
            totals: Summarizer::default(),
            cheques: Sha256::new(),
            cheque_lines: 0,
            first_day: first_day.to_string(),
            last_day: first_day.to_string(),
        }
    }

    fn add(&mut self, closure: &ClosureData) -> Result<(), Overflow> {
        let mut totals = closure.totals.clone();
        let cheques = std::mem::take(&mut totals.cheques);
        self.totals.add_totals(&totals)?;
        hash_cheques(&mut self.cheques, &cheques);
        self.cheque_lines += cheques.len();
        self.last_day.clone_from(&closure.last_day);
        Ok(())
    }
}

fn hash_cheques(hasher: &mut Sha256, cheques: &[ChequeLine]) {
    for line in cheques {
        let bytes = serde_json::to_vec(line).unwrap_or_default();
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
}

/// What the closures are checked against, record after record.
pub(super) struct Periods {
    /// The audit started at the chain's first record.
    whole: bool,
    /// Whether the audit knows if a day is open: from the first record of a whole audit, from
    /// the first day opening or day closure of one taken up mid-chain.
    day_known: bool,
    day: Option<OpenDay>,
    /// The last day closure's perpetual totals (0 and 0 before the first), when known.
    perpetual: Option<(Money, Money)>,
    /// Day closures per month ("2026-11") and per year ("2026") not closed yet; whole
    /// audits only.
    sums: BTreeMap<String, PeriodSum>,
    /// This till's avoirs folded from the first record (whole audits only).
    liability: Option<Liability>,
    /// A day closure stating its `avoirs` was seen: from then on the till writes them.
    avoirs_seen: bool,
    /// The last day closure's outstanding avoirs, when known (mid-chain audits).
    outstanding: Option<Money>,
}

impl Periods {
    pub(super) fn new(whole: bool) -> Self {
        Periods {
            whole,
            day_known: whole,
            day: None,
            perpetual: whole.then_some((Money::ZERO, Money::ZERO)),
            sums: BTreeMap::new(),
            liability: whole.then(Liability::default),
            avoirs_seen: false,
            outstanding: None,
        }
    }

    /// A record other than a closure: a day opening starts a day (a second opening of the
    /// open day, its float counted after it opened automatically, goes on with it); the open
    /// day's records are added up, and so are the tickets for earlier days recorded since it
    /// opened.
    pub(super) fn add(&mut self, record: &Record) -> Result<(), Defect> {
        if let Some(liability) = &mut self.liability {
            liability.add(record).map_err(|_| Defect::OutOfRange {
                record: RecordName::of(record),
            })?;
        }
        let counted_late = matches!((&record.body, &self.day),
            (Body::DayOpen(_), Some(open)) if open.day == record.business_day);
        if let (Body::DayOpen(_), false) = (&record.body, counted_late) {
            self.day_known = true;
            self.day = Some(OpenDay {
                day: record.business_day.clone(),
                from: record.pos,
                totals: Summarizer::default(),
                earlier: BTreeMap::new(),
            });
        }
        let Some(day) = &mut self.day else {
            return Ok(());
        };
        let out_of_range = |_| Defect::OutOfRange {
            record: RecordName::of(record),
        };
        if record.business_day == day.day {
            day.totals.add(record).map_err(out_of_range)?;
        } else if record.business_day < day.day && record.pos > day.from {
            if let Some(ticket) = record.body.ticket() {
                let entry = day
                    .earlier
                    .entry(record.business_day.clone())
                    .or_insert_with(|| EarlierDay {
                        business_day: record.business_day.clone(),
                        tickets: 0,
                        total_cents: Money::ZERO,
                        abs_total_cents: Money::ZERO,
                    });
                let total = ticket.total_cents;
                entry.tickets += 1;
                entry.total_cents = entry.total_cents.checked_add(total).map_err(out_of_range)?;
                entry.abs_total_cents = total
                    .0
                    .checked_abs()
                    .ok_or(Overflow)
                    .and_then(|abs| entry.abs_total_cents.checked_add(Money(abs)))
                    .map_err(out_of_range)?;
            }
        }
        Ok(())
    }

    /// A closure, its signature and `covers` already checked.
    pub(super) fn close(&mut self, record: &Record, closure: &ClosureData) -> Result<(), Defect> {
        match closure.period {
            ClosurePeriod::Day => self.close_day(record, closure),
            ClosurePeriod::Month => self.close_period(record, closure, 7),
            ClosurePeriod::Year => self.close_period(record, closure, 4),
        }
    }

    fn close_day(&mut self, record: &Record, closure: &ClosureData) -> Result<(), Defect> {
        let mismatch = |field: &str, stated: String, recomputed: String| {
            Err(Defect::DayTotalsMismatch {
                record: RecordName::of(record),
                figure: Box::new(Figure {
                    field: field.into(),
                    stated,
                    recomputed,
                }),
            })
        };
        match self.day.take() {
            Some(day) => {
                if let Some((field, stated)) = dates_differ(record, closure, &day.day, &day.day) {
                    return mismatch(field, stated, day.day);
                }
                let totals = day.totals.finish().map_err(|_| Defect::OutOfRange {
                    record: RecordName::of(record),
                })?;
                if let Some((field, stated, recomputed)) = totals_differ(&closure.totals, &totals) {
                    return mismatch(&field, stated, recomputed);
                }
                let earlier: Vec<EarlierDay> = day.earlier.into_values().collect();
                if earlier != closure.earlier_days {
                    return mismatch("earlier_days", json(&closure.earlier_days), json(&earlier));
                }
            }
            None if self.day_known => {
                return Err(Defect::DayNotOpen {
                    record: RecordName::of(record),
                    day: closure.first_day.clone(),
                })
            }
            None => {}
        }
        self.day_known = true;
        self.check_perpetual(record, closure)?;
        self.check_avoirs(record, closure)?;
        self.perpetual = Some((
            closure.perpetual_total_cents,
            closure.perpetual_abs_total_cents,
        ));
        if self.whole {
            for key in [closure.first_day.get(..7), closure.first_day.get(..4)]
                .into_iter()
                .flatten()
            {
                self.sums
                    .entry(key.to_string())
                    .or_insert_with(|| PeriodSum::new(&closure.first_day))
                    .add(closure)
                    .map_err(|_| Defect::OutOfRange {
                        record: RecordName::of(record),
                    })?;
            }
        }
        Ok(())
    }

    /// A month's (`len` 7: "2026-11") or a year's (`len` 4: "2026") closure.
    fn close_period(
        &mut self,
        record: &Record,
        closure: &ClosureData,
        len: usize,
    ) -> Result<(), Defect> {
        self.check_perpetual(record, closure)?;
        if !self.whole {
            return Ok(());
        }
        let which = closure.first_day.get(..len).unwrap_or(&closure.first_day);
        let Some(sum) = self.sums.remove(which) else {
            return Err(Defect::NoDayClosed {
                record: RecordName::of(record),
                period: which.to_string(),
            });
        };
        let mismatch = |field: &str, stated: String, recomputed: String| {
            Err(Defect::PeriodTotalsMismatch {
                record: RecordName::of(record),
                figure: Box::new(Figure {
                    field: field.into(),
                    stated,
                    recomputed,
                }),
            })
        };
        if let Some((field, stated)) = dates_differ(record, closure, &sum.first_day, &sum.last_day)
        {
            let recomputed = match field {
                "first_day" => sum.first_day,
                _ => sum.last_day,
            };
            return mismatch(field, stated, recomputed);
        }
        let totals = sum.totals.finish().map_err(|_| Defect::OutOfRange {
            record: RecordName::of(record),
        })?;
        let mut stated = closure.totals.clone();
        let cheques = std::mem::take(&mut stated.cheques);
        if let Some((field, stated, recomputed)) = totals_differ(&stated, &totals) {
            return mismatch(&field, stated, recomputed);
        }
        let mut hasher = Sha256::new();
        hash_cheques(&mut hasher, &cheques);
        if hasher.finalize() != sum.cheques.finalize() {
            let recomputed = match sum.cheque_lines == cheques.len() {
                true => format!("{} other cheque lines", sum.cheque_lines),
                false => format!("{} cheque lines", sum.cheque_lines),
            };
            return mismatch(
                "totals.cheques",
                format!("{} cheque lines", cheques.len()),
                recomputed,
            );
        }
        Ok(())
    }

    /// A day closure's perpetual totals are the previous day closure's (0 before the
    /// first) plus its earlier days' and its own totals; a month's or a year's are the
    /// previous day closure's.
    fn check_perpetual(&self, record: &Record, closure: &ClosureData) -> Result<(), Defect> {
        let Some((total, abs)) = self.perpetual else {
            return Ok(());
        };
        let out_of_range = |_| Defect::OutOfRange {
            record: RecordName::of(record),
        };
        let (mut total, mut abs) = (total, abs);
        if closure.period == ClosurePeriod::Day {
            for earlier in &closure.earlier_days {
                total = total
                    .checked_add(earlier.total_cents)
                    .map_err(out_of_range)?;
                abs = abs
                    .checked_add(earlier.abs_total_cents)
                    .map_err(out_of_range)?;
            }
            total = total
                .checked_add(closure.totals.total_cents)
                .map_err(out_of_range)?;
            abs = abs
                .checked_add(closure.totals.abs_total_cents)
                .map_err(out_of_range)?;
        }
        for (field, stated, recomputed) in [
            (
                "perpetual_total_cents",
                closure.perpetual_total_cents,
                total,
            ),
            (
                "perpetual_abs_total_cents",
                closure.perpetual_abs_total_cents,
                abs,
            ),
        ] {
            if stated != recomputed {
                return Err(Defect::PerpetualMismatch {
                    record: RecordName::of(record),
                    field,
                    stated: stated.0,
                    recomputed: recomputed.0,
                });
            }
        }
        Ok(())
    }
    /// A day closure's avoirs: a whole audit recomputes them with the till's own fold; one
    /// taken up mid-chain, which cannot know the avoirs issued before its first record, checks
    /// that they add up and start from the previous day closure's outstanding total. A closure
    /// without them is one signed before they existed, or one with nothing to carry: after a
    /// closure that states them, nothing may be left out.
    fn check_avoirs(&mut self, record: &Record, closure: &ClosureData) -> Result<(), Defect> {
        let out_of_range = |_| Defect::OutOfRange {
            record: RecordName::of(record),
        };
        let recomputed = match &mut self.liability {
            Some(liability) => Some(liability.close(&closure.last_day).map_err(out_of_range)?),
            None => None,
        };
        let mismatch = |field: &str, stated: String, recomputed: String| {
            Err(Defect::LiabilityMismatch {
                record: RecordName::of(record),
                figure: Box::new(Figure {
                    field: field.into(),
                    stated,
                    recomputed,
                }),
            })
        };
        let stated = closure.avoirs.as_ref();
        match (stated, &recomputed) {
            (Some(stated), Some(recomputed)) => {
                if let Some((field, s, r)) = liability_differs(stated, recomputed) {
                    return mismatch(&field, s, r);
                }
            }
            (None, Some(recomputed)) if self.avoirs_seen && !recomputed.is_empty() => {
                return mismatch("avoirs", "null".into(), json(recomputed));
            }
            (Some(stated), None) => {
                if let Some(previous) = self.outstanding {
                    if stated.opening_cents != previous {
                        return mismatch(
                            "avoirs.opening_cents",
                            stated.opening_cents.0.to_string(),
                            previous.0.to_string(),
                        );
                    }
                }
                if !stated.adds_up() {
                    return mismatch(
                        "avoirs.outstanding_cents",
                        stated.outstanding_cents.0.to_string(),
                        "opening + issued + sold - redeemed - expired".into(),
                    );
                }
            }
            _ => {}
        }
        self.avoirs_seen |= stated.is_some();
        self.outstanding = match (stated, self.avoirs_seen) {
            (Some(stated), _) => Some(stated.outstanding_cents),
            (None, true) => Some(Money::ZERO),
            (None, false) => None,
        };
        Ok(())
    }
}

/// The first of the closure's dates that is not the period's: `first_day`, `last_day`, and
/// the record's `business_day` (a closure is dated to its period's last day).
fn dates_differ(
    record: &Record,
    closure: &ClosureData,
    first_day: &str,
    last_day: &str,
) -> Option<(&'static str, String)> {
    [
        ("first_day", &closure.first_day, first_day),
        ("last_day", &closure.last_day, last_day),
        ("business_day", &record.business_day, last_day),
    ]
    .into_iter()
    .find(|(_, stated, expected)| stated.as_str() != *expected)
    .map(|(field, stated, _)| (field, stated.clone()))
}

/// The first figure of `stated` that is not `recomputed`'s: `totals.<member>`, and both
/// values as JSON.
fn totals_differ(
    stated: &PeriodTotals,
    recomputed: &PeriodTotals,
) -> Option<(String, String, String)> {
    if stated == recomputed {
        return None;
    }
    let (s, r) = (
        serde_json::to_value(stated).unwrap_or_default(),
        serde_json::to_value(recomputed).unwrap_or_default(),
    );
    if let (Some(s), Some(r)) = (s.as_object(), r.as_object()) {
        for (key, value) in s {
            let other = r.get(key).unwrap_or(&serde_json::Value::Null);
            if value != other {
                return Some((
                    format!("totals.{key}"),
                    value.to_string(),
                    other.to_string(),
                ));
            }
        }
    }
    Some(("totals".into(), s.to_string(), r.to_string()))
}

/// The first figure of the stated avoirs that is not the recomputed one's.
fn liability_differs(
    stated: &AvoirLiability,
    recomputed: &AvoirLiability,
) -> Option<(String, String, String)> {
    let (s, r) = (
        serde_json::to_value(stated).unwrap_or_default(),
        serde_json::to_value(recomputed).unwrap_or_default(),
    );
    let (s, r) = (s.as_object()?, r.as_object()?);
    s.iter()
        .find(|(key, value)| r.get(*key) != Some(*value))
        .map(|(key, value)| {
            let other = r.get(key).cloned().unwrap_or_default();
            (
                format!("avoirs.{key}"),
                value.to_string(),
                other.to_string(),
            )
        })
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
