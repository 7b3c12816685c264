//! The customer display as the till remembers it: on or off (off by default), one JSON value
//! in the settings table, changed by a manager and journaled as a `settings_change` in the
//! same transaction. What the display shows is the app's business (src-tauri opens its
//! window; the UI feeds it): the store only keeps the choice.

use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::{Manager, Store};
use relais_core::EventType;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

const KEY: &str = "customer_display";

/// Whether the till shows the sale to the customer on a second window (a second screen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisplaySettings {
    /// The customer display's window opens with the app (on the second monitor if there is
    /// one); off, there is no such window.
    pub enabled: bool,
}

impl Store {
    /// The customer display's setting; off when never set.
    pub fn display_settings(&self) -> Result<DisplaySettings> {
        match self.setting(KEY)? {
            None => Ok(DisplaySettings::default()),
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("customer display setting: {e}"))),
        }
    }

    /// Managers only; journaled (`settings_change`, `customer_display` in its details).
    pub fn set_display_settings(&mut self, settings: &DisplaySettings, by: &Manager) -> Result<()> {
        self.require_config()?;
        let operator = by.name();
        let json = serde_json::to_string(settings)
            .map_err(|e| StoreError::Corrupt(format!("customer display setting: {e}")))?;
        let said = if settings.enabled {
            "Afficheur client : activé"
        } else {
            "Afficheur client : désactivé"
        };
        self.put_setting_journaled(
            KEY,
            &json,
            Journal(
                EventType::SettingsChange,
                said.to_string(),
                json!({ "customer_display": settings.enabled }),
            ),
            operator,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{hire_marie_and_paul, init_store};

    fn journal_texts(store: &Store) -> Vec<String> {
        store
            .journal(None)
            .unwrap()
            .into_iter()
            .filter(|e| e.name == "settings_change")
            .map(|e| e.message)
            .collect()
    }

    /// Off by default; a manager turns it on and off (each change journaled); a cashier is
    /// refused and changes nothing.
    #[test]
    fn the_customer_display_is_off_by_default_and_a_managers_choice() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        hire_marie_and_paul(&mut store);
        assert_eq!(
            store.display_settings().unwrap(),
            DisplaySettings::default()
        );
        assert!(!DisplaySettings::default().enabled);
        // (operator, enabled asked, outcome: the journal's text or the error kind)
        let cases = [
            ("Marie", true, Ok("Afficheur client : activé")),
            ("Paul", false, Err("forbidden")),
            ("Marie", false, Ok("Afficheur client : désactivé")),
            ("Marie", true, Ok("Afficheur client : activé")),
        ];
        let mut expected = store.display_settings().unwrap();
        for (operator, enabled, outcome) in cases {
            let before = journal_texts(&store);
            let result = store.set_display_settings_as(&DisplaySettings { enabled }, operator);
            let after = journal_texts(&store);
            match (outcome, result) {
                (Ok(said), Ok(())) => {
                    expected = DisplaySettings { enabled };
                    assert_eq!(after.len(), before.len() + 1, "{operator} {enabled}");
                    assert!(after.iter().any(|t| t == said), "{after:?}");
                }
                (Err(kind), Err(e)) => {
                    assert_eq!(e.kind().as_str(), kind, "{operator} {enabled}: {e}");
                    assert_eq!(after, before, "a refusal journals nothing");
                }
                (outcome, result) => {
                    panic!("{operator} {enabled}: expected {outcome:?}, got {result:?}")
                }
            }
            assert_eq!(store.display_settings().unwrap(), expected);
        }
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert!(store.display_settings().unwrap().enabled, "kept on disk");
    }
}
