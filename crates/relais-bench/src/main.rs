//! `relais-bench [--quick] [--dir DIR] [--lan-only] [--app RELAIS_APP [--app-only|--drawer-only]]`: measures Relais
//! against what the machine can do, each figure next to a baseline measured in the same run
//! on the same disk. `--app` adds the desktop app under Xvfb (needs DISPLAY and
//! tauri-driver). Run it through `cargo xtask bench` (release build). Results and method:
//! docs/PERFORMANCE.md.

mod app;
mod catalog;
mod data;
mod drawer;
mod lan;
mod ledger;
mod memory;
mod stress;
mod webdriver;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The store code measured in-process runs with the allocator the `relais` command ships
/// with (the app keeps glibc's, for its memory: see ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How big the run is.
pub struct Scale {
    pub products: u64,
    pub lookups: usize,
    pub searches: usize,
    pub commits: usize,
    pub bulk_sales: usize,
    /// Sales made visible at another till over the LAN, one by one.
    pub lan_sales: usize,
    /// Records of a till caught up from it over the LAN.
    pub lan_records: usize,
}

const FULL: Scale = Scale {
    products: 1_000_000,
    lookups: 20_000,
    searches: 2_000,
    commits: 1_000,
    bulk_sales: 1_000_000,
    lan_sales: 500,
    lan_records: 100_000,
};
const QUICK: Scale = Scale {
    products: 100_000,
    lookups: 5_000,
    searches: 500,
    commits: 200,
    bulk_sales: 50_000,
    lan_sales: 100,
    lan_records: 20_000,
};

/// One line of the result table.
pub struct Figure {
    pub name: String,
    pub value: String,
    pub baseline: String,
    /// Ours divided by the baseline (lower is better) where the comparison is meaningful.
    pub ratio: Option<f64>,
    pub goal: String,
    pub met: Option<bool>,
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Times `f` once.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, dir] = args.as_slice() {
        if flag == "--stress-writer" {
            stress::writer(Path::new(dir));
            return;
        }
    }
    if args.iter().any(|a| a == "--stress") {
        let kills = args
            .iter()
            .position(|a| a == "--kills")
            .and_then(|i| args.get(i + 1))
            .and_then(|k| k.parse().ok())
            .unwrap_or(200);
        std::process::exit(run_stress(kills));
    }
    if let [flag, file, count] = args.as_slice() {
        if flag == "--write-catalogue" {
            // For profiling the import by hand: the same file the bench imports.
            let count = count.parse().expect("a row count");
            std::fs::write(file, data::catalog_csv(count)).expect("write the catalogue");
            return;
        }
    }
    if let [flag, dir, count] = args.as_slice() {
        if flag == "--write-bulk-till" {
            // For profiling export and verify by hand: the bench's bulk till, DIR/bulk-till.
            ledger::write_bulk_till(Path::new(dir), count.parse().expect("a sale count"));
            return;
        }
    }
    if let [flag, till, count] = args.as_slice() {
        if flag == "--probe-commit" {
            // For profiling a durable sale by hand: COUNT sales on a new till in DIR.
            let scale = Scale {
                commits: count.parse().expect("a sale count"),
                ..QUICK
            };
            print_table(&ledger::commit_latency(Path::new(till), &scale));
            return;
        }
        if flag == "--probe-search" {
            // For profiling the search by hand: the slowest of COUNT bench queries on a till.
            catalog::probe_search(Path::new(till), count.parse().expect("a query count"));
            return;
        }
    }
    let quick = args.iter().any(|a| a == "--quick");
    let dir_arg = args
        .iter()
        .position(|a| a == "--dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let app = args
        .iter()
        .position(|a| a == "--app")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let scale = if quick { QUICK } else { FULL };
    let holder = match &dir_arg {
        Some(dir) => {
            std::fs::create_dir_all(dir).expect("cannot create the bench directory");
            tempfile::tempdir_in(dir)
        }
        None => tempfile::tempdir(),
    }
    .expect("cannot create a temporary directory");
    let dir = holder.path();
    println!(
        "Relais bench ({}) in {}",
        if quick { "quick" } else { "full" },
        dir.display()
    );
    let started = Instant::now();
    let mut figures = Vec::new();
    if let Some(app) = &app {
        // First, while the machine's caches hold nothing of the big runs below.
        // `--drawer-only`: the drawer's latency alone, the quick way to measure it again.
        let drawer_only = args.iter().any(|a| a == "--drawer-only");
        let measured = match drawer_only {
            true => drawer::run(dir, app),
            false => app::run(dir, app).and_then(|mut found| {
                found.extend(drawer::run(dir, app)?);
                Ok(found)
            }),
        };
        match measured {
            Ok(app_figures) => figures.extend(app_figures),
            Err(problem) => {
                eprintln!("the app could not be measured: {problem}");
                std::process::exit(1);
            }
        }
    }
    if args.iter().any(|a| a == "--lan-only") {
        // The shop's LAN figures alone (issue 26), the quick way to measure them again.
        figures.extend(lan::run(dir, &scale));
    } else if !args
        .iter()
        .any(|a| a == "--app-only" || a == "--drawer-only")
    {
        figures.extend(catalog::run(dir, &scale));
        figures.extend(ledger::run(dir, &scale));
        figures.extend(lan::run(dir, &scale));
    }
    print_table(&figures);
    println!("\ntotal time: {:.1} s", started.elapsed().as_secs_f64());
}

