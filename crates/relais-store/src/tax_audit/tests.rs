//! The extract for a tax inspector: its tables add up to the closures, read back with a
//! plain CSV reader.

use super::*;
use crate::export::tests::{busy_till, cents};
use relais_core::closure::ClosurePeriod;
use std::collections::BTreeMap;
use std::path::Path;

fn audit(store: &mut Store, from: &str, to: &str, out: &Path) -> Result<AuditReport> {
    store.tax_audit_as(&AuditOptions {
        from: from.into(),
        to: to.into(),
        out: out.to_path_buf(),
        operator: "Marie".into(),
    })
}

/// Each day closure's total is the sum of its day's tickets in sales.csv, each month or year
/// closure the sum of its days in closures.csv; the report says so; JET 280 is sealed.
#[test]
fn the_audit_extract_totals_equal_the_closures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    store
        .close_period_as(ClosurePeriod::Month, "2026-11", "Marie", None)
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = audit(&mut store, "2026-11-01", "2026-11-30", out.path()).unwrap();
    let folder = Path::new(&report.folder);
    assert!(relais_bundle::verify_bundle(folder).unwrap().ok);
    let mut per_day: BTreeMap<String, i64> = BTreeMap::new();
    for row in csv::Reader::from_path(folder.join("csv/sales.csv"))
        .unwrap()
        .records()
    {
        let row = row.unwrap();
        *per_day.entry(row[4].to_string()).or_default() += cents(&row[8]);
    }
    let mut days_of_month = 0;
    let mut checked = 0;
    for row in csv::Reader::from_path(folder.join("csv/closures.csv"))
        .unwrap()
        .records()
    {
        let row = row.unwrap();
        let (period, first_day, total) = (&row[2], &row[3], cents(&row[9]));
        match period {
            "day" => {
                assert_eq!(per_day[first_day], total, "{}", &row[1]);
                days_of_month += total;
            }
            _ => assert_eq!(days_of_month, total, "{}", &row[1]),
        }
        checked += 1;
    }
    assert_eq!((checked, report.closures_checked), (4, 4));
    assert!(report.chain_intact && report.mismatches.is_empty());
    let verification = std::fs::read_to_string(folder.join(VERIFICATION_FILE)).unwrap();
    assert!(
        verification.contains("Conclusion : conforme"),
        "{verification}"
    );
    assert_eq!(verification.matches("conforme / agrees").count(), 4);
    let journal = store.journal(None).unwrap();
    assert!(journal
        .iter()
        .any(|e| e.name == "tax_audit" && e.code == 280));
}

#[test]
fn bad_or_empty_ranges_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    let out = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("2026-11-30", "2026-11-01"),
        ("2026-11", "2026-11-30"),
        ("2025-01-01", "2025-12-31"),
    ] {
        let refused = audit(&mut store, from, to, out.path()).unwrap_err();
        assert_eq!(refused.kind(), "invalid_input", "{from} {to}");
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}
