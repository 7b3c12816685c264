use super::*;
use crate::corrections::{RefundInput, RefundLineInput};
use crate::tests::hire_marie_and_paul;
use crate::tests::{init_store, sale};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

fn shop_with_staff(dir: &std::path::Path) -> Store {
    let mut store = init_store(dir);
    hire_marie_and_paul(&mut store);
    store
}

/// Marie (manager, PIN 1234) and Paul (cashier, PIN 5678).
fn refund_of(number: &str, operator: &str, approval: Option<Approval>) -> RefundInput {
    RefundInput {
        sale: number.into(),
        lines: vec![RefundLineInput {
            line: 0,
            qty: "1".into(),
        }],
        method: "cash".into(),
        reference: None,
        reason: "article abîmé".into(),
        operator: operator.into(),
        approval,
    }
}

#[test]
fn pins_are_hashed_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_staff(dir.path());
    let stored: String = store
        .conn
        .query_row("SELECT pin_hash FROM staff WHERE name = 'Paul'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        stored.starts_with("$argon2id$") && !stored.contains("5678"),
        "{stored}"
    );
    assert_eq!(
        store.login("paul", "5678").unwrap().role,
        Role::Cashier,
        "names match without case"
    );
    assert_eq!(
        store.login("Paul", "0000").unwrap_err().kind(),
        "bad_credentials"
    );
    assert_eq!(
        store.login("Nobody", "0000").unwrap_err().kind(),
        "bad_credentials"
    );
    let journal = store.journal(None).unwrap();
    assert!(journal.iter().any(|e| e.name == "login" && e.code == 80));
    assert!(journal.iter().any(|e| e.name == "login_failed"));
    assert!(
        !journal
            .iter()
            .any(|e| e.message.contains("5678") || e.message.contains("0000")),
        "PINs are never logged"
    );
}

#[test]
fn repeated_wrong_pins_lock_the_name_out_with_a_growing_delay() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_staff(dir.path());
    let now = Arc::new(AtomicI64::new(1_800_000_000));
    let clock = now.clone();
    store.set_clock(move || {
        chrono::DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).unwrap()
    });
    for _ in 0..3 {
        assert_eq!(
            store.authenticate("Paul", "0000").unwrap_err().kind(),
            "bad_credentials"
        );
    }
    let locked = store.authenticate("Paul", "5678").unwrap_err();
    assert!(
        matches!(locked, StoreError::LockedOut { seconds: 30 }),
        "{locked:?}"
    );
    now.fetch_add(31, Ordering::SeqCst);
    assert_eq!(
        store.authenticate("Paul", "0000").unwrap_err().kind(),
        "bad_credentials"
    );
    assert!(matches!(
        store.authenticate("Paul", "5678").unwrap_err(),
        StoreError::LockedOut { seconds: 60 }
    ));
    now.fetch_add(61, Ordering::SeqCst);
    assert!(
        store.authenticate("Paul", "5678").is_ok(),
        "the right PIN after the delay"
    );
    assert!(store.authenticate("Paul", "0000").is_err());
    assert!(
        store.authenticate("Paul", "5678").is_ok(),
        "a success resets the count"
    );
}

