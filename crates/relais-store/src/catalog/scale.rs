//! Scale and price labels in the store: the shop's table of rules (a setting, journaled), the
//! products' PLU, and what a scanned label sells (the rules and the arithmetic are the
//! core's: `relais_core::catalog::scale`).

use super::{product_by_id, ProductView};
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::{Manager, Store};
use relais_core::catalog::scale::{
    check_rules, default_scale_rules, label_line, read_label, Carries, ScaleLabel, ScaleRule,
};
use relais_core::sale::LineInput;
use relais_core::{text, EventType, Money, Qty, Text};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

/// The settings row holding the table (JSON); absent, the French defaults apply.
const RULES_KEY: &str = "scale_rules";

/// What the counter's scan field found for a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Scanned {
    /// The product: by its barcode, or by the label's PLU.
    pub product: Option<ProductView>,
    /// The code is a scale label (sold at once, never « Nouveau produit »).
    pub scale: Option<ScaleLabel>,
}

/// The shop's rules, else the French defaults.
pub(crate) fn rules_of(conn: &Connection) -> Result<Vec<ScaleRule>> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([RULES_KEY], |r| r.get(0))
        .optional()?;
    match value {
        None => Ok(default_scale_rules()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("setting {RULES_KEY}: {e}"))),
    }
}

pub(crate) fn product_by_plu(conn: &Connection, plu: &str) -> Result<Option<ProductView>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM products WHERE plu = ?1")?
        .query_row([plu], |r| r.get(0))
        .optional()?;
    id.map_or(Ok(None), |id| product_by_id(conn, id))
}

/// The label a code is, with the shop's rules; a label misread (wrong check digit) is refused.
pub(crate) fn label_of(conn: &Connection, code: &str) -> Result<Option<ScaleLabel>> {
    read_label(code, &rules_of(conn)?).map_err(StoreError::Invalid)
}

/// Fills a sale line whose barcode is a scale label (false: it is not one): the product of
/// its PLU at the label's price, or at its weight × the product's price per kilogram; with
/// no product, the rule's department at the label's price. The label decides the price and
/// the quantity: a quantity other than 1 is refused on a weight label (its weight is the
/// quantity). A misread label (wrong check digit) is refused.
pub(crate) fn resolve_label(
    conn: &Connection,
    rules: &[ScaleRule],
    index: usize,
    line: &mut LineInput,
    barcode: &str,
) -> Result<bool> {
    let number = index + 1;
    let at_line = |reason: Text| {
        StoreError::Invalid(Text {
            fr: format!("ligne {number} : {}", reason.fr),
            en: format!("line {number}: {}", reason.en),
        })
    };
    let Some(label) = read_label(barcode, rules).map_err(at_line)? else {
        return Ok(false);
    };
    let product = product_by_plu(conn, &label.plu)?;
    let (qty, price) =
        label_line(&label, product.as_ref().map(|p| Money(p.price_cents))).map_err(at_line)?;
    let given = line.qty.as_ref().map(|q| q.parse());
    let times = match (label.carries, given) {
        (_, None) => Qty::ONE,
        (Carries::Price, Some(Ok(n))) => n,
        (Carries::Weight, Some(Ok(Qty::ONE))) => Qty::ONE,
        (_, Some(_)) => {
            let code = &label.code;
            return Err(at_line(text!(
                fr: "la quantité d'une étiquette de poids est son poids ({code})",
                en: "the quantity of a weight label is its weight ({code})",
            )));
        }
    };
    let qty = match label.carries {
        Carries::Price => times,
        Carries::Weight => qty,
    };
    line.qty = Some(relais_core::sale::QtyInput::Text(qty.decimal('.')));
    line.unit_price_cents = Some(price.0);
    match product {
        Some(product) => {
            line.label = line.label.take().or(Some(product.label));
            line.vat_rate_bp = line.vat_rate_bp.or(Some(product.vat_rate_bp));
            line.sku = line.sku.take().or(product.sku);
            line.department = line.department.take().or(product.department);
        }
        None => {
            let department = super::department(conn, &label.department)?.ok_or_else(|| {
                let (code, prefix) = (&label.department, &label.prefix);
                at_line(text!(
                    fr: "le rayon {code} de la règle du préfixe {prefix} n'existe pas",
                    en: "department {code} of the rule of prefix {prefix} does not exist",
                ))
            })?;
            let plu = &label.plu;
            line.label = line
                .label
                .take()
                .filter(|l| !l.trim().is_empty())
                .or(Some(format!("{} PLU {plu}", department.name)));
            line.vat_rate_bp = line.vat_rate_bp.or(Some(department.vat_rate_bp.0));
            line.department = Some(department.code);
        }
    }
    Ok(true)
}

impl Store {
    /// The table of scale-label rules in force (the French defaults until a manager sets one).
    pub fn scale_rules(&self) -> Result<Vec<ScaleRule>> {
        rules_of(&self.conn)
    }

    /// Replaces the table of rules; managers only, journaled (a settings change) in the same
    /// transaction. Every rule's department must exist.
    pub fn set_scale_rules(&mut self, rules: &[ScaleRule], by: &Manager) -> Result<Vec<ScaleRule>> {
        self.require_config()?;
        let operator = by.name();
        let mut rules = check_rules(rules).map_err(StoreError::Invalid)?;
        for rule in &mut rules {
            // A department named by its name is kept by its code, as the editor lists them.
            match super::department(&self.conn, &rule.department)? {
                Some(department) => rule.department = department.code,
                None => {
                    let (code, prefix) = (&rule.department, &rule.prefix);
                    return Err(StoreError::Invalid(text!(
                        fr: "préfixe {prefix} : le rayon {code} n'existe pas",
                        en: "prefix {prefix}: department {code} does not exist",
                    )));
                }
            }
        }
        let value = serde_json::to_string(&rules).expect("rules serialise");
        let summary: Vec<String> = rules
            .iter()
            .map(|r| {
                let what = match r.carries {
                    Carries::Price => "prix",
                    Carries::Weight => "poids",
                };
                format!("{} {what} {}", r.prefix, r.department)
            })
            .collect();
        self.put_setting_journaled(
            RULES_KEY,
            &value,
            Journal(
                EventType::SettingsChange,
                format!("Étiquettes balance : {}", summary.join(", ")),
                json!({ "scale_rules": rules }),
            ),
            operator,
        )?;
        Ok(rules)
    }

    /// What the counter's scan field sells for a code: the product of that barcode or SKU,
    /// else a scale label (with the product of its PLU, if any). A misread label, or a weight
    /// label whose PLU no product has, is refused here, before anything reaches the cart.
    pub fn scan(&self, code: &str) -> Result<Scanned> {
        if let Some(product) = super::product_by_code(&self.conn, code)? {
            return Ok(Scanned {
                product: Some(product),
                scale: None,
            });
        }
        let Some(label) = label_of(&self.conn, code)? else {
            return Ok(Scanned {
                product: None,
                scale: None,
            });
        };
        let product = product_by_plu(&self.conn, &label.plu)?;
        label_line(&label, product.as_ref().map(|p| Money(p.price_cents)))
            .map_err(StoreError::Invalid)?;
        Ok(Scanned {
            product,
            scale: Some(label),
        })
    }
}

#[cfg(test)]
#[path = "scale_tests.rs"]
mod tests;
