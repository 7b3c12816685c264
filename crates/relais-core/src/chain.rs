//! The hash chain: `hash = SHA-256(previous hash ‖ canonical bytes)`, and the verifier that
//! walks a till's ledger and names its first defect.
//!
//! The verifier is pure and streaming: the store feeds it rows from SQLite, a bundle reader
//! feeds it lines of `records.jsonl`; memory stays flat whatever the ledger size.

use crate::canonical::{to_canonical, CanonicalError};
use crate::event::EventType;
use crate::record::{display_number, Body, Kind, Record, Series, FORMAT_VERSION};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

mod defect;
pub use defect::{Defect, Figure, RecordName};

pub type Hash = [u8; 32];

/// The "previous hash" of a till's first record.
pub const GENESIS: Hash = [0; 32];

pub fn chain_hash(prev: &Hash, canonical: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update(prev);
    hasher.update(canonical);
    hasher.finalize().into()
}

pub fn to_hex(hash: &Hash) -> String {
    hex::encode(hash)
}

pub fn from_hex(text: &str) -> Option<Hash> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    (text.bytes().all(|b| !b.is_ascii_uppercase())).then_some(out)
}

/// A record with its canonical bytes and chain hashes, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub record: Record,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical text of a record.
pub fn record_bytes(record: &Record) -> Result<String, CanonicalError> {
    let value = serde_json::to_value(record).map_err(|e| CanonicalError::Json(e.to_string()))?;
    to_canonical(&value)
}

/// Computes the canonical bytes of `record` and its hash after `prev`.
pub fn seal(record: Record, prev: &Hash) -> Result<Sealed, CanonicalError> {
    let body = record_bytes(&record)?;
    let hash = chain_hash(prev, body.as_bytes());
    Ok(Sealed {
        record,
        body,
        prev_hash: to_hex(prev),
        hash: to_hex(&hash),
    })
}

impl Sealed {
    /// The row as the store keeps it.
    pub fn stored(&self) -> StoredRecord {
        StoredRecord {
            pos: self.record.pos,
            id: self.record.id.to_string(),
            kind: self.record.kind().code().to_string(),
            series: self.record.kind().series().code().to_string(),
            seq: self.record.seq,
            at: self.record.at.clone(),
            business_day: self.record.business_day.clone(),
            operator: self.record.operator.clone(),
            total_cents: self.record.body.total().map(|m| m.0),
            body: self.body.clone(),
            prev_hash: self.prev_hash.clone(),
            hash: self.hash.clone(),
        }
    }
}

/// A ledger row as stored: the canonical body plus the columns kept beside it for queries.
/// Every column must agree with the body; the verifier checks that too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub pos: u64,
    pub id: String,
    pub kind: String,
    pub series: String,
    pub seq: u64,
    pub at: String,
    pub business_day: String,
    pub operator: String,
    pub total_cents: Option<i64>,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A statement, kept outside the chain, of where the chain ended: the store's head row
/// (exact) or the `ledger.head` sidecar file (a lower bound: it may lag after a crash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub source: String,
    pub pos: u64,
    pub hash: String,
    /// The ledger must end exactly here (else: at or after here).
    pub exact: bool,
}

/// What a sound chain holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainSummary {
    pub till: Option<String>,
    pub records: u64,
    pub head_hash: Option<String>,
    pub per_kind: BTreeMap<&'static str, u64>,
    /// Last sequence number of each series.
    pub last_seq: BTreeMap<&'static str, u64>,
}

/// Checks records one by one in position order.
pub struct ChainVerifier {
    till: Option<String>,
    prev: Hash,
    next_pos: u64,
    next_seq: BTreeMap<Series, u64>,
    summary: ChainSummary,
    /// The till's public key, from its set-up record: closures must verify with it.
    public_key: Option<String>,
    /// After an integrity-defect event that skipped numbers (records lost, their numbers
    /// never reissued): how many, and the series whose first record since has been seen.
    skip: Option<(u64, BTreeSet<Series>)>,
}

