//! Finding the day's tickets and the files of a USB stick (issue 21), in the real window:
//! Tickets (F10) and Retours (F8) list today's sales newest first, searched as typed, with
//! « dernier ticket » in one key; the file fields offer the USB sticks mounted under
//! /media/$USER (a fake one under `RELAIS_DRIVES_ROOT`), a backup proposes the first one and
//! says nothing of a backup before one is made.

use crate::support::{app_lock, relais_bin, relais_ok, DataDir};
use crate::window::{
    clean, err, expect_contains, expect_eq, keys, text, with_app, with_app_env, Window,
};
use std::path::Path;

/// (cashier, method, cents): recorded in this order, so listed the other way round.
const SALES: &[(&str, &str, i64)] = &[
    ("Marie", "cash", 250),
    ("Paul", "card", 790),
    ("Paul", "cheque", 1200),
];

/// Records `SALES`; answers their numbers, oldest first.
fn record_sales(data: &DataDir) -> Vec<String> {
    let mut numbers = Vec::new();
    for (operator, method, cents) in SALES {
        let sale = format!(
            r#"{{"lines":[{{"label":"Article","unit_price_cents":{cents},"vat_rate_bp":2000,"qty":1}}],"payments":[{{"method":"{method}","amount_cents":{cents}}}],"operator":"{operator}"}}"#
        );
        let out = relais_ok(data, &["sale", "record", "-"], &sale);
        let recorded: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        numbers.push(recorded["number"].as_str().unwrap().to_string());
    }
    numbers
}

/// A real till (a training one exports nothing): Marie, its manager (PIN 1234), and Paul.
pub(crate) fn real_till() -> DataDir {
    real_till_in("Europe/Paris")
}

/// The same, the shop in the time zone `zone`.
pub(crate) fn real_till_in(zone: &str) -> DataDir {
    let data = DataDir::new();
    relais_ok(
        &data,
        &[
            "init",
            "--shop",
            "Épicerie du Marché",
            "--till",
            "T1",
            "--timezone",
            zone,
        ],
        "",
    );
    for (name, role, pin) in [("Marie", "manager", "1234"), ("Paul", "cashier", "5678")] {
        let output = std::process::Command::new(relais_bin())
            .args(["staff", "add", name, "--role", role, "--by", "Marie"])
            .env("RELAIS_DATA_DIR", data.path())
            .env("RELAIS_PIN", pin)
            .env("RELAIS_MANAGER_PIN", "1234")
            .output()
            .expect("run relais");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    data
}

/// The numbers listed, top to bottom.
async fn listed(w: &Window) -> Result<Vec<String>, String> {
    let mut numbers = Vec::new();
    for row in w.all("day-ticket").await? {
        numbers.push(
            row.attr("data-number")
                .await
                .map_err(err)?
                .unwrap_or_default(),
        );
    }
    Ok(numbers)
}

#[tokio::test]
async fn tickets_and_returns_list_the_day_and_open_the_last_sale_in_one_key() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    relais_ok(&data, &["demo"], "");
    let numbers = record_sales(&data);

    with_app("finding_tickets", &data, |app| async move {
        let w = Window(app);
        w.log_in("Paul", "5678").await?;
        w.keys(keys::F10).await?;
        w.wait_count("day-ticket", 3).await?;
        let all = listed(&w).await?;
        let newest_first: Vec<String> = numbers.iter().rev().cloned().collect();
        expect_eq("the day's tickets, newest first", all.clone(), newest_first)?;
        let rows = w.rows("day-tickets").await?;
        expect_contains("the newest row", &rows[1], &["12,00 €", "Chèque", "Paul"])?;
        expect_contains("the oldest row", &rows[3], &["2,50 €", "Espèces", "Marie"])?;

        // Searched as typed: by cashier, amount, method; several words narrow it.
        let cases: &[(&str, &[usize])] = &[
            ("marie", &[2]),
            ("7,90", &[1]),
            ("cb", &[1]),
            ("paul ch", &[0]),
            ("", &[0, 1, 2]),
        ];
        for (query, shown) in cases {
            // An empty field is reached by erasing (WebDriver sends no empty text).
            let typed = if query.is_empty() {
                "x\u{e003}".to_string()
            } else {
                query.to_string()
            };
            w.fill("ticket-reference", &typed).await?;
            let want: Vec<String> = shown.iter().map(|i| all[*i].clone()).collect();
            w.wait_count("day-ticket", want.len()).await?;
            expect_eq(&format!("« {query} »"), listed(&w).await?, want)?;
        }

        // « 7,90 ⏎ » shows that ticket, the reprint has the focus: ⏎ again reprints it.
        w.fill("ticket-reference", &format!("7,90{}", keys::ENTER))
            .await?;
        w.wait_text("receipt-number", |t| t == all[1]).await?;
        expect_eq("focus", w.focused().await?, Some("reprint".into()))?;
        w.keys(keys::ENTER).await?;
        w.get("receipt-duplicata").await?;

        // Retours: F8 then ⏎ on the empty field is the last sale, ready to give back.
        w.keys(keys::ESCAPE).await?;
        w.keys(keys::F8).await?;
        w.wait_count("day-ticket", 3).await?;
        expect_eq("focus", w.focused().await?, Some("return-reference".into()))?;
        w.keys(keys::ENTER).await?;
        let sale = w.wait_text("return-sale", |t| t.contains(&all[0])).await?;
        expect_contains("the sale to give back", &sale, &["12,00 €"])?;
        w.wait_count("return-line", 1).await
    })
    .await;
}

