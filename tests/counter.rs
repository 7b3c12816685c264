//! The counter in the real app window, as staff use it: set-up, catalogue import, a cashier,
//! scanning, a department key, a split payment with change, the receipt; then a return that
//! needs a manager's PIN. Each step is checked against the real `relais` CLI on the same
//! data directory.

use crate::support::{app_lock, relais, relais_ok, workspace_root, DataDir};
use crate::window::{
    clean, err, expect_contains, expect_eq, keys, test_id, text, with_app, Check, Window,
    APPEAR_WITHIN,
};
use std::time::{Duration, Instant};

const CATALOG: &str = "tests/corpus/catalog/epicerie-excel-fr.csv";

#[tokio::test]
async fn a_shop_is_set_up_and_a_cashier_sells_and_returns() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    let catalog = workspace_root().join(CATALOG);

    with_app("counter_sale", &data, |app| async move {
        let w = Window(app);
        set_up(&w).await?;
        import_catalog(&w, &catalog.display().to_string()).await?;
        add_cashier(&w).await?;
        log_in_as_paul(&w).await?;
        sell(&w).await?;
        check_receipt(&w).await?;
        Ok(())
    })
    .await;

    assert!(
        relais(&data, &["verify"], "").status.success(),
        "relais verify after the sale"
    );
    let sale = relais_ok(&data, &["sale", "show", "T1-000001"], "");
    for wanted in [
        "Crème fraîche épaisse 20cl",
        "Bière blonde 33cl",
        "Alimentation",
        "Carte bancaire TPE-4242",
        "Espèces",
        "7,80",
        "Rendu",
        "Opérateur : Paul",
    ] {
        assert!(
            sale.contains(wanted),
            "relais sale show lacks {wanted:?}:\n{sale}"
        );
    }

    with_app("counter_return", &data, |app| async move {
        let w = Window(app);
        w.log_in("Paul", "5678").await?;
        return_one_line(&w).await
    })
    .await;

    assert!(
        relais(&data, &["verify"], "").status.success(),
        "relais verify after the refund"
    );
    let refund = relais_ok(&data, &["sale", "show", "T1-000002"], "");
    expect_contains(
        "relais sale show T1-000002",
        &refund,
        &[
            "REMBOURSEMENT",
            "T1-000001",
            "Bière blonde 33cl",
            "Article défectueux",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let journal = relais_ok(&data, &["journal"], "");
    assert!(
        journal.contains("Marie autorise le remboursement T1-000002 pour Paul"),
        "the override is journaled:\n{journal}"
    );
    assert!(
        journal.contains("Code PIN erroné pour Marie"),
        "the wrong PIN is journaled:\n{journal}"
    );
}

async fn set_up(w: &Window) -> Check {
    w.css(&test_id("setup"), APPEAR_WITHIN).await?;
    w.fill("setup-shop", "Épicerie du Marché").await?;
    w.fill("setup-address", "12 rue des Lilas, 69003 Lyon")
        .await?;
    w.fill("setup-siret", "123 456 789 00012").await?;
    w.fill("setup-vat", "FR12123456789").await?;
    w.fill("setup-till", "T1").await?;
    w.fill("setup-manager", "Marie").await?;
    w.fill("setup-pin", "1234").await?;
    w.fill("setup-pin2", "1234").await?;
    w.click("setup-submit").await?;
    w.get("setup-import").await?;
    expect_eq(
        "shop",
        w.text_of("shop-name").await?,
        "Épicerie du Marché".into(),
    )
}

async fn import_catalog(w: &Window, path: &str) -> Check {
    w.fill("import-path", path).await?;
    w.click("import-preview").await?;
    let preview = w
        .css(
            r#"[data-testid="import-report"][data-applied="false"]"#,
            Duration::from_secs(15),
        )
        .await?;
    let shown = clean(&text(&preview).await?);
    expect_contains(
        "import preview",
        &shown,
        &[
            "rien n’est encore importé",
            "importés 5, mis à jour 0, inchangés 0, rejetés 0",
            "Code barre → Code-barres",
            "Désignation → Libellé",
            "Crème fraîche épaisse 20cl",
        ],
    )?;
    let encoding = w.text_of("import-encoding").await?.to_lowercase();
    if !encoding.contains("1252") {
        return Err(format!(
            "the preview should detect Windows-1252, says {encoding:?}"
        ));
    }
    expect_eq(
        "delimiter",
        w.text_of("import-delimiter").await?,
        "« ; »".into(),
    )?;
    w.click("import-apply").await?;
    w.css(
        r#"[data-testid="import-report"][data-applied="true"]"#,
        Duration::from_secs(15),
    )
    .await?;
    let summary = w.text_of("import-summary").await?;
    expect_eq(
        "import summary",
        summary,
        "Import terminé : importés 5, mis à jour 0, inchangés 0, rejetés 0.".into(),
    )?;
    w.click("start-selling").await?;
    w.get("scan").await.map(|_| ())
}

async fn add_cashier(w: &Window) -> Check {
    w.click("menu").await?;
    w.click("menu-staff").await?;
    w.fill("staff-name", "Paul").await?;
    w.click("staff-role-cashier").await?;
    w.fill("staff-pin", "5678").await?;
    w.fill("staff-pin2", "5678").await?;
    w.click("staff-submit").await?;
    let added = w.text_of("staff-added").await?;
    expect_eq("staff added", added, "Paul ajouté·e (Caissier·ère).".into())?;
    w.wait_count("staff-person", 2).await?;
    w.click("back-to-sale").await?;
    w.click("lock").await?;
    w.get("login").await.map(|_| ())
}

async fn log_in_as_paul(w: &Window) -> Check {
    w.log_in("Paul", "5678").await?;
    expect_eq(
        "role",
        w.get("operator")
            .await?
            .attr("data-role")
            .await
            .map_err(err)?,
        Some("cashier".into()),
    )?;
    // A cashier's menu has the customer orders, and none of the manager's areas.
    w.click("menu").await?;
    w.get("menu-orders").await?;
    for manager_only in ["menu-day", "menu-staff", "menu-recovery", "menu-journal"] {
        w.absent(manager_only).await?;
    }
    w.click("menu-orders").await?;
    w.get("screen-orders").await?;
    // Back to the sale screen, whose scan field takes the focus again.
    w.click("back-to-sale").await
}

/// A scanner "types" the code and Enter within a few milliseconds into the focused field.
async fn scan(w: &Window, code: &str, lines: usize) -> Check {
    expect_eq(
        "focus before the scan",
        w.focused().await?,
        Some("scan".into()),
    )?;
    let started = Instant::now();
    w.keys(&format!("{code}{}", keys::ENTER)).await?;
    w.wait_count("cart-line", lines).await?;
    w.wait_text("total", |_| true).await?;
    // Displayed: the line is there with its amount from the backend.
    let amounts = w.all("line-amount").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut priced = true;
        for amount in &amounts {
            priced &= !text(amount).await?.contains('…');
        }
        if priced {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("the line of {code} was never priced"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let seen = started.elapsed();
    let in_app = w
        .get("sale-screen")
        .await?
        .attr("data-scan-ms")
        .await
        .map_err(err)?
        .unwrap_or_default();
    let line = format!(
        "timing: scan {code} → priced line on screen: {} ms seen over WebDriver, {} ms in the app (Enter → line)",
        seen.as_millis(),
        if in_app.is_empty() { "?".into() } else { in_app }
    );
    // The harness hides a passing test's output: the timings also go to a file.
    println!("{line}");
    let log = crate::support::target_dir().join("e2e-timings.log");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
    {
        use std::io::Write;
        let _ = writeln!(file, "{line}");
    }
    Ok(())
}

async fn sell(w: &Window) -> Check {
    scan(w, "3760000000017", 1).await?;
    scan(w, "3760000000048", 2).await?;
    let labels: Vec<String> = {
        let mut all = Vec::new();
        for label in w.all("line-label").await? {
            all.push(clean(&text(&label).await?));
        }
        all
    };
    expect_eq(
        "cart labels",
        labels,
        vec![
            "Crème fraîche épaisse 20cl".into(),
            "Bière blonde 33cl".into(),
        ],
    )?;
    // A department key with a typed price.
    w.click_css(r#"[data-testid="dept-key"][data-code="ALIM"]"#)
        .await?;
    w.fill("dept-price", &format!("3,50{}", keys::ENTER))
        .await?;
    w.wait_count("cart-line", 3).await?;
    w.wait_text("total", |t| t == "7,80 €").await?;
    expect_eq(
        "focus back on the scan field",
        w.focused().await?,
        Some("scan".into()),
    )?;

    // The beer scanned again joins its line (2 × 1,95 €); F2 sets it back to 1.
    w.keys(&format!("3760000000048{}", keys::ENTER)).await?;
    w.wait_text("total", |t| t == "9,75 €").await?;
    w.wait_count("cart-line", 3).await?;
    w.keys(keys::F2).await?;
    w.fill("qty-input", &format!("1{}", keys::ENTER)).await?;
    w.wait_text("total", |t| t == "7,80 €").await?;
    // A fourth line, removed with Delete on the empty scan field.
    w.keys(&format!("3760000000055{}", keys::ENTER)).await?;
    w.wait_count("cart-line", 4).await?;
    w.keys(keys::DELETE).await?;
    w.wait_count("cart-line", 3).await?;
    w.wait_text("total", |t| t == "7,80 €").await?;
    expect_eq(
        "focus after the edits",
        w.focused().await?,
        Some("scan".into()),
    )?;

    // F9: 5,00 € on the card terminal, the rest in cash with 10 € handed over.
    w.keys(keys::F9).await?;
    w.get("payment-dialog").await?;
    w.click("method-card").await?;
    w.fill("tender-amount", "5,00").await?;
    w.fill("tender-reference", "TPE-4242").await?;
    w.click("tender-add").await?;
    w.wait_text("pay-remaining", |t| t == "2,80 €").await?;
    w.click("method-cash").await?;
    w.fill("tender-amount", &format!("10{}", keys::ENTER))
        .await?;
    w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
    expect_eq(
        "change",
        w.text_of("pay-change").await?,
        "À rendre : 7,20 €".into(),
    )?;
    w.click("pay-validate").await?;
    w.get("paid").await?;
    expect_eq("paid", w.text_of("paid-stamp").await?, "Payé".into())?;
    expect_eq(
        "change after",
        w.text_of("paid-change").await?,
        "À rendre : 7,20 €".into(),
    )?;
    // The first sale of a fresh till opens its business day, and says so (no other warning).
    let warnings = w.all("paid-warning").await?;
    expect_eq("one warning", warnings.len(), 1)?;
    let said = w.text_of("paid-warning").await?;
    expect_contains(
        "the day opened",
        &said,
        &["Nouvelle journée du", "fond de caisse 0,00 €"],
    )
}

async fn check_receipt(w: &Window) -> Check {
    expect_eq(
        "number",
        w.text_of("receipt-number").await?,
        "T1-000001".into(),
    )?;
    expect_eq(
        "total",
        w.text_of("receipt-total").await?,
        "7,80 EUR".into(),
    )?;
    expect_eq("change", w.text_of("receipt-change").await?, "7,20".into())?;
    let receipt = w.text_of("receipt").await?;
    expect_contains(
        "receipt",
        &receipt,
        &[
            "Épicerie du Marché",
            "12 rue des Lilas",
            "69003 Lyon",
            "SIRET 12345678900012",
            "TVA FR12123456789",
            "VENTE T1-000001",
            "Caisse T1",
            "Opérateur : Paul",
            "Crème fraîche épaisse 20cl",
            "1 x 2,35 2,35 C",
            "Bière blonde 33cl",
            "1 x 1,95 1,95 A",
            "Alimentation",
            "Carte bancaire TPE-4242 5,00",
            "Espèces 2,80",
            "Montant remis 10,00",
            "Rendu 7,20",
            "3 ligne(s), 3 article(s)",
            "Empreinte :",
            "Relais ",
        ],
    )?;
    expect_eq(
        "VAT table",
        w.rows("receipt-vat").await?,
        vec![
            "Taux HT TVA TTC".into(),
            "A 20 % 1,63 0,32 1,95".into(),
            "C 5,5 % 5,55 0,30 5,85".into(),
        ],
    )?;
    w.get("receipt-qr").await?;
    w.absent("receipt-duplicata").await?;
    // Enter on the empty scan field starts the next sale.
    w.keys(keys::ENTER).await?;
    w.get("cart-empty").await.map(|_| ())
}

async fn return_one_line(w: &Window) -> Check {
    w.keys(keys::F8).await?;
    w.fill("return-reference", &format!("T1-000001{}", keys::ENTER))
        .await?;
    w.wait_count("return-line", 3).await?;
    // The beer (second line) comes back, in cash.
    let all = w.all("return-all").await?;
    w.click_element(all.get(1).ok_or("no second line")?).await?;
    w.click("refund-method-cash").await?;
    w.fill("return-reason", "Article défectueux").await?;
    w.click("refund").await?;

    // A cashier may not refund alone: the backend says `forbidden`, the screen asks a manager
    // and says what is approved, and for how much.
    let why = w.text_of("approval-why").await?;
    expect_eq(
        "approval asked",
        why,
        "Le remboursement de 1,95 € (Bière blonde 33cl × 1) sur T1-000001 : à autoriser par \
         un responsable, qui saisit son code PIN."
            .into(),
    )?;
    w.click_css(r#"[data-testid="approval-manager"][data-name="Marie"]"#)
        .await?;
    w.fill("approval-pin", &format!("0000{}", keys::ENTER))
        .await?;
    let refused = w.get("approval-error").await?;
    expect_eq(
        "wrong PIN kind",
        refused.attr("data-kind").await.map_err(err)?,
        Some("bad_credentials".into()),
    )?;
    expect_eq(
        "wrong PIN message",
        clean(&text(&refused).await?),
        "nom ou code PIN incorrect".into(),
    )?;
    w.absent("return-done").await?;

    w.fill("approval-pin", &format!("1234{}", keys::ENTER))
        .await?;
    let done = w.text_of("return-done").await?;
    expect_eq(
        "refund done",
        done,
        "T1-000002 enregistré : -1,95 €.".into(),
    )?;
    w.absent("approval-dialog").await?;
    let receipt = w.text_of("receipt").await?;
    expect_contains(
        "refund receipt",
        &receipt,
        &[
            "REMBOURSEMENT T1-000002",
            "Ticket d'origine : T1-000001",
            "Motif : Article défectueux",
            "Bière blonde 33cl",
            "TOTAL TTC -1,95 EUR",
        ],
    )
}
