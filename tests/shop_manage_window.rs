//! What a manager does with the shop's LAN on screen (issue 26), in one `relais-app` (T1,
//! with no `RELAIS_LAN_LISTEN`: its own setting applies) and a second till T2 driven by the
//! CLI: the listening address changed in « Caisses du magasin » (a bad one refused in
//! French; the server moved at once: the old port freed, T2 reaches T1 at the new one with
//! the invitation read from the window); a price list imported with « Envoyer aussi aux
//! autres caisses », imported by T2 at its sync and shown with its hash; the shop's export
//! from the export tab (the tills included and their last exchange), verified by the CLI.
//! Screenshots under target/e2e-screenshots. And `relais shop listen`, the CLI's side.

use crate::shop::{json, Till, SALE};
use crate::support::{relais_ok, DataDir};
use crate::window::{expect_contains, with_app, Check, Window, WITHIN};

const SHOP: &str = "Librairie du Port";
const PRICES: &str =
    "Référence;Libellé;Prix;TVA\nBAG01;Baguette tradition;1,20;5,5\nTAR02;Tarte aux pommes;18,50;5,5\n";

/// A port no one listens on now (UDP: QUIC's).
fn free_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free UDP port")
        .port()
}

/// Whether no one listens on this UDP port any more.
fn port_free(port: u16) -> bool {
    std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok()
}

/// T2's `shop sync --once --json`: whether T1 was reached, and the price lists imported
/// (name, products created, SHA-256).
fn t2_sync(t2: &Till) -> (bool, Vec<(String, Option<u64>, String)>) {
    let said = json(&t2.ok(&["shop", "sync", "--once", "--json"], ""));
    let reached = said["peers"].as_array().is_some_and(|p| {
        p.iter()
            .any(|p| p["till"] == "T1" && p["reachable"] == true)
    });
    let lists = said["price_lists"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|p| {
                    let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
                    (s("name"), p["imported"].as_u64(), s("sha256"))
                })
                .collect()
        })
        .unwrap_or_default();
    (reached, lists)
}