/// The stress scenarios, one after the other; 0 when every promise held.
fn run_stress(kills: usize) -> i32 {
    let work = tempfile::tempdir().expect("a temporary directory");
    let mut failed = false;
    type Scenario<'a> = Box<dyn Fn() -> Result<String, String> + 'a>;
    let scenarios: [(&str, Scenario); 2] = [
        (
            "crash storm",
            Box::new(|| stress::crash_storm(work.path(), kills)),
        ),
        ("full disk", Box::new(|| stress::full_disk(work.path()))),
    ];
    for (name, scenario) in scenarios {
        match scenario() {
            Ok(figures) => println!("ok   {figures}"),
            Err(problem) => {
                println!("FAIL {name}: {problem}");
                failed = true;
            }
        }
    }
    i32::from(failed)
}

fn print_table(figures: &[Figure]) {
    println!();
    println!("| measure | Relais | baseline (same run, same disk) | ratio | goal | met |");
    println!("|---|---|---|---|---|---|");
    for f in figures {
        let ratio = f
            .ratio
            .map(|r| format!("{r:.2}"))
            .unwrap_or_else(|| "—".into());
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "—",
        };
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            f.name, f.value, f.baseline, ratio, f.goal, met
        );
    }
}

/// A fresh, set-up till in `dir/name`.
pub fn new_till(dir: &Path, name: &str) -> relais_store::Store {
    let path = dir.join(name);
    let mut store = relais_store::Store::open(&path).expect("open the bench till");
    store
        .init(&relais_store::InitOptions {
            shop: relais_core::Shop {
                name: "Banc d'essai".into(),
                ..Default::default()
            },
            till: "B1".into(),
            ..Default::default()
        })
        .expect("set the bench till up");
    store
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small enough for a debug build in CI; the export (a child `relais` process) is left
    /// to the CLI's own end-to-end tests.
    const TINY: Scale = Scale {
        products: 3_000,
        lookups: 50,
        searches: 20,
        commits: 20,
        bulk_sales: 300,
        lan_sales: 5,
        lan_records: 300,
    };

    /// Every figure has a value, a goal, a verdict, and a ratio that is a number.
    fn well_formed(figures: &[Figure], names: &[&str]) {
        let got: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(got.len(), names.len(), "{got:?}");
        for (figure, name) in figures.iter().zip(names) {
            assert!(figure.name.starts_with(name), "{} / {name}", figure.name);
            assert!(
                !figure.value.is_empty() && !figure.goal.is_empty(),
                "{}",
                figure.name
            );
            if let Some(ratio) = figure.ratio {
                assert!(ratio.is_finite() && ratio > 0.0, "{}: {ratio}", figure.name);
            }
        }
    }

    #[test]
    fn the_catalogue_figures_come_out_at_a_tiny_scale() {
        let dir = tempfile::tempdir().unwrap();
        let figures = catalog::run(dir.path(), &TINY);
        well_formed(
            &figures,
            &[
                "catalogue import, 3000 rows",
                "search index left",
                "barcode lookup",
                "label search",
                "open a till",
            ],
        );
        assert!(figures[0].value.contains("rows/s"), "{}", figures[0].value);
    }

    #[test]
    fn the_ledger_figures_come_out_at_a_tiny_scale() {
        let dir = tempfile::tempdir().unwrap();
        let figures = ledger::commit_latency(dir.path(), &TINY);
        well_formed(&figures, &["one sale committed"]);
        assert!(figures[0].baseline.contains("SQLite alone"));
        let figures = ledger::bulk(dir.path(), &TINY);
        well_formed(&figures, &["bulk sales (300", "verify the whole chain (30"]);
    }

    #[test]
    fn the_lan_figures_come_out_at_a_tiny_scale() {
        let dir = tempfile::tempdir().unwrap();
        let figures = lan::run(dir.path(), &TINY);
        well_formed(
            &figures,
            &[
                "a sale at one till visible at another",
                "catch-up of a peer's",
            ],
        );
        assert!(figures[1].name.contains(" 30"), "{}", figures[1].name);
    }
}
