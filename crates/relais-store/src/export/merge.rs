//! Merging the bundles of several tills of a shop (brought on USB sticks) into one shop-level
//! bundle. Each source is verified first; a record found in two sources with the same content
//! is kept once; the same id with other content is a conflict, reported and never chosen.

use super::bundle::{BundleFile, Manifest, TillChain};
use super::verify::verify_bundle;
use super::writer::LedgerLine;
use super::{write_file, write_orders, write_products, BundleWriter};
use crate::error::{Result, StoreError};
use relais_core::canonical::to_canonical;
use relais_core::record::Record;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// A record id found with two different contents.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Conflict {
    pub id: String,
    pub till: String,
    pub first_source: String,
    pub second_source: String,
    pub what: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MergeReport {
    pub folder: Option<String>,
    pub tills: Vec<String>,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub duplicates_dropped: u64,
    pub conflicts: Vec<Conflict>,
}

/// One record line of a source bundle.
struct Line {
    source: String,
    till: String,
    pos: u64,
    prev_hash: String,
    hash: String,
    body: String,
    record: Record,
}

fn read_lines(folder: &Path, source: &str) -> Result<Vec<Line>> {
    let path = folder.join("records.jsonl");
    let file = std::fs::File::open(&path).map_err(|e| StoreError::io(&path, e))?;
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|e| StoreError::io(&path, e))?;
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        let body = to_canonical(&value["record"])?;
        let record: Record =
            serde_json::from_str(&body).map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        lines.push(Line {
            source: source.to_string(),
            till: value["till"].as_str().unwrap_or_default().into(),
            pos: value["pos"].as_u64().unwrap_or(0),
            prev_hash: value["prev_hash"].as_str().unwrap_or_default().into(),
            hash: value["hash"].as_str().unwrap_or_default().into(),
            body,
            record,
        });
    }
    Ok(lines)
}

/// Merges `sources` (bundle folders or .zip files) into a new bundle under `out`.
/// Conflicts stop the merge: the report lists them and no bundle is written.
pub fn merge_bundles(sources: &[PathBuf], out: &Path) -> Result<MergeReport> {
    let mut manifests: Vec<(String, Manifest, String)> = Vec::new();
    let mut by_id: BTreeMap<String, Line> = BTreeMap::new();
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    let mut conflicts = Vec::new();
    let mut duplicates = 0u64;
    for source in sources {
        let verdict = verify_bundle(source)?;
        let name = source.display().to_string();
        if let Some(defect) = verdict.defect_fr {
            return Err(StoreError::InvalidInput(format!(
                "{name} : export non intègre — {defect}"
            )));
        }
        if source
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            return Err(StoreError::InvalidInput(format!(
                "{name}: unzip the bundle first (merge reads folders)"
            )));
        }
        let manifest_text = std::fs::read_to_string(source.join("manifest.json"))
            .map_err(|e| StoreError::io(source, e))?;
        let manifest: Manifest = serde_json::from_str(&manifest_text)
            .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        for till in &manifest.tills {
            if let Some(known) = keys.insert(till.till.clone(), till.public_key.clone()) {
                if known != till.public_key {
                    return Err(StoreError::InvalidInput(format!(
                        "two different tills are both called {} (their keys differ): give each till its own code",
                        till.till
                    )));
                }
            }
        }
        for line in read_lines(source, &name)? {
            let id = line.record.id.to_string();
            match by_id.get(&id) {
                Some(kept) if kept.body == line.body && kept.hash == line.hash => duplicates += 1,
                Some(kept) => conflicts.push(Conflict {
                    id,
                    till: line.till.clone(),
                    first_source: kept.source.clone(),
                    second_source: name.clone(),
                    what: format!(
                        "{} ({}) differs between the two bundles",
                        line.record.number(),
                        line.record.kind().code()
                    ),
                }),
                None => {
                    by_id.insert(id, line);
                }
            }
        }
        manifests.push((name, manifest, manifest_text));
    }
    let mut report = MergeReport {
        folder: None,
        tills: keys.keys().cloned().collect(),
        records: by_id.len() as u64,
        duplicates_dropped: duplicates,
        conflicts,
    };
    if !report.conflicts.is_empty() {
        return Ok(report);
    }
    let mut per_till: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for (_, line) in by_id {
        per_till.entry(line.till.clone()).or_default().push(line);
    }
    for lines in per_till.values_mut() {
        lines.sort_by_key(|l| l.pos);
        if let Some(gap) = lines.windows(2).find(|w| w[1].pos != w[0].pos + 1) {
            return Err(StoreError::InvalidInput(format!(
                "till {}: positions {} to {} are in none of the bundles (a USB stick is missing)",
                gap[0].till,
                gap[0].pos + 1,
                gap[1].pos - 1
            )));
        }
    }
    let name = format!(
        "relais-boutique-{}",
        per_till.keys().cloned().collect::<Vec<_>>().join("-")
    );
    let folder = out.join(&name);
    if folder.exists() {
        return Err(StoreError::InvalidInput(format!(
            "{} already exists",
            folder.display()
        )));
    }
    std::fs::create_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
    write_merged(&folder, &manifests, &per_till)?;
    report.folder = Some(folder.display().to_string());
    Ok(report)
}

fn write_merged(
    folder: &Path,
    manifests: &[(String, Manifest, String)],
    per_till: &BTreeMap<String, Vec<Line>>,
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
    let orders: Vec<crate::OrderView> = gathered
        .orders
        .iter()
        .filter_map(|id| {
            let records = gathered.order_records.get(id)?;
            let (order, related) = records.split_first()?;
            crate::orders::fold_order(order, related)
        })
        .collect();
    files.extend(write_orders(folder, &orders)?);
    files.extend(write_products(folder, &gathered)?);
    let mut sources = Vec::new();
    for (index, (_, manifest, text)) in manifests.iter().enumerate() {
        let till = manifest
            .tills
            .first()
            .map(|t| t.till.as_str())
            .unwrap_or("?");
        let path = format!("sources/{}-{index}-manifest.json", till);
        std::fs::create_dir_all(folder.join("sources")).map_err(|e| StoreError::io(folder, e))?;
        sources.push(write_file(folder, &path, text.as_bytes())?);
    }
    let totals = std::mem::take(&mut gathered.summarizer)
        .finish()
        .map_err(|_| StoreError::InvalidInput("amount out of range".into()))?;
    let first = manifests
        .first()
        .map(|(_, m, _)| m)
        .ok_or_else(|| StoreError::InvalidInput("no bundle to merge".into()))?;
    let mut manifest = Manifest {
        format: first.format.clone(),
        format_version: first.format_version,
        software_version: crate::SOFTWARE_VERSION.into(),
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
    };
    let html = super::report::render(&manifest, &gathered.report, &orders);
    files.push(write_file(folder, "report.html", html.as_bytes())?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    manifest.files = files;
    write_file(folder, "manifest.json", &manifest.to_bytes()?).map(|_: BundleFile| ())
}
