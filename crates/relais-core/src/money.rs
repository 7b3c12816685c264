//! Money, quantities and VAT rates as integers: cents, thousandths and basis points.
//!
//! No floating point anywhere: every amount that reaches the ledger is an `i64` and every
//! division rounds half away from zero ("arrondi commercial"), so that a refund of a sale
//! rounds to exactly the opposite amounts.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// An amount in euro cents. May be negative (refunds, voids).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct Money(pub i64);

/// A quantity in thousandths of a unit: 1 piece = 1000, 1.250 kg = 1250.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct Qty(pub i64);

/// A VAT rate in basis points: 2000 = 20 %, 550 = 5.5 %.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct VatRate(pub u32);

/// The mainland French rates plus the overseas 8.5 %; a till may configure others.
pub const DEFAULT_VAT_RATES: [VatRate; 5] = [
    VatRate(2000),
    VatRate(1000),
    VatRate(850),
    VatRate(550),
    VatRate(210),
];

/// Arithmetic left the `i64` range. Carries no detail: the caller knows what it was adding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("amount out of range")]
pub struct Overflow;

/// `numerator / denominator` rounded half away from zero, computed in `i128` so that
/// intermediate products of cents and thousandths cannot overflow.
pub fn div_round_half_away(numerator: i128, denominator: i128) -> Result<i64, Overflow> {
    assert!(denominator > 0, "denominator must be positive");
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    let rounded = if 2 * remainder.abs() >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    };
    i64::try_from(rounded).map_err(|_| Overflow)
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn cents(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Result<Money, Overflow> {
        self.0.checked_add(other.0).map(Money).ok_or(Overflow)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, Overflow> {
        self.0.checked_sub(other.0).map(Money).ok_or(Overflow)
    }

    pub fn checked_neg(self) -> Result<Money, Overflow> {
        self.0.checked_neg().map(Money).ok_or(Overflow)
    }

    /// Sums amounts, failing on overflow instead of wrapping.
    pub fn sum<I: IntoIterator<Item = Money>>(amounts: I) -> Result<Money, Overflow> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |total, amount| total.checked_add(amount))
    }

    /// Euros with two decimals and `separator`: `1234.50` or `1234,50` (no thousands
    /// separator, no currency sign): the form of amounts in exported CSV files.
    pub fn decimal(self, separator: char) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}{separator}{:02}", abs / 100, abs % 100)
    }

    /// Parses a French or English amount: "12,50", "12.50", "1 234,5 €", "-3". At most two
    /// decimals; anything else is refused rather than rounded.
    pub fn parse(text: &str) -> Result<Money, DecimalError> {
        let cleaned: String = text
            .trim()
            .trim_end_matches('€')
            .trim_start_matches('€')
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        parse_scaled(&cleaned, 2).map(Money)
    }
}

impl fmt::Display for Money {
    /// French notation without the currency sign: `1234,50`, `-0,05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{},{:02}", abs / 100, abs % 100)
    }
}

impl Qty {
    pub const ONE: Qty = Qty(1000);

    /// The quantity with three decimals and `separator`: `1.250`, `-2.000`.
    pub fn decimal(self, separator: char) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}{separator}{:03}", abs / 1000, abs % 1000)
    }

    pub fn milli(self) -> i64 {
        self.0
    }

    /// Parses "2", "1.5", "1,250", "0.001": at most three decimals.
    pub fn parse(text: &str) -> Result<Qty, DecimalError> {
        parse_scaled(text.trim(), 3).map(Qty)
    }
}

impl fmt::Display for Qty {
    /// `2` for whole units, `1,25` or `0,005` for fractions (trailing zeros dropped).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 1000, abs % 1000);
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{sign}{whole},{}", digits.trim_end_matches('0'))
        }
    }
}

impl VatRate {
    pub fn basis_points(self) -> u32 {
        self.0
    }
}

impl fmt::Display for VatRate {
    /// `20 %`, `5,5 %`, `2,1 %`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        if frac == 0 {
            write!(f, "{whole} %")
        } else {
            let digits = format!("{frac:02}");
            write!(f, "{whole},{} %", digits.trim_end_matches('0'))
        }
    }
}

