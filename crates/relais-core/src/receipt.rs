//! The receipt, with the mentions French law expects: shop name, address, SIRET, VAT number,
//! date and time, number, lines with quantity, unit price and VAT rate, totals HT/TVA/TTC per
//! rate, payments, till, operator, hash extract, software version, and "DUPLICATA n" on
//! reprints. [`ReceiptDoc`] holds it as data (the app prints it as HTML); [`render`] lays it
//! out as 42-column text (the CLI, thermal printers).

use crate::money::{Money, Qty, VatRate};
use crate::record::{Kind, Record};
use crate::ticket::{Method, Ticket};
use crate::time::{local_display, parse_instant, parse_zone};
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use ts_rs::TS;

pub const WIDTH: usize = 42;

/// Who is selling: printed at the top of every receipt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Shop {
    pub name: String,
    pub address: String,
    pub siret: String,
    pub vat_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptLine {
    pub label: String,
    /// "1,5 x 12,50"
    pub detail: String,
    #[ts(type = "number")]
    pub amount_cents: i64,
    #[ts(type = "number")]
    pub discount_cents: i64,
    /// The letter of the line's VAT rate in the VAT table (A, B…).
    pub rate_letter: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptVat {
    pub letter: String,
    /// "20 %"
    pub rate: String,
    #[ts(type = "number")]
    pub ht_cents: i64,
    #[ts(type = "number")]
    pub vat_cents: i64,
    #[ts(type = "number")]
    pub ttc_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptPayment {
    pub label: String,
    #[ts(type = "number")]
    pub amount_cents: i64,
    #[ts(type = "number | null")]
    pub tendered_cents: Option<i64>,
    #[ts(type = "number | null")]
    pub change_cents: Option<i64>,
    /// What is left on the avoir this payment spent, from the avoir's use (the store fills
    /// it; the ticket does not hold it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub balance_cents: Option<i64>,
}

/// Everything printed on a receipt, ready to lay out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReceiptDoc {
    pub shop: Shop,
    /// "VENTE", "REMBOURSEMENT", "ANNULATION"
    pub title: String,
    pub number: String,
    pub id: String,
    /// Date and time in the till's zone: "28/11/2026 15:16:09".
    pub local_time: String,
    pub till: String,
    pub operator: String,
    pub copy_no: Option<u32>,
    pub training: bool,
    /// The sale a refund or void corrects.
    pub corrects: Option<String>,
    pub reason: Option<String>,
    pub lines: Vec<ReceiptLine>,
    #[ts(type = "number")]
    pub ticket_discount_cents: i64,
    #[ts(type = "number")]
    pub total_cents: i64,
    pub vat: Vec<ReceiptVat>,
    pub payments: Vec<ReceiptPayment>,
    pub line_count: usize,
    /// What the ticket holds, after its line count: « 3 article(s) », « 2 article(s) +
    /// 1,412 kg », « 1 article(s) rendu(s) ».
    pub item_count: String,
    pub note: Option<String>,
    /// The first 8 characters of the record's chain hash.
    pub hash_extract: String,
    pub software: String,
    /// What the QR code holds: the record's id, a space, its full chain hash (an auditor
    /// compares it with the ledger; a scanner finds the sale by the id).
    pub qr_text: String,
    /// SVG path (`M x y h1 v1 h-1 z` per dark module) of the QR code of `qr_text`, on a
    /// square of `qr_size` modules.
    pub qr_path: String,
    pub qr_size: usize,
}

/// What a ticket holds, as its receipt says it after the line count: pieces counted as
/// articles, weighed or measured lines (1,412) added up in kilograms apart, never added to
/// pieces; a refund's or a void's quantities without their minus sign, and said « rendu(s) »
/// or « annulé(s) ». « 3 article(s) », « 2 article(s) + 1,412 kg », « 1 article(s) rendu(s) ».
fn items_text(ticket: &Ticket, kind: Kind) -> String {
    let (mut pieces, mut weighed) = (0i64, 0i64);
    for line in &ticket.lines {
        let qty = line.qty_milli.0.abs();
        if qty % 1000 == 0 {
            pieces += qty / 1000;
        } else {
            weighed += qty;
        }
    }
    let mut parts = Vec::new();
    if pieces > 0 || weighed == 0 {
        parts.push(format!("{pieces} article(s)"));
    }
    if weighed > 0 {
        parts.push(format!("{} kg", Qty(weighed).decimal(',')));
    }
    let said = match kind {
        Kind::Refund => " rendu(s)",
        Kind::Void => " annulé(s)",
        _ => "",
    };
    format!("{}{said}", parts.join(" + "))
}

/// The letter of a VAT rate, the same on every ticket of every till (A is always 20 %): the
/// rates of mainland France first, then those of Corsica and overseas. A rate outside the
/// table is named by itself (« 7,7 % »), never by a letter another ticket gives another rate.
fn rate_letter(rate: VatRate) -> String {
    const LETTERS: [(u32, char); 11] = [
        (2000, 'A'),
        (1000, 'B'),
        (550, 'C'),
        (210, 'D'),
        (850, 'E'),
        (0, 'F'),
        (1300, 'G'),
        (220, 'H'),
        (90, 'I'),
        (175, 'J'),
        (105, 'K'),
    ];
    match LETTERS.iter().find(|(bp, _)| *bp == rate.0) {
        Some((_, letter)) => letter.to_string(),
        None => rate.to_string().replace(' ', ""),
    }
}

fn payment_label(method: Method, reference: Option<&str>) -> String {
    match (reference, method) {
        (Some(reference), Method::Other) => reference.to_string(),
        (Some(reference), method) => format!("{} {reference}", method.label_fr()),
        (None, method) => method.label_fr().to_string(),
    }
}

/// The QR code of `text` as an SVG path, and its size in modules (empty and 0 when `text`
/// is too long for a QR code).
pub fn qr_path(text: &str) -> (String, usize) {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return (String::new(), 0);
    };
    let size = code.width();
    let mut path = String::new();
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            let (x, y) = (index % size, index / size);
            write!(path, "M{x} {y}h1v1h-1z").expect("writing to a String");
        }
    }
    (path, size)
}

