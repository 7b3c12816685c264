//! What an archive (`scope` `archive`) adds to a bundle's checks: every record belongs to the
//! archived period, and the period's month and year closures (closures.jsonl, outside the
//! archived range of the chain) are sealed, signed by the till and add up the day closures
//! the archive holds. Specified in docs/ARCHIVE.md.

use super::{defect, Defect};
use crate::archive::CLOSURES_FILE;
use crate::bundle::{ArchivePeriod, Manifest};
use relais_core::canonical::to_canonical;
use relais_core::chain::{chain_hash, from_hex, to_hex};
use relais_core::closure::{signature_valid, ClosureData, ClosurePeriod, PeriodTotals};
use relais_core::{Body, Record, Summarizer};
use std::path::Path;

/// What the walk over records.jsonl keeps for the archive's checks.
pub(super) struct PeriodWalk {
    period: ArchivePeriod,
    /// The day closures of the archived range: (first day, totals).
    days: Vec<(String, PeriodTotals)>,
}

impl PeriodWalk {
    /// The walk of an archive's records; `None` for any other bundle. An archive's manifest
    /// must name its period, and only an archive's may.
    pub(super) fn of(manifest: &Manifest) -> std::result::Result<Option<PeriodWalk>, Defect> {
        match (manifest.scope.as_str(), &manifest.archive) {
            ("archive", Some(period)) if period.days().is_some() => Ok(Some(PeriodWalk {
                period: period.clone(),
                days: Vec::new(),
            })),
            ("archive", _) => Err(defect(
                "manifest.json: an archive must name its period (archive.period month or year, archive.name)",
                "manifest.json : une archive doit nommer sa période (archive.period month ou year, archive.name)",
            )),
            (_, Some(_)) => Err(defect(
                "manifest.json: only an archive names a period",
                "manifest.json : seule une archive nomme une période",
            )),
            _ => Ok(None),
        }
    }

    /// A record of the archived range: tickets and day openings of the period (a ticket of
    /// an earlier day only if it was keyed in later from a paper slip), day closures of the
    /// period; journal events may fall between two periods and are not dated against it.
    pub(super) fn take(&mut self, record: &Record) -> std::result::Result<(), (String, String)> {
        let day = record.business_day.as_str();
        let (first, _) = self.period.days().unwrap_or_default();
        let belongs = match &record.body {
            Body::Sale(t) | Body::Refund(t) | Body::Void(t) => {
                self.period.holds(day) || (t.late.is_some() && day < first.as_str())
            }
            Body::DayOpen(_) => self.period.holds(day),
            Body::Closure(c) if c.period == ClosurePeriod::Day => {
                self.days.push((c.first_day.clone(), c.totals.clone()));
                self.period.holds(&c.first_day)
            }
            _ => true,
        };
        if belongs {
            return Ok(());
        }
        let (name, number) = (&self.period.name, record.number());
        Err((
            format!("{number} belongs to {day}, not to the archived period {name}"),
            format!("{number} est du {day}, hors de la période archivée {name}"),
        ))
    }

