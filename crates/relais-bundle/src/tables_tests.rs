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

/// Text a spreadsheet would run as a formula stays text in the Excel dialect; the standard
/// dialect, for programs, keeps every text exactly.
#[test]
fn text_that_looks_like_a_formula_stays_text_for_excel() {
    // (text, as written for Excel)
    let cases = [
        ("=1+1", "'=1+1"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-20 % promo", "'-20 % promo"),
        ("@SOMME(A1:A9)", "'@SOMME(A1:A9)"),
        ("Pain = bon", "Pain = bon"),
        ("T1-000001", "T1-000001"),
        ("", ""),
    ];
    let mut buffer = Vec::new();
    for (text, for_excel) in cases {
        let cell = Cell::Text(text.into());
        let excel = Dialect::ExcelFr.field(&cell, &mut buffer).to_vec();
        assert_eq!(String::from_utf8(excel).unwrap(), for_excel, "{text}");
        let standard = Dialect::Standard.field(&cell, &mut buffer).to_vec();
        assert_eq!(String::from_utf8(standard).unwrap(), text, "{text}");
    }
}
