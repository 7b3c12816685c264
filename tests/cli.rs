//! The `relais` command as a user runs it: set-up, sales, receipts, verify, journal, and what
//! happens when someone tampers with the database or kills the program.

use crate::support::{relais, relais_bin, relais_ok, sqlite3, DataDir};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

mod archives;
mod closures;

pub(crate) const EXAMPLE_SALE: &str = r#"{"lines":[{"label":"Divers","unit_price_cents":1250,"vat_rate_bp":2000,"qty":"1.5"}],"payments":[{"method":"cash","amount_cents":1875,"tendered_cents":2000}],"operator":"alice"}"#;

pub(crate) fn init(data: &DataDir) {
    relais_ok(
        data,
        &[
            "init",
            "--shop",
            "Épicerie du Marché",
            "--till",
            "T1",
            "--address",
            "3 place du Marché, 69001 Lyon",
            "--siret",
            "12345678900012",
            "--vat-number",
            "FR12123456789",
        ],
        "",
    );
}

pub(crate) fn stdout_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

/// The sale `k` of a generated stream: varied prices, rates, quantities and tenders.
fn generated_sale(k: u64) -> String {
    let rates = [2000, 1000, 550, 210];
    let price = 100 + (k * 37) % 5000;
    let qty = format!("{}.{:03}", 1 + k % 3, (k * 250) % 1000);
    let line = json!({"label": format!("Article {k}"), "unit_price_cents": price,
                      "vat_rate_bp": rates[(k % 4) as usize], "qty": qty});
    let payment = if k.is_multiple_of(2) {
        json!({"method": "card", "amount_cents": null, "reference": format!("TPE{k}")})
    } else {
        json!({"method": "cash", "tendered_cents": 100_000})
    };
    let mut sale = json!({"lines": [line], "payments": [payment], "operator": "alice"});
    if k.is_multiple_of(2) {
        // Card needs the exact amount: price it the way the core does (qty × price, rounded).
        let milli: u64 = qty.replace('.', "").parse().unwrap();
        let amount = (milli * price + 500) / 1000;
        sale["payments"][0]["amount_cents"] = json!(amount);
    }
    sale.to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_new_user_sets_up_sells_prints_and_verifies() {
    let data = DataDir::new();
    let status = relais_ok(&data, &["--lang", "fr", "status"], "");
    assert!(status.contains("non initialisée"), "{status}");
    init(&data);
    let out = stdout_lines(&relais_ok(&data, &["sale", "record", "-"], EXAMPLE_SALE));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["number"], "T1-000001");
    assert_eq!(out[0]["total_cents"], 1875);
    assert_eq!(out[0]["hash"].as_str().unwrap().len(), 64);
    assert!(out[0]["id"].as_str().unwrap().len() == 36);

    let receipt = relais_ok(&data, &["sale", "show", "T1-000001"], "");
    for mention in [
        "Épicerie du Marché",
        "69001 Lyon",
        "SIRET 12345678900012",
        "TVA FR12123456789",
        "VENTE",
        "T1-000001",
        "Caisse T1",
        "Opérateur : alice",
        "Divers",
        "1,5 x 12,50",
        "TOTAL TTC",
        "18,75 EUR",
        "20 %",
        "15,63",
        "3,12",
        "Espèces",
        "Rendu",
        "1,25",
        "Empreinte : ",
        "Relais ",
    ] {
        assert!(
            receipt.contains(mention),
            "receipt lacks {mention:?}:\n{receipt}"
        );
    }
    let copy = relais_ok(
        &data,
        &["sale", "reprint", "T1-000001", "--operator", "bob"],
        "",
    );
    assert!(copy.contains("DUPLICATA 1"), "{copy}");

    let verify = relais_ok(&data, &["--lang", "fr", "verify"], "");
    assert!(verify.starts_with("ok: caisse T1"), "{verify}");
    let journal = relais_ok(&data, &["journal", "--json"], "");
    let names: Vec<String> = stdout_lines(&journal)
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names[0], "till_initialised");
    assert!(
        names.iter().filter(|n| *n == "startup").count() >= 2,
        "{names:?}"
    );
}

