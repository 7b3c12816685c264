//! Driving the app window over WebDriver: starting the app on a data directory, finding
//! elements by their `data-testid`, typing, clicking and waiting (always by polling with a
//! deadline, never by sleeping a fixed time). Shared by app.rs and counter.rs.

use crate::support::{app_bin, target_dir, terminate_apps_on, DataDir, TauriDriver};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::future::Future;
use std::time::{Duration, Instant};

/// WebKit's first start-up (and the chain check) can be slow on a loaded CI machine.
pub const APPEAR_WITHIN: Duration = Duration::from_secs(30);
/// Anything after start-up: a command's answer on screen.
pub const WITHIN: Duration = Duration::from_secs(15);
/// A whole app test. WebDriver requests have no time limit of their own: past this, the
/// window or the driver has stopped answering, and the test fails with the driver's log
/// instead of hanging the run.
const TEST_WITHIN: Duration = Duration::from_secs(300);
/// The session's opening, which starts the app (with a few attempts: see `open_session`).
const OPEN_WITHIN: Duration = Duration::from_secs(90);
/// A screenshot or the end of the session, after the test.
const DRIVER_ANSWERS_WITHIN: Duration = Duration::from_secs(30);
/// From the end of its session (or its termination) to the app's process gone.
const APP_ENDS_WITHIN: Duration = Duration::from_secs(10);

pub type Check = Result<(), String>;

/// WebDriver codes of the keys the counter uses.
pub mod keys {
    pub const ENTER: &str = "\u{e007}";
    pub const ESCAPE: &str = "\u{e00c}";
    pub const DELETE: &str = "\u{e017}";
    pub const F2: &str = "\u{e032}";
    pub const F8: &str = "\u{e038}";
    pub const F9: &str = "\u{e039}";
    pub const F10: &str = "\u{e03a}";
    pub const F11: &str = "\u{e03b}";
    pub const F12: &str = "\u{e03c}";
}

/// Starts tauri-driver and the app on `data`, runs `check` against the window, and on
/// failure saves a screenshot to target/e2e-screenshots/<name>.png before panicking.
pub async fn with_app<F, Fut>(name: &str, data: &DataDir, check: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Check>,
{
    with_app_env(name, data, &[], check).await
}

/// As `with_app`, the app started with these environment variables too.
pub async fn with_app_env<F, Fut>(name: &str, data: &DataDir, env: &[(&str, &str)], check: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Check>,
{
    let mut driver = TauriDriver::start(data, env);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "wry".into());
    capabilities.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app_bin() }),
    );
    let app = match tokio::time::timeout(OPEN_WITHIN, open_session(&driver, capabilities)).await {
        Ok(app) => app,
        Err(_) => panic!(
            "the app did not open within {OPEN_WITHIN:?}:\n{}",
            driver.log()
        ),
    };

    let outcome = tokio::time::timeout(TEST_WITHIN, check(app.clone()))
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "no outcome within {TEST_WITHIN:?}: the window stopped answering"
            ))
        });
    let screenshot = match &outcome {
        Err(_) => tokio::time::timeout(DRIVER_ANSWERS_WITHIN, save_screenshot(&app, name))
            .await
            .unwrap_or_else(|_| "no screenshot: the driver did not answer".into()),
        Ok(()) => String::new(),
    };
    let _ = tokio::time::timeout(DRIVER_ANSWERS_WITHIN, app.close()).await;
    // What comes next (the CLI's checks, or the next app on this directory) must find this
    // app gone, or a new app would hand over to it. Closing the session closes the page but
    // does not always end the app (WebKitWebDriver, stopped soon after, leaves it running):
    // it is then terminated, as a logout or a shutdown does.
    let mut ended = app_ended(data, APP_ENDS_WITHIN).await;
    if ended.is_err() {
        terminate_apps_on(data);
        ended = app_ended(data, APP_ENDS_WITHIN).await;
    }
    driver.stop();
    let log = driver.log();
    if let Err(failure) = outcome {
        panic!("{failure}\n{screenshot}\n--- tauri-driver and app output\n{log}");
    }
    if let Err(still) = ended {
        panic!("{still}\n--- tauri-driver and app output\n{log}");
    }
}

