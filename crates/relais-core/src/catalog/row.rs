//! One row of a price list → a product, or the reason it is refused (with its column).

use super::columns::{ColumnMap, Field};
use super::{normalize_barcode, BarcodeError, Unit};
use crate::money::{parse_scaled, DecimalError, Money, VatRate};
use crate::sale::MAX_TEXT;

const MAX_SKU: usize = 64;

/// A valid row. The VAT rate may be absent: the store then takes the department's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub sku: Option<String>,
    pub barcodes: Vec<String>,
    pub label: String,
    pub price_cents: Money,
    pub vat_rate_bp: Option<VatRate>,
    pub department: Option<String>,
    pub unit: Unit,
    /// The scale's item code, five digits ("00042"); see `scale.rs`.
    pub plu: Option<String>,
}

/// The VAT rates a row may use.
pub struct VatRule<'a> {
    pub allowed: &'a [VatRate],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{problem}", column.as_ref().map(|c| format!("column {c:?}: ")).unwrap_or_default())]
pub struct RowError {
    /// The header of the column at fault, when one is.
    pub column: Option<String>,
    pub problem: RowProblem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowProblem {
    #[error("label is missing")]
    MissingLabel,
    #[error("price is missing")]
    MissingPrice,
    #[error("price is not a number: {0}")]
    BadPrice(DecimalError),
    #[error("price is negative")]
    NegativePrice,
    #[error("VAT rate {0:?} is not a rate")]
    BadVat(String),
    #[error("VAT rate {rate} is not one of this till's rates ({allowed})")]
    UnknownVat { rate: VatRate, allowed: String },
    #[error("{0}")]
    Barcode(BarcodeError),
    #[error("unknown unit {0:?} (piece, kg, l, m)")]
    BadUnit(String),
    #[error("text longer than {0} characters")]
    TooLong(usize),
    #[error("barcode {0} is already used by another product")]
    DuplicateBarcode(String),
    #[error("scale code (PLU) {0:?}: 1 to 5 digits expected")]
    BadPlu(String),
    #[error("scale code (PLU) {0} is already used by another product")]
    DuplicatePlu(String),
    #[error("a totals row ({0:?}), not a product: not imported")]
    Footer(String),
    #[error("{what} {key} is already on line {line} of this file (the first is kept)", what = if *.sku { "SKU" } else { "barcode" })]
    RepeatedInFile { key: String, line: usize, sku: bool },
    #[error("{0}")]
    Other(String),
}

impl RowError {
    /// The message in both languages (`Display` is the English).
    pub fn text(&self) -> crate::Text {
        crate::Text {
            fr: self.fr(),
            en: self.to_string(),
        }
    }

