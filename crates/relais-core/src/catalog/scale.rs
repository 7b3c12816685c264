//! Scale and price labels: EAN-13 codes of restricted circulation (GS1 prefix 2, and 02)
//! printed by a bakery's or a cheese counter's scale, with an item code (PLU) and a price or
//! a weight inside the code.
//!
//! Layout of a label `PP IIIII VVVVV C` (13 digits): `PP` the prefix a rule names, `IIIII`
//! (digits 3–7) the PLU, `VVVVV` (digits 8–12) the price in cents or the weight in grams,
//! `C` the EAN-13 check digit.

use super::gs1_check_digit;
use crate::i18n::Text;
use crate::money::{Money, Qty};
use crate::text;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the five value digits of a label carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Carries {
    /// The price to pay, in cents.
    Price,
    /// The weight, in grams: the product's price is per kilogram.
    Weight,
}

impl Carries {
    pub fn code(self) -> &'static str {
        match self {
            Carries::Price => "price",
            Carries::Weight => "weight",
        }
    }

    /// "price", "prix", "weight", "poids" (any case, accents ignored).
    pub fn parse(text: &str) -> Option<Carries> {
        match super::normalize(text).as_str() {
            "price" | "prix" => Some(Carries::Price),
            "weight" | "poids" => Some(Carries::Weight),
            _ => None,
        }
    }
}

/// One rule of the shop's table: labels starting with `prefix` carry `carries`, and are sold
/// on `department` when no product has their PLU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScaleRule {
    /// Two digits: the label's first two.
    pub prefix: String,
    pub carries: Carries,
    /// A department code.
    pub department: String,
}

/// The department of the French defaults: food, 5.5 % (bread, cheese, cooked meats).
pub const DEFAULT_SCALE_DEPARTMENT: &str = "ALIM";

/// The French defaults: 02, 22, 24, 26, 28 carry a price; 21, 23, 25, 27, 29 a weight.
pub fn default_scale_rules() -> Vec<ScaleRule> {
    let rule = |prefix: &str, carries| ScaleRule {
        prefix: prefix.into(),
        carries,
        department: DEFAULT_SCALE_DEPARTMENT.into(),
    };
    let mut rules: Vec<ScaleRule> = ["02", "22", "24", "26", "28"]
        .into_iter()
        .map(|p| rule(p, Carries::Price))
        .collect();
    rules.extend(
        ["21", "23", "25", "27", "29"]
            .into_iter()
            .map(|p| rule(p, Carries::Weight)),
    );
    rules
}

/// A scanned label, read with the rule of its prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ScaleLabel {
    pub code: String,
    pub prefix: String,
    /// Digits 3–7, as printed (five digits, leading zeros kept).
    pub plu: String,
    pub carries: Carries,
    /// Cents for a price label, grams for a weight label.
    #[ts(type = "number")]
    pub value: i64,
    pub department: String,
}

/// Reads `code` as a scale label. `Ok(None)`: not one (not 13 digits, or no rule for its
/// prefix), the code is looked up as any other. A label with a wrong check digit is refused:
/// a misread price must never be sold.
pub fn read_label(code: &str, rules: &[ScaleRule]) -> Result<Option<ScaleLabel>, Text> {
    let code = code.trim();
    if code.len() != 13 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let Some(rule) = rules.iter().find(|r| code.starts_with(r.prefix.as_str())) else {
        return Ok(None);
    };
    let digits: Vec<u8> = code.bytes().map(|b| b - b'0').collect();
    let expected = gs1_check_digit(&digits[..12]);
    if digits[12] != expected {
        return Err(text!(
            fr: "étiquette {code} mal lue : clé de contrôle fausse (attendue : {expected}) ; scannez-la de nouveau",
            en: "label {code} misread: wrong check digit (expected {expected}); scan it again",
        ));
    }
    let value: i64 = code[7..12].parse().expect("five digits");
    Ok(Some(ScaleLabel {
        code: code.to_string(),
        prefix: rule.prefix.clone(),
        plu: code[2..7].to_string(),
        carries: rule.carries,
        value,
        department: rule.department.clone(),
    }))
}

