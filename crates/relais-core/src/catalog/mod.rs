//! The catalogue: departments, products, barcodes, and the rules for reading a price list.
//!
//! Pure: the store reads files and keeps the catalogue in SQLite; this module says what a
//! valid product is, how column headers map to fields, and how a text is normalised for
//! search.

mod columns;
mod row;
pub mod scale;

pub use columns::{map_headers, ColumnMap, Field, MapError};
pub use row::{parse_price, parse_row, parse_vat, ParsedRow, RowError, RowProblem, VatRule};
pub use scale::{Carries, ScaleLabel, ScaleRule};

use crate::money::{Money, VatRate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A department (rayon): a default VAT rate, and a key at the counter for items sold without
/// a catalogue entry (typed price).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Department {
    pub code: String,
    pub name: String,
    pub vat_rate_bp: VatRate,
    /// Hidden by a manager: no key at the counter; its products, history and exports stay.
    #[serde(default)]
    pub hidden: bool,
}

/// The departments of a fresh till.
pub fn default_departments() -> Vec<Department> {
    [
        ("DIVERS", "Divers", 2000),
        ("ALIM", "Alimentation", 550),
        ("LIVRES", "Livres", 550),
        ("PRESSE", "Presse", 210),
        ("RESTO", "Restauration", 1000),
    ]
    .into_iter()
    .map(|(code, name, rate)| Department {
        code: code.into(),
        name: name.into(),
        vat_rate_bp: VatRate(rate),
        hidden: false,
    })
    .collect()
}

/// How a product is counted: per piece, or weighed/measured with three decimals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    #[default]
    Piece,
    Kg,
    L,
    M,
}

impl Unit {
    pub fn code(self) -> &'static str {
        match self {
            Unit::Piece => "piece",
            Unit::Kg => "kg",
            Unit::L => "l",
            Unit::M => "m",
        }
    }

    /// Reads the units people write: "pièce", "pc", "u", "kg", "kilo", "l", "litre", "m"…
    pub fn parse(text: &str) -> Option<Unit> {
        match normalize(text).as_str() {
            "" | "piece" | "pieces" | "pc" | "pcs" | "u" | "un" | "unite" | "unit" | "ea"
            | "each" => Some(Unit::Piece),
            "kg" | "kilo" | "kilogramme" | "kilogram" | "kgs" => Some(Unit::Kg),
            "l" | "litre" | "liter" | "lt" => Some(Unit::L),
            "m" | "metre" | "meter" | "ml" => Some(Unit::M),
            _ => None,
        }
    }
}

/// A product as the catalogue holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Product {
    pub sku: Option<String>,
    pub barcodes: Vec<String>,
    pub label: String,
    pub price_cents: Money,
    pub vat_rate_bp: VatRate,
    pub department: Option<String>,
    pub unit: Unit,
}

/// Why a barcode was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    #[error("barcode is empty")]
    Empty,
    #[error("barcode {0:?} is in scientific notation: the spreadsheet turned the barcode column into numbers and lost digits; format the column as text and type the codes again (or export them again from the source)")]
    Scientific(String),
    #[error("barcode {code:?} has a wrong check digit (expected {expected})")]
    CheckDigit { code: String, expected: u8 },
    #[error("barcode {0:?} has characters other than letters, digits, - . _ /")]
    Characters(String),
}

impl BarcodeError {
    /// The message in both languages (`Display` is the English).
    pub fn text(&self) -> crate::Text {
        crate::Text {
            fr: self.fr(),
            en: self.to_string(),
        }
    }

    pub(crate) fn fr(&self) -> String {
        match self {
            BarcodeError::Empty => "code-barres vide".into(),
            BarcodeError::Scientific(c) => format!(
                "code-barres « {c} » en notation scientifique : le tableur (Excel) a transformé \
                 la colonne des codes-barres en nombres et perdu des chiffres ; mettez la colonne \
                 au format Texte et saisissez de nouveau les codes (ou exportez-les de nouveau \
                 depuis le logiciel d'origine)"
            ),
            BarcodeError::CheckDigit { code, expected } => {
                format!("code-barres {code:?} : clé de contrôle fausse (attendue : {expected})")
            }
            BarcodeError::Characters(c) => format!("code-barres {c:?} : caractères non autorisés"),
        }
    }
}

/// The GS1 check digit of `digits` (the code without its last digit): weights 3, 1, 3…
/// from the right. Valid for EAN-13, EAN-8, UPC-A and GTIN-14.
pub fn gs1_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Checks and normalises a barcode as a spreadsheet or a scanner gives it. All-digit codes
/// of 8, 12, 13 or 14 digits are GS1 codes (EAN-8, UPC-A, EAN-13, GTIN-14): their check
/// digit must be right, and a 12-, 13- or 14-digit one is kept in its canonical form (see
/// [`canonical_gtin`]). Other codes are the shop's internal codes, kept as written
/// (upper-cased). Excel's ways of writing a code are undone: `="0123…"` (the formula that
/// keeps leading zeros) and `3760000000277.0` (a code stored as a number); scientific
/// notation (`3,76E+12`) lost digits and is refused.
pub fn normalize_barcode(text: &str) -> Result<String, BarcodeError> {
    let mut code = text.trim();
    if let Some(inner) = code.strip_prefix("=\"").and_then(|c| c.strip_suffix('"')) {
        code = inner.trim();
    }
    if code.is_empty() {
        return Err(BarcodeError::Empty);
    }
    if let Some(whole) = whole_number(code) {
        return gs1_checked(whole);
    }
    let upper = code.to_ascii_uppercase();
    if is_scientific(&upper) {
        return Err(BarcodeError::Scientific(code.to_string()));
    }
    if !upper
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._/".contains(&b))
    {
        return Err(BarcodeError::Characters(code.to_string()));
    }
    Ok(upper)
}

