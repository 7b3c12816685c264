//! The screenshots of docs/screens/, taken from the real app on a realistic till (set up,
//! a catalogue of an épicerie, a few sales). Not part of the test run: start a virtual
//! screen of the wanted size and run
//!
//! ```sh
//! Xvfb :9 -screen 0 1366x768x24 &
//! DISPLAY=:9 cargo test -p relais-e2e -- --ignored --test-threads=1 screens
//! ```
//!
//! Files are named after the window's width: `sale-1366.png`, `sale-1920.png`…
//! With `RELAIS_PRINT_PREVIEW=1`, target/print-preview.png shows the receipt as the print
//! stylesheet lays it out for 80 mm paper (WebKit's driver cannot print to PDF).

use crate::support::{app_lock, relais_ok, workspace_root, DataDir};
use crate::window::{keys, test_id, with_app, Check, Window, APPEAR_WITHIN};
use std::process::Command;

const PRODUCTS: &[(&str, &str, &str, &str, &str)] = &[
    // label, price, VAT, department, unit
    ("Baguette tradition", "1,30", "5,5", "Boulangerie", "pièce"),
    (
        "Croissant pur beurre",
        "1,20",
        "5,5",
        "Boulangerie",
        "pièce",
    ),
    ("Lait demi-écrémé 1 L", "1,15", "5,5", "Crèmerie", "pièce"),
    (
        "Crème fraîche épaisse 20 cl",
        "2,35",
        "5,5",
        "Crèmerie",
        "pièce",
    ),
    ("Comté affiné 18 mois", "24,90", "5,5", "Crèmerie", "kg"),
    ("Beurre doux 250 g", "3,10", "5,5", "Crèmerie", "pièce"),
    ("Œufs plein air x6", "3,49", "5,5", "Crèmerie", "pièce"),
    ("Yaourt nature x4", "1,89", "5,5", "Crèmerie", "pièce"),
    (
        "Pâté de campagne 180 g",
        "3,10",
        "5,5",
        "Charcuterie",
        "pièce",
    ),
    (
        "Jambon blanc x4 tranches",
        "4,25",
        "5,5",
        "Charcuterie",
        "pièce",
    ),
    (
        "Saucisson sec pur porc",
        "5,90",
        "5,5",
        "Charcuterie",
        "pièce",
    ),
    ("Pommes Golden", "2,95", "5,5", "Fruits et légumes", "kg"),
    ("Bananes", "2,20", "5,5", "Fruits et légumes", "kg"),
    ("Tomates grappe", "3,80", "5,5", "Fruits et légumes", "kg"),
    (
        "Café moulu pur arabica 250 g",
        "4,60",
        "5,5",
        "Épicerie",
        "pièce",
    ),
    ("Pâtes spaghetti 500 g", "1,45", "5,5", "Épicerie", "pièce"),
    ("Riz basmati 1 kg", "2,90", "5,5", "Épicerie", "pièce"),
    (
        "Huile d'olive vierge extra 75 cl",
        "8,95",
        "5,5",
        "Épicerie",
        "pièce",
    ),
    (
        "Chocolat noir 70 % 100 g",
        "2,15",
        "5,5",
        "Épicerie",
        "pièce",
    ),
    (
        "Confiture de fraises 370 g",
        "3,25",
        "5,5",
        "Épicerie",
        "pièce",
    ),
    ("Eau minérale 1,5 L", "0,65", "5,5", "Boissons", "pièce"),
    ("Jus d'orange 1 L", "2,49", "5,5", "Boissons", "pièce"),
    ("Bière blonde 33 cl", "1,95", "20", "Boissons", "pièce"),
    (
        "Vin rouge Côtes du Rhône 75 cl",
        "7,50",
        "20",
        "Boissons",
        "pièce",
    ),
    (
        "Liquide vaisselle 500 ml",
        "1,99",
        "20",
        "Droguerie",
        "pièce",
    ),
    ("Éponges x3", "1,60", "20", "Droguerie", "pièce"),
    ("Piles AA x4", "5,90", "20", "Droguerie", "pièce"),
    ("Le Monde (quotidien)", "3,20", "2,1", "Presse", "pièce"),
];

