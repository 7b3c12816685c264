//! Ledger figures: the latency of one durable sale against an fsync of a small file, bulk
//! throughput, and verification against hashing the same bytes.

use crate::{ms, new_till, percentile, timed, Figure, Scale};
use relais_core::SaleInput;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// Sale k: three lines over three VAT rates, paid in cash (≈ 3 lines per sale, as a shop's).
pub(crate) fn sale(k: usize) -> SaleInput {
    let price = 100 + (k * 37 % 5000) as i64;
    serde_json::from_value(serde_json::json!({
        "lines": [
            {"label": format!("Article {k}"), "unit_price_cents": price, "vat_rate_bp": 2000, "qty": 1 + k % 3},
            {"label": "Baguette", "unit_price_cents": 120, "vat_rate_bp": 550},
            {"label": "Café", "unit_price_cents": 250, "vat_rate_bp": 1000}
        ],
        "payments": [{"method": "cash", "tendered_cents": price * 3 + 2000}],
        "operator": "bench"
    }))
    .expect("a valid sale")
}
pub fn run(dir: &Path, scale: &Scale) -> Vec<Figure> {
    let mut figures: Vec<Figure> = vec![commit_latency(dir, scale), bulk(dir, scale)]
        .into_iter()
        .flatten()
        .collect();
    figures.extend(export(dir));
    figures
}

/// Runs `relais ARGS` on the bulk till; returns (seconds, peak resident memory in MB).
fn relais_timed(dir: &Path, args: &[&str]) -> (f64, f64) {
    let relais = std::env::current_exe()
        .expect("own path")
        .with_file_name("relais");
    let start = std::time::Instant::now();
    let child = std::process::Command::new(relais)
        .args(args)
        .env("RELAIS_DATA_DIR", dir.join("bulk-till"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the relais binary beside relais-bench (cargo xtask bench builds both)");
    // The peak resident memory of the child itself (VmHWM), sampled until it exits.
    let mut child = child;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let hwm = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok());
            peak_kb = peak_kb.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(status.success(), "relais {args:?} failed");
    (start.elapsed().as_secs_f64(), peak_kb as f64 / 1024.0)
}

fn command_seconds(program: &str, args: &[&str], stdout: Option<&Path>) -> Option<f64> {
    let start = std::time::Instant::now();
    let out = match stdout {
        Some(path) => std::process::Stdio::from(std::fs::File::create(path).ok()?),
        None => std::process::Stdio::null(),
    };
    let status = std::process::Command::new(program)
        .args(args)
        .stdout(out)
        .status()
        .ok()?;
    status.success().then(|| start.elapsed().as_secs_f64())
}

/// Exporting the bulk ledger (CLI, in its own process, peak memory measured) against
/// sqlite3 dumping the same rows; verifying the bundle against sha256sum of its records.
fn export(dir: &Path) -> Vec<Figure> {
    let out = dir.join("export-usb");
    let out_text = out.display().to_string();
    let (seconds, peak_mb) =
        relais_timed(dir, &["export", "--out", &out_text, "--operator", "bench"]);
    let db = dir.join("bulk-till").join("relais.db");
    let dump = dir.join("sqlite3-dump.csv");
    let baseline = command_seconds(
        "sqlite3",
        &["-csv", &db.display().to_string(), "SELECT * FROM ledger"],
        Some(&dump),
    );
    let bundle = std::fs::read_dir(&out)
        .expect("the bundle")
        .next()
        .expect("one bundle")
        .expect("entry")
        .path();
    let records = bundle.join("records.jsonl");
    let (verify_seconds, verify_mb) = relais_timed(dir, &["verify", &bundle.display().to_string()]);
    let sha = command_seconds("sha256sum", &[&records.display().to_string()], None);
    let size_mb = std::fs::metadata(&records).map(|m| m.len()).unwrap_or(0) / 1_000_000;
    vec![
        Figure {
            name: "export the bulk ledger (every file, both CSV dialects, report)".into(),
            value: format!("{seconds:.1} s, peak {peak_mb:.0} MB"),
            baseline: baseline
                .map(|b| format!("sqlite3 -csv of the same rows: {b:.1} s"))
                .unwrap_or_else(|| "sqlite3 not installed".into()),
            ratio: baseline.map(|b| seconds / b),
            goal: "≤ 30 s and ≤ 200 MB for 1 000 000 sales; ratio ≤ 2".into(),
            met: Some(
                seconds <= 30.0 && peak_mb <= 200.0 && baseline.is_none_or(|b| seconds <= 2.0 * b),
            ),
        },
        Figure {
            name: format!("verify the bundle with no till ({size_mb} MB of records)"),
            value: format!("{verify_seconds:.1} s, peak {verify_mb:.0} MB"),
            baseline: sha
                .map(|s| format!("sha256sum records.jsonl: {s:.1} s"))
                .unwrap_or_else(|| "sha256sum not found".into()),
            ratio: sha.map(|s| verify_seconds / s),
            goal: "≤ 15 s for 1 000 000 sales".into(),
            met: Some(verify_seconds <= 15.0),
        },
    ]
}
/// The physical limit of a durable write here: write a small file and fsync it.
fn fsync_latencies(dir: &Path, count: usize) -> Vec<Duration> {
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path).expect("probe file");
    let record = [b'x'; 512];
    let mut times: Vec<Duration> = (0..count)
        .map(|_| {
            timed(|| {
                file.write_all(&record).expect("write");
                file.sync_all().expect("fsync");
            })
            .1
        })
        .collect();
    times.sort();
    times
}

