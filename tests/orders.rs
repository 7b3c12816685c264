//! Customer orders and the paper catch-up in the real app window: a manager takes an order
//! with a deposit paid by card, marks it ready, hands it over with the balance paid in cash;
//! cancels another (taken meanwhile by the CLI) and refunds its deposit in cash;
//! then keys in a paper slip with its real date and number, and the same slip number again
//! (warned, recorded only when confirmed). Each outcome is checked with the real `relais` CLI
//! on the same data directory.

use crate::support::{app_lock, relais, relais_ok, workspace_root, DataDir};
use crate::window::{
    clean, expect_contains, expect_eq, keys, test_id, text, with_app, Check, Window,
};
use serde_json::Value;
use std::time::Duration;

const CATALOG: &str = "tests/corpus/catalog/epicerie-excel-fr.csv";

/// The till as a shop sets it up from the command line: identity, catalogue, one manager.
fn set_up_till(data: &DataDir) {
    relais_ok(
        data,
        &[
            "init",
            "--shop",
            "Pâtisserie du Marché",
            "--till",
            "T1",
            "--address",
            "12 rue des Lilas, 69003 Lyon",
            "--siret",
            "12345678900012",
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
}

#[tokio::test]
async fn an_order_is_taken_with_a_deposit_collected_and_a_paper_slip_is_keyed_in() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    set_up_till(&data);
    // Imported from a copy: the import writes its rejects next to the file.
    let folder = tempfile::tempdir().expect("a temporary folder");
    let template = folder.path().join("ventes-papier.csv");
    std::fs::copy(workspace_root().join("docs/modele-papier.csv"), &template)
        .expect("copy the paper template");

    // One window for both (each start of the app over WebDriver is slow on a loaded machine).
    let data = &data;
    with_app("orders_and_paper", data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        take_order(&w).await?;
        ready_and_collect(&w).await?;
        cancel_with_refund(&w, data).await?;
        key_in_paper_slips(&w).await?;
        import_paper_template(&w, &template.display().to_string()).await
    })
    .await;

    assert!(
        relais(data, &["verify"], "").status.success(),
        "relais verify after the order and the paper slips"
    );
    let shown = relais_ok(data, &["order", "show", "T1-C000001", "--json"], "");
    let order: Value = serde_json::from_str(shown.trim()).expect("order show --json");
    assert_eq!(order["status"], "collected", "{order}");
    assert_eq!(order["total_cents"], 3395, "{order}");
    assert_eq!(order["deposits_cents"], 1000, "{order}");
    assert_eq!(order["balance_cents"], 0, "{order}");
    assert_eq!(order["sale"], "T1-000001", "{order}");
    assert_eq!(order["customer"]["phone"], "06 12 34 56 78", "{order}");
    let history: Vec<(String, String)> = order["history"]
        .as_array()
        .expect("a history")
        .iter()
        .map(|h| {
            (
                h["what"].as_str().unwrap_or_default().to_string(),
                h["operator"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let whats: Vec<&str> = history.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(
        whats,
        [
            "Commande prise (33,95 €)",
            "Acompte reçu 10,00 €",
            "Prête",
            "Retirée — vente T1-000001"
        ],
        "history {history:?}"
    );
    assert!(history.iter().all(|(_, who)| who == "Marie"), "{history:?}");
    let sale = relais_ok(data, &["sale", "show", "T1-000001"], "");
    expect_contains(
        "relais sale show T1-000001",
        &sale,
        &[
            "Gâteau 8 parts",
            "Bière blonde 33cl",
            "33,95",
            "Acompte",
            "10,00",
            "Espèces",
            "23,95",
            "Rendu",
            "6,05",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let deposit = relais_ok(data, &["order", "show", "T1-C000001"], "");
    assert!(
        deposit.contains("Commande T1-C000001 — Retirée — Mme Durand"),
        "{deposit}"
    );

    let cancelled: serde_json::Value = serde_json::from_str(&relais_ok(
        data,
        &["order", "show", "T1-C000002", "--json"],
        "",
    ))
    .expect("order show --json prints JSON");
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
    // The day's totals keep deposits apart from sales: 10 € + 5 € received, 5 € refunded
    // (negative, as every outflow);
    // the sales are the collected order (33,95 €) and the paper slips, never a deposit.
    let x: serde_json::Value =
        serde_json::from_str(&relais_ok(data, &["day", "x", "--json"], "")).expect("day x --json");
    let totals = &x["totals"];
    assert_eq!(totals["deposits_received_cents"], 1500, "{totals}");
    assert_eq!(totals["deposits_refunded_cents"], -500, "{totals}");
    assert_eq!(totals["sales"], 1, "{totals}");
    assert_eq!(totals["sales_cents"], 3395, "{totals}");
    let journal = relais_ok(data, &["journal"], "");
    for wanted in [
        "Saisie a posteriori du bordereau n° 0042 du 2026-11-25 : T1-000002",
        "Saisie a posteriori du bordereau n° 0042 du 2026-11-25 : T1-000003",
    ] {
        assert!(
            journal.contains(wanted),
            "journal lacks {wanted:?}:\n{journal}"
        );
    }
    // The export flags both sales as late entries, dated when they really happened
    // (09:12 in Paris on 25 November is 08:12 UTC), on their real business day.
    let out = tempfile::tempdir().expect("a temporary folder");
    relais_ok(
        data,
        &[
            "export",
            "--out",
            &out.path().display().to_string(),
            "--operator",
            "Marie",
        ],
        "",
    );
    let sales = find_file(out.path(), "sales.csv").expect("sales.csv in the bundle");
    let table = std::fs::read_to_string(&sales).expect("sales.csv");
    let mut rows = table.lines();
    let header = csv_cells(rows.next().expect("a header"));
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("sales.csv has no {name}: {header:?}"))
    };
    let (number, day, sold_at, slip) = (
        column("number"),
        column("business_day"),
        column("late_sold_at_utc"),
        column("late_slip"),
    );
    let all_late: Vec<(String, String, String, String)> = rows
        .map(csv_cells)
        .filter(|cells| cells.get(slip).is_some_and(|s| !s.is_empty()))
        .map(|cells| {
            (
                cells[number].clone(),
                cells[day].clone(),
                cells[sold_at].clone(),
                cells[slip].clone(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String, String)> = ["T1-000002", "T1-000003"]
        .iter()
        .map(|n| {
            (
                n.to_string(),
                "2026-11-25".to_string(),
                "2026-11-25T08:12:00.000Z".to_string(),
                "0042".to_string(),
            )
        })
        .collect();
    // The four slips of the template are late entries too, on their own days.
    assert_eq!(all_late.len(), 6, "late entries {all_late:?}");
    let late: Vec<_> = all_late.into_iter().filter(|l| l.3 == "0042").collect();
    assert_eq!(late, expected, "late entries in {}", sales.display());
}

/// The `csv/sales.csv` table of the bundle written under `dir`.
fn find_file(dir: &std::path::Path, name: &str) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, name) {
                return Some(found);
            }
        } else if path.ends_with(format!("csv/{name}")) {
            return Some(path);
        }
    }
    None
}

/// The cells of one CSV row (comma-separated, fields in double quotes may hold commas and
/// doubled quotes).
fn csv_cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().expect("a cell").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(String::new()),
            (c, _) => cells.last_mut().expect("a cell").push(c),
        }
    }
    cells
}