/// Why a decimal text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("empty number")]
    Empty,
    #[error("not a number: {0:?}")]
    NotANumber(String),
    #[error("more than {max} decimals in {text:?}")]
    TooManyDecimals { text: String, max: u32 },
    #[error("number too large: {0:?}")]
    TooLarge(String),
}

impl DecimalError {
    /// The message in both languages (`Display` is the English).
    pub fn text(&self) -> crate::Text {
        crate::Text {
            fr: self.fr(),
            en: self.to_string(),
        }
    }

    pub(crate) fn fr(&self) -> String {
        match self {
            DecimalError::Empty => "nombre vide".into(),
            DecimalError::NotANumber(t) => format!("« {t} » n'est pas un nombre"),
            DecimalError::TooManyDecimals { text, max } => {
                format!("« {text} » a plus de {max} décimales")
            }
            DecimalError::TooLarge(t) => format!("« {t} » est trop grand"),
        }
    }
}

/// Parses a decimal with `.` or `,` as separator into an integer scaled by 10^`decimals`;
/// more decimals than that are refused, never rounded.
pub fn parse_scaled(text: &str, decimals: u32) -> Result<i64, DecimalError> {
    if text.is_empty() {
        return Err(DecimalError::Empty);
    }
    let not_a_number = || DecimalError::NotANumber(text.to_string());
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, frac) = match unsigned.find(['.', ',']) {
        Some(at) => (&unsigned[..at], &unsigned[at + 1..]),
        None => (unsigned, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
        return Err(not_a_number());
    }
    if frac.len() > decimals as usize {
        return Err(DecimalError::TooManyDecimals {
            text: text.to_string(),
            max: decimals,
        });
    }
    let too_large = || DecimalError::TooLarge(text.to_string());
    let scale = 10i64.pow(decimals);
    let whole_value: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_large())?
    };
    let frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().map_err(|_| not_a_number())? * 10i64.pow(decimals - frac.len() as u32)
    };
    let magnitude = whole_value
        .checked_mul(scale)
        .and_then(|v| v.checked_add(frac_value))
        .ok_or_else(too_large)?;
    Ok(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        let cases: &[(i128, i128, i64)] = &[
            (5, 10, 1),
            (4, 10, 0),
            (-5, 10, -1),
            (-4, 10, 0),
            (15, 10, 2),
            (-15, 10, -2),
            (0, 7, 0),
            (1000, 1000, 1),
            (1499, 1000, 1),
            (1500, 1000, 2),
        ];
        for &(n, d, expected) in cases {
            assert_eq!(div_round_half_away(n, d), Ok(expected), "{n}/{d}");
        }
    }

    #[test]
    fn decimals_parse_exactly_or_fail() {
        let cases: &[(&str, Result<i64, &str>)] = &[
            ("12,50", Ok(1250)),
            ("12.5", Ok(1250)),
            ("1 234,56 €", Ok(123456)),
            ("€3", Ok(300)),
            ("-0,05", Ok(-5)),
            (",5", Ok(50)),
            ("1.234", Err("decimals")),
            ("abc", Err("number")),
            ("", Err("empty")),
            ("1.2.3", Err("number")),
            ("99999999999999999999", Err("large")),
        ];
        for (text, expected) in cases {
            match (Money::parse(text), expected) {
                (Ok(m), Ok(cents)) => assert_eq!(m.0, *cents, "{text}"),
                (Err(e), Err(word)) => assert!(e.to_string().contains(word), "{text}: {e}"),
                (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn quantities_take_three_decimals() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1", Some(1000)),
            ("1.5", Some(1500)),
            ("1,250", Some(1250)),
            ("0.001", Some(1)),
            ("0.0001", None),
            ("x", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Qty::parse(text).ok().map(|q| q.0), *expected, "{text}");
        }
    }

    #[test]
    fn display_is_french() {
        assert_eq!(Money(123456).to_string(), "1234,56");
        assert_eq!(Money(-5).to_string(), "-0,05");
        assert_eq!(Qty(1250).to_string(), "1,25");
        assert_eq!(Qty(2000).to_string(), "2");
        assert_eq!(VatRate(550).to_string(), "5,5 %");
        assert_eq!(VatRate(2000).to_string(), "20 %");
        assert_eq!(VatRate(210).to_string(), "2,1 %");
    }
}
