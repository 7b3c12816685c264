//! The day test's last steps: the event journal, and a cashier's rights changed.

use super::{fill, menu, shot};
use crate::window::{
    clean, err, expect_contains, expect_eq, test_id, text, Check, Window, APPEAR_WITHIN,
};

pub(super) async fn check_journal(w: &Window) -> Check {
    w.click("back-to-sale").await?;
    menu(w, "journal").await?;
    w.get("journal-table").await?;
    // Newest first: the last event is the closure's.
    let first = w.get("journal-entry").await?;
    expect_eq(
        "newest event",
        first.attr("data-code").await.map_err(err)?,
        Some("50".into()),
    )?;
    fill(w, "journal-filter", "timbres").await?;
    w.wait_count("journal-entry", 1).await?;
    shot(w, "journal").await?;
    let entry = w.get("journal-entry").await?;
    expect_contains(
        "cash movement event",
        &clean(&text(&entry).await?),
        &["1050", "Mouvement de caisse", "Marie", "Timbres"],
    )?;
    fill(w, "journal-filter", "zzz introuvable").await?;
    w.get("journal-none").await?;
    w.click("back-to-sale").await
}

/// Paul joins, is disabled (no longer on the lock screen), enabled again, gets a new PIN
/// from Marie, and logs in with it.
pub(super) async fn staff(w: &Window) -> Check {
    menu(w, "staff").await?;
    fill(w, "staff-name", "Paul").await?;
    w.click("staff-role-cashier").await?;
    fill(w, "staff-pin", "5678").await?;
    fill(w, "staff-pin2", "5678").await?;
    w.click("staff-submit").await?;
    w.wait_count("staff-person", 2).await?;
    // Marie cannot disable herself.
    let marie = w
        .css(
            r#"[data-testid="staff-person"][data-name="Marie"]"#,
            APPEAR_WITHIN,
        )
        .await?;
    if !marie
        .find_all(fantoccini::Locator::Css(&test_id("staff-disable")))
        .await
        .map_err(err)?
        .is_empty()
    {
        return Err("Marie should not be offered to disable herself".into());
    }
    let paul = r#"[data-testid="staff-person"][data-name="Paul"]"#;
    w.click_css(&format!("{paul} {}", test_id("staff-disable")))
        .await?;
    w.css(&format!(r#"{paul}[data-active="false"]"#), APPEAR_WITHIN)
        .await?;
    shot(w, "staff").await?;
    expect_eq(
        "disabled",
        w.text_of("staff-done").await?,
        "Paul est désactivé·e : plus de connexion possible ; ses enregistrements restent à son nom."
            .into(),
    )?;
    w.click("back-to-sale").await?;
    w.click("lock").await?;
    w.get("login").await?;
    w.wait_count("login-person", 1).await?;
    w.log_in("Marie", "1234").await?;

    menu(w, "staff").await?;
    w.click_css(&format!("{paul} {}", test_id("staff-enable")))
        .await?;
    w.css(&format!(r#"{paul}[data-active="true"]"#), APPEAR_WITHIN)
        .await?;
    w.click_css(&format!("{paul} {}", test_id("staff-change-pin")))
        .await?;
    w.get("staff-pin-dialog").await?;
    fill(w, "staff-new-pin", "4321").await?;
    fill(w, "staff-new-pin2", "4322").await?;
    w.click("staff-pin-submit").await?;
    expect_eq(
        "mismatch",
        w.text_of("staff-pin-error").await?,
        "Les deux codes PIN ne sont pas identiques.".into(),
    )?;
    fill(w, "staff-new-pin", "4321").await?;
    fill(w, "staff-new-pin2", "4321").await?;
    w.click("staff-pin-submit").await?;
    expect_eq(
        "new PIN",
        w.text_of("staff-done").await?,
        "Code PIN de Paul changé.".into(),
    )?;
    w.absent("staff-pin-dialog").await?;
    w.click("back-to-sale").await?;
    w.click("lock").await?;
    w.get("login").await?;
    w.wait_count("login-person", 2).await?;
    w.log_in("Paul", "4321").await?;
    expect_eq(
        "role",
        w.get("operator")
            .await?
            .attr("data-role")
            .await
            .map_err(err)?,
        Some("cashier".into()),
    )
}
