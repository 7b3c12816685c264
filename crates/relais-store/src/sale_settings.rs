//! How the counter sells: the department a price typed in the scan field goes to
//! (« 2,50 ⏎ »), and the discount above which a manager must approve (`discounts.rs`). One
//! JSON value in `settings`, a manager's, journaled as a `settings_change` (JET 270) in the
//! same transaction.

use crate::catalog::department;
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::settings::invalid;
use crate::{Manager, Store};
use relais_core::catalog::Department;
use relais_core::{text, EventType};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

const KEY: &str = "sale";

/// The default threshold of discounts a cashier gives alone: 20 % of what it applies to…
pub const DISCOUNT_APPROVAL_PERCENT: u32 = 20;
/// …or 20,00 €, whichever is exceeded first.
pub const DISCOUNT_APPROVAL_CENTS: i64 = 2000;

fn default_percent() -> u32 {
    DISCOUNT_APPROVAL_PERCENT
}

fn default_cents() -> i64 {
    DISCOUNT_APPROVAL_CENTS
}

/// The shop's rules for the counter's typed prices and discounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleSettings {
    /// The code of the department a price typed in the scan field is sold on; empty: the
    /// first department in display order (the first key on the sale screen).
    #[serde(default)]
    pub default_department: String,
    /// A discount above this percentage (whole percent, 0 to 100) of its line, or of the
    /// ticket for a ticket discount, needs a manager's approval.
    #[serde(default = "default_percent")]
    pub discount_approval_percent: u32,
    /// A discount above this amount needs a manager's approval.
    #[serde(default = "default_cents")]
    #[ts(type = "number")]
    pub discount_approval_cents: i64,
}

impl Default for SaleSettings {
    fn default() -> SaleSettings {
        SaleSettings {
            default_department: String::new(),
            discount_approval_percent: DISCOUNT_APPROVAL_PERCENT,
            discount_approval_cents: DISCOUNT_APPROVAL_CENTS,
        }
    }
}

impl Store {
    /// The counter's rules; the defaults when never set.
    pub fn sale_settings(&self) -> Result<SaleSettings> {
        match self.setting(KEY)? {
            None => Ok(SaleSettings::default()),
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("sale setting: {e}"))),
        }
    }

    /// The department a typed price is sold on: the chosen one, else the first department
    /// the counter shows (a hidden one has no key). None when the counter shows none.
    pub fn default_department(&self) -> Result<Option<Department>> {
        let chosen = self.sale_settings()?.default_department;
        if !chosen.is_empty() {
            if let Some(found) = department(&self.conn, &chosen)?.filter(|d| !d.hidden) {
                return Ok(Some(found));
            }
        }
        Ok(self.departments()?.into_iter().find(|d| !d.hidden))
    }

    /// Saves the counter's rules (a manager's); the department must exist. Journaled
    /// (JET 270) in the same transaction.
    pub fn set_sale_settings(&mut self, settings: &SaleSettings, by: &Manager) -> Result<()> {
        self.require_config()?;
        let operator = by.name();
        let chosen = settings.default_department.trim();
        let code = if chosen.is_empty() {
            String::new()
        } else {
            match department(&self.conn, chosen)? {
                Some(found) => found.code,
                None => {
                    return Err(invalid(
                        "default_department",
                        text!(
                            fr: "le rayon « {chosen} » n'existe pas",
                            en: "there is no department « {chosen} »",
                        ),
                    ))
                }
            }
        };
        if settings.discount_approval_percent > 100 {
            return Err(invalid(
                "discount_approval_percent",
                text!(
                    fr: "le seuil des remises est un pourcentage de 0 à 100",
                    en: "the discount threshold is a percentage from 0 to 100",
                ),
            ));
        }
        let cents = settings.discount_approval_cents;
        if !(0..=relais_core::bounds::MAX_AMOUNT_CENTS).contains(&cents) {
            return Err(invalid(
                "discount_approval_cents",
                text!(
                    fr: "le seuil des remises en euros est un montant positif",
                    en: "the discount threshold in euros is a positive amount",
                ),
            ));
        }
        let percent = settings.discount_approval_percent;
        let saved = SaleSettings {
            default_department: code.clone(),
            discount_approval_percent: percent,
            discount_approval_cents: cents,
        };
        let json = serde_json::to_string(&saved)
            .map_err(|e| StoreError::Corrupt(format!("sale setting: {e}")))?;
        let shown = if code.is_empty() {
            "le premier rayon"
        } else {
            code.as_str()
        };
        self.put_setting_journaled(
            KEY,
            &json,
            Journal(
                EventType::SettingsChange,
                format!(
                    "Prix tapé au clavier vendu sur : {shown} ; remises validées par un responsable au-delà de {percent} % ou {} €",
                    relais_core::Money(cents)
                ),
                json!({ "default_department": code, "discount_approval_percent": percent, "discount_approval_cents": cents }),
            ),
            operator,
        )?;
        Ok(())
    }
}

pub(crate) mod discounts;
pub(crate) use discounts::DiscountApproved;

#[cfg(test)]
mod tests;
