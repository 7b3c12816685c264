//! Writing a merged bundle from its records and its sources' manifests: what `merge` writes
//! and what `verify` writes again to check a merged bundle (neither depends on the other).

use crate::avoirs::write_avoirs;
use crate::bundle::{BundleFile, Manifest, ScratchDir, TillChain};
use crate::error::{BundleError, Result};
use crate::gathered::{write_file, write_orders, write_products};
use crate::writer::{BundleWriter, LedgerLine};
use relais_core::canonical::to_canonical;
use relais_core::record::Record;
use relais_core::text;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

/// One record line of a source bundle.
pub(crate) struct Line {
    pub source: String,
    pub till: String,
    pub pos: u64,
    pub prev_hash: String,
    pub hash: String,
    pub body: String,
    pub record: Record,
}

/// A line of records.jsonl that is not a record.
fn unreadable_line(error: &serde_json::Error) -> BundleError {
    BundleError::Invalid(text!(
        fr: "records.jsonl : ligne illisible ({error})",
        en: "records.jsonl: unreadable line ({error})",
    ))
}

pub(crate) fn read_lines(folder: &Path, source: &str) -> Result<Vec<Line>> {
    let path = folder.join("records.jsonl");
    let file = std::fs::File::open(&path).map_err(|e| BundleError::io(&path, e))?;
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|e| BundleError::io(&path, e))?;
        lines.push(parse_line(&line, source)?);
    }
    Ok(lines)
}

/// One records.jsonl line (without its newline) of `source`.
pub(crate) fn parse_line(line: &str, source: &str) -> Result<Line> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| unreadable_line(&e))?;
    let body = to_canonical(&value["record"])?;
    let record: Record = serde_json::from_str(&body).map_err(|e| unreadable_line(&e))?;
    Ok(Line {
        source: source.to_string(),
        till: value["till"].as_str().unwrap_or_default().into(),
        pos: value["pos"].as_u64().unwrap_or(0),
        prev_hash: value["prev_hash"].as_str().unwrap_or_default().into(),
        hash: value["hash"].as_str().unwrap_or_default().into(),
        body,
        record,
    })
}

/// A merged bundle has no signature of its own: whoever merged may hold no till's key. It
/// must instead be exactly what merging its records with its signed sources gives. Writes
/// it again into a scratch folder and returns that manifest's text, for `verify` to compare:
/// equal manifests list equal files, so no CSV, report or manifest line can be edited.
pub(crate) fn rederived_manifest(folder: &Path, manifest: &Manifest) -> Result<String> {
    // The merger's version is written again as read: at least its form is checked.
    if !is_version(&manifest.software_version) {
        let version = &manifest.software_version;
        return Err(BundleError::Invalid(text!(
            fr: "version du logiciel « {version} » mal formée dans le manifeste",
            en: "malformed software version {version:?} in the manifest",
        )));
    }
    let mut manifests = Vec::new();
    for file in &manifest.sources {
        let path = folder.join(&file.path);
        let text = std::fs::read_to_string(&path).map_err(|e| BundleError::io(&path, e))?;
        let source: Manifest = serde_json::from_str(&text).map_err(|e| {
            let path = &file.path;
            BundleError::Invalid(text!(
                fr: "{path} : manifeste illisible ({e})",
                en: "{path}: unreadable manifest ({e})",
            ))
        })?;
        manifests.push((file.path.clone(), source, text));
    }
    let mut per_till: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for line in read_lines(folder, "")? {
        per_till.entry(line.till.clone()).or_default().push(line);
    }
    if per_till.values().any(Vec::is_empty) || per_till.is_empty() {
        return Err(BundleError::Invalid(text!(
            fr: "records.jsonl est vide",
            en: "records.jsonl is empty",
        )));
    }
    let scratch = ScratchDir::new("rederive")?;
    write_merged(
        &scratch.0,
        &manifests,
        &per_till,
        &manifest.software_version,
    )?;
    let path = scratch.0.join("manifest.json");
    std::fs::read_to_string(&path).map_err(|e| BundleError::io(&path, e))
}