/// Who may do what: enforced by the store, whatever the screen shows.
#[test]
fn rights_are_enforced_in_the_backend() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_staff(dir.path());
    let mut by_paul = sale(300);
    by_paul.operator = Some("Paul".into());
    let sold = store.record_sale_as(&by_paul, None).unwrap();
    let mut by_stranger = sale(300);
    by_stranger.operator = Some("Mallory".into());
    assert_eq!(
        store.record_sale_as(&by_stranger, None).unwrap_err().kind(),
        "forbidden"
    );

    let cases: Vec<(&str, Option<Approval>, &str)> = vec![
        ("Paul", None, "forbidden"),
        (
            "Paul",
            Some(Approval {
                manager: "Marie".into(),
                pin: "9999".into(),
            }),
            "bad_credentials",
        ),
        (
            "Paul",
            Some(Approval {
                manager: "Paul".into(),
                pin: "5678".into(),
            }),
            "forbidden",
        ),
    ];
    for (operator, approval, kind) in cases {
        assert_eq!(
            store
                .refund_as(&refund_of(&sold.number, operator, approval.clone()))
                .unwrap_err()
                .kind(),
            kind
        );
        assert_eq!(
            store
                .void_sale_as(&sold.number, "erreur", operator, approval.as_ref())
                .unwrap_err()
                .kind(),
            kind
        );
    }
    assert_eq!(
        store
            .add_staff_as("Eve", Role::Cashier, "1111", "Paul")
            .unwrap_err()
            .kind(),
        "forbidden"
    );
    assert_eq!(
        store
            .set_staff_active_as("Marie", false, "Paul")
            .unwrap_err()
            .kind(),
        "forbidden"
    );

    let approval = Approval {
        manager: "Marie".into(),
        pin: "1234".into(),
    };
    let refund = store
        .refund_as(&refund_of(&sold.number, "Paul", Some(approval)))
        .unwrap();
    assert_eq!(refund.total_cents, -300);
    let journal = store.journal(None).unwrap();
    let over = journal
        .iter()
        .find(|e| e.name == "rights_change" && e.message.contains("autorise"))
        .expect("override journaled");
    assert!(
        over.message.contains("Marie") && over.message.contains("Paul"),
        "{}",
        over.message
    );
    let refund_record = store.find(&refund.number).unwrap().0;
    assert_eq!(refund_record.operator, "Paul");
    assert!(
        store
            .void_sale_as(&sold.number, "erreur", "Marie", None)
            .is_err(),
        "a refunded sale is not voided"
    );
    assert!(store.verify().unwrap().defect.is_none());
}

#[test]
fn the_last_active_manager_cannot_be_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_staff(dir.path());
    let refused = store
        .set_staff_active_as("Marie", false, "Marie")
        .unwrap_err();
    assert_eq!(refused.kind(), "invalid_input");
    assert!(store.login("Marie", "1234").is_ok(), "still a manager");
    store
        .add_staff_as("Lucie", Role::Manager, "4321", "Marie")
        .unwrap();
    store.set_staff_active_as("Marie", false, "Lucie").unwrap();
    assert_eq!(
        store
            .set_staff_active_as("Lucie", false, "Lucie")
            .unwrap_err()
            .kind(),
        "invalid_input",
        "Lucie is now the last one"
    );
}

#[test]
fn disabled_staff_can_no_longer_log_in_or_sell() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_staff(dir.path());
    store.set_staff_active_as("Paul", false, "Marie").unwrap();
    assert_eq!(
        store.login("Paul", "5678").unwrap_err().kind(),
        "bad_credentials"
    );
    let mut by_paul = sale(100);
    by_paul.operator = Some("Paul".into());
    assert_eq!(
        store.record_sale_as(&by_paul, None).unwrap_err().kind(),
        "forbidden"
    );
    store.change_pin_as("Marie", "4321", "Marie").unwrap();
    assert!(store.login("Marie", "4321").is_ok());
    assert_eq!(
        store
            .add_staff_as("Zoé", Role::Cashier, "12", "Marie")
            .unwrap_err()
            .kind(),
        "invalid_input"
    );
}