impl ReceiptDoc {
    /// The receipt of a ticket record (sale, refund, void); `None` for other kinds.
    pub fn of(
        shop: &Shop,
        record: &Record,
        hash: &str,
        copy_no: Option<u32>,
        software: &str,
    ) -> Option<ReceiptDoc> {
        let ticket = record.body.ticket()?;
        let local_time = match (parse_zone(&record.tz), parse_instant(&record.at)) {
            (Some(zone), Some(at)) => local_display(zone, at),
            _ => record.at.clone(),
        };
        let qr_text = format!("{} {hash}", record.id);
        let (qr_path, qr_size) = qr_path(&qr_text);
        Some(ReceiptDoc {
            shop: shop.clone(),
            title: record.kind().label_fr().to_uppercase(),
            number: record.number(),
            id: record.id.to_string(),
            local_time,
            till: record.till.clone(),
            operator: record.operator.clone(),
            copy_no,
            training: record.training,
            corrects: ticket.corrects.as_ref().map(|l| l.number.clone()),
            reason: ticket.reason.clone(),
            lines: ticket
                .lines
                .iter()
                .map(|l| ReceiptLine {
                    label: l.label.clone(),
                    detail: format!("{} x {}", l.qty_milli, l.unit_price_cents),
                    amount_cents: l.gross_cents.0,
                    discount_cents: l.discount_cents.0,
                    rate_letter: rate_letter(l.vat_rate_bp),
                })
                .collect(),
            ticket_discount_cents: ticket.ticket_discount_cents.0,
            total_cents: ticket.total_cents.0,
            vat: ticket
                .vat
                .iter()
                .map(|v| ReceiptVat {
                    letter: rate_letter(v.rate_bp),
                    rate: v.rate_bp.to_string(),
                    ht_cents: v.ht_cents.0,
                    vat_cents: v.vat_cents.0,
                    ttc_cents: v.ttc_cents.0,
                })
                .collect(),
            payments: ticket
                .payments
                .iter()
                .map(|p| ReceiptPayment {
                    label: payment_label(p.method, p.reference.as_deref()),
                    amount_cents: p.amount_cents.0,
                    tendered_cents: p.tendered_cents.map(|m| m.0),
                    change_cents: p.change_cents.map(|m| m.0),
                    balance_cents: None,
                })
                .collect(),
            line_count: ticket.lines.len(),
            item_count: items_text(ticket, record.kind()),
            note: ticket.note.clone(),
            hash_extract: hash.chars().take(8).collect(),
            software: software.to_string(),
            qr_text,
            qr_path,
            qr_size,
        })
    }
}

/// The receipt as 42-column text. Records that are not tickets print their header only.
pub fn render(
    shop: &Shop,
    record: &Record,
    hash: &str,
    copy_no: Option<u32>,
    software: &str,
) -> String {
    let Some(doc) = ReceiptDoc::of(shop, record, hash, copy_no, software) else {
        return format!("{} {}\n", record.kind().label_fr(), record.number());
    };
    text(&doc)
}

