use super::*;
use crate::tests::{init_store, sale};

fn marks(store: &Store) -> i64 {
    store
        .conn
        .query_row("SELECT COUNT(*) FROM reentry", [], |r| r.get(0))
        .unwrap()
}

/// A mark and its journal record are one write: when the journal cannot be written, nothing
/// is marked, by hand or from a file; once it can, both are.
#[test]
fn a_reentry_mark_is_never_left_without_its_journal_record() {
    type Mark = fn(&mut Store, &str, &Path) -> Result<u64>;
    let cases: [(&str, Mark); 2] = [
        ("by hand", |s, number, _| {
            s.mark_reentered_as(number, "SAAS-1", "Marie")
                .map(u64::from)
        }),
        ("from a file", |s, number, files| {
            let file = files.join("refs.csv");
            std::fs::write(&file, format!("ticket;ref\n{number};SAAS-1\n")).unwrap();
            s.import_reentries_as(&file, "Marie").map(|r| r.marked)
        }),
    ];
    for (what, mark) in cases {
        let dir = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        let number = store.record_sale_as(&sale(1250), None).unwrap().number;
        crate::tests::break_journal(&store);
        assert!(mark(&mut store, &number, files.path()).is_err(), "{what}");
        assert_eq!(marks(&store), 0, "{what}: nothing marked");
        crate::tests::repair_journal(&store);
        assert_eq!(
            mark(&mut store, &number, files.path()).unwrap(),
            1,
            "{what}"
        );
        assert_eq!(marks(&store), 1, "{what}: marked once the journal works");
    }
}
