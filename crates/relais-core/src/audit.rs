//! [`RecordAudit`]: the one verification of a till's records, written once and run on a
//! till's ledger (the store's `verify`), on a bundle's records.jsonl (the bundle's `verify`)
//! and on any other copy of a till's records.
//!
//! It wraps the [`ChainVerifier`] (links, hashes, columns, numbers, closure signatures) and
//! checks what hashes and signatures do not prove (docs/CHAIN.md, section 6):
//!
//! - each ticket adds up: its lines give its total, its VAT per rate and its payments;
//! - each closure covers the chain head it was made on: the record just before it, or the
//!   one before that when a clock event came between;
//! - a day closure's totals and earlier days are those of its day's records, from the day's
//!   opening on; a month's or a year's totals are the sum of its day closures;
//! - the perpetual totals chain: a day closure's are the previous day closure's plus its
//!   own; a month's or a year's repeat the last day closure's.
//! - a day closure's avoirs (the shop's liability in this till's avoirs) are those the till's
//!   avoirs and their uses give, folded from the first record ([`crate::liability`]).
//!
//! Streaming: it keeps the open day's running totals, one running sum per month and year not
//! yet closed, and the last two hashes — never the records. An audit taken up mid-chain
//! ([`RecordAudit::resume`]) cannot see the beginning of a period that began before its
//! first record: it skips exactly the checks that need it (module `closures`).

use crate::chain::{Anchor, ChainSummary, ChainVerifier, Defect, Hash, RecordName, StoredRecord};
use crate::closure::ClosureData;
use crate::event::EventType;
use crate::money::Money;
use crate::record::{Body, Record, Series};
use crate::ticket::Ticket;
use closures::Periods;
use std::collections::BTreeMap;

mod closures;

/// A ticket's own arithmetic: its lines add up to its total, its VAT per rate is recomputed
/// from its lines, and its payments (if any) add up to its total.
pub fn ticket_adds_up(t: &Ticket) -> bool {
    let lines = Money::sum(t.lines.iter().map(|l| l.total_cents)).ok();
    let vat = Ticket::vat_breakdown(&t.lines).ok();
    let paid = Money::sum(t.payments.iter().map(|p| p.amount_cents)).ok();
    lines == Some(t.total_cents)
        && vat.as_ref() == Some(&t.vat)
        && (t.payments.is_empty() || paid == Some(t.total_cents))
}

/// The chain as it stood before a record: what its closure's `covers` is checked against.
#[derive(Clone, Copy)]
struct Before {
    /// Position and hash of the last record (0 and the genesis hash before the first; the
    /// position and previous hash a mid-chain audit resumes from).
    pos: u64,
    head: Hash,
    /// The hash at `pos - 1`, when this audit saw it.
    older: Option<Hash>,
    /// Whether the record at `pos` is a clock event, when this audit saw it.
    clock: Option<bool>,
}

/// Verifies one till's records, pushed in position order.
pub struct RecordAudit {
    chain: ChainVerifier,
    older: Option<Hash>,
    last_clock: Option<bool>,
    periods: Periods,
}

impl RecordAudit {
    /// An audit from the chain's first record. `till`: the till it must belong to, if known.
    pub fn new(till: Option<String>) -> Self {
        RecordAudit {
            chain: ChainVerifier::new(till),
            older: None,
            last_clock: None,
            periods: Periods::new(true),
        }
    }

    /// An audit taken up at `next_pos` (see [`ChainVerifier::resume`]). From position 1, it
    /// is an audit of the whole chain.
    pub fn resume(
        till: String,
        next_pos: u64,
        prev: Hash,
        next_seq: BTreeMap<Series, u64>,
        public_key: Option<String>,
    ) -> Self {
        RecordAudit {
            chain: ChainVerifier::resume(till, next_pos, prev, next_seq, public_key),
            older: None,
            last_clock: None,
            periods: Periods::new(next_pos <= 1),
        }
    }

