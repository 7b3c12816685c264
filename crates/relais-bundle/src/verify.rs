//! Verifying a bundle with no database: the manifest's signature, every file's SHA-256, every
//! till's records in records.jsonl audited as a till's are (`relais_core::audit`: links,
//! hashes, positions, numbers, closure signatures, tickets' arithmetic, closures' `covers`,
//! totals and perpetual totals), and the totals recomputed from the records' lines. The first
//! defect is named.

use crate::bundle::{ArchivePeriod, Manifest, TillChain, Unzipped, FORMAT, FORMAT_VERSION};
use crate::error::{BundleError, Result};
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BundleVerdict {
    pub ok: bool,
    /// The first defect, in English and in French.
    pub defect: Option<String>,
    pub defect_fr: Option<String>,
    pub tills: Vec<String>,
    /// Each till's public key (hex), in the order of `tills`: what the signatures were
    /// checked with, to compare with `relais key` on the till itself.
    pub public_keys: Vec<String>,
    #[ts(type = "number")]
    pub records: u64,
    pub files: usize,
    /// Each check on its own: `signature` (the manifest's), `files` (every file's SHA-256),
    /// `chain` (the records: links, hashes, numbers, totals) and, for a merged bundle,
    /// `derived` (its files are what merging its records gives). Empty when the manifest
    /// could not be read at all.
    pub steps: Vec<VerdictStep>,
    /// Every file of the manifest, and every file in the folder that it does not list.
    pub file_states: Vec<FileState>,
    /// Where each till's chain starts and ends in the bundle, as its manifest says: what a
    /// till's live chain must still hold (`relais verify --against`).
    pub chains: Vec<TillChain>,
    /// An archive's period, as its manifest names it (`relais archive`, docs/ARCHIVE.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub archive: Option<ArchivePeriod>,
}

/// One check of a bundle and its first defect.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct VerdictStep {
    /// `signature`, `files` or `chain`.
    pub step: String,
    pub ok: bool,
    pub defect: Option<String>,
    pub defect_fr: Option<String>,
}

/// One file of a bundle.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FileState {
    pub path: String,
    /// `ok`, `altered` (its SHA-256 or size differs from the manifest's), `missing`, or
    /// `unlisted` (in the folder but not in the manifest).
    pub state: String,
}

fn step(name: &str, outcome: &std::result::Result<(), Defect>) -> VerdictStep {
    let found = outcome.as_ref().err();
    VerdictStep {
        step: name.into(),
        ok: found.is_none(),
        defect: found.map(|d| d.0.clone()),
        defect_fr: found.map(|d| d.1.clone()),
    }
}

/// A defect: (English, French).
type Defect = (String, String);

fn defect(en: impl Into<String>, fr: impl Into<String>) -> Defect {
    (en.into(), fr.into())
}

/// Verifies the bundle at `path`: its folder, or a .zip of it.
pub fn verify_bundle(path: &Path) -> Result<BundleVerdict> {
    let unzipped = Unzipped::of(path)?;
    let folder = match &unzipped {
        Some(zip) => zip.folder()?,
        None => path.to_path_buf(),
    };
    let manifest_path = folder.join("manifest.json");
    let text =
        std::fs::read_to_string(&manifest_path).map_err(|e| BundleError::io(&manifest_path, e))?;
    let manifest: Manifest = match serde_json::from_str(&text) {
        Ok(m) => m,
        Err(e) => {
            let found = defect(
                format!("manifest.json is not a Relais manifest: {e}"),
                format!("manifest.json n'est pas un manifeste Relais : {e}"),
            );
            return Ok(verdict(None, Some(found), 0, Checked::default()));
        }
    };
    // The signature covers the manifest as this program reads it: the file must be exactly
    // what that manifest writes (canonical form, and no member renamed, added or dropped, which
    // reading would otherwise pass over in silence).
    if manifest.to_bytes().ok().as_deref() != Some(text.as_bytes()) {
        let found = defect(
            "manifest.json is not exactly what Relais writes for its contents (it was edited)",
            "manifest.json n'est pas exactement ce que Relais écrit pour son contenu (il a été modifié)",
        );
        let checked = Checked {
            steps: vec![step("signature", &Err(found.clone()))],
            ..Checked::default()
        };
        return Ok(verdict(Some(&manifest), Some(found), 0, checked));
    }
    let mut records = 0;
    let mut checked = Checked::default();
    let outcome = check(&folder, &manifest, &text, &mut records, &mut checked);
    Ok(verdict(Some(&manifest), outcome.err(), records, checked))
}

