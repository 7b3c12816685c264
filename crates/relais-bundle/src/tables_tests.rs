//! Unit tests of the CSV cells.

use super::*;

/// Every number cell reads as the core's own decimal form, in both dialects.
#[test]
fn number_cells_match_the_core_decimals() {
    let values = [
        0,
        1,
        -1,
        5,
        99,
        100,
        -105,
        1234,
        100_000,
        987_654_321,
        i64::MAX,
        i64::MIN,
    ];
    for dialect in Dialect::ALL {
        let separator = dialect.decimal() as char;
        let mut buffer = Vec::new();
        for value in values {
            let cases = [
                (Cell::Money(Money(value)), Money(value).decimal(separator)),
                (Cell::Qty(Qty(value)), Qty(value).decimal(separator)),
                (Cell::Int(value), value.to_string()),
            ];
            for (cell, expected) in cases {
                let written = dialect.field(&cell, &mut buffer).to_vec();
                assert_eq!(
                    String::from_utf8(written).unwrap(),
                    expected,
                    "{value} {dialect:?}"
                );
            }
        }
        let rate = Cell::Rate(VatRate(550));
        assert_eq!(
            dialect.field(&rate, &mut buffer),
            Money(550).decimal(separator).as_bytes()
        );
    }
}

/// In the Excel dialect, text a spreadsheet would run as a formula, and identifiers it would
/// read as numbers, start with the invisible guard; other text, and every text in the
/// standard dialect (for programs), is written exactly. Local times are ISO 8601 for programs.
#[test]
fn cells_stay_what_they_are_in_each_dialect() {
    let g = TEXT_GUARD;
    // (cell, as written for Excel, as written for programs)
    let cases: Vec<(Cell, String, &str)> = vec![
        (Cell::Text("=1+1".into()), format!("{g}=1+1"), "=1+1"),
        (
            Cell::Text("-Remise fidélité offerte".into()),
            format!("{g}-Remise fidélité offerte"),
            "-Remise fidélité offerte",
        ),
        (
            Cell::Text("@SOMME(A1:A9)".into()),
            format!("{g}@SOMME(A1:A9)"),
            "@SOMME(A1:A9)",
        ),
        (
            Cell::Text("Pain = bon".into()),
            "Pain = bon".into(),
            "Pain = bon",
        ),
        (
            Cell::Text("T1-000001".into()),
            "T1-000001".into(),
            "T1-000001",
        ),
        (
            Cell::Text("2026-11-28".into()),
            "2026-11-28".into(),
            "2026-11-28",
        ),
        (Cell::Text("".into()), "".into(), ""),
        (
            Cell::id("0012345678905"),
            format!("{g}0012345678905"),
            "0012345678905",
        ),
        (Cell::id("0042"), format!("{g}0042"), "0042"),
        (
            Cell::id("06 12 34 56 78"),
            format!("{g}06 12 34 56 78"),
            "06 12 34 56 78",
        ),
        (
            Cell::id("+33 6 12 34 56 78"),
            format!("{g}+33 6 12 34 56 78"),
            "+33 6 12 34 56 78",
        ),
        (Cell::id("CONF-01"), "CONF-01".into(), "CONF-01"),
        (Cell::id("P-1"), "P-1".into(), "P-1"),
        (Cell::id(""), "".into(), ""),
        (
            Cell::local_time("03/12/2026 08:05:00"),
            "03/12/2026 08:05:00".into(),
            "2026-12-03T08:05:00",
        ),
        (
            Cell::local_time("2026-12-03T07:05:00Z"),
            "2026-12-03T07:05:00Z".into(),
            "2026-12-03T07:05:00Z",
        ),
    ];
    let mut buffer = Vec::new();
    for (cell, for_excel, for_programs) in &cases {
        let excel = Dialect::ExcelFr.field(cell, &mut buffer).to_vec();
        assert_eq!(String::from_utf8(excel).unwrap(), *for_excel);
        let standard = Dialect::Standard.field(cell, &mut buffer).to_vec();
        assert_eq!(String::from_utf8(standard).unwrap(), *for_programs);
    }
}