async fn open_menu(w: &Window, item: &str) -> Check {
    w.click("menu").await?;
    w.click(item).await
}

/// A beer from the catalogue and a cake typed by hand; 10 € deposit on the card terminal.
async fn take_order(w: &Window) -> Check {
    open_menu(w, "menu-orders").await?;
    // What is to prepare today comes first; nothing yet.
    expect_eq(
        "to prepare today",
        w.text_of("order-list-empty").await?,
        "Rien à préparer pour aujourd’hui.".into(),
    )?;
    w.click("orders-tab-new").await?;
    w.fill("order-name", "Mme Durand").await?;
    w.fill("order-phone", "06 12 34 56 78").await?;
    w.fill("order-line-search", "bière blonde").await?;
    w.css(
        &test_id("order-line-search-result"),
        Duration::from_secs(15),
    )
    .await?;
    w.click("order-line-search-result").await?;
    w.fill("order-line-free", "Gâteau 8 parts").await?;
    w.click("order-line-free-add").await?;
    w.wait_count("order-line", 2).await?;
    let prices = w.all("order-line-price").await?;
    let cake = prices.last().ok_or("no price field for the cake")?;
    cake.clear().await.map_err(crate::window::err)?;
    cake.send_keys("32,00").await.map_err(crate::window::err)?;
    w.fill("order-date", "24/12/2030").await?;
    w.fill("order-deposit", "10").await?;
    w.wait_text("order-total", |t| t == "33,95 €").await?;
    expect_eq(
        "balance before the deposit",
        w.text_of("order-balance").await?,
        "23,95 €".into(),
    )?;
    w.click("order-submit").await?;
    w.get("deposit-dialog").await?;
    w.click("deposit-method-card").await?;
    w.fill("tender-amount", "10,00").await?;
    w.fill("tender-reference", "TPE 004512").await?;
    w.click("tender-add").await?;
    w.get("deposit-ready").await?;
    w.click("deposit-validate").await?;
    let created = w.get("order-created").await?;
    expect_contains(
        "order created",
        &clean(&text(&created).await?),
        &[
            "Commande T1-C000001 enregistrée",
            "Acompte versé : 10,00 €",
            "reste à payer : 23,95 €",
        ],
    )?;
    w.get("slip-qr").await?;
    expect_eq(
        "slip number",
        w.text_of("slip-number").await?,
        "T1-C000001".into(),
    )?;
    expect_eq(
        "slip deposit",
        w.text_of("slip-deposit").await?,
        "10,00".into(),
    )?;
    expect_eq(
        "slip balance",
        w.text_of("slip-balance").await?,
        "23,95 EUR".into(),
    )?;
    let slip = clean(&text(&w.get("order-slip").await?).await?);
    expect_contains(
        "order slip",
        &slip,
        &[
            "Pâtisserie du Marché",
            "BON DE COMMANDE",
            "Client : Mme Durand",
            "Retrait en magasin le 24/12/2030",
            "Gâteau 8 parts",
            "Bière blonde 33cl",
            "TOTAL TTC 33,95 EUR",
        ],
    )?;
    screenshot(w, "orders-slip-1366").await
}

