//! Scale and price labels (EAN-13 of prefix 2) through the real `relais`: the demo till's
//! weighed products have a PLU (« Code balance »), and labels are sold by `sale record` with
//! their barcode; the table of rules is shown, set from a file, and changes what a label is.

use crate::cli::stdout_lines;
use crate::support::{relais, relais_ok, DataDir};

/// 512 g of Comté (PLU 19, 24,90 €/kg): 12,7488 € → 12,75 €.
pub const COMTE_512_G: &str = "2300019005125";
/// A price label of 12,50 € for Comté's PLU.
pub const COMTE_AT_12_50: &str = "2200019012508";
/// A price label of 3,50 € for a PLU no product has: sold on the rule's department.
pub const UNKNOWN_AT_3_50: &str = "2299999003507";
/// The weight label of a PLU no product has: no price per kilogram, refused.
const UNKNOWN_512_G: &str = "2399999005126";
/// Comté's weight label with its last digit misread.
pub const COMTE_MISREAD: &str = "2300019005126";

fn demo() -> DataDir {
    let data = DataDir::new();
    relais_ok(&data, &["demo"], "");
    data
}

fn sale_of(barcodes: &[&str]) -> String {
    let lines: Vec<String> = barcodes
        .iter()
        .map(|b| format!(r#"{{"barcode":"{b}"}}"#))
        .collect();
    format!(
        r#"{{"lines":[{}],"payments":[{{"method":"cash","tendered_cents":100000}}],"operator":"Paul"}}"#,
        lines.join(",")
    )
}

/// Each sale of labels: its total, or the French message it is refused with (and then no
/// ticket is recorded).
#[test]
fn labels_are_sold_by_sale_record() {
    let data = demo();
    let cases: &[(&str, &[&str], Result<i64, &str>)] = &[
        ("weight label, PLU known", &[COMTE_512_G], Ok(1275)),
        ("price label, PLU known", &[COMTE_AT_12_50], Ok(1250)),
        ("price label, unknown PLU", &[UNKNOWN_AT_3_50], Ok(350)),
        (
            "three labels and a baguette",
            &[
                COMTE_512_G,
                COMTE_AT_12_50,
                UNKNOWN_AT_3_50,
                "3761234500014",
            ],
            Ok(1275 + 1250 + 350 + 120),
        ),
        (
            "weight label, unknown PLU",
            &[UNKNOWN_512_G],
            Err("aucun produit n'a le code balance 99999"),
        ),
        (
            "bad check digit",
            &[COMTE_512_G, COMTE_MISREAD],
            Err("étiquette 2300019005126 mal lue : clé de contrôle fausse"),
        ),
        (
            "prefix 20 has no rule",
            &["2000019003007"],
            Err("aucun produit du catalogue n'a ce code"),
        ),
    ];
    let mut numbers = Vec::new();
    for (name, barcodes, expected) in cases {
        let out = relais(
            &data,
            &["--lang", "fr", "sale", "record", "-"],
            &sale_of(barcodes),
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match expected {
            Ok(total) => {
                assert!(out.status.success(), "{name}: {stderr}");
                assert_eq!(stdout_lines(&stdout)[0]["total_cents"], *total, "{name}");
                numbers.push(
                    stdout_lines(&stdout)[0]["number"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                );
            }
            Err(message) => {
                assert!(!out.status.success(), "{name}: {stdout}");
                assert!(stderr.contains(message), "{name}: {stderr}");
            }
        }
    }
    let receipt = relais_ok(&data, &["sale", "show", &numbers[3]], "");
    for wanted in [
        "Comté 18 mois",
        "0,512",
        "24,90",
        "12,75",
        "Alimentation PLU 99999",
    ] {
        assert!(receipt.contains(wanted), "{wanted}:\n{receipt}");
    }
    let last = &numbers[3];
    let after = format!("{}{:06}", &last[..last.len() - 6], numbers.len() + 1);
    let refused = relais(&data, &["sale", "show", &after], "");
    assert!(
        !refused.status.success(),
        "a refused sale was recorded as {after}"
    );
}

/// The rules come from a file a manager brings with the catalogue; a cashier cannot change
/// them; the shop's rules then decide what a prefix carries.
#[test]
fn the_rules_are_shown_and_set_from_a_file() {
    let data = demo();
    let shown = relais_ok(
        &data,
        &["--lang", "fr", "catalog", "scale-rules", "show"],
        "",
    );
    assert!(shown.contains("23       poids (grammes"), "{shown}");
    let rules = data.path().join("etiquettes.csv");
    std::fs::write(
        &rules,
        "préfixe;contenu;rayon\n20;poids;CREMERIE\n22;prix;ALIM\n",
    )
    .unwrap();
    let rules = rules.display().to_string();
    let set = [
        "catalog",
        "scale-rules",
        "set",
        "--file",
        &rules,
        "--operator",
    ];
    let refused = relais(&data, &[&set[..], &["Paul"]].concat(), "");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("réservée à un responsable"));
    relais_ok(&data, &[&set[..], &["Marie"]].concat(), "");
    let json = stdout_lines(&relais_ok(
        &data,
        &["catalog", "scale-rules", "show", "--json"],
        "",
    ));
    assert_eq!(json.len(), 2);
    assert_eq!(json[0]["prefix"], "20");
    assert_eq!(json[0]["carries"], "weight");
    assert_eq!(json[0]["department"], "CREMERIE");
    // 300 g of Comté under the shop's prefix 20: 7,47 €; prefix 23 is no label any more.
    let sold = relais_ok(
        &data,
        &["sale", "record", "-"],
        &sale_of(&["2000019003007"]),
    );
    assert_eq!(stdout_lines(&sold)[0]["total_cents"], 747);
    assert!(
        !relais(&data, &["sale", "record", "-"], &sale_of(&[COMTE_512_G]))
            .status
            .success()
    );
    let journal = relais_ok(&data, &["journal"], "");
    assert!(
        journal.contains("Étiquettes balance : 20 poids CREMERIE, 22 prix ALIM"),
        "{journal}"
    );
    relais_ok(&data, &["verify"], "");
}

/// In the real window: a price label and a weight label are sold at once (no « Nouveau
/// produit »), a misread label is refused in French and adds nothing; the rules editor is in
/// the manager's menu.
#[tokio::test]
async fn the_counter_sells_labels_and_refuses_a_misread_one() {
    use crate::window::{clean, expect_contains, keys, with_app};
    let _one_window = crate::support::app_lock().await;
    let data = demo();
    with_app("scale_labels", &data, |app| async move {
        let w = crate::window::Window(app);
        w.log_in("Marie", "1234").await?;
        let scan = |code: &'static str| format!("{code}{}", keys::ENTER);
        w.keys(&scan(COMTE_AT_12_50)).await?;
        w.wait_count("cart-line", 1).await?;
        w.keys(&scan(COMTE_512_G)).await?;
        w.wait_count("cart-line", 2).await?;
        w.wait_text("total", |t| clean(t).contains("25,25")).await?;
        let rows = cart_lines(&w).await?;
        expect_contains("price label's line", &rows[0], &["Comté 18 mois", "12,50"])?;
        expect_contains(
            "weight label's line",
            &rows[1],
            &["Comté 18 mois", "0,512", "24,90", "12,75"],
        )?;
        w.keys(&scan(COMTE_MISREAD)).await?;
        let notice = w.wait_text("notice", |t| !t.is_empty()).await?;
        expect_contains(
            "misread label",
            &notice,
            &["clé de contrôle fausse", "scannez-la de nouveau"],
        )?;
        w.absent("new-product-dialog").await?;
        w.wait_count("cart-line", 2).await?;
        w.wait_text("total", |t| clean(t).contains("25,25")).await?;
        w.shoot("scale_labels_counter").await?;
        w.click("menu").await?;
        w.click("menu-settings").await?;
        w.wait_count("scale-rule", 10).await?;
        w.shoot("scale_rules_editor").await?;
        // A rule with no prefix is refused by the store; with 20 it is saved.
        w.click("scale-add").await?;
        w.wait_count("scale-rule", 11).await?;
        w.click("scale-save").await?;
        let refused = w.wait_text("scale-error", |t| !t.is_empty()).await?;
        expect_contains("empty prefix", &refused, &["deux chiffres attendus"])?;
        let prefixes = w.all("scale-prefix").await?;
        let new = prefixes.last().ok_or("no prefix field")?;
        new.send_keys("20").await.map_err(crate::window::err)?;
        w.click("scale-save").await?;
        w.wait_text("scale-saved", |t| t.contains("11")).await?;
        Ok(())
    })
    .await;
    let rules = stdout_lines(&relais_ok(
        &data,
        &["catalog", "scale-rules", "show", "--json"],
        "",
    ));
    assert_eq!(rules.len(), 11);
    assert_eq!(rules[10]["prefix"], "20");
    assert_eq!(rules[10]["carries"], "price");
}

async fn cart_lines(w: &crate::window::Window) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    for line in w.all("cart-line").await? {
        lines.push(crate::window::clean(&crate::window::text(&line).await?));
    }
    Ok(lines)
}
