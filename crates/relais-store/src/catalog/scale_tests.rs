use super::*;
use crate::catalog::ImportOptions;
use crate::tests::init_store;
use relais_core::SaleInput;
use serde_json::json;

const CATALOGUE: &str = "Code balance;Libellé;Prix;Unité;Rayon\n\
    12345;Comté 18 mois;24,90;kg;ALIM\n\
    42;Tarte aux pommes;3,99;pièce;ALIM\n";

fn till(dir: &std::path::Path) -> Store {
    let mut store = init_store(dir);
    crate::tests::hire_marie_and_paul(&mut store);
    let file = dir.join("catalogue.csv");
    std::fs::write(&file, CATALOGUE).unwrap();
    let options = ImportOptions {
        operator: "Marie".into(),
        ..ImportOptions::default()
    };
    let report = store.import_catalog_as(&file, &options).unwrap();
    assert_eq!((report.imported, report.rejected), (2, 0), "{report:?}");
    store
}

fn sale_of(barcode: &str, qty: Option<&str>) -> SaleInput {
    let mut line = json!({ "barcode": barcode });
    if let Some(qty) = qty {
        line["qty"] = json!(qty);
    }
    serde_json::from_value(json!({ "lines": [line], "payments": [{ "method": "card", "amount_cents": 0 }], "operator": "Paul" }))
        .unwrap()
}

/// Each label through the sale's line resolution: (label, line label, qty, amount) or the
/// French message's start.
#[test]
fn labels_sell_the_product_of_their_plu_or_the_rules_department() {
    let dir = tempfile::tempdir().unwrap();
    let store = till(dir.path());
    type Case = (
        &'static str,
        &'static str,
        Option<&'static str>,
        std::result::Result<(&'static str, i64, i64), &'static str>,
    );
    let cases: &[Case] = &[
        (
            "price label, PLU known",
            "2800042003995",
            None,
            Ok(("Tarte aux pommes", 1000, 399)),
        ),
        (
            "price label, two of them",
            "2800042003995",
            Some("2"),
            Ok(("Tarte aux pommes", 2000, 798)),
        ),
        (
            "weight label, PLU known: 512 g × 24,90 €/kg",
            "2312345005120",
            None,
            Ok(("Comté 18 mois", 512, 1275)),
        ),
        (
            "price label, unknown PLU: the rule's department",
            "2212399012504",
            None,
            Ok(("Alimentation PLU 12399", 1000, 1250)),
        ),
        (
            "weight label, unknown PLU",
            "2312399005121",
            None,
            Err("ligne 1 : étiquette de poids 2312399005121 : aucun produit"),
        ),
        (
            "weight label with a quantity",
            "2312345005120",
            Some("3"),
            Err("ligne 1 : la quantité d'une étiquette de poids"),
        ),
        (
            "bad check digit",
            "2312345005121",
            None,
            Err("étiquette 2312345005121 mal lue"),
        ),
        (
            "prefix 20: no rule, unknown product",
            "2000000000008",
            None,
            Err("aucun produit du catalogue n'a ce code"),
        ),
    ];
    for (name, barcode, qty, expected) in cases {
        let got = store.price_preview(&sale_of(barcode, *qty));
        match (got, expected) {
            (Ok(ticket), Ok((label, qty, amount))) => {
                let line = &ticket.lines[0];
                assert_eq!(
                    (line.label.as_str(), line.qty_milli.0, line.total_cents.0),
                    (*label, *qty, *amount),
                    "{name}"
                );
                assert_eq!(line.barcode.as_deref(), Some(*barcode), "{name}");
            }
            (Err(error), Err(start)) => {
                let message = error.message(relais_core::Lang::Fr);
                assert!(message.contains(start), "{name}: {message}");
            }
            (got, _) => panic!("{name}: {got:?}"),
        }
    }
}

#[test]
fn the_counter_scan_finds_labels_and_refuses_misread_ones() {
    let dir = tempfile::tempdir().unwrap();
    let store = till(dir.path());
    let scanned = store.scan("2312345005120").unwrap();
    assert_eq!(scanned.product.unwrap().label, "Comté 18 mois");
    assert_eq!(scanned.scale.unwrap().value, 512);
    let unknown = store.scan("2212399012504").unwrap();
    assert_eq!(
        (unknown.product, unknown.scale.map(|l| l.plu)),
        (None, Some("12399".into()))
    );
    assert!(store.scan("2312345005121").is_err());
    assert_eq!(
        store.scan("3017620422003").unwrap(),
        Scanned {
            product: None,
            scale: None
        }
    );
}

#[test]
fn rules_are_set_by_a_manager_and_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = till(dir.path());
    assert_eq!(store.scale_rules().unwrap(), default_scale_rules());
    let mine = vec![ScaleRule {
        prefix: "20".into(),
        carries: Carries::Price,
        department: "divers".into(),
    }];
    assert!(matches!(
        store.set_scale_rules_as(&mine, "Paul"),
        Err(StoreError::Forbidden(_))
    ));
    let unknown = vec![ScaleRule {
        department: "FROMAGE".into(),
        ..mine[0].clone()
    }];
    assert!(matches!(
        store.set_scale_rules_as(&unknown, "Marie"),
        Err(StoreError::Invalid(_))
    ));
    let by_name = vec![ScaleRule {
        department: "Alimentation".into(),
        ..mine[0].clone()
    }];
    assert_eq!(
        store.set_scale_rules_as(&by_name, "Marie").unwrap()[0].department,
        "ALIM"
    );
    let saved = store.set_scale_rules_as(&mine, "Marie").unwrap();
    assert_eq!(saved[0].department, "DIVERS");
    assert_eq!(store.scale_rules().unwrap(), saved);
    let ticket = store
        .price_preview(&sale_of("2000042003999", None))
        .unwrap();
    assert_eq!(
        (ticket.lines[0].label.as_str(), ticket.total_cents.0),
        ("Tarte aux pommes", 399)
    );
    let journal = store.journal(Some(10)).unwrap();
    assert!(
        journal
            .iter()
            .any(|e| e.message.contains("Étiquettes balance : 20 prix DIVERS")),
        "{journal:?}"
    );
    store.verify().unwrap();
}

