//! The day's date is the till's, not this PC's. A PC fresh from a Linux install is on UTC:
//! in a French shop between midnight and one (two in summer) its date is yesterday's, and
//! the day opened on it took the float while the first sale opened today's with none.
//! Here the shop is on Kiritimati (UTC+14) and the PC on Pago Pago (UTC−11): 25 hours
//! apart, their dates always differ, so the test does not depend on the hour it runs.

use super::{fill, menu};
use crate::finding::real_till_in;
use crate::support::{app_lock, relais_ok};
use crate::window::{err, expect_eq, keys, with_app_env, Window};

const SHOP_ZONE: &str = "Pacific/Kiritimati";
const PC_ZONE: &str = "Pacific/Pago_Pago";

#[tokio::test]
async fn the_day_opens_on_the_tills_date_whatever_this_pcs_zone() {
    let _one_window = app_lock().await;
    let data = real_till_in(SHOP_ZONE);
    let status: serde_json::Value =
        serde_json::from_str(&relais_ok(&data, &["status", "--json"], "")).expect("status JSON");
    let today = status["today"].as_str().expect("today").to_string();
    let french = format!("{}/{}/{}", &today[8..10], &today[5..7], &today[0..4]);

    with_app_env("day_zone", &data, &[("TZ", PC_ZONE)], |app| async move {
        let w = Window(app);
        // The premise: the window runs in the PC's zone, not the shop's.
        let zone =
            w.0.execute(
                "return Intl.DateTimeFormat().resolvedOptions().timeZone;",
                vec![],
            )
            .await
            .map_err(err)?;
        expect_eq("the window's zone", zone, serde_json::json!(PC_ZONE))?;
        w.log_in("Marie", "1234").await?;
        menu(&w, "day").await?;
        let offered = w.value_of("day-open-date").await?;
        expect_eq("the date offered", offered, french.clone())?;
        fill(&w, "float-count-2000", "1").await?;
        w.wait_text("float-total", |t| t == "20,00 €").await?;
        w.click("day-open-submit").await?;
        w.get("x-report").await?;
        expect_eq(
            "day state",
            w.text_of("day-state").await?,
            format!("Journée du {french} ouverte"),
        )?;
        // A sale goes to that day, which keeps its float.
        w.click("back-to-sale").await?;
        w.keys(&format!("2,50{}", keys::ENTER)).await?;
        w.wait_count("cart-line", 1).await?;
        w.keys(keys::F9).await?;
        w.click("method-cash").await?;
        fill(&w, "tender-amount", &format!("5{}", keys::ENTER)).await?;
        w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
        w.click("pay-validate").await?;
        w.get("paid").await?;
        menu(&w, "day").await?;
        w.click("day-tab-x").await?;
        w.wait_text("x-sales", |t| t == "1").await?;
        expect_eq("x-float", w.text_of("x-float").await?, "20,00 €".into())?;
        expect_eq(
            "x-expected",
            w.text_of("x-expected").await?,
            "22,50 €".into(),
        )
    })
    .await;
}