    /// closures.jsonl: each closure sealed (its hash after its `prev_hash`), signed with the
    /// till's key, of the period, and adding up the archive's day closures of its month or
    /// year; the period's own closure among them, last.
    pub(super) fn check_closures(
        &self,
        folder: &Path,
        manifest: &Manifest,
    ) -> std::result::Result<(), Defect> {
        let text = std::fs::read_to_string(folder.join(CLOSURES_FILE)).map_err(|_| {
            defect(
                format!("{CLOSURES_FILE} is missing"),
                format!("{CLOSURES_FILE} manque"),
            )
        })?;
        let till = manifest.tills.first().ok_or_else(|| {
            defect(
                "manifest.json: an archive holds one till",
                "manifest.json : une archive contient une caisse",
            )
        })?;
        if !self.days.iter().any(|(day, _)| self.period.holds(day)) {
            return Err(defect(
                format!("no day closure of {} in the archive", self.period.name),
                format!(
                    "aucune clôture de journée de {} dans l'archive",
                    self.period.name
                ),
            ));
        }
        let mut numbers = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let at = |(en, fr): (String, String)| {
                defect(
                    format!("{CLOSURES_FILE} line {}: {en}", index + 1),
                    format!("{CLOSURES_FILE} ligne {} : {fr}", index + 1),
                )
            };
            let (record, closure) = sealed_closure(line, &till.public_key).map_err(at)?;
            if closure.covers.last_pos < till.to_pos {
                return Err(at((
                    format!(
                        "{} was made before the archived range ends",
                        record.number()
                    ),
                    format!(
                        "{} est antérieure à la fin de la plage archivée",
                        record.number()
                    ),
                )));
            }
            self.adds_up(&record, &closure).map_err(at)?;
            numbers.push(record.number());
        }
        let own = match self.period.period.as_str() {
            "month" => ClosurePeriod::Month,
            _ => ClosurePeriod::Year,
        };
        let last_is_own = text
            .lines()
            .last()
            .and_then(|line| sealed_closure(line, &till.public_key).ok())
            .is_some_and(|(_, c)| c.period == own && c.first_day.starts_with(&self.period.name));
        if numbers != self.period.closures || !last_is_own {
            return Err(defect(
                format!("{CLOSURES_FILE} does not hold the closures the manifest names, the period's own last"),
                format!("{CLOSURES_FILE} ne contient pas les clôtures que nomme le manifeste, celle de la période en dernier"),
            ));
        }
        Ok(())
    }

    /// A month or year closure of the period whose totals are the sum of the archive's
    /// day closures of its month or year.
    fn adds_up(
        &self,
        record: &Record,
        closure: &ClosureData,
    ) -> std::result::Result<(), (String, String)> {
        let prefix = match closure.period {
            ClosurePeriod::Month => &closure.first_day[..closure.first_day.len().min(7)],
            ClosurePeriod::Year => &closure.first_day[..closure.first_day.len().min(4)],
            ClosurePeriod::Day => "",
        };
        let number = record.number();
        if prefix.is_empty() || !self.period.holds(&closure.first_day) {
            return Err((
                format!("{number} is not a month or year closure of the period"),
                format!("{number} n'est pas une clôture mensuelle ou annuelle de la période"),
            ));
        }
        let mut summarizer = Summarizer::default();
        for (_, totals) in self.days.iter().filter(|(d, _)| d.starts_with(prefix)) {
            summarizer
                .add_totals(totals)
                .map_err(|_| ("amount out of range".into(), "montant hors limites".into()))?;
        }
        let sum = summarizer.finish().map_err(|_| {
            (
                "amount out of range".to_string(),
                "montant hors limites".to_string(),
            )
        })?;
        if sum != closure.totals {
            return Err((
                format!("{number}: its totals are not the sum of the archive's day closures of {prefix}"),
                format!("{number} : ses totaux ne sont pas la somme des clôtures de journée de {prefix} de l'archive"),
            ));
        }
        Ok(())
    }
}

/// A closures.jsonl line: a closure whose hash follows from its `prev_hash` and canonical
/// bytes, signed with `public_key`.
fn sealed_closure(
    line: &str,
    public_key: &str,
) -> std::result::Result<(Record, ClosureData), (String, String)> {
    let bad = |en: &str, fr: &str| (en.to_string(), fr.to_string());
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|_| bad("not a JSON object", "pas un objet JSON"))?;
    let member = |key: &str| value.get(key).and_then(|v| v.as_str());
    let (Some(prev), Some(hash), Some(body)) =
        (member("prev_hash"), member("hash"), value.get("record"))
    else {
        return Err(bad(
            "hash, prev_hash or record missing",
            "hash, prev_hash ou record manque",
        ));
    };
    let canonical = to_canonical(body).map_err(|e| (e.to_string(), e.text().fr))?;
    let sealed = from_hex(prev).map(|prev| to_hex(&chain_hash(&prev, canonical.as_bytes())));
    if sealed.as_deref() != Some(hash) {
        return Err(bad(
            "its hash is not SHA-256(prev_hash ‖ record) (the closure was altered)",
            "son empreinte n'est pas SHA-256(prev_hash ‖ record) (clôture modifiée)",
        ));
    }
    let record: Record = serde_json::from_value(body.clone())
        .map_err(|_| bad("not a Relais record", "pas un enregistrement Relais"))?;
    let Body::Closure(closure) = &record.body else {
        return Err(bad("not a closure", "pas une clôture"));
    };
    if !signature_valid(closure, public_key) {
        return Err(bad(
            "the closure's signature does not verify with the till's public key",
            "la signature de la clôture ne correspond pas à la clé publique de la caisse",
        ));
    }
    let closure = closure.clone();
    Ok((record, closure))
}
