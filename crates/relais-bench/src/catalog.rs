//! Catalogue figures: import throughput against `sqlite3 .import`, barcode lookup and label
//! search latency, and opening a till whatever its catalogue size.

use crate::data::{barcodes_of, catalog_csv, search_query, Rng};
use crate::{ms, new_till, percentile, timed, Figure, Scale};
use relais_store::catalog::ImportOptions;
use relais_store::Store;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub fn run(dir: &Path, scale: &Scale) -> Vec<Figure> {
    let n = scale.products;
    let file = dir.join("catalogue.csv");
    std::fs::write(&file, catalog_csv(n)).expect("write the catalogue file");
    let baseline = sqlite3_import(dir, &file);
    let mut store = new_till(dir, "catalog-till");
    let options = ImportOptions {
        operator: "bench".into(),
        ..ImportOptions::default()
    };
    let (report, took) = timed(|| {
        let by = store.own_manager("bench").expect("a till without staff");
        store.import_catalog(&file, &options, &by).expect("import")
    });
    assert_eq!(
        report.imported,
        n,
        "every generated row imports: {:?}",
        report.rejects.first()
    );
    let rate = n as f64 / took.as_secs_f64();
    let left = store.search_index_pending().expect("the index left");
    let searching = searches_while_indexing(&store, scale);
    let (_, indexing) = timed(|| store.finish_search_index().expect("finish the index"));
    let floor = sqlite_floor(dir, &dir.join("catalog-till").join("relais.db"));
    let mut figures = vec![Figure {
        name: format!("catalogue import, {n} rows (parse, check, write; keys and barcode index)"),
        value: format!("{:.0} rows/s ({:.1} s)", rate, took.as_secs_f64()),
        baseline: baseline
            .map(|b| {
                format!(
                    "sqlite3 .import: {:.0} rows/s ({:.1} s); SQLite alone writing the same \
                     rows, keys and barcode index: {:.1} s (ours ÷ that: {:.2})",
                    n as f64 / b.as_secs_f64(),
                    b.as_secs_f64(),
                    floor.as_secs_f64(),
                    took.as_secs_f64() / floor.as_secs_f64()
                )
            })
            .unwrap_or_else(|| "sqlite3 not installed".into()),
        ratio: baseline.map(|b| took.as_secs_f64() / b.as_secs_f64()),
        goal: "≥ 100 000 rows/s; ratio ≤ 2".into(),
        met: Some(
            rate >= 100_000.0
                && baseline.is_none_or(|b| took.as_secs_f64() / b.as_secs_f64() <= 2.0),
        ),
    }];
    figures.push(Figure {
        name: format!("search index left by the import ({left} labels), built after it"),
        value: format!(
            "{:.1} s; searches meanwhile: {searching}",
            indexing.as_secs_f64()
        ),
        baseline: "—".into(),
        ratio: None,
        goal: "— (in the background: the app builds it while selling)".into(),
        met: None,
    });
    figures.extend(lookups(&store, scale));
    drop(store);
    figures.push(opening(dir));
    figures
}

/// The plain-table import of the same file by the sqlite3 tool: no parsing of numbers, no
/// checks, no index; what writing these bytes into SQLite costs at least.
fn sqlite3_import(dir: &Path, file: &Path) -> Option<Duration> {
    let db = dir.join("baseline-import.db");
    let start = std::time::Instant::now();
    let status = Command::new("sqlite3")
        .arg(&db)
        .args([".mode csv", ".separator ;"])
        .arg(format!(".import {} raw", file.display()))
        .status()
        .ok()?;
    status.success().then(|| start.elapsed())
}

/// What SQLite alone needs to write this catalogue as a big first import does: the imported
/// rows copied, already parsed and checked, into a new database with the same tables, keys
/// and barcodes-by-product index (same pragmas, one transaction); the label index and the
/// full-text index are built after the import, as by the import (timed apart). The import
/// cannot be faster than this, whatever its parsing; it bounds the ratio to `.import`, which
/// writes one plain table.
fn sqlite_floor(dir: &Path, till: &Path) -> Duration {
    let db = dir.join("floor.db");
    let conn = rusqlite::Connection::open(&db).expect("open the floor database");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -524288;",
    )
    .expect("pragmas");
    conn.execute("ATTACH ?1 AS till", [till.to_str().expect("a UTF-8 path")])
        .expect("attach the till");
    let sql_of = |kind: &str, name: &str| -> String {
        conn.query_row(
            "SELECT sql FROM till.sqlite_schema WHERE type = ?1 AND name = ?2",
            [kind, name],
            |r| r.get(0),
        )
        .expect("the till's schema")
    };
    let mut schema: Vec<String> = ["departments", "products", "barcodes", "label_terms"]
        .iter()
        .map(|name| sql_of("table", name))
        .collect();
    schema.push(sql_of("index", "barcodes_product"));
    for sql in &schema {
        conn.execute_batch(sql).expect("create a table");
    }
    let (_, took) = timed(|| {
        conn.execute_batch(
            "BEGIN IMMEDIATE;
             INSERT INTO departments SELECT * FROM till.departments;
             INSERT INTO products SELECT * FROM till.products ORDER BY id;
             INSERT INTO barcodes SELECT * FROM till.barcodes ORDER BY product_id;
             INSERT INTO label_terms SELECT * FROM till.label_terms;
             COMMIT;",
        )
        .expect("fill the floor database");
    });
    took
}

