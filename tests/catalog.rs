//! A price list as a manager brings it: imported from the awkward files of the corpus,
//! searched, sold from, and its bad rows sent back in a rejects file; a big one sold from at
//! once while its search index is built after it, by the CLI or by the app in the background.

use crate::cli::{init, stdout_lines};
use crate::support::{app_lock, relais, relais_ok, DataDir};
use crate::window::with_app;
use std::time::{Duration, Instant};

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

/// Products in a big first import: above the size whose search index is built after it.
const BIG: usize = 50_000;

/// A price list of `BIG` products: internal barcodes `90` + 8 digits (no check digit to
/// compute), labels of two words and a number, prices 1,00 to 1,99 €.
fn big_price_list(dir: &DataDir) -> String {
    const WORDS: [&str; 7] = ["Pain", "Crème", "Café", "Thé", "Savon", "Farine", "Huile"];
    let mut csv = String::from("Référence;EAN;Libellé;Prix\n");
    for i in 0..BIG {
        let label = format!(
            "{} {} n{i}",
            WORDS[i % 7],
            WORDS[(i / 7) % 7].to_lowercase()
        );
        csv.push_str(&format!("R{i:06};90{i:08};{label};1,{:02}\n", i % 100));
    }
    let file = dir.path().join("catalogue.csv");
    std::fs::write(&file, csv).unwrap();
    file.display().to_string()
}

fn labels_found(data: &DataDir, query: &str) -> Vec<String> {
    let found = relais_ok(data, &["catalog", "find", query, "--json"], "");
    stdout_lines(&found)
        .iter()
        .map(|p| p["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn index_left(data: &DataDir) -> u64 {
    let status = stdout_lines(&relais_ok(data, &["status", "--json"], ""));
    status[0]["search_index_pending"].as_u64().expect("a count")
}

/// A big first import sells at once; search finds the same before and after its index is
/// built, which `relais catalog index` finishes.
#[test]
fn a_big_price_list_sells_at_once_and_its_index_is_finished_by_the_cli() {
    let data = DataDir::new();
    init(&data);
    let work = DataDir::new();
    let file = big_price_list(&work);
    let report = relais_ok(&data, &["--lang", "fr", "catalog", "import", &file], "");
    assert!(
        report.contains("Index de recherche : 50000 libellés à indexer"),
        "{report}"
    );
    let status = relais_ok(&data, &["--lang", "fr", "status"], "");
    assert!(
        status.contains("Index de recherche : 50000 libellés à indexer"),
        "{status}"
    );
    let sold = stdout_lines(&relais_ok(
        &data,
        &["sale", "record", "-"],
        r#"{"lines":[{"barcode":"9000012345","qty":2}],"payments":[{"method":"card","amount_cents":290}],"operator":"alice"}"#,
    ));
    assert_eq!(sold[0]["total_cents"], 290, "2 × 1,45 € (product 12345)");
    let queries = ["creme cafe n1234", "savon", "n4999"];
    let before: Vec<Vec<String>> = queries.iter().map(|q| labels_found(&data, q)).collect();
    assert_eq!(before[0], ["Café crème n1234"]);
    assert_eq!(before[1].len(), 50, "{:?}", before[1]);
    let finished = relais_ok(&data, &["--lang", "fr", "catalog", "index"], "");
    assert!(
        finished.contains("Index de recherche complet : 50000 libellés indexés"),
        "{finished}"
    );
    let took = finished.split(" en ").nth(1).unwrap_or_default();
    assert!(
        took.contains(',') && took.ends_with(" s.\n"),
        "a French decimal: {finished}"
    );
    assert_eq!(index_left(&data), 0);
    let after: Vec<Vec<String>> = queries.iter().map(|q| labels_found(&data, q)).collect();
    assert_eq!(after, before);
    let again = relais_ok(&data, &["--lang", "fr", "catalog", "index"], "");
    assert!(again.contains("déjà complet"), "{again}");
}

/// The till app finishes by itself, in the background, the index a big import by the CLI
/// left.
#[tokio::test]
async fn the_app_finishes_the_search_index_in_the_background() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    init(&data);
    let work = DataDir::new();
    let file = big_price_list(&work);
    relais_ok(&data, &["catalog", "import", &file], "");
    assert_eq!(index_left(&data), BIG as u64);
    with_app("index_in_background", &data, |_app| async {
        let start = Instant::now();
        while index_left(&data) > 0 {
            if start.elapsed() > Duration::from_secs(120) {
                return Err(format!("{} labels still to index", index_left(&data)));
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Ok(())
    })
    .await;
    assert_eq!(
        labels_found(&data, "creme cafe n1234"),
        ["Café crème n1234"]
    );
}