/// Every staff change and its journal record are one transaction: when the journal cannot
/// be written, the change is not made either (before, the change was committed first).
#[test]
fn a_staff_change_is_never_left_without_its_journal_record() {
    type Change = fn(&mut Store) -> Result<()>;
    let cases: [(&str, Change); 5] = [
        ("add", |s| {
            s.add_staff_as("Léa", Role::Cashier, "2468", "Marie")
                .map(|_| ())
        }),
        ("disable", |s| {
            s.set_staff_active_as("Paul", false, "Marie").map(|_| ())
        }),
        ("new PIN", |s| s.change_pin_as("Paul", "9999", "Marie")),
        ("wrong PIN", |s| s.authenticate("Paul", "0000").map(|_| ())),
        ("login", |s| s.login("Paul", "5678").map(|_| ())),
    ];
    let snapshot = |store: &Store| -> (Vec<String>, u64) {
        let mut statement = store
            .conn
            .prepare("SELECT name || active || pin_hash || failed_attempts || COALESCE(locked_until, '') FROM staff ORDER BY id")
            .unwrap();
        let rows = statement
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let records = store
            .conn
            .query_row("SELECT COUNT(*) FROM ledger", [], |r| r.get(0))
            .unwrap();
        (rows, records)
    };
    for (what, change) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut store = shop_with_staff(dir.path());
        let before = snapshot(&store);
        crate::tests::break_journal(&store);
        assert!(change(&mut store).is_err(), "{what}: the journal failed");
        assert_eq!(snapshot(&store), before, "{what}: nothing changed");
        crate::tests::repair_journal(&store);
        let _ = change(&mut store);
        assert_ne!(
            snapshot(&store),
            before,
            "{what}: the change is made once the journal works"
        );
    }
}

#[test]
fn nobody_disables_themselves_whatever_program_asks() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_staff(dir.path());
    store
        .add_staff_as("Jeanne", Role::Manager, "1357", "Marie")
        .unwrap();
    let refused = store
        .set_staff_active_as("marie", false, "Marie")
        .unwrap_err();
    assert_eq!(refused.kind(), "forbidden");
    assert_eq!(
        refused.message(relais_core::Lang::Fr),
        "vous ne pouvez pas vous désactiver vous-même"
    );
    assert!(store.staff().unwrap().iter().all(|p| p.active));
    // Another manager may.
    let disabled = store.set_staff_active_as("Marie", false, "Jeanne").unwrap();
    assert!(!disabled.active);
}

/// Importing a price list and exporting are a manager's, whatever program asks: the store
/// checks it, not only the app's shell. Before any staff, the till is still being set up and
/// anyone may.
#[test]
fn catalogue_imports_and_exports_are_a_managers() {
    type Attempt = fn(&mut Store, &str, &std::path::Path) -> Result<()>;
    fn import(store: &mut Store, who: &str, files: &std::path::Path, dry_run: bool) -> Result<()> {
        let options = crate::catalog::ImportOptions {
            operator: who.into(),
            dry_run,
            ..Default::default()
        };
        store
            .import_catalog_as(&files.join("tarifs.csv"), &options)
            .map(|_| ())
    }
    let attempts: [(&str, Attempt); 3] = [
        ("import", |s, who, files| import(s, who, files, false)),
        ("preview", |s, who, files| import(s, who, files, true)),
        ("export", |s, who, files| {
            let options = crate::export::ExportOptions {
                out: files.join(format!("usb-{who}")),
                operator: who.into(),
                ..Default::default()
            };
            s.export_as(&options).map(|_| ())
        }),
    ];
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    std::fs::write(
        files.path().join("tarifs.csv"),
        "EAN;Libellé;Prix TTC;TVA\n3760000000017;Pain;1,20;5,5\n",
    )
    .unwrap();
    let mut store = init_store(dir.path());
    for (what, attempt) in &attempts {
        attempt(&mut store, "anyone", files.path())
            .unwrap_or_else(|e| panic!("{what} before any staff: {e}"));
    }
    hire_marie_and_paul(&mut store);
    for (what, attempt) in &attempts {
        for refused in ["Paul", "Nobody"] {
            let error = attempt(&mut store, refused, files.path()).unwrap_err();
            assert_eq!(error.kind(), "forbidden", "{what} by {refused}: {error}");
        }
        attempt(&mut store, "Marie", files.path())
            .unwrap_or_else(|e| panic!("{what} by Marie: {e}"));
    }
}