/// A receipt already made (balances of avoirs filled in, say) as 42-column text.
pub fn text(doc: &ReceiptDoc) -> String {
    let mut text = String::new();
    for row in rows(doc, WIDTH, false) {
        text.push_str(&row.text);
        text.push('\n');
    }
    text
}

/// How a printer prints a row of the laid-out receipt (the text form ignores it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
    Plain,
    /// The shop's name: bold, double width and height.
    Heading,
    /// Bold: the kind and number, DUPLICATA, training, the total.
    Strong,
}

/// One row of the laid-out receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub style: RowStyle,
    pub text: String,
}

/// The receipt laid out for a printer of `width` columns (32, 42, 48): the same rows as
/// [`render`], but every row fits: labels and notes wrapped at spaces, an amount that no
/// longer fits beside its label right-aligned on the next row, the VAT table's columns
/// narrowed. A [`RowStyle::Heading`] row holds at most `width / 2` characters (it prints
/// double width); every other row at most `width`.
pub fn layout(doc: &ReceiptDoc, width: usize) -> Vec<Row> {
    rows(doc, width.max(16), true)
}

/// The rows of the receipt at `width`; with `wrap` false, rows may overflow (the 42-column
/// text form, kept as it always was).
fn rows(doc: &ReceiptDoc, width: usize, wrap: bool) -> Vec<Row> {
    use RowStyle::{Heading, Plain, Strong};
    let mut r = Text {
        rows: Vec::new(),
        width,
        wrap,
    };
    r.center(Heading, &doc.shop.name);
    for part in doc.shop.address.lines().flat_map(|l| l.split(", ")) {
        r.center(Plain, part.trim());
    }
    if !doc.shop.siret.is_empty() {
        r.center(Plain, &format!("SIRET {}", doc.shop.siret));
    }
    if !doc.shop.vat_number.is_empty() {
        r.center(Plain, &format!("TVA {}", doc.shop.vat_number));
    }
    if let Some(n) = doc.copy_no {
        r.center(Strong, &format!("*** DUPLICATA {n} ***"));
    }
    if doc.training {
        r.center(Strong, "*** MODE FORMATION - SANS VALEUR ***");
    }
    r.rule();
    r.pair(Strong, &doc.title, &doc.number);
    r.pair(Plain, &doc.local_time, &format!("Caisse {}", doc.till));
    r.line(&format!("Opérateur : {}", doc.operator));
    if let Some(number) = &doc.corrects {
        r.line(&format!("Ticket d'origine : {number}"));
    }
    if let Some(reason) = &doc.reason {
        r.line(&format!("Motif : {reason}"));
    }
    r.rule();
    for line in &doc.lines {
        r.line(&line.label);
        r.pair(
            Plain,
            &format!("  {}", line.detail),
            &format!("{} {}", Money(line.amount_cents), line.rate_letter),
        );
        if line.discount_cents != 0 {
            r.pair(
                Plain,
                "  Remise",
                &format!("-{}  ", Money(line.discount_cents)),
            );
        }
    }
    r.rule();
    if doc.ticket_discount_cents != 0 {
        r.pair(
            Plain,
            "Remise sur ticket",
            &format!("-{}", Money(doc.ticket_discount_cents)),
        );
    }
    r.pair(
        Strong,
        "TOTAL TTC",
        &format!("{} EUR", Money(doc.total_cents)),
    );
    r.rule();
    r.vat_table(&doc.vat);
    r.rule();
    for p in &doc.payments {
        r.pair(Plain, &p.label, &Money(p.amount_cents).to_string());
        if let (Some(tendered), Some(change)) = (p.tendered_cents, p.change_cents) {
            r.pair(Plain, "  Montant remis", &Money(tendered).to_string());
            r.pair(Plain, "  Rendu", &Money(change).to_string());
        }
        if let Some(balance) = p.balance_cents {
            r.pair(Plain, "  Reste sur l'avoir", &Money(balance).to_string());
        }
    }
    r.line(&format!("{} ligne(s), {}", doc.line_count, doc.item_count));
    if let Some(note) = &doc.note {
        r.line(&format!("Note : {note}"));
    }
    r.rule();
    r.line(&format!("Empreinte : {}", doc.hash_extract));
    r.line(&format!("Relais {}", doc.software));
    r.rows
}

/// `text` cut into pieces of at most `width` characters, at spaces when it can (a word
/// longer than the width is cut where it must).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut pieces = Vec::new();
    let mut rest: Vec<char> = text.chars().collect();
    while rest.len() > width {
        let cut = match rest[..=width].iter().rposition(|c| *c == ' ') {
            Some(space) if rest[..space].iter().any(|c| *c != ' ') => space,
            _ => width,
        };
        pieces.push(
            rest[..cut]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string(),
        );
        let skip = rest[cut..].iter().take_while(|c| **c == ' ').count();
        rest.drain(..cut + skip);
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(rest.into_iter().collect());
    }
    pieces
}

