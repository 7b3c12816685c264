use super::*;
use crate::tests::{init_store, sale};
use std::path::PathBuf;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/catalog")
        .join(name)
}

fn options(map: &[&str], sheet: Option<&str>) -> ImportOptions {
    ImportOptions {
        map: map.iter().map(|s| s.to_string()).collect(),
        sheet: sheet.map(String::from),
        preview_rows: 10,
        operator: "manager".into(),
        ..ImportOptions::default()
    }
}

/// (code, label, price, VAT, department name, unit) of each product expected.
type Expected = (
    &'static str,
    &'static str,
    i64,
    u32,
    &'static str,
    &'static str,
);

/// Each awkward file of the corpus imports to exactly the products a person reads in it.
#[test]
fn the_awkward_corpus_imports_to_the_expected_products() {
    let cases: Vec<(&str, ImportOptions, &str, Vec<Expected>)> = vec![
        (
            "epicerie-excel-fr.csv",
            options(&[], None),
            "Windows-1252",
            vec![
                (
                    "3760000000017",
                    "Crème fraîche épaisse 20cl",
                    235,
                    550,
                    "Crèmerie",
                    "piece",
                ),
                (
                    "3760000000024",
                    "Pâté de campagne",
                    310,
                    550,
                    "Charcuterie",
                    "piece",
                ),
                (
                    "3760000000031",
                    "Comté affiné 18 mois",
                    2490,
                    550,
                    "Crèmerie",
                    "kg",
                ),
                (
                    "3760000000048",
                    "Bière blonde 33cl",
                    195,
                    2000,
                    "Boissons",
                    "piece",
                ),
                (
                    "3760000000055",
                    "Œufs bio x6",
                    349,
                    550,
                    "Crèmerie",
                    "piece",
                ),
            ],
        ),
        (
            "boulangerie-bom.csv",
            options(&[], None),
            "UTF-8",
            vec![
                ("BAG01", "Baguette tradition", 120, 550, "Pains", "piece"),
                ("TAR02", "Tarte, pommes", 1850, 550, "Pâtisserie", "piece"),
                (
                    "GAT03",
                    "Gâteau \"Forêt-Noire\" (6 parts)",
                    2400,
                    550,
                    "Pâtisserie",
                    "piece",
                ),
                (
                    "CAF04",
                    "Café crème",
                    280,
                    1000,
                    "Boissons chaudes",
                    "piece",
                ),
                (
                    "SAN05",
                    "Sandwich jambon, beurre",
                    490,
                    1000,
                    "Snacking",
                    "piece",
                ),
            ],
        ),
        (
            "librairie.tsv",
            options(&["Titre=label"], None),
            "UTF-8",
            vec![
                ("9782070000012", "L'Étranger", 890, 550, "", "piece"),
                (
                    "9782070000029",
                    "Les Misérables (tome 1)",
                    1250,
                    550,
                    "",
                    "piece",
                ),
                (
                    "9782070000036",
                    "Le Monde (quotidien)",
                    320,
                    210,
                    "",
                    "piece",
                ),
            ],
        ),
        (
            "cave.xlsx",
            options(&[], Some("tarifs")),
            "UTF-8",
            vec![
                (
                    "3560000000013",
                    "Côtes-du-Rhône 75cl",
                    890,
                    2000,
                    "Vins",
                    "piece",
                ),
                (
                    "3560000000020",
                    "Champagne brut",
                    2995,
                    2000,
                    "Vins",
                    "piece",
                ),
                (
                    "3560000000037",
                    "Jus de pomme 1L",
                    340,
                    550,
                    "Sans alcool",
                    "piece",
                ),
                (
                    "3560000000044",
                    "Crémant d'Alsace",
                    1250,
                    2000,
                    "Vins",
                    "piece",
                ),
            ],
        ),
    ];
    for (file, options, encoding, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        let report = store.import_catalog_as(&corpus(file), &options).unwrap();
        assert_eq!(report.source.encoding, encoding, "{file}");
        assert_eq!(
            (report.imported, report.rejected),
            (expected.len() as u64, 0),
            "{file}: {:?}",
            report.rejects
        );
        assert!(report.applied);
        assert_eq!(store.catalog_size().unwrap(), expected.len() as u64);
        let departments = store.departments().unwrap();
        for (code, label, price, vat, department, unit) in expected {
            let product = store
                .product_by_code(code)
                .unwrap()
                .unwrap_or_else(|| panic!("{file}: no {code}"));
            let department_name = product
                .department
                .as_ref()
                .map(|d| {
                    departments
                        .iter()
                        .find(|x| &x.code == d)
                        .unwrap()
                        .name
                        .clone()
                })
                .unwrap_or_default();
            assert_eq!(
                (
                    product.label.as_str(),
                    product.price_cents,
                    product.vat_rate_bp,
                    department_name.as_str(),
                    product.unit.as_str()
                ),
                (label, price, vat, department, unit),
                "{file}: {code}"
            );
        }
    }
}