/// The quantity and unit price a label is sold at. A price label: one unit at its price. A
/// weight label: its weight in kilograms (three decimals, as every weighed line) at the
/// product's price per kilogram, so the line's amount is `grams × price per kg / 1000`
/// rounded half up to the cent, as every line. A weight label needs the product's price.
pub fn label_line(label: &ScaleLabel, price_per_kg: Option<Money>) -> Result<(Qty, Money), Text> {
    let code = &label.code;
    match label.carries {
        Carries::Price => Ok((Qty::ONE, Money(label.value))),
        Carries::Weight if label.value == 0 => Err(text!(
            fr: "étiquette de poids {code} : poids nul",
            en: "weight label {code}: zero weight",
        )),
        Carries::Weight => {
            let plu = &label.plu;
            let price = price_per_kg.ok_or_else(|| {
                text!(
                    fr: "étiquette de poids {code} : aucun produit n'a le code balance {plu}, son prix au kilo est inconnu ; vendez-le au rayon avec le prix de l'étiquette",
                    en: "weight label {code}: no product has scale code {plu}, its price per kilogram is unknown; sell it on a department key at the label's price",
                )
            })?;
            Ok((Qty(label.value), price))
        }
    }
}

/// A PLU as a product holds it: the five digits a label prints ("42" → "00042").
pub fn normalize_plu(text: &str) -> Result<String, Text> {
    let plu = text.trim();
    if plu.is_empty() || plu.len() > 5 || !plu.bytes().all(|b| b.is_ascii_digit()) {
        return Err(text!(
            fr: "code balance (PLU) « {plu} » : de 1 à 5 chiffres attendus",
            en: "scale code (PLU) \"{plu}\": 1 to 5 digits expected",
        ));
    }
    Ok(format!("{plu:0>5}"))
}

/// Checks a table of rules: two-digit prefixes, each once, a department named.
pub fn check_rules(rules: &[ScaleRule]) -> Result<Vec<ScaleRule>, Text> {
    let mut checked: Vec<ScaleRule> = Vec::with_capacity(rules.len());
    for rule in rules {
        let prefix = rule.prefix.trim();
        if prefix.len() != 2 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(text!(
                fr: "préfixe « {prefix} » : deux chiffres attendus (22, 23…)",
                en: "prefix \"{prefix}\": two digits expected (22, 23…)",
            ));
        }
        if checked.iter().any(|r| r.prefix == prefix) {
            return Err(text!(
                fr: "le préfixe {prefix} figure deux fois",
                en: "prefix {prefix} appears twice",
            ));
        }
        let department = rule.department.trim().to_uppercase();
        if department.is_empty() {
            return Err(text!(
                fr: "préfixe {prefix} : rayon manquant",
                en: "prefix {prefix}: department missing",
            ));
        }
        checked.push(ScaleRule {
            prefix: prefix.to_string(),
            carries: rule.carries,
            department,
        });
    }
    Ok(checked)
}

/// Reads a rules file: one rule a line, `PREFIX;CONTENT;DEPARTMENT` (`;`, `,`, `:` or a tab
/// between fields; CONTENT `price`/`prix` or `weight`/`poids`; the department may be left
/// out: `ALIM`). Empty lines, `#` comments and a header line (`préfixe;…`) are skipped.
pub fn parse_rules(text: &str) -> Result<Vec<ScaleRule>, Text> {
    let mut rules = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        let number = index + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split([';', ',', ':', '\t']).map(str::trim).collect();
        let header = super::normalize(fields[0]);
        if rules.is_empty() && matches!(header.as_str(), "prefixe" | "prefix") {
            continue;
        }
        let rule = parse_rule(&fields).map_err(|reason| Text {
            fr: format!("ligne {number} : {}", reason.fr),
            en: format!("line {number}: {}", reason.en),
        })?;
        rules.push(rule);
    }
    check_rules(&rules)
}

/// One rule from its fields: prefix, content, and maybe a department.
pub fn parse_rule(fields: &[&str]) -> Result<ScaleRule, Text> {
    let (prefix, content) = match fields {
        [prefix, content] | [prefix, content, _] => (*prefix, *content),
        _ => {
            return Err(text!(
                fr: "attendu PRÉFIXE;prix|poids;RAYON",
                en: "expected PREFIX;price|weight;DEPARTMENT",
            ))
        }
    };
    let carries = Carries::parse(content).ok_or_else(|| {
        text!(
            fr: "« {content} » : prix ou poids attendu",
            en: "\"{content}\": price or weight expected",
        )
    })?;
    let department = fields
        .get(2)
        .filter(|d| !d.is_empty())
        .unwrap_or(&DEFAULT_SCALE_DEPARTMENT);
    let rule = ScaleRule {
        prefix: prefix.to_string(),
        carries,
        department: department.to_string(),
    };
    Ok(check_rules(&[rule])?.remove(0))
}

#[cfg(test)]
mod tests;