/// Rows being laid out at a width (the receipt's, and the X and Z reports' in `report.rs`).
pub(crate) struct Text {
    pub(crate) rows: Vec<Row>,
    pub(crate) width: usize,
    pub(crate) wrap: bool,
}

impl Text {
    /// Rows that fit `width` (at least 16 columns), wrapped.
    pub(crate) fn wrapped(width: usize) -> Text {
        Text {
            rows: Vec::new(),
            width: width.max(16),
            wrap: true,
        }
    }
    pub(crate) fn push(&mut self, style: RowStyle, text: String) {
        self.rows.push(Row { style, text });
    }
    fn pieces(&self, text: &str, width: usize) -> Vec<String> {
        match self.wrap {
            true => wrap(text, width),
            false => vec![text.to_string()],
        }
    }
    pub(crate) fn line(&mut self, text: &str) {
        for piece in self.pieces(text, self.width) {
            self.push(RowStyle::Plain, piece);
        }
    }
    pub(crate) fn center(&mut self, style: RowStyle, text: &str) {
        let width = match (self.wrap, style) {
            (true, RowStyle::Heading) => self.width / 2,
            _ => self.width,
        };
        for piece in self.pieces(text, width) {
            let pad = width.saturating_sub(piece.chars().count()) / 2;
            self.push(style, format!("{}{piece}", " ".repeat(pad)));
        }
    }
    pub(crate) fn pair(&mut self, style: RowStyle, left: &str, right: &str) {
        let (left_len, right_len) = (left.chars().count(), right.chars().count());
        if !self.wrap || left_len + right_len < self.width {
            let gap = self.width.saturating_sub(left_len + right_len).max(1);
            self.push(style, format!("{left}{}{right}", " ".repeat(gap)));
            return;
        }
        let mut lefts = wrap(left, self.width);
        let last = lefts.pop().unwrap_or_default();
        for piece in lefts {
            self.push(style, piece);
        }
        let last_len = last.chars().count();
        if last_len + right_len < self.width {
            let gap = self.width - last_len - right_len;
            self.push(style, format!("{last}{}{right}", " ".repeat(gap)));
            return;
        }
        self.push(style, last);
        for piece in wrap(right, self.width) {
            let pad = self.width.saturating_sub(piece.chars().count());
            self.push(style, format!("{}{piece}", " ".repeat(pad)));
        }
    }
    pub(crate) fn rule(&mut self) {
        self.push(RowStyle::Plain, "-".repeat(self.width));
    }
    /// Rate, HT, TVA, TTC: at 42 columns as it always was (9, 9, 12, 12); narrower
    /// (8, 8, 7, 9 at 32); a rate whose amounts do not fit its row (wrapping only) gets a
    /// row of its own and one per amount.
    fn vat_table(&mut self, vat: &[ReceiptVat]) {
        let (rate_w, ht_w, vat_w, ttc_w) = match self.width {
            w if w >= WIDTH => {
                let amount = (w - 9 + 3) / 3;
                (9, w - 9 - 2 * amount, amount, amount)
            }
            w => {
                let rest = w - 8;
                (8, rest / 3, rest / 3 - 1, rest - 2 * (rest / 3) + 1)
            }
        };
        let header = format!(
            "{:<rate_w$}{:>ht_w$}{:>vat_w$}{:>ttc_w$}",
            "Taux", "HT", "TVA", "TTC"
        );
        self.line(&header);
        for v in vat {
            let rate = format!("{} {}", v.letter, v.rate);
            let (ht, tva, ttc) = (
                Money(v.ht_cents).to_string(),
                Money(v.vat_cents).to_string(),
                Money(v.ttc_cents).to_string(),
            );
            let fits = [(&rate, rate_w), (&ht, ht_w), (&tva, vat_w), (&ttc, ttc_w)]
                .iter()
                .all(|(text, w)| text.chars().count() < *w);
            if self.wrap && !fits {
                self.line(&rate);
                self.pair(RowStyle::Plain, "  HT", &ht);
                self.pair(RowStyle::Plain, "  TVA", &tva);
                self.pair(RowStyle::Plain, "  TTC", &ttc);
                continue;
            }
            let mut row = String::new();
            write!(row, "{rate:<rate_w$}{ht:>ht_w$}{tva:>vat_w$}{ttc:>ttc_w$}")
                .expect("writing to a String");
            self.push(RowStyle::Plain, row);
        }
    }
}

#[cfg(test)]
#[path = "receipt_tests.rs"]
mod tests;
