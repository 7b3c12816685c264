//! The bundle as third-party readers read it: csv/ through DuckDB's CSV reader (its Python
//! wheel, `read_csv` with nothing told), the tool a head office or an integrator points at a
//! folder of CSV files; the FEC through `fec-parser`, a FEC reader from PyPI. Run when Python
//! can import them (`cargo xtask test` installs the pinned wheels under target/ and gives their
//! folder in `RELAIS_PYTHONPATH`), and say they are skipped otherwise.

use super::poslog_tests::poslog_bundle;
use super::tests::busy_till;
use super::ExportOptions;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// For every file of csv/: each column's type as DuckDB guessed it, and the sums a program
/// would compute first.
const READ_WITH_DUCKDB: &str = r#"
import duckdb, glob, json, os, sys
folder = sys.argv[1]
out = {"types": {}, "sums": {}}
for path in sorted(glob.glob(os.path.join(folder, "csv", "*.csv"))):
    table = duckdb.read_csv(path)
    name = os.path.basename(path)
    out["types"][name] = {c: str(t) for c, t in zip(table.columns, table.types)}
def one(sql):
    return duckdb.sql(sql).fetchall()[0][0]
csv = lambda name: "read_csv('" + os.path.join(folder, "csv", name) + "')"
out["sums"]["sales_total"] = one(f"select round(sum(total_ttc) * 100) from {csv('sales.csv')}")
out["sums"]["lines_total"] = one(f"select round(sum(total_ttc) * 100) from {csv('sale_lines.csv')}")
out["sums"]["vat_ttc"] = one(f"select round(sum(ttc) * 100) from {csv('sale_vat.csv')}")
out["sums"]["paid"] = one(
    f"select round(sum(amount) * 100) from {csv('payments.csv')} where method <> 'deposit'")
out["sums"]["deposits"] = one(f"select round(sum(amount) * 100) from {csv('deposits.csv')}")
out["sums"]["first_sale_day"] = str(one(f"select min(business_day) from {csv('sales.csv')}"))
print(json.dumps(out))
"#;

/// The FEC as fec-parser reads it (it picks UTF-8, else ISO 8859-15, and the delimiter): every
/// entry line, with its date, labels and amounts.
const READ_WITH_FEC_PARSER: &str = r#"
import json, sys
from fec_parser.parser import FECParser
with open(sys.argv[1], "rb") as file:
    parser = FECParser.from_bytesio(file)
    lines = [
        {"journal": e.journal_code, "date": e.ecriture_date.isoformat(), "account": e.compte_num,
         "account_label": e.compte_lib, "label": e.ecriture_lib,
         "debit": int(e.debit * 100), "credit": int(e.credit * 100)}
        for e in parser.get_ecritures()
    ]
print(json.dumps(lines))
"#;

fn read_with_duckdb(bundle: &Path) -> Option<Value> {
    run_python("duckdb", READ_WITH_DUCKDB, bundle)
}

