//! Archives (issue 28): a closed month or year frozen into a bundle of its own scope, with
//! the closures that cover it, verified as written, journaled (JET 20 or 30). Specified in
//! docs/ARCHIVE.md.

use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::export::{BundleExtras, ExportOptions};
use crate::Manager;
use crate::Store;
use relais_bundle::{verify_bundle, ArchivePeriod, LedgerLine};
use relais_core::closure::ClosurePeriod;
use relais_core::text;
use relais_core::{Body, EventData, EventType};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::PathBuf;
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ArchiveOptions {
    /// `2026-11` (a month) or `2026` (a fiscal year).
    pub period: String,
    /// The folder the archive is written into (a USB stick).
    pub out: PathBuf,
    /// Also pack it into one .zip file.
    #[serde(default)]
    pub zip: bool,
    pub operator: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ArchiveReport {
    pub folder: String,
    pub zip: Option<String>,
    /// `month` or `year`.
    pub period: String,
    pub name: String,
    #[ts(type = "number")]
    pub from_pos: u64,
    #[ts(type = "number")]
    pub to_pos: u64,
    #[ts(type = "number")]
    pub records: u64,
    /// The numbers of the month and year closures in closures.jsonl.
    pub closures: Vec<String>,
    pub manifest_sha256: String,
}

/// A period closure or a day closure as the ledger holds it.
struct ClosureRow {
    pos: u64,
    first_day: String,
    period: String,
}

impl Store {
    /// Archives a closed month (`2026-11`) or fiscal year (`2026`). Managers only.
    /// Made by `by` (from the options' `operator`).
    pub fn archive(&mut self, options: &ArchiveOptions, by: &Manager) -> Result<ArchiveReport> {
        let training = text!(
            fr: "caisse de formation : ses enregistrements ne sont jamais archivés",
            en: "this is a training till: its records are never archived",
        );
        let (config, key) = self.bundle_signing(training, "the archive")?;
        let (period, name) = parse_period(&options.period)?;
        let scope = archive_scope(&self.conn, period, &name)?;
        let folder = options
            .out
            .join(format!("relais-archive-{}-{name}", config.till));
        if folder.exists() {
            let shown = folder.display();
            return Err(StoreError::Invalid(text!(
                fr: "{shown} existe déjà : choisissez un autre dossier",
                en: "{shown} already exists: choose another folder",
            )));
        }
        std::fs::create_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
        let extras = BundleExtras {
            archive: Some(ArchivePeriod {
                period: period.code().into(),
                name: name.clone(),
                closures: scope.numbers.clone(),
            }),
            files: vec![(
                relais_bundle::archive::CLOSURES_FILE.into(),
                relais_bundle::archive::closures_jsonl(&config.till, &scope.closures),
            )],
        };
        let export = ExportOptions {
            out: options.out.clone(),
            zip: options.zip,
            operator: by.name().to_string(),
            ..ExportOptions::default()
        };
        let written = self
            .write_bundle(&folder, &config, &key, scope.range, &export, Some(&extras))
            .and_then(|written| verified(&folder, written));
        if written.is_err() {
            // Half an archive, or one that does not verify, is worse than none.
            let _ = std::fs::remove_dir_all(&folder);
            let _ = std::fs::remove_file(folder.with_extension("zip"));
        }
        let (manifest_file, zip) = written?;
        let (from_pos, to_pos) = scope.range;
        let kind = match period {
            ClosurePeriod::Year => EventType::YearArchived,
            _ => EventType::PeriodArchived,
        };
        let what = match period {
            ClosurePeriod::Year => format!("de l'exercice {name}"),
            _ => format!("du mois {name}"),
        };
        let folder_name = format!("relais-archive-{}-{name}", config.till);
        let now = self.now();
        self.write(|tx| {
            let event = EventData::new(
                kind,
                format!(
                    "Archivage {what} : positions {from_pos} à {to_pos}, clôtures {}",
                    scope.numbers.join(", ")
                ),
                json!({"archive": folder_name, "period": period.code(), "name": name,
                       "from_pos": from_pos, "to_pos": to_pos, "closures": scope.numbers,
                       "manifest_sha256": manifest_file.sha256}),
            );
            append(
                tx,
                &config,
                now,
                NewRecord::new(Body::Event(event), by.name()),
            )?;
            Ok(())
        })?;
        self.after_commit();
        Ok(ArchiveReport {
            folder: folder.display().to_string(),
            zip: zip.map(|z| z.display().to_string()),
            period: period.code().into(),
            name,
            from_pos,
            to_pos,
            records: to_pos - from_pos + 1,
            closures: scope.numbers,
            manifest_sha256: manifest_file.sha256,
        })
    }
}

/// The archive just written verifies on its own, or it is not kept.
fn verified(
    folder: &std::path::Path,
    written: (
        relais_bundle::BundleFile,
        Option<PathBuf>,
        relais_bundle::Manifest,
    ),
) -> Result<(relais_bundle::BundleFile, Option<PathBuf>)> {
    let verdict = verify_bundle(folder)?;
    if !verdict.ok {
        let (fr, en) = (
            verdict.defect_fr.unwrap_or_default(),
            verdict.defect.unwrap_or_default(),
        );
        return Err(StoreError::Invalid(text!(
            fr: "l'archive écrite ne se vérifie pas, elle n'est pas gardée : {fr}",
            en: "the archive written does not verify and is not kept: {en}",
        )));
    }
    Ok((written.0, written.1))
}

/// `2026-11` → a month, `2026` → a year.
fn parse_period(text: &str) -> Result<(ClosurePeriod, String)> {
    let text = text.trim();
    let month = text.len() == 7
        && chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").is_ok();
    let year = text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit());
    match (month, year) {
        (true, _) => Ok((ClosurePeriod::Month, text.into())),
        (_, true) => Ok((ClosurePeriod::Year, text.into())),
        _ => Err(StoreError::Invalid(text!(
            fr: "« {text} » : attendu AAAA-MM pour un mois, AAAA pour un exercice",
            en: "{text:?}: expected YYYY-MM for a month, YYYY for a fiscal year",
        ))),
    }
}

