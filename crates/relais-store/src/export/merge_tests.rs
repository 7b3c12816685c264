//! Bundles of several tills merged into the shop's, and the re-entry of what a bundle holds
//! into the usual software, tracked until nothing is left.

use super::alteration_tests::{assert_every_alteration_is_caught, Sampling};
use super::tests::{export, sale};
use super::*;

fn simple_till(dir: &Path, till: &str) -> Store {
    let mut store = Store::open(dir).unwrap();
    store
        .init(&crate::InitOptions {
            shop: relais_core::Shop {
                name: "Épicerie".into(),
                ..Default::default()
            },
            till: till.into(),
            ..Default::default()
        })
        .unwrap();
    store
}

/// A till's data copied to a second PC (a USB stick, a backup restored elsewhere), opened there.
fn copy_of(till: &Path, to: &Path) -> Store {
    std::fs::create_dir_all(to).unwrap();
    for file in ["relais.db", "relais.db-wal", "till.key"] {
        std::fs::copy(till.join(file), to.join(file)).unwrap();
    }
    Store::open(to).unwrap()
}

#[test]
fn tills_merge_into_one_shop_bundle_and_conflicts_are_reported() {
    let work = tempfile::tempdir().unwrap();
    let mut t1 = simple_till(&work.path().join("t1"), "T1");
    let mut t2 = simple_till(&work.path().join("t2"), "T2");
    t1.record_sale_as(&sale("Pain", 120, 550, "cash"), Some("a"))
        .unwrap();
    t2.record_sale_as(&sale("Tasse", 900, 2000, "card"), Some("b"))
        .unwrap();
    let b1 = export(&mut t1, &work.path().join("usb"));
    let b2 = export(&mut t2, &work.path().join("usb"));
    let sources = [
        PathBuf::from(&b1.folder),
        PathBuf::from(&b2.folder),
        PathBuf::from(&b1.folder),
    ];
    let merged = merge_bundles(&sources, &work.path().join("shop")).unwrap();
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.tills, ["T1", "T2"]);
    assert!(
        merged.duplicates_dropped > 0,
        "the same bundle twice is counted once"
    );
    let folder = PathBuf::from(merged.folder.unwrap());
    let verdict = verify_bundle(&folder).unwrap();
    assert!(verdict.ok, "{:?}", verdict.defect);
    let steps: Vec<&str> = verdict.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps, ["signature", "files", "chain", "derived"]);
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(
        (manifest.totals.sales, manifest.totals.total_cents.0),
        (2, 1020)
    );

    // A till's data copied to a second PC, then both used: the same sale id with other content.
    let mut twin = copy_of(&work.path().join("t1"), &work.path().join("t1-copy"));
    let id = uuid::Uuid::now_v7();
    let mut mine = sale("Pain", 120, 550, "cash");
    mine.id = Some(id);
    t1.record_sale_as(&mine, Some("a")).unwrap();
    let mut theirs = sale("Baguette", 130, 550, "cash");
    theirs.id = Some(id);
    twin.record_sale_as(&theirs, Some("a")).unwrap();
    let c1 = export(&mut t1, &work.path().join("usb-a"));
    let c2 = export(&mut twin, &work.path().join("usb-b"));
    let report = merge_bundles(
        &[PathBuf::from(c1.folder), PathBuf::from(c2.folder)],
        &work.path().join("shop2"),
    )
    .unwrap();
    assert!(
        report.folder.is_none(),
        "no bundle is written when records conflict"
    );
    assert!(
        report.conflicts.iter().any(|c| c.id == id.to_string()),
        "{:?}",
        report.conflicts
    );
}

#[test]
fn re_entry_is_tracked_until_nothing_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = simple_till(&dir.path().join("t"), "T1");
    for _ in 0..3 {
        store
            .record_sale_as(&sale("Pain", 120, 550, "cash"), Some("a"))
            .unwrap();
    }
    let status = store.status().unwrap();
    assert_eq!((status.unexported_sales, status.not_reentered), (3, 3));
    export(&mut store, &dir.path().join("usb"));
    assert_eq!(store.status().unwrap().unexported_sales, 0, "exported");
    assert!(store
        .mark_reentered_as("T1-000001", "SAAS-77", "a")
        .unwrap());
    assert!(
        !store
            .mark_reentered_as("T1-000001", "SAAS-77", "a")
            .unwrap(),
        "marked once"
    );
    let file = dir.path().join("ressaisie.csv");
    std::fs::write(&file, "T1-000002;SAAS-78\nT1-000099;SAAS-79\n").unwrap();
    let import = store.import_reentries_as(&file, "a").unwrap();
    assert_eq!(
        (import.marked, import.already, import.unknown.len()),
        (1, 0, 1)
    );
    assert_eq!(import.unknown[0], (2, "T1-000099".to_string()));
    let left = store.reentry_status().unwrap();
    assert_eq!(left.left, 1);
    let shown = |kind: Option<&str>, limit: u32| {
        let left = store.reentry_left(kind, limit).unwrap();
        let numbers: Vec<String> = left.items.iter().map(|i| i.number.clone()).collect();
        (numbers, left.more)
    };
    let sale_left = store.reentry_left(None, 10).unwrap().items.remove(0);
    assert_eq!(
        (sale_left.kind.as_str(), sale_left.total_cents),
        ("sale", Some(120))
    );
    // The automatic day opening is a day_open, not something to re-enter; the sale is.
    for (kind, limit, expected, more) in [
        (None, 10, vec!["T1-000003"], 0),
        (Some("sale"), 10, vec!["T1-000003"], 0),
        (Some("order"), 10, vec![], 0),
        (None, 0, vec![], 1),
    ] {
        assert_eq!(
            shown(kind, limit),
            (expected.iter().map(|n| n.to_string()).collect(), more),
            "{kind:?}, {limit}"
        );
    }
    assert!(
        store.mark_reentered_as("T1-E000001", "x", "a").is_err(),
        "events are not re-entered"
    );
}

