//! The manager's controls of issue 21 in the real window: a department hidden from the
//! counter, a cashier's discount above the shop's threshold approved by a manager (the
//! dialog names it and its amount), the day's takings kept from the counter, a sale after
//! the Z that says it opens a new day, and the logins: a PIN typed before the name, and
//! the first login after the 5-minute lock.

use crate::support::{app_lock, relais, relais_ok, DataDir};
use crate::window::{err, expect_contains, expect_eq, keys, test_id, with_app, Check, Window};

#[tokio::test]
async fn a_manager_controls_discounts_departments_and_takings() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    relais_ok(&data, &["demo"], "");
    // A first sale, the command line's discounts, and the Z: the app's next sale opens a new
    // day.
    let first = r#"{"lines":[{"department":"DIVERS","unit_price_cents":500}],"payments":[{"method":"cash","tendered_cents":10000}]}"#;
    relais_ok(
        &data,
        &["sale", "record", "-", "--operator", "Marie"],
        first,
    );
    cli_refuses_a_cashiers_discount_without_a_manager(&data);
    relais_ok(&data, &["day", "close", "--operator", "Marie"], "");

    with_app("controls", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.wait_text("status-today", |t| t.contains('€')).await?;
        hide_a_department(&w, "PRESSE").await?;
        w.keys(keys::F12).await?;
        w.get("login").await?;
        pin_first_then_the_name(&w, "Paul", "5678").await?;
        let today = w.text_of("status-today").await?;
        if today.contains('€') {
            return Err(format!("a cashier's status bar shows the takings: {today}"));
        }
        a_discount_approved_by_a_manager(&w).await?;
        the_first_login_after_the_idle_lock_works(&w).await
    })
    .await;

    let journal = relais_ok(&data, &["journal"], "");
    expect_contains(
        "journal",
        &journal,
        &[
            "Rayon PRESSE masqué à la caisse",
            "Marie autorise une remise de 5,00 € (50 %) sur",
            "pour Paul",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let departments = relais_ok(&data, &["catalog", "departments"], "");
    expect_contains("departments", &departments, &["(masqué)"]).unwrap_or_else(|e| panic!("{e}"));
}

/// `relais sale record` by a cashier with a 50 % discount: refused in French, nothing
/// recorded; with `--manager Marie` and her PIN, recorded.
fn cli_refuses_a_cashiers_discount_without_a_manager(data: &DataDir) {
    let sale = r#"{"operator":"Paul","lines":[{"department":"DIVERS","unit_price_cents":1000,"discount_percent":"50"}],"payments":[{"method":"cash","tendered_cents":10000}]}"#;
    let file = data.path().join("discounted.json");
    std::fs::write(&file, sale).unwrap();
    let file = file.to_str().unwrap();
    let refused = relais(data, &["sale", "record", file], "");
    assert!(!refused.status.success(), "refused");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("Une remise de 5,00 € (50 %) sur « Divers » dépasse le seuil du magasin (20 % ou 20,00 €) : un responsable doit la valider avec son code PIN"),
        "{stderr}"
    );
    let approved = relais_ok(
        data,
        &["sale", "record", file, "--manager", "Marie"],
        "1234\n",
    );
    assert!(approved.contains("-000002"), "{approved}");
}