#[test]
fn bad_sales_are_refused_with_the_field_and_nothing_is_written() {
    let data = DataDir::new();
    init(&data);
    let cases = [
        (
            "empty sale",
            r#"{"lines":[],"payments":[],"operator":"a"}"#,
            "lines",
        ),
        (
            "short payment",
            r#"{"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":2000}],"payments":[{"method":"card","amount_cents":900}],"operator":"a"}"#,
            "payments",
        ),
        (
            "change on card",
            r#"{"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":2000}],"payments":[{"method":"card","amount_cents":1000,"tendered_cents":2000}],"operator":"a"}"#,
            "payments[0].tendered_cents",
        ),
        (
            "zero quantity",
            r#"{"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":2000,"qty":0}],"payments":[],"operator":"a"}"#,
            "lines[0].qty",
        ),
        (
            "unknown rate",
            r#"{"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":1234}],"payments":[],"operator":"a"}"#,
            "lines[0].vat_rate_bp",
        ),
        (
            "misspelt field",
            r#"{"lines":[{"label":"X","price":1000,"vat_rate_bp":2000}],"payments":[],"operator":"a"}"#,
            "lines[0]",
        ),
        (
            "no operator",
            r#"{"lines":[{"label":"X","unit_price_cents":1000,"vat_rate_bp":2000}],"payments":[{"method":"cash","amount_cents":1000}]}"#,
            "operator",
        ),
        ("not JSON", "{lines:", "JSON"),
    ];
    for (name, input, field) in cases {
        let output = relais(&data, &["--lang", "en", "sale", "record", "-"], input);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{name}: accepted");
        assert!(stderr.contains(field), "{name}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "{name}: printed an acknowledgement"
        );
    }
    let status: Value = serde_json::from_str(&relais_ok(&data, &["status", "--json"], "")).unwrap();
    assert_eq!(status["sales"], 0);
}

#[test]
fn the_same_sale_id_sent_twice_is_recorded_once() {
    let data = DataDir::new();
    init(&data);
    let mut sale: Value = serde_json::from_str(EXAMPLE_SALE).unwrap();
    sale["id"] = json!("019ac9a4-1f00-7000-8000-0000000000aa");
    let twice = format!("{sale}\n{sale}\n");
    let out = stdout_lines(&relais_ok(&data, &["sale", "record", "-"], &twice));
    assert_eq!(out[0]["number"], out[1]["number"]);
    assert_eq!(
        (out[0]["duplicate"].clone(), out[1]["duplicate"].clone()),
        (json!(false), json!(true))
    );
    let status: Value = serde_json::from_str(&relais_ok(&data, &["status", "--json"], "")).unwrap();
    assert_eq!(status["sales"], 1);
}

/// 1 000 sales through the CLI verify; then each change made with the sqlite3 tool (triggers
/// dropped first) to a copy of that ledger makes `verify` fail and name the record.
#[test]
fn a_thousand_sales_verify_and_every_tampering_is_named() {
    let data = DataDir::new();
    init(&data);
    let stream: String = (1..=1000).map(|k| generated_sale(k) + "\n").collect();
    let out = stdout_lines(&relais_ok(&data, &["sale", "record", "-"], &stream));
    assert_eq!(out.len(), 1000);
    assert_eq!(out[999]["number"], "T1-001000");
    assert!(relais_ok(&data, &["--lang", "fr", "verify"], "").contains("1004 enregistrements"));

    let sale = |seq: u32| format!("kind = 'sale' AND seq = {seq}");
    let cases: Vec<(&str, String, String)> = vec![
        ("amount in the record", format!("UPDATE ledger SET body = replace(body, '\"amount_cents\":', '\"amount_cents\":1') WHERE {}", sale(500)), "T1-000500".into()),
        ("amount column", format!("UPDATE ledger SET total_cents = total_cents + 1 WHERE {}", sale(1)), "T1-000001".into()),
        ("label", format!("UPDATE ledger SET body = replace(body, 'Article 777', 'Article 778') WHERE {}", sale(777)), "T1-000777".into()),
        ("date in the record", format!("UPDATE ledger SET body = replace(body, '\"at\":\"20', '\"at\":\"19') WHERE {}", sale(42)), "T1-000042".into()),
        ("date column", format!("UPDATE ledger SET at = '2020-01-01T00:00:00.000Z' WHERE {}", sale(43)), "T1-000043".into()),
        ("hash", format!("UPDATE ledger SET hash = '{}' WHERE {}", "0".repeat(64), sale(999)), "T1-000999".into()),
        ("last sale's amount", format!("UPDATE ledger SET body = replace(body, '\"total_cents\":', '\"total_cents\":9') WHERE {}", sale(1000)), "T1-001000".into()),
        ("last row deleted", "DELETE FROM ledger WHERE pos = (SELECT MAX(pos) FROM ledger)".into(), "position 1004".into()),
        ("middle row deleted", format!("DELETE FROM ledger WHERE {}", sale(300)), "position 304".into()),
    ];
    for (name, sql, expected) in cases {
        let copy = DataDir::new();
        copy_dir(data.path(), copy.path());
        sqlite3(
            &copy.path().join("relais.db"),
            &format!("DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete; {sql};"),
        );
        let output = relais(&copy, &["verify"], "");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!output.status.success(), "{name}: verify passed:\n{stdout}");
        assert!(
            stdout.contains(&expected),
            "{name}: does not name {expected}:\n{stdout}"
        );
    }
}