    /// See [`ChainVerifier::after_skip`].
    pub fn after_skip(mut self, skipped: u64, seen: std::collections::BTreeSet<Series>) -> Self {
        self.chain = self.chain.after_skip(skipped, seen);
        self
    }

    /// The chain verifier underneath (last position, head, series numbers).
    pub fn chain(&self) -> &ChainVerifier {
        &self.chain
    }

    /// Position of the last record pushed (0 before any).
    pub fn last_pos(&self) -> u64 {
        self.chain.last_pos()
    }

    /// Checks one stored row: the chain's checks ([`ChainVerifier::push_returning`]), then
    /// the records'. Returns the record parsed.
    pub fn push(&mut self, row: &StoredRecord) -> Result<Record, Defect> {
        let before = self.before();
        let record = self.chain.push_returning(row)?;
        self.audit(before, record)
    }

    /// Like [`push`](Self::push), for a record parsed from a body known to be canonical
    /// ([`ChainVerifier::push_parsed`]).
    pub fn push_parsed(&mut self, row: &StoredRecord, record: Record) -> Result<Record, Defect> {
        let before = self.before();
        let record = self.chain.push_parsed(row, record)?;
        self.audit(before, record)
    }

    /// Like [`push`](Self::push), for a body built as the canonical form of `value`
    /// ([`ChainVerifier::push_canonical`]).
    pub fn push_canonical(
        &mut self,
        row: &StoredRecord,
        value: &serde_json::Value,
    ) -> Result<Record, Defect> {
        let before = self.before();
        let record = self.chain.push_canonical(row, value)?;
        self.audit(before, record)
    }

    /// Checks the anchors against the end of the chain ([`ChainVerifier::finish`]).
    pub fn finish(
        &self,
        anchors: &[Anchor],
        hash_at: impl Fn(u64) -> Option<String>,
    ) -> Result<ChainSummary, Defect> {
        self.chain.finish(anchors, hash_at)
    }

    fn before(&self) -> Before {
        Before {
            pos: self.chain.last_pos(),
            head: self.chain.head(),
            older: self.older,
            clock: self.last_clock,
        }
    }

    /// The records' checks of a record the chain has accepted.
    fn audit(&mut self, before: Before, record: Record) -> Result<Record, Defect> {
        if let Some(ticket) = record.body.ticket() {
            if !ticket_adds_up(ticket) {
                return Err(Defect::TicketDoesNotAddUp {
                    record: RecordName::of(&record),
                });
            }
        }
        match &record.body {
            Body::Closure(closure) => {
                check_covers(&record, closure, &before)?;
                self.periods.close(&record, closure)?;
            }
            _ => self.periods.add(&record)?,
        }
        self.older = Some(before.head);
        self.last_clock = Some(matches!(
            &record.body,
            Body::Event(e) if e.name == EventType::ClockBackwards.name()
        ));
        Ok(record)
    }
}

/// A closure covers the chain head it was built on: the record just before it, or, when a
/// clock event was chained between (the clock went back while it was sealed), the one
/// before that. The hash must be that record's. A hash this audit has not seen (the record
/// before a mid-chain audit's first) is not checked.
fn check_covers(record: &Record, closure: &ClosureData, before: &Before) -> Result<(), Defect> {
    let claimed = closure.covers.last_pos;
    let elsewhere = || Defect::CoversElsewhere {
        record: RecordName::of(record),
        claimed,
        expected: before.pos,
    };
    let found = if claimed == before.pos {
        Some(before.head)
    } else if before.pos.checked_sub(1) == Some(claimed) {
        match before.clock {
            Some(true) => before.older,
            Some(false) => return Err(elsewhere()),
            None => None,
        }
    } else {
        return Err(elsewhere());
    };
    match found.map(|hash| crate::chain::to_hex(&hash)) {
        Some(found) if found != closure.covers.last_hash => Err(Defect::CoversMismatch {
            record: RecordName::of(record),
            pos: claimed,
            claimed: closure.covers.last_hash.clone(),
            found,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