/// EAN-13 of product `n` (French prefix 376, a check digit computed as GS1 says).
fn ean(n: usize) -> String {
    let body = format!("376000010{n:03}");
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn catalogue(dir: &std::path::Path) -> std::path::PathBuf {
    let mut csv = String::from("EAN;Libellé;Prix TTC;TVA;Rayon;Unité\n");
    for (i, (label, price, vat, department, unit)) in PRODUCTS.iter().enumerate() {
        csv.push_str(&format!(
            "{};{label};{price};{vat};{department};{unit}\n",
            ean(i + 1)
        ));
    }
    let path = dir.join("catalogue-epicerie.csv");
    std::fs::write(&path, csv).expect("write the catalogue");
    path
}

fn with_pins(data: &DataDir, args: &[&str], pin: &str) {
    let output = Command::new(crate::support::relais_bin())
        .args(args)
        .env("RELAIS_DATA_DIR", data.path())
        .env("RELAIS_PIN", pin)
        .env("RELAIS_MANAGER_PIN", "1234")
        .output()
        .expect("run relais");
    assert!(
        output.status.success(),
        "relais {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A till that has been selling for a while.
fn realistic_till() -> (DataDir, tempfile::TempDir) {
    let data = DataDir::new();
    let files = tempfile::tempdir().expect("temp dir");
    relais_ok(
        &data,
        &[
            "init",
            "--shop",
            "Épicerie du Marché",
            "--till",
            "T1",
            "--address",
            "12 rue des Lilas, 69003 Lyon",
            "--siret",
            "123 456 789 00012",
            "--vat-number",
            "FR12123456789",
        ],
        "",
    );
    with_pins(
        &data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234",
    );
    with_pins(
        &data,
        &["staff", "add", "Paul", "--role", "cashier", "--by", "Marie"],
        "5678",
    );
    with_pins(
        &data,
        &[
            "staff", "add", "Sophie", "--role", "cashier", "--by", "Marie",
        ],
        "2468",
    );
    relais_ok(
        &data,
        &[
            "catalog",
            "import",
            &catalogue(files.path()).display().to_string(),
            "--operator",
            "Marie",
        ],
        "",
    );
    for sale in [
        format!(
            r#"{{"lines":[{{"barcode":"{}","qty":"2"}},{{"barcode":"{}"}},{{"barcode":"{}"}}],"payments":[{{"method":"cash","tendered_cents":2000}}],"operator":"Paul"}}"#,
            ean(1),
            ean(4),
            ean(9)
        ),
        format!(
            r#"{{"lines":[{{"barcode":"{}","qty":"0.412"}},{{"barcode":"{}"}}],"payments":[{{"method":"cash","tendered_cents":2000}}],"operator":"Sophie"}}"#,
            ean(5),
            ean(23)
        ),
        format!(
            r#"{{"lines":[{{"barcode":"{}"}},{{"barcode":"{}","qty":"6"}}],"payments":[{{"method":"cash","tendered_cents":5000}}],"operator":"Paul"}}"#,
            ean(24),
            ean(21)
        ),
    ] {
        relais_ok(&data, &["sale", "record", "-"], &sale);
    }
    (data, files)
}

async fn shoot(w: &Window, name: &str) -> Check {
    let width =
        w.0.execute("return window.innerWidth;", vec![])
            .await
            .map_err(crate::window::err)?;
    let path = workspace_root()
        .join("docs/screens")
        .join(format!("{name}-{}.png", width.as_u64().unwrap_or(0)));
    // Panels scrolled by the clicks of the test go back to their top, as a person sees them.
    w.0.execute(
        "document.querySelectorAll('.sub-body').forEach((e) => { e.scrollTop = 0; });",
        vec![],
    )
    .await
    .map_err(crate::window::err)?;
    // Let the last frame settle (focus rings, fonts) before the pixels are read.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    w.screenshot(&path).await?;
    println!("screenshot: {}", path.display());
    Ok(())
}

/// What the printer gets, seen on screen: window.print() is stubbed, "Imprimer le ticket" is
/// pressed, and the print rules of every stylesheet are applied to the screen.
async fn print_preview(w: &Window) -> Check {
    w.0.execute("window.print = () => {};", vec![])
        .await
        .map_err(crate::window::err)?;
    w.click("print").await?;
    w.0.execute(
        r#"for (const sheet of document.styleSheets) {
             for (const rule of sheet.cssRules) {
               if (rule instanceof CSSMediaRule && rule.media.mediaText.includes('print')) {
                 rule.media.mediaText = 'all';
               }
             }
           }"#,
        vec![],
    )
    .await
    .map_err(crate::window::err)?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    w.screenshot(&crate::support::target_dir().join("print-preview.png"))
        .await?;
    w.0.execute("location.reload();", vec![])
        .await
        .map_err(crate::window::err)?;
    w.get("scan").await.map(|_| ())
}

#[tokio::test]
#[ignore = "writes docs/screens/*.png; run by hand under Xvfb of the wanted size"]
async fn screens() {
    let _one_window = app_lock().await;

    let fresh = DataDir::new();
    with_app("screens_setup", &fresh, |app| async move {
        let w = Window(app);
        w.css(&test_id("setup"), APPEAR_WITHIN).await?;
        w.fill("setup-shop", "Épicerie du Marché").await?;
        w.fill("setup-address", "12 rue des Lilas, 69003 Lyon")
            .await?;
        w.fill("setup-siret", "123 456 789 00012").await?;
        w.fill("setup-vat", "FR12123456789").await?;
        w.fill("setup-manager", "Marie").await?;
        w.fill("setup-pin", "1234").await?;
        shoot(&w, "setup").await
    })
    .await;

    let (data, _files) = realistic_till();
    with_app("screens_counter", &data, |app| async move {
        let w = Window(app);
        w.css(&test_id("login"), APPEAR_WITHIN).await?;
        w.click_css(r#"[data-testid="login-person"][data-name="Paul"]"#)
            .await?;
        w.fill("login-pin", "56").await?;
        shoot(&w, "login").await?;
        w.fill("login-pin", &format!("5678{}", keys::ENTER)).await?;
        w.get("scan").await?;

        for (code, lines) in [
            (ean(1), 1),
            (ean(1), 1),
            (ean(7), 2),
            (ean(15), 3),
            (ean(23), 4),
        ] {
            w.keys(&format!("{code}{}", keys::ENTER)).await?;
            w.wait_count("cart-line", lines).await?;
        }
        // A weighed product: the weight is asked first.
        w.keys(&format!("{}{}", ean(12), keys::ENTER)).await?;
        w.fill("qty-input", &format!("1,235{}", keys::ENTER))
            .await?;
        w.wait_count("cart-line", 5).await?;
        w.click_css(r#"[data-testid="dept-key"][data-code="DIVERS"]"#)
            .await?;
        w.fill("dept-price", "4,50").await?;
        w.fill("dept-label", &format!("Bouquet de fleurs{}", keys::ENTER))
            .await?;
        w.wait_count("cart-line", 6).await?;
        // 10 % off the coffee (line 3).
        // ↑ ↑ ↑ from the last line selects line 3, then F3.
        w.keys("\u{e013}\u{e013}\u{e013}").await?;
        w.keys("\u{e033}").await?;
        w.click("discount-percent").await?;
        w.fill("discount-input", &format!("10{}", keys::ENTER))
            .await?;
        w.wait_text("total", |t| t == "20,32 €").await?;
        shoot(&w, "sale").await?;

        w.keys(keys::F9).await?;
        w.get("payment-dialog").await?;
        w.click("method-card").await?;
        w.fill("tender-amount", "10,00").await?;
        w.fill("tender-reference", "TPE-1042").await?;
        w.click("tender-add").await?;
        w.click("method-cash").await?;
        w.fill("tender-amount", &format!("20{}", keys::ENTER))
            .await?;
        w.get("pay-change").await?;
        shoot(&w, "payment").await?;
        w.click("pay-validate").await?;
        w.get("paid").await?;
        shoot(&w, "receipt").await?;
        if std::env::var_os("RELAIS_PRINT_PREVIEW").is_some() {
            print_preview(&w).await?;
        }

        w.keys(keys::F8).await?;
        w.fill("return-reference", &format!("T1-000001{}", keys::ENTER))
            .await?;
        w.wait_count("return-line", 3).await?;
        let all = w.all("return-all").await?;
        w.click_element(all.get(2).ok_or("no line 3")?).await?;
        w.fill("return-reason", "Article défectueux").await?;
        shoot(&w, "returns").await?;

        // A reprint (Tickets, F10) and the catalogue import of a manager.
        w.keys(keys::ESCAPE).await?;
        w.keys(keys::F10).await?;
        w.fill("ticket-reference", &format!("T1-000002{}", keys::ENTER))
            .await?;
        w.click("reprint").await?;
        w.get("receipt-duplicata").await?;
        shoot(&w, "tickets").await?;
        w.keys(keys::F12).await?;
        w.click_css(r#"[data-testid="login-person"][data-name="Marie"]"#)
            .await?;
        w.fill("login-pin", &format!("1234{}", keys::ENTER)).await?;
        w.click("menu").await?;
        w.click("menu-import").await?;
        let rejects = workspace_root().join("tests/corpus/catalog/rejets.csv");
        w.fill("import-path", &rejects.display().to_string())
            .await?;
        w.click("import-preview").await?;
        w.get("import-report").await?;
        shoot(&w, "import").await
    })
    .await;

    // The bundle's report.html, as the manager opens it: its top, then its numbering.
    relais_ok(
        &data,
        &[
            "outage",
            "start",
            "--at",
            "2026-12-01 08:00",
            "--reason",
            "rançongiciel chez l'hébergeur",
            "--operator",
            "Marie",
        ],
        "",
    );
    let usb = tempfile::tempdir().expect("temp dir");
    let exported = relais_ok(
        &data,
        &[
            "export",
            "--out",
            &usb.path().display().to_string(),
            "--operator",
            "Marie",
            "--json",
        ],
        "",
    );
    let folder: serde_json::Value = serde_json::from_str(&exported).expect("export report");
    let report = format!(
        "file://{}/report.html",
        folder["folder"].as_str().unwrap_or("")
    );
    with_app("screens_report", &data, |app| async move {
        let w = Window(app);
        w.css(&test_id("login"), APPEAR_WITHIN).await?;
        w.0.goto(&report).await.map_err(crate::window::err)?;
        w.css("h1", APPEAR_WITHIN).await?;
        shoot(&w, "report").await?;
        w.0.execute(
            "[...document.querySelectorAll('h2')].find((h) => h.textContent === 'Numérotation').scrollIntoView();",
            vec![],
        )
        .await
        .map_err(crate::window::err)?;
        shoot(&w, "report-numbering").await
    })
    .await;
}

/// Réglages › Imprimante de tickets, as a manager fills it in: `settings-<width>.png`.
#[tokio::test]
#[ignore = "writes docs/screens/settings-*.png; run by hand under Xvfb of the wanted size"]
async fn settings_screen() {
    let _one_window = app_lock().await;
    let (data, _files) = realistic_till();
    with_app("screens_settings", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.click("menu").await?;
        w.click("menu-settings").await?;
        w.fill("printer-uri", "tcp://192.168.1.50:9100").await?;
        w.click("printer-width-48").await?;
        w.click("printer-every").await?;
        w.click("printer-save").await?;
        w.get("printer-message").await?;
        shoot(&w, "settings").await
    })
    .await;
}

/// The customer display during a sale: `customer-display.png`, its window alone as the X
/// server shows it (`import`, ImageMagick: WebKit's driver never answers a screenshot of a
/// second window). Run as the others, with ImageMagick installed.
#[tokio::test]
#[ignore = "writes docs/screens/customer-display.png; run by hand under Xvfb"]
async fn customer_display_screen() {
    let _one_window = app_lock().await;
    let (data, _files) = realistic_till();
    with_app("screens_display", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.click("menu").await?;
        w.click("menu-settings").await?;
        w.click("display-enabled").await?;
        w.click("display-save").await?;
        w.get("display-message").await?;
        w.click("back-to-sale").await?;
        w.get("scan").await?;
        for (code, lines) in [(ean(1), 1), (ean(1), 1), (ean(7), 2), (ean(23), 3)] {
            w.keys(&format!("{code}{}", keys::ENTER)).await?;
            w.wait_count("cart-line", lines).await?;
        }
        // The display draws what the till sent it: give it its frame.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let path = workspace_root().join("docs/screens/customer-display.png");
        // The till's window aside, off the display's (both open at the screen's corner).
        w.0.set_window_rect(1040, 0, 860, 1000)
            .await
            .map_err(|e| format!("move the till's window: {e}"))?;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        // By its id: `import -window NAME` waits forever on a name it does not match.
        let id = x_window_id("afficheur client")?;
        let taken = Command::new("import")
            .args(["-window", &id])
            .arg(&path)
            .output()
            .map_err(|e| format!("import (ImageMagick): {e}"))?;
        match taken.status.success() {
            true => {
                println!("screenshot: {}", path.display());
                Ok(())
            }
            false => Err(format!(
                "import: {}",
                String::from_utf8_lossy(&taken.stderr)
            )),
        }
    })
    .await;
}

/// The X id of the top-level window whose title holds `title_part` (`xwininfo`).
fn x_window_id(title_part: &str) -> Result<String, String> {
    let tree = Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .map_err(|e| format!("xwininfo: {e}"))?;
    let tree = String::from_utf8_lossy(&tree.stdout);
    tree.lines()
        .find(|line| line.contains(title_part))
        .and_then(|line| line.split_whitespace().next())
        .map(String::from)
        .ok_or_else(|| format!("no window titled « …{title_part}… »:\n{tree}"))
}