    pub(crate) fn fr(&self) -> String {
        let column = self
            .column
            .as_ref()
            .map(|c| format!("colonne « {c} » : "))
            .unwrap_or_default();
        let problem = match &self.problem {
            RowProblem::MissingLabel => "libellé manquant".to_string(),
            RowProblem::MissingPrice => "prix manquant".to_string(),
            RowProblem::BadPrice(e) => format!("prix illisible : {}", e.fr()),
            RowProblem::NegativePrice => "prix négatif".to_string(),
            RowProblem::BadVat(t) => format!("taux de TVA illisible « {t} »"),
            RowProblem::UnknownVat { rate, allowed } => {
                format!("taux de TVA {rate} inconnu de cette caisse ({allowed})")
            }
            RowProblem::Barcode(e) => e.fr(),
            RowProblem::BadUnit(u) => format!("unité inconnue « {u} » (pièce, kg, l, m)"),
            RowProblem::TooLong(n) => format!("texte de plus de {n} caractères"),
            RowProblem::DuplicateBarcode(c) => {
                format!("le code-barres {c} est déjà celui d'un autre produit")
            }
            RowProblem::BadPlu(c) => {
                format!("code balance (PLU) « {c} » : de 1 à 5 chiffres attendus")
            }
            RowProblem::DuplicatePlu(c) => {
                format!("le code balance (PLU) {c} est déjà celui d'un autre produit")
            }
            RowProblem::Footer(t) => {
                format!(
                    "ligne de total (« {t} ») : ce n'est pas un produit, elle n'est pas importée"
                )
            }
            RowProblem::RepeatedInFile { key, line, sku } => {
                let what = if *sku {
                    "la référence"
                } else {
                    "le code-barres"
                };
                format!(
                    "{what} {key} figure déjà ligne {line} de ce fichier (la première est gardée)"
                )
            }
            RowProblem::Other(t) => t.clone(),
        };
        format!("{column}{problem}")
    }
}

fn at(map: &ColumnMap, index: usize, problem: RowProblem) -> RowError {
    RowError {
        column: map.headers.get(index).cloned(),
        problem,
    }
}

/// Collapses spaces, tabs and line breaks inside a cell into single spaces.
/// One line of text with single spaces; control characters and bidirectional overrides, which
/// a spreadsheet may carry unseen, are dropped (they would drive the receipt printer).
fn tidy(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| c.is_whitespace() || !crate::bounds::is_forbidden(*c))
        .collect();
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn cell<S: AsRef<str>>(cells: &[S], index: Option<usize>) -> &str {
    index
        .and_then(|i| cells.get(i))
        .map(|s| s.as_ref().trim())
        .unwrap_or("")
}

/// "1.234,56 €", "1,234.56", "EUR 12.5", "12,50" → cents. The last `.` or `,` is the decimal
/// separator when both appear; the other is a thousands separator.
pub fn parse_price(text: &str) -> Result<Money, DecimalError> {
    // Nearly every price of a file is plain ("12,50"): nothing to clean.
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.' || b == b',');
    if plain && !(text.contains('.') && text.contains(',')) {
        return Money::parse(text);
    }
    let mut cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€' && *c != '\'')
        .collect();
    for word in ["EUR", "eur", "Eur"] {
        cleaned = cleaned.replace(word, "");
    }
    if cleaned.contains('.') && cleaned.contains(',') {
        let last = cleaned.rfind(['.', ',']).expect("contains a separator");
        let (whole, frac) = cleaned.split_at(last);
        cleaned = format!("{}.{}", whole.replace(['.', ','], ""), &frac[1..]);
    }
    Money::parse(&cleaned)
}

/// "20", "20 %", "5,5", "0.055", "0,2" → basis points. A number below 1 without a `%` sign is
/// a fraction (0.2 = 20 %); anything else is a percentage.
pub fn parse_vat(text: &str) -> Option<VatRate> {
    let has_percent = text.contains('%');
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '%')
        .collect();
    let scaled = parse_scaled(&cleaned, 4).ok()?; // ten-thousandths
    if scaled < 0 {
        return None;
    }
    let bp = if scaled < 10_000 && !has_percent && cleaned.starts_with('0') {
        scaled
    } else if scaled % 100 == 0 {
        scaled / 100
    } else {
        return None;
    };
    u32::try_from(bp)
        .ok()
        .filter(|bp| *bp < 10_000)
        .map(VatRate)
}

fn limited(
    map: &ColumnMap,
    index: Option<usize>,
    text: String,
    max: usize,
) -> Result<String, RowError> {
    if text.chars().count() > max {
        return Err(at(map, index.unwrap_or(0), RowProblem::TooLong(max)));
    }
    Ok(text)
}

/// The column of a « TOTAL » cell when the row is a spreadsheet's totals footer: a cell
/// saying total, and neither SKU nor barcode (a product may be named « Total Cola »).
fn footer_cell<S: AsRef<str>>(cells: &[S], map: &ColumnMap) -> Option<usize> {
    let has_key = [Field::Sku, Field::Barcode]
        .into_iter()
        .flat_map(|field| map.columns_of(field))
        .any(|index| !cell(cells, Some(index)).is_empty());
    if has_key {
        return None;
    }
    cells.iter().position(|c| {
        let text = c.as_ref();
        // Only short cells starting like the words: normalising every label would cost.
        let first = text
            .trim_start()
            .bytes()
            .next()
            .map(|b| b.to_ascii_lowercase());
        text.len() < 40 && matches!(first, Some(b't' | b's' | b'm')) && {
            let words = super::normalize(text);
            ["total", "totaux", "sous total", "montant total"]
                .iter()
                .any(|w| words == *w || words.starts_with(&format!("{w} ")))
        }
    })
}