/// SIGKILL in the middle of a stream of sales: every sale the CLI acknowledged is there,
/// numbers have no gap, the chain verifies, and the next run continues the numbering.
#[test]
fn killing_the_cli_mid_stream_loses_nothing_acknowledged() {
    let data = DataDir::new();
    init(&data);
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..5u64 {
        let mut child = Command::new(relais_bin())
            .args(["sale", "record", "-"])
            .env("RELAIS_DATA_DIR", data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || {
            for k in 0..10_000u64 {
                if writeln!(stdin, "{}", generated_sale(k)).is_err() {
                    break; // the process is dead
                }
            }
        });
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let wanted = 20 + round * 13;
        for _ in 0..wanted {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let ack: Value = serde_json::from_str(&line).unwrap();
            acknowledged.push(ack["number"].as_str().unwrap().to_string());
        }
        // SIGKILL while the stream goes on: the sale being written is lost or complete.
        child.kill().unwrap();
        child.wait().unwrap();
        // Acknowledgements already in the pipe are acknowledged sales too.
        let mut rest = String::new();
        while reader.read_line(&mut rest).map(|n| n > 0).unwrap_or(false) {
            if let Ok(ack) = serde_json::from_str::<Value>(&rest) {
                acknowledged.push(ack["number"].as_str().unwrap().to_string());
            }
            rest.clear();
        }
        feeder.join().unwrap();
    }
    let verify = relais_ok(&data, &["verify"], "");
    assert!(verify.starts_with("ok:"), "{verify}");
    for number in &acknowledged {
        relais_ok(&data, &["sale", "show", number], "");
    }
    let status: Value = serde_json::from_str(&relais_ok(&data, &["status", "--json"], "")).unwrap();
    let sales = status["sales"].as_u64().unwrap();
    assert!(sales >= acknowledged.len() as u64);
    let next = stdout_lines(&relais_ok(&data, &["sale", "record", "-"], EXAMPLE_SALE));
    assert_eq!(
        next[0]["number"],
        format!("T1-{:06}", sales + 1),
        "no gap, no reuse"
    );
}

#[test]
fn the_data_directory_comes_from_the_flag_or_the_environment() {
    let by_env = DataDir::new();
    init(&by_env);
    let by_flag = DataDir::new();
    let path = by_flag.path().to_str().unwrap();
    relais_ok(
        &by_env,
        &[
            "--data-dir",
            path,
            "init",
            "--shop",
            "Autre",
            "--till",
            "T2",
        ],
        "",
    );
    assert!(by_flag.path().join("relais.db").is_file());
    let status: Value = serde_json::from_str(&relais_ok(
        &by_env,
        &["--data-dir", path, "status", "--json"],
        "",
    ))
    .unwrap();
    assert_eq!(status["till"], "T2");
    let status: Value =
        serde_json::from_str(&relais_ok(&by_env, &["status", "--json"], "")).unwrap();
    assert_eq!(status["till"], "T1");
}

/// The documented paper template imports as late sales, once.
#[test]
fn the_paper_template_is_keyed_in_once() {
    let data = DataDir::new();
    init(&data);
    let template = crate::support::workspace_root()
        .join("docs/modele-papier.csv")
        .display()
        .to_string();
    let first = relais_ok(
        &data,
        &["--lang", "fr", "sale", "import-paper", &template],
        "",
    );
    assert!(
        first.contains("bordereaux enregistrés 4, déjà saisis 0, rejetés 0"),
        "{first}"
    );
    assert!(
        first.contains("2026-11-25") && first.contains("2026-11-26"),
        "{first}"
    );
    let again = relais_ok(
        &data,
        &["--lang", "fr", "sale", "import-paper", &template],
        "",
    );
    assert!(
        again.contains("bordereaux enregistrés 0, déjà saisis 4"),
        "{again}"
    );
    let receipt = relais_ok(&data, &["sale", "show", "T1-000002"], "");
    assert!(
        receipt.contains("Gâteau 6 parts") && receipt.contains("Carte bancaire TPE 004512"),
        "{receipt}"
    );
    assert!(relais_ok(&data, &["verify"], "").starts_with("ok:"));
}

