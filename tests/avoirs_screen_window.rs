//! The « Avoirs et bons cadeaux » screen in the real app window: Paul sells a gift voucher by
//! card (its slip on screen), records a voucher of the SaaS above the threshold (Marie
//! approves it with her PIN), pays a sale with another external voucher ticked at payment;
//! Marie sees the list with balances and the outstanding total, and the avoir rules in
//! Réglages. Checked with the real `relais` on the same data.

use crate::support::{app_lock, relais, relais_ok, workspace_root, DataDir};
use crate::window::{clean, expect_contains, expect_eq, keys, with_app, Check, Window};
use serde_json::Value;

const CATALOG: &str = "tests/corpus/catalog/epicerie-excel-fr.csv";

fn set_up_till(data: &DataDir) {
    relais_ok(
        data,
        &["init", "--shop", "Épicerie du Marché", "--till", "T1"],
        "",
    );
    let catalog = workspace_root().join(CATALOG);
    relais_ok(
        data,
        &["catalog", "import", &catalog.display().to_string()],
        "",
    );
    relais_ok(
        data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    relais_ok(
        data,
        &["staff", "add", "Paul", "--role", "cashier", "--by", "Marie"],
        "5678\n1234\n",
    );
}

#[tokio::test]
async fn gift_vouchers_and_external_vouchers_from_the_avoirs_screen() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    set_up_till(&data);
    with_app("avoirs-screen", &data, |app| async move {
        let w = Window(app);
        w.log_in("Paul", "5678").await?;
        sell_gift_voucher(&w).await?;
        external_voucher(&w).await?;
        w.keys(keys::ESCAPE).await?;
        pay_with_external_voucher(&w).await?;
        w.click("lock").await?;
        w.log_in("Marie", "1234").await?;
        list_and_settings(&w).await
    })
    .await;

    assert!(
        relais(&data, &["verify"], "").status.success(),
        "relais verify"
    );
    let shown = relais_ok(&data, &["avoir", "show", "T1-V000001", "--json"], "");
    let avoir: Value = serde_json::from_str(shown.trim()).expect("avoir show --json");
    assert_eq!(
        (avoir["origin"].as_str(), avoir["amount_cents"].as_i64()),
        (Some("gift"), Some(2500)),
        "{avoir}"
    );
    let external = relais_ok(&data, &["avoir", "list", "--external", "--json"], "");
    let external: Vec<Value> = external
        .lines()
        .map(|l| serde_json::from_str(l).expect("avoir list --external --json"))
        .collect();
    let seen: Vec<_> = external
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                v["amount_cents"].as_i64(),
                v["sale"].as_str().map(str::to_string),
                v["approved_by"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("SAAS-778812".into(), Some(6000), None, Some("Marie".into())),
            (
                "SAAS-1203".into(),
                Some(235),
                Some("T1-000001".into()),
                None
            ),
        ],
        "{external:?}"
    );
}

async fn open_avoirs(w: &Window) -> Check {
    w.click("menu").await?;
    w.click("menu-avoirs").await?;
    w.get("avoirs-screen").await.map(|_| ())
}

async fn sell_gift_voucher(w: &Window) -> Check {
    open_avoirs(w).await?;
    w.fill("voucher-amount", "25").await?;
    w.click("voucher-method-card").await?;
    w.fill("voucher-reference", "TPE 0042").await?;
    w.click("voucher-confirm").await?;
    let sold = w.wait_text("voucher-sold", |t| !t.is_empty()).await?;
    expect_eq(
        "voucher sold",
        sold,
        "Bon cadeau T1-V000001 vendu : 25,00 €.".into(),
    )?;
    let slip = clean(&w.text_of("avoir-slip").await?);
    expect_contains(
        "slip",
        &slip,
        &["Épicerie du Marché", "BON CADEAU", "T1-V000001", "25,00 €"],
    )?;
    w.get("avoir-qr").await?;
    w.shoot("avoirs-gift-voucher-1366").await
}

async fn external_voucher(w: &Window) -> Check {
    w.click("avoirs-tab-external").await?;
    w.fill("external-code", "SAAS-778812").await?;
    w.fill("external-amount", "60").await?;
    w.click("external-confirm").await?;
    let why = w.text_of("approval-why").await?;
    expect_contains("approval asked", &why, &["SAAS-778812", "60,00 €"])?;
    w.fill("approval-pin", &format!("1234{}", keys::ENTER))
        .await?;
    let done = w.wait_text("external-done", |t| !t.is_empty()).await?;
    expect_contains("external done", &done, &["SAAS-778812", "60,00 €"])?;
    w.shoot("avoirs-external-1366").await
}

/// A sale of a cream (2,35 €) paid by a voucher of the SaaS, ticked as such by default.
async fn pay_with_external_voucher(w: &Window) -> Check {
    w.get("scan").await?;
    w.keys(&format!("3760000000017{}", keys::ENTER)).await?;
    w.wait_text("total", |t| t == "2,35 €").await?;
    w.keys(keys::F9).await?;
    w.get("payment-dialog").await?;
    w.click("method-voucher").await?;
    w.fill("tender-reference", "SAAS-1203").await?;
    w.shoot("avoirs-external-tender-1366").await?;
    w.click("tender-add").await?;
    w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
    w.click("pay-validate").await?;
    w.get("paid").await.map(|_| ())
}

async fn list_and_settings(w: &Window) -> Check {
    open_avoirs(w).await?;
    w.click("avoirs-tab-list").await?;
    w.wait_count("avoir-row", 1).await?;
    let outstanding = w.text_of("avoirs-outstanding").await?;
    expect_contains("outstanding", &clean(&outstanding), &["25,00 €"])?;
    let rows = w.rows("external-table").await?;
    expect_eq("external rows", rows.len(), 3)?;
    expect_contains(
        "external approved",
        &rows[1],
        &["SAAS-778812", "60,00 €", "Marie"],
    )?;
    expect_contains(
        "external with its sale",
        &rows[2],
        &["SAAS-1203", "2,35 €", "T1-000001"],
    )?;
    w.click("avoir-show").await?;
    w.get("avoir-qr").await?;
    w.shoot("avoirs-list-1366").await?;
    w.keys(keys::ESCAPE).await?;
    w.click("menu").await?;
    w.click("menu-settings").await?;
    w.get("settings-avoirs").await?;
    w.fill("avoirs-validity", "730").await?;
    w.click("avoirs-settings-save").await?;
    w.get("avoirs-settings-saved").await?;
    w.shoot("avoirs-settings-1366").await
}
