//! `relais verify`: a bundle with no till, or the till's ledger; the key pinned by the
//! auditor, the copies made earlier that the live chain must extend, and the acknowledgement
//! of records lost after they were acknowledged.

use crate::output::Out;
use crate::recovery::is_bundle;
use relais_bundle::verify_bundle;
use relais_core::text;
use relais_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// With keys pinned (`--public-key`), the first till whose key is not among them, as a
/// defect said and its exit code: a bundle or a till re-signed with a new key is otherwise
/// consistent with itself.
pub fn unpinned_key(tills: &[(String, String)], pinned: &[String], out: &Out) -> Option<ExitCode> {
    if pinned.is_empty() {
        return None;
    }
    let pinned: Vec<String> = pinned
        .iter()
        .map(|k| k.trim().to_ascii_lowercase())
        .collect();
    let (till, key) = tills
        .iter()
        .find(|(_, key)| !pinned.contains(&key.to_ascii_lowercase()))?;
    let pinned = pinned.join(", ");
    println!(
        "{}: {}",
        out.text(text!(fr: "DÉFAUT", en: "DEFECT")),
        out.text(text!(
            fr: "la caisse {till} est signée par la clé {key}, qui n'est pas la clé épinglée ({pinned})",
            en: "till {till} is signed with the key {key}, which is not the pinned key ({pinned})",
        ))
    );
    Some(ExitCode::FAILURE)
}

pub fn bundle(path: &Path, pinned: &[String], out: &Out) -> relais_store::Result<ExitCode> {
    let verdict = verify_bundle(path)?;
    if verdict.ok {
        let tills: Vec<(String, String)> = verdict
            .tills
            .iter()
            .cloned()
            .zip(verdict.public_keys.iter().cloned())
            .collect();
        if let Some(code) = unpinned_key(&tills, pinned, out) {
            return Ok(code);
        }
        println!(
            "ok: {} {} — {} ({}) — {}",
            out.text(text!(fr: "export intègre", en: "bundle intact")),
            path.display(),
            out.records(verdict.records),
            verdict.tills.join(", "),
            out.count(
                verdict.files as u64,
                ["fichier vérifié", "fichiers vérifiés"],
                ["file checked", "files checked"]
            )
        );
        if let Some(archive) = &verdict.archive {
            let (name, closures) = (&archive.name, archive.closures.join(", "));
            println!(
                "{}",
                out.text(text!(
                    fr: "Archive de la période {name}, couverte par les clôtures {closures}",
                    en: "Archive of the period {name}, covered by the closures {closures}",
                ))
            );
        }
        // An intact bundle re-signed with another key would also verify: the key must be
        // the till's own, which `relais key` shows on the till.
        for (till, key) in verdict.tills.iter().zip(&verdict.public_keys) {
            println!(
                "{} {till} : {key}",
                out.text(text!(
                    fr: "Clé publique (à comparer avec « relais key » sur la caisse)",
                    en: "Public key (compare with `relais key` on the till)",
                ))
            );
        }
        Ok(ExitCode::SUCCESS)
    } else {
        let text = match out.lang {
            relais_core::Lang::Fr => verdict.defect_fr.unwrap_or_default(),
            relais_core::Lang::En => verdict.defect.unwrap_or_default(),
        };
        println!(
            "{}: {text} ({})",
            out.text(text!(fr: "DÉFAUT", en: "DEFECT")),
            path.display()
        );
        Ok(ExitCode::FAILURE)
    }
}

/// The till's ledger walked whole; then its key against the pinned ones, then each earlier
/// copy (`--against`) found inside it, hash for hash.
pub fn till(
    store: &Store,
    pinned: &[String],
    against: &[PathBuf],
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let Some(config) = store.config() else {
        return Err(StoreError::NotInitialised);
    };
    let keys = [(config.till.clone(), config.public_key.clone())];
    if let Some(code) = unpinned_key(&keys, pinned, out) {
        return Ok(code);
    }
    let report = store.verify()?;
    let code = out.verify_report(&report, store.data_dir());
    if report.defect.is_some() {
        return Ok(code);
    }
    for copy in against {
        let (pos, hash) = end_of(copy, &config.till)?;
        let shown = copy.display();
        if !store.holds(pos, &hash)? {
            println!(
                "{}: {}",
                out.text(text!(fr: "DÉFAUT", en: "DEFECT")),
                out.text(text!(
                    fr: "la caisse ne prolonge pas {shown} : cette copie finit à la position {pos} avec l'empreinte {hash}, que la caisse n'a pas à cette position",
                    en: "the till does not extend {shown}: that copy ends at position {pos} with the hash {hash}, which the till does not hold there",
                ))
            );
            return Ok(ExitCode::FAILURE);
        }
        println!(
            "ok: {}",
            out.text(text!(
                fr: "la caisse prolonge {shown} (position {pos}, empreinte {hash})",
                en: "the till extends {shown} (position {pos}, hash {hash})",
            ))
        );
    }
    Ok(code)
}

/// Where an earlier copy of the till's chain ends: a bundle (verified first, its chain for
/// `till`) or a backup folder (opened and walked whole).
fn end_of(copy: &Path, till: &str) -> relais_store::Result<(u64, String)> {
    let shown = copy.display();
    if is_bundle(copy) {
        let verdict = verify_bundle(copy)?;
        if !verdict.ok {
            let (fr, en) = (
                verdict.defect_fr.unwrap_or_default(),
                verdict.defect.unwrap_or_default(),
            );
            return Err(StoreError::Invalid(text!(
                fr: "{shown} n'est pas intègre : {fr}",
                en: "{shown} is not intact: {en}",
            )));
        }
        let chain = verdict
            .chains
            .iter()
            .find(|c| c.till == till)
            .ok_or_else(|| {
                StoreError::Invalid(text!(
                    fr: "{shown} ne contient rien de la caisse {till}",
                    en: "{shown} holds nothing of till {till}",
                ))
            })?;
        return Ok((chain.to_pos, chain.head_hash.clone()));
    }
    let (records, head) = relais_store::backup::verify_backup(copy)?;
    Ok((records, head.unwrap_or_default()))
}

/// A manager acknowledges records lost after they were acknowledged.
pub fn acknowledge(store: &mut Store, operator: &str, out: &Out) -> relais_store::Result<ExitCode> {
    let by = store.own_manager(operator)?;
    let lost = store.acknowledge_lost_tail(&by)?;
    let (from, to, skipped) = (lost.head_pos + 1, lost.anchored_pos, lost.lost());
    println!(
        "{}",
        out.text(text!(
            fr: "défaut constaté et journalisé : positions {from} à {to} perdues ; la numérotation reprend {skipped} numéros plus loin",
            en: "defect acknowledged and journaled: positions {from} to {to} lost; numbering resumes {skipped} numbers further on",
        ))
    );
    Ok(ExitCode::SUCCESS)
}
