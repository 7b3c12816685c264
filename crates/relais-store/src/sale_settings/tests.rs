use super::*;
use crate::tests::{hire_marie_and_paul, init_store};
use crate::ErrorKind;

fn events_named(store: &Store, name: &str) -> usize {
    store
        .journal(None)
        .unwrap()
        .iter()
        .filter(|e| e.name == name)
        .count()
}

fn chosen(code: &str) -> SaleSettings {
    SaleSettings {
        default_department: code.into(),
    }
}

#[test]
fn the_default_department_is_chosen_by_a_manager_and_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    hire_marie_and_paul(&mut store);
    let never_set = store.default_department().unwrap().unwrap();
    assert_eq!(never_set.code, "DIVERS", "the first department in order");

    // (asked, operator, the department a typed price then goes to, or the refusal's kind)
    let cases: &[(&str, &str, Result<&str, ErrorKind>)] = &[
        ("ALIM", "Marie", Ok("ALIM")),
        ("alimentation", "Marie", Ok("ALIM")),
        (" presse ", "Marie", Ok("PRESSE")),
        ("", "Marie", Ok("DIVERS")),
        ("NOPE", "Marie", Err(ErrorKind::InvalidSetting)),
        ("LIVRES", "Paul", Err(ErrorKind::Forbidden)),
    ];
    for (asked, operator, expected) in cases {
        let before_events = events_named(&store, "settings_change");
        let before = store.default_department().unwrap().unwrap().code;
        let result = store.set_sale_settings_as(&chosen(asked), operator);
        let now = store.default_department().unwrap().unwrap().code;
        let after_events = events_named(&store, "settings_change");
        match (expected, result) {
            (Ok(code), Ok(())) => {
                assert_eq!(now, *code, "{asked:?}");
                assert_eq!(after_events, before_events + 1, "journaled: {asked:?}");
            }
            (Err(kind), Err(e)) => {
                assert_eq!(e.kind(), *kind, "{asked:?}: {e}");
                assert_eq!(now, before, "unchanged after {asked:?}");
                assert_eq!(after_events, before_events, "nothing journaled: {asked:?}");
            }
            (expected, got) => panic!("{asked:?}: expected {expected:?}, got {got:?}"),
        }
    }
    store
        .set_sale_settings_as(&chosen("RESTO"), "Marie")
        .unwrap();
    assert_eq!(store.sale_settings().unwrap(), chosen("RESTO"));
    let event = store.journal(Some(1)).unwrap().pop().unwrap();
    assert_eq!((event.code, event.operator.as_str()), (270, "Marie"));
    assert!(event.message.contains("RESTO"), "{event:?}");
}
