//! The largest amounts and quantities a record may hold, and the characters no text of a
//! record may hold.
//!
//! The bounds are chosen so that nothing accepted can make a later step fail: every total the
//! till ever computes (a ticket, a day, a month, a year, the perpetual grand total, a merge of
//! the shop's tills) is a sum over at most [`MAX_RECORDS`] records, each contributing at most
//! [`MAX_AMOUNT_CENTS`] to any one total, so each stays below [`MAX_TOTAL_CENTS`], far inside
//! an `i64`. A record over a bound is refused before it is written (docs/CHAIN.md, "Bounds").
//!
//! The texts: control characters drive terminals (`sale show`) and receipt printers (ESC),
//! and bidirectional overrides make a label read differently from what it holds; a record
//! holds neither. Tabs and line breaks typed into a field become spaces; notes keep their
//! line breaks.

use crate::money::Money;

/// 1 000 000,00 €: a unit price, a line, a ticket (its lines before discounts, its payments,
/// the cash tendered), an order, a deposit, a cash movement, the float.
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000;

/// 99 999,999 units (or kilograms) on one line.
pub const MAX_QTY_MILLI: i64 = 99_999_999;

/// Records in one till's ledger: a billion, three thousand years at a thousand a day.
pub const MAX_RECORDS: u64 = 1_000_000_000;

/// The most any sum over one till's records can reach.
pub const MAX_TOTAL_CENTS: i64 = MAX_AMOUNT_CENTS * MAX_RECORDS as i64;

/// Tills whose bundles `relais merge` may add up with every total still in an `i64`.
pub const MAX_MERGED_TILLS: i64 = i64::MAX / MAX_TOTAL_CENTS;

// The arithmetic the module's promise rests on, checked when the crate compiles.
const _: () = assert!(MAX_TOTAL_CENTS / MAX_RECORDS as i64 == MAX_AMOUNT_CENTS);
const _: () = assert!(MAX_MERGED_TILLS >= 64);
// A line's gross is computed in i128 then checked; qty × price at the bounds fits anyway.
const _: () = assert!((MAX_QTY_MILLI as i128) * (MAX_AMOUNT_CENTS as i128) < i64::MAX as i128);

/// What a record holds that it may not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutOfBounds {
    #[error("{path} = {value} is beyond the limit of {limit}")]
    Amount {
        path: String,
        value: i64,
        limit: i64,
    },
    #[error("{path} holds the control character U+{code:04X}")]
    Character { path: String, code: u32 },
}

impl OutOfBounds {
    pub fn text(&self) -> crate::i18n::Text {
        match self {
            OutOfBounds::Amount { path, value, limit } if path.ends_with("qty_milli") => {
                let (value, limit) = (qty(*value), qty(*limit));
                crate::text!(
                    fr: "quantité hors limites ({path} = {value}) : au plus {limit}",
                    en: "quantity out of range ({path} = {value}): at most {limit}",
                )
            }
            OutOfBounds::Amount { path, value, limit } => {
                let (value, limit) = (Money(*value), Money(*limit));
                crate::text!(
                    fr: "montant hors limites ({path} = {value} €) : au plus {limit} €",
                    en: "amount out of range ({path} = {value} €): at most {limit} €",
                )
            }
            OutOfBounds::Character { path, code } => crate::text!(
                fr: "caractère de contrôle interdit U+{code:04X} dans {path}",
                en: "forbidden control character U+{code:04X} in {path}",
            ),
        }
    }
}

fn qty(milli: i64) -> String {
    crate::money::Qty(milli).to_string()
}

/// A character no text of a record may hold: C0 and C1 controls (line breaks and tabs aside,
/// which [`single_line`] turns into spaces where a line is meant) and the bidirectional
/// overrides and isolates.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` as one line: tabs and line breaks become spaces; a forbidden character is returned
/// as the error.
pub fn single_line(text: &str) -> Result<String, char> {
    let line: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    match line.chars().find(|c| is_forbidden(*c)) {
        Some(c) => Err(c),
        None => Ok(line),
    }
}

#[cfg(test)]
#[path = "bounds_tests.rs"]
mod tests;