#[test]
fn a_plu_belongs_to_one_product_and_an_import_can_give_it_later() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = till(dir.path());
    let file = dir.path().join("suite.csv");
    std::fs::write(
        &file,
        "Libellé;Prix;PLU\nFlan pâtissier;2,50;42\nComté 18 mois;26,90;\nPain de seigle;3,10;777\nBrie;2,00;12a\n",
    )
    .unwrap();
    let options = ImportOptions {
        operator: "Marie".into(),
        ..ImportOptions::default()
    };
    let report = store.import_catalog_as(&file, &options).unwrap();
    assert_eq!(
        (report.imported, report.updated, report.rejected),
        (1, 1, 2),
        "{report:?}"
    );
    let reasons: Vec<String> = report.rejects.iter().map(|r| r.reason.fr.clone()).collect();
    assert!(
        reasons[0].contains("le code balance (PLU) 00042 est déjà celui d'un autre produit"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("« 12a » : de 1 à 5 chiffres attendus"),
        "{reasons:?}"
    );
    // The Comté kept its PLU (an empty cell changes nothing) at its new price.
    let weighed = store
        .price_preview(&sale_of("2312345005120", None))
        .unwrap();
    assert_eq!(weighed.lines[0].total_cents.0, 1377);
    let seigle = store
        .price_preview(&sale_of("2200777003107", None))
        .unwrap();
    assert_eq!(weighed.lines[0].label, "Comté 18 mois");
    assert_eq!(seigle.lines[0].label, "Pain de seigle");
}
