//! The manifest of a bundle, its signature, and the zip packing.

use crate::error::{BundleError, Result};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use relais_core::canonical::to_canonical;
use relais_core::closure::PeriodTotals;
use relais_core::{text, Shop};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub const FORMAT: &str = "relais-bundle";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BundleFile {
    /// Relative to the bundle's folder, with `/`.
    pub path: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The part of one till's chain a bundle holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TillChain {
    pub till: String,
    pub public_key: String,
    #[ts(type = "number")]
    pub from_pos: u64,
    #[ts(type = "number")]
    pub to_pos: u64,
    /// The hash before `from_pos` (64 zeros for a bundle from the first record).
    pub from_prev_hash: String,
    pub head_hash: String,
    /// First and last number of each series in the bundle.
    pub first_seq: BTreeMap<String, u64>,
    pub last_seq: BTreeMap<String, u64>,
    #[ts(type = "number")]
    pub records: u64,
}

/// The outage the bundle documents: when the SaaS went down (possibly before Relais was
/// installed: the paper period) and when it came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Outage {
    /// UTC instant.
    pub started_at: String,
    pub reason: String,
    pub ended_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ManifestSignature {
    pub algorithm: String,
    pub key: String,
    pub value: String,
}

/// manifest.json: what the bundle is, and the SHA-256 of every other file in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub software_version: String,
    /// `till` for one till's export, `shop` for a merge of several tills, `archive` for a
    /// closed period frozen by `relais archive`.
    pub scope: String,
    pub shop: Shop,
    pub tills: Vec<TillChain>,
    pub first_business_day: Option<String>,
    pub last_business_day: Option<String>,
    pub outage: Option<Outage>,
    /// Records per kind.
    pub counts: BTreeMap<String, u64>,
    /// Totals of the tickets, deposits and cash movements in the bundle.
    pub totals: PeriodTotals,
    pub files: Vec<BundleFile>,
    /// A merged bundle: the source bundles' manifests, kept under `sources/`.
    pub sources: Vec<BundleFile>,
    /// Ed25519 signature of the canonical JSON of the manifest without this member, by the
    /// till's key (absent on a merged bundle, whose sources are signed).
    pub signature: Option<ManifestSignature>,
    /// An archive (`scope` `archive`): the period it freezes. Absent from other bundles, so
    /// that their manifests read and write exactly as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub archive: Option<ArchivePeriod>,
}

/// The period an archive freezes (docs/ARCHIVE.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArchivePeriod {
    /// `month` or `year`.
    pub period: String,
    /// `2026-11` for a month, `2026` for a year.
    pub name: String,
    /// The numbers of the month and year closures of the period, in closures.jsonl, in
    /// chain order; the last is the period's own closure.
    pub closures: Vec<String>,
}

impl ArchivePeriod {
    /// The first and last day of the period (ISO dates, compared as text).
    pub fn days(&self) -> Option<(String, String)> {
        match (self.period.as_str(), self.name.len()) {
            ("month", 7) => Some((format!("{}-01", self.name), format!("{}-31", self.name))),
            ("year", 4) => Some((
                format!("{}-01-01", self.name),
                format!("{}-12-31", self.name),
            )),
            _ => None,
        }
    }

    /// Whether a business day (`YYYY-MM-DD`) falls in the period.
    pub fn holds(&self, day: &str) -> bool {
        self.days()
            .is_some_and(|(first, last)| day >= first.as_str() && day <= last.as_str())
    }
}

impl Manifest {
    /// The bytes the signature covers.
    pub fn signing_bytes(&self) -> Result<String> {
        let mut value = serde_json::to_value(self).map_err(|e| manifest_json(&e))?;
        if let Some(object) = value.as_object_mut() {
            object.remove("signature");
        }
        Ok(to_canonical(&value)?)
    }

    pub fn sign(&mut self, key: &SigningKey) -> Result<()> {
        self.signature = None;
        let bytes = self.signing_bytes()?;
        self.signature = Some(ManifestSignature {
            algorithm: "ed25519".into(),
            key: hex::encode(key.verifying_key().to_bytes()),
            value: hex::encode(key.sign(bytes.as_bytes()).to_bytes()),
        });
        Ok(())
    }

