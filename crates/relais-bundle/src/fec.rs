//! The accountant's journal of the bundle, in the layout of the French *fichier des écritures
//! comptables* (article A47 A-1 of the LPF): 18 tab-separated columns, dates AAAAMMJJ, decimal
//! comma, ISO 8859-15 (the text allows ASCII, ISO 8859-15 or EBCDIC, not UTF-8), named
//! `<SIREN>FEC<AAAAMMJJ>.txt`. Entries come in date order with one continuous `EcritureNum`:
//! - one per day closure (journal VE): the tenders received are debited (cash 530000, card
//!   511500, cheques 511200, vouchers and store credit 419800, order deposits used 419100,
//!   other 471000); sales are credited per VAT rate (70700x, HT) and VAT collected (44571x);
//!   order deposits received are debited by tender and credited to customer advances
//!   (419100); the counted cash and the card terminal's differences go to 658000 / 758000;
//! - one per cash movement (journal CA): the drawer (530000) against the bank (580000, for
//!   bank deposits and float top-ups) or expenses and receipts to be classified (471100);
//! - one per earlier day whose paper sales were keyed in after it (journal VE).
//!
//! The shop's accountant maps the accounts to their own chart.

use relais_core::closure::{CashMovementData, ClosureData, Direction, PeriodTotals};
use relais_core::{Method, Money};
use std::collections::BTreeMap;
use std::fmt::Write;

pub const HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";

/// What stands for the SIREN in the file name when the shop has no SIRET in its settings.
pub const NO_SIREN: &str = "000000000";

const CASH: (&str, &str) = ("530000", "Caisse");
const BANK_TRANSFERS: (&str, &str) = ("580000", "Virements internes (banque - caisse)");
const TO_CLASSIFY: (&str, &str) = ("471100", "Mouvements de caisse à classer");
const SHORTFALL: (&str, &str) = ("658000", "Charges diverses (écarts de caisse)");
const SURPLUS: (&str, &str) = ("758000", "Produits divers (écarts de caisse)");
const CARD: (&str, &str) = ("511500", "Cartes bancaires à encaisser");
const ADVANCES: (&str, &str) = ("419100", "Clients - avances et acomptes");

fn tender_account(method: Method) -> (&'static str, &'static str) {
    match method {
        Method::Cash => CASH,
        Method::Card => CARD,
        Method::Cheque => ("511200", "Chèques à encaisser"),
        Method::Voucher | Method::StoreCredit => ("419800", "Bons d'achat et avoirs"),
        Method::Deposit => ADVANCES,
        Method::Other => ("471000", "Encaissements à classer"),
    }
}

/// 2000 → "20", 550 → "055", 210 → "021": an account suffix per VAT rate.
fn rate_suffix(rate_bp: u32) -> String {
    if rate_bp.is_multiple_of(100) {
        format!("{}", rate_bp / 100)
    } else {
        format!("{:03}", rate_bp / 10)
    }
}

fn amount(cents: i64) -> String {
    Money(cents).decimal(',')
}

/// `<SIREN>FEC<AAAAMMJJ>.txt`: the SIREN is the SIRET's first nine digits ([`NO_SIREN`]
/// without a SIRET), the date the last day the journal covers.
pub fn file_name(siret: &str, last_day: &str) -> String {
    let digits: String = siret.chars().filter(char::is_ascii_digit).collect();
    let siren = match digits.get(..9) {
        Some(siren) => siren,
        None => NO_SIREN,
    };
    format!("{siren}FEC{}.txt", last_day.replace('-', ""))
}

/// One entry of the journal, before it is numbered.
struct Entry {
    day: String,
    /// Same day: the cash movements, then the closure, then paper sales keyed in later.
    rank: u8,
    journal: (&'static str, &'static str),
    piece: String,
    label: String,
    /// (account, signed amount: positive on the debit side).
    lines: Vec<((String, String), i64)>,
}

impl Entry {
    fn new(
        day: &str,
        rank: u8,
        journal: (&'static str, &'static str),
        piece: &str,
        label: String,
    ) -> Entry {
        Entry {
            day: day.to_string(),
            rank,
            journal,
            piece: piece.to_string(),
            label,
            lines: Vec::new(),
        }
    }

    /// `cents` on the debit side (a negative amount is a credit) of `account`.
    fn debit(&mut self, account: (&str, &str), cents: i64) {
        if cents != 0 {
            self.lines
                .push(((account.0.to_string(), account.1.to_string()), cents));
        }
    }

    fn credit(&mut self, account: (&str, &str), cents: i64) {
        self.debit(account, -cents);
    }