/// Runs `script` with `arg` when Python can import `module`; its standard output as JSON.
fn run_python(module: &str, script: &str, arg: &Path) -> Option<Value> {
    let python = || {
        let mut python = Command::new("python3");
        if let Some(path) = std::env::var_os("RELAIS_PYTHONPATH") {
            python.env("PYTHONPATH", path);
        }
        python
    };
    let import = format!("import {module}");
    let probe = python().args(["-c", &import]).output().ok()?;
    if !probe.status.success() {
        assert!(
            std::env::var_os("RELAIS_PYTHONPATH").is_none(),
            "RELAIS_PYTHONPATH is set but Python cannot import {module}"
        );
        eprintln!("Python's {module} not installed: this reader is not tried");
        return None;
    }
    let run = python().arg("-c").arg(script).arg(arg).output().unwrap();
    assert!(
        run.status.success(),
        "{module}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    Some(serde_json::from_slice(&run.stdout).unwrap())
}

/// Read with nothing told, every column DuckDB guesses has the type its values mean, and the
/// sums a program computes equal the bundle's own totals.
#[test]
fn csv_reads_in_duckdb_with_dates_times_and_amounts_typed_and_totals_equal() {
    let (_dir, _out, folder) = poslog_bundle();
    let Some(read) = read_with_duckdb(&folder) else {
        return;
    };
    let types = &read["types"];
    let cases = [
        ("sales.csv", "business_day", "DATE"),
        ("sales.csv", "recorded_at_utc", "TIMESTAMP WITH TIME ZONE"),
        ("sales.csv", "local_time", "TIMESTAMP"),
        ("sales.csv", "late_sold_at_utc", "TIMESTAMP WITH TIME ZONE"),
        ("sales.csv", "total_ttc", "DOUBLE"),
        ("sales.csv", "lines", "BIGINT"),
        ("sales.csv", "number", "VARCHAR"),
        ("sales.csv", "late_slip", "VARCHAR"),
        ("sale_lines.csv", "qty", "DOUBLE"),
        ("sale_lines.csv", "vat_rate", "DOUBLE"),
        ("sale_lines.csv", "barcode", "VARCHAR"),
        ("payments.csv", "amount", "DOUBLE"),
        ("orders.csv", "phone", "VARCHAR"),
        ("orders.csv", "created_local", "TIMESTAMP"),
        ("closures.csv", "automatic", "BOOLEAN"),
        ("events.csv", "local_time", "TIMESTAMP"),
        (
            "deposits.csv",
            "recorded_at_utc",
            "TIMESTAMP WITH TIME ZONE",
        ),
    ];
    for (file, column, want) in cases {
        assert_eq!(
            types[file][column].as_str(),
            Some(want),
            "{file} {column}: {}",
            types[file]
        );
    }
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    let totals = &manifest["totals"];
    let paid: i64 = totals["tenders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["method"] != "deposit")
        .map(|t| t["amount_cents"].as_i64().unwrap())
        .sum();
    let deposits = totals["deposits_received_cents"].as_i64().unwrap()
        + totals["deposits_refunded_cents"].as_i64().unwrap();
    let sums = &read["sums"];
    let cents = |name: &str| sums[name].as_f64().unwrap() as i64;
    assert_eq!(
        cents("sales_total"),
        totals["total_cents"].as_i64().unwrap()
    );
    assert_eq!(
        cents("lines_total"),
        totals["total_cents"].as_i64().unwrap()
    );
    assert_eq!(cents("vat_ttc"), totals["total_cents"].as_i64().unwrap());
    assert_eq!(cents("paid"), paid);
    assert_eq!(cents("deposits"), deposits);
    assert!(sums["first_sale_day"].as_str().unwrap().starts_with("20"));
}

/// fec-parser reads every line of the FEC, in ISO 8859-15 with its accents, each entry
/// balanced, and the sales journal's turnover equal to the bundle's total.
#[test]
fn the_fec_reads_in_fec_parser_balanced_with_the_bundles_total() {
    // Every day of the busy till is closed, or keyed in from paper: the FEC holds them all.
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let options = ExportOptions {
        out: out.path().to_path_buf(),
        fec: true,
        operator: "Marie".into(),
        ..ExportOptions::default()
    };
    let report = busy_till(dir.path()).export_as(&options).unwrap();
    let folder = std::path::PathBuf::from(report.folder);
    let fec = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().contains("FEC"))
        .expect("a FEC file in the bundle");
    let Some(read) = run_python("fec_parser", READ_WITH_FEC_PARSER, &fec) else {
        return;
    };
    let lines = read.as_array().unwrap();
    let written = std::fs::read(&fec).unwrap();
    let rows = written
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(lines.len(), rows - 1, "every line but the header read");
    let sum = |field: &str| -> i64 { lines.iter().map(|l| l[field].as_i64().unwrap()).sum() };
    assert_eq!(sum("debit"), sum("credit"), "the journal balances");
    let turnover: i64 = lines
        .iter()
        .filter(|l| {
            let account = l["account"].as_str().unwrap();
            account.starts_with("7070") || account.starts_with("44571")
        })
        .map(|l| l["credit"].as_i64().unwrap() - l["debit"].as_i64().unwrap())
        .sum();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        turnover,
        manifest["totals"]["total_cents"].as_i64().unwrap()
    );
    let words: String = lines
        .iter()
        .map(|l| format!("{} {} ", l["label"], l["account_label"]))
        .collect();
    assert!(
        words.contains("ô") || words.contains("é"),
        "accents read back: {words}"
    );
}