/// Réglages › Rayons: « Masquer » takes the key off the sale screen.
async fn hide_a_department(w: &Window, code: &str) -> Check {
    w.click_css(&format!(r#"{}[data-code="{code}"]"#, test_id("dept-key")))
        .await
        .map_err(|e| format!("the key {code} is there first: {e}"))?;
    w.keys(keys::ESCAPE).await?;
    w.click("menu").await?;
    w.click("menu-settings").await?;
    let row = format!(r#"{}[data-code="{code}"]"#, test_id("dept-row"));
    w.click_css(&format!("{row} {}", test_id("dept-hide")))
        .await?;
    w.css(
        &format!(r#"{row}[data-hidden="true"]"#),
        crate::window::APPEAR_WITHIN,
    )
    .await?;
    let said = w.text_of("depts-message").await?;
    expect_contains("hidden", &said, &["masqué : sa touche quitte la vente"])?;
    shot(w, "departments").await?;
    w.click("back-to-sale").await?;
    w.get("dept-key").await?;
    let keys = w.all("dept-key").await?;
    for key in keys {
        if key.attr("data-code").await.map_err(err)?.as_deref() == Some(code) {
            return Err(format!("the hidden department {code} still has a key"));
        }
    }
    Ok(())
}

/// The PIN typed and Entrée pressed before the name: kept, said, and the name logs in.
async fn pin_first_then_the_name(w: &Window, name: &str, pin: &str) -> Check {
    expect_eq(
        "focus on the lock screen",
        w.focused().await?,
        Some("login-pin".into()),
    )?;
    let on_lock_screen = w.text_of("login").await?;
    if on_lock_screen.contains('€') {
        return Err(format!("the lock screen shows an amount: {on_lock_screen}"));
    }
    w.keys(&format!("{pin}{}", keys::ENTER)).await?;
    let said = w.text_of("login-name-first").await?;
    expect_eq(
        "PIN kept",
        said,
        "Code gardé : touchez votre nom, et vous voilà connecté·e.".into(),
    )?;
    w.click_css(&format!(
        r#"{}[data-name="{name}"]"#,
        test_id("login-person")
    ))
    .await?;
    w.wait_text("operator", |t| t.contains(name))
        .await
        .map(|_| ())
}

/// Paul gives 50 % off a 10,00 € line: the payment asks for a manager, naming the discount
/// and its amount; Marie's PIN records it. The sale opens a new day after the Z: said.
async fn a_discount_approved_by_a_manager(w: &Window) -> Check {
    w.keys(&format!("10,00{}", keys::ENTER)).await?;
    w.wait_count("cart-line", 1).await?;
    let label = w.text_of("line-label").await?;
    w.click("line-discount").await?;
    w.get("discount-dialog").await?;
    w.fill("discount-input", &format!("50{}", keys::ENTER))
        .await?;
    w.wait_text("total", |t| t == "5,00 €").await?;
    w.keys(keys::F9).await?;
    w.get("payment-dialog").await?;
    w.fill("tender-amount", &format!("5{}", keys::ENTER))
        .await?;
    w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
    w.click("pay-validate").await?;
    let why = w.text_of("approval-why").await?;
    shot(w, "approval").await?;
    expect_eq(
        "what is approved",
        why,
        format!(
            "La remise de 5,00 € (50 %) sur « {label} », ticket de 5,00 € : à autoriser par un \
             responsable, qui saisit son code PIN."
        ),
    )?;
    w.click_css(r#"[data-testid="approval-manager"][data-name="Marie"]"#)
        .await?;
    w.fill("approval-pin", "0000").await?;
    w.keys(keys::ENTER).await?;
    w.get("approval-error").await?;
    w.fill("approval-pin", &format!("1234{}", keys::ENTER))
        .await?;
    w.get("paid").await?;
    let warning = w.text_of("paid-warning").await?;
    expect_contains(
        "a new day",
        &warning,
        &[
            "Nouvelle journée du",
            "ouverte par cette vente, fond de caisse 0,00 €",
        ],
    )?;
    w.click("new-sale").await
}

/// Five minutes without a key lock the till (the page's clock is moved on rather than
/// waited for); the first PIN typed then logs in.
async fn the_first_login_after_the_idle_lock_works(w: &Window) -> Check {
    w.0.execute(
        "const real = Date.now.bind(Date); Date.now = () => real() + 6 * 60 * 1000;",
        vec![],
    )
    .await
    .map_err(err)?;
    w.css(&test_id("login"), std::time::Duration::from_secs(20))
        .await?;
    w.log_in("Marie", "1234").await?;
    w.get("scan").await.map(|_| ())
}

/// With RELAIS_CONTROLS_SHOTS set, the screens of the test go to target/controls-shots/ (to
/// look at them; not needed by the test).
async fn shot(w: &Window, name: &str) -> Check {
    if std::env::var_os("RELAIS_CONTROLS_SHOTS").is_none() {
        return Ok(());
    }
    let path = crate::support::target_dir()
        .join("controls-shots")
        .join(format!("{name}.png"));
    w.screenshot(&path).await
}
