//! Hostile inputs against the real `relais`: nothing accepted may make a later step fail,
//! and nothing refused leaves a trace in the ledger.

use crate::support::{relais, relais_ok, DataDir};

const HUGE: &str = "5000000000000000000";

fn sale_of(line: &str, payment: &str) -> String {
    format!(r#"{{"lines":[{line}],"payments":[{payment}],"operator":"a"}}"#)
}

/// (what, arguments, standard input, words the French refusal holds).
fn hostile_inputs() -> Vec<(&'static str, Vec<String>, String, &'static str)> {
    let record = || vec!["sale".to_string(), "record".into(), "-".into()];
    let card = |cents: &str| format!(r#"{{"method":"card","amount_cents":{cents}}}"#);
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
    vec![
        (
            "a sale of 5·10¹⁸ cents",
            record(),
            sale_of(
                &format!(r#"{{"label":"x","unit_price_cents":{HUGE},"vat_rate_bp":2000}}"#),
                &card(HUGE),
            ),
            "limite",
        ),
        (
            "10⁹ × 12,50 €",
            record(),
            sale_of(
                r#"{"label":"x","unit_price_cents":1250,"vat_rate_bp":2000,"qty":1000000000}"#,
                &card("1"),
            ),
            "limite",
        ),
        (
            "an ESC in a label",
            record(),
            sale_of(
                r#"{"label":"\u001b[2J\u0007Pain","unit_price_cents":150,"vat_rate_bp":550}"#,
                &card("150"),
            ),
            "caractère de contrôle",
        ),
        (
            "a cash movement of 5·10¹⁶ €",
            args(&[
                "day",
                "cash-in",
                "50000000000000000",
                "--reason",
                "x",
                "--operator",
                "a",
            ]),
            String::new(),
            "limite",
        ),
        (
            "a float of four billion 500 € notes",
            args(&[
                "day",
                "open",
                "--count",
                "500=4000000000",
                "--operator",
                "a",
            ]),
            String::new(),
            "limite",
        ),
        (
            "an order's deposit of 5·10¹⁸ cents",
            args(&["order", "create", "-", "--operator", "a"]),
            format!(
                r#"{{"customer":{{"name":"Durand"}},"lines":[{{"label":"x","unit_price_cents":1000,"vat_rate_bp":550}}],"deposit":[{{"method":"card","amount_cents":{HUGE}}}]}}"#
            ),
            "limite",
        ),
    ]
}

#[test]
fn out_of_bounds_inputs_are_refused_and_the_day_still_closes_and_exports() {
    let data = DataDir::new();
    relais_ok(&data, &["init", "--shop", "Épicerie", "--till", "T1"], "");
    for (what, args, stdin, words) in hostile_inputs() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = relais(&data, &args, &stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{what} was accepted");
        assert!(stderr.contains(words), "{what}: {stderr}");
        assert!(
            !stderr.contains('\u{1b}'),
            "{what}: the refusal echoes the ESC: {stderr}"
        );
    }
    let journal = relais_ok(&data, &["journal", "--json"], "");
    assert!(
        !journal.contains(HUGE),
        "a refused amount reached the journal"
    );
    let fine = sale_of(
        r#"{"label":"Pain","unit_price_cents":150,"vat_rate_bp":550}"#,
        r#"{"method":"cash","amount_cents":150}"#,
    );
    relais_ok(&data, &["sale", "record", "-"], &fine);
    let close = relais_ok(
        &data,
        &[
            "day",
            "close",
            "--operator",
            "a",
            "--card-total",
            "0",
            "--count",
            "1=1",
            "--count",
            "0,50=1",
            "--json",
        ],
        "",
    );
    assert!(close.contains("\"total_cents\":150"), "{close}");
    let out = data.path().join("bundle");
    relais_ok(
        &data,
        &[
            "export",
            "--out",
            &out.display().to_string(),
            "--operator",
            "a",
        ],
        "",
    );
    relais_ok(&data, &["verify"], "");
}

/// `verify --public-key` pins the key the auditor got from the till itself: a till or a bundle
/// signed with any other key is a defect, whatever else holds.
#[test]
fn verify_with_a_pinned_key_refuses_any_other_key() {
    let data = DataDir::new();
    relais_ok(&data, &["init", "--shop", "Épicerie", "--till", "T1"], "");
    let key = relais_ok(&data, &["key"], "").trim().to_string();
    let other = "ab".repeat(32);
    let bundle = data.path().join("bundle");
    relais_ok(
        &data,
        &[
            "export",
            "--out",
            &bundle.display().to_string(),
            "--operator",
            "a",
        ],
        "",
    );
    let bundle = std::fs::read_dir(&bundle)
        .expect("the export folder")
        .next()
        .expect("one bundle in it")
        .expect("readable")
        .path()
        .display()
        .to_string();
    let cases: [(&str, Vec<&str>, bool); 5] = [
        (
            "the till, its own key",
            vec!["verify", "--public-key", &key],
            true,
        ),
        (
            "the till, another key",
            vec!["verify", "--public-key", &other],
            false,
        ),
        (
            "the bundle, its till's key",
            vec!["verify", &bundle, "--public-key", &key],
            true,
        ),
        (
            "the bundle, another key",
            vec!["verify", &bundle, "--public-key", &other],
            false,
        ),
        (
            "the bundle, either key",
            vec![
                "verify",
                &bundle,
                "--public-key",
                &other,
                "--public-key",
                &key,
            ],
            true,
        ),
    ];
    for (what, args, intact) in cases {
        let out = relais(&data, &args, "");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.success(), intact, "{what}: {stdout}");
        assert_eq!(stdout.contains("épinglée"), !intact, "{what}: {stdout}");
    }
}

/// A disk with a few kilobytes left: SQLite cannot grow its shared-memory index and says
/// « disk I/O error »; the till must say the disk is full, for a sale and for `verify`.
/// Needs root (a small tmpfs is mounted), as CI runs.
#[test]
fn a_full_disk_is_called_a_full_disk() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    let scratch = DataDir::new();
    let mount = scratch.path().join("disk");
    std::fs::create_dir_all(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=600k", "tmpfs"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(mounted.success(), "mount a tmpfs");
    let outcome = std::panic::catch_unwind(|| fill_then_use(&scratch, &mount));
    let _ = std::process::Command::new("umount").arg(&mount).status();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

fn fill_then_use(scratch: &DataDir, mount: &std::path::Path) {
    let till = mount.join("till");
    let till_arg = till.display().to_string();
    let run = |args: &[&str], stdin: &str| {
        let mut all = vec!["--data-dir", till_arg.as_str()];
        all.extend_from_slice(args);
        relais(scratch, &all, stdin)
    };
    assert!(run(&["init", "--shop", "Épicerie", "--till", "T1"], "")
        .status
        .success());
    let free = |path: &std::path::Path| -> u64 {
        let out = std::process::Command::new("df")
            .args(["-k", "--output=avail"])
            .arg(path)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    let fill_kib = free(mount).saturating_sub(8);
    let filler = std::fs::File::create(mount.join("filler")).unwrap();
    filler.set_len(0).unwrap();
    use std::io::Write;
    let mut filler = std::io::BufWriter::new(filler);
    for _ in 0..fill_kib {
        if filler.write_all(&[0u8; 1024]).is_err() {
            break;
        }
    }
    let _ = filler.flush();
    let sale = sale_of(
        r#"{"label":"Pain","unit_price_cents":150,"vat_rate_bp":550}"#,
        r#"{"method":"cash","amount_cents":150}"#,
    );
    for (what, args, stdin) in [
        ("a sale", vec!["sale", "record", "-"], sale.as_str()),
        ("verify", vec!["verify"], ""),
    ] {
        let out = run(&args, stdin);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{what} on a full disk: {said}");
        assert!(
            said.contains("disque plein") && said.contains("[disk_full]"),
            "{what}: {said}"
        );
    }
}

/// The only folder inside `dir` (an export or a backup writes one).
fn only_folder(dir: &std::path::Path) -> String {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("the folder written")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries.remove(0).display().to_string()
}

/// `verify --against` proves the live chain extends an earlier export or backup; a till whose
/// history was put back and written again does not, and the lost tail is acknowledged first.
#[test]
fn the_live_chain_must_extend_every_earlier_export_and_backup() {
    let data = DataDir::new();
    let db = data.path().join("relais.db");
    relais_ok(&data, &["init", "--shop", "Épicerie", "--till", "T1"], "");
    relais_ok(
        &data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    let sell = |cents: u32| {
        let sale = sale_of(
            &format!(r#"{{"label":"Pain","unit_price_cents":{cents},"vat_rate_bp":550}}"#),
            &format!(r#"{{"method":"cash","amount_cents":{cents}}}"#),
        )
        .replace(r#""operator":"a""#, r#""operator":"Marie""#);
        relais_ok(&data, &["sale", "record", "-"], &sale);
    };
    sell(100);
    let older = data.path().join("older.db");
    std::fs::copy(&db, &older).unwrap();
    sell(200);
    let (exports, backups) = (data.path().join("exports"), data.path().join("backups"));
    let arg = |p: &std::path::Path| p.display().to_string();
    relais_ok(
        &data,
        &["export", "--out", &arg(&exports), "--operator", "Marie"],
        "",
    );
    relais_ok(
        &data,
        &["backup", "--to", &arg(&backups), "--operator", "Marie"],
        "",
    );
    let (bundle, backup) = (only_folder(&exports), only_folder(&backups));
    sell(300);
    let against = ["verify", "--against", &bundle, "--against", &backup];
    let intact = relais_ok(&data, &against, "");
    assert_eq!(intact.matches("la caisse prolonge").count(), 2, "{intact}");

    // The database put back as it was before the export, then written again.
    std::fs::copy(&older, &db).unwrap();
    let held = relais(
        &data,
        &["sale", "record", "-"],
        &sale_of(
            r#"{"label":"x","unit_price_cents":1,"vat_rate_bp":550}"#,
            r#"{"method":"cash","amount_cents":1}"#,
        ),
    );
    assert!(String::from_utf8_lossy(&held.stderr).contains("relais verify --acknowledge"));
    relais_ok(
        &data,
        &["verify", "--acknowledge", "--operator", "Marie"],
        "",
    );
    sell(999);
    sell(998);
    for copy in [&bundle, &backup] {
        let out = relais(&data, &["verify", "--against", copy], "");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "{copy}: {said}");
        assert!(said.contains("ne prolonge pas"), "{copy}: {said}");
    }
}

/// Records lost after they were acknowledged (an older database put back): the app opens,
/// says so at the lock screen, and a manager acknowledges it there with their PIN, then sells.
#[tokio::test]
async fn a_manager_acknowledges_lost_records_at_the_lock_screen() {
    use crate::window::{
        clean, expect_contains, keys, test_id, text, with_app, Window, APPEAR_WITHIN,
    };
    let _one_window = crate::support::app_lock().await;
    let data = DataDir::new();
    relais_ok(&data, &["init", "--shop", "Épicerie", "--till", "T1"], "");
    relais_ok(
        &data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    let sale = sale_of(
        r#"{"label":"Pain","unit_price_cents":110,"vat_rate_bp":550}"#,
        r#"{"method":"cash","amount_cents":110}"#,
    )
    .replace(r#""operator":"a""#, r#""operator":"Marie""#);
    let db = data.path().join("relais.db");
    relais_ok(&data, &["sale", "record", "-"], &sale);
    std::fs::copy(&db, data.path().join("older.db")).unwrap();
    relais_ok(&data, &["sale", "record", "-"], &sale);
    relais_ok(&data, &["sale", "record", "-"], &sale);
    std::fs::copy(data.path().join("older.db"), &db).unwrap();

    with_app("lost_tail", &data, |app| async move {
        let w = Window(app);
        w.css(&test_id("login"), APPEAR_WITHIN).await?;
        w.click_css(r#"[data-testid="login-person"][data-name="Marie"]"#)
            .await?;
        w.fill("login-pin", &format!("1234{}", keys::ENTER)).await?;
        let said = w
            .wait_text("login-error", |t| t.contains("disparu"))
            .await?;
        expect_contains(
            "the lock screen",
            &said,
            &["des enregistrements ont disparu"],
        )?;
        w.shoot("lost-tail-lock-screen").await?;
        w.fill("login-pin", "1234").await?;
        w.click("login-acknowledge").await?;
        let operator = w.get("operator").await?;
        expect_contains("operator", &clean(&text(&operator).await?), &["Marie"])
    })
    .await;

    let journal = relais_ok(&data, &["journal", "--json"], "");
    assert!(journal.contains("integrity_defect"), "{journal}");
    let next = relais_ok(&data, &["sale", "record", "-"], &sale);
    assert!(
        !next.contains("T1-000002") && !next.contains("T1-000003"),
        "a lost number is issued again: {next}"
    );
    relais_ok(&data, &["verify"], "");
}
