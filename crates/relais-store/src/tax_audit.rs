//! The tax audit extract (issue 28): the data of a range of days as a signed bundle (CSV
//! tables, records, journal) with a verification report, journaled as JET 280. Specified in
//! docs/ARCHIVE.md, « Extrait pour un contrôle fiscal ».

use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::export::{BundleExtras, ExportOptions};
use crate::Manager;
use crate::Store;
use relais_core::closure::ClosureData;
use relais_core::text;
use relais_core::{Body, EventData, EventType, Money};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::PathBuf;
use ts_rs::TS;

/// The verification report's file name in the extract.
pub const VERIFICATION_FILE: &str = "verification.txt";

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct AuditOptions {
    /// First business day, `YYYY-MM-DD`.
    pub from: String,
    /// Last business day, `YYYY-MM-DD`.
    pub to: String,
    /// The folder the extract is written into.
    pub out: PathBuf,
    pub operator: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditReport {
    pub folder: String,
    #[ts(type = "number")]
    pub from_pos: u64,
    #[ts(type = "number")]
    pub to_pos: u64,
    #[ts(type = "number")]
    pub records: u64,
    /// The till's whole chain verified intact.
    pub chain_intact: bool,
    /// Closures of the range whose totals were compared with the records.
    #[ts(type = "number")]
    pub closures_checked: u64,
    /// The closures whose totals differ from their records' (empty when all agree).
    pub mismatches: Vec<String>,
    pub manifest_sha256: String,
}

/// One closure of the range and what its records add up to.
struct Reconciled {
    number: String,
    closure: ClosureData,
    recomputed: Money,
}

impl Store {
    /// Writes the extract of the business days `from` to `to` for a tax inspector.
    /// Managers only.
    /// Made by `by` (from the options' `operator`).
    pub fn tax_audit(&mut self, options: &AuditOptions, by: &Manager) -> Result<AuditReport> {
        let training = text!(
            fr: "caisse de formation : ses enregistrements ne sont pas de vraies ventes et ne sont jamais extraits",
            en: "this is a training till: its records are not real sales and are never extracted",
        );
        let (config, key) = self.bundle_signing(training, "the extract")?;
        let (from, to) = (options.from.trim(), options.to.trim());
        let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok();
        if !date(from) || !date(to) || from > to {
            return Err(StoreError::Invalid(text!(
                fr: "dates « {from} » à « {to} » : attendu AAAA-MM-JJ, la première avant la seconde",
                en: "dates {from:?} to {to:?}: expected YYYY-MM-DD, the first before the second",
            )));
        }
        let (first, last): (Option<u64>, Option<u64>) = self.conn.query_row(
            "SELECT MIN(pos), MAX(pos) FROM ledger WHERE business_day BETWEEN ?1 AND ?2",
            params![from, to],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (Some(from_pos), Some(to_pos)) = (first, last) else {
            return Err(StoreError::Invalid(text!(
                fr: "rien n'est enregistré du {from} au {to}",
                en: "nothing is recorded from {from} to {to}",
            )));
        };
        let chain = self.verify()?;
        let reconciled = reconcile(&self.conn, from_pos, to_pos)?;
        let mismatches: Vec<String> = reconciled
            .iter()
            .filter(|r| r.recomputed != r.closure.totals.total_cents)
            .map(|r| r.number.clone())
            .collect();
        let name = format!("relais-controle-{}-{from}-{to}", config.till);
        let folder = options.out.join(&name);
        if folder.exists() {
            let shown = folder.display();
            return Err(StoreError::Invalid(text!(
                fr: "{shown} existe déjà : choisissez un autre dossier",
                en: "{shown} already exists: choose another folder",
            )));
        }
        std::fs::create_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
        let chain_line = match &chain.defect {
            None => format!(
                "Chaîne complète de la caisse : intègre ({} enregistrements, empreinte de tête {}) / whole chain of the till: intact",
                chain.summary.records,
                chain.summary.head_hash.clone().unwrap_or_default()
            ),
            Some(defect) => format!(
                "Chaîne complète de la caisse : DÉFAUT {} / whole chain of the till: DEFECT {defect}",
                defect.text().fr
            ),
        };
        let verification = render(
            &config,
            (from, to),
            (from_pos, to_pos),
            &chain_line,
            &reconciled,
        );
        let extras = BundleExtras {
            archive: None,
            files: vec![(VERIFICATION_FILE.into(), verification.into_bytes())],
        };
        let export = ExportOptions {
            out: options.out.clone(),
            operator: by.name().to_string(),
            ..ExportOptions::default()
        };
        let written = self.write_bundle(
            &folder,
            &config,
            &key,
            (from_pos, to_pos),
            &export,
            Some(&extras),
        );
        if written.is_err() {
            let _ = std::fs::remove_dir_all(&folder);
        }
        let (manifest_file, _, _) = written?;
        let conforming = chain.defect.is_none() && mismatches.is_empty();
        let now = self.now();
        self.write(|tx| {
            let event = EventData::new(
                EventType::TaxAudit,
                format!("Extrait pour contrôle fiscal du {from} au {to} : positions {from_pos} à {to_pos}, {}", if conforming { "conforme" } else { "NON CONFORME" }),
                json!({"extract": name, "from": from, "to": to, "from_pos": from_pos, "to_pos": to_pos,
                       "conforming": conforming, "manifest_sha256": manifest_file.sha256}),
            );
            append(tx, &config, now, NewRecord::new(Body::Event(event), by.name()))?;
            Ok(())
        })?;
        self.after_commit();
        Ok(AuditReport {
            folder: folder.display().to_string(),
            from_pos,
            to_pos,
            records: to_pos - from_pos + 1,
            chain_intact: chain.defect.is_none(),
            closures_checked: reconciled.len() as u64,
            mismatches,
            manifest_sha256: manifest_file.sha256,
        })
    }
}

/// Every closure between `from_pos` and `to_pos`, with what its records add up to: for a
/// day, its tickets (those of its business day recorded since the previous day closure,
/// as the Z counts them); for a month or a year, its day closures.
fn reconcile(conn: &Connection, from_pos: u64, to_pos: u64) -> Result<Vec<Reconciled>> {
    let mut statement = conn.prepare(
        "SELECT pos, body FROM ledger WHERE kind = 'closure' AND pos <= ?1 ORDER BY pos",
    )?;
    let rows: Vec<(u64, String)> = statement
        .query_map([to_pos], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut days: Vec<(u64, ClosureData)> = Vec::new();
    let mut out = Vec::new();
    for (pos, body) in rows {
        let record: relais_core::Record =
            serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let Body::Closure(closure) = &record.body else {
            continue;
        };
        let recomputed = match closure.period {
            relais_core::closure::ClosurePeriod::Day => {
                let since = days.last().map(|(p, _)| *p).unwrap_or(0);
                let sum: i64 = conn.query_row(
                    "SELECT COALESCE(SUM(total_cents), 0) FROM ledger WHERE kind IN ('sale', 'refund', 'void')
                     AND business_day = ?1 AND pos > ?2 AND pos < ?3",
                    params![closure.first_day, since, pos],
                    |r| r.get(0),
                )?;
                days.push((pos, closure.clone()));
                Money(sum)
            }
            _ => {
                let prefix = match closure.period {
                    relais_core::closure::ClosurePeriod::Month => &closure.first_day[..7],
                    _ => &closure.first_day[..4],
                };
                Money(
                    days.iter()
                        .filter(|(_, d)| d.first_day.starts_with(prefix))
                        .map(|(_, d)| d.totals.total_cents.0)
                        .sum(),
                )
            }
        };
        if pos >= from_pos {
            out.push(Reconciled {
                number: record.number(),
                closure: closure.clone(),
                recomputed,
            });
        }
    }
    Ok(out)
}

/// verification.txt: the chain's verdict and each closure reconciled, French then English.
fn render(
    config: &crate::TillConfig,
    (from, to): (&str, &str),
    (from_pos, to_pos): (u64, u64),
    chain_line: &str,
    reconciled: &[Reconciled],
) -> String {
    let mut text = format!(
        "Relais {} — rapport de vérification / verification report\n\
         Boutique / shop : {} — SIRET {} — caisse / till {}\n\
         Jours / days : {from} → {to} ; positions {from_pos} → {to_pos}\n\
         {chain_line}\n\n\
         Clôtures : total de la clôture, total recalculé des enregistrements, grand total perpétuel\n\
         Closures: the closure's total, the total recomputed from the records, perpetual grand total\n",
        crate::SOFTWARE_VERSION,
        config.shop.name,
        config.shop.siret,
        config.till,
    );
    for r in reconciled {
        let verdict = if r.recomputed == r.closure.totals.total_cents {
            "conforme / agrees"
        } else {
            "ÉCART / MISMATCH"
        };
        text.push_str(&format!(
            "{} {} {}..{} : {} ; {} ; {} — {verdict}\n",
            r.number,
            r.closure.period.code(),
            r.closure.first_day,
            r.closure.last_day,
            r.closure.totals.total_cents,
            r.recomputed,
            r.closure.perpetual_total_cents,
        ));
    }
    let all = reconciled
        .iter()
        .all(|r| r.recomputed == r.closure.totals.total_cents)
        && !chain_line.contains("DÉFAUT");
    text.push_str(match all {
        true => "\nConclusion : conforme / conforming\n",
        false => "\nConclusion : NON CONFORME / NOT CONFORMING\n",
    });
    text
}

#[cfg(test)]
mod tests;