#[tokio::test]
async fn file_fields_offer_the_usb_stick_and_a_backup_proposes_it() {
    let _one_window = app_lock().await;
    let data = real_till();
    record_sales(&data);
    let root = tempfile::tempdir().unwrap();
    let stick = root.path().join("media/caisse/CLE-USB");
    std::fs::create_dir_all(&stick).unwrap();
    let stick = stick.display().to_string();
    let root_text = root.path().display().to_string();
    let env = [
        ("RELAIS_DRIVES_ROOT", root_text.as_str()),
        ("USER", "caisse"),
    ];

    let on_stick = stick.clone();
    with_app_env("finding_files", &data, &env, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.click("menu").await?;
        w.click("menu-recovery").await?;

        // Backups: no folder set yet, the stick is proposed, and nothing claims a backup.
        w.click("recovery-tab-backups").await?;
        w.get("backup-proposed").await?;
        let proposed = format!("{on_stick}/sauvegardes-relais");
        expect_eq(
            "the folder proposed",
            w.value_of("backup-folder").await?,
            proposed.clone(),
        )?;
        expect_contains("last backup", &w.text_of("backup-last").await?, &["jamais"])?;
        w.absent("backup-done").await?;
        if Path::new(&proposed).exists() {
            return Err(format!("{proposed} made before any backup"));
        }
        w.click("backup-now").await?;
        let done = w.get("backup-done").await?;
        expect_contains(
            "the backup",
            &clean(&text(&done).await?),
            &["Sauvegarde vérifiée", &proposed],
        )?;
        let made = done
            .attr("data-folder")
            .await
            .map_err(err)?
            .unwrap_or_default();
        if !Path::new(&made).join("relais.db").is_file() {
            return Err(format!("no relais.db in {made}"));
        }

        // Export: the stick touched is the folder.
        w.click("recovery-tab-export").await?;
        w.get("export-out-drives").await?;
        w.click_css(r#"[data-testid="export-out-drives"] [data-testid="drive"]"#)
            .await?;
        expect_eq(
            "export folder",
            w.value_of("export-out").await?,
            on_stick.clone(),
        )?;
        w.click("export-run").await?;
        for _ in 0..100 {
            for refused in ["export-error", "export-problem"] {
                if let Some(shown) = w.all(refused).await?.first() {
                    return Err(format!("export refused: {}", text(shown).await?));
                }
            }
            if !w.all("export-result").await?.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        w.get("export-result").await?;

        // The catalogue import offers it too (a file is then chosen in the system's dialog).
        w.click("back-to-sale").await?;
        w.click("menu").await?;
        w.click("menu-import").await?;
        let chip = w.get("import-path-drives").await?;
        expect_contains(
            "import drives",
            &clean(&text(&chip).await?),
            &["Clés USB", "CLE-USB"],
        )
    })
    .await;
    let bundles = std::fs::read_dir(&stick)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("relais-"))
        .count();
    assert_eq!(bundles, 1, "one bundle exported onto the stick");
}