/// SQLite's own floor for a durable write here: one row of about a sale record's size into a
/// table with no index, one transaction each, with the till's pragmas (WAL,
/// `synchronous=FULL`). A sale writes the same way, into more b-trees.
fn sqlite_commit_latencies(dir: &Path, count: usize) -> Vec<Duration> {
    let path = dir.join("sqlite-floor.db");
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(&path).expect("floor database");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("WAL");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("FULL");
    conn.execute_batch("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .expect("table");
    let body = "x".repeat(900);
    let mut insert = conn
        .prepare("INSERT INTO rows (body) VALUES (?1)")
        .expect("insert");
    let mut times: Vec<Duration> = (0..count)
        .map(|_| {
            timed(|| {
                conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
                insert.execute([&body]).expect("row");
                conn.execute_batch("COMMIT").expect("commit");
            })
            .1
        })
        .collect();
    times.sort();
    times
}

pub fn commit_latency(dir: &Path, scale: &Scale) -> Vec<Figure> {
    let mut store = new_till(dir, "latency-till");
    let mut times: Vec<Duration> = (0..scale.commits)
        .map(|k| timed(|| sell(&mut store, &sale(k)).expect("sale")).1)
        .collect();
    times.sort();
    let base = fsync_latencies(dir, scale.commits);
    let floor = sqlite_commit_latencies(dir, scale.commits);
    let p50 = |times: &[Duration]| percentile(times, 0.5).as_secs_f64();
    let ratio = p50(&times) / p50(&base);
    vec![Figure {
        name: format!(
            "one sale committed (synchronous=FULL), {} sales",
            scale.commits
        ),
        value: format!(
            "p50 {} · p99 {}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        ),
        baseline: format!(
            "write+fsync 512 B: p50 {} · p99 {}; SQLite alone committing one row (no index, same pragmas): p50 {} ({:.2} × the fsync; ours ÷ that: {:.2})",
            ms(percentile(&base, 0.5)),
            ms(percentile(&base, 0.99)),
            ms(percentile(&floor, 0.5)),
            p50(&floor) / p50(&base),
            p50(&times) / p50(&floor)
        ),
        ratio: Some(ratio),
        goal: "ratio (p50) ≤ 1.5".into(),
        met: Some(ratio <= 1.5),
    }]
}

/// One sale as the CLI records it: its seller checked, then the sale.
pub(crate) fn sell(
    store: &mut relais_store::Store,
    sale: &SaleInput,
) -> relais_store::Result<relais_store::Recorded> {
    let by = store.sale_actor(sale, None)?;
    store.record_sale(sale, &by)
}

/// Sales per transaction in the bulk run.
const BATCH: usize = 10_000;

/// Records `total` bench sales, `BATCH` per transaction.
pub(crate) fn fill(store: &mut relais_store::Store, total: usize) {
    let mut k = 0;
    while k < total {
        let inputs: Vec<SaleInput> = (k..(k + BATCH).min(total)).map(sale).collect();
        let sellers = store.sale_actors(&inputs, None).expect("sellers");
        store.record_sales(&inputs, &sellers).expect("batch");
        k += BATCH;
    }
}

/// The bulk till of the bench, in `dir/bulk-till`, for measuring export and verify by hand
/// (`relais-bench --write-bulk-till DIR COUNT`) without the rest of the run.
pub fn write_bulk_till(dir: &Path, total: usize) {
    let mut store = new_till(dir, "bulk-till");
    fill(&mut store, total);
}

pub(crate) fn bulk(dir: &Path, scale: &Scale) -> Vec<Figure> {
    let mut store = new_till(dir, "bulk-till");
    let total = scale.bulk_sales;
    let (_, took) = timed(|| fill(&mut store, total));
    let rate = total as f64 / took.as_secs_f64();
    let (report, verify_took) = timed(|| store.verify().expect("verify"));
    assert!(report.defect.is_none());
    let bytes = ledger_bytes(dir);
    let (_, hash_took) = timed(|| relais_core::chain::chain_hash(&[0; 32], &bytes));
    vec![
        Figure {
            name: format!("bulk sales ({total}, one transaction per {BATCH})"),
            value: format!("{:.0} sales/s ({:.1} s)", rate, took.as_secs_f64()),
            baseline: "—".into(),
            ratio: None,
            goal: "≥ 5 000 sales/s".into(),
            met: Some(rate >= 5_000.0),
        },
        Figure {
            name: format!(
                "verify the whole chain ({} records)",
                report.summary.records
            ),
            value: format!("{:.2} s", verify_took.as_secs_f64()),
            baseline: format!(
                "SHA-256 of the same {} MB: {:.2} s",
                bytes.len() / 1_000_000,
                hash_took.as_secs_f64()
            ),
            ratio: Some(verify_took.as_secs_f64() / hash_took.as_secs_f64()),
            goal: "≤ 15 s for 1 000 000".into(),
            met: Some(
                verify_took.as_secs_f64() * 1_000_000.0 / report.summary.records as f64 <= 15.0,
            ),
        },
    ]
}

/// Every record's canonical bytes, as verify hashes them.
fn ledger_bytes(dir: &Path) -> Vec<u8> {
    let conn = rusqlite::Connection::open(dir.join("bulk-till").join("relais.db")).expect("open");
    let mut statement = conn
        .prepare("SELECT body FROM ledger ORDER BY pos")
        .expect("prepare");
    let mut out = Vec::new();
    let mut rows = statement.query([]).expect("query");
    while let Some(row) = rows.next().expect("row") {
        out.extend_from_slice(row.get_ref(0).expect("body").as_bytes().expect("text"));
    }
    out
}