/// The member of an `integrity_defect` event's details that says how many numbers of every
/// series the till skipped, so that none of the lost records' numbers is issued again.
pub const SKIPPED_NUMBERS: &str = "skipped_numbers";

impl ChainVerifier {
    /// `till`: the till the ledger must belong to, if known.
    pub fn new(till: Option<String>) -> Self {
        ChainVerifier {
            till,
            prev: GENESIS,
            next_pos: 1,
            next_seq: BTreeMap::new(),
            summary: ChainSummary::default(),
            public_key: None,
            skip: None,
        }
    }

    pub fn push(&mut self, row: &StoredRecord) -> Result<(), Defect> {
        self.push_returning(row).map(|_| ())
    }

    /// Like [`push`](Self::push), and hands back the record it parsed (readers that need it
    /// afterwards parse each record once).
    pub fn push_returning(&mut self, row: &StoredRecord) -> Result<Record, Defect> {
        self.check_position(row)?;
        let unreadable = |reason: String| Defect::Unreadable {
            record: RecordName {
                number: format!("{} {}", row.kind, row.seq),
                kind: row.kind.clone(),
                pos: row.pos,
            },
            reason,
        };
        // Parsed once: the canonical check and the typed record both come from this value.
        let value: serde_json::Value =
            serde_json::from_str(&row.body).map_err(|e| unreadable(e.to_string()))?;
        self.push_checked(row, &value, true)
    }

    /// Like [`push_returning`](Self::push_returning), for a reader that built `row.body` as
    /// `canonical::to_canonical(value)` itself (a bundle's records.jsonl): the body is not
    /// parsed and canonicalised a second time. Every other check is the same.
    pub fn push_canonical(
        &mut self,
        row: &StoredRecord,
        value: &serde_json::Value,
    ) -> Result<Record, Defect> {
        self.check_position(row)?;
        self.push_checked(row, value, false)
    }

    /// Like [`push_canonical`](Self::push_canonical), for a reader that parsed `record`
    /// straight from `row.body` after checking that the body is canonical
    /// ([`canonical::canonical_members`](crate::canonical::canonical_members)): no JSON tree
    /// is built at all. Every other check is the same.
    pub fn push_parsed(&mut self, row: &StoredRecord, record: Record) -> Result<Record, Defect> {
        self.check_position(row)?;
        self.push_record(row, record, None)
    }

    fn check_position(&self, row: &StoredRecord) -> Result<(), Defect> {
        if row.pos != self.next_pos {
            return Err(Defect::MissingPosition {
                expected: self.next_pos,
                found: row.pos,
            });
        }
        Ok(())
    }

    fn push_checked(
        &mut self,
        row: &StoredRecord,
        value: &serde_json::Value,
        check_canonical: bool,
    ) -> Result<Record, Defect> {
        let record = Record::deserialize(value).map_err(|e| Defect::Unreadable {
            record: RecordName {
                number: format!("{} {}", row.kind, row.seq),
                kind: row.kind.clone(),
                pos: row.pos,
            },
            reason: e.to_string(),
        })?;
        self.push_record(row, record, check_canonical.then_some(value))
    }

    /// The checks of a parsed record; `canonical_of` is the value `row.body` must be the
    /// canonical form of, when the caller has not made sure of it.
    fn push_record(
        &mut self,
        row: &StoredRecord,
        record: Record,
        canonical_of: Option<&serde_json::Value>,
    ) -> Result<Record, Defect> {
        let name = RecordName {
            number: record.number(),
            kind: record.kind().code().into(),
            pos: row.pos,
        };
        if record.v != FORMAT_VERSION {
            return Err(Defect::Unreadable {
                record: name,
                reason: format!("unknown format version {}", record.v),
            });
        }
        if canonical_of.is_some_and(|value| {
            crate::canonical::to_canonical(value).ok().as_deref() != Some(row.body.as_str())
        }) {
            return Err(Defect::NotCanonical { record: name });
        }
        self.check_link_and_hash(row, &name)?;
        check_columns(row, &record, &name)?;
        self.check_till(&record, &name)?;
        self.check_sequence(&record, &name)?;
        self.check_signature(&record, &name)?;
        self.summary.records += 1;
        *self
            .summary
            .per_kind
            .entry(record.kind().code())
            .or_default() += 1;
        self.summary
            .last_seq
            .insert(record.kind().series().code(), record.seq);
        Ok(record)
    }