/// What an archive of a period holds: the range of the chain from the first record after
/// the day closure that precedes the period's first one, to its last day closure's journal
/// entry; and the period's month and year closures (its own last), wherever they are.
struct Scope {
    range: (u64, u64),
    closures: Vec<LedgerLine>,
    numbers: Vec<String>,
}

fn archive_scope(conn: &Connection, period: ClosurePeriod, name: &str) -> Result<Scope> {
    let all = closure_rows(conn)?;
    let own = all
        .iter()
        .rfind(|c| c.period == period.code() && c.first_day.starts_with(name))
        .ok_or_else(|| {
            StoreError::Invalid(text!(
                fr: "{name} n'est pas clôturé : clôturez la période (relais day close-month ou close-year, ou l'écran Clôtures) avant de l'archiver",
                en: "{name} is not closed: close the period (relais day close-month or close-year, or the Clôtures screen) before archiving it",
            ))
        })?;
    let days: Vec<&ClosureRow> = all
        .iter()
        .filter(|c| c.period == "day" && c.first_day.starts_with(name))
        .collect();
    if let Some(late) = days.iter().find(|d| d.pos > own.pos) {
        let day = &late.first_day;
        return Err(StoreError::Invalid(text!(
            fr: "la journée du {day} a été clôturée après la clôture de {name}, qui ne la compte pas : l'archive ne peut pas être faite",
            en: "the day {day} was closed after the closure of {name}, which does not count it: the archive cannot be made",
        )));
    }
    let (first, last) = match (days.first(), days.last()) {
        (Some(f), Some(l)) => (f.pos, l.pos),
        _ => {
            return Err(StoreError::Invalid(text!(
                fr: "aucune journée clôturée en {name}",
                en: "no closed day in {name}",
            )))
        }
    };
    let before = all
        .iter()
        .rfind(|c| c.period == "day" && c.pos < first)
        .map(|c| c.pos);
    let from = match before {
        Some(pos) => end_of_closing(conn, pos)? + 1,
        None => 1,
    };
    let to = end_of_closing(conn, last)?;
    let mut covering: Vec<&ClosureRow> = all
        .iter()
        .filter(|c| c.period != "day" && c.first_day.starts_with(name) && c.pos != own.pos)
        .collect();
    covering.push(own);
    let mut closures = Vec::new();
    let mut numbers = Vec::new();
    for row in covering {
        let (line, number) = ledger_line(conn, row.pos)?;
        closures.push(line);
        numbers.push(number);
    }
    Ok(Scope {
        range: (from, to),
        closures,
        numbers,
    })
}

/// Every closure, in chain order.
fn closure_rows(conn: &Connection) -> Result<Vec<ClosureRow>> {
    let mut statement = conn.prepare(
        "SELECT pos, json_extract(body, '$.data.first_day'), json_extract(body, '$.data.period')
         FROM ledger WHERE kind = 'closure' ORDER BY pos",
    )?;
    let rows = statement.query_map([], |r| {
        Ok(ClosureRow {
            pos: r.get(0)?,
            first_day: r.get(1)?,
            period: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The last record of a day closure's transaction: the closure, or the journal entry
/// sealed just after it (`day_closed`, or `day_auto_closed` for a day closed by the till).
fn end_of_closing(conn: &Connection, pos: u64) -> Result<u64> {
    let next: Option<String> = conn
        .query_row(
            "SELECT json_extract(body, '$.data.name') FROM ledger WHERE pos = ?1 AND kind = 'event'",
            params![pos + 1],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match next.as_deref() {
        Some("day_closed" | "day_auto_closed") => pos + 1,
        _ => pos,
    })
}

/// The ledger row at `pos` as a bundle line, and its record's number.
fn ledger_line(conn: &Connection, pos: u64) -> Result<(LedgerLine, String)> {
    let line = conn.query_row(
        "SELECT pos, body, prev_hash, hash FROM ledger WHERE pos = ?1",
        params![pos],
        |r| {
            Ok(LedgerLine {
                pos: r.get(0)?,
                body: r.get(1)?,
                prev_hash: r.get(2)?,
                hash: r.get(3)?,
            })
        },
    )?;
    let record: relais_core::Record =
        serde_json::from_str(&line.body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok((line, record.number()))
}

#[cfg(test)]
mod tests;