/// From the list of all orders: ready, then handed over with 30 € cash for 23,95 € due.
async fn ready_and_collect(w: &Window) -> Check {
    w.click("orders-tab-all").await?;
    w.fill("order-search", "Dupont").await?;
    w.wait_count("order-row", 0).await?;
    w.get("order-list-empty").await?;
    w.fill("order-search", "06 12 34").await?;
    w.wait_count("order-row", 1).await?;
    w.click("order-open").await?;
    w.css(
        r#"[data-testid="order-detail"][data-status="open"]"#,
        Duration::from_secs(15),
    )
    .await?;
    w.click("order-ready").await?;
    w.css(
        r#"[data-testid="order-detail"][data-status="ready"]"#,
        Duration::from_secs(15),
    )
    .await?;
    w.wait_count("order-event", 3).await?;
    w.click("order-collect").await?;
    w.get("payment-dialog").await?;
    expect_eq(
        "balance to pay",
        w.text_of("pay-total").await?,
        "23,95 €".into(),
    )?;
    w.click("method-cash").await?;
    w.fill("tender-amount", &format!("30{}", keys::ENTER))
        .await?;
    w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
    w.click("pay-validate").await?;
    let done = w.get("order-collected").await?;
    expect_eq(
        "collected",
        clean(&text(&done).await?),
        "Commande remise : vente T1-000001 enregistrée (33,95 €).".into(),
    )?;
    w.css(
        r#"[data-testid="order-detail"][data-status="collected"]"#,
        Duration::from_secs(15),
    )
    .await?;
    expect_eq(
        "sale of the order",
        w.text_of("order-sale").await?,
        "T1-000001".into(),
    )?;
    w.wait_count("order-event", 4).await?;
    w.absent("order-collect").await?;
    screenshot(w, "orders-detail-1366").await
}

