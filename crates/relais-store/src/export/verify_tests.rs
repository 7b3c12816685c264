use super::tests::{busy_till, export};
use super::*;
use std::path::{Path, PathBuf};

/// What each check says, file by file, after one change to a fresh bundle.
#[test]
fn each_check_and_each_file_gets_its_own_verdict() {
    type Change = fn(&Path);
    let cases: [(&str, Change, [bool; 3], &str, &str); 5] = [
        ("untouched", |_| {}, [true, true, true], "", ""),
        (
            "one byte of a CSV file",
            |f| flip_byte(&f.join("excel-fr/sales.csv")),
            [true, false, true],
            "excel-fr/sales.csv",
            "altered",
        ),
        (
            "one byte of the records",
            |f| flip_byte(&f.join("records.jsonl")),
            [true, false, false],
            "records.jsonl",
            "altered",
        ),
        (
            "a file removed",
            |f| std::fs::remove_file(f.join("report.html")).unwrap(),
            [true, false, true],
            "report.html",
            "missing",
        ),
        (
            "a file added",
            |f| std::fs::write(f.join("notes.txt"), "hello").unwrap(),
            [true, false, true],
            "notes.txt",
            "unlisted",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    for (what, change, expected, path, state) in cases {
        let out = tempfile::tempdir().unwrap();
        let folder = PathBuf::from(export(&mut store, out.path()).folder);
        change(&folder);
        let verdict = verify_bundle(&folder).unwrap();
        let steps: Vec<(&str, bool)> = verdict
            .steps
            .iter()
            .map(|s| (s.step.as_str(), s.ok))
            .collect();
        assert_eq!(
            steps,
            [
                ("signature", expected[0]),
                ("files", expected[1]),
                ("chain", expected[2])
            ],
            "{what}"
        );
        assert_eq!(verdict.ok, expected.iter().all(|ok| *ok), "{what}");
        for s in &verdict.steps {
            assert_eq!(
                s.ok,
                s.defect_fr.is_none(),
                "{what}: {} has a defect exactly when it fails",
                s.step
            );
        }
        let bad: Vec<(&str, &str)> = verdict
            .file_states
            .iter()
            .filter(|f| f.state != "ok")
            .map(|f| (f.path.as_str(), f.state.as_str()))
            .collect();
        let want: Vec<(&str, &str)> = if path.is_empty() {
            vec![]
        } else {
            vec![(path, state)]
        };
        assert_eq!(bad, want, "{what}");
        assert!(
            verdict.file_states.len() >= verdict.files,
            "{what}: every listed file has a state"
        );
    }
}

#[test]
fn an_edited_manifest_fails_its_signature_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    let folder = PathBuf::from(export(&mut store, out.path()).folder);
    let path = folder.join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"shop\"", "\"shop\" ", 1)).unwrap();
    let verdict = verify_bundle(&folder).unwrap();
    assert!(!verdict.ok);
    assert_eq!(verdict.steps.len(), 1);
    assert_eq!(
        (verdict.steps[0].step.as_str(), verdict.steps[0].ok),
        ("signature", false)
    );
}

/// Lines in canonical form are read without a JSON tree, any other line by parsing it; the
/// chain's verdict is the same either way: a respaced line still chains, and a changed
/// record is named with the same defect.
#[test]
fn the_chain_says_the_same_of_canonical_and_respaced_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    let folder = PathBuf::from(export(&mut store, out.path()).folder);
    let jsonl = folder.join("records.jsonl");
    let original = std::fs::read_to_string(&jsonl).unwrap();
    let chain_step = |text: &str| {
        std::fs::write(&jsonl, text).unwrap();
        let verdict = verify_bundle(&folder).unwrap();
        let chain = verdict.steps.iter().find(|s| s.step == "chain").unwrap();
        (chain.ok, chain.defect.clone(), chain.defect_fr.clone())
    };
    let respaced = original.replace("\",\"pos\":", "\", \"pos\" :");
    assert_ne!(respaced, original);
    assert_eq!(
        chain_step(&respaced),
        (true, None, None),
        "respaced lines chain"
    );

    let seventh = original.lines().nth(6).unwrap();
    let changed = seventh.replacen("\"operator\":\"", "\"operator\":\"x", 1);
    assert_ne!(changed, seventh);
    let canonical = chain_step(&original.replacen(seventh, &changed, 1));
    let spaced = chain_step(&original.replacen(seventh, &changed.replacen(':', " :", 1), 1));
    assert!(!canonical.0);
    assert!(
        canonical.1.as_ref().unwrap().contains("line 7"),
        "{canonical:?}"
    );
    assert_eq!(canonical, spaced);
}

/// Every kind of record an exported bundle holds is read from its canonical members
/// exactly as serde reads it from its text.
#[test]
fn records_read_from_canonical_members_are_those_serde_reads() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    let folder = PathBuf::from(export(&mut store, out.path()).folder);
    let text = std::fs::read_to_string(folder.join("records.jsonl")).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for line in text.lines() {
        let (members, fields) =
            relais_core::canonical::canonical_members_nested(line, "record").unwrap();
        let body = members.iter().find(|(k, _)| *k == "record").unwrap().1;
        let serde: relais_core::Record = serde_json::from_str(body).unwrap();
        kinds.insert(serde.kind().code());
        assert_eq!(relais_core::Record::from_canonical(&fields), Some(serde));
    }
    for kind in ["sale", "refund", "void", "closure", "event", "day_open"] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
}

fn flip_byte(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

/// A manifest signed with the till's own key but saying a series ends elsewhere than the
/// records do (what an independent verifier must catch too: `last_seq` is checked).
#[test]
fn a_series_must_end_on_the_manifests_last_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    let folder = PathBuf::from(export(&mut store, out.path()).folder);
    let path = folder.join("manifest.json");
    let mut manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    *manifest.tills[0].last_seq.get_mut("ticket").unwrap() += 1;
    let key = crate::keys::load(dir.path()).unwrap().unwrap();
    manifest.sign(&key).unwrap();
    std::fs::write(&path, manifest.to_bytes().unwrap()).unwrap();
    let verdict = verify_bundle(&folder).unwrap();
    assert!(!verdict.ok);
    assert!(
        verdict.defect.as_deref().unwrap_or("").contains("last_seq"),
        "{:?}",
        verdict.defect
    );
}
