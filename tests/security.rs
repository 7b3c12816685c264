//! The app window against hostile data: a price list or a customer name may carry HTML or
//! script (a spreadsheet from anywhere, a name typed by anyone). It must be shown as text,
//! never run: the page sets a marker if any of it executes.

use crate::support::{app_lock, relais_ok, DataDir};
use crate::window::{clean, expect_contains, expect_eq, keys, text, with_app, Check, Window};

const IMG_LABEL: &str = "<img src=x onerror=window.__xss=1>";
const SCRIPT_NAME: &str = "<script>window.__xss=2</script>Durand";

#[tokio::test]
async fn html_in_labels_and_customer_names_is_shown_as_text_and_never_run() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    relais_ok(
        &data,
        &["init", "--shop", "Boulangerie Test", "--till", "T1"],
        "",
    );
    relais_ok(
        &data,
        &["staff", "add", "Marie", "--role", "manager"],
        "1234\n",
    );
    let catalog = data.path().join("hostile.csv");
    std::fs::write(
        &catalog,
        format!("EAN;Libellé;Prix TTC;TVA\n3760000000017;{IMG_LABEL};2,50;20\n"),
    )
    .expect("write the catalogue");
    relais_ok(
        &data,
        &[
            "catalog",
            "import",
            &catalog.display().to_string(),
            "--operator",
            "Marie",
        ],
        "",
    );
    relais_ok(
        &data,
        &["order", "create", "-"],
        &format!(
            r#"{{"customer":{{"name":"{SCRIPT_NAME}","phone":"0612345678"}},
                "lines":[{{"label":"<b onmouseover=window.__xss=3>Tarte</b>","unit_price_cents":1800,"vat_rate_bp":550}}],
                "requested_date":"2030-12-31","fulfilment":"pickup","operator":"Marie"}}"#
        ),
    );

    with_app("hostile_data", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.keys(&format!("3760000000017{}", keys::ENTER)).await?;
        w.wait_count("cart-line", 1).await?;
        let line = clean(&text(&w.get("cart-line").await?).await?);
        expect_contains("cart line", &line, &[IMG_LABEL])?;
        no_markup_ran(&w, r#"[data-testid="cart-line"] img"#).await?;

        w.click("menu").await?;
        w.click("menu-orders").await?;
        w.click("orders-tab-all").await?;
        w.wait_count("order-row", 1).await?;
        let row = clean(&text(&w.get("order-row").await?).await?);
        expect_contains("order row", &row, &[SCRIPT_NAME])?;
        w.click("order-open").await?;
        let detail = clean(&text(&w.get("order-detail").await?).await?);
        expect_contains(
            "order detail",
            &detail,
            &[SCRIPT_NAME, "<b onmouseover=window.__xss=3>Tarte</b>"],
        )?;
        no_markup_ran(
            &w,
            r#"[data-testid="order-detail"] script, [data-testid="order-detail"] b"#,
        )
        .await
    })
    .await;
}

/// No element matching `css` was made from the data, and no handler in it ran.
async fn no_markup_ran(w: &Window, css: &str) -> Check {
    let found = w
        .0
        .execute(
            "return [document.querySelectorAll(arguments[0]).length, window.__xss === undefined ? 0 : window.__xss];",
            vec![serde_json::Value::String(css.into())],
        )
        .await
        .map_err(|e| format!("cannot run the check in the page: {e}"))?;
    expect_eq(
        "elements made from data, handler run",
        found,
        serde_json::json!([0, 0]),
    )
}
