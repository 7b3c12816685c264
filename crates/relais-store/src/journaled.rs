//! A change and its journal record, written in one transaction: a setting, a rights change or
//! any other journaled act is never left without its event (JET), nor an event without its
//! change, whatever happens between the two.

use crate::dated::{append, NewRecord};
use crate::{Result, Store};
use relais_core::{Body, EventData, EventType};
use rusqlite::Connection;

/// The event that journals a change: its type, its message (French, as the journal shows it)
/// and its details.
pub(crate) struct Journal(pub EventType, pub String, pub serde_json::Value);

impl Store {
    /// Runs `change`, then appends the journal's event signed by `operator`, in one
    /// transaction; the ledger's head is anchored once it is committed.
    pub(crate) fn write_journaled(
        &mut self,
        Journal(kind, message, details): Journal,
        operator: &str,
        change: impl FnOnce(&Connection) -> Result<()>,
    ) -> Result<()> {
        let config = self.require_config()?.clone();
        let now = self.now();
        self.write(|tx| {
            change(tx)?;
            let event = Body::Event(EventData::new(kind, message, details));
            append(tx, &config, now, NewRecord::new(event, operator))?;
            Ok(())
        })?;
        self.after_commit();
        Ok(())
    }

    /// Journals an event that changes nothing else.
    pub(crate) fn write_event(&mut self, journal: Journal, operator: &str) -> Result<()> {
        self.write_journaled(journal, operator, |_| Ok(()))
    }

    /// Saves a setting and journals it, in one transaction.
    pub(crate) fn put_setting_journaled(
        &mut self,
        key: &str,
        value: &str,
        journal: Journal,
        operator: &str,
    ) -> Result<()> {
        self.write_journaled(journal, operator, |tx| crate::settings::put(tx, key, value))
    }
}