/// Two tills' bundles, the second one zipped, merged into a shop bundle.
fn merged_shop(work: &Path) -> PathBuf {
    let mut t1 = simple_till(&work.join("t1"), "T1");
    let mut t2 = simple_till(&work.join("t2"), "T2");
    for price in [120, 340] {
        t1.record_sale_as(&sale("Pain", price, 550, "cash"), Some("a"))
            .unwrap();
    }
    t2.record_sale_as(&sale("Tasse", 900, 2000, "card"), Some("b"))
        .unwrap();
    let b1 = export(&mut t1, &work.join("usb"));
    let b2 = t2
        .export_as(&ExportOptions {
            out: work.join("usb"),
            zip: true,
            operator: "b".into(),
            ..Default::default()
        })
        .unwrap();
    let sources = [PathBuf::from(b1.folder), PathBuf::from(b2.zip.unwrap())];
    let merged = merge_bundles(&sources, &work.join("shop")).unwrap();
    PathBuf::from(merged.folder.expect("merged"))
}

/// A merged bundle is signed by nobody, yet nothing in it can be changed: not one byte, and
/// not a CSV amount with its fingerprint put right in the manifest.
#[test]
fn a_merged_bundle_cannot_be_altered_even_with_its_fingerprints_put_right() {
    let work = tempfile::tempdir().unwrap();
    let folder = merged_shop(work.path());
    assert_every_alteration_is_caught(
        &folder,
        Sampling {
            manifest_step: 23,
            per_file: 6,
        },
    );
    for file in ["csv/sales.csv", "excel-fr/sales.csv", "report.html"] {
        let path = folder.join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        let forged = original
            .replacen("3.40", "0.34", 1)
            .replacen("3,40", "0,34", 1)
            .replacen("13,60", "1,36", 1);
        assert!(forged != original, "{file} shows the amounts");
        std::fs::write(&path, &forged).unwrap();
        let manifest_path = folder.join("manifest.json");
        let manifest_text = std::fs::read_to_string(&manifest_path).unwrap();
        let mut manifest: Manifest = serde_json::from_str(&manifest_text).unwrap();
        let entry = manifest.files.iter_mut().find(|f| f.path == file).unwrap();
        entry.sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(forged.as_bytes()));
        entry.bytes = forged.len() as u64;
        std::fs::write(&manifest_path, manifest.to_bytes().unwrap()).unwrap();
        let verdict = verify_bundle(&folder).unwrap();
        assert!(!verdict.ok, "{file} forged unnoticed");
        let derived = verdict.steps.iter().find(|s| s.step == "derived").unwrap();
        assert!(!derived.ok, "{file}: {:?}", verdict.steps);
        std::fs::write(&path, original).unwrap();
        std::fs::write(&manifest_path, manifest_text).unwrap();
        assert!(verify_bundle(&folder).unwrap().ok, "{file} restored");
    }
}

/// A till's data copied to a second PC and both used: the two chains fork at the same
/// position with different records, which is a conflict, not a missing USB stick.
#[test]
fn a_till_forked_onto_two_pcs_is_reported_as_a_conflict() {
    let work = tempfile::tempdir().unwrap();
    let mut t1 = simple_till(&work.path().join("t1"), "T1");
    t1.record_sale_as(&sale("Pain", 120, 550, "cash"), Some("a"))
        .unwrap();
    let mut twin = copy_of(&work.path().join("t1"), &work.path().join("t1-copy"));
    t1.record_sale_as(&sale("Pain", 120, 550, "cash"), Some("a"))
        .unwrap();
    twin.record_sale_as(&sale("Baguette", 130, 550, "cash"), Some("a"))
        .unwrap();
    let b1 = export(&mut t1, &work.path().join("usb-a"));
    let b2 = export(&mut twin, &work.path().join("usb-b"));
    let report = merge_bundles(
        &[PathBuf::from(b1.folder), PathBuf::from(b2.folder)],
        &work.path().join("shop"),
    )
    .unwrap();
    assert!(report.folder.is_none(), "nothing is written");
    assert!(!report.conflicts.is_empty());
    assert!(
        report
            .conflicts
            .iter()
            .all(|c| c.till == "T1" && c.what_fr.contains("copiées sur un autre PC")),
        "{:?}",
        report.conflicts
    );
}
