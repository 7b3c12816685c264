//! Verifying a bundle with no database: the manifest's signature, every file's SHA-256, every
//! till's chain in records.jsonl (links, hashes, positions, numbers, closure signatures), and
//! the totals recomputed from the records' lines. The first defect is named.

use super::bundle::{collect_files, Manifest, FORMAT, FORMAT_VERSION};
use crate::error::{Result, StoreError};
use relais_core::canonical::to_canonical;
use relais_core::chain::{from_hex, to_hex};
use relais_core::closure::Summarizer;
use relais_core::record::Series;
use relais_core::{ChainVerifier, Money, StoredRecord, Ticket};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, Read};
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
            return Ok(verdict(
                None,
                Some(defect(
                    format!("manifest.json is not a Relais manifest: {e}"),
                    format!("manifest.json n'est pas un manifeste Relais : {e}"),
                )),
                0,
            ))
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
        return Ok(verdict(Some(&manifest), Some(found), 0));
    }
    let mut records = 0;
    let outcome = check(&folder, &manifest, &mut records);
    Ok(verdict(Some(&manifest), outcome.err(), records))
}

fn verdict(manifest: Option<&Manifest>, found: Option<Defect>, records: u64) -> BundleVerdict {
    BundleVerdict {
        ok: found.is_none(),
        defect: found.as_ref().map(|d| d.0.clone()),
        defect_fr: found.map(|d| d.1),
        tills: manifest
            .map(|m| m.tills.iter().map(|t| t.till.clone()).collect())
            .unwrap_or_default(),
        records,
        files: manifest.map(|m| m.files.len()).unwrap_or(0),
    }
}

