//! An avoir in the real app window: a return ends with « Avoir », its slip (QR code of the
//! signed code) on screen; at the next sale the avoir, typed at payment, pays part of it, the
//! balance left shown, the rest in cash. Checked with the real `relais` on the same data.

use crate::support::{app_lock, relais, relais_ok, workspace_root, DataDir};
use crate::window::{clean, expect_contains, expect_eq, keys, with_app, Check, Window};
use serde_json::Value;

const CATALOG: &str = "tests/corpus/catalog/epicerie-excel-fr.csv";

/// Cream (2,35 €) and beer (1,95 €), sold from the CLI: T1-000001.
const SALE: &str = r#"{"lines":[{"barcode":"3760000000017"},{"barcode":"3760000000048","qty":2}],"payments":[{"method":"cash","amount_cents":625}],"operator":"Marie"}"#;

fn set_up_till(data: &DataDir) {
    relais_ok(
        data,
        &[
            "init",
            "--shop",
            "Épicerie du Marché",
            "--till",
            "T1",
            "--address",
            "12 rue des Lilas, 69003 Lyon",
        ],
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
    relais_ok(data, &["sale", "record", "-"], SALE);
}

#[tokio::test]
async fn a_return_gives_an_avoir_spent_in_part_at_the_next_sale() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    set_up_till(&data);
    with_app("avoirs", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        return_to_avoir(&w).await?;
        w.keys(keys::ESCAPE).await?;
        pay_with_avoir(&w).await
    })
    .await;

    assert!(
        relais(&data, &["verify"], "").status.success(),
        "relais verify"
    );
    let shown = relais_ok(&data, &["avoir", "show", "T1-V000001", "--json"], "");
    let avoir: Value = serde_json::from_str(shown.trim()).expect("avoir show --json");
    assert_eq!(
        (
            avoir["amount_cents"].as_i64(),
            avoir["balance_cents"].as_i64()
        ),
        (Some(390), Some(190)),
        "{avoir}"
    );
    assert_eq!(avoir["uses"][0]["sale"], "T1-000003", "{avoir}");
}

async fn return_to_avoir(w: &Window) -> Check {
    w.keys(keys::F8).await?;
    w.fill("return-reference", &format!("T1-000001{}", keys::ENTER))
        .await?;
    w.wait_count("return-line", 2).await?;
    let all = w.all("return-all").await?;
    w.click_element(all.get(1).ok_or("no second line")?).await?;
    w.click("refund-method-store_credit").await?;
    w.fill("return-reason", "Changement d'avis").await?;
    w.click("refund").await?;
    let issued = w.wait_text("avoir-issued", |t| !t.is_empty()).await?;
    expect_eq(
        "avoir issued",
        issued,
        "Avoir T1-V000001 émis : 3,90 €.".into(),
    )?;
    let slip = clean(&w.text_of("avoir-slip").await?);
    expect_contains(
        "slip",
        &slip,
        &[
            "Épicerie du Marché",
            "AVOIR",
            "T1-V000001",
            "3,90 €",
            "Valable jusqu’au",
            "Remboursement T1-000002",
        ],
    )?;
    w.get("avoir-qr").await?;
    screenshot(w, "avoir-slip-1366").await
}