#[test]
fn files_without_a_usable_header_are_refused_whole() {
    let cases = [
        ("librairie.tsv", None, "libellé"),
        ("cave.xlsx", None, "libellé"),
        ("cave.xlsx", Some("Stock"), "Stock"),
    ];
    for (file, sheet, word) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        let err = store
            .import_catalog_as(&corpus(file), &options(&[], sheet))
            .unwrap_err();
        assert!(
            err.message(relais_core::Lang::Fr).contains(word),
            "{file}: {}",
            err.message(relais_core::Lang::Fr)
        );
        assert_eq!(store.catalog_size().unwrap(), 0);
    }
}

#[test]
fn bad_rows_are_rejected_with_line_column_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let report = store
        .import_catalog_as(&corpus("rejets.csv"), &options(&[], None))
        .unwrap();
    let got: Vec<(usize, Option<&str>)> = report
        .rejects
        .iter()
        .map(|r| (r.line, r.column.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("Prix TTC")),
            (4, Some("Prix TTC")),
            (5, Some("TVA")),
            (6, Some("EAN")),
            (7, Some("EAN")),
            (8, Some("EAN"))
        ]
    );
    let reasons: Vec<&str> = report
        .rejects
        .iter()
        .map(|r| r.reason.fr.as_str())
        .collect();
    for (reason, word) in reasons.iter().zip([
        "manquant",
        "illisible",
        "inconnu",
        "clé de contrôle",
        "figure déjà ligne 2 de ce fichier",
        "notation scientifique",
    ]) {
        assert!(reason.contains(word), "{reason}");
    }
    assert_eq!((report.imported, report.rejected), (2, 6));
    assert!(store.product_by_code("R8").unwrap().is_some());
    // Refused by the reader (a price, a barcode of an earlier row): cells as read.
    assert_eq!(
        report.rejects[0].cells,
        ["3760000000123", "R2", "Shampoing", "", "20"]
    );
    assert_eq!(
        report.rejects[4].cells,
        ["3760000000116", "R6", "Savon copie", "3,50", "20"]
    );

    let rejects = dir.path().join("rejets.csv");
    import::write_rejects(&rejects, &report).unwrap();
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        text.starts_with("\u{feff}Ligne;Colonne;Motif;EAN;Réf;Libellé"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 7);
}

#[test]
fn strict_and_dry_run_apply_nothing() {
    for (strict, dry_run, file) in [
        (true, false, "rejets.csv"),
        (false, true, "boulangerie-bom.csv"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        let before = store.journal(None).unwrap().len();
        let options = ImportOptions {
            strict,
            dry_run,
            ..options(&[], None)
        };
        let report = store.import_catalog_as(&corpus(file), &options).unwrap();
        assert!(!report.applied);
        assert!(
            report.imported > 0,
            "the report still says what would happen"
        );
        assert!(!report.preview.is_empty());
        assert_eq!(store.catalog_size().unwrap(), 0, "{file}");
        assert_eq!(
            store.departments().unwrap().len(),
            5,
            "no department created"
        );
        assert_eq!(store.journal(None).unwrap().len(), before);
    }
}

#[test]
fn reimporting_updates_by_sku_and_keeps_price_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    store
        .import_catalog_as(&corpus("boulangerie-bom.csv"), &options(&[], None))
        .unwrap();
    let again = store
        .import_catalog_as(&corpus("boulangerie-bom.csv"), &options(&[], None))
        .unwrap();
    assert_eq!((again.imported, again.updated, again.unchanged), (0, 0, 5));
    let changed = dir.path().join("nouveaux-prix.csv");
    std::fs::write(
        &changed,
        "Référence;Libellé;Prix\nBAG01;Baguette tradition;1,25\nNEW01;Chouquettes x10;3,00\n",
    )
    .unwrap();
    let report = store
        .import_catalog_as(&changed, &options(&[], None))
        .unwrap();
    assert_eq!(
        (report.imported, report.updated, report.unchanged),
        (1, 1, 0)
    );
    assert_eq!(
        store.product_by_code("BAG01").unwrap().unwrap().price_cents,
        125
    );
    let history = |code: &str| -> Vec<(i64, String)> {
        let id = store.product_by_code(code).unwrap().unwrap().id;
        let points = store.price_history(id).unwrap();
        points
            .into_iter()
            .map(|p| (p.price_cents, p.source))
            .collect()
    };
    // The first price, written when the second came; a product never changed has its own.
    for (code, expected) in [
        (
            "BAG01",
            &[(120, "import"), (125, "import:nouveaux-prix.csv")][..],
        ),
        ("NEW01", &[(300, "import")][..]),
    ] {
        let expected: Vec<(i64, String)> =
            expected.iter().map(|(p, s)| (*p, s.to_string())).collect();
        assert_eq!(history(code), expected, "{code}");
    }
    assert!(
        store
            .journal(None)
            .unwrap()
            .iter()
            .filter(|e| e.code == 1030)
            .count()
            == 3
    );
}

