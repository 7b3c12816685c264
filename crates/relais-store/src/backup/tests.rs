use super::*;
use crate::staff::Role;
use crate::tests::{init_store, sale};

#[test]
fn a_backup_restored_on_another_pc_continues_the_same_chain() {
    let work = tempfile::tempdir().unwrap();
    let mut store = init_store(&work.path().join("till"));
    store.record_sale_as(&sale(120), None).unwrap();
    let usb = work.path().join("usb");
    let report = store.backup_as(&usb, "a").unwrap();
    assert!(report.records >= 4 && report.head_hash.is_some());
    assert!(store.status().unwrap().last_backup.is_some());
    let other_pc = work.path().join("other-pc");
    let restored = restore(Path::new(&report.folder), &other_pc, "a").unwrap();
    assert_eq!(restored.records, report.records);
    let mut moved = Store::open(&other_pc).unwrap();
    let next = moved.record_sale_as(&sale(130), None).unwrap();
    assert_eq!(next.number, "T1-000002", "numbering goes on");
    assert!(moved.verify().unwrap().defect.is_none());
    assert!(
        restore(Path::new(&report.folder), &other_pc, "a").is_err(),
        "never over an existing till"
    );
    assert!(moved
        .journal(None)
        .unwrap()
        .iter()
        .any(|e| e.name == "restore"));
}

#[test]
fn backups_are_rotated_and_made_after_closures_and_every_n_sales() {
    let work = tempfile::tempdir().unwrap();
    let mut store = init_store(&work.path().join("till"));
    store
        .add_staff_as("Marie", Role::Manager, "1234", "setup")
        .unwrap();
    let usb = work.path().join("usb");
    for _ in 0..(KEEP + 2) {
        store.backup_as(&usb, "Marie").unwrap();
    }
    assert_eq!(std::fs::read_dir(&usb).unwrap().count(), KEEP);
    let auto = work.path().join("auto");
    store.configure_backups_as(Some(&auto), 2, "Marie").unwrap();
    let mut by_marie = sale(100);
    by_marie.operator = Some("Marie".into());
    store.record_sale_as(&by_marie, None).unwrap();
    assert!(!auto.exists(), "not yet: 1 sale of 2");
    store.record_sale_as(&by_marie, None).unwrap();
    assert_eq!(
        std::fs::read_dir(&auto).unwrap().count(),
        1,
        "after 2 sales"
    );
    store
        .close_day_as(&crate::CloseDayInput {
            operator: "Marie".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        std::fs::read_dir(&auto).unwrap().count(),
        2,
        "after the closure"
    );
}

#[test]
fn a_damaged_database_is_detected_at_opening_or_check() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("till");
    let mut store = init_store(&dir);
    for price in 100..160 {
        store.record_sale_as(&sale(price), None).unwrap();
    }
    let usb = work.path().join("usb");
    let backup = store.backup_as(&usb, "a").unwrap();
    drop(store);
    let db = dir.join(crate::DB_FILE);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[4096..8192] {
        *b = 0xAB;
    }
    std::fs::write(&db, &bytes).unwrap();
    let outcome = Store::open(&dir).and_then(|mut s| s.check_health().map(|_| s));
    assert_eq!(outcome.err().map(|e| e.kind().as_str()), Some("corrupt"));
    assert!(
        verify_backup(Path::new(&backup.folder)).is_ok(),
        "the backup is the way back"
    );
    let damaged = std::fs::read(&db).unwrap();
    let empty = work.path().join("empty");
    Store::open(&empty).unwrap();
    for (name, wrong) in [("missing", usb.join("missing")), ("empty", empty)] {
        assert!(
            restore_over(&wrong, &dir, "Marie").is_err(),
            "{name}: a bad backup is refused"
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            damaged,
            "{name}: nothing moved"
        );
    }
    assert!(
        !usb.join("missing").exists(),
        "a wrong folder is not created"
    );
    restore_over(Path::new(&backup.folder), &dir, "Marie").unwrap();
    let mut back = Store::open(&dir).unwrap();
    back.check_health().unwrap();
    assert!(back.verify().unwrap().defect.is_none());
    assert_eq!(
        back.record_sale_as(&sale(99), None).unwrap().number,
        "T1-000061"
    );
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("endommage-"))
        .collect();
    let names: Vec<_> = aside.iter().map(|e| e.file_name()).collect();
    assert_eq!(
        aside.len(),
        1,
        "the damaged files are kept aside: {names:?}"
    );
    assert!(aside[0].path().join(crate::DB_FILE).exists());
}

#[test]
fn backup_settings_read_back_what_was_configured() {
    let work = tempfile::tempdir().unwrap();
    let mut store = init_store(&work.path().join("till"));
    store
        .add_staff_as("Marie", Role::Manager, "1234", "setup")
        .unwrap();
    let fresh = store.backup_settings().unwrap();
    assert_eq!(
        (fresh.folder, fresh.every_sales, fresh.last_backup),
        (None, 0, None)
    );
    let usb = work.path().join("usb");
    store.configure_backups_as(Some(&usb), 25, "Marie").unwrap();
    store.backup_as(&usb, "Marie").unwrap();
    let set = store.backup_settings().unwrap();
    assert_eq!(set.folder, Some(usb.display().to_string()));
    assert_eq!(set.every_sales, 25);
    assert!(set.last_backup.is_some());
}
