//! Tampering: every single-byte change, deleted line or deleted file of a bundle is caught
//! by the verifier.

use super::tests::{busy_till, export};
use super::*;

/// Every single-byte change, deleted line or deleted file is caught by the verifier.
#[test]
fn every_alteration_of_a_bundle_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    let folder = PathBuf::from(export(&mut store, out.path()).folder);
    assert_every_alteration_is_caught(
        &folder,
        Sampling {
            manifest_step: 5,
            per_file: 20,
        },
    );
}

/// How densely a bundle's files are changed: one byte in `manifest_step` of the manifest
/// (which holds the signature and every file's fingerprint), and `per_file` bytes spread over
/// every other file, its first and last included. Each verification takes milliseconds.
pub(super) struct Sampling {
    pub manifest_step: usize,
    pub per_file: usize,
}

impl Sampling {
    fn positions(&self, file: &str, len: usize) -> Vec<usize> {
        let step = match file {
            "manifest.json" => self.manifest_step,
            _ => (len / self.per_file).max(1),
        };
        let mut at: Vec<usize> = (0..len).step_by(step).collect();
        at.push(len - 1);
        at
    }
}

/// Every change of one byte (a bit, or the case of a letter: hex digits decode the same in
/// either case), every deleted file and every deleted record line must be reported.
pub(super) fn assert_every_alteration_is_caught(folder: &Path, sampling: Sampling) {
    assert!(
        verify_bundle(folder).unwrap().ok,
        "the bundle verifies before any change"
    );
    let mut files = Vec::new();
    collect_bundle_files(folder, &mut files);
    let mut tried = 0;
    for file in &files {
        let path = folder.join(file);
        let original = std::fs::read(&path).unwrap();
        for at in sampling.positions(file, original.len()) {
            for flip in [0x01, 0x20] {
                let mut changed = original.clone();
                changed[at] ^= flip;
                std::fs::write(&path, &changed).unwrap();
                let verdict = verify_bundle(folder).map(|v| v.ok).unwrap_or(false);
                let around = &original[at.saturating_sub(40)..(at + 40).min(original.len())];
                assert!(
                    !verdict,
                    "{file}: byte {at} ^ {flip:#x} changed unnoticed, in {}",
                    String::from_utf8_lossy(around)
                );
                tried += 1;
            }
        }
        std::fs::remove_file(&path).unwrap();
        assert!(
            !verify_bundle(folder).map(|v| v.ok).unwrap_or(false),
            "{file} deleted unnoticed"
        );
        std::fs::write(&path, &original).unwrap();
    }
    let verdict = verify_bundle(folder).unwrap();
    assert!(verdict.ok, "restored: {:?}", verdict.defect);
    let jsonl = folder.join("records.jsonl");
    let text = std::fs::read_to_string(&jsonl).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for skip in 0..lines.len() {
        let kept: String = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        std::fs::write(&jsonl, kept).unwrap();
        assert!(
            !verify_bundle(folder).map(|v| v.ok).unwrap_or(false),
            "line {skip} deleted unnoticed"
        );
    }
    std::fs::write(&jsonl, text).unwrap();
    assert!(
        tried >= 2 * sampling.per_file * files.len(),
        "only {tried} changes tried"
    );
}

/// The files' hashes and the chain are checked side by side; when both would fail, the
/// verdict still names the file's hash first, as it did when they ran one after the other.
#[test]
fn a_changed_record_is_reported_by_its_file_hash_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    let folder = PathBuf::from(export(&mut store, out.path()).folder);
    let jsonl = folder.join("records.jsonl");
    let text = std::fs::read_to_string(&jsonl).unwrap();
    std::fs::write(
        &jsonl,
        text.replacen("\"total_cents\":", "\"total_cents\":9", 1),
    )
    .unwrap();
    let verdict = verify_bundle(&folder).unwrap();
    assert!(!verdict.ok);
    let defect = verdict.defect.unwrap();
    assert!(
        defect.starts_with("records.jsonl: SHA-256"),
        "the file's hash first: {defect}"
    );
    assert_eq!(
        verdict.records, 0,
        "no record counted when a file is altered"
    );
}
