//! Archives: a closed month verifies on its own; what a forger (with or without the till's
//! key) could change is refused; an open period is never archived.

use super::*;
use crate::day::{CloseDayInput, OpenDayInput};
use crate::export::tests::{busy_till, sale};
use crate::export::ExportOptions;
use ed25519_dalek::{Signer, SigningKey};
use relais_bundle::{BundleFile, Manifest};
use relais_core::chain::{from_hex, seal};
use relais_core::closure::signing_bytes;
use relais_core::Record;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// busy_till's November (28 to 30, and a paper sale of the 27th keyed in on the 29th), then
/// 1 December sold and closed, then the month of November closed.
fn november_closed(dir: &Path) -> Store {
    let mut store = busy_till(dir);
    let now = Arc::new(AtomicI64::new(1_796_112_000)); // 2026-12-01 09:00 Paris
    let clock = now.clone();
    store.set_clock(move || {
        chrono::DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).unwrap()
    });
    store
        .open_day_as(&OpenDayInput {
            business_day: None,
            denominations: vec![],
            operator: "Marie".into(),
        })
        .unwrap();
    store
        .record_sale_as(&sale("Pain", 120, 550, "cash"), None)
        .unwrap();
    store
        .close_day_as(&CloseDayInput {
            operator: "Marie".into(),
            ..CloseDayInput::default()
        })
        .unwrap();
    store
        .close_period_as(ClosurePeriod::Month, "2026-11", "Marie", None)
        .unwrap();
    store
}

fn archive(store: &mut Store, period: &str, out: &Path) -> Result<ArchiveReport> {
    store.archive_as(&ArchiveOptions {
        period: period.into(),
        out: out.to_path_buf(),
        zip: false,
        operator: "Marie".into(),
    })
}

fn verdict(folder: &Path) -> (bool, String) {
    let verdict = verify_bundle(folder).unwrap();
    (verdict.ok, verdict.defect.unwrap_or_default())
}

#[test]
fn a_closed_month_archived_verifies_on_its_own_and_is_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = november_closed(dir.path());
    let out = tempfile::tempdir().unwrap();
    let report = archive(&mut store, "2026-11", out.path()).unwrap();
    assert_eq!(report.closures, vec!["T1-Z000005".to_string()]);
    // The till is gone: the archive is checked alone, moved to another folder.
    drop(store);
    drop(dir);
    let moved = tempfile::tempdir().unwrap();
    let folder = moved.path().join("archive");
    std::fs::rename(&report.folder, &folder).unwrap();
    assert_eq!(verdict(&folder), (true, String::new()));
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest.scope, "archive");
    assert_eq!(manifest.software_version, crate::SOFTWARE_VERSION);
    assert_eq!(manifest.archive.unwrap().name, "2026-11");
    // Every ticket of November, and no ticket of December.
    let sales = std::fs::read_to_string(folder.join("csv/sales.csv")).unwrap();
    assert!(sales.contains("2026-11-28") && sales.contains("2026-11-27"));
    assert!(!sales.contains(",2026-12-01,"));
    let events = std::fs::read_to_string(folder.join("csv/events.csv")).unwrap();
    assert!(events.contains("day_closed"));
}

#[test]
fn the_archive_event_is_sealed_with_its_jet_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = november_closed(dir.path());
    let out = tempfile::tempdir().unwrap();
    let report = archive(&mut store, "2026-11", out.path()).unwrap();
    let journal = store.journal(None).unwrap();
    let event = journal
        .iter()
        .find(|e| e.name == "period_archived")
        .unwrap();
    assert_eq!(event.code, 20);
    assert!(event.message.contains("novembre") || event.message.contains("2026-11"));
    assert!(std::path::Path::new(&report.folder).is_dir());
    assert!(store.verify().unwrap().defect.is_none());
}

/// A period not closed is never archived, and nothing is left behind.
#[test]
fn open_or_unknown_periods_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = november_closed(dir.path());
    let out = tempfile::tempdir().unwrap();
    for period in ["2026-12", "2026", "2026-10", "2026-13", "novembre"] {
        let refused = archive(&mut store, period, out.path()).unwrap_err();
        assert_eq!(refused.kind(), "invalid_input", "{period}");
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    assert!(!store
        .journal(None)
        .unwrap()
        .iter()
        .any(|e| e.code == 20 || e.code == 30));
}

#[test]
fn a_closed_year_is_archived_with_its_month_closures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = november_closed(dir.path());
    store
        .close_period_as(ClosurePeriod::Year, "2026", "Marie", None)
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = archive(&mut store, "2026", out.path()).unwrap();
    assert_eq!(report.closures, vec!["T1-Z000005", "T1-Z000006"]);
    assert_eq!(verdict(Path::new(&report.folder)), (true, String::new()));
    let journal = store.journal(None).unwrap();
    assert!(journal
        .iter()
        .any(|e| e.name == "year_archived" && e.code == 30));
}

/// The manifest's files list and signature brought back in line with the files, with the
/// till's key: what an owner who changed a file would do.
fn resign(folder: &Path, key: &SigningKey) {
    resign_with(folder, key, |_| {});
}

/// [`resign`], after `edit` changed the manifest.
fn resign_with(folder: &Path, key: &SigningKey, edit: fn(&mut Manifest)) {
    let path = folder.join("manifest.json");
    let mut manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut manifest);
    manifest.files = manifest
        .files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(folder.join(&f.path)).unwrap();
            BundleFile {
                path: f.path.clone(),
                sha256: hex::encode(Sha256::digest(&bytes)),
                bytes: bytes.len() as u64,
            }
        })
        .collect();
    manifest.sign(key).unwrap();
    std::fs::write(&path, manifest.to_bytes().unwrap()).unwrap();
}

