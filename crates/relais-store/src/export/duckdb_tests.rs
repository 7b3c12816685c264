//! csv/ as a program reads it: DuckDB's CSV reader (its Python wheel, `read_csv` with nothing
//! told), the tool a head office or an integrator points at a folder of CSV files. Runs when
//! Python can import `duckdb` (`cargo xtask test` installs the pinned wheel under target/ and
//! gives its folder in `RELAIS_PYTHONPATH`), and says it is skipped otherwise.

use super::poslog_tests::poslog_bundle;
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

fn read_with_duckdb(bundle: &Path) -> Option<Value> {
    let python = || {
        let mut python = Command::new("python3");
        if let Some(path) = std::env::var_os("RELAIS_PYTHONPATH") {
            python.env("PYTHONPATH", path);
        }
        python
    };
    let probe = python().args(["-c", "import duckdb"]).output().ok()?;
    if !probe.status.success() {
        return None;
    }
    let run = python()
        .arg("-c")
        .arg(READ_WITH_DUCKDB)
        .arg(bundle)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "duckdb: {}",
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
        assert!(
            std::env::var_os("RELAIS_PYTHONPATH").is_none(),
            "RELAIS_PYTHONPATH is set but Python cannot import duckdb"
        );
        eprintln!("Python's duckdb not installed: csv/ not read with DuckDB");
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
