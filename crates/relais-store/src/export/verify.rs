//! Verifying a bundle with no database: the manifest's signature, every file's SHA-256, every
//! till's chain in records.jsonl (links, hashes, positions, numbers, closure signatures), and
//! the totals recomputed from the records' lines. The first defect is named.

use super::bundle::{Manifest, FORMAT, FORMAT_VERSION};
use crate::error::{Result, StoreError};
use relais_core::canonical::to_canonical;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BundleVerdict {
    pub ok: bool,
    /// The first defect, in English and in French.
    pub defect: Option<String>,
    pub defect_fr: Option<String>,
    pub tills: Vec<String>,
    #[ts(type = "number")]
    pub records: u64,
    pub files: usize,
    /// Each check on its own: `signature` (the manifest's), `files` (every file's SHA-256),
    /// `chain` (the records: links, hashes, numbers, totals). Empty when the manifest could
    /// not be read at all.
    pub steps: Vec<VerdictStep>,
    /// Every file of the manifest, and every file in the folder that it does not list.
    pub file_states: Vec<FileState>,
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
    let unzipped;
    let folder = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        unzipped = Unzipped::new(path)?;
        unzipped.folder()?
    } else {
        path.to_path_buf()
    };
    let manifest_path = folder.join("manifest.json");
    let text =
        std::fs::read_to_string(&manifest_path).map_err(|e| StoreError::io(&manifest_path, e))?;
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
    let canonical = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| to_canonical(&v).ok());
    if canonical.map(|c| c + "\n") != Some(text.clone()) {
        let found = defect(
            "manifest.json is not in canonical form (it was edited)",
            "manifest.json n'est pas sous forme canonique (il a été modifié)",
        );
        let checked = Checked {
            steps: vec![step("signature", &Err(found.clone()))],
            ..Checked::default()
        };
        return Ok(verdict(Some(&manifest), Some(found), 0, checked));
    }
    let mut records = 0;
    let mut checked = Checked::default();
    let outcome = check(&folder, &manifest, &mut records, &mut checked);
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
        records,
        files: manifest.map(|m| m.files.len()).unwrap_or(0),
        steps: checked.steps,
        file_states: checked.file_states,
    }
}

/// Every check runs, so that each gets its own verdict; the first defect is, in this order,
/// the signature's, the files', the chain's.
fn check(
    folder: &Path,
    manifest: &Manifest,
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
    checked.file_states = file_states;
    signature?;
    files?;
    *records = chain?;
    Ok(())
}

/// A .zip extracted into a temporary folder, removed when dropped.
struct Unzipped(PathBuf);

impl Unzipped {
    fn new(zip_path: &Path) -> Result<Unzipped> {
        let target = std::env::temp_dir().join(format!(
            "relais-verify-{}-{}",
            std::process::id(),
            uuid::Uuid::now_v7()
        ));
        let file = std::fs::File::open(zip_path).map_err(|e| StoreError::io(zip_path, e))?;
        let mut archive = zip::ZipArchive::new(file)
            .map_err(|e| StoreError::InvalidInput(format!("{}: {e}", zip_path.display())))?;
        archive
            .extract(&target)
            .map_err(|e| StoreError::InvalidInput(format!("{}: {e}", zip_path.display())))?;
        Ok(Unzipped(target))
    }

    /// The bundle's folder: the one folder at the top of the archive.
    fn folder(&self) -> Result<PathBuf> {
        let mut entries = std::fs::read_dir(&self.0).map_err(|e| StoreError::io(&self.0, e))?;
        match (entries.next(), entries.next()) {
            (Some(Ok(entry)), None) if entry.path().is_dir() => Ok(entry.path()),
            _ => Ok(self.0.clone()),
        }
    }
}

impl Drop for Unzipped {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

mod files;
mod lines;
mod records;
#[cfg(test)]
mod tests;
