//! Merging the bundles of several tills of a shop (brought on USB sticks) into one shop-level
//! bundle. Each source is verified first; a record found in two sources with the same content
//! is kept once; the same id with other content is a conflict, reported and never chosen.

use crate::bundle::{Manifest, Unzipped};
use crate::derive::{read_lines, write_merged, Line};
use crate::error::{BundleError, Result};
use crate::verify::verify_bundle;
use relais_core::record::Record;
use relais_core::text;
use serde::Serialize;
use std::collections::BTreeMap;
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
    /// Avoirs spent beyond their amount across the tills: the merge goes on (every record is
    /// right), the shop chases the difference.
    pub avoir_conflicts: Vec<crate::avoirs::AvoirConflict>,
}

/// Merges `sources` (bundle folders or .zip files) into a new bundle under `out`.
/// Conflicts stop the merge: the report lists them and no bundle is written.
pub fn merge_bundles(sources: &[PathBuf], out: &Path) -> Result<MergeReport> {
    let mut manifests: Vec<(String, Manifest, String)> = Vec::new();
    let mut sorted = Sorted::default();
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
            return Err(BundleError::Invalid(text!(
                fr: "{name} : export non intègre — {defect_fr}",
                en: "{name}: the bundle is not intact — {defect}",
            )));
        }
        let manifest_text = std::fs::read_to_string(source.join("manifest.json"))
            .map_err(|e| BundleError::io(source, e))?;
        let manifest: Manifest = serde_json::from_str(&manifest_text).map_err(|e| {
            BundleError::Invalid(text!(
                fr: "{name} : manifeste illisible ({e})",
                en: "{name}: unreadable manifest ({e})",
            ))
        })?;
        for till in &manifest.tills {
            if let Some(known) = sorted
                .keys
                .insert(till.till.clone(), till.public_key.clone())
            {
                if known != till.public_key {
                    return Err(BundleError::Invalid(text!(
                        fr: format!("deux caisses différentes s'appellent toutes deux {} (leurs clés diffèrent) : donnez à chaque caisse son propre code", till.till),
                        en: format!("two different tills are both called {} (their keys differ): give each till its own code", till.till),
                    )));
                }
            }
        }
        let lines = read_lines(source, &name)?;
        sorted.take(lines);
        manifests.push((name, manifest, manifest_text));
    }
    let name = format!(
        "relais-boutique-{}",
        sorted.keys.keys().cloned().collect::<Vec<_>>().join("-")
    );
    sorted.write(&manifests, out, &name)
}

/// A shop's bundle from the records one till holds (issue 26, `relais export --shop`): its
/// own and its paired tills' as received and verified. `attestation` is the till's signed
/// manifest (scope `held`) naming every chain held, its own first: the source that vouches
/// for each till's head. `lines` are records.jsonl lines, every till's. Written exactly as
/// [`merge_bundles`] writes the merge of every till's bundle, into `out/name`.
pub fn merge_held(
    attestation: &Manifest,
    lines: impl IntoIterator<Item = String>,
    out: &Path,
    name: &str,
) -> Result<MergeReport> {
    let text = String::from_utf8(attestation.to_bytes()?).map_err(|_| {
        BundleError::Invalid(text!(fr: "manifeste illisible", en: "unreadable manifest"))
    })?;
    let source = "held".to_string();
    let mut sorted = Sorted::default();
    for till in &attestation.tills {
        sorted
            .keys
            .insert(till.till.clone(), till.public_key.clone());
    }
    let mut parsed = Vec::new();
    for line in lines {
        parsed.push(crate::derive::parse_line(&line, &source)?);
    }
    sorted.take(parsed);
    sorted.write(&[(source, attestation.clone(), text)], out, name)
}

/// The records of a merge, each kept once, with the conflicts found on the way.
#[derive(Default)]
struct Sorted {
    by_id: BTreeMap<String, Line>,
    keys: BTreeMap<String, String>,
    conflicts: Vec<Conflict>,
    duplicates: u64,
}

impl Sorted {
    fn take(&mut self, lines: Vec<Line>) {
        for line in lines {
            let id = line.record.id.to_string();
            match self.by_id.get(&id) {
                Some(kept) if kept.body == line.body && kept.hash == line.hash => {
                    self.duplicates += 1
                }
                Some(kept) => self.conflicts.push(Conflict::same_id(kept, &line)),
                None => {
                    self.by_id.insert(id, line);
                }
            }
        }
    }

    /// The merged bundle into `out/name`, unless a conflict stops it.
    fn write(
        self,
        manifests: &[(String, Manifest, String)],
        out: &Path,
        name: &str,
    ) -> Result<MergeReport> {
        let Sorted {
            by_id,
            keys,
            conflicts,
            duplicates,
        } = self;
        write_sorted(manifests, by_id, keys, conflicts, duplicates, out, name)
    }
}

fn write_sorted(
    manifests: &[(String, Manifest, String)],
    by_id: BTreeMap<String, Line>,
    keys: BTreeMap<String, String>,
    conflicts: Vec<Conflict>,
    duplicates: u64,
    out: &Path,
    name: &str,
) -> Result<MergeReport> {
    let mut report = MergeReport {
        folder: None,
        tills: keys.keys().cloned().collect(),
        records: by_id.len() as u64,
        duplicates_dropped: duplicates,
        conflicts,
        avoir_conflicts: Vec::new(),
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
            return Err(BundleError::Invalid(text!(
                fr: "caisse {till} : les positions {from} à {to} ne sont dans aucun des exports (il manque une clé USB)",
                en: "till {till}: positions {from} to {to} are in none of the bundles (a USB stick is missing)",
            )));
        }
    }
    let folder = out.join(name);
    if folder.exists() {
        let shown = folder.display();
        return Err(BundleError::Invalid(text!(
            fr: "{shown} existe déjà : choisissez un autre dossier",
            en: "{shown} already exists: choose another folder",
        )));
    }
    std::fs::create_dir_all(&folder).map_err(|e| BundleError::io(&folder, e))?;
    let mut book = crate::avoirs::AvoirBook::default();
    for line in per_till.values().flatten() {
        book.take(&line.record, "");
    }
    report.avoir_conflicts = book.conflicts();
    write_merged(&folder, manifests, &per_till, crate::SOFTWARE_VERSION)?;
    report.folder = Some(folder.display().to_string());
    Ok(report)
}