async fn pay_with_avoir(w: &Window) -> Check {
    w.get("scan").await?;
    w.keys(&format!("3760000000017{}", keys::ENTER)).await?;
    w.wait_text("total", |t| t == "2,35 €").await?;
    w.keys(keys::F9).await?;
    w.get("payment-dialog").await?;
    w.click("method-store_credit").await?;
    w.fill("avoir-code", &format!("T1-V000001{}", keys::ENTER))
        .await?;
    let checked = w.wait_text("avoir-checked", |t| !t.is_empty()).await?;
    expect_contains("checked", &checked, &["T1-V000001", "solde 3,90 €"])?;
    // What is due is proposed (2,35 €, 1,55 € would be left); 2,00 € of it is used.
    w.wait_text("avoir-left", |t| t.contains("1,55 €")).await?;
    w.fill("avoir-amount-used", "2,00").await?;
    w.wait_text("avoir-left", |t| t.contains("1,90 €")).await?;
    screenshot(w, "avoir-payment-1366").await?;
    w.click("avoir-use").await?;
    w.wait_text("pay-remaining", |t| t == "0,35 €").await?;
    w.click("method-cash").await?;
    w.fill("tender-amount", &format!("0,35{}", keys::ENTER))
        .await?;
    w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
    w.click("pay-validate").await?;
    w.get("paid").await?;
    let receipt = w.text_of("receipt").await?;
    expect_contains(
        "receipt",
        &receipt,
        &[
            "Avoir T1-V000001 2,00",
            "Reste sur l’avoir 1,90",
            "Espèces 0,35",
        ],
    )
}

/// An order collected in the window: a gift voucher (sold by the CLI) pays part of the
/// balance through the sale's own avoir tender, the rest in cash; the voucher's use is linked
/// to the collecting sale, as a sale's would be.
#[tokio::test]
async fn an_order_is_collected_with_a_gift_voucher() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    set_up_till(&data);
    relais_ok(
        &data,
        &[
            "avoir",
            "sell",
            "20",
            "--pay",
            "cash:20",
            "--operator",
            "Marie",
        ],
        "",
    );
    let order = r#"{"customer":{"name":"Mme Durand","phone":"06 12 34 56 78"},"lines":[{"label":"Gâteau 8 parts","unit_price_cents":3200,"vat_rate_bp":550}],"deposit":[{"method":"card","amount_cents":1000}],"operator":"Marie"}"#;
    relais_ok(&data, &["order", "create", "-"], order);
    with_app("avoir_collect", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.click("menu").await?;
        w.click("menu-orders").await?;
        w.click("orders-tab-all").await?;
        w.wait_count("order-row", 1).await?;
        w.click("order-open").await?;
        w.click("order-collect").await?;
        w.get("payment-dialog").await?;
        expect_eq("balance", w.text_of("pay-total").await?, "22,00 €".into())?;
        w.click("method-store_credit").await?;
        w.fill("avoir-code", &format!("T1-V000001{}", keys::ENTER))
            .await?;
        let checked = w.wait_text("avoir-checked", |t| !t.is_empty()).await?;
        expect_contains("checked", &checked, &["T1-V000001", "solde 20,00 €"])?;
        w.wait_text("avoir-left", |t| t.contains("0,00 €")).await?;
        w.click("avoir-use").await?;
        w.wait_text("pay-remaining", |t| t == "2,00 €").await?;
        w.click("method-cash").await?;
        w.fill("tender-amount", &format!("2{}", keys::ENTER))
            .await?;
        w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
        w.click("pay-validate").await?;
        let done = w.get("order-collected").await?;
        expect_contains(
            "collected",
            &clean(&crate::window::text(&done).await?),
            &["Commande remise : vente T1-000002 enregistrée (32,00 €)."],
        )
    })
    .await;

    assert!(
        relais(&data, &["verify"], "").status.success(),
        "relais verify"
    );
    let shown = relais_ok(&data, &["avoir", "show", "T1-V000001", "--json"], "");
    let avoir: Value = serde_json::from_str(shown.trim()).expect("avoir show --json");
    assert_eq!(avoir["balance_cents"].as_i64(), Some(0), "{avoir}");
    assert_eq!(avoir["uses"][0]["sale"], "T1-000002", "{avoir}");
}

/// Saves the window as docs/screens/<name>.png when RELAIS_SCREENSHOTS is set (how the
/// screenshots of the docs are refreshed), else under target/.
async fn screenshot(w: &Window, name: &str) -> Check {
    let dir = match std::env::var_os("RELAIS_SCREENSHOTS") {
        Some(_) => workspace_root().join("docs/screens"),
        None => crate::support::target_dir().join("e2e-screenshots"),
    };
    w.screenshot(&dir.join(format!("{name}.png"))).await
}
