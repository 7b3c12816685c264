//! Ledger figures: the latency of one durable sale against an fsync of a small file, bulk
//! throughput, and verification against hashing the same bytes.

use crate::{ms, new_till, percentile, timed, Figure, Scale};
use relais_core::SaleInput;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

fn sale(k: usize) -> SaleInput {
    let price = 100 + (k * 37 % 5000) as i64;
    serde_json::from_value(serde_json::json!({
        "lines": [{"label": format!("Article {k}"), "unit_price_cents": price, "vat_rate_bp": 2000, "qty": 1 + k % 3}],
        "payments": [{"method": "cash", "tendered_cents": price * 3 + 1000}],
        "operator": "bench"
    }))
    .expect("a valid sale")
}

pub fn run(dir: &Path, scale: &Scale) -> Vec<Figure> {
    vec![commit_latency(dir, scale), bulk(dir, scale)]
        .into_iter()
        .flatten()
        .collect()
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

fn commit_latency(dir: &Path, scale: &Scale) -> Vec<Figure> {
    let mut store = new_till(dir, "latency-till");
    let mut times: Vec<Duration> = (0..scale.commits)
        .map(|k| timed(|| store.record_sale(&sale(k), None).expect("sale")).1)
        .collect();
    times.sort();
    let base = fsync_latencies(dir, scale.commits);
    let ratio = percentile(&times, 0.5).as_secs_f64() / percentile(&base, 0.5).as_secs_f64();
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
            "write+fsync 512 B: p50 {} · p99 {}",
            ms(percentile(&base, 0.5)),
            ms(percentile(&base, 0.99))
        ),
        ratio: Some(ratio),
        goal: "ratio (p50) ≤ 1.5".into(),
        met: Some(ratio <= 1.5),
    }]
}

fn bulk(dir: &Path, scale: &Scale) -> Vec<Figure> {
    let mut store = new_till(dir, "bulk-till");
    let batch = 10_000;
    let total = scale.bulk_sales;
    let (_, took) = timed(|| {
        let mut k = 0;
        while k < total {
            let inputs: Vec<SaleInput> = (k..(k + batch).min(total)).map(sale).collect();
            store.record_sales(&inputs, None).expect("batch");
            k += batch;
        }
    });
    let rate = total as f64 / took.as_secs_f64();
    let (report, verify_took) = timed(|| store.verify().expect("verify"));
    assert!(report.defect.is_none());
    let bytes = ledger_bytes(dir);
    let (_, hash_took) = timed(|| relais_core::chain::chain_hash(&[0; 32], &bytes));
    vec![
        Figure {
            name: format!("bulk sales ({total}, one transaction per {batch})"),
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
