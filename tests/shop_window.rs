//! The shop's tills in the app (issue 26): two `relais-app` windows on one display, each
//! with its own data directory and `RELAIS_LAN_LISTEN` port, each serving and syncing in the
//! background. Paired through the CLI (`relais shop join`, both ways); an order taken at T1
//! through T1's own order form in its window appears in T2's orders screen; T2's status bar says « 1 caisse reliée » and « Caisses du magasin » lists T1 as
//! reached. Screenshots of both, at the screen's size, under target/e2e-screenshots.

use crate::support::{app_lock, relais_ok, DataDir};
use crate::window::{expect_contains, keys, with_app_env, Check, Window};

const SHOP: &str = "Librairie du Port";

/// A port no one listens on now (UDP: QUIC's).
fn free_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free UDP port")
        .port()
}

fn till(code: &str) -> DataDir {
    let data = DataDir::new();
    relais_ok(&data, &["init", "--shop", SHOP, "--till", code], "");
    relais_ok(
        &data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    data
}

/// `from` pairs the till of `invitation` (its `relais shop invite`).
fn join(from: &DataDir, invitation: &str) {
    relais_ok(
        from,
        &["shop", "join", invitation.trim(), "--operator", "Marie"],
        "",
    );
}

/// T1's window: an order typed by hand in its order form, 10 € deposit by card.
async fn order_at_t1(w: &Window) -> Check {
    w.click("menu").await?;
    w.click("menu-orders").await?;
    w.click("orders-tab-new").await?;
    w.fill("order-name", "Mme Durand").await?;
    w.fill("order-phone", "06 12 34 56 78").await?;
    w.fill("order-line-free", "Coffret BD").await?;
    w.click("order-line-free-add").await?;
    w.wait_count("order-line", 1).await?;
    w.fill("order-line-price", "38,00").await?;
    // Below the fold at 1366×768: brought into view (a click scrolls it) before typing.
    w.click("order-date").await?;
    w.fill("order-date", "24/12/2030").await?;
    w.click("order-deposit").await?;
    w.fill("order-deposit", "10").await?;
    w.wait_text("order-total", |t| t == "38,00 €").await?;
    w.click("order-submit").await?;
    w.get("deposit-dialog").await?;
    w.click("deposit-method-card").await?;
    w.fill("tender-amount", "10,00").await?;
    w.click("tender-add").await?;
    w.get("deposit-ready").await?;
    w.click("deposit-validate").await?;
    let created = w
        .wait_text("order-created", |t| t.contains("T1-C000001"))
        .await?;
    expect_contains("T1's order", &created, &["Commande T1-C000001 enregistrée"])
}

/// T2's window: the order taken at T1 in its orders screen, its status bar, the shop screen.
async fn at_t2(w: &Window) -> Check {
    w.log_in("Marie", "1234").await?;
    let link = w
        .wait_text("shop-link", |t| t.contains("1 caisse reliée"))
        .await?;
    expect_contains("status bar", &link, &["1 caisse reliée"])?;
    w.shoot("shop-status-bar").await?;
    w.click("menu").await?;
    w.click("menu-orders").await?;
    w.click("orders-tab-all").await?;
    w.css(
        r#"[data-testid="order-row"][data-number="T1-C000001"]"#,
        crate::window::WITHIN,
    )
    .await?;
    let rows = w.rows("order-list").await?;
    expect_contains("T2's orders", &rows.join("\n"), &["T1-C000001", "Durand"])?;
    w.click("shop-link").await?;
    w.css(
        r#"[data-testid="shop-peer"][data-till="T1"]"#,
        crate::window::WITHIN,
    )
    .await?;
    let peers = w.rows("shop-peers").await?;
    expect_contains("T2's paired tills", &peers.join("\n"), &["T1", "reliée"])?;
    w.css(&crate::window::test_id("shop-qr"), crate::window::WITHIN)
        .await?;
    w.shoot("shop-screen").await
}

#[tokio::test]
async fn an_order_taken_at_one_app_appears_in_the_other() {
    let _one_test = app_lock().await;
    let (t1, t2) = (till("T1"), till("T2"));
    let (a1, a2) = (
        format!("127.0.0.1:{}", free_port()),
        format!("127.0.0.1:{}", free_port()),
    );
    join(
        &t2,
        &relais_ok(&t1, &["shop", "invite", "--address", &a1], ""),
    );
    join(
        &t1,
        &relais_ok(&t2, &["shop", "invite", "--address", &a2], ""),
    );

    let (t1_env, t2_env) = (
        [("RELAIS_LAN_LISTEN", a1.as_str())],
        [("RELAIS_LAN_LISTEN", a2.as_str())],
    );
    let (t1_ref, t2_ref) = (&t1, &t2);
    with_app_env("shop-window-t1", t1_ref, &t1_env, |app1| async move {
        let w1 = Window(app1);
        w1.log_in("Marie", "1234").await?;
        // Taken in T1's own window: its app serves it to T2 from the same database.
        order_at_t1(&w1).await?;
        let t1_window = &w1;
        with_app_env("shop-window-t2", t2_ref, &t2_env, |app2| async move {
            at_t2(&Window(app2)).await?;
            // T1 sees T2 too, while T2's app runs.
            let link = t1_window
                .wait_text("shop-link", |t| t.contains("1 caisse reliée"))
                .await?;
            expect_contains("T1's status bar", &link, &["1 caisse reliée"])
        })
        .await;
        Ok(())
    })
    .await;
}

/// The port the till would listen on is taken: the status bar says so in French, and the
/// till still opens and sells.
#[tokio::test]
async fn a_port_taken_is_said_and_the_till_still_sells() {
    let _one_test = app_lock().await;
    let data = till("T1");
    let taken = std::net::UdpSocket::bind("127.0.0.1:0").expect("a UDP port");
    let address = taken.local_addr().expect("its address").to_string();
    let env = [("RELAIS_LAN_LISTEN", address.as_str())];
    let shown = &address;
    with_app_env("shop-port-taken", &data, &env, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        let said = w
            .wait_text("shop-listen-error", |t| t.contains("pas d’écoute"))
            .await?;
        expect_contains("status bar", &said, &["Réseau : pas d’écoute"])?;
        // One line in the bar, on the same row as its first item; the address and the whole
        // reason in its title.
        let item = w.get("shop-listen-error").await?;
        let title = item
            .attr("title")
            .await
            .map_err(crate::window::err)?
            .unwrap_or_default();
        expect_contains("its title", &title, &["déjà pris", shown])?;
        status_bar_on_one_row(&w).await?;
        // A sale at a department key's typed price, paid in cash: the till sells without
        // its network.
        w.click_css(r#"[data-testid="dept-key"]"#).await?;
        w.fill("dept-price", &format!("2,50{}", keys::ENTER))
            .await?;
        w.wait_text("total", |t| t == "2,50 €").await?;
        w.keys(keys::F9).await?;
        w.get("payment-dialog").await?;
        w.click("method-cash").await?;
        w.fill("tender-amount", &format!("2,50{}", keys::ENTER))
            .await?;
        w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
        w.click("pay-validate").await?;
        w.get("paid").await?;
        // The sale adds its own items (not exported, to re-enter): still one row, or the
        // counter above is squeezed.
        status_bar_on_one_row(&w).await?;
        w.shoot("shop-port-taken").await?;
        Ok(())
    })
    .await;
    drop(taken);
}

/// The port-taken item sits on the status bar's first row, one line high, and so does
/// the bar's last item.
async fn status_bar_on_one_row(w: &Window) -> Result<(), String> {
    let rows =
        w.0.execute(
            r#"const box = (el) => el.getBoundingClientRect();
               const bar = document.querySelector('[data-testid="status-bar"]');
               const today = box(bar.querySelector('[data-testid="status-today"]'));
               const item = box(bar.querySelector('[data-testid="shop-listen-error"]'));
               const last = box(bar.lastElementChild);
               const same = (b) => Math.abs(b.top - today.top) < today.height / 2;
               return [same(item), item.height < today.height * 1.5, same(last)];"#,
            vec![],
        )
        .await
        .map_err(crate::window::err)?;
    if rows != serde_json::json!([true, true, true]) {
        return Err(format!(
            "the status bar wraps (item on the first row, one line high, last item on the first row: {rows})"
        ));
    }
    Ok(())
}