/// The digits of `3760000000277`, `3760000000277.0` or `3760000000277,00`: a number a
/// spreadsheet wrote with a zero fraction is still the code.
fn whole_number(code: &str) -> Option<&str> {
    let digits = match code.split_once(['.', ',']) {
        Some((whole, fraction)) if !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') => {
            whole
        }
        Some(_) => return None,
        None => code,
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// `3,76E+12`, `3.01762E+12`, `3E12`: a mantissa, an `E`, an exponent.
fn is_scientific(upper: &str) -> bool {
    let Some((mantissa, exponent)) = upper.split_once('E') else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let number = |t: &str, separators: &[u8]| {
        !t.is_empty()
            && t.bytes().any(|b| b.is_ascii_digit())
            && t.bytes()
                .all(|b| b.is_ascii_digit() || separators.contains(&b))
    };
    number(mantissa, b".,") && number(exponent, b"")
}

/// An all-digit code: a GS1 code (8, 12, 13 or 14 digits) must have the right check digit.
fn gs1_checked(code: &str) -> Result<String, BarcodeError> {
    if matches!(code.len(), 8 | 12 | 13 | 14) {
        let mut digits = [0u8; 14];
        for (digit, byte) in digits.iter_mut().zip(code.bytes()) {
            *digit = byte - b'0';
        }
        let (body, check) = digits[..code.len()].split_at(code.len() - 1);
        let expected = gs1_check_digit(body);
        if check[0] != expected {
            return Err(BarcodeError::CheckDigit {
                code: code.to_string(),
                expected,
            });
        }
        return Ok(canonical_gtin(code));
    }
    Ok(code.to_string())
}

/// The one form a GTIN is kept in: 13 digits (EAN-13) when leading zeros allow it. A UPC-A
/// (12 digits) gains its leading zero, as an EAN-13 scanner reads it (`712345678911` →
/// `0712345678911`), a GTIN-14 starting with 0 loses it; leading zeros change no check
/// digit. EAN-8 stays 8 digits (scanners read it so) and a GTIN-14 of a case stays 14.
pub fn canonical_gtin(code: &str) -> String {
    match code.len() {
        12 => format!("0{code}"),
        14 if code.starts_with('0') => code[1..].to_string(),
        _ => code.to_string(),
    }
}

/// The forms a scanned or typed code may be stored under, canonical first: a till whose
/// catalogue was filled before codes were kept canonical may hold `712345678911` for the
/// `0712345678911` the scanner reads, or the reverse.
pub fn barcode_forms(code: &str) -> Vec<String> {
    let code = code.trim();
    let mut forms = Vec::new();
    if code.bytes().all(|b| b.is_ascii_digit()) && (11..=14).contains(&code.len()) {
        let core = code.trim_start_matches('0');
        forms.push(canonical_gtin(code));
        for width in 12..=14 {
            if core.len() <= width {
                forms.push(format!("{core:0>width$}"));
            }
        }
    }
    let mut unique: Vec<String> = Vec::with_capacity(forms.len());
    for form in forms {
        if form != code && !unique.contains(&form) {
            unique.push(form);
        }
    }
    unique
}

/// Whether a barcode cell holds one code written in a way that contains a separator of a
/// list of codes (`3760000000277,0`, `3,76E+12`, `="0123"`): it is not split.
pub fn is_single_code(cell: &str) -> bool {
    let cell = cell.trim();
    cell.starts_with("=\"")
        || whole_number(cell).is_some()
        || is_scientific(&cell.to_ascii_uppercase())
}

/// Lower-case, accents removed, ligatures expanded, punctuation turned into spaces, spaces
/// collapsed: "Café  Crème — 1L" → "cafe creme 1l". Used for search and header matching.
///
/// The same as taking the string's canonical decomposition (NFD) and dropping its combining
/// marks, one character at a time: NFD only reorders combining marks, which are dropped, and
/// an ASCII character decomposes to itself (a million labels: 1 s → 0.2 s; tested against
/// the whole-string NFD over every character up to U+2FFFF).
pub fn normalize(text: &str) -> String {
    let mut words = Words {
        out: String::with_capacity(text.len()),
        pending_space: false,
    };
    for c in text.chars() {
        if c.is_ascii() {
            words.push(c);
        } else {
            unicode_normalization::char::decompose_canonical(c, |d| words.push(d));
        }
    }
    words.out
}

/// The normalised text being written: words of lower-case letters and digits.
struct Words {
    out: String,
    pending_space: bool,
}

impl Words {
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            match c.is_ascii_alphanumeric() {
                true => self.push_word_part(c.to_ascii_lowercase()),
                false => self.pending_space = true,
            }
            return;
        }
        if unicode_normalization::char::is_combining_mark(c) {
            return;
        }
        match c {
            'œ' | 'Œ' => self.push_str("oe"),
            'æ' | 'Æ' => self.push_str("ae"),
            'ß' => self.push_str("ss"),
            _ if c.is_alphanumeric() => c.to_lowercase().for_each(|l| self.push_word_part(l)),
            _ => self.pending_space = true,
        }
    }

    fn push_str(&mut self, text: &str) {
        text.chars().for_each(|c| self.push_word_part(c));
    }

    fn push_word_part(&mut self, c: char) {
        if std::mem::take(&mut self.pending_space) && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push(c);
    }
}

#[cfg(test)]
mod tests;
