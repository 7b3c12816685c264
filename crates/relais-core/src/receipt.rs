//! The text receipt (42 columns, 80 mm paper) with the mentions French law expects: shop
//! name, address, SIRET, VAT number, date and time, number, lines with quantity, unit price
//! and VAT rate, totals HT/TVA/TTC per rate, payments, till, operator, hash extract, software
//! version, and "DUPLICATA n" on reprints.

use crate::money::{Money, Qty};
use crate::record::{Body, Record};
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

/// Receipt of a ticket record. `copy_no` is set on reprints; `hash` is the record's chain
/// hash, of which the first 8 characters are printed.
pub fn render(
    shop: &Shop,
    record: &Record,
    hash: &str,
    copy_no: Option<u32>,
    software: &str,
) -> String {
    let mut r = Receipt::default();
    header(&mut r, shop);
    if let Some(n) = copy_no {
        r.center(&format!("*** DUPLICATA {n} ***"));
    }
    if record.training {
        r.center("*** MODE FORMATION - SANS VALEUR ***");
    }
    r.rule();
    let title = record.kind().label_fr().to_uppercase();
    r.pair(&title, &record.number());
    let when = match (parse_zone(&record.tz), parse_instant(&record.at)) {
        (Some(zone), Some(at)) => local_display(zone, at),
        _ => record.at.clone(),
    };
    r.pair(&when, &format!("Caisse {}", record.till));
    r.line(&format!("Opérateur : {}", record.operator));
    if let Body::Sale(t) | Body::Refund(t) | Body::Void(t) = &record.body {
        ticket(&mut r, t);
    }
    r.rule();
    r.line(&format!("Empreinte : {}", &hash[..hash.len().min(8)]));
    r.line(&format!("Relais {software}"));
    r.0
}

#[derive(Default)]
struct Receipt(String);

impl Receipt {
    fn line(&mut self, text: &str) {
        self.0.push_str(text);
        self.0.push('\n');
    }
    fn center(&mut self, text: &str) {
        let len = text.chars().count();
        let pad = WIDTH.saturating_sub(len) / 2;
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

fn header(r: &mut Receipt, shop: &Shop) {
    r.center(&shop.name);
    for part in shop.address.lines().flat_map(|l| l.split(", ")) {
        r.center(part.trim());
    }
    if !shop.siret.is_empty() {
        r.center(&format!("SIRET {}", shop.siret));
    }
    if !shop.vat_number.is_empty() {
        r.center(&format!("TVA {}", shop.vat_number));
    }
}

/// A, B, C… for the VAT rates of the ticket, in the order of its VAT table.
fn rate_letter(ticket: &Ticket, rate: crate::money::VatRate) -> char {
    let index = ticket
        .vat
        .iter()
        .position(|v| v.rate_bp == rate)
        .unwrap_or(0);
    char::from(b'A' + (index as u8 % 26))
}

fn ticket(r: &mut Receipt, t: &Ticket) {
    if let Some(link) = &t.corrects {
        r.line(&format!("Ticket d'origine : {}", link.number));
    }
    if let Some(reason) = &t.reason {
        r.line(&format!("Motif : {reason}"));
    }
    r.rule();
    for line in &t.lines {
        r.line(&line.label);
        let detail = format!("  {} x {}", line.qty_milli, line.unit_price_cents);
        r.pair(
            &detail,
            &format!("{} {}", line.gross_cents, rate_letter(t, line.vat_rate_bp)),
        );
        if line.discount_cents != Money::ZERO {
            r.pair("  Remise", &format!("-{}  ", line.discount_cents));
        }
    }
    r.rule();
    if t.ticket_discount_cents != Money::ZERO {
        r.pair(
            "Remise sur ticket",
            &format!("-{}", t.ticket_discount_cents),
        );
    }
    r.pair("TOTAL TTC", &format!("{} EUR", t.total_cents));
    r.rule();
    r.line("Taux            HT         TVA         TTC");
    for v in &t.vat {
        let mut row = String::new();
        let rate = format!("{} {}", rate_letter(t, v.rate_bp), v.rate_bp);
        write!(
            row,
            "{rate:<9}{:>9}{:>12}{:>12}",
            v.ht_cents.to_string(),
            v.vat_cents.to_string(),
            v.ttc_cents.to_string()
        )
        .expect("writing to a String");
        r.line(&row);
    }
    r.rule();
    for p in &t.payments {
        let label = match (&p.reference, p.method) {
            (Some(reference), Method::Other) => reference.clone(),
            (Some(reference), method) => format!("{} {reference}", method.label_fr()),
            (None, method) => method.label_fr().to_string(),
        };
        r.pair(&label, &p.amount_cents.to_string());
        if let (Some(tendered), Some(change)) = (p.tendered_cents, p.change_cents) {
            r.pair("  Montant remis", &tendered.to_string());
            r.pair("  Rendu", &change.to_string());
        }
    }
    let items = Qty(t.lines.iter().map(|l| l.qty_milli.0).sum());
    r.line(&format!("{} ligne(s), {} article(s)", t.lines.len(), items));
    if let Some(note) = &t.note {
        r.line(&format!("Note : {note}"));
    }
}