    /// Whether the signature is valid and made with `expected_key` (hex).
    pub fn signature_valid(&self, expected_key: &str) -> bool {
        let Some(signature) = &self.signature else {
            return false;
        };
        let check = || -> Option<bool> {
            let mut key = [0u8; 32];
            hex::decode_to_slice(&signature.key, &mut key).ok()?;
            let key = VerifyingKey::from_bytes(&key).ok()?;
            let mut sig = [0u8; 64];
            hex::decode_to_slice(&signature.value, &mut sig).ok()?;
            let bytes = self.signing_bytes().ok()?;
            // Hex decoding ignores case: the text must also be the one encoding of the bytes,
            // or an upper-cased digit would be a change that still verifies.
            Some(
                signature.algorithm == "ed25519"
                    && signature.value == hex::encode(sig)
                    && signature.key == hex::encode(key.as_bytes())
                    && signature.key == expected_key
                    && key
                        .verify_strict(
                            bytes.as_bytes(),
                            &ed25519_dalek::Signature::from_bytes(&sig),
                        )
                        .is_ok(),
            )
        };
        check().unwrap_or(false)
    }

    /// The manifest as written: its canonical JSON and a newline, so that any change to
    /// the file's bytes either breaks its form or its content (and so its signature).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let value = serde_json::to_value(self).map_err(|e| manifest_json(&e))?;
        let mut bytes = to_canonical(&value)?.into_bytes();
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// Packs `folder` into `folder.zip` beside it; returns the zip's path.
/// A manifest serde could not turn into JSON.
fn manifest_json(error: &serde_json::Error) -> BundleError {
    BundleError::Invalid(text!(
        fr: "manifeste impossible à écrire en JSON ({error})",
        en: "the manifest cannot be written as JSON ({error})",
    ))
}

/// A ZIP archive that could not be written or read.
fn zip_error(path: &Path, error: &zip::result::ZipError) -> BundleError {
    let path = path.display();
    BundleError::Invalid(text!(
        fr: "{path} : archive ZIP illisible ou impossible à écrire ({error})",
        en: "{path}: ZIP archive unreadable or unwritable ({error})",
    ))
}

pub fn zip_folder(folder: &Path) -> Result<PathBuf> {
    let target = folder.with_extension("zip");
    let file = std::fs::File::create(&target).map_err(|e| BundleError::io(&target, e))?;
    let mut zip = zip::ZipWriter::new(file);
    // The "made by" system is fixed (the zip crate writes DOS on Windows, Unix elsewhere) so
    // that a Windows till and a Linux one zip the same records into the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .system(zip::System::Unix);
    let base = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut paths = Vec::new();
    collect_files(folder, folder, &mut paths)?;
    paths.sort();
    for relative in paths {
        let name = format!("{base}/{relative}");
        zip.start_file(name, options)
            .map_err(|e| zip_error(&target, &e))?;
        let bytes = std::fs::read(folder.join(&relative))
            .map_err(|e| BundleError::io(folder.join(&relative), e))?;
        std::io::Write::write_all(&mut zip, &bytes).map_err(|e| BundleError::io(&target, e))?;
    }
    let file = zip.finish().map_err(|e| zip_error(&target, &e))?;
    file.sync_all().map_err(|e| BundleError::io(&target, e))?;
    Ok(target)
}

/// Every file under `dir`, relative to `root`, with `/` separators.
pub fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| BundleError::io(dir, e))? {
        let path = entry.map_err(|e| BundleError::io(dir, e))?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(
                relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(())
}

/// A folder of the system's temporary directory, removed when dropped.
pub(crate) struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new(purpose: &str) -> Result<ScratchDir> {
        let path = std::env::temp_dir().join(format!(
            "relais-{purpose}-{}-{}",
            std::process::id(),
            uuid::Uuid::now_v7()
        ));
        std::fs::create_dir_all(&path).map_err(|e| BundleError::io(&path, e))?;
        Ok(ScratchDir(path))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A .zip extracted into a temporary folder, removed when dropped.
pub(crate) struct Unzipped(ScratchDir);

impl Unzipped {
    /// The bundle at `path` extracted, when it is a .zip; `None` for a folder.
    pub(crate) fn of(path: &Path) -> Result<Option<Unzipped>> {
        let zipped = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        zipped.then(|| Unzipped::new(path)).transpose()
    }

    fn new(zip_path: &Path) -> Result<Unzipped> {
        let target = ScratchDir::new("verify")?;
        let file = std::fs::File::open(zip_path).map_err(|e| BundleError::io(zip_path, e))?;
        let mut archive = zip::ZipArchive::new(file).map_err(|e| zip_error(zip_path, &e))?;
        archive
            .extract(&target.0)
            .map_err(|e| zip_error(zip_path, &e))?;
        Ok(Unzipped(target))
    }

    /// The bundle's folder: the one folder at the top of the archive.
    pub(crate) fn folder(&self) -> Result<PathBuf> {
        let top = &self.0 .0;
        let mut entries = std::fs::read_dir(top).map_err(|e| BundleError::io(top, e))?;
        match (entries.next(), entries.next()) {
            (Some(Ok(entry)), None) if entry.path().is_dir() => Ok(entry.path()),
            _ => Ok(top.clone()),
        }
    }
}
