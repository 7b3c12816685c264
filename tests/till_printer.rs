//! The thermal printer in the real app window, against the fake ESC/POS printer of
//! relais-printer on 127.0.0.1: a manager sets the printer in Réglages and prints the test
//! page; a cash sale's receipt (text, total, QR code of the sale's id) arrives with exactly
//! one drawer pulse and no print dialog; a card sale's arrives with none; with the printer
//! gone, the sale is recorded, the banner says so within the deadline, the next sale is rung
//! up, and « Réessayer » prints the receipt once the printer is back.

use crate::support::{app_lock, relais_ok, DataDir};
use crate::window::{err, expect_contains, expect_eq, keys, test_id, with_app, Check, Window};
use relais_printer::fake::{self, Answer, Event, FakePrinter};
use relais_printer::Status;
use std::time::{Duration, Instant};

/// Demo catalogue (`relais demo`): a baguette at 1,20 €, a croissant at 1,10 €.
const BAGUETTE: &str = "3761234500014";
const CROISSANT: &str = "3761234500038";

/// The printer's deadline, with room for the screen to draw the banner.
const BANNER_WITHIN: Duration = Duration::from_millis(3000);

/// A printer whose drawer reports open once pulsed: the pulse is not sent again.
fn printer_ready() -> Answer {
    Answer::Status(Status {
        drawer_open: true,
        ..Status::ready()
    })
}

/// What the fake printer did since `from` events, once `done` accepts it (or after 10 s).
async fn printed(
    printer: &FakePrinter,
    from: usize,
    done: impl Fn(&[Event]) -> bool,
) -> Result<Vec<Event>, String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let all = printer.events(0);
        let new = all.get(from..).unwrap_or_default().to_vec();
        if done(&new) {
            return Ok(new);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the printer never got what was expected; it got:\n{new:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn cut(events: &[Event]) -> bool {
    events.iter().any(|e| matches!(e, Event::Cut { .. }))
}

fn pulses(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Event::Pulse { .. }))
        .count()
}

fn qr(events: &[Event]) -> Option<String> {
    events.iter().find_map(|e| match e {
        Event::Qr(data) => Some(data.clone()),
        _ => None,
    })
}

pub(crate) async fn scan(w: &Window, code: &str, lines: usize) -> Check {
    w.keys(&format!("{code}{}", keys::ENTER)).await?;
    w.wait_count("cart-line", lines).await
}

/// F9, the cash handed over, Entrée: the sale is recorded. Answers its id and number.
pub(crate) async fn pay_cash(w: &Window, tendered: &str) -> Result<(String, String), String> {
    w.keys(keys::F9).await?;
    w.get("payment-dialog").await?;
    w.click("method-cash").await?;
    w.fill("tender-amount", &format!("{tendered}{}", keys::ENTER))
        .await?;
    w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
    w.click("pay-validate").await?;
    paid(w).await
}

async fn pay_card(w: &Window) -> Result<(String, String), String> {
    w.keys(keys::F9).await?;
    w.get("payment-dialog").await?;
    w.click("method-card").await?;
    w.fill("tender-reference", "TPE-77").await?;
    w.click("tender-add").await?;
    w.wait_text("pay-remaining", |t| t == "0,00 €").await?;
    w.click("pay-validate").await?;
    paid(w).await
}

async fn paid(w: &Window) -> Result<(String, String), String> {
    let panel = w.get("paid").await?;
    let id = panel
        .attr("data-id")
        .await
        .map_err(err)?
        .unwrap_or_default();
    let number = panel
        .attr("data-number")
        .await
        .map_err(err)?
        .unwrap_or_default();
    Ok((id, number))
}

/// The page still answers a script at once and the scan field has the focus: no modal print
/// dialog froze it (WebKitGTK's `window.print()` blocks the page until its dialog is closed).
async fn no_dialog(w: &Window) -> Check {
    let answered = tokio::time::timeout(
        Duration::from_secs(2),
        w.0.execute(
            "return document.activeElement?.dataset.testid ?? null;",
            vec![],
        ),
    )
    .await
    .map_err(|_| "the page did not answer within 2 s: a dialog holds it".to_string())?
    .map_err(err)?;
    expect_eq("focus (no print dialog)", answered.as_str(), Some("scan"))
}

