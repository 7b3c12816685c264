//! The real app window, driven over WebDriver (tauri-driver + WebKitWebDriver): what the
//! first screen shows for a till set up by the CLI (the lock screen with the till's state),
//! for a till that is not set up (the set-up screen), for a damaged ledger, and a second app
//! or the CLI started beside a running one.

use crate::support::{app_bin, app_lock, relais_ok, sqlite3, wait_within, DataDir};
use crate::window::{clean, err, expect_eq, test_id, text, with_app, Window, APPEAR_WITHIN};
use std::process::{Command, Stdio};
use std::time::Duration;

/// One sale of 1.5 × 12,50 € paid 20 € cash: 18,75 € with 1,25 € change.
const SALE: &str = r#"{"lines":[{"label":"Divers","unit_price_cents":1250,"vat_rate_bp":2000,"qty":"1.5"}],"payments":[{"method":"cash","amount_cents":1875,"tendered_cents":2000}],"operator":"alice"}"#;

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
        let window = Window(app);
        let chain = window
            .css(&test_id("chain-status"), APPEAR_WITHIN)
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
            window.text_of("shop-name").await?,
            "Boulangerie Test".into(),
        )?;
        expect_eq("till code", window.text_of("till-code").await?, "T1".into())?;
        expect_eq(
            "sales count",
            window.text_of("sales-count").await?,
            "1".into(),
        )?;
        expect_eq(
            "data directory",
            window.text_of("data-dir").await?,
            expected_dir,
        )?;
        // Set up by the CLI without staff: nobody can log in, and the screen says so.
        window.get("no-staff").await?;
        window.absent("setup").await
    })
    .await;
    assert_eq!(
        records_in(&data),
        before + 1,
        "the app logged exactly one start-up event"
    );
}

#[tokio::test]
async fn empty_data_dir_opens_the_set_up_screen() {
    let _one_window = app_lock().await;
    let data = DataDir::new();

    with_app("not_set_up", &data, |app| async move {
        let window = Window(app);
        window
            .css(&test_id("setup"), APPEAR_WITHIN)
            .await
            .map_err(|e| format!("the set-up screen never appeared: {e}"))?;
        let heading = window.text_of("setup").await?;
        if !heading.contains("Mise en service de la caisse") {
            return Err(format!("set-up screen without its title: {heading:?}"));
        }
        // Refused before anything is written: a PIN of 3 digits.
        window.fill("setup-shop", "Boulangerie Test").await?;
        window.fill("setup-manager", "Marie").await?;
        window.fill("setup-pin", "123").await?;
        window.fill("setup-pin2", "123").await?;
        window.click("setup-submit").await?;
        expect_eq(
            "PIN rule",
            window.text_of("setup-problem").await?,
            "Le code PIN a de 4 à 8 chiffres.".into(),
        )?;
        window.absent("shop-name").await?;
        window.absent("sales-count").await
    })
    .await;
    let status = relais_ok(&data, &["status", "--json"], "");
    assert!(
        status.contains(r#""initialised":false"#),
        "nothing was set up: {status}"
    );
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
        let window = Window(app);
        let chain = window
            .css(&test_id("chain-status"), APPEAR_WITHIN)
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

#[tokio::test]
async fn a_second_app_on_the_same_till_hands_over_and_the_cli_writes_beside_the_first() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    relais_ok(
        &data,
        &["init", "--shop", "Boulangerie Test", "--till", "T1"],
        "",
    );
    let dir = data.path().to_path_buf();
    with_app("second_instance", &data, |app| async move {
        let window = Window(app);
        window
            .css(&test_id("shop-name"), APPEAR_WITHIN)
            .await
            .map_err(|e| format!("the first window never showed the till: {e}"))?;
        let (ok, said) = run_second_app(&dir)?;
        if !ok || !said.contains("déjà ouvert") {
            return Err(format!("the second app did not hand over: {said}"));
        }
        // The command line records a sale while the app holds the till.
        let sale = Command::new(crate::support::relais_bin())
            .args(["sale", "record", "-"])
            .env("RELAIS_DATA_DIR", &dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(SALE.as_bytes())?;
                child.wait_with_output()
            })
            .map_err(|e| format!("relais sale record: {e}"))?;
        if !sale.status.success() {
            return Err("relais sale record failed beside the app".into());
        }
        // The first window still answers.
        expect_eq(
            "shop name",
            window.text_of("shop-name").await?,
            "Boulangerie Test".into(),
        )
    })
    .await;
    relais_ok(&data, &["verify"], "");
    let status: serde_json::Value =
        serde_json::from_str(&relais_ok(&data, &["status", "--json"], "")).expect("JSON status");
    assert_eq!(
        status["sales"], 1,
        "the CLI's sale is in the ledger: {status}"
    );
}

/// Starts a second `relais-app` on `dir` (on the tests' virtual screen) and waits for it to
/// quit: it must hand over to the running one instead of opening a window.
fn run_second_app(dir: &std::path::Path) -> Result<(bool, String), String> {
    let mut child = Command::new(app_bin())
        .env("RELAIS_DATA_DIR", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start a second app: {e}"))?;
    if wait_within(&mut child, Duration::from_secs(20)).is_none() {
        let _ = child.kill();
        return Err("a second app opened on the same data directory and stayed running".into());
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    Ok((
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
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