/// Waits until no app holds the data directory's lock (see src-tauri/src/single.rs).
async fn app_ended(data: &DataDir, within: Duration) -> Check {
    let lock = data.path().join("app.lock");
    let started = Instant::now();
    loop {
        let free = match std::fs::File::open(&lock) {
            Ok(file) => file.try_lock().is_ok(),
            Err(_) => true,
        };
        if free {
            return Ok(());
        }
        if started.elapsed() > within {
            return Err(format!(
                "an app still holds {} {within:?} after its session closed",
                lock.display()
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens the WebDriver session, which starts the app. tauri-driver forwards to the
/// WebKitWebDriver it has just spawned; on a loaded machine that one may not listen yet and
/// the first request fails to connect ("webdriver server did not respond"): try again.
async fn open_session(
    driver: &TauriDriver,
    capabilities: serde_json::Map<String, serde_json::Value>,
) -> Client {
    const ATTEMPTS: u32 = 5;
    let mut attempt = 1;
    loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&driver.url())
            .await
        {
            Ok(app) => return app,
            Err(e) if attempt < ATTEMPTS && e.to_string().contains("did not respond") => {
                eprintln!("tauri-driver not ready (attempt {attempt}): {e}");
                attempt += 1;
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(e) => panic!(
                "cannot open the app through tauri-driver: {e}\n{}",
                driver.log()
            ),
        }
    }
}

async fn save_screenshot(app: &Client, name: &str) -> String {
    let dir = target_dir().join("e2e-screenshots");
    let path = dir.join(format!("{name}.png"));
    match app.screenshot().await {
        Ok(png) => match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, png)) {
            Ok(()) => format!("screenshot: {}", path.display()),
            Err(e) => format!("cannot save the screenshot to {}: {e}", path.display()),
        },
        Err(e) => format!("no screenshot: {e}"),
    }
}

/// The CSS selector of the element carrying `data-testid="<id>"`.
pub fn test_id(id: &str) -> String {
    format!(r#"[data-testid="{id}"]"#)
}

pub fn err(error: impl std::fmt::Display) -> String {
    error.to_string()
}

pub async fn text(element: &Element) -> Result<String, String> {
    element.text().await.map_err(err)
}

/// Visible text without the ✔/✖ marks, with every run of spaces (including the narrow
/// no-break ones used in numbers) as one plain space.
pub fn clean(text: &str) -> String {
    text.replace(['✔', '✖'], "")
        .split(|c: char| c.is_whitespace() || c == '\u{202f}')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn expect_eq<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Check {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, want {want:?}"))
    }
}

pub fn expect_contains(what: &str, text: &str, wanted: &[&str]) -> Check {
    for piece in wanted {
        if !text.contains(piece) {
            return Err(format!("{what} does not contain {piece:?}:\n{text}"));
        }
    }
    Ok(())
}

/// The window, with the few gestures the tests need.
pub struct Window(pub Client);

impl Window {
    /// The first element matching `css`, once it is in the page.
    pub async fn css(&self, css: &str, within: Duration) -> Result<Element, String> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(element) = self.0.find(Locator::Css(css)).await {
                return Ok(element);
            }
            if Instant::now() > deadline {
                return Err(format!("{css} never appeared within {within:?}"));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The element with this test id, once it is on screen.
    pub async fn get(&self, id: &str) -> Result<Element, String> {
        self.css(&test_id(id), WITHIN).await
    }

    pub async fn all(&self, id: &str) -> Result<Vec<Element>, String> {
        self.all_css(&test_id(id)).await
    }

    pub async fn all_css(&self, css: &str) -> Result<Vec<Element>, String> {
        self.0.find_all(Locator::Css(css)).await.map_err(err)
    }

    pub async fn click(&self, id: &str) -> Check {
        self.click_css(&test_id(id)).await
    }

    /// Clicks an element, scrolled to the middle of its scrolling area first: WebKit's driver
    /// refuses a click on an element that a scrolling panel shows only in part.
    pub async fn click_css(&self, css: &str) -> Check {
        let element = self.css(css, WITHIN).await?;
        self.click_element(&element)
            .await
            .map_err(|e| format!("click {css}: {e}"))
    }

    pub async fn click_element(&self, element: &Element) -> Check {
        let arg = serde_json::to_value(element).map_err(err)?;
        self.0
            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
            .await
            .map_err(err)?;
        element.click().await.map_err(err)
    }

    /// Replaces the content of a field.
    pub async fn fill(&self, id: &str, value: &str) -> Check {
        let field = self.get(id).await?;
        field
            .clear()
            .await
            .map_err(|e| format!("clear {id}: {e}"))?;
        field
            .send_keys(value)
            .await
            .map_err(|e| format!("type into {id}: {e}"))
    }

    /// Keys sent to whatever has the focus, as a keyboard (or a scanner) would.
    pub async fn keys(&self, keys: &str) -> Check {
        let focused = self.0.active_element().await.map_err(err)?;
        focused
            .send_keys(keys)
            .await
            .map_err(|e| format!("keys: {e}"))
    }

    /// The test id of the focused element.
    pub async fn focused(&self) -> Result<Option<String>, String> {
        let focused = self.0.active_element().await.map_err(err)?;
        focused.attr("data-testid").await.map_err(err)
    }

    /// The value of the field `id` (what is typed in it).
    pub async fn value_of(&self, id: &str) -> Result<String, String> {
        let field = self.get(id).await?;
        Ok(field.prop("value").await.map_err(err)?.unwrap_or_default())
    }

    pub async fn text_of(&self, id: &str) -> Result<String, String> {
        let element = self.get(id).await?;
        text(&element).await.map(|t| clean(&t))
    }

    /// Polls the text of `id` until `ok` accepts it.
    pub async fn wait_text(&self, id: &str, ok: impl Fn(&str) -> bool) -> Result<String, String> {
        let deadline = Instant::now() + WITHIN;
        let mut last = String::new();
        loop {
            if let Ok(element) = self.0.find(Locator::Css(&test_id(id))).await {
                if let Ok(t) = element.text().await {
                    last = clean(&t);
                    if ok(&last) {
                        return Ok(last);
                    }
                }
            }
            if Instant::now() > deadline {
                return Err(format!("{id}: text still {last:?} after {WITHIN:?}"));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Polls until `count` elements carry this test id.
    pub async fn wait_count(&self, id: &str, count: usize) -> Check {
        let deadline = Instant::now() + WITHIN;
        loop {
            let found = self.all(id).await?.len();
            if found == count {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{count} × {id} expected, {found} on screen"));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The cells of a table (`th` and `td`), row by row, each row's cells joined by a space.
    pub async fn rows(&self, id: &str) -> Result<Vec<String>, String> {
        let table = self.get(id).await?;
        let mut rows = Vec::new();
        for row in table.find_all(Locator::Css("tr")).await.map_err(err)? {
            let mut cells = Vec::new();
            for cell in row.find_all(Locator::Css("th, td")).await.map_err(err)? {
                cells.push(clean(&text(&cell).await?));
            }
            rows.push(cells.join(" "));
        }
        Ok(rows)
    }

    /// Logs `name` in from the lock screen with `pin`, as staff do: their tile, then the PIN.
    pub async fn log_in(&self, name: &str, pin: &str) -> Check {
        self.css(&test_id("login"), APPEAR_WITHIN).await?;
        self.click_css(&format!(
            r#"[data-testid="login-person"][data-name="{name}"]"#
        ))
        .await?;
        self.fill("login-pin", &format!("{pin}{}", keys::ENTER))
            .await?;
        let operator = self.get("operator").await?;
        expect_contains("operator", &clean(&text(&operator).await?), &[name])
    }

    pub async fn absent(&self, id: &str) -> Check {
        if self.all(id).await?.is_empty() {
            Ok(())
        } else {
            Err(format!("{id} should not be on screen"))
        }
    }

    /// A screenshot in target/e2e-screenshots, to look at (docs/screens has the chosen ones).
    pub async fn shoot(&self, name: &str) -> Check {
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.screenshot(
            &target_dir()
                .join("e2e-screenshots")
                .join(format!("{name}.png")),
        )
        .await
    }

    /// Saves what the window shows (the webview's pixels) as a PNG.
    pub async fn screenshot(&self, path: &std::path::Path) -> Check {
        let png = self.0.screenshot().await.map_err(err)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        std::fs::write(path, png).map_err(err)
    }
}
