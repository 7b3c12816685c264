//! The receipt as ESC/POS bytes: the rows of `relais_core::receipt::layout` (the same
//! document as on screen and in the 42-column text) at the paper's width, the shop's name
//! bold and double, the QR code of what the screen's QR code holds (the record's id), the cut.

use crate::codepage::CodePage;
use crate::escpos::{Align, Cut, EscPos, Pin, PULSE_OFF_MS, PULSE_ON_MS, QR_MODULE};
use relais_core::avoir_slip::{self, AvoirSlipDoc};
use relais_core::order_slip::{self, OrderSlipDoc};
use relais_core::receipt::{layout, ReceiptDoc, Row, RowStyle};
use relais_core::report::{self, ReportDoc};

/// Characters per line: 32 on 58 mm paper; 48 (font A) or 42 (font B, or narrower heads)
/// on 80 mm paper.
pub const WIDTHS: [usize; 3] = [32, 42, 48];

/// How a printer is set up: its line width, its code page, the drawer it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    pub columns: usize,
    pub page: CodePage,
    /// The pin of the cash drawer, if a drawer hangs on this printer.
    pub drawer: Option<Pin>,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            columns: 48,
            page: CodePage::Wpc1252,
            drawer: Some(Pin::Two),
        }
    }
}

/// The receipt's bytes; with `open_drawer`, the drawer's pulse just before the cut (the
/// change is counted out while the paper is torn off).
pub fn receipt(doc: &ReceiptDoc, setup: &Setup, open_drawer: bool) -> Vec<u8> {
    let mut out = EscPos::new(setup.page);
    print_rows(&mut out, &layout(doc, setup.columns));
    out.feed(1)
        .align(Align::Center)
        .qr(&doc.qr_text, QR_MODULE)
        .align(Align::Left);
    finish(out, setup, open_drawer)
}

/// An X or Z report's bytes (`relais_core::report::layout` at the paper's width), cut; no
/// QR code (a report is no ticket) and never a drawer pulse.
pub fn report(doc: &ReportDoc, setup: &Setup) -> Vec<u8> {
    let mut out = EscPos::new(setup.page);
    print_rows(&mut out, &report::layout(doc, setup.columns));
    finish(out, setup, false)
}

/// An avoir's slip (`relais_core::avoir_slip::layout` at the paper's width), the QR code of
/// its signed code, cut; never a drawer pulse.
pub fn avoir_slip(doc: &AvoirSlipDoc, setup: &Setup) -> Vec<u8> {
    let mut out = EscPos::new(setup.page);
    print_rows(&mut out, &avoir_slip::layout(doc, setup.columns));
    out.feed(1)
        .align(Align::Center)
        .qr(&doc.code, QR_MODULE)
        .align(Align::Left);
    finish(out, setup, false)
}

/// A customer order's slip (`relais_core::order_slip::layout` at the paper's width), the QR
/// code of its number (the orders screen's search finds it when scanned), cut; never a
/// drawer pulse (a deposit is taken at the counter, with its own receipt).
pub fn order_slip(doc: &OrderSlipDoc, setup: &Setup) -> Vec<u8> {
    let mut out = EscPos::new(setup.page);
    print_rows(&mut out, &order_slip::layout(doc, setup.columns));
    out.feed(1)
        .align(Align::Center)
        .qr(doc.qr_text(), QR_MODULE)
        .align(Align::Left);
    finish(out, setup, false)
}

fn print_rows(out: &mut EscPos, rows: &[Row]) {
    for row in rows {
        match row.style {
            RowStyle::Plain => out.line(&row.text),
            RowStyle::Strong => out.bold(true).line(&row.text).bold(false),
            RowStyle::Heading => out
                .bold(true)
                .size(2, 2)
                .line(&row.text)
                .size(1, 1)
                .bold(false),
        };
    }
}

/// A page to check a printer's set-up: its width ruled, the code page's French letters and
/// signs, the QR code, the cut (and the drawer's pulse, if asked).
pub fn test_page(setup: &Setup, open_drawer: bool) -> Vec<u8> {
    let width = setup.columns;
    let mut out = EscPos::new(setup.page);
    out.align(Align::Center)
        .bold(true)
        .size(2, 2)
        .line("Relais")
        .size(1, 1)
        .line("Page de test")
        .bold(false)
        .align(Align::Left);
    out.line(&"-".repeat(width));
    let ruler: String = (1..=width)
        .map(|i| match i % 10 {
            0 => char::from(b'0' + (i / 10 % 10) as u8),
            _ => '.',
        })
        .collect();
    out.line(&ruler);
    out.line(&format!(
        "{width} colonnes, page de code {}",
        setup.page.number()
    ));
    out.line(&"-".repeat(width));
    for sample in SAMPLES {
        out.line(sample);
    }
    out.line(&"-".repeat(width));
    out.feed(1)
        .align(Align::Center)
        .qr("https://relais.example/test", QR_MODULE)
        .align(Align::Left);
    finish(out, setup, open_drawer)
}

/// The French letters and signs a receipt may print, as the test page shows them.
pub const SAMPLES: [&str; 4] = [
    "àâäçéèêëîïôöùûüÿ",
    "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ",
    "12,50 € « Œufs » 5 °C",
    "Crème brûlée, pâté, maïs",
];

fn finish(mut out: EscPos, setup: &Setup, open_drawer: bool) -> Vec<u8> {
    out.feed(2);
    if let (true, Some(pin)) = (open_drawer, setup.drawer) {
        out.pulse(pin, PULSE_ON_MS, PULSE_OFF_MS);
    }
    out.cut(Cut::Partial);
    out.into_bytes()
}
