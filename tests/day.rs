//! The manager's day in the real app window: the day opened with a float counted coin by
//! coin, three sales (cash, card, cheque), a paid-out, the X report's figures, the Z closure
//! with a counted drawer 0,50 € short, the closures list, the event journal, and a cashier
//! disabled, enabled again and given a new PIN. Then the closure is checked against
//! `relais day closures --json`, the journal and `relais verify` on the same data directory.

use crate::support::{app_lock, relais, relais_ok, DataDir};
mod journal_staff;
mod zone;
use journal_staff::{check_journal, staff};

use crate::window::{
    clean, err, expect_contains, expect_eq, keys, test_id, text, with_app, Check, Window,
    APPEAR_WITHIN,
};

#[tokio::test]
async fn a_manager_opens_the_day_and_closes_it_with_a_variance() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    let day = std::sync::Arc::new(std::sync::Mutex::new(String::new()));

    let opened = day.clone();
    with_app("day", &data, |app| async move {
        let w = Window(app);
        set_up(&w).await?;
        let date = open_day(&w).await?;
        *opened.lock().unwrap() = date.clone();
        sell(&w, "ALIM", "3,50", Tender::Cash("5")).await?;
        sell(&w, "DIVERS", "6,00", Tender::Card).await?;
        sell(&w, "ALIM", "10,00", Tender::Cheque("0012345")).await?;
        pay_out(&w).await?;
        check_x(&w, &date).await?;
        close_day(&w, &date).await?;
        check_journal(&w).await?;
        staff(&w).await?;
        Ok(())
    })
    .await;

    let date = day.lock().unwrap().clone();
    let iso = iso_day(&date);
    let closures = relais_ok(&data, &["day", "closures", "--json"], "");
    let lines: Vec<&str> = closures.lines().collect();
    assert_eq!(lines.len(), 1, "one closure:\n{closures}");
    let z: serde_json::Value = serde_json::from_str(lines[0]).expect("closure JSON");
    let c = &z["closure"];
    for (path, want) in [
        ("/number", serde_json::json!("T1-Z000001")),
        ("/closure/period", serde_json::json!("day")),
        ("/closure/first_day", serde_json::json!(iso)),
        ("/closure/automatic", serde_json::json!(false)),
        ("/closure/totals/sales", serde_json::json!(3)),
        ("/closure/totals/total_cents", serde_json::json!(1950)),
        ("/closure/totals/float_cents", serde_json::json!(15200)),
        ("/closure/totals/cash_out_cents", serde_json::json!(2000)),
        (
            "/closure/totals/expected_cash_cents",
            serde_json::json!(13550),
        ),
        (
            "/closure/totals/cheques/0/number",
            serde_json::json!("0012345"),
        ),
        (
            "/closure/totals/cheques/0/amount_cents",
            serde_json::json!(1000),
        ),
        (
            "/closure/cash_count/counted_cents",
            serde_json::json!(13500),
        ),
        ("/closure/cash_count/variance_cents", serde_json::json!(-50)),
        (
            "/closure/card_check/terminal_total_cents",
            serde_json::json!(600),
        ),
        ("/closure/card_check/variance_cents", serde_json::json!(0)),
        (
            "/closure/note",
            serde_json::json!("Pièce de 0,50 € introuvable"),
        ),
        ("/closure/perpetual_total_cents", serde_json::json!(1950)),
        ("/closure/signature/algorithm", serde_json::json!("ed25519")),
    ] {
        assert_eq!(
            z.pointer(path),
            Some(&want),
            "{path} in relais day closures --json:\n{closures}"
        );
    }
    assert_eq!(
        c["cash_count"]["denominations"],
        serde_json::json!([
            {"value_cents": 2000, "count": 5},
            {"value_cents": 1000, "count": 3},
            {"value_cents": 500, "count": 1},
        ]),
        "the drawer as counted on screen"
    );
    let listing = relais_ok(&data, &["day", "closures"], "");
    assert!(
        listing.contains("T1-Z000001") && listing.contains("19,50"),
        "relais day closures:\n{listing}"
    );

    let verify = relais(&data, &["verify"], "");
    assert!(
        verify.status.success(),
        "relais verify after the closure:\n{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    let journal = relais_ok(&data, &["journal"], "");
    for wanted in [
        "Ouverture de la journée du",
        "Mouvement de caisse T1-M000001",
        "(Timbres)",
        "Clôture de la journée du",
        "Paul désactivé(e)",
        "Paul réactivé(e)",
        "Code PIN de Paul changé",
    ] {
        assert!(
            journal.contains(wanted),
            "relais journal lacks {wanted:?}:\n{journal}"
        );
    }
    let staff = relais_ok(&data, &["staff", "list", "--json"], "");
    assert!(
        staff.contains(r#""name":"Paul""#) && !staff.contains(r#""active":false"#),
        "Paul is active again:\n{staff}"
    );
}

/// Fills a field, scrolled into view first: the day's forms are taller than the window, and
/// WebKit's driver refuses to type into a field the scrolling panel hides.
async fn fill(w: &Window, id: &str, value: &str) -> Check {
    let field = w.get(id).await?;
    w.0.execute(
        "arguments[0].scrollIntoView({block: 'center'});",
        vec![serde_json::to_value(&field).map_err(err)?],
    )
    .await
    .map_err(err)?;
    w.fill(id, value).await
}

/// With RELAIS_DAY_SHOTS set, what the window shows at each step goes to
/// target/day-shots/<name>.png (to look at the screens; not needed by the test).
async fn shot(w: &Window, name: &str) -> Check {
    if std::env::var_os("RELAIS_DAY_SHOTS").is_none() {
        return Ok(());
    }
    let path = crate::support::target_dir()
        .join("day-shots")
        .join(format!("{name}.png"));
    w.screenshot(&path).await
}

/// "28/11/2026" → "2026-11-28".
fn iso_day(french: &str) -> String {
    let parts: Vec<&str> = french.split('/').collect();
    assert_eq!(parts.len(), 3, "a French date: {french:?}");
    format!("{}-{}-{}", parts[2], parts[1], parts[0])
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
    w.click("start-selling").await?;
    w.get("scan").await.map(|_| ())
}

async fn menu(w: &Window, item: &str) -> Check {
    w.click("menu").await?;
    w.click(&format!("menu-{item}")).await
}

/// Opens the day on its default date (today) with 152,00 € counted; returns the date shown.
async fn open_day(w: &Window) -> Result<String, String> {
    menu(w, "day").await?;
    w.get("day-open-form").await?;
    expect_eq(
        "day state",
        w.text_of("day-state").await?,
        "Aucune journée ouverte".into(),
    )?;
    let date = w.value_of("day-open-date").await?;
    if date.len() != 10 || date.matches('/').count() != 2 {
        return Err(format!("the date field should hold today, holds {date:?}"));
    }
    for (value, count) in [("2000", "5"), ("1000", "3"), ("200", "10"), ("50", "4")] {
        fill(w, &format!("float-count-{value}"), count).await?;
    }
    w.wait_text("float-line-200", |t| t == "20,00 €").await?;
    w.wait_text("float-total", |t| t == "152,00 €").await?;
    shot(w, "open").await?;
    w.click("day-open-submit").await?;
    w.get("x-report").await?;
    expect_eq(
        "opened",
        w.text_of("day-message").await?,
        format!("Journée du {date} ouverte : fond de caisse 152,00 €."),
    )?;
    expect_eq(
        "day state",
        w.text_of("day-state").await?,
        format!("Journée du {date} ouverte"),
    )?;
    w.click("back-to-sale").await?;
    Ok(date)
}

enum Tender {
    Cash(&'static str),
    Card,
    Cheque(&'static str),
}

/// One sale through a department key, paid in one tender.
async fn sell(w: &Window, department: &str, price: &str, tender: Tender) -> Check {
    w.get("cart-empty").await?;
    w.click_css(&format!(
        r#"[data-testid="dept-key"][data-code="{department}"]"#
    ))
    .await?;
    fill(w, "dept-price", &format!("{price}{}", keys::ENTER)).await?;
    w.wait_count("cart-line", 1).await?;
    w.wait_text("total", |t| t == format!("{price} €")).await?;
    w.keys(keys::F9).await?;
    w.get("payment-dialog").await?;
    match tender {
        Tender::Cash(handed) => {
            w.click("method-cash").await?;
            fill(w, "tender-amount", &format!("{handed}{}", keys::ENTER)).await?;
        }
        Tender::Card => {
            w.click("method-card").await?;
            fill(w, "tender-amount", price).await?;
            w.click("tender-add").await?;
        }
        Tender::Cheque(number) => {
            w.click("method-cheque").await?;
            fill(w, "tender-amount", price).await?;
            fill(w, "tender-reference", number).await?;
            w.click("tender-add").await?;
        }
    }
    w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
    w.click("pay-validate").await?;
    w.get("paid").await?;
    // Enter on the empty scan field starts the next sale.
    w.keys(keys::ENTER).await?;
    w.get("cart-empty").await.map(|_| ())
}

async fn pay_out(w: &Window) -> Check {
    menu(w, "day").await?;
    w.click("day-tab-move").await?;
    w.click("move-category-paid_out").await?;
    fill(w, "move-amount", "20").await?;
    fill(w, "move-reason", "Timbres").await?;
    shot(w, "move").await?;
    w.click("move-submit").await?;
    w.wait_text("day-message", |t| t == "T1-M000001 enregistré : -20,00 €.")
        .await
        .map(|_| ())
}

async fn check_x(w: &Window, date: &str) -> Check {
    w.click("day-tab-x").await?;
    w.get("x-report").await?;
    w.wait_text("x-sales", |t| t == "3").await?;
    shot(w, "x").await?;
    for (id, want) in [
        ("x-sales-amount", "19,50 €"),
        ("x-refunds", "0"),
        ("x-voids", "0"),
        ("x-net", "19,50 €"),
        ("x-discounts", "0,00 €"),
        ("x-float", "152,00 €"),
        ("x-cash", "3,50 €"),
        ("x-cash-in", "0,00 €"),
        ("x-cash-out", "20,00 €"),
        ("x-expected", "135,50 €"),
    ] {
        expect_eq(id, w.text_of(id).await?, want.into())?;
    }
    let title = w.get("x-report").await?;
    expect_contains(
        "X report",
        &clean(&text(&title).await?),
        &[&format!("Journée du {date}")],
    )?;
    expect_eq(
        "VAT per rate",
        w.rows("x-vat").await?,
        vec![
            "TAUX HT TVA TTC".into(),
            "20 % 5,00 € 1,00 € 6,00 €".into(),
            "5,5 % 12,80 € 0,70 € 13,50 €".into(),
        ],
    )?;
    let tenders = w.rows("x-tenders").await?;
    expect_contains(
        "tenders",
        &tenders.join("\n"),
        &[
            "Espèces 1 3,50 €",
            "Carte bancaire 1 6,00 €",
            "Chèque 1 10,00 €",
        ],
    )?;
    expect_eq(
        "cheques",
        w.rows("x-cheques").await?,
        vec![
            "TICKET N° DE CHÈQUE MONTANT".into(),
            "T1-000003 0012345 10,00 €".into(),
        ],
    )?;
    printed_page(w, "x-print", &format!("RAPPORT X — journée du {date}")).await
}

async fn close_day(w: &Window, date: &str) -> Check {
    w.click("day-tab-z").await?;
    w.get("z-form").await?;
    // Blind count: the drawer is counted before the expected cash shows.
    w.get("z-blind").await?;
    w.absent("z-expected").await?;
    for (value, count) in [("2000", "5"), ("1000", "3"), ("500", "1")] {
        fill(w, &format!("counted-count-{value}"), count).await?;
    }
    w.wait_text("z-counted", |t| t == "135,00 €").await?;
    w.click("z-count-done").await?;
    expect_eq(
        "expected",
        w.text_of("z-expected").await?,
        "135,50 €".into(),
    )?;
    let variance = w.get("z-variance").await?;
    expect_eq(
        "variance tone",
        variance.attr("data-tone").await.map_err(err)?,
        Some("short".into()),
    )?;
    expect_eq(
        "variance",
        w.text_of("z-variance").await?,
        "Écart -0,50 € Manque en caisse : 0,50 € de moins que prévu.".into(),
    )?;
    // Shown in red: the variance's colour is the theme's "bad" one.
    let colour =
        w.0.execute(
            "return getComputedStyle(arguments[0]).color;",
            vec![serde_json::to_value(&variance).map_err(err)?],
        )
        .await
        .map_err(err)?;
    expect_eq(
        "variance colour",
        colour,
        serde_json::json!("rgb(164, 22, 26)"),
    )?;
    expect_eq(
        "cards recorded",
        w.text_of("z-card-recorded").await?,
        "6,00 €".into(),
    )?;
    fill(w, "z-card", "6,00").await?;
    let card = w.get("z-card-variance").await?;
    expect_eq(
        "card variance",
        card.attr("data-tone").await.map_err(err)?,
        Some("exact".into()),
    )?;
    expect_eq(
        "cheques to bank",
        w.rows("z-cheques").await?,
        vec![
            "TICKET N° DE CHÈQUE MONTANT".into(),
            "T1-000003 0012345 10,00 €".into(),
        ],
    )?;
    fill(w, "z-note", "Pièce de 0,50 € introuvable").await?;
    shot(w, "z").await?;
    w.click("z-submit").await?;
    w.get("z-confirm").await?;
    shot(w, "z-confirm").await?;
    w.click("z-confirm-ok").await?;

    w.get("closure").await?;
    shot(w, "closure").await?;
    expect_eq(
        "closed",
        w.text_of("day-message").await?,
        "Journée clôturée : T1-Z000001.".into(),
    )?;
    expect_eq(
        "closure title",
        w.text_of("closure-title").await?,
        format!("Clôture Z T1-Z000001 — journée du {date}"),
    )?;
    expect_eq(
        "counted",
        w.text_of("closure-counted").await?,
        "135,00 €".into(),
    )?;
    expect_eq(
        "closure variance",
        w.text_of("closure-variance-amount").await?,
        "-0,50 €".into(),
    )?;
    expect_eq(
        "card check",
        w.text_of("closure-card").await?,
        "Terminal carte : 6,00 € — écart 0,00 €".into(),
    )?;
    expect_eq(
        "perpetual",
        w.text_of("closure-perpetual").await?,
        "19,50 €".into(),
    )?;
    expect_contains(
        "signature",
        &w.text_of("closure-signature").await?,
        &["Signature Ed25519 :", "…"],
    )?;
    expect_eq(
        "day state",
        w.text_of("day-state").await?,
        "Aucune journée ouverte".into(),
    )?;
    printed_page(
        w,
        "closure-print",
        &format!("CLÔTURE Z T1-Z000001 — journée du {date}"),
    )
    .await?;
    w.click("closure-back").await?;
    w.wait_count("closure-row", 1).await?;
    shot(w, "closures").await?;
    let row = w.get("closure-row").await?;
    expect_contains(
        "closure row",
        &clean(&text(&row).await?),
        &["T1-Z000001", "Jour", date, "19,50 €", "-0,50 €"],
    )?;
    // The month is not over: nothing to close yet.
    w.get("periods-none").await?;
    w.get("public-key").await.map(|_| ())
}

/// Prints with `button` (window.print stubbed: WebKit's driver has no printer) and checks
/// the page drawn in the print area. With RELAIS_PRINT_PREVIEW=<button> (`x-print`,
/// `closure-print`), the print stylesheet is applied to the screen there and
/// target/day-print-preview.png shows the page as printed (the test then stops).
async fn printed_page(w: &Window, button: &str, title: &str) -> Check {
    w.0.execute(
        "window.__printed = 0; window.print = () => { window.__printed += 1; };",
        vec![],
    )
    .await
    .map_err(err)?;
    w.click(button).await?;
    let deadline = std::time::Instant::now() + crate::window::WITHIN;
    loop {
        let seen =
            w.0.execute(
                "const t = document.querySelector('.print-area [data-testid=\"report-title\"]');
                 return [window.__printed, t === null ? null : t.textContent];",
                vec![],
            )
            .await
            .map_err(err)?;
        if seen == serde_json::json!([1, title]) {
            break;
        }
        if std::time::Instant::now() > deadline {
            return Err(format!(
                "printing {button}: {seen} instead of [1, {title:?}]"
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    if std::env::var("RELAIS_PRINT_PREVIEW").ok().as_deref() == Some(button) {
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
        .map_err(err)?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        w.screenshot(&crate::support::target_dir().join("day-print-preview.png"))
            .await?;
        return Err("print preview saved; the window is left in print layout".into());
    }
    Ok(())
}