    fn sales(&mut self, totals: &PeriodTotals) {
        for tender in &totals.tenders {
            self.debit(tender_account(tender.method), tender.amount_cents.0);
        }
        for v in &totals.vat {
            let suffix = rate_suffix(v.rate_bp.0);
            let sales = format!("Ventes de marchandises TVA {}", v.rate_bp);
            self.credit((&format!("7070{suffix}"), &sales), v.ht_cents.0);
            let vat = format!("TVA collectée {}", v.rate_bp);
            self.credit((&format!("44571{suffix}"), &vat), v.vat_cents.0);
        }
        for tender in &totals.deposit_tenders {
            self.debit(tender_account(tender.method), tender.amount_cents.0);
            self.credit(ADVANCES, tender.amount_cents.0);
        }
    }

    /// A difference found at the count: `variance` = counted − recorded on `account`.
    fn variance(&mut self, account: (&str, &str), variance: i64) {
        let other = if variance < 0 { SHORTFALL } else { SURPLUS };
        self.debit(account, variance);
        self.credit(other, variance);
    }

    fn write(&self, out: &mut String, number: usize) {
        let date = self.day.replace('-', "");
        let (code, journal) = self.journal;
        let (piece, label) = (&self.piece, &self.label);
        for ((account, name), cents) in &self.lines {
            // A negative amount on one side is a positive amount on the other.
            let (debit, credit) = match *cents > 0 {
                true => (amount(*cents), amount(0)),
                false => (amount(0), amount(-cents)),
            };
            let _ = writeln!(out, "{code}\t{journal}\t{number}\t{date}\t{account}\t{name}\t\t\t{piece}\t{date}\t{label}\t{debit}\t{credit}\t\t\t{date}\t\t");
        }
    }
}

const SALES_JOURNAL: (&str, &str) = ("VE", "Ventes");
const CASH_JOURNAL: (&str, &str) = ("CA", "Caisse");

/// What the journal is made from: the bundle's closures, cash movements (number, business
/// day, movement) and the totals of paper sales keyed in after their day, per day.
pub struct Journal<'a> {
    pub closures: &'a [(String, ClosureData)],
    pub movements: &'a [(String, String, CashMovementData)],
    pub late: &'a BTreeMap<String, PeriodTotals>,
}

/// The whole file, as text, and the last day it covers (None when it has no entry).
pub fn render(journal: &Journal) -> (String, Option<String>) {
    let mut entries = Vec::new();
    for (number, closure) in journal.closures {
        if closure.period != relais_core::closure::ClosurePeriod::Day {
            continue;
        }
        let day = &closure.last_day;
        let label = format!("Ventes du {day} (clôture {number})");
        let mut entry = Entry::new(day, 1, SALES_JOURNAL, number, label);
        entry.sales(&closure.totals);
        if let Some(count) = &closure.cash_count {
            entry.variance(CASH, count.variance_cents.0);
        }
        if let Some(check) = &closure.card_check {
            entry.variance(CARD, check.variance_cents.0);
        }
        entries.push(entry);
    }
    for (number, day, movement) in journal.movements {
        let label = format!("{} : {}", movement.category, movement.reason);
        let mut entry = Entry::new(day, 0, CASH_JOURNAL, number, label);
        let other = match movement.category.as_str() {
            "bank_deposit" | "float_top_up" => BANK_TRANSFERS,
            _ => TO_CLASSIFY,
        };
        let cents = match movement.direction {
            Direction::In => movement.amount_cents.0,
            Direction::Out => -movement.amount_cents.0,
        };
        entry.debit(CASH, cents);
        entry.credit(other, cents);
        entries.push(entry);
    }
    for (day, totals) in journal.late {
        let piece = format!("P{}", day.replace('-', ""));
        let label = format!("Ventes du {day} saisies a posteriori (bordereaux papier)");
        let mut entry = Entry::new(day, 2, SALES_JOURNAL, &piece, label);
        entry.sales(totals);
        entries.push(entry);
    }
    entries.retain(|e| !e.lines.is_empty());
    entries.sort_by(|a, b| (&a.day, a.rank).cmp(&(&b.day, b.rank)));
    let mut out = String::from(HEADER);
    out.push('\n');
    for (index, entry) in entries.iter().enumerate() {
        entry.write(&mut out, index + 1);
    }
    (out, entries.last().map(|e| e.day.clone()))
}

/// The text in ISO 8859-15, as article A47 A-1 allows; a character it lacks becomes `?`.
pub fn latin9(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0xA4,
            'Š' => 0xA6,
            'š' => 0xA8,
            'Ž' => 0xB4,
            'ž' => 0xB8,
            'Œ' => 0xBC,
            'œ' => 0xBD,
            'Ÿ' => 0xBE,
            // Latin-1 characters that ISO 8859-15 replaced with the ones above.
            '\u{A4}' | '\u{A6}' | '\u{A8}' | '\u{B4}' | '\u{B8}' | '\u{BC}' | '\u{BD}'
            | '\u{BE}' => b'?',
            c if (c as u32) < 0x100 => c as u8,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
#[path = "fec_tests.rs"]
mod tests;
