//! Who acts: an `Actor` or a `Manager` is only made by the store's checks, and every write
//! method takes one, so a write cannot happen for someone the checks refuse.

use super::*;
use crate::tests::{hire_marie_and_paul, init_store, sale};
use crate::StoreError;

/// Marie (manager, 1234), Paul (cashier, 5678), Zoé (cashier, disabled), one sale by Paul.
fn shop(dir: &std::path::Path) -> Store {
    let mut store = init_store(dir);
    hire_marie_and_paul(&mut store);
    let marie = store.own_manager("Marie").unwrap();
    store
        .add_staff("Zoé", Role::Cashier, "4321", &marie)
        .unwrap();
    store.set_staff_active("Zoé", false, &marie).unwrap();
    let paul = store.actor("Paul").unwrap();
    store.record_sale(&sale(100), &paul).unwrap();
    store
}

fn ledger_size(store: &Store) -> i64 {
    store
        .conn
        .query_row("SELECT COUNT(*) FROM ledger", [], |r| r.get(0))
        .unwrap()
}

#[derive(Debug, PartialEq)]
enum Refused {
    NotStaff,
    ManagerNeeded,
    NotAManager,
    BadCredentials,
}

fn refused(error: StoreError) -> Refused {
    match error {
        StoreError::Forbidden(Refusal::NotStaff(_)) => Refused::NotStaff,
        StoreError::Forbidden(Refusal::ManagerNeeded(_)) => Refused::ManagerNeeded,
        StoreError::Forbidden(Refusal::NotAManager(_)) => Refused::NotAManager,
        StoreError::BadCredentials => Refused::BadCredentials,
        other => panic!("unexpected refusal {other:?}"),
    }
}

#[test]
fn an_actor_is_active_staff_checked_once_with_their_role() {
    let dir = tempfile::tempdir().unwrap();
    let store = shop(dir.path());
    let cases: [(&str, Result<Option<Role>, Refused>); 5] = [
        ("Marie", Ok(Some(Role::Manager))),
        ("paul", Ok(Some(Role::Cashier))),
        ("Zoé", Err(Refused::NotStaff)),
        ("zoe", Err(Refused::NotStaff)),
        ("Nobody", Err(Refused::NotStaff)),
    ];
    for (name, expected) in cases {
        let got = store.actor(name).map(|a| a.role()).map_err(refused);
        assert_eq!(got, expected, "{name}");
    }
    assert_eq!(
        store.actor("paul").unwrap().name(),
        "paul",
        "the name as given"
    );
}

#[test]
fn a_till_without_staff_takes_any_name_with_a_managers_rights() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let anyone = store.actor("script").unwrap();
    assert_eq!(anyone.role(), None);
    assert!(anyone.is_manager());
    let manager = store.manager(&anyone, None).unwrap();
    assert_eq!(manager.approver(), None);
    store.record_sale(&sale(100), &anyone).unwrap();
    store
        .void_sale("T1-000001", "erreur", &manager)
        .expect("no staff: anyone voids, as before");
}

/// Who acts, the approval given, and the approving manager (or the refusal).
type ProofCase = (
    &'static str,
    Option<Approval>,
    Result<Option<&'static str>, Refused>,
);

#[test]
fn a_managers_proof_is_the_operator_or_an_approval_by_pin() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let approval = |manager: &str, pin: &str| {
        Some(Approval {
            manager: manager.into(),
            pin: pin.into(),
        })
    };
    let cases: [ProofCase; 7] = [
        ("Marie", None, Ok(None)),
        ("Paul", None, Err(Refused::ManagerNeeded)),
        ("Paul", approval("Marie", "1234"), Ok(Some("Marie"))),
        (
            "Paul",
            approval("marie", "0000"),
            Err(Refused::BadCredentials),
        ),
        ("Paul", approval("Paul", "5678"), Err(Refused::NotAManager)),
        ("Zoé", approval("Marie", "1234"), Err(Refused::NotStaff)),
        ("Nobody", None, Err(Refused::NotStaff)),
    ];
    for (operator, approval, expected) in cases {
        let got = store
            .manager_named(operator, approval.as_ref())
            .map(|m| m.approver().map(String::from))
            .map_err(refused);
        assert_eq!(
            got,
            expected.map(|a| a.map(String::from)),
            "{operator} with {approval:?}"
        );
    }
    let refusals = [
        store.own_manager("Paul").map(|_| ()),
        store.own_manager("Zoé").map(|_| ()),
    ];
    assert_eq!(
        refusals.map(|r| r.map_err(refused)),
        [Err(Refused::ManagerNeeded), Err(Refused::NotStaff)]
    );
}