#[test]
fn search_finds_words_in_any_order_without_accents() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    store
        .import_catalog_as(&corpus("boulangerie-bom.csv"), &options(&[], None))
        .unwrap();
    store
        .import_catalog_as(&corpus("epicerie-excel-fr.csv"), &options(&[], None))
        .unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("creme cafe", &["Café crème"]),
        ("CAFÉ", &["Café crème"]),
        ("creme", &["Crème fraîche épaisse 20cl", "Café crème"]),
        ("fraiche cr", &["Crème fraîche épaisse 20cl"]),
        ("ta pom", &["Tarte, pommes"]),
        ("3760000000031", &["Comté affiné 18 mois"]),
        ("bag01", &[]),
        ("BAG01", &["Baguette tradition"]),
        ("xyz", &[]),
        ("", &[]),
    ];
    for (query, expected) in cases {
        let labels: Vec<String> = store
            .search_products(query, 50)
            .unwrap()
            .into_iter()
            .map(|p| p.label)
            .collect();
        assert_eq!(labels, *expected, "{query:?}");
    }
}

#[test]
fn sales_take_label_price_and_rate_from_the_catalogue_or_department() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    store
        .import_catalog_as(&corpus("epicerie-excel-fr.csv"), &options(&[], None))
        .unwrap();
    let input: relais_core::SaleInput = serde_json::from_value(serde_json::json!({
        "lines": [
            {"barcode": "3760000000031", "qty": "0.350"},
            {"department": "ALIM", "unit_price_cents": 500},
            {"barcode": "3760000000017", "unit_price_cents": 200}
        ],
        "payments": [{"method": "cash", "tendered_cents": 5000}],
        "operator": "alice"
    }))
    .unwrap();
    let recorded = store.record_sale_as(&input, None).unwrap();
    // 0.350 × 24,90 = 8.715 → 8,72; + 5,00; + 2,00 (price typed over the catalogue's)
    assert_eq!(recorded.total_cents, 872 + 500 + 200);
    let receipt = store.receipt(&recorded.number).unwrap();
    for text in ["Comté affiné 18 mois", "Alimentation", "0,35 x 24,90"] {
        assert!(receipt.contains(text), "{text}:\n{receipt}");
    }
    let unknown: relais_core::SaleInput = serde_json::from_value(serde_json::json!({
        "lines": [{"barcode": "3760000000999"}], "payments": [], "operator": "alice"
    }))
    .unwrap();
    let err = store.record_sale_as(&unknown, None).unwrap_err();
    assert!(err.to_string().contains("lines[0].barcode"), "{err}");
}

#[test]
fn a_product_created_at_the_counter_is_marked_and_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let new = NewProduct {
        barcode: Some("3760000000178".into()),
        label: "Bougie parfumée".into(),
        price_cents: 1290,
        ..NewProduct::default()
    };
    let product = store.create_product_as(&new, "alice").unwrap();
    assert!(product.created_offline);
    assert_eq!(
        (product.vat_rate_bp, product.department.as_deref()),
        (2000, Some("DIVERS"))
    );
    assert_eq!(
        store.search_products("bougie", 5).unwrap()[0].id,
        product.id
    );
    assert_eq!(
        store.create_product_as(&new, "alice").unwrap_err().kind(),
        "invalid_input"
    );
    assert!(store
        .journal(None)
        .unwrap()
        .iter()
        .any(|e| e.name == "product_created"));
    let mut sold = sale(100);
    sold.lines[0] =
        serde_json::from_value(serde_json::json!({"barcode": "3760000000178"})).unwrap();
    sold.payments[0].tendered_cents = Some(2000);
    assert_eq!(store.record_sale_as(&sold, None).unwrap().total_cents, 1290);
}

#[test]
fn a_counter_product_repriced_by_an_import_keeps_its_first_price() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let created = store
        .create_product_as(
            &NewProduct {
                barcode: Some("2000000000015".into()),
                label: "Tarte du jour".into(),
                price_cents: 1800,
                ..NewProduct::default()
            },
            "manager",
        )
        .unwrap();
    let prices = dir.path().join("prix.csv");
    std::fs::write(
        &prices,
        "EAN;Libellé;Prix\n2000000000015;Tarte du jour;19,50\n",
    )
    .unwrap();
    store
        .import_catalog_as(&prices, &options(&[], None))
        .unwrap();
    let history: Vec<(i64, String)> = store
        .price_history(created.id)
        .unwrap()
        .into_iter()
        .map(|p| (p.price_cents, p.source))
        .collect();
    assert_eq!(
        history,
        [(1800, "counter".into()), (1950, "import:prix.csv".into())]
    );
}
