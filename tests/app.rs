//! The real app window, driven over WebDriver (tauri-driver + WebKitWebDriver): what the
//! first screen shows for a till set up by the CLI, and for a till that is not set up.

use crate::support::{app_bin, app_lock, relais_ok, sqlite3, target_dir, DataDir, TauriDriver};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::future::Future;
use std::time::Duration;

/// One sale of 1.5 × 12,50 € paid 20 € cash: 18,75 € with 1,25 € change.
const SALE: &str = r#"{"lines":[{"label":"Divers","unit_price_cents":1250,"vat_rate_bp":2000,"qty":"1.5"}],"payments":[{"method":"cash","amount_cents":1875,"tendered_cents":2000}],"operator":"alice"}"#;

/// WebKit's first start-up (and the chain check) can be slow on a loaded CI machine.
const APPEAR_WITHIN: Duration = Duration::from_secs(30);

type Check = Result<(), String>;

#[tokio::test]
async fn set_up_till_shows_shop_sales_and_intact_chain() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    relais_ok(
        &data,
        &["init", "--shop", "Boulangerie Test", "--till", "T1"],
        "",
    );
    relais_ok(&data, &["sale", "record", "-"], SALE);
    let before = records_in(&data);

    let expected_chain = format!("Chaîne intègre — {} enregistrements", before + 1);
    let expected_dir = format!("Données : {}", data.path().display());
    with_app("set_up_till", &data, |app| async move {
        let chain = app
            .wait()
            .at_most(APPEAR_WITHIN)
            .for_element(Locator::Css(&test_id("chain-status")))
            .await
            .map_err(|e| format!("the chain status never appeared: {e}"))?;
        // The app adds its own start-up event to the journal before it reads the status.
        expect_eq("chain status", clean(&text(&chain).await?), expected_chain)?;
        expect_eq(
            "chain state",
            chain.attr("data-state").await.map_err(err)?,
            Some("ok".into()),
        )?;
        expect_eq(
            "shop name",
            text_of(&app, "shop-name").await?,
            "Boulangerie Test".into(),
        )?;
        expect_eq("till code", text_of(&app, "till-code").await?, "T1".into())?;
        expect_eq(
            "sales count",
            text_of(&app, "sales-count").await?,
            "1".into(),
        )?;
        expect_eq(
            "data directory",
            text_of(&app, "data-dir").await?,
            expected_dir,
        )?;
        expect_absent(&app, "not-initialised").await
    })
    .await;
    assert_eq!(
        records_in(&data),
        before + 1,
        "the app logged exactly one start-up event"
    );
}

#[tokio::test]
async fn empty_data_dir_asks_to_run_relais_init() {
    let _one_window = app_lock().await;
    let data = DataDir::new();

    with_app("not_set_up", &data, |app| async move {
        let notice = app
            .wait()
            .at_most(APPEAR_WITHIN)
            .for_element(Locator::Css(&test_id("not-initialised")))
            .await
            .map_err(|e| format!("the 'not set up' notice never appeared: {e}"))?;
        let notice = clean(&text(&notice).await?);
        let wanted = "Caisse non initialisée : lancez relais init --shop … --till …";
        if !notice.contains(wanted) {
            return Err(format!("notice {notice:?} does not contain {wanted:?}"));
        }
        expect_absent(&app, "shop-name").await?;
        expect_absent(&app, "sales-count").await
    })
    .await;
}

#[tokio::test]
async fn tampered_ledger_is_shown_in_red_with_the_damaged_sale() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    relais_ok(
        &data,
        &["init", "--shop", "Boulangerie Test", "--till", "T1"],
        "",
    );
    relais_ok(&data, &["sale", "record", "-"], SALE);
    // Someone edits the sale's amount in the file, past the append-only triggers.
    sqlite3(
        &data.path().join("relais.db"),
        r#"DROP TRIGGER ledger_no_update;
           UPDATE ledger SET body = replace(body, '"amount_cents":', '"amount_cents":1')
           WHERE kind = 'sale';"#,
    );

    with_app("tampered", &data, |app| async move {
        let chain = app
            .wait()
            .at_most(APPEAR_WITHIN)
            .for_element(Locator::Css(&test_id("chain-status")))
            .await
            .map_err(|e| format!("the chain status never appeared: {e}"))?;
        expect_eq(
            "chain state",
            chain.attr("data-state").await.map_err(err)?,
            Some("defect".into()),
        )?;
        let shown = clean(&text(&chain).await?);
        for wanted in ["Chaîne altérée", "T1-000001"] {
            if !shown.contains(wanted) {
                return Err(format!("chain status {shown:?} does not name {wanted:?}"));
            }
        }
        Ok(())
    })
    .await;
}

/// Starts tauri-driver and the app on `data`, runs `check` against the window, and on
/// failure saves a screenshot to target/e2e-screenshots/<name>.png before panicking.
async fn with_app<F, Fut>(name: &str, data: &DataDir, check: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Check>,
{
    let driver = TauriDriver::start(data);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "wry".into());
    capabilities.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app_bin() }),
    );
    let app = match ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
    {
        Ok(app) => app,
        Err(e) => panic!(
            "cannot open the app through tauri-driver: {e}\n{}",
            driver.log()
        ),
    };

    let outcome = check(app.clone()).await;
    let screenshot = match &outcome {
        Err(_) => save_screenshot(&app, name).await,
        Ok(()) => String::new(),
    };
    let _ = app.close().await;
    if let Err(failure) = outcome {
        let log = driver.log();
        drop(driver);
        panic!("{failure}\n{screenshot}\n--- tauri-driver and app output\n{log}");
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

/// The number of records in the ledger, as `relais status --json` reports it.
fn records_in(data: &DataDir) -> u64 {
    let status: serde_json::Value =
        serde_json::from_str(&relais_ok(data, &["status", "--json"], ""))
            .expect("relais status --json prints JSON");
    status["records"]
        .as_u64()
        .expect("status has a records count")
}

/// The CSS selector of the element carrying `data-testid="<id>"`.
fn test_id(id: &str) -> String {
    format!(r#"[data-testid="{id}"]"#)
}

async fn text(element: &fantoccini::elements::Element) -> Result<String, String> {
    element.text().await.map_err(err)
}

async fn text_of(app: &Client, id: &str) -> Result<String, String> {
    let element = app
        .find(Locator::Css(&test_id(id)))
        .await
        .map_err(|e| format!("no {id}: {e}"))?;
    text(&element).await.map(|t| clean(&t))
}

async fn expect_absent(app: &Client, id: &str) -> Check {
    let found = app
        .find_all(Locator::Css(&test_id(id)))
        .await
        .map_err(err)?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("{id} should not be on screen"))
    }
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Check {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, want {want:?}"))
    }
}

/// Visible text without the ✔/✖ marks, with every run of spaces (including the narrow
/// no-break ones used in numbers) as one plain space.
fn clean(text: &str) -> String {
    text.replace(['✔', '✖'], "")
        .split(|c: char| c.is_whitespace() || c == '\u{202f}')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn err(error: impl std::fmt::Display) -> String {
    error.to_string()
}