    fn check_till(&mut self, record: &Record, name: &RecordName) -> Result<(), Defect> {
        match &self.till {
            Some(expected) if *expected != record.till => Err(Defect::WrongTill {
                record: name.clone(),
                expected: expected.clone(),
                found: record.till.clone(),
            }),
            Some(_) => Ok(()),
            None => {
                self.till = Some(record.till.clone());
                Ok(())
            }
        }
    }

    fn check_link_and_hash(&mut self, row: &StoredRecord, name: &RecordName) -> Result<(), Defect> {
        let expected_prev = to_hex(&self.prev);
        if row.prev_hash != expected_prev {
            return Err(Defect::BrokenLink {
                record: name.clone(),
                expected: expected_prev,
                found: row.prev_hash.clone(),
            });
        }
        let computed = chain_hash(&self.prev, row.body.as_bytes());
        let computed_hex = to_hex(&computed);
        if row.hash != computed_hex {
            return Err(Defect::HashMismatch {
                record: name.clone(),
                expected: computed_hex,
                found: row.hash.clone(),
            });
        }
        self.prev = computed;
        self.next_pos += 1;
        Ok(())
    }

    /// Learns the public key from the set-up record; checks every closure's signature.
    fn check_signature(&mut self, record: &Record, name: &RecordName) -> Result<(), Defect> {
        match &record.body {
            Body::Event(event) if event.name == EventType::TillInitialised.name() => {
                self.public_key = event.details["public_key"].as_str().map(String::from);
                Ok(())
            }
            Body::Closure(closure) => {
                let valid = self
                    .public_key
                    .as_deref()
                    .is_some_and(|key| crate::closure::signature_valid(closure, key));
                if valid {
                    Ok(())
                } else {
                    Err(Defect::BadSignature {
                        record: name.clone(),
                    })
                }
            }
            _ => Ok(()),
        }
    }

    /// Each series counts up by one; from an integrity-defect event that skipped `n` numbers
    /// on, the first record of each series may be up to `n` beyond (docs/CHAIN.md, rule 8).
    fn check_sequence(&mut self, record: &Record, name: &RecordName) -> Result<(), Defect> {
        if let Body::Event(event) = &record.body {
            let skipped = event.details[SKIPPED_NUMBERS].as_u64();
            if let (true, Some(n)) = (event.name == EventType::IntegrityDefect.name(), skipped) {
                self.skip = Some((n, BTreeSet::new()));
            }
        }
        let series = record.kind().series();
        let mut expected = self.next_seq.get(&series).copied().unwrap_or(1);
        if let Some((n, seen)) = &mut self.skip {
            if seen.insert(series) && record.seq > expected && record.seq <= expected + *n {
                expected = record.seq;
            }
        }
        if record.seq != expected {
            return Err(Defect::SequenceGap {
                record: name.clone(),
                series: series.code(),
                missing: display_number(&record.till, series, expected),
            });
        }
        self.next_seq.insert(series, expected + 1);
        Ok(())
    }

    /// A verifier that takes a chain up at `next_pos` (a bundle that does not start at the
    /// first record): the previous hash, the next number of each series, and the till's
    /// public key (closures are checked with it) come from the bundle's manifest.
    pub fn resume(
        till: String,
        next_pos: u64,
        prev: Hash,
        next_seq: BTreeMap<Series, u64>,
        public_key: Option<String>,
    ) -> Self {
        ChainVerifier {
            till: Some(till),
            prev,
            next_pos,
            next_seq,
            summary: ChainSummary::default(),
            public_key,
            skip: None,
        }
    }

