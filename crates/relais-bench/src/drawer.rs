//! « Valider la vente » → the cash drawer's pulse at the printer, through the real app.
//!
//! Method (docs/PERFORMANCE.md): a till with a thermal printer set to the fake ESC/POS printer
//! on 127.0.0.1 (which notes when each `ESC p` pulse arrives); the app under Xvfb, the cashier
//! logged in; then 200 cash sales, each as the pay button does it: `record_sale` over Tauri's
//! IPC, then `print_receipt` with the drawer's pulse. The clock runs from the request that
//! starts the sale to the pulse's arrival at the printer, WebDriver's round trip included.

use crate::app::{end_app, relais, Driver};
use crate::webdriver::Session;
use crate::{percentile, Figure};
use relais_printer::fake::{Answer, FakePrinter};
use relais_printer::Status;
use std::path::Path;
use std::time::{Duration, SystemTime};

const SALES: usize = 200;
const BATCH: usize = 10;
const CASHIER: (&str, &str) = ("Paul", "5678");
/// Issue 20's goals.
const GOAL_P50: Duration = Duration::from_millis(150);
const GOAL_P99: Duration = Duration::from_millis(400);

pub fn run(dir: &Path, app: &Path) -> Result<Vec<Figure>, String> {
    let data = dir.join("drawer-till");
    let _ = std::fs::remove_dir_all(&data);
    let printer = FakePrinter::start(Answer::Status(Status::ready())).map_err(|e| e.to_string())?;
    let uri = printer.uri();
    let steps: [(&[&str], Option<&str>); 4] = [
        (&["init", "--shop", "Banc d'essai", "--till", "T1"], None),
        (
            &["staff", "add", "Marie", "--role", "manager"],
            Some("1234"),
        ),
        (
            &[
                "staff", "add", CASHIER.0, "--role", "cashier", "--by", "Marie",
            ],
            Some(CASHIER.1),
        ),
        (&["printer", "set", &uri, "--operator", "Marie"], None),
    ];
    for (args, pin) in steps {
        relais(&data, args, pin)?;
    }
    let (mut latencies, restarts) = measure(&data, &app.display().to_string(), &printer)?;
    latencies.sort();
    let (p50, p99) = (percentile(&latencies, 0.50), percentile(&latencies, 0.99));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(vec![Figure {
        name: format!("« Valider la vente » → drawer pulse at the printer, {SALES} cash sales through the app"),
        value: format!(
            "p50 {:.0} ms · p99 {:.0} ms ({restarts} WebDriver session(s) restarted)",
            ms(p50),
            ms(p99)
        ),
        baseline: "—".into(),
        ratio: None,
        goal: format!("p50 ≤ {} ms, p99 ≤ {} ms", GOAL_P50.as_millis(), GOAL_P99.as_millis()),
        met: Some(p50 <= GOAL_P50 && p99 <= GOAL_P99),
    }])
}

/// The sales' latencies, and how many times the WebDriver session had to be started again:
/// WebKitWebDriver drops a session now and then (more often while receipts print), and the
/// batch it was in goes untimed (its sales stay in the till); the app is started again on
/// the same till until `SALES` sales are timed.
fn measure(
    data: &Path,
    app: &str,
    printer: &FakePrinter,
) -> Result<(Vec<Duration>, usize), String> {
    let mut started = Vec::with_capacity(SALES);
    let mut restarts = 0;
    while started.len() < SALES {
        let driver = Driver::start(data)?;
        let dropped = sell_until_dropped(&driver, app, &mut started);
        let log = driver.stop();
        if let Err(problem) = dropped {
            restarts += 1;
            if restarts > MAX_RESTARTS {
                return Err(format!("{problem}\n--- tauri-driver log\n{log}"));
            }
        }
    }
    Ok((latencies(&started, &printer.pulse_times())?, restarts))
}

const MAX_RESTARTS: usize = 10;

/// Logs the cashier in and sells in batches until `SALES` sales are timed or the session drops.
fn sell_until_dropped(driver: &Driver, app: &str, started: &mut Vec<f64>) -> Result<(), String> {
    let session = Session::start(driver.port, app)?;
    let result = (|| {
        let person = session.wait_for(
            &format!(r#"[data-testid="login-person"][data-name="{}"]"#, CASHIER.0),
            Duration::from_secs(60),
        )?;
        session.click(&person)?;
        let pin = session.wait_for(r#"[data-testid="login-pin"]"#, Duration::from_secs(10))?;
        session.type_into(&pin, &format!("{}\u{e007}", CASHIER.1))?;
        session.wait_for(r#"[data-testid="scan"]"#, Duration::from_secs(30))?;
        session.set_script_timeout(Duration::from_secs(300))?;
        while started.len() < SALES {
            started.extend(sell(&session)?);
        }
        Ok(())
    })();
    end_app(session, driver.child.id());
    result
}

/// `BATCH` cash sales in the page, one after the other, each as the pay button does it; when
/// each started, by the wall clock (ms since the epoch, to the microsecond). One WebDriver
/// request per batch: WebKitWebDriver drops a session now and then, more often the more
/// requests it serves.
fn sell(session: &Session) -> Result<Vec<f64>, String> {
    let script = r#"
        const [count, done] = [arguments[0], arguments[arguments.length - 1]];
        const invoke = window.__TAURI_INTERNALS__.invoke;
        (async () => {
          const started = [];
          for (let k = 0; k < count; k++) {
            const sale = {
              lines: [{ label: 'Pain', unit_price_cents: 110 + (k % 50), vat_rate_bp: 550 }],
              payments: [{ method: 'cash', tendered_cents: 2000 }],
            };
            started.push(performance.timeOrigin + performance.now());
            const paid = await invoke('record_sale', { sale });
            await invoke('print_receipt', { reference: paid.recorded.id, openDrawer: true });
          }
          return started;
        })().then(done, (e) => done('error: ' + JSON.stringify(e)));
    "#;
    let answer = session.execute_async(script, serde_json::json!([BATCH]))?;
    let started: Vec<f64> = answer
        .as_array()
        .ok_or_else(|| format!("the sales script answered {answer}"))?
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .collect();
    match started.len() {
        BATCH => Ok(started),
        n => Err(format!("{n} sales of {BATCH} started")),
    }
}

/// Each sale's first pulse after it started, minus its start. A drawer reported still closed
/// gets a second pulse (`deliver`'s retry): the first counts.
fn latencies(started: &[f64], pulses: &[SystemTime]) -> Result<Vec<Duration>, String> {
    let millis = |t: &SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    let pulses: Vec<f64> = pulses.iter().map(millis).collect();
    started
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let next = started.get(k + 1).copied().unwrap_or(f64::INFINITY);
            pulses
                .iter()
                .find(|&&p| p >= start && p < next)
                .map(|p| Duration::from_secs_f64((p - start) / 1000.0))
                .ok_or_else(|| format!("sale {k}: no drawer pulse at the printer"))
        })
        .collect()
}