/// The period's closure in closures.jsonl, its totals changed, signed again with `key`,
/// sealed again after its prev_hash.
fn forge_closure(folder: &Path, key: &SigningKey) {
    let path = folder.join("closures.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let line: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let mut record: Record = serde_json::from_value(line["record"].clone()).unwrap();
    let Body::Closure(closure) = &mut record.body else {
        panic!("a closure")
    };
    closure.totals.total_cents.0 -= 100;
    closure.signature.key = hex::encode(key.verifying_key().to_bytes());
    let bytes = signing_bytes(closure).unwrap();
    closure.signature.value = hex::encode(key.sign(bytes.as_bytes()).to_bytes());
    let prev = from_hex(line["prev_hash"].as_str().unwrap()).unwrap();
    let sealed = seal(record, &prev).unwrap();
    let forged = relais_bundle::archive::closures_jsonl(
        "T1",
        &[LedgerLine {
            pos: sealed.record.pos,
            body: sealed.body,
            prev_hash: sealed.prev_hash,
            hash: sealed.hash,
        }],
    );
    std::fs::write(&path, forged).unwrap();
}

fn drop_line(folder: &Path, file: &str, index: usize) {
    let path = folder.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: String = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    std::fs::write(&path, kept).unwrap();
}

type Tamper = fn(&Path, &SigningKey);

/// Each alteration, by someone without the key and by the owner who signs again: refused,
/// with the defect named.
#[test]
fn every_alteration_of_an_archive_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = november_closed(dir.path());
    let key = crate::keys::load(dir.path()).unwrap().unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = archive(&mut store, "2026-11", out.path()).unwrap();
    let cases: [(&str, Tamper, &str); 7] = [
        (
            "one altered byte",
            |f, _| {
                let path = f.join("records.jsonl");
                let mut bytes = std::fs::read(&path).unwrap();
                let at = bytes.len() / 2;
                bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
                std::fs::write(&path, bytes).unwrap();
            },
            "records.jsonl",
        ),
        (
            "a missing record, re-signed",
            |f, k| {
                drop_line(f, "records.jsonl", 5);
                resign(f, k)
            },
            "records.jsonl line",
        ),
        (
            "a missing closure",
            |f, k| {
                drop_line(f, "closures.jsonl", 0);
                resign(f, k)
            },
            "closures.jsonl",
        ),
        (
            "another month named by the owner",
            |f, k| {
                resign_with(f, k, |m| {
                    m.archive.as_mut().unwrap().name = "2026-10".into()
                })
            },
            "not to the archived period 2026-10",
        ),
        (
            "a closure forged with the till's key",
            |f, k| {
                forge_closure(f, k);
                resign(f, k)
            },
            "not the sum",
        ),
        (
            "a closure forged with another key",
            |f, k| {
                forge_closure(f, &SigningKey::from_bytes(&[9; 32]));
                resign(f, k)
            },
            "signature",
        ),
        (
            "signed by another key",
            |f, _| resign(f, &SigningKey::from_bytes(&[7; 32])),
            "signature",
        ),
    ];
    for (what, tamper, expected) in cases {
        let copy = tempfile::tempdir().unwrap();
        copy_dir(Path::new(&report.folder), copy.path());
        tamper(copy.path(), &key);
        let (ok, defect) = verdict(copy.path());
        assert!(!ok, "{what}: accepted");
        assert!(defect.contains(expected), "{what}: {defect}");
    }
}

/// An archive of November that also holds December's first records, signed by the till
/// itself: its records of another month are refused.
#[test]
fn a_record_of_another_month_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = november_closed(dir.path());
    let config = store.require_config().unwrap().clone();
    let key = crate::keys::load(dir.path()).unwrap().unwrap();
    let scope = archive_scope(&store.conn, ClosurePeriod::Month, "2026-11").unwrap();
    let out = tempfile::tempdir().unwrap();
    let extras = BundleExtras {
        archive: Some(ArchivePeriod {
            period: "month".into(),
            name: "2026-11".into(),
            closures: scope.numbers.clone(),
        }),
        files: vec![(
            relais_bundle::archive::CLOSURES_FILE.into(),
            relais_bundle::archive::closures_jsonl("T1", &scope.closures),
        )],
    };
    let options = ExportOptions {
        out: out.path().to_path_buf(),
        operator: "Marie".into(),
        ..ExportOptions::default()
    };
    for (range, expected) in [
        ((scope.range.0, scope.range.1 + 4), "2026-12-01"),
        ((scope.range.0, scope.range.1), ""),
    ] {
        let folder = out.path().join(format!("{}-{}", range.0, range.1));
        std::fs::create_dir_all(&folder).unwrap();
        store
            .write_bundle(&folder, &config, &key, range, &options, Some(&extras))
            .unwrap();
        let (ok, defect) = verdict(&folder);
        assert_eq!(ok, expected.is_empty(), "{range:?}: {defect}");
        assert!(defect.contains(expected), "{defect}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A training till's records are not real sales: they are never archived, nor extracted.
#[test]
fn a_training_till_is_never_archived() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .init(&crate::InitOptions {
            shop: relais_core::Shop {
                name: "Formation".into(),
                ..relais_core::Shop::default()
            },
            till: "T9".into(),
            training: true,
            ..crate::InitOptions::default()
        })
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let refused = archive(&mut store, "2026-11", out.path()).unwrap_err();
    assert_eq!(refused.kind(), "invalid_input");
    assert!(refused.message(relais_core::Lang::Fr).contains("formation"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}