/// The listening address, changed on screen: refused in French, then moved at once.
async fn change_listen(w: &Window, old: u16, new: u16) -> Result<String, String> {
    w.click("menu").await?;
    w.click("menu-shop").await?;
    let at = w
        .wait_text("shop-listening", |t| t.contains(&format!(":{old}")))
        .await?;
    expect_contains("listening", &at, &[&format!("127.0.0.1:{old}")])?;
    w.click("shop-listen-edit").await?;
    w.fill("shop-listen-address", "0.0.0.0:80").await?;
    w.click("shop-listen-save").await?;
    let refused = w.text_of("shop-listen-refused").await?;
    expect_contains(
        "refusal",
        &refused,
        &["le port 80 est refusé", "1024 à 65535"],
    )?;
    w.fill("shop-listen-address", &format!("127.0.0.1:{new}"))
        .await?;
    w.click("shop-listen-save").await?;
    w.wait_text("shop-done", |t| t.contains("écoute désormais"))
        .await?;
    w.wait_text("shop-listening", |t| t.contains(&format!(":{new}")))
        .await?;
    let invitation = w.get("shop-invitation").await?;
    let deadline = std::time::Instant::now() + WITHIN;
    loop {
        let text = invitation
            .prop("value")
            .await
            .map_err(crate::window::err)?
            .unwrap_or_default();
        if text.contains(&format!("/127.0.0.1:{new}/")) {
            return Ok(text);
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("the invitation still says {text:?}"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// « Envoyer aussi aux autres caisses » at the catalogue's import.
async fn import_for_the_shop(w: &Window, file: &str) -> Check {
    w.click("menu").await?;
    w.click("menu-import").await?;
    w.fill("import-path", file).await?;
    w.click("import-to-shop").await?;
    w.click("import-apply").await?;
    w.wait_text("import-sent", |t| t.contains("envoyée aux caisses"))
        .await?;
    w.shoot("shop-import-send").await
}

/// The shop's price list on « Caisses du magasin »: its name and hash prefix.
async fn price_list_shown(w: &Window, sha256: &str) -> Check {
    w.click("menu").await?;
    w.click("menu-shop").await?;
    let said = w
        .wait_text("shop-price-list-said", |t| t.contains("prix.csv"))
        .await?;
    expect_contains(
        "price list",
        &said,
        &[&sha256[..12], "envoyée d’ici par Marie"],
    )?;
    w.shoot("shop-screen-manager").await
}

/// « Exporter le magasin » in the export tab: the tills and their freshness, then the folder.
async fn export_the_shop(w: &Window, out: &str) -> Result<String, String> {
    w.click("menu").await?;
    w.click("menu-recovery").await?;
    w.click("recovery-tab-export").await?;
    w.click("export-scope-shop").await?;
    w.css(
        r#"[data-testid="shop-export-till"][data-till="T2"]"#,
        WITHIN,
    )
    .await?;
    let rows = w.rows("shop-export-tills").await?;
    expect_contains(
        "tills included",
        &rows.join("\n"),
        &["T1", "cette caisse", "T2"],
    )?;
    let t2 = rows
        .iter()
        .find(|r| r.starts_with("T2"))
        .cloned()
        .unwrap_or_default();
    if t2.contains("jamais") {
        return Err(format!("T2 was synced before the export: {t2}"));
    }
    w.shoot("shop-export-choice").await?;
    w.fill("shop-export-out", out).await?;
    w.click("shop-export-run").await?;
    let folder = w.text_of("shop-export-folder").await?;
    w.shoot("shop-export-done").await?;
    Ok(folder)
}

#[tokio::test]
async fn a_manager_moves_the_listening_port_sends_a_price_list_and_exports_the_shop() {
    let _one_test = crate::support::app_lock().await;
    let t1 = DataDir::new();
    relais_ok(&t1, &["init", "--shop", SHOP, "--till", "T1"], "");
    relais_ok(
        &t1,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    let (old, new) = (free_port(), free_port());
    relais_ok(
        &t1,
        &[
            "shop",
            "listen",
            &format!("127.0.0.1:{old}"),
            "--operator",
            "Marie",
        ],
        "",
    );
    // T2 sells, serves, and is paired with T1 (T1's app pulls from it in the background).
    let mut t2 = Till::new("T2");
    t2.ok(&["sale", "record", "-"], SALE);
    let invite_t2 = t2.ok(&["shop", "invite", "--address", t2.address()], "");
    relais_ok(
        &t1,
        &["shop", "join", invite_t2.trim(), "--operator", "Marie"],
        "",
    );
    t2.serve();
    let work = DataDir::new();
    let prices = work.path().join("prix.csv");
    std::fs::write(&prices, PRICES).expect("the price list");
    let out = work.path().join("usb");
    std::fs::create_dir_all(&out).expect("the stick");

    let (t2_ref, prices, out_ref) = (&t2, prices.to_str().unwrap(), out.to_str().unwrap());
    with_app("shop-manage", &t1, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        let invitation = change_listen(&w, old, new).await?;
        w.shoot("shop-listen-changed").await?;
        if !port_free(old) {
            return Err(format!("port {old} is still held after the move"));
        }
        relais_ok(
            &t2_ref.data,
            &["shop", "join", invitation.trim(), "--operator", "Marie"],
            "",
        );
        let (reached, _) = t2_sync(t2_ref);
        if !reached {
            return Err(format!("T2 did not reach T1 at port {new}"));
        }

        import_for_the_shop(&w, prices).await?;
        let (_, lists) = t2_sync(t2_ref);
        let [(name, Some(2), sha256)] = lists.as_slice() else {
            return Err(format!("T2's sync imported {lists:?}"));
        };
        expect_contains("T2's list", name, &["prix.csv"])?;
        price_list_shown(&w, sha256).await?;

        let folder = export_the_shop(&w, out_ref).await?;
        expect_contains("folder", &folder, &["relais-boutique-T1-T2"])
    })
    .await;
    let folder = out.join("relais-boutique-T1-T2");
    let verdict = relais_ok(&t2.data, &["verify", folder.to_str().unwrap()], "");
    assert!(!verdict.is_empty());
}

/// `relais shop listen`: shown, set by a manager (then `shop invite` names its port),
/// refused in French below port 1024 or without a manager.
#[test]
fn shop_listen_shows_sets_refuses_and_the_invitation_takes_its_port() {
    let t1 = DataDir::new();
    relais_ok(&t1, &["init", "--shop", SHOP, "--till", "T1"], "");
    relais_ok(
        &t1,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    // (arguments after `shop listen`, succeeds, what it says on stdout or stderr)
    let cases: [(&[&str], bool, &str); 5] = [
        (&[], true, "Écoute sur 0.0.0.0:47300"),
        (
            &["0.0.0.0:47310", "--operator", "Marie"],
            true,
            "écoutera sur 0.0.0.0:47310",
        ),
        (&[], true, "Écoute sur 0.0.0.0:47310"),
        (
            &["0.0.0.0:80", "--operator", "Marie"],
            false,
            "le port 80 est refusé",
        ),
        (&["0.0.0.0:47311"], false, "--operator"),
    ];
    for (args, ok, said) in cases {
        let mut all = vec!["--lang", "fr", "shop", "listen"];
        all.extend_from_slice(args);
        let output = crate::support::relais(&t1, &all, "");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(output.status.success(), ok, "{args:?}: {text}");
        assert!(text.contains(said), "{args:?}: {text}");
    }
    let invitation = relais_ok(&t1, &["shop", "invite"], "");
    assert!(invitation.contains(":47310/"), "{invitation}");
}
