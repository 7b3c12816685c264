//! The chain of records.jsonl: every till's records audited by the core's `RecordAudit`
//! (links, hashes, positions, numbers, closure signatures, each ticket's arithmetic, each
//! closure's `covers`, totals and perpetual totals: the same verification as a till's), and
//! the manifest's totals recomputed from the records.

use super::archive::PeriodWalk;
use super::lines::{parsed_lines, Parsed, ParsedLine};
use super::{defect, Defect};
use crate::bundle::Manifest;
use relais_core::chain::{from_hex, to_hex};
use relais_core::record::Series;
use relais_core::{RecordAudit, Summarizer};
use std::collections::BTreeMap;
use std::path::Path;

/// The audits, summarizer and counts the records are checked against, line by line.
struct Walk {
    verifiers: BTreeMap<String, RecordAudit>,
    summarizer: Summarizer,
    counts: BTreeMap<String, u64>,
    count: u64,
    /// An archive's: every record of its period, and its day closures.
    period: Option<PeriodWalk>,
}

pub(super) fn check_records(
    folder: &Path,
    manifest: &Manifest,
) -> std::result::Result<u64, Defect> {
    let path = folder.join("records.jsonl");
    let file = std::fs::File::open(&path)
        .map_err(|_| defect("records.jsonl is missing", "records.jsonl manque"))?;
    let mut walk = Walk {
        verifiers: verifiers_of(manifest),
        summarizer: Summarizer::default(),
        counts: BTreeMap::new(),
        count: 0,
        period: PeriodWalk::of(manifest)?,
    };
    // Reading and parsing the lines on threads of their own; the audit of each till's
    // records and the totals on this one. The lines still come in order, so the first
    // defect is the same as with one thread.
    std::thread::scope(|scope| -> std::result::Result<(), Defect> {
        for (index, parsed) in parsed_lines(scope, file).flatten().enumerate() {
            walk.step(index, parsed)?;
        }
        Ok(())
    })?;
    check_heads(manifest, &walk.verifiers)?;
    let totals = walk
        .summarizer
        .finish()
        .map_err(|_| defect("amount out of range", "montant hors limites"))?;
    if totals != manifest.totals || walk.counts != manifest.counts {
        return Err(defect(
            "the totals recomputed from the records differ from the manifest's",
            "les totaux recalculés à partir des enregistrements diffèrent de ceux du manifeste",
        ));
    }
    if let Some(period) = &walk.period {
        period.check_closures(folder, manifest)?;
    }
    Ok(walk.count)
}

/// One audit per till of the manifest, resumed where its range starts (a range that does
/// not start at position 1 skips the checks of periods begun before it: see
/// `relais_core::audit`).
fn verifiers_of(manifest: &Manifest) -> BTreeMap<String, RecordAudit> {
    let mut verifiers = BTreeMap::new();
    for till in &manifest.tills {
        let prev = from_hex(&till.from_prev_hash).unwrap_or([0; 32]);
        let seqs = till
            .first_seq
            .iter()
            .filter_map(|(s, n)| Series::from_code(s).map(|s| (s, *n)))
            .collect();
        verifiers.insert(
            till.till.clone(),
            RecordAudit::resume(
                till.till.clone(),
                till.from_pos,
                prev,
                seqs,
                Some(till.public_key.clone()),
            ),
        );
    }
    verifiers
}

impl Walk {
    /// Checks the line at `index` (0-based) against its till's chain and adds it up.
    fn step(&mut self, index: usize, parsed: ParsedLine) -> std::result::Result<(), Defect> {
        let at = |en: String, fr: String| {
            defect(
                format!("records.jsonl line {}: {en}", index + 1),
                format!("records.jsonl ligne {} : {fr}", index + 1),
            )
        };
        let line = parsed.map_err(|(en, fr)| at(en, fr))?;
        let till = &line.till;
        let verifier = self.verifiers.get_mut(till).ok_or_else(|| {
            at(
                format!("till {till:?} is not in the manifest"),
                format!("la caisse {till:?} n'est pas dans le manifeste"),
            )
        })?;
        let record = match line.record {
            Parsed::Record(record) => verifier.push_parsed(&line.stored, record),
            Parsed::Value(value) => verifier.push_canonical(&line.stored, &value),
        }
        .map_err(|d| {
            let said = d.text();
            at(said.en, said.fr)
        })?;
        if let Some(period) = &mut self.period {
            period.take(&record).map_err(|(en, fr)| at(en, fr))?;
        }
        self.summarizer
            .add(&record)
            .map_err(|_| at("amount out of range".into(), "montant hors limites".into()))?;
        *self.counts.entry(record.kind().code().into()).or_default() += 1;
        self.count += 1;
        Ok(())
    }
}

/// Each till's chain ends where the manifest says, on the hash it names.
fn check_heads(
    manifest: &Manifest,
    verifiers: &BTreeMap<String, RecordAudit>,
) -> std::result::Result<(), Defect> {
    for till in &manifest.tills {
        let verifier = verifiers[&till.till].chain();
        if verifier.last_pos() != till.to_pos || to_hex(&verifier.head()) != till.head_hash {
            return Err(defect(
                format!("till {}: the records end at position {} but the manifest says {} with hash {} (records were removed or added)", till.till, verifier.last_pos(), till.to_pos, till.head_hash),
                format!("caisse {} : les enregistrements s'arrêtent en position {} au lieu de {} (enregistrements supprimés ou ajoutés)", till.till, verifier.last_pos(), till.to_pos),
            ));
        }
        // Each series ends on the number the manifest gives as its last.
        let ends_right = till.first_seq.keys().eq(till.last_seq.keys())
            && till.last_seq.iter().all(|(code, last)| {
                Series::from_code(code).and_then(|s| verifier.next_seq(s)) == Some(last + 1)
            });
        if !ends_right {
            return Err(defect(
                format!("till {}: the last number of a series differs from the manifest's last_seq", till.till),
                format!("caisse {} : le dernier numéro d'une série diffère de celui du manifeste (last_seq)", till.till),
            ));
        }
    }
    Ok(())
}
