//! Merging the bundles of several tills of a shop (brought on USB sticks) into one shop-level
//! bundle. Each source is verified first; a record found in two sources with the same content
//! is kept once; the same id with other content is a conflict, reported and never chosen.

use super::bundle::{BundleFile, Manifest, ScratchDir, TillChain};
use super::verify::{verify_bundle, Unzipped};
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

/// A record id found with two different contents, or two records at one position of a till
/// (the till's data copied to a second PC, and both used).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Conflict {
    pub id: String,
    pub till: String,
    pub first_source: String,
    pub second_source: String,
    /// What differs, in English and in French.
    pub what: String,
    pub what_fr: String,
}

impl Conflict {
    fn between(kept: &Line, other: &Line, what: String, what_fr: String) -> Conflict {
        Conflict {
            id: other.record.id.to_string(),
            till: other.till.clone(),
            first_source: kept.source.clone(),
            second_source: other.source.clone(),
            what,
            what_fr,
        }
    }

    /// The same record id with other contents.
    fn same_id(kept: &Line, other: &Line) -> Conflict {
        let (a, b) = (described(&kept.record), described(&other.record));
        let (a_fr, b_fr) = (described_fr(&kept.record), described_fr(&other.record));
        Conflict::between(
            kept,
            other,
            format!("same record id, different contents: {a} in the first bundle, {b} in the second"),
            format!("même identifiant, contenus différents : {a_fr} dans le premier export, {b_fr} dans le second"),
        )
    }

    /// Two different records at one position: the till's chain forked.
    fn same_position(kept: &Line, other: &Line) -> Conflict {
        let (a, b) = (described(&kept.record), described(&other.record));
        let (a_fr, b_fr) = (described_fr(&kept.record), described_fr(&other.record));
        let pos = other.pos;
        Conflict::between(
            kept,
            other,
            format!("till {} has two different records at position {pos} ({a} and {b}): was its data copied to another PC and both used?", other.till),
            format!("la caisse {} a deux enregistrements différents en position {pos} ({a_fr} et {b_fr}) : ses données ont-elles été copiées sur un autre PC, et les deux utilisés ?", other.till),
        )
    }
}

/// A record as people name it: its number and kind.
fn described(record: &Record) -> String {
    format!("{} ({})", record.number(), record.kind().code())
}

fn described_fr(record: &Record) -> String {
    let kind = record.kind().label_fr().to_lowercase();
    format!("{} ({kind})", record.number())
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
    let mut unzipped = Vec::new();
    for given in sources {
        let name = given.display().to_string();
        let source = &match Unzipped::of(given)? {
            Some(zip) => {
                let folder = zip.folder()?;
                unzipped.push(zip);
                folder
            }
            None => given.clone(),
        };
        let verdict = verify_bundle(source)?;
        if let (Some(defect), Some(defect_fr)) = (verdict.defect, verdict.defect_fr) {
            return Err(StoreError::invalid(
                format!("{name}: the bundle is not intact — {defect}"),
                format!("{name} : export non intègre — {defect_fr}"),
            ));
        }
        let manifest_text = std::fs::read_to_string(source.join("manifest.json"))
            .map_err(|e| StoreError::io(source, e))?;
        let manifest: Manifest = serde_json::from_str(&manifest_text)
            .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        for till in &manifest.tills {
            if let Some(known) = keys.insert(till.till.clone(), till.public_key.clone()) {
                if known != till.public_key {
                    return Err(StoreError::invalid(
                        format!("two different tills are both called {} (their keys differ): give each till its own code", till.till),
                        format!("deux caisses différentes s'appellent toutes deux {} (leurs clés diffèrent) : donnez à chaque caisse son propre code", till.till),
                    ));
                }
            }
        }
        for line in read_lines(source, &name)? {
            let id = line.record.id.to_string();
            match by_id.get(&id) {
                Some(kept) if kept.body == line.body && kept.hash == line.hash => duplicates += 1,
                Some(kept) => conflicts.push(Conflict::same_id(kept, &line)),
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
        report.conflicts.extend(
            lines
                .windows(2)
                .filter(|w| w[1].pos == w[0].pos)
                .map(|w| Conflict::same_position(&w[0], &w[1])),
        );
    }
    if !report.conflicts.is_empty() {
        return Ok(report);
    }
    for lines in per_till.values() {
        if let Some(gap) = lines.windows(2).find(|w| w[1].pos != w[0].pos + 1) {
            let (till, from, to) = (&gap[0].till, gap[0].pos + 1, gap[1].pos - 1);
            return Err(StoreError::invalid(
                format!("till {till}: positions {from} to {to} are in none of the bundles (a USB stick is missing)"),
                format!("caisse {till} : les positions {from} à {to} ne sont dans aucun des exports (il manque une clé USB)"),
            ));
        }
    }
    let name = format!(
        "relais-boutique-{}",
        per_till.keys().cloned().collect::<Vec<_>>().join("-")
    );
    let folder = out.join(&name);
    if folder.exists() {
        let shown = folder.display();
        return Err(StoreError::invalid(
            format!("{shown} already exists: choose another folder"),
            format!("{shown} existe déjà : choisissez un autre dossier"),
        ));
    }
    std::fs::create_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
    write_merged(&folder, &manifests, &per_till, crate::SOFTWARE_VERSION)?;
    report.folder = Some(folder.display().to_string());
    Ok(report)
}

/// A merged bundle has no signature of its own: whoever merged may hold no till's key. It
/// must instead be exactly what merging its records with its signed sources gives. Writes
/// it again into a scratch folder and returns that manifest's text, for `verify` to compare:
/// equal manifests list equal files, so no CSV, report or manifest line can be edited.
pub(super) fn rederived_manifest(folder: &Path, manifest: &Manifest) -> Result<String> {
    let mut manifests = Vec::new();
    for file in &manifest.sources {
        let path = folder.join(&file.path);
        let text = std::fs::read_to_string(&path).map_err(|e| StoreError::io(&path, e))?;
        let source: Manifest = serde_json::from_str(&text)
            .map_err(|e| StoreError::InvalidInput(format!("{}: {e}", file.path)))?;
        manifests.push((file.path.clone(), source, text));
    }
    let mut per_till: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for line in read_lines(folder, "")? {
        per_till.entry(line.till.clone()).or_default().push(line);
    }
    if per_till.values().any(Vec::is_empty) || per_till.is_empty() {
        return Err(StoreError::InvalidInput("records.jsonl is empty".into()));
    }
    let scratch = ScratchDir::new("rederive")?;
    write_merged(
        &scratch.0,
        &manifests,
        &per_till,
        &manifest.software_version,
    )?;
    let path = scratch.0.join("manifest.json");
    std::fs::read_to_string(&path).map_err(|e| StoreError::io(&path, e))
}

fn write_merged(
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
    };
    let html = super::report::render(&manifest, &gathered.report, &orders);
    files.push(write_file(folder, "report.html", html.as_bytes())?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    manifest.files = files;
    write_file(folder, "manifest.json", &manifest.to_bytes()?).map(|_: BundleFile| ())
}