/// What each check found, for the verdict.
#[derive(Default)]
struct Checked {
    steps: Vec<VerdictStep>,
    file_states: Vec<FileState>,
}

fn verdict(
    manifest: Option<&Manifest>,
    found: Option<Defect>,
    records: u64,
    checked: Checked,
) -> BundleVerdict {
    BundleVerdict {
        ok: found.is_none(),
        defect: found.as_ref().map(|d| d.0.clone()),
        defect_fr: found.map(|d| d.1),
        tills: manifest
            .map(|m| m.tills.iter().map(|t| t.till.clone()).collect())
            .unwrap_or_default(),
        public_keys: manifest
            .map(|m| m.tills.iter().map(|t| t.public_key.clone()).collect())
            .unwrap_or_default(),
        records,
        files: manifest.map(|m| m.files.len()).unwrap_or(0),
        steps: checked.steps,
        file_states: checked.file_states,
        chains: manifest.map(|m| m.tills.clone()).unwrap_or_default(),
        archive: manifest.and_then(|m| m.archive.clone()),
    }
}

/// Every check runs, so that each gets its own verdict; the first defect is, in this order,
/// the signature's, the files', the chain's, then (a merged bundle) the derived files'.
fn check(
    folder: &Path,
    manifest: &Manifest,
    text: &str,
    records: &mut u64,
    checked: &mut Checked,
) -> std::result::Result<(), Defect> {
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return Err(defect(
            format!(
                "unknown bundle format {} {}",
                manifest.format, manifest.format_version
            ),
            format!(
                "format d'export inconnu {} {}",
                manifest.format, manifest.format_version
            ),
        ));
    }
    let signature = files::check_signatures(folder, manifest);
    // Hashing every file and walking the chain read the same bytes but share nothing else:
    // they run side by side (the chain is the longer one); their verdicts are put in the
    // same order as when they ran one after the other.
    let ((file_states, files), chain) = std::thread::scope(|scope| {
        let files = scope.spawn(|| files::check_files(folder, manifest));
        let chain = records::check_records(folder, manifest);
        match files.join() {
            Ok(files) => (files, chain),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let chain_outcome = chain.as_ref().map(|_| ()).map_err(Clone::clone);
    checked.steps = vec![
        step("signature", &signature),
        step("files", &files),
        step("chain", &chain_outcome),
    ];
    let derived = match manifest.scope.as_str() {
        "till" | "archive" => Ok(()),
        _ if signature.is_ok() && chain_outcome.is_ok() => check_derived(folder, manifest, text),
        _ => Err(defect(
            "not checked: the sources or the records are not intact",
            "non vérifié : les sources ou les enregistrements ne sont pas intègres",
        )),
    };
    if manifest.scope == "shop" {
        checked.steps.push(step("derived", &derived));
    }
    checked.file_states = file_states;
    signature?;
    files?;
    *records = chain?;
    derived
}

/// A merged bundle is signed by nobody: its manifest (and so every file it lists) must be
/// the one merging its records with its signed sources gives again.
fn check_derived(
    folder: &Path,
    manifest: &Manifest,
    text: &str,
) -> std::result::Result<(), Defect> {
    match crate::derive::rederived_manifest(folder, manifest) {
        Ok(again) if again == text => Ok(()),
        Ok(_) => Err(defect(
            "manifest.json is not what merging the records and the signed sources gives (the shop bundle was altered)",
            "manifest.json n'est pas ce que donne la fusion des enregistrements et des exports signés (export du magasin modifié)",
        )),
        Err(e) => Err(defect(
            format!("the shop bundle cannot be merged again: {e}"),
            format!(
                "l'export du magasin ne peut pas être refait : {}",
                e.message(relais_core::Lang::Fr)
            ),
        )),
    }
}

mod archive;
mod files;
mod lines;
pub(crate) use lines::read_line;
mod records;