/// A second order, taken at the other till position by the command line with 5 € cash, is
/// cancelled in the window and its deposit handed back in cash.
async fn cancel_with_refund(w: &Window, data: &DataDir) -> Check {
    relais_ok(
        data,
        &["order", "create", "-"],
        r#"{"customer":{"name":"M. Martin","phone":"07 98 76 54 32"},
            "lines":[{"label":"Tarte aux pommes","unit_price_cents":1800,"vat_rate_bp":550}],
            "requested_date":"2030-12-31","fulfilment":"pickup",
            "deposit":[{"method":"cash","amount_cents":500,"tendered_cents":500}],
            "operator":"Marie"}"#,
    );
    w.click("orders-tab-all").await?;
    w.fill("order-search", "Martin").await?;
    w.wait_count("order-row", 1).await?;
    w.click("order-open").await?;
    w.css(
        r#"[data-testid="order-detail"][data-number="T1-C000002"][data-status="open"]"#,
        Duration::from_secs(15),
    )
    .await?;
    w.click("order-cancel").await?;
    w.get("cancel-dialog").await?;
    w.fill("cancel-reason", "Le client ne viendra pas").await?;
    w.click("cancel-refund-cash").await?;
    w.click("cancel-confirm").await?;
    w.css(
        r#"[data-testid="order-detail"][data-number="T1-C000002"][data-status="cancelled"]"#,
        Duration::from_secs(15),
    )
    .await?;
    Ok(())
}

/// Slip 0042 of 25/11/2026, 09:12, two loaves on the food department key; then the same
/// number with other content: warned, and recorded only when confirmed.
async fn key_in_paper_slips(w: &Window) -> Check {
    open_menu(w, "menu-paper").await?;
    for (price, number) in [("3,50", "T1-000002"), ("4,00", "T1-000003")] {
        w.fill("slip-date", "25/11/2026").await?;
        w.fill("slip-time", "09:12").await?;
        w.fill("slip-number", "0042").await?;
        w.fill("slip-seller", "Lucie").await?;
        w.click_css(r#"[data-testid="slip-line-dept"][data-code="ALIM"]"#)
            .await?;
        w.wait_count("slip-line", 1).await?;
        w.fill("slip-line-qty", "2").await?;
        w.fill("slip-line-price", price).await?;
        w.click("slip-submit").await?;
        if number == "T1-000003" {
            let warning = w.get("slip-duplicate").await?;
            expect_contains(
                "duplicate warning",
                &clean(&text(&warning).await?),
                &["0042", "déjà saisi", "T1-000002", "Enregistrer quand même"],
            )?;
            screenshot(w, "paper-duplicate-1366").await?;
            w.click("slip-anyway").await?;
        }
        let entry = w
            .css(
                &format!(r#"[data-testid="paper-entry"][data-number="{number}"]"#),
                Duration::from_secs(15),
            )
            .await?;
        expect_contains(
            "entered slip",
            &clean(&text(&entry).await?),
            &[
                "Bordereau n° 0042 du 25/11/2026 09:12",
                "Saisie a posteriori",
            ],
        )?;
        w.wait_count("slip-line", 0).await?;
    }
    w.absent("slip-duplicate").await?;
    w.wait_count("paper-entry", 2).await
}

/// The documented template (docs/modele-papier.csv): previewed, then imported.
async fn import_paper_template(w: &Window, path: &str) -> Check {
    w.click("paper-tab-file").await?;
    w.fill("paper-path", path).await?;
    w.click("paper-preview").await?;
    w.css(
        r#"[data-testid="paper-report"][data-applied="false"]"#,
        Duration::from_secs(15),
    )
    .await?;
    expect_contains(
        "paper preview",
        &w.text_of("paper-summary").await?,
        &["Aperçu, rien n’est encore enregistré", "refusés 0"],
    )?;
    expect_eq(
        "days of the preview",
        w.rows("paper-days").await?,
        vec![
            "JOUR BORDEREAUX TOTAL TTC".to_string(),
            "25/11/2026 Saisie a posteriori 3 27,70 €".to_string(),
            "26/11/2026 Saisie a posteriori 1 3,40 €".to_string(),
        ],
    )?;
    w.click("paper-apply").await?;
    w.css(
        r#"[data-testid="paper-report"][data-applied="true"]"#,
        Duration::from_secs(15),
    )
    .await?;
    expect_eq(
        "paper import",
        w.text_of("paper-summary").await?,
        "Import terminé : bordereaux enregistrés 4, déjà saisis 0, refusés 0.".into(),
    )?;
    screenshot(w, "paper-import-1366").await
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
