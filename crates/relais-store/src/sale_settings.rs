//! How the counter sells without a catalogue: the department a price typed in the scan
//! field goes to (« 2,50 ⏎ »). One JSON value in `settings`, a manager's, journaled as a
//! `settings_change` (JET 270) in the same transaction.

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

/// The shop's rules for the counter's typed prices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaleSettings {
    /// The code of the department a price typed in the scan field is sold on; empty: the
    /// first department in display order (the first key on the sale screen).
    #[serde(default)]
    pub default_department: String,
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

    /// The department a typed price is sold on: the chosen one, else the first department.
    /// None only when the till has no department at all.
    pub fn default_department(&self) -> Result<Option<Department>> {
        let chosen = self.sale_settings()?.default_department;
        if !chosen.is_empty() {
            if let Some(found) = department(&self.conn, &chosen)? {
                return Ok(Some(found));
            }
        }
        Ok(self.departments()?.into_iter().next())
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
        let saved = SaleSettings {
            default_department: code.clone(),
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
                format!("Prix tapé au clavier vendu sur : {shown}"),
                json!({ "default_department": code }),
            ),
            operator,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
