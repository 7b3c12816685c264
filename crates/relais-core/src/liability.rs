//! [`Liability`]: this till's avoirs and gift vouchers folded record after record into the
//! figures each day closure carries ([`AvoirLiability`], docs/CHAIN.md, « The avoirs'
//! liability »). The till runs it over its ledger when it closes a day; the audit runs the
//! same fold to recompute what the closure states.
//!
//! It keeps one entry per avoir of this till still counted (neither spent nor taken out as
//! expired), never the records.

use crate::avoir::{AvoirOrigin, UseSource};
use crate::closure::AvoirLiability;
use crate::money::{Money, Overflow};
use crate::record::{Body, Record};
use std::collections::BTreeMap;

/// The fold: the avoirs still counted, and what happened to them since the last close.
#[derive(Debug, Default, Clone)]
pub struct Liability {
    /// This till's avoirs still counted: number (`T1-V000001`) → (balance, last day).
    open: BTreeMap<String, (Money, String)>,
    /// The last close's outstanding total.
    opening: Money,
    issued: Money,
    sold: Money,
    redeemed: Money,
}

impl Liability {
    /// One of the till's records, in position order: an `avoir` counts its amount; an
    /// `avoir_use` of one of the avoirs still counted takes what it spent off the balance
    /// (never more than the balance: a spent avoir leaves the count). Other records, and the
    /// uses of other tills' avoirs, change nothing.
    pub fn add(&mut self, record: &Record) -> Result<(), Overflow> {
        match &record.body {
            Body::Avoir(avoir) => {
                match avoir.origin {
                    AvoirOrigin::Gift => self.sold = self.sold.checked_add(avoir.amount_cents)?,
                    AvoirOrigin::Return | AvoirOrigin::Deposit => {
                        self.issued = self.issued.checked_add(avoir.amount_cents)?
                    }
                }
                if avoir.amount_cents.0 > 0 {
                    self.open
                        .insert(record.number(), (avoir.amount_cents, avoir.expires.clone()));
                }
            }
            Body::AvoirUse(used) if used.source == UseSource::Avoir => {
                if let Some((balance, _)) = self.open.get_mut(&used.voucher) {
                    let spent = Money(used.amount_cents.0.clamp(0, balance.0));
                    *balance = balance.checked_sub(spent)?;
                    self.redeemed = self.redeemed.checked_add(spent)?;
                    if balance.0 == 0 {
                        self.open.remove(&used.voucher);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The figures of a day closure of `day` (`YYYY-MM-DD`): the avoirs whose last day is
    /// before it are taken out as expired, what is left on the others is outstanding, and
    /// the next closure starts from it.
    pub fn close(&mut self, day: &str) -> Result<AvoirLiability, Overflow> {
        let mut expired = Money::ZERO;
        let mut outstanding = Money::ZERO;
        self.open.retain(|_, (balance, expires)| {
            let keep = expires.as_str() >= day;
            let sum = if keep { &mut outstanding } else { &mut expired };
            *sum = Money(sum.0.saturating_add(balance.0));
            keep
        });
        let figures = AvoirLiability {
            opening_cents: self.opening,
            issued_cents: std::mem::take(&mut self.issued),
            sold_cents: std::mem::take(&mut self.sold),
            redeemed_cents: std::mem::take(&mut self.redeemed),
            expired_cents: expired,
            outstanding_cents: outstanding,
        };
        self.opening = outstanding;
        if figures.adds_up() {
            Ok(figures)
        } else {
            Err(Overflow)
        }
    }
}

#[cfg(test)]
#[path = "liability_tests.rs"]
mod tests;
