//! `relais-bench --stress [--kills N]`: the crash storm and the full disk, as `cargo xtask
//! stress` runs them. Prints its figures; exits non-zero on the first broken promise.
//!
//! Crash storm: sales are recorded in a loop — by the `relais` CLI and by a process using the
//! store directly — and the process is killed with SIGKILL at a random moment, again and again.
//! After the storm, every sale that was acknowledged is in the ledger, the numbering has no
//! gap, the chain verifies and SQLite's integrity check passes.
//!
//! Full disk: on a small tmpfs made for the purpose (needs root), sales are recorded until the
//! disk is full: the refusal is the French "disque plein" message, nothing is half-written,
//! and selling resumes once space is freed.

use crate::data::Rng;
use relais_store::{ErrorKind, Store};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn sale_json(k: u64) -> String {
    let price = 100 + k % 900;
    format!(
        r#"{{"lines":[{{"label":"Article {k}","unit_price_cents":{price},"vat_rate_bp":2000}}],"payments":[{{"method":"cash","tendered_cents":{}}}],"operator":"stress"}}"#,
        price + 100
    )
}

/// The writer process of the storm: records sales through the store, printing each number
/// once committed (what a till acknowledges).
pub fn writer(dir: &Path) {
    let mut store = Store::open(dir).expect("open the till");
    let stdout = std::io::stdout();
    for k in 0.. {
        let sale: relais_core::SaleInput = serde_json::from_str(&sale_json(k)).expect("a sale");
        let recorded = crate::ledger::sell(&mut store, &sale).expect("record");
        let mut out = stdout.lock();
        writeln!(out, "{}", recorded.number)
            .and_then(|_| out.flush())
            .expect("stdout");
    }
}

fn relais_bin() -> PathBuf {
    let me = std::env::current_exe().expect("own path");
    me.with_file_name("relais")
}

/// One writer started, killed after `delay`; returns the numbers it acknowledged.
fn one_kill(dir: &Path, through_cli: bool, delay: Duration) -> Vec<String> {
    let mut command = if through_cli {
        let mut c = Command::new(relais_bin());
        c.args(["sale", "record", "-"]).env("RELAIS_DATA_DIR", dir);
        c
    } else {
        let mut c = Command::new(std::env::current_exe().expect("own path"));
        c.args(["--stress-writer"]).arg(dir);
        c
    };
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the writer");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        for k in 0..u64::MAX {
            if writeln!(stdin, "{}", sale_json(k)).is_err() {
                break;
            }
        }
    });
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let collected = acknowledged.clone();
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let number = match serde_json::from_str::<serde_json::Value>(&line) {
                Ok(v) => v["number"].as_str().map(String::from),
                Err(_) => Some(line.trim().to_string()),
            };
            if let Some(n) = number.filter(|n| n.starts_with("S1-")) {
                collected.lock().expect("lock").push(n);
            }
        }
    });
    std::thread::sleep(delay);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    reader.join().expect("reader");
    feeder.join().expect("feeder");
    let numbers = acknowledged.lock().expect("lock").clone();
    numbers
}

fn check(dir: &Path, acknowledged: &[String]) -> Result<u64, String> {
    let store = Store::open(dir).map_err(|e| e.to_string())?;
    let report = store.verify().map_err(|e| e.to_string())?;
    if let Some(defect) = report.defect {
        return Err(format!("chain defect after the storm: {defect}"));
    }
    let conn =
        rusqlite::Connection::open(dir.join(relais_store::DB_FILE)).map_err(|e| e.to_string())?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if integrity != "ok" {
        return Err(format!("integrity_check: {integrity}"));
    }
    for number in acknowledged {
        store
            .find(number)
            .map_err(|_| format!("acknowledged sale {number} is missing"))?;
    }
    Ok(report.summary.records)
}

