use super::*;
use crate::money::{Money, VatRate, DEFAULT_VAT_RATES};

#[test]
fn barcodes_are_checked_and_normalised() {
    let cases: &[(&str, Result<&str, &str>)] = &[
        ("3017620422003", Ok("3017620422003")), // EAN-13 (Nutella)
        (" 3017620422003 ", Ok("3017620422003")),
        ("3017620422004", Err("check digit")),
        ("96385074", Ok("96385074")), // EAN-8
        ("96385075", Err("check digit")),
        ("036000291452", Ok("0036000291452")), // UPC-A, kept as its EAN-13
        ("036000291453", Err("check digit")),
        ("712345678911", Ok("0712345678911")), // a UPC-A Excel stripped of its zero
        ("0712345678911", Ok("0712345678911")),
        ("00712345678911", Ok("0712345678911")), // GTIN-14 of the same item
        ("10712345678918", Ok("10712345678918")), // GTIN-14 of a case
        ("=\"0712345678911\"", Ok("0712345678911")), // Excel's keep-the-zeros formula
        ("=\"00042\"", Ok("00042")),
        ("3760000000277.0", Ok("3760000000277")), // a number cell
        ("3760000000277,00", Ok("3760000000277")),
        ("3,76E+12", Err("scientific")),
        ("3.76e12", Err("scientific")),
        ("abc-123", Ok("ABC-123")), // internal code
        ("12345", Ok("12345")),     // internal, not a GS1 length
        ("3.01762E+12", Err("scientific")),
        ("", Err("empty")),
        ("12 34", Err("characters")),
    ];
    for (input, expected) in cases {
        match (normalize_barcode(input), expected) {
            (Ok(code), Ok(want)) => assert_eq!(code, *want),
            (Err(e), Err(word)) => assert!(e.to_string().contains(word), "{input}: {e}"),
            (got, want) => panic!("{input:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn a_code_is_found_under_every_form_it_may_be_stored_in() {
    let cases: &[(&str, &[&str])] = &[
        ("712345678911", &["0712345678911", "00712345678911"]),
        ("0712345678911", &["712345678911", "00712345678911"]),
        ("3017620422003", &["03017620422003"]),
        ("96385074", &[]),
        ("ABC", &[]),
    ];
    for (code, forms) in cases {
        assert_eq!(barcode_forms(code), *forms, "{code}");
    }
}

#[test]
fn normalisation_for_search() {
    let cases = [
        ("Café  Crème", "cafe creme"),
        ("ŒUF BIO (x6)", "oeuf bio x6"),
        ("Pain-au-chocolat", "pain au chocolat"),
        ("  Éclair\tcafé\n", "eclair cafe"),
        ("Straße 1L", "strasse 1l"),
        ("", ""),
    ];
    for (input, expected) in cases {
        assert_eq!(normalize(input), expected, "{input:?}");
    }
}

/// What `normalize` does, written the slow way: the whole string's NFD, marks dropped.
fn normalize_by_nfd(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    let mut pending_space = false;
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let expanded: String = match c {
            'œ' | 'Œ' => "oe".into(),
            'æ' | 'Æ' => "ae".into(),
            'ß' => "ss".into(),
            _ if c.is_alphanumeric() => c.to_lowercase().collect(),
            _ => {
                pending_space = true;
                continue;
            }
        };
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push_str(&expanded);
    }
    out
}

#[test]
fn normalisation_is_the_whole_strings_nfd_without_marks() {
    let marks = [
        "",
        "\u{301}",
        "\u{327}\u{301}",
        "\u{301}\u{327}",
        "\u{308}\u{323}",
    ];
    for c in (0..0x3_0000u32).filter_map(char::from_u32) {
        for mark in marks {
            let text = format!("x{c}{mark} É{c}y");
            assert_eq!(normalize(&text), normalize_by_nfd(&text), "{text:?}");
        }
    }
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn headers_map_in_french_and_english() {
    use Field::*;
    type Case<'a> = (&'a [&'a str], &'a [&'a str], Result<Vec<Field>, &'a str>);
    let cases: Vec<Case> = vec![
        (
            &["EAN", "Libellé", "Prix TTC", "TVA", "Rayon"],
            &[],
            Ok(vec![Barcode, Label, Price, Vat, Department]),
        ),
        (
            &[
                "Code-barre",
                "Désignation",
                "PV TTC",
                "Taux TVA",
                "Famille",
                "Unité",
            ],
            &[],
            Ok(vec![Barcode, Label, Price, Vat, Department, Unit]),
        ),
        (
            &["gencod", "Référence", "Nom", "Prix"],
            &[],
            Ok(vec![Barcode, Sku, Label, Price]),
        ),
        (
            &["SKU", "Name", "Price", "VAT", "Category"],
            &[],
            Ok(vec![Sku, Label, Price, Vat, Department]),
        ),
        (
            &["EAN", "EAN 2", "Libellé", "Prix HT", "Prix TTC"],
            &[],
            Ok(vec![Barcode, Barcode, Label, Ignore, Price]),
        ),
        (
            &["Libellé", "Prix", "PV TTC"],
            &[],
            Ok(vec![Label, Ignore, Price]),
        ),
        (&["Libellé", "Prix HT"], &[], Err("price")),
        (
            &["Code interne", "Libellé", "Prix"],
            &["Code interne=sku"],
            Ok(vec![Sku, Label, Price]),
        ),
        (
            &["A", "B", "C"],
            &["1=label", "3=price"],
            Ok(vec![Label, Ignore, Price]),
        ),
        (&["Libellé", "Prix", "Tarif"], &[], Err("both")),
        (&["Libellé", "Prix"], &["Nope=sku"], Err("no such column")),
        (
            &["Libellé", "Prix"],
            &["Prix=money"],
            Err("expected COLUMN=FIELD"),
        ),
    ];
    for (names, overrides, expected) in cases {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        match (map_headers(&headers(names), &overrides), expected) {
            (Ok(map), Ok(fields)) => assert_eq!(map.fields, fields, "{names:?}"),
            (Err(e), Err(word)) => assert!(e.to_string().contains(word), "{names:?}: {e}"),
            (got, want) => panic!("{names:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn prices_and_rates_in_every_spelling() {
    let prices = [
        ("12,50", 1250),
        ("12.5", 1250),
        ("1 234,56 €", 123456),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("EUR 3", 300),
        ("0,99€", 99),
        ("\u{a0}7,00\u{a0}€", 700),
    ];
    for (text, cents) in prices {
        assert_eq!(row::parse_price(text), Ok(Money(cents)), "{text:?}");
    }
    assert!(
        row::parse_price("12,345").is_err(),
        "three decimals are refused, not rounded"
    );
    let rates = [
        ("20", Some(2000)),
        ("20 %", Some(2000)),
        ("5,5", Some(550)),
        ("5.5%", Some(550)),
        ("0.055", Some(550)),
        ("0,2", Some(2000)),
        ("2,1", Some(210)),
        ("0", Some(0)),
        ("abc", None),
        ("-5", None),
        ("5,555", None),
        ("150", None),
    ];
    for (text, bp) in rates {
        assert_eq!(row::parse_vat(text), bp.map(VatRate), "{text:?}");
    }
}

#[test]
fn rows_parse_or_name_the_column_at_fault() {
    let map = map_headers(
        &headers(&["EAN", "Réf", "Libellé", "Prix TTC", "TVA", "Rayon", "Unité"]),
        &[],
    )
    .unwrap();
    let rule = VatRule {
        allowed: &DEFAULT_VAT_RATES,
    };
    let row = |cells: &[&str]| {
        let cells: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
        parse_row(&cells, &map, &rule)
    };
    let ok = row(&[
        "3017620422003|96385074",
        " R1 ",
        " Pâte  à\ntartiner ",
        "4,35 €",
        "5,5",
        "Épicerie",
        "pièce",
    ])
    .unwrap();
    assert_eq!(ok.barcodes, ["3017620422003", "96385074"]);
    let total_cola = row(&["5449000000996", "", "Total Cola", "1", "", "", ""]).unwrap();
    assert_eq!(
        total_cola.label, "Total Cola",
        "a product with a key is no footer"
    );
    for cell in ["3760000000277,0", "=\"3760000000277\""] {
        let one = row(&[cell, "", "X", "1", "", "", ""]).unwrap();
        assert_eq!(one.barcodes, ["3760000000277"], "{cell}");
    }
    assert_eq!(
        (ok.sku.as_deref(), ok.label.as_str()),
        (Some("R1"), "Pâte à tartiner")
    );
    assert_eq!(
        (ok.price_cents, ok.vat_rate_bp),
        (Money(435), Some(VatRate(550)))
    );
    assert_eq!(ok.unit, Unit::Piece);
    let hostile = row(&[
        "",
        "",
        "\u{1b}[2JCafé\u{7} \u{202e}moulu",
        "4,35",
        "5,5",
        "",
        "",
    ])
    .unwrap();
    assert_eq!(
        hostile.label, "[2JCafé moulu",
        "control characters are dropped"
    );
    let weighed = row(&["", "", "Comté", "18,90", "", "", "kg"]).unwrap();
    assert_eq!(
        (weighed.unit, weighed.vat_rate_bp, weighed.barcodes.len()),
        (Unit::Kg, None, 0)
    );
    let bad: &[(&[&str], &str, &str)] = &[
        (
            &["", "", "", "1", "", "", ""],
            "Libellé",
            "label is missing",
        ),
        (
            &["", "", "X", "", "", "", ""],
            "Prix TTC",
            "price is missing",
        ),
        (
            &["", "", "X", "douze", "", "", ""],
            "Prix TTC",
            "not a number",
        ),
        (&["", "", "X", "-1", "", "", ""], "Prix TTC", "negative"),
        (&["", "", "X", "1", "19,6", "", ""], "TVA", "not one of"),
        (&["", "", "X", "1", "vingt", "", ""], "TVA", "not a rate"),
        (
            &["3017620422004", "", "X", "1", "", "", ""],
            "EAN",
            "check digit",
        ),
        (
            &["", "", "X", "1", "", "", "boîte"],
            "Unité",
            "unknown unit",
        ),
        (&["3,76E+12", "", "X", "1", "", "", ""], "EAN", "scientific"),
        (
            &["", "", "TOTAL", "1234,50", "", "", ""],
            "Libellé",
            "totals row",
        ),
        (
            &["", "", "", "1234,50", "", "Sous-total", ""],
            "Rayon",
            "totals row",
        ),
    ];
    for (cells, column, word) in bad {
        let err = row(cells).unwrap_err();
        assert_eq!(err.column.as_deref(), Some(*column), "{cells:?}: {err}");
        assert!(err.to_string().contains(word), "{cells:?}: {err}");
        assert!(!err.fr().is_empty());
    }
}

#[test]
fn default_departments_are_french() {
    let names: Vec<(String, u32)> = default_departments()
        .into_iter()
        .map(|d| (d.name, d.vat_rate_bp.0))
        .collect();
    assert!(names.contains(&("Alimentation".into(), 550)));
    assert!(names.contains(&("Presse".into(), 210)));
}