    /// A verifier taken up after an integrity-defect event that skipped `skipped` numbers,
    /// where only the series in `seen` have had their first record since (the event's own
    /// included): the others may still jump, as they would have in one walk (rule 8).
    pub fn after_skip(mut self, skipped: u64, seen: BTreeSet<Series>) -> Self {
        self.skip = Some((skipped, seen));
        self
    }

    /// Position of the last record pushed (0 before any).
    pub fn last_pos(&self) -> u64 {
        // A chain taken up at a position 0 (an altered manifest) has no last position.
        self.next_pos.saturating_sub(1)
    }

    /// The number the next record of `series` must carry.
    pub fn next_seq(&self, series: Series) -> Option<u64> {
        self.next_seq.get(&series).copied()
    }

    /// The hash of the last record pushed.
    pub fn head(&self) -> Hash {
        self.prev
    }

    /// Checks the anchors against the end of the chain and returns the summary. `hash_at`
    /// gives the stored hash of an earlier position, for anchors that lag behind the end.
    pub fn finish(
        &self,
        anchors: &[Anchor],
        hash_at: impl Fn(u64) -> Option<String>,
    ) -> Result<ChainSummary, Defect> {
        let last = self.last_pos();
        for anchor in anchors {
            if anchor.pos > last {
                return Err(Defect::Truncated {
                    anchor: anchor.source.clone(),
                    anchored: anchor.pos,
                    hash: anchor.hash.clone(),
                    last,
                });
            }
            if anchor.exact && anchor.pos < last {
                return Err(Defect::BeyondHead {
                    anchor: anchor.source.clone(),
                    anchored: anchor.pos,
                    last,
                });
            }
            let found = match anchor.pos {
                0 => Some(to_hex(&GENESIS)),
                p if p == last => Some(to_hex(&self.prev)),
                p => hash_at(p),
            }
            .unwrap_or_default();
            if found != anchor.hash {
                return Err(Defect::AnchorMismatch {
                    anchor: anchor.source.clone(),
                    pos: anchor.pos,
                    anchored: anchor.hash.clone(),
                    found,
                });
            }
        }
        let mut summary = self.summary.clone();
        summary.till = self.till.clone();
        summary.head_hash = (last > 0).then(|| to_hex(&self.prev));
        Ok(summary)
    }
}

/// A total as a [`Defect::ColumnMismatch`] holds it: cents, or nothing (shown as money).
fn cents_text(total: Option<i64>) -> String {
    total.map(|c| c.to_string()).unwrap_or_default()
}

/// Every column kept beside the body must say what the body says.
fn check_columns(row: &StoredRecord, record: &Record, name: &RecordName) -> Result<(), Defect> {
    let mismatch = |column: &'static str, stored: String, hashed: String| {
        Err(Defect::ColumnMismatch {
            record: name.clone(),
            column,
            stored,
            hashed,
        })
    };
    let total = record.body.total().map(|m| m.0);
    if row.pos != record.pos {
        return mismatch("pos", row.pos.to_string(), record.pos.to_string());
    }
    if row.id != record.id.to_string() {
        return mismatch("id", row.id.clone(), record.id.to_string());
    }
    if Kind::from_code(&row.kind) != Some(record.kind()) {
        return mismatch("kind", row.kind.clone(), record.kind().code().into());
    }
    if row.series != record.kind().series().code() {
        return mismatch(
            "series",
            row.series.clone(),
            record.kind().series().code().into(),
        );
    }
    if row.seq != record.seq {
        return mismatch("seq", row.seq.to_string(), record.seq.to_string());
    }
    if row.at != record.at {
        return mismatch("at", row.at.clone(), record.at.clone());
    }
    if row.business_day != record.business_day {
        return mismatch(
            "business_day",
            row.business_day.clone(),
            record.business_day.clone(),
        );
    }
    if row.operator != record.operator {
        return mismatch("operator", row.operator.clone(), record.operator.clone());
    }
    if row.total_cents != total {
        return mismatch(
            "total_cents",
            cents_text(row.total_cents),
            cents_text(total),
        );
    }
    Ok(())
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