#[test]
fn an_order_is_taken_with_a_deposit_and_collected() {
    let data = DataDir::new();
    init(&data);
    let order = r#"{"customer":{"name":"Mme Durand","phone":"06 12 34 56 78"},"lines":[{"label":"Gâteau 8 parts","unit_price_cents":3200,"vat_rate_bp":550}],"requested_date":"2026-11-30","deposit":[{"method":"card","amount_cents":1000}],"operator":"alice"}"#;
    let taken: Value =
        serde_json::from_str(&relais_ok(&data, &["order", "create", "-"], order)).unwrap();
    assert_eq!(
        (taken["number"].as_str(), taken["balance_cents"].as_i64()),
        (Some("T1-C000001"), Some(2200))
    );
    relais_ok(
        &data,
        &[
            "order",
            "status",
            "T1-C000001",
            "ready",
            "--operator",
            "alice",
        ],
        "",
    );
    let found = relais_ok(&data, &["order", "list", "--search", "0612", "--json"], "");
    assert_eq!(stdout_lines(&found)[0]["status"], "ready");
    let collected = relais_ok(
        &data,
        &[
            "order",
            "status",
            "T1-C000001",
            "collected",
            "--pay",
            "cash:22,00:25",
            "--operator",
            "alice",
            "--json",
        ],
        "",
    );
    let lines = stdout_lines(&collected);
    assert_eq!(lines[0]["total_cents"], 3200, "the collecting sale");
    assert_eq!(lines[1]["status"], "collected");
    let x = relais_ok(&data, &["day", "x"], "");
    assert!(
        x.contains("Acomptes de commandes") && x.contains("Acompte"),
        "{x}"
    );
}

/// Two tills export (one zipped), the bundles verify with no till, a changed byte is named,
/// and the shop bundle merged from both verifies.
#[test]
fn bundles_are_exported_verified_and_merged_without_a_till() {
    let usb = DataDir::new();
    let mut folders = Vec::new();
    for till in ["T1", "T2"] {
        let data = DataDir::new();
        relais_ok(
            &data,
            &["init", "--shop", "Épicerie du Marché", "--till", till],
            "",
        );
        relais_ok(&data, &["sale", "record", "-"], EXAMPLE_SALE);
        let report: Value = serde_json::from_str(&relais_ok(
            &data,
            &[
                "export",
                "--out",
                usb.path().to_str().unwrap(),
                "--zip",
                "--operator",
                "alice",
                "--json",
            ],
            "",
        ))
        .unwrap();
        folders.push(report["folder"].as_str().unwrap().to_string());
        let zip = report["zip"].as_str().unwrap().to_string();
        let nowhere = DataDir::new();
        let verdict = relais_ok(&nowhere, &["--lang", "fr", "verify", &zip], "");
        assert!(verdict.starts_with("ok: export intègre"));
        let key = relais_ok(&data, &["key"], "");
        assert!(
            verdict.contains(&format!("{till} : {}", key.trim())),
            "the key to compare: {verdict}"
        );
    }
    let nowhere = DataDir::new();
    let sales = std::path::Path::new(&folders[0]).join("csv/sales.csv");
    let original = std::fs::read(&sales).unwrap();
    let mut changed = original.clone();
    let at = changed.len() / 2;
    changed[at] ^= 1;
    std::fs::write(&sales, &changed).unwrap();
    let output = relais(&nowhere, &["--lang", "fr", "verify", &folders[0]], "");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("csv/sales.csv"),
        "the file is named"
    );
    std::fs::write(&sales, &original).unwrap();
    let shop = DataDir::new();
    let merged = relais_ok(
        &nowhere,
        &[
            "--lang",
            "fr",
            "merge",
            &folders[0],
            &folders[1],
            "--out",
            shop.path().to_str().unwrap(),
        ],
        "",
    );
    assert!(merged.contains("T1, T2"), "{merged}");
    let folder = shop.path().join("relais-boutique-T1-T2");
    let verdict = relais_ok(
        &nowhere,
        &["--lang", "fr", "verify", folder.to_str().unwrap()],
        "",
    );
    assert!(
        verdict.starts_with("ok:") && verdict.contains("(T1, T2)"),
        "{verdict}"
    );
    assert!(
        !nowhere.path().join("relais.db").exists(),
        "no till was created to verify or merge"
    );
}

/// `relais … | head -1`: once the reader has gone, the command ends as Unix tools do (by
/// SIGPIPE), with no panic and no backtrace on the terminal.
#[test]
fn a_reader_that_stops_early_gets_no_panic() {
    let data = DataDir::new();
    init(&data);
    let sales = format!("{EXAMPLE_SALE}\n").repeat(1500);
    relais_ok(&data, &["sale", "record", "-"], &sales);
    let mut child = Command::new(relais_bin())
        .args(["reentry", "left", "--limit", "2000"])
        .env("RELAIS_DATA_DIR", data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("T1-000001"), "{first}");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!output.status.success(), "stopped by the closed pipe");
}