/// Reads one row of cells with the column map.
pub fn parse_row<S: AsRef<str>>(
    cells: &[S],
    map: &ColumnMap,
    rule: &VatRule<'_>,
) -> Result<ParsedRow, RowError> {
    if let Some(index) = footer_cell(cells, map) {
        let text = cell(cells, Some(index)).to_string();
        return Err(at(map, index, RowProblem::Footer(text)));
    }
    let label_at = map.column_of(Field::Label);
    let label = tidy(cell(cells, label_at));
    if label.is_empty() {
        return Err(at(map, label_at.unwrap_or(0), RowProblem::MissingLabel));
    }
    let label = limited(map, label_at, label, MAX_TEXT)?;
    let price_at = map.column_of(Field::Price).unwrap_or(0);
    let price_text = cell(cells, Some(price_at));
    if price_text.is_empty() {
        return Err(at(map, price_at, RowProblem::MissingPrice));
    }
    let price = parse_price(price_text).map_err(|e| at(map, price_at, RowProblem::BadPrice(e)))?;
    if price.0 < 0 {
        return Err(at(map, price_at, RowProblem::NegativePrice));
    }
    let vat_at = map.column_of(Field::Vat);
    let vat_text = cell(cells, vat_at);
    let vat = if vat_text.is_empty() {
        None
    } else {
        let index = vat_at.unwrap_or(0);
        let rate = parse_vat(vat_text)
            .ok_or_else(|| at(map, index, RowProblem::BadVat(vat_text.into())))?;
        if !rule.allowed.contains(&rate) {
            let allowed = crate::record::rates_text(rule.allowed);
            return Err(at(map, index, RowProblem::UnknownVat { rate, allowed }));
        }
        Some(rate)
    };
    let mut barcodes: Vec<String> = Vec::new();
    for index in map.columns_of(Field::Barcode) {
        let text = cell(cells, Some(index));
        let codes: Vec<&str> = match super::is_single_code(text) {
            true => vec![text],
            false => text.split(['|', ',', ';', ' ', '\t', '\n']).collect(),
        };
        for code in codes {
            if code.trim().is_empty() {
                continue;
            }
            let code =
                normalize_barcode(code).map_err(|e| at(map, index, RowProblem::Barcode(e)))?;
            if !barcodes.contains(&code) {
                barcodes.push(code);
            }
        }
    }
    let sku_at = map.column_of(Field::Sku);
    let sku = Some(tidy(cell(cells, sku_at))).filter(|s| !s.is_empty());
    let sku = sku.map(|s| limited(map, sku_at, s, MAX_SKU)).transpose()?;
    let department_at = map.column_of(Field::Department);
    let department = Some(tidy(cell(cells, department_at))).filter(|d| !d.is_empty());
    let department = department
        .map(|d| limited(map, department_at, d, 100))
        .transpose()?;
    let unit_at = map.column_of(Field::Unit);
    let unit_text = cell(cells, unit_at);
    let unit = Unit::parse(unit_text).ok_or_else(|| {
        at(
            map,
            unit_at.unwrap_or(0),
            RowProblem::BadUnit(unit_text.into()),
        )
    })?;
    let plu_at = map.column_of(Field::Plu);
    let plu_text = cell(cells, plu_at);
    let plu = match plu_text.is_empty() {
        true => None,
        false => Some(super::scale::normalize_plu(plu_text).map_err(|_| {
            at(
                map,
                plu_at.unwrap_or(0),
                RowProblem::BadPlu(plu_text.into()),
            )
        })?),
    };
    Ok(ParsedRow {
        plu,
        sku,
        barcodes,
        label,
        price_cents: price,
        vat_rate_bp: vat,
        department,
        unit,
    })
}