/// A screenshot in target/e2e-screenshots to look at; WebKit's driver sometimes never answers
/// a screenshot on a loaded machine, which is no failure of the till.
async fn look(w: &Window, name: &str) {
    if tokio::time::timeout(Duration::from_secs(20), w.shoot(name))
        .await
        .is_err()
    {
        eprintln!("no screenshot {name}: the driver did not answer within 20 s");
    }
}

#[tokio::test]
async fn receipts_print_on_the_thermal_printer_with_the_drawer_and_no_dialog() {
    let _one_window = app_lock().await;
    let data = DataDir::new();
    relais_ok(&data, &["demo"], "");
    let first = FakePrinter::start(printer_ready()).expect("fake printer");
    let address = first.uri();

    // The screenshot ends its session: WebKit's driver may stop answering after one.
    let (printer, at) = (&first, address.as_str());
    with_app("till_printer", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        set_the_printer(&w, printer, at).await?;
        cash_sale(&w, printer).await?;
        look(&w, "till_printer_cash_sale").await;
        Ok(())
    })
    .await;
    let at = address.as_str();
    with_app("till_printer_offline", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        card_sale(&w, &first).await?;
        drawer_without_a_sale(&w, &first).await?;
        first.stop();
        let offline = printer_gone(&w).await?;
        printer_back(&w, at, &offline).await
    })
    .await;

    // A cashier, by default, is not offered the drawer, and F11 is refused in words.
    let again = FakePrinter::start(printer_ready()).expect("fake printer");
    let uri = again.uri();
    with_app("till_printer_cashier", &data, |app| async move {
        let w = Window(app);
        w.log_in("Marie", "1234").await?;
        w.click("menu").await?;
        w.click("menu-settings").await?;
        w.fill("printer-uri", &uri).await?;
        w.click("printer-save").await?;
        w.get("printer-message").await?;
        w.click("lock").await?;
        w.log_in("Paul", "5678").await?;
        w.click("menu").await?;
        w.get("menu-orders").await?;
        w.absent("action-drawer").await?;
        w.keys(keys::ESCAPE).await?;
        w.keys(keys::F11).await?;
        let refused = w.wait_text("notice", |t| t.contains("responsable")).await?;
        expect_contains(
            "refusal",
            &refused,
            &["Paul ne peut pas ouvrir le tiroir hors vente"],
        )?;
        expect_eq("pulses for a cashier", pulses(&again.events(0)), 0)
    })
    .await;

    let journal = relais_ok(&data, &["journal"], "");
    expect_contains(
        "journal",
        &journal,
        &[
            "Imprimante de tickets : imprimante tcp://127.0.0.1:",
            "Ouverture du tiroir sans vente par Marie",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

/// F11, as a manager: the drawer's pulse alone, journaled (checked after the session).
async fn drawer_without_a_sale(w: &Window, printer: &FakePrinter) -> Check {
    let before = printer.events(0).len();
    w.keys(keys::F11).await?;
    let pulsed = printed(printer, before, |events| pulses(events) > 0).await?;
    expect_eq("pulses of « Ouvrir le tiroir »", pulses(&pulsed), 1)?;
    if !fake::text(&pulsed).is_empty() {
        return Err(format!("the drawer alone prints nothing: {pulsed:?}"));
    }
    w.wait_text("notice", |t| t == "Tiroir ouvert.")
        .await
        .map(|_| ())
}

/// Réglages › Imprimante de tickets: the fake printer's address, 42 columns; the test page
/// (which saves first) arrives.
async fn set_the_printer(w: &Window, printer: &FakePrinter, address: &str) -> Check {
    w.click("menu").await?;
    w.click("menu-settings").await?;
    w.get("settings-printer").await?;
    w.fill("printer-uri", address).await?;
    w.click("printer-width-42").await?;
    w.click("printer-code-page-16").await?;
    w.click("printer-test").await?;
    let said = w.text_of("printer-message").await?;
    expect_contains(
        "test page message",
        &said,
        &["Réglages enregistrés", "page de test envoyée", address],
    )?;
    let page = printed(printer, 0, cut).await?;
    let text = fake::text(&page);
    expect_contains(
        "test page",
        &text,
        &[
            "Page de test",
            "42 colonnes, page de code 16",
            "12,50 € « Œufs »",
        ],
    )?;
    w.click("back-to-sale").await?;
    w.get("scan").await.map(|_| ())
}

/// Two baguettes paid 5 € in cash: the receipt prints by itself with one pulse.
async fn cash_sale(w: &Window, printer: &FakePrinter) -> Check {
    let before = printer.events(0).len();
    scan(w, BAGUETTE, 1).await?;
    scan(w, BAGUETTE, 1).await?;
    w.wait_text("total", |t| t == "2,40 €").await?;
    let (id, number) = pay_cash(w, "5").await?;
    let receipt = printed(printer, before, cut).await?;
    let text = fake::text(&receipt);
    expect_contains(
        "cash receipt",
        &text,
        &[&number, "Baguette tradition", "2,40", "Espèces", "Rendu"],
    )?;
    if text.contains("DUPLICATA") {
        return Err(format!("the first print is the original:\n{text}"));
    }
    let qr = qr(&receipt).unwrap_or_default();
    let hash = qr.strip_prefix(&format!("{id} ")).unwrap_or_default();
    expect_eq(
        "QR code: the sale's id, then its chain hash",
        hash.len(),
        64,
    )?;
    expect_eq("drawer pulses of a cash sale", pulses(&receipt), 1)?;
    w.wait_text("print-state", |t| t == "Ticket imprimé.")
        .await?;
    no_dialog(w).await?;
    Ok(())
}

/// A croissant on the card terminal: a receipt, no pulse.
async fn card_sale(w: &Window, printer: &FakePrinter) -> Check {
    let before = printer.events(0).len();
    scan(w, CROISSANT, 1).await?;
    let (_, number) = pay_card(w).await?;
    let receipt = printed(printer, before, cut).await?;
    expect_contains(
        "card receipt",
        &fake::text(&receipt),
        &[&number, "Croissant pur beurre", "Carte bancaire TPE-77"],
    )?;
    expect_eq("drawer pulses of a card sale", pulses(&receipt), 0)?;
    w.wait_text("print-state", |t| t == "Ticket imprimé.")
        .await?;
    w.keys(keys::ENTER).await?;
    w.get("cart-empty").await.map(|_| ())
}

/// The printer is gone: the cash sale is recorded, the banner says so within the deadline,
/// and the next sale is rung up and paid. Answers the number not printed.
async fn printer_gone(w: &Window) -> Result<String, String> {
    scan(w, BAGUETTE, 1).await?;
    let (_, number) = pay_cash(w, "2").await?;
    let shown = Instant::now();
    w.css(&test_id("printer-banner"), BANNER_WITHIN).await?;
    let within = shown.elapsed();
    if within > BANNER_WITHIN {
        return Err(format!("the banner took {within:?}"));
    }
    expect_eq(
        "banner",
        w.text_of("printer-banner-title").await?,
        "Imprimante hors ligne".into(),
    )?;
    expect_contains(
        "banner",
        &w.text_of("printer-banner").await?,
        &[
            &format!("Ticket non imprimé : {number}"),
            "La vente est bien enregistrée",
        ],
    )?;
    // The counter keeps selling: the next sale, on the card terminal.
    w.keys(keys::ENTER).await?;
    w.get("cart-empty").await?;
    scan(w, CROISSANT, 1).await?;
    let (_, next) = pay_card(w).await?;
    if next == number {
        return Err("the next sale was not recorded".into());
    }
    Ok(number)
}

/// The printer back at its address: « Réessayer » prints the receipt that did not come out,
/// as an original, and the banner goes.
async fn printer_back(w: &Window, address: &str, number: &str) -> Check {
    let socket = address.trim_start_matches("tcp://").parse().map_err(err)?;
    let printer = FakePrinter::start_at(socket, printer_ready()).map_err(err)?;
    w.click("printer-retry").await?;
    let receipts = printed(&printer, 0, |events| {
        fake::text(events).contains(number) && cut(events)
    })
    .await?;
    let text = fake::text(&receipts);
    if text.contains("DUPLICATA") {
        return Err(format!(
            "the original never came out: not a duplicate\n{text}"
        ));
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while !w.all("printer-banner").await?.is_empty() {
        if Instant::now() > deadline {
            return Err("the banner stayed after the receipt came out".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    printer.stop();
    Ok(())
}