/// The crash storm; returns a line of figures.
pub fn crash_storm(work: &Path, kills: usize) -> Result<String, String> {
    let dir = work.join("storm-till");
    let mut store = Store::open(&dir).map_err(|e| e.to_string())?;
    store
        .init(&relais_store::InitOptions {
            shop: relais_core::Shop {
                name: "Tempête".into(),
                ..Default::default()
            },
            till: "S1".into(),
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    drop(store);
    let mut rng = Rng::new(99);
    let mut acknowledged = Vec::new();
    let started = Instant::now();
    for kill in 0..kills {
        let through_cli = kill % 2 == 0;
        let delay = Duration::from_millis(5 + rng.below(60));
        acknowledged.extend(one_kill(&dir, through_cli, delay));
        if kill % 50 == 49 {
            check(&dir, &acknowledged)?;
        }
    }
    let records = check(&dir, &acknowledged)?;
    Ok(format!(
        "crash storm: {kills} SIGKILLs (half through the CLI, half through the store) in {:.0} s — {} sales acknowledged, all present; {records} records, chain intact, integrity_check ok",
        started.elapsed().as_secs_f64(),
        acknowledged.len()
    ))
}

/// The full disk scenario on a tmpfs of a few megabytes (root only).
pub fn full_disk(work: &Path) -> Result<String, String> {
    let mount = work.join("small-disk");
    std::fs::create_dir_all(&mount).map_err(|e| e.to_string())?;
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&mount)
        .status();
    if !mounted.is_ok_and(|s| s.success()) {
        return Err("full disk: cannot mount a tmpfs (run as root)".into());
    }
    let outcome = fill_and_recover(&mount);
    let _ = Command::new("umount").arg(&mount).status();
    outcome
}

fn fill_and_recover(mount: &Path) -> Result<String, String> {
    let dir = mount.join("till");
    let mut store = Store::open(&dir).map_err(|e| e.to_string())?;
    store
        .init(&relais_store::InitOptions {
            shop: relais_core::Shop {
                name: "Disque plein".into(),
                ..Default::default()
            },
            till: "S1".into(),
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    // Leave a little room, so that the disk fills after some sales.
    let filler = mount.join("filler");
    let mut file = std::fs::File::create(&filler).map_err(|e| e.to_string())?;
    let chunk = vec![0u8; 64 * 1024];
    while file.write_all(&chunk).is_ok() {}
    drop(file);
    let size = std::fs::metadata(&filler).map_err(|e| e.to_string())?.len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .and_then(|f| f.set_len(size.saturating_sub(256 * 1024)))
        .map_err(|e| e.to_string())?;
    let mut acknowledged = 0u64;
    let refusal = loop {
        let sale: relais_core::SaleInput =
            serde_json::from_str(&sale_json(acknowledged)).expect("a sale");
        match crate::ledger::sell(&mut store, &sale) {
            Ok(_) => acknowledged += 1,
            Err(e) => break e,
        }
        if acknowledged > 100_000 {
            return Err("full disk: the disk never filled".into());
        }
    };
    let message = refusal.message(relais_core::Lang::Fr);
    if refusal.kind() != ErrorKind::DiskFull
        || !message.contains("disque plein : la vente n'a pas été enregistrée")
    {
        return Err(format!(
            "full disk: refused with {} ({message})",
            refusal.kind()
        ));
    }
    let sales = store.status().map_err(|e| e.to_string())?.sales;
    if sales != acknowledged {
        return Err(format!(
            "full disk: {acknowledged} acknowledged but {sales} in the ledger"
        ));
    }
    std::fs::remove_file(&filler).map_err(|e| e.to_string())?;
    let sale: relais_core::SaleInput = serde_json::from_str(&sale_json(0)).expect("a sale");
    crate::ledger::sell(&mut store, &sale)
        .map_err(|e| format!("full disk: selling did not resume: {e}"))?;
    drop(store);
    let records = check(&dir, &[])?;
    Ok(format!(
        "full disk: {acknowledged} sales, then « {message} »; nothing half-written; selling resumed once space was freed; {records} records intact"
    ))
}