fn check(folder: &Path, manifest: &Manifest, records: &mut u64) -> std::result::Result<(), Defect> {
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
    check_signatures(folder, manifest)?;
    // Hashing every file and walking the chain read the same bytes but share nothing else:
    // they run side by side (the records check is the longer one), and the files' defect
    // still comes first, as when they ran one after the other.
    let (files, chain) = std::thread::scope(|scope| {
        let files = scope.spawn(|| check_files(folder, manifest));
        let chain = check_records(folder, manifest);
        (files.join(), chain)
    });
    match files {
        Ok(outcome) => outcome?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
    *records = chain?;
    Ok(())
}

fn check_signatures(folder: &Path, manifest: &Manifest) -> std::result::Result<(), Defect> {
    if manifest.scope == "till" {
        let key = manifest
            .tills
            .first()
            .map(|t| t.public_key.as_str())
            .unwrap_or("");
        if !manifest.signature_valid(key) {
            return Err(defect(
                "manifest.json: the signature does not verify with the till's public key (the manifest was altered)",
                "manifest.json : la signature ne correspond pas à la clé publique de la caisse (manifeste modifié)",
            ));
        }
        return Ok(());
    }
    // A merged bundle: each till's head must be vouched for by a signed source manifest.
    let mut sources = Vec::new();
    for file in &manifest.sources {
        let text = std::fs::read_to_string(folder.join(&file.path)).map_err(|_| {
            defect(
                format!("{} is missing", file.path),
                format!("{} manque", file.path),
            )
        })?;
        if hex::encode(Sha256::digest(text.as_bytes())) != file.sha256 {
            return Err(defect(
                format!("{}: SHA-256 differs from the manifest's", file.path),
                format!(
                    "{} : empreinte SHA-256 différente de celle du manifeste",
                    file.path
                ),
            ));
        }
        let source: Manifest = serde_json::from_str(&text).map_err(|e| {
            defect(
                format!("{}: {e}", file.path),
                format!("{} : {e}", file.path),
            )
        })?;
        let key = source
            .tills
            .first()
            .map(|t| t.public_key.clone())
            .unwrap_or_default();
        if !source.signature_valid(&key) {
            return Err(defect(
                format!("{}: bad signature", file.path),
                format!("{} : signature invalide", file.path),
            ));
        }
        sources.push(source);
    }
    for till in &manifest.tills {
        let vouched = sources.iter().flat_map(|s| &s.tills).any(|s| {
            s.public_key == till.public_key
                && s.to_pos == till.to_pos
                && s.head_hash == till.head_hash
        });
        if !vouched {
            return Err(defect(
                format!(
                    "till {}: no signed source bundle ends at its head",
                    till.till
                ),
                format!(
                    "caisse {} : aucun export signé ne se termine sur sa tête de chaîne",
                    till.till
                ),
            ));
        }
    }
    Ok(())
}

fn sha256_of(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok((hex::encode(hasher.finalize()), size));
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
}

fn check_files(folder: &Path, manifest: &Manifest) -> std::result::Result<(), Defect> {
    for file in &manifest.files {
        let path = folder.join(&file.path);
        let Ok((sha, size)) = sha256_of(&path) else {
            return Err(defect(
                format!("{} is missing", file.path),
                format!("le fichier {} manque", file.path),
            ));
        };
        if sha != file.sha256 || size != file.bytes {
            return Err(defect(
                format!(
                    "{}: SHA-256 {sha} but the manifest says {} (the file was altered)",
                    file.path, file.sha256
                ),
                format!(
                    "{} : empreinte {sha} au lieu de {} (fichier modifié)",
                    file.path, file.sha256
                ),
            ));
        }
    }
    let mut present = Vec::new();
    collect_files(folder, folder, &mut present)
        .map_err(|e| defect(e.to_string(), e.message(relais_core::Lang::Fr)))?;
    let listed: Vec<&str> = manifest
        .files
        .iter()
        .chain(&manifest.sources)
        .map(|f| f.path.as_str())
        .collect();
    if let Some(extra) = present
        .iter()
        .find(|p| p.as_str() != "manifest.json" && !listed.contains(&p.as_str()))
    {
        return Err(defect(
            format!("{extra} is not listed in the manifest"),
            format!("{extra} n'est pas dans le manifeste"),
        ));
    }
    Ok(())
}

/// A ticket's own arithmetic: lines add up to the total, VAT per rate recomputed from lines.
fn ticket_adds_up(t: &Ticket) -> bool {
    let lines = Money::sum(t.lines.iter().map(|l| l.total_cents)).ok();
    let vat = Ticket::vat_breakdown(&t.lines).ok();
    let paid = Money::sum(t.payments.iter().map(|p| p.amount_cents)).ok();
    lines == Some(t.total_cents)
        && vat.as_ref() == Some(&t.vat)
        && (t.payments.is_empty() || paid == Some(t.total_cents))
}

fn check_records(folder: &Path, manifest: &Manifest) -> std::result::Result<u64, Defect> {
    let path = folder.join("records.jsonl");
    let file = std::fs::File::open(&path)
        .map_err(|_| defect("records.jsonl is missing", "records.jsonl manque"))?;
    let mut verifiers: BTreeMap<String, ChainVerifier> = BTreeMap::new();
    for till in &manifest.tills {
        let prev = from_hex(&till.from_prev_hash).unwrap_or([0; 32]);
        let seqs = till
            .first_seq
            .iter()
            .filter_map(|(s, n)| Series::from_code(s).map(|s| (s, *n)))
            .collect();
        verifiers.insert(
            till.till.clone(),
            ChainVerifier::resume(
                till.till.clone(),
                till.from_pos,
                prev,
                seqs,
                Some(till.public_key.clone()),
            ),
        );
    }
    let mut summarizer = Summarizer::default();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut count = 0;
    // Two stages on two threads: reading and parsing the lines (JSON, canonical bytes) on
    // one, the chain, the tickets' arithmetic and the totals on this one. The lines still
    // come in order, so the first defect is the same as with one thread.
    std::thread::scope(|scope| -> std::result::Result<(), Defect> {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<ParsedLine>>(16);
        scope.spawn(move || read_lines(file, sender));
        for (index, parsed) in receiver.into_iter().flatten().enumerate() {
            let at = |en: String, fr: String| {
                defect(
                    format!("records.jsonl line {}: {en}", index + 1),
                    format!("records.jsonl ligne {} : {fr}", index + 1),
                )
            };
            let (till, stored, value) = parsed.map_err(|(en, fr)| at(en, fr))?;
            let verifier = verifiers.get_mut(&till).ok_or_else(|| {
                at(
                    format!("till {till:?} is not in the manifest"),
                    format!("la caisse {till:?} n'est pas dans le manifeste"),
                )
            })?;
            let record = verifier
                .push_canonical(&stored, &value)
                .map_err(|d| at(d.to_string(), d.message_fr()))?;
            if let Some(t) = record.body.ticket() {
                if !ticket_adds_up(t) {
                    let name = record.number();
                    return Err(at(
                        format!("{name}: its lines do not add up to its totals"),
                        format!("{name} : ses lignes ne donnent pas ses totaux"),
                    ));
                }
            }
            summarizer
                .add(&record)
                .map_err(|_| at("amount out of range".into(), "montant hors limites".into()))?;
            *counts.entry(record.kind().code().into()).or_default() += 1;
            count += 1;
        }
        Ok(())
    })?;
    for till in &manifest.tills {
        let verifier = &verifiers[&till.till];
        if verifier.last_pos() != till.to_pos || to_hex(&verifier.head()) != till.head_hash {
            return Err(defect(
                format!("till {}: the records end at position {} but the manifest says {} with hash {} (records were removed or added)", till.till, verifier.last_pos(), till.to_pos, till.head_hash),
                format!("caisse {} : les enregistrements s'arrêtent en position {} au lieu de {} (enregistrements supprimés ou ajoutés)", till.till, verifier.last_pos(), till.to_pos),
            ));
        }
    }
    let totals = summarizer
        .finish()
        .map_err(|_| defect("amount out of range", "montant hors limites"))?;
    if totals != manifest.totals || counts != manifest.counts {
        return Err(defect(
            "the totals recomputed from the records differ from the manifest's",
            "les totaux recalculés à partir des enregistrements diffèrent de ceux du manifeste",
        ));
    }
    Ok(count)
}

/// A parsed records.jsonl line: its till, the record as the chain takes it, and the
/// record's JSON value (`stored.body` is its canonical form); or what is wrong with the
/// line, in English and French.
type ParsedLine = std::result::Result<(String, StoredRecord, serde_json::Value), Defect>;

/// The reading stage: lines parsed in batches, until the end, the first unreadable line, or
/// the checking stage stopping (it drops its receiver).
fn read_lines(file: std::fs::File, sender: std::sync::mpsc::SyncSender<Vec<ParsedLine>>) {
    const BATCH: usize = 256;
    let mut batch = Vec::with_capacity(BATCH);
    for line in std::io::BufReader::with_capacity(1 << 20, file).lines() {
        let parsed = line
            .map_err(|e| defect(e.to_string(), e.to_string()))
            .and_then(|line| parse_line(&line));
        let stop = parsed.is_err();
        batch.push(parsed);
        if stop || batch.len() == BATCH {
            if sender.send(std::mem::take(&mut batch)).is_err() || stop {
                return;
            }
            batch.reserve(BATCH);
        }
    }
    let _ = sender.send(batch);
}

fn parse_line(line: &str) -> ParsedLine {
    let mut value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| defect(format!("not JSON ({e})"), format!("pas du JSON ({e})")))?;
    let till = value["till"].as_str().unwrap_or_default().to_string();
    let stored = stored_of(&value).map_err(|e| defect(e.to_string(), e.to_string()))?;
    Ok((till, stored, value["record"].take()))
}

/// A records.jsonl line as the verifier takes it: the record's canonical bytes, and the
/// columns the chain checks, read from the record itself (a line has no separate columns).
fn stored_of(
    line: &serde_json::Value,
) -> std::result::Result<StoredRecord, relais_core::canonical::CanonicalError> {
    let record = &line["record"];
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let kind = text(&record["kind"]);
    let series = relais_core::Kind::from_code(&kind)
        .map(|k| k.series().code().to_string())
        .unwrap_or_default();
    let total = match kind.as_str() {
        "sale" | "refund" | "void" => record["data"]["total_cents"].as_i64(),
        "closure" => record["data"]["totals"]["total_cents"].as_i64(),
        _ => None,
    };
    Ok(StoredRecord {
        pos: line["pos"].as_u64().unwrap_or(0),
        id: text(&record["id"]),
        kind,
        series,
        seq: record["seq"].as_u64().unwrap_or(0),
        at: text(&record["at"]),
        business_day: text(&record["business_day"]),
        operator: text(&record["operator"]),
        total_cents: total,
        body: to_canonical(record)?,
        prev_hash: text(&line["prev_hash"]),
        hash: text(&line["hash"]),
    })
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
