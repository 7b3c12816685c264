//! The receipt, with the mentions French law expects: shop name, address, SIRET, VAT number,
//! date and time, number, lines with quantity, unit price and VAT rate, totals HT/TVA/TTC per
//! rate, payments, till, operator, hash extract, software version, and "DUPLICATA n" on
//! reprints. [`ReceiptDoc`] holds it as data (the app prints it as HTML); [`render`] lays it
//! out as 42-column text (the CLI, thermal printers).

use crate::money::{Money, Qty, VatRate};
use crate::record::Record;
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
    /// Items sold: "3" or "1,25".
    pub item_count: String,
    pub note: Option<String>,
    /// The first 8 characters of the record's chain hash.
    pub hash_extract: String,
    pub software: String,
    /// SVG path (`M x y h1 v1 h-1 z` per dark module) of a QR code of the record's id, on a
    /// square of `qr_size` modules.
    pub qr_path: String,
    pub qr_size: usize,
}

/// How many articles a ticket holds: whole quantities count as such, a weighed or measured
/// line (1,235 kg) as one article, so that kilograms and pieces are never added up.
fn item_count(ticket: &Ticket) -> Qty {
    Qty(ticket
        .lines
        .iter()
        .map(|l| match l.qty_milli.0 % 1000 {
            0 => l.qty_milli.0,
            _ => 1000 * l.qty_milli.0.signum(),
        })
        .sum())
}

/// A, B, C… for the VAT rates of the ticket, in the order of its VAT table.
fn rate_letter(ticket: &Ticket, rate: VatRate) -> String {
    let index = ticket
        .vat
        .iter()
        .position(|v| v.rate_bp == rate)
        .unwrap_or(0);
    char::from(b'A' + (index as u8 % 26)).to_string()
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
        let (qr_path, qr_size) = qr_path(&record.id.to_string());
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
                    rate_letter: rate_letter(ticket, l.vat_rate_bp),
                })
                .collect(),
            ticket_discount_cents: ticket.ticket_discount_cents.0,
            total_cents: ticket.total_cents.0,
            vat: ticket
                .vat
                .iter()
                .map(|v| ReceiptVat {
                    letter: rate_letter(ticket, v.rate_bp),
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
                })
                .collect(),
            line_count: ticket.lines.len(),
            item_count: item_count(ticket).to_string(),
            note: ticket.note.clone(),
            hash_extract: hash.chars().take(8).collect(),
            software: software.to_string(),
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
    let mut r = Text::default();
    r.center(&doc.shop.name);
    for part in doc.shop.address.lines().flat_map(|l| l.split(", ")) {
        r.center(part.trim());
    }
    if !doc.shop.siret.is_empty() {
        r.center(&format!("SIRET {}", doc.shop.siret));
    }
    if !doc.shop.vat_number.is_empty() {
        r.center(&format!("TVA {}", doc.shop.vat_number));
    }
    if let Some(n) = doc.copy_no {
        r.center(&format!("*** DUPLICATA {n} ***"));
    }
    if doc.training {
        r.center("*** MODE FORMATION - SANS VALEUR ***");
    }
    r.rule();
    r.pair(&doc.title, &doc.number);
    r.pair(&doc.local_time, &format!("Caisse {}", doc.till));
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
            &format!("  {}", line.detail),
            &format!("{} {}", Money(line.amount_cents), line.rate_letter),
        );
        if line.discount_cents != 0 {
            r.pair("  Remise", &format!("-{}  ", Money(line.discount_cents)));
        }
    }
    r.rule();
    if doc.ticket_discount_cents != 0 {
        r.pair(
            "Remise sur ticket",
            &format!("-{}", Money(doc.ticket_discount_cents)),
        );
    }
    r.pair("TOTAL TTC", &format!("{} EUR", Money(doc.total_cents)));
    r.rule();
    r.line("Taux            HT         TVA         TTC");
    for v in &doc.vat {
        let mut row = String::new();
        let rate = format!("{} {}", v.letter, v.rate);
        let (ht, vat, ttc) = (
            Money(v.ht_cents).to_string(),
            Money(v.vat_cents).to_string(),
            Money(v.ttc_cents).to_string(),
        );
        write!(row, "{rate:<9}{ht:>9}{vat:>12}{ttc:>12}").expect("writing to a String");
        r.line(&row);
    }
    r.rule();
    for p in &doc.payments {
        r.pair(&p.label, &Money(p.amount_cents).to_string());
        if let (Some(tendered), Some(change)) = (p.tendered_cents, p.change_cents) {
            r.pair("  Montant remis", &Money(tendered).to_string());
            r.pair("  Rendu", &Money(change).to_string());
        }
    }
    r.line(&format!(
        "{} ligne(s), {} article(s)",
        doc.line_count, doc.item_count
    ));
    if let Some(note) = &doc.note {
        r.line(&format!("Note : {note}"));
    }
    r.rule();
    r.line(&format!("Empreinte : {}", doc.hash_extract));
    r.line(&format!("Relais {}", doc.software));
    r.0
}

#[derive(Default)]
struct Text(String);

impl Text {
    fn line(&mut self, text: &str) {
        self.0.push_str(text);
        self.0.push('\n');
    }
    fn center(&mut self, text: &str) {
        let pad = WIDTH.saturating_sub(text.chars().count()) / 2;
        self.line(&format!("{}{text}", " ".repeat(pad)));
    }
    fn pair(&mut self, left: &str, right: &str) {
        let used = left.chars().count() + right.chars().count();
        let gap = WIDTH.saturating_sub(used).max(1);
        self.line(&format!("{left}{}{right}", " ".repeat(gap)));
    }
    fn rule(&mut self) {
        self.line(&"-".repeat(WIDTH));
    }
}