/// Label searches before the index is built: read from the products themselves.
fn searches_while_indexing(store: &Store, scale: &Scale) -> String {
    let mut rng = Rng::new(11);
    let mut times: Vec<Duration> = (0..scale.searches.min(50))
        .map(|_| {
            let query = search_query(&mut rng);
            timed(|| store.search_products(&query, 50).expect("search")).1
        })
        .collect();
    times.sort();
    format!(
        "p50 {} · p99 {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    )
}

fn lookups(store: &Store, scale: &Scale) -> Vec<Figure> {
    let mut rng = Rng::new(7);
    let mut times = Vec::with_capacity(scale.lookups);
    for _ in 0..scale.lookups {
        let code = barcodes_of(rng.below(scale.products))
            .pop()
            .expect("a barcode");
        let (found, took) = timed(|| store.product_by_code(&code).expect("lookup"));
        assert!(found.is_some(), "{code} is in the catalogue");
        times.push(took);
    }
    times.sort();
    let barcode_p99 = percentile(&times, 0.99);
    let mut search_times = Vec::with_capacity(scale.searches);
    let mut search_cpu = Vec::with_capacity(scale.searches);
    let mut empty = 0;
    for _ in 0..scale.searches {
        let query = search_query(&mut rng);
        let cpu = thread_cpu();
        let (found, took) = timed(|| store.search_products(&query, 50).expect("search"));
        search_cpu.push(thread_cpu() - cpu);
        empty += usize::from(found.is_empty());
        search_times.push(took);
    }
    search_times.sort();
    search_cpu.sort();
    let search_p99 = percentile(&search_times, 0.99);
    vec![
        Figure {
            name: format!("barcode lookup, {} products", scale.products),
            value: format!(
                "p50 {} · p99 {}",
                ms(percentile(&times, 0.5)),
                ms(barcode_p99)
            ),
            baseline: "—".into(),
            ratio: None,
            goal: "p99 ≤ 1 ms".into(),
            met: Some(barcode_p99 <= Duration::from_millis(1)),
        },
        Figure {
            name: format!("label search (first 50), {} products", scale.products),
            value: format!(
                "p50 {} · p99 {} (CPU time: p50 {} · p99 {}; {} of {} queries found nothing)",
                ms(percentile(&search_times, 0.5)),
                ms(search_p99),
                ms(percentile(&search_cpu, 0.5)),
                ms(percentile(&search_cpu, 0.99)),
                empty,
                scale.searches
            ),
            baseline: "—".into(),
            ratio: None,
            goal: "p99 ≤ 20 ms".into(),
            met: Some(search_p99 <= Duration::from_millis(20)),
        },
    ]
}

/// Opening a till and reading its status must not depend on the catalogue's size.
fn opening(dir: &Path) -> Figure {
    let empty = new_till(dir, "empty-till");
    drop(empty);
    let time_open = |name: &str| {
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let (_, took) = timed(|| {
                let mut store = Store::open(&dir.join(name)).expect("open");
                store.status().expect("status");
            });
            best = best.min(took);
        }
        best
    };
    let with_catalogue = time_open("catalog-till");
    let without = time_open("empty-till");
    let ratio = with_catalogue.as_secs_f64() / without.as_secs_f64();
    Figure {
        name: "open a till + status, big catalogue vs empty".into(),
        value: ms(with_catalogue),
        baseline: format!("empty catalogue: {}", ms(without)),
        ratio: Some(ratio),
        goal: "independent of catalogue size (ratio ≈ 1)".into(),
        met: Some(ratio < 2.0),
    }
}

/// The slowest label searches on an existing till, with what they found. Times are the
/// thread's CPU time, not the wall clock: on a busy machine the wall clock mostly measures
/// the other processes.
pub fn probe_search(till: &Path, count: usize) {
    let store = Store::open(till).expect("open the till");
    let mut rng = Rng::new(7);
    let mut times: Vec<(Duration, String, usize)> = (0..count)
        .map(|_| {
            let query = search_query(&mut rng);
            let start = thread_cpu();
            let found = store.search_products(&query, 50).expect("search");
            (thread_cpu() - start, query, found.len())
        })
        .collect();
    times.sort();
    let all: Vec<Duration> = times.iter().map(|t| t.0).collect();
    println!(
        "CPU time: p50 {} p99 {} max {}",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        ms(percentile(&all, 1.0))
    );
    for (took, query, found) in times.iter().rev().take(8) {
        println!("{} {query:?} {found}", ms(*took));
    }
}

/// CPU time of the calling thread.
pub fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `now` is.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}
