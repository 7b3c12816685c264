//! A price list as a manager brings it: imported from the awkward files of the corpus,
//! searched, sold from, and its bad rows sent back in a rejects file.

use crate::cli::{init, stdout_lines};
use crate::support::{relais, relais_ok, DataDir};

fn corpus(name: &str) -> String {
    crate::support::workspace_root()
        .join("tests/corpus/catalog")
        .join(name)
        .display()
        .to_string()
}

/// A manager imports the last price list, finds products, and the counter sells by barcode.
#[test]
fn a_price_list_is_imported_searched_and_sold_from() {
    let data = DataDir::new();
    init(&data);
    let report = relais_ok(
        &data,
        &[
            "--lang",
            "fr",
            "catalog",
            "import",
            &corpus("epicerie-excel-fr.csv"),
        ],
        "",
    );
    assert!(
        report.contains("importés 5, mis à jour 0, inchangés 0, rejetés 0"),
        "{report}"
    );
    assert!(report.contains("Windows-1252"), "{report}");
    let found = relais_ok(
        &data,
        &["catalog", "find", "fraiche", "creme", "--json"],
        "",
    );
    let found = stdout_lines(&found);
    assert_eq!(found[0]["label"], "Crème fraîche épaisse 20cl");
    assert_eq!(found[0]["price_cents"], 235);
    let sold = stdout_lines(&relais_ok(
        &data,
        &["sale", "record", "-"],
        r#"{"lines":[{"barcode":"3760000000017","qty":2}],"payments":[{"method":"card","amount_cents":470}],"operator":"alice"}"#,
    ));
    assert_eq!(sold[0]["total_cents"], 470);
    let receipt = relais_ok(&data, &["sale", "show", "T1-000001"], "");
    assert!(
        receipt.contains("Crème fraîche épaisse 20cl") && receipt.contains("5,5 %"),
        "{receipt}"
    );
    let again = relais_ok(
        &data,
        &[
            "--lang",
            "en",
            "catalog",
            "import",
            &corpus("epicerie-excel-fr.csv"),
        ],
        "",
    );
    assert!(
        again.contains("imported 0, updated 0, unchanged 5, rejected 0"),
        "{again}"
    );
}

#[test]
fn bad_rows_go_to_a_rejects_file_and_strict_applies_nothing() {
    let data = DataDir::new();
    init(&data);
    let work = DataDir::new();
    let file = work.path().join("prix.csv");
    std::fs::copy(corpus("rejets.csv"), &file).unwrap();
    let file = file.display().to_string();
    let strict = relais(&data, &["catalog", "import", &file, "--strict"], "");
    assert!(
        !strict.status.success(),
        "strict import with bad rows must fail"
    );
    let found = relais_ok(&data, &["catalog", "find", "savon", "--json"], "");
    assert!(found.trim().is_empty(), "strict applied something: {found}");
    let journal = relais_ok(&data, &["journal"], "");
    assert!(
        !journal.contains("catalog_import"),
        "strict journaled an import:\n{journal}"
    );

    let output = relais(&data, &["--lang", "fr", "catalog", "import", &file], "");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("ligne 4 : colonne « Prix TTC » : prix illisible"),
        "{stderr}"
    );
    let rejects = std::fs::read_to_string(work.path().join("prix.rejets.csv")).unwrap();
    assert_eq!(rejects.lines().count(), 7, "{rejects}");
    assert!(rejects.contains("Dentifrice;douze"), "{rejects}");
}
