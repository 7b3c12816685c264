//! The archive of a closed month in the real app window (Journée › Clôtures): a day of last
//! month opened and closed by the CLI; the manager closes that month on screen, the archive is
//! proposed, written to a folder, and the screen says so; `relais verify` checks the archive
//! from another data directory, with no till. The month still open is not offered, and the
//! app's own `archive` command refuses it with the French message.

use crate::support::{app_lock, relais, relais_ok, DataDir};
use crate::window::{clean, err, expect_contains, expect_eq, with_app, Window, WITHIN};
use serde_json::Value;

/// `YYYY-MM` of the month before `today` (`YYYY-MM-DD`).
fn month_before(today: &str) -> String {
    let year: i32 = today[..4].parse().expect("a year");
    let month: u32 = today[5..7].parse().expect("a month");
    match month {
        1 => format!("{}-12", year - 1),
        m => format!("{year}-{:02}", m - 1),
    }
}

#[test]
fn the_month_before_is_found_across_a_new_year() {
    for (today, before) in [
        ("2026-12-07", "2026-11"),
        ("2027-01-02", "2026-12"),
        ("2026-10-31", "2026-09"),
    ] {
        assert_eq!(month_before(today), before, "{today}");
    }
}

/// A real till (T1, Marie manager 1234) with one day of last month opened and closed
/// (counted); the month to archive and this month (`YYYY-MM`).
pub(crate) fn a_till_with_last_month_closed_day(data: &DataDir) -> (String, String) {
    relais_ok(
        data,
        &[
            "init",
            "--shop",
            "Épicerie du Marché",
            "--till",
            "T1",
            "--address",
            "3 place du Marché, 69001 Lyon",
        ],
        "",
    );
    relais_ok(
        data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    let status: Value =
        serde_json::from_str(&relais_ok(data, &["status", "--json"], "")).expect("status JSON");
    let today = status["today"].as_str().expect("today").to_string();
    let month = month_before(&today);
    let day = format!("{month}-15");
    relais_ok(
        data,
        &[
            "day",
            "open",
            "--date",
            &day,
            "--count",
            "20=5",
            "--operator",
            "Marie",
        ],
        "",
    );
    // Nothing else is written into that day: a ticket or a cash movement would go to today's
    // day, closing the past one automatically first. It is closed counted, as in a shop.
    relais_ok(
        data,
        &["day", "close", "--count", "20=5", "--operator", "Marie"],
        "",
    );
    (month, today[..7].to_string())
}

#[tokio::test]
async fn a_manager_archives_a_closed_month_from_the_closures_screen() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    let (month, this_month) = a_till_with_last_month_closed_day(&data);
    let usb = tempfile::tempdir().unwrap();
    let out = usb.path().to_str().unwrap().to_string();
    let folder = usb.path().join(format!("relais-archive-T1-{month}"));
    let shown_folder = folder.display().to_string();

    let (month_, this_month_, out_) = (month.clone(), this_month.clone(), out.clone());
    with_app("archive_window", &data, move |app| async move {
        let (month, this_month, out) = (month_, this_month_, out_);
        {
            let w = Window(app);
            w.log_in("Marie", "1234").await?;
            w.click("menu").await?;
            w.click("menu-day").await?;
            w.click("day-tab-closures").await?;
            // Nothing closed but the day yet: nothing to archive.
            w.get("archive-none").await?;
            let close = w
                .css(
                    &format!(r#"[data-testid="close-month"][data-which="{month}"]"#),
                    WITHIN,
                )
                .await?;
            w.click_element(&close).await?;
            w.click("period-confirm-ok").await?;
            // The month's closure is shown as signed; back to the list, which proposes its
            // archive.
            w.click("closure-back").await?;
            w.wait_count("closure-row", 2).await?;

            // The month just closed: its archive is proposed, and only closed periods are
            // offered (this month, open, is not).
            let proposed = w.get("archive-proposed").await?;
            expect_eq(
                "proposed",
                proposed.attr("data-which").await.map_err(err)?,
                Some(month.clone()),
            )?;
            let offered = offered_periods(&w).await?;
            expect_eq("periods offered", offered, vec![month.clone()])?;
            w.click("archive-proposed-run").await?;
            w.get("archive-dialog").await?;
            // No folder: said, nothing written.
            w.click("archive-run").await?;
            expect_eq(
                "no folder",
                w.text_of("archive-problem").await?,
                "Indiquez le dossier où écrire.".into(),
            )?;
            w.fill("archive-out", &out).await?;
            w.click("archive-run").await?;
            let done = w
                .wait_text("archive-done", |t| t.starts_with("Archive écrite"))
                .await?;
            expect_contains(
                "archive done",
                &clean(&done),
                &[
                    "Archive écrite et vérifiée :",
                    &shown_folder,
                    "(clôtures T1-Z000002)",
                ],
            )?;
            w.absent("archive-dialog").await?;

            // This month is open: the app's own command refuses it, in French.
            let refusal = archive_by_command(&w, &this_month, &out).await?;
            expect_contains(
                "open month refused",
                &refusal,
                &["invalid_input", "n'est pas clôturé", "avant de l'archiver"],
            )
        }
    })
    .await;

    // The archive checks on its own, with no till (another, empty data directory).
    let elsewhere = DataDir::new();
    let verdict = relais(&elsewhere, &["verify", folder.to_str().unwrap()], "");
    let said = String::from_utf8_lossy(&verdict.stdout);
    assert!(verdict.status.success(), "relais verify:\n{said}");
    assert!(
        said.contains(&format!("période {month}")) || said.contains(&format!("period {month}")),
        "the period is named:\n{said}"
    );
    let journal = relais_ok(&data, &["journal", "--json"], "");
    assert!(
        journal
            .lines()
            .any(|l| l.contains("\"period_archived\"") && l.contains("\"code\":20")),
        "JET 20 in the journal:\n{journal}"
    );
    assert!(
        !usb.path()
            .join(format!("relais-archive-T1-{this_month}"))
            .exists(),
        "nothing written for the open month"
    );
}

/// The `data-which` of the periods the archive panel offers.
async fn offered_periods(w: &Window) -> Result<Vec<String>, String> {
    let mut which = Vec::new();
    for button in w.all("archive-period").await? {
        which.extend(button.attr("data-which").await.map_err(err)?);
    }
    Ok(which)
}

/// The app's `archive` command called as the screen calls it (`dayApi.archive`), for a
/// period the screen does not offer: what it answered, as `KIND: MESSAGE`.
async fn archive_by_command(w: &Window, period: &str, out: &str) -> Result<String, String> {
    let answer =
        w.0.execute_async(
            r#"const [period, out, done] = arguments;
               window.__TAURI_INTERNALS__
                 .invoke('archive', { period, out, zip: false })
                 .then(() => done('written'), (e) => done(`${e.kind}: ${e.message}`));"#,
            vec![period.into(), out.into()],
        )
        .await
        .map_err(err)?;
    Ok(answer.as_str().unwrap_or_default().to_string())
}