#[test]
fn nothing_is_written_for_someone_the_checks_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let before = ledger_size(&store);
    // Each write reached through the store's checks, as the CLI and the app reach them.
    type Attempt = fn(&mut Store) -> Result<()>;
    let cases: [(&str, Attempt, Refused); 6] = [
        (
            "a sale by a disabled cashier",
            |s| {
                let by = s.actor("Zoé")?;
                s.record_sale(&sale(100), &by).map(|_| ())
            },
            Refused::NotStaff,
        ),
        (
            "a sale by a stranger",
            |s| {
                let by = s.sale_actor(&sale(100), None)?;
                s.record_sale(&sale(100), &by).map(|_| ())
            },
            Refused::NotStaff,
        ),
        (
            "a void by a cashier alone",
            |s| {
                let by = s.manager_named("Paul", None)?;
                s.void_sale("T1-000001", "erreur", &by).map(|_| ())
            },
            Refused::ManagerNeeded,
        ),
        (
            "a void by a disabled cashier with a manager's PIN",
            |s| {
                let approval = Approval {
                    manager: "Marie".into(),
                    pin: "1234".into(),
                };
                let by = s.manager_named("Zoé", Some(&approval))?;
                s.void_sale("T1-000001", "erreur", &by).map(|_| ())
            },
            Refused::NotStaff,
        ),
        (
            "printer settings by a cashier",
            |s| {
                let by = s.own_manager("Paul")?;
                s.set_printer_settings(&crate::PrinterSettings::default(), &by)
            },
            Refused::ManagerNeeded,
        ),
        (
            "a staff change by a disabled person",
            |s| {
                let by = s.own_manager("Zoé")?;
                s.set_staff_active("Paul", false, &by).map(|_| ())
            },
            Refused::NotStaff,
        ),
    ];
    for (what, attempt, expected) in cases {
        let got = attempt(&mut store).map_err(refused);
        assert_eq!(got, Err(expected), "{what}");
        assert_eq!(ledger_size(&store), before, "{what}: nothing written");
    }
    assert!(store.actor("Paul").is_ok(), "Paul was not disabled");
}

#[test]
fn an_approved_void_is_the_cashiers_with_the_managers_override_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let approval = Approval {
        manager: "Marie".into(),
        pin: "1234".into(),
    };
    let by = store.manager_named("Paul", Some(&approval)).unwrap();
    assert_eq!((by.name(), by.approver()), ("Paul", Some("Marie")));
    let void = store.void_sale("T1-000001", "erreur", &by).unwrap();
    let (record, _) = store.find(&void.number).unwrap();
    assert_eq!(record.operator, "Paul");
    let journal = store.journal(None).unwrap();
    assert!(
        journal
            .iter()
            .any(|e| e.message.contains("Marie autorise l'annulation")),
        "the override is journaled"
    );
}

#[test]
fn a_disabled_person_is_refused_from_the_next_operation_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let marie = store.own_manager("Marie").unwrap();
    store.set_staff_active("Zoé", true, &marie).unwrap();
    let zoe = store.actor("Zoé").unwrap();
    store.record_sale(&sale(100), &zoe).unwrap();
    store.set_staff_active("Zoé", false, &marie).unwrap();
    assert_eq!(
        store.actor("Zoé").map_err(refused).unwrap_err(),
        Refused::NotStaff
    );
}
