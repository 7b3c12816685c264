//! After the outage, in the real app window: a manager records the outage, exports the
//! bundle for a French Excel onto a "USB stick", verifies it in the app, sees a tampered
//! file named, picks a sale in the list of what is left and marks it re-entered, and backs
//! the till up. Every step is checked on disk and with the real `relais` CLI on the same data
//! directory.

use crate::support::{app_lock, relais, relais_bin, relais_ok, DataDir};
use crate::window::{
    clean, err, expect_contains, expect_eq, text, with_app, Check, Window, WITHIN,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// `relais ARGS` with the PINs in the environment, as a script would run it.
fn with_pin(data: &DataDir, args: &[&str], pin: &str) {
    let output = Command::new(relais_bin())
        .args(args)
        .env("RELAIS_DATA_DIR", data.path())
        .env("RELAIS_PIN", pin)
        .env("RELAIS_MANAGER_PIN", pin)
        .output()
        .expect("run relais");
    assert!(
        output.status.success(),
        "relais {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A till that sold during the outage and closed its day, all from the command line.
fn till_after_a_day_of_sales() -> DataDir {
    let data = DataDir::new();
    relais_ok(
        &data,
        &["init", "--shop", "Épicerie du Marché", "--till", "T1"],
        "",
    );
    with_pin(
        &data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234",
    );
    for (label, cents, method) in [
        ("Pain de campagne", 420, "cash"),
        ("Vin rouge", 1_250, "card"),
    ] {
        let payment = match method {
            "cash" => format!(r#"{{"method":"cash","tendered_cents":{}}}"#, cents + 80),
            _ => format!(r#"{{"method":"card","amount_cents":{cents},"reference":"TPE-1"}}"#),
        };
        let sale = format!(
            r#"{{"lines":[{{"label":"{label}","unit_price_cents":{cents},"vat_rate_bp":2000}}],"payments":[{payment}],"operator":"Marie"}}"#
        );
        relais_ok(&data, &["sale", "record", "-"], &sale);
    }
    with_pin(&data, &["day", "close", "--operator", "Marie"], "1234");
    data
}

#[tokio::test]
async fn a_manager_exports_verifies_and_backs_up_after_the_outage() {
    let _one_window = app_lock().await;
    let data = till_after_a_day_of_sales();
    let usb = tempfile::tempdir().expect("a folder for the USB stick");
    let stick = usb.path().join("export");
    let backups = usb.path().join("sauvegardes");
    std::fs::create_dir_all(&stick).expect("create the export folder");
    let (stick_text, backups_text) = (stick.display().to_string(), backups.display().to_string());
    let bundle: std::sync::Arc<std::sync::Mutex<Option<PathBuf>>> = Default::default();
    let found = bundle.clone();
    let cli_key = relais_ok(&data, &["key"], "");

    with_app("recovery", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.click("menu").await?;
        w.click("menu-recovery").await?;
        w.get("recovery-screen").await?;
        record_outage(&w).await?;
        let folder = export(&w, &stick_text).await?;
        check_bundle_on_disk(&folder)?;
        *found.lock().map_err(err)? = Some(folder.clone());
        verify_in_the_app(&w, &folder).await?;
        reenter_one_sale(&w).await?;
        back_up(&w, &backups_text, &cli_key).await?;
        Ok(())
    })
    .await;

    let folder = bundle.lock().unwrap().clone().expect("the bundle's folder");
    let verify = relais(&data, &["verify", &folder.display().to_string()], "");
    assert!(
        !verify.status.success(),
        "the CLI refuses the tampered bundle too: {}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let outage = relais_ok(&data, &["outage", "show"], "");
    assert!(
        outage.contains("Rançongiciel chez l'hébergeur") && outage.contains("en cours"),
        "{outage}"
    );
    let status: serde_json::Value =
        serde_json::from_str(&relais_ok(&data, &["reentry", "status", "--json"], ""))
            .expect("JSON");
    let sales = status["kinds"]
        .as_array()
        .and_then(|kinds| kinds.iter().find(|k| k["kind"] == "sale"))
        .expect("sales to re-enter");
    assert_eq!(
        (sales["total"].as_u64(), sales["left"].as_u64()),
        (Some(2), Some(1))
    );
    let journal = relais_ok(&data, &["journal"], "");
    for wanted in [
        "Export relais-T1-",
        "Sauvegarde vérifiée",
        "toutes les 5 ventes",
        "T1-000001 ressaisi",
    ] {
        assert!(
            journal.contains(wanted),
            "journal lacks {wanted:?}:\n{journal}"
        );
    }
    let saved: Vec<PathBuf> = std::fs::read_dir(&backups)
        .expect("the backup folder exists")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(saved.len(), 1, "one backup: {saved:?}");
    assert!(saved[0].join("relais.db").is_file() && saved[0].join("till.key").is_file());
    assert!(
        relais(&data, &["verify"], "").status.success(),
        "the till's chain is intact"
    );
}

async fn record_outage(w: &Window) -> Check {
    w.get("recovery-outage").await?;
    w.wait_text("outage-state", |t| t.contains("Aucune panne"))
        .await?;
    w.click("outage-start").await?;
    expect_eq(
        "a missing reason",
        w.text_of("outage-problem").await?,
        "Indiquez le motif de la panne.".into(),
    )?;
    w.fill("outage-reason-input", "Rançongiciel chez l'hébergeur")
        .await?;
    w.fill("outage-start-at", "01/12/2026 08:00").await?;
    w.click("outage-start").await?;
    w.get("outage-saved").await?;
    let state = w
        .wait_text("outage-state", |t| {
            t.contains("EN COURS") || t.contains("en cours")
        })
        .await?;
    expect_contains(
        "the outage",
        &state,
        &[
            "depuis le 01/12/2026 08:00",
            "Motif : Rançongiciel chez l'hébergeur",
        ],
    )
}

/// Exports with excel-fr and the FEC; returns the bundle's folder as the app shows it.
async fn export(w: &Window, stick: &str) -> Result<PathBuf, String> {
    w.click("recovery-tab-export").await?;
    w.fill("export-out", stick).await?;
    w.click("export-excel-fr").await?;
    w.click("export-fec").await?;
    w.click("export-run").await?;
    let result = w.get("export-result").await?;
    let folder = result
        .attr("data-folder")
        .await
        .map_err(err)?
        .ok_or("no data-folder on the result")?;
    if !folder.starts_with(stick) {
        return Err(format!("the bundle {folder} is not on the stick {stick}"));
    }
    expect_eq(
        "report path",
        w.text_of("export-report-path").await?,
        format!("{folder}/report.html"),
    )?;
    expect_contains(
        "the export's counts",
        &w.text_of("export-counts").await?,
        &["dont 2 ventes", "ventes : 2", "clôtures : 1"],
    )?;
    expect_eq(
        "the export's total",
        w.text_of("export-net").await?,
        "16,70 €".into(),
    )?;
    let files = w.rows("export-files").await?;
    let names: Vec<&str> = files.iter().filter_map(|r| r.split(' ').next()).collect();
    for wanted in ["report.html", "records.jsonl", "excel-fr/sales.csv"] {
        if !names.contains(&wanted) {
            return Err(format!("the files shown lack {wanted}: {names:?}"));
        }
    }
    if !names.iter().copied().any(is_fec_without_siret) {
        return Err(format!("the files shown lack the FEC: {names:?}"));
    }
    if names.iter().any(|n| n.starts_with("csv/")) {
        return Err(format!(
            "standard CSV files shown for an excel-fr export: {names:?}"
        ));
    }
    w.shoot("recovery-export").await?;
    Ok(PathBuf::from(folder))
}

/// The FEC of a shop without SIRET: `000000000FEC<AAAAMMJJ>.txt`.
fn is_fec_without_siret(name: &str) -> bool {
    name.strip_prefix("000000000FEC")
        .and_then(|rest| rest.strip_suffix(".txt"))
        .is_some_and(|date| date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()))
}

fn check_bundle_on_disk(folder: &Path) -> Check {
    for file in [
        "manifest.json",
        "report.html",
        "records.jsonl",
        "csv/sales.csv",
    ] {
        if !folder.join(file).is_file() {
            return Err(format!("{file} is missing from {}", folder.display()));
        }
    }
    let fec = std::fs::read_dir(folder)
        .map_err(err)?
        .filter_map(|e| e.ok())
        .any(|e| is_fec_without_siret(&e.file_name().to_string_lossy()));
    if !fec {
        return Err(format!("the FEC is missing from {}", folder.display()));
    }
    let sales = std::fs::read(folder.join("excel-fr/sales.csv")).map_err(err)?;
    if !sales.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err("excel-fr/sales.csv has no BOM".into());
    }
    let text = String::from_utf8_lossy(&sales);
    expect_contains("excel-fr/sales.csv", &text, &[";", "12,50", "4,20"])?;
    let verify = Command::new(relais_bin())
        .args(["verify", &folder.display().to_string()])
        .output()
        .map_err(err)?;
    if !verify.status.success() {
        return Err(format!(
            "relais verify refuses the fresh bundle: {}{}",
            String::from_utf8_lossy(&verify.stdout),
            String::from_utf8_lossy(&verify.stderr)
        ));
    }
    Ok(())
}

async fn verdict(w: &Window, ok: bool) -> Check {
    let css = format!(r#"[data-testid="verdict"][data-ok="{ok}"]"#);
    w.css(&css, WITHIN).await.map(|_| ())
}

async fn verify_in_the_app(w: &Window, folder: &Path) -> Check {
    w.click("export-verify").await?;
    let path = w
        .get("verify-path")
        .await?
        .prop("value")
        .await
        .map_err(err)?;
    expect_eq(
        "the path to verify",
        path,
        Some(folder.display().to_string()),
    )?;
    w.click("verify-run").await?;
    verdict(w, true).await?;
    expect_contains(
        "the verdict",
        &w.text_of("verdict-headline").await?,
        &["Export valide"],
    )?;
    for step in ["signature", "files", "chain"] {
        let element = w.get(&format!("verdict-step-{step}")).await?;
        expect_eq(
            step,
            element.attr("data-ok").await.map_err(err)?,
            Some("true".into()),
        )?;
    }
    // The key the signatures were checked with, to compare with the till's own.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).map_err(err)?)
            .map_err(err)?;
    let key = manifest["tills"][0]["public_key"].as_str().unwrap_or("?");
    expect_contains("the keys", &w.text_of("verdict-keys").await?, &[key])?;
    w.shoot("recovery-verify-valid").await?;

    // Someone "fixes" an amount in the spreadsheet file: one byte.
    let sales = folder.join("excel-fr/sales.csv");
    let mut bytes = std::fs::read(&sales).map_err(err)?;
    let at = bytes.len() - 3;
    bytes[at] = if bytes[at] == b'9' { b'8' } else { b'9' };
    std::fs::write(&sales, bytes).map_err(err)?;

    w.click("verify-run").await?;
    verdict(w, false).await?;
    expect_contains(
        "the verdict",
        &w.text_of("verdict-headline").await?,
        &["NON valide"],
    )?;
    expect_contains(
        "the defect",
        &w.text_of("verdict-step-files").await?,
        &["excel-fr/sales.csv", "fichier modifié"],
    )?;
    for (step, ok) in [("signature", "true"), ("files", "false"), ("chain", "true")] {
        let element = w.get(&format!("verdict-step-{step}")).await?;
        expect_eq(
            step,
            element.attr("data-ok").await.map_err(err)?,
            Some(ok.into()),
        )?;
    }
    let altered = w
        .css(
            r#"[data-testid="verdict-file"][data-state="altered"]"#,
            WITHIN,
        )
        .await?;
    expect_eq(
        "the altered file",
        altered.attr("data-path").await.map_err(err)?,
        Some("excel-fr/sales.csv".into()),
    )?;
    if w.0
        .find_all(fantoccini::Locator::Css(
            r#"[data-testid="verdict-file"][data-state="altered"]"#,
        ))
        .await
        .map_err(err)?
        .len()
        != 1
    {
        return Err("only the one file changed should be reported altered".into());
    }
    w.shoot("recovery-verify").await
}

async fn reenter_one_sale(w: &Window) -> Check {
    w.click("recovery-tab-reentry").await?;
    let before = w
        .wait_text("reentry-progress", |t| t.contains("sur"))
        .await?;
    let total: u32 = before
        .split(' ')
        .nth(2)
        .and_then(|n| n.parse().ok())
        .ok_or(format!("no total in {before:?}"))?;
    expect_eq("before", before.clone(), format!("0 sur {total} ressaisis"))?;
    let first_sale = r#"[data-testid="reentry-left-row"][data-number="T1-000001"]"#;
    let row = w.css(first_sale, Duration::from_secs(10)).await?;
    expect_contains(
        "the first sale's row",
        &clean(&text(&row).await?),
        &["T1-000001", "Vente", "€"],
    )?;
    w.click_css(&format!("{first_sale} [data-testid=\"reentry-pick\"]"))
        .await?;
    expect_eq(
        "the picked record's number in the form",
        w.value_of("reentry-number").await?,
        "T1-000001".into(),
    )?;
    expect_eq("focus", w.focused().await?, Some("reentry-saas-ref".into()))?;
    w.shoot("recovery-reentry").await?;
    w.keys("OCT-2026-0042").await?;
    w.click("reentry-mark").await?;
    expect_eq(
        "marked",
        w.wait_text("reentry-message", |t| !t.is_empty()).await?,
        "T1-000001 est marqué ressaisi.".into(),
    )?;
    w.wait_text("reentry-progress", |t| {
        t == format!("1 sur {total} ressaisis")
    })
    .await?;
    // Marked, it leaves the list of what remains.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !w.all_css(first_sale).await?.is_empty() {
        if std::time::Instant::now() > deadline {
            return Err("T1-000001 is still listed as left to re-enter".into());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Ok(())
}

async fn back_up(w: &Window, folder: &str, cli_key: &str) -> Check {
    w.click("recovery-tab-backups").await?;
    let key = w.wait_text("public-key", |t| !t.is_empty()).await?;
    if !cli_key.contains(&key) || key.len() < 32 {
        return Err(format!(
            "the app shows the key {key:?}, relais key says {cli_key:?}"
        ));
    }
    w.fill("backup-folder", folder).await?;
    w.fill("backup-every", "5").await?;
    w.click("backup-save").await?;
    w.get("backup-message").await?;
    w.click("backup-now").await?;
    let done = w.get("backup-done").await?;
    let shown = clean(&text(&done).await?);
    expect_contains(
        "the backup",
        &shown,
        &["Sauvegarde vérifiée", "enregistrements", folder],
    )?;
    let made = done
        .attr("data-folder")
        .await
        .map_err(err)?
        .ok_or("no data-folder")?;
    if !Path::new(&made).join("relais.db").is_file() {
        return Err(format!("no relais.db in {made}"));
    }
    w.wait_count("backup-item", 1).await?;
    let item = w.get("backup-item").await?;
    expect_eq(
        "listed backup",
        item.attr("data-path").await.map_err(err)?,
        Some(made),
    )?;
    w.wait_text("backup-last", |t| !t.contains("jamais"))
        .await?;
    w.shoot("recovery-backups").await
}