pub(crate) fn write_merged(
    folder: &Path,
    manifests: &[(String, Manifest, String)],
    per_till: &BTreeMap<String, Vec<Line>>,
    software_version: &str,
) -> Result<()> {
    let mut writer = BundleWriter::create(folder)?;
    let mut tills = Vec::new();
    for (till, lines) in per_till {
        let mut first_seq = BTreeMap::new();
        let mut last_seq = BTreeMap::new();
        for line in lines {
            let record = &line.record;
            let stored = LedgerLine {
                pos: line.pos,
                body: line.body.clone(),
                prev_hash: line.prev_hash.clone(),
                hash: line.hash.clone(),
            };
            writer.push(till, stored, record.clone())?;
            let series = record.kind().series().code().to_string();
            first_seq.entry(series.clone()).or_insert(record.seq);
            last_seq.insert(series, record.seq);
        }
        let (first, last) = (&lines[0], &lines[lines.len() - 1]);
        let key = manifests
            .iter()
            .flat_map(|(_, m, _)| &m.tills)
            .find(|t| &t.till == till)
            .map(|t| t.public_key.clone())
            .unwrap_or_default();
        tills.push(TillChain {
            till: till.clone(),
            public_key: key,
            from_pos: first.pos,
            to_pos: last.pos,
            from_prev_hash: first.prev_hash.clone(),
            head_hash: last.hash.clone(),
            first_seq,
            last_seq,
            records: lines.len() as u64,
        });
    }
    let written = writer.finish()?;
    let (mut files, mut gathered) = (written.files, written.gathered);
    let orders: Vec<relais_core::OrderView> = gathered
        .orders
        .iter()
        .filter_map(|id| {
            let records = gathered.order_records.get(id)?;
            let (order, related) = records.split_first()?;
            relais_core::fold_order(order, related)
        })
        .collect();
    files.extend(write_orders(folder, &orders)?);
    files.extend(write_products(folder, &gathered)?);
    files.extend(write_avoirs(folder, &gathered.report.avoirs)?);
    let mut sources = Vec::new();
    for (index, (_, manifest, text)) in manifests.iter().enumerate() {
        let till = manifest
            .tills
            .first()
            .map(|t| t.till.as_str())
            .unwrap_or("?");
        let path = format!("sources/{}-{index}-manifest.json", till);
        std::fs::create_dir_all(folder.join("sources")).map_err(|e| BundleError::io(folder, e))?;
        sources.push(write_file(folder, &path, text.as_bytes())?);
    }
    let totals = std::mem::take(&mut gathered.summarizer)
        .finish()
        .map_err(|_| BundleError::out_of_range())?;
    let first = manifests.first().map(|(_, m, _)| m).ok_or_else(|| {
        BundleError::Invalid(text!(fr: "aucun export à fusionner", en: "no bundle to merge"))
    })?;
    let mut manifest = Manifest {
        format: first.format.clone(),
        format_version: first.format_version,
        software_version: software_version.into(),
        scope: "shop".into(),
        shop: first.shop.clone(),
        tills,
        first_business_day: gathered.first_day.clone(),
        last_business_day: gathered.last_day.clone(),
        outage: manifests.iter().find_map(|(_, m, _)| m.outage.clone()),
        counts: gathered.counts.clone(),
        totals,
        files: Vec::new(),
        sources,
        signature: None,
        archive: None,
    };
    let html = crate::report::render(&manifest, &gathered.report, &orders);
    files.push(write_file(folder, "report.html", html.as_bytes())?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    manifest.files = files;
    write_file(folder, "manifest.json", &manifest.to_bytes()?).map(|_: BundleFile| ())
}

/// `MAJOR.MINOR.PATCH`, digits, with an optional `-…` or `+…` suffix (Cargo's versions).
fn is_version(text: &str) -> bool {
    let core = text.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
