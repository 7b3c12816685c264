//! The files of a bundle: the manifest's signature (or, for a merged bundle, its signed
//! sources), and every file's SHA-256 and size against the manifest.

use super::{defect, Defect, FileState};
use crate::bundle::{collect_files, Manifest};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

pub(super) fn check_signatures(
    folder: &Path,
    manifest: &Manifest,
) -> std::result::Result<(), Defect> {
    // A till's export and an archive are signed by the till; anything else is a merge.
    if manifest.scope == "till" || manifest.scope == "archive" {
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

/// Each file's state, and the first defect among them.
pub(super) fn check_files(
    folder: &Path,
    manifest: &Manifest,
) -> (Vec<FileState>, std::result::Result<(), Defect>) {
    let mut states = Vec::new();
    let mut first: Option<Defect> = None;
    for file in &manifest.files {
        let state = match sha256_of(&folder.join(&file.path)) {
            Err(_) => {
                first.get_or_insert_with(|| {
                    defect(
                        format!("{} is missing", file.path),
                        format!("le fichier {} manque", file.path),
                    )
                });
                "missing"
            }
            Ok((sha, size)) if sha != file.sha256 || size != file.bytes => {
                first.get_or_insert_with(|| {
                    defect(
                        format!(
                            "{}: SHA-256 {sha} but the manifest says {} (the file was altered)",
                            file.path, file.sha256
                        ),
                        format!(
                            "{} : empreinte {sha} au lieu de {} (fichier modifié)",
                            file.path, file.sha256
                        ),
                    )
                });
                "altered"
            }
            Ok(_) => "ok",
        };
        states.push(FileState {
            path: file.path.clone(),
            state: state.into(),
        });
    }
    let mut present = Vec::new();
    if let Err(e) = collect_files(folder, folder, &mut present) {
        first.get_or_insert_with(|| defect(e.to_string(), e.message(relais_core::Lang::Fr)));
    }
    let listed: Vec<&str> = manifest
        .files
        .iter()
        .chain(&manifest.sources)
        .map(|f| f.path.as_str())
        .collect();
    for extra in present
        .iter()
        .filter(|p| p.as_str() != "manifest.json" && !listed.contains(&p.as_str()))
    {
        first.get_or_insert_with(|| {
            defect(
                format!("{extra} is not listed in the manifest"),
                format!("{extra} n'est pas dans le manifeste"),
            )
        });
        states.push(FileState {
            path: extra.clone(),
            state: "unlisted".into(),
        });
    }
    (states, first.map_or(Ok(()), Err))
}
