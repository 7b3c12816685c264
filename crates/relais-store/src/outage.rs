//! The outage as a first-class record: when the SaaS went down (possibly before Relais was
//! installed: the paper period), why, and when it came back. Bundles and reports cover it.

use crate::error::{Result, StoreError};
use crate::export::Outage;
use crate::journaled::Journal;
use crate::{Actor, Manager, Store};
use chrono::{TimeZone, Utc};
use relais_core::text;
use relais_core::time::format_instant;
use relais_core::{Body, EventType, Record};
use rusqlite::OptionalExtension;
use serde_json::json;

impl Store {
    /// Local "2026-11-25 08:00" (or a date) in the till's zone, as UTC; default now.
    fn instant_of(&self, local: Option<&str>) -> Result<String> {
        let config = self.require_config()?;
        let Some(text) = local.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(format_instant(self.now()));
        };
        let zone = config.zone;
        let naive = crate::late::parse_local(text).ok_or_else(|| {
            StoreError::Invalid(text!(
                fr: "« {text} » : attendu une date et une heure, par exemple 25/11/2026 08:00",
                en: "{text:?}: expected a date and time such as 2026-11-25 08:00",
            ))
        })?;
        let instant = zone
            .from_local_datetime(&naive)
            .earliest()
            .ok_or_else(|| {
                StoreError::Invalid(text!(
                    fr: "l'heure « {text} » n'existe pas (changement d'heure)",
                    en: format!("{text:?} does not exist in {}", config.timezone),
                ))
            })?
            .with_timezone(&Utc);
        Ok(format_instant(instant))
    }

    fn outage_event(
        &mut self,
        kind: EventType,
        at: String,
        reason: &str,
        by: &Actor,
    ) -> Result<()> {
        self.require_config()?;
        let operator = by.name();
        let message = match kind {
            EventType::OutageStarted => format!(
                "Panne du logiciel principal depuis le {} : {reason}",
                self.local_time(&at)
            ),
            _ => format!("Logiciel principal rétabli le {}", self.local_time(&at)),
        };
        self.write_event(
            Journal(kind, message, json!({"at": at, "reason": reason})),
            operator,
        )?;
        Ok(())
    }

    /// Records when the outage began (default: now) and why.
    pub fn outage_started(
        &mut self,
        at_local: Option<&str>,
        reason: &str,
        by: &Actor,
    ) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid(text!(
                fr: "un motif est obligatoire (par exemple « rançongiciel chez l'hébergeur »)",
                en: "a reason is required (e.g. \"ransomware at the host\")",
            )));
        }
        let at = self.instant_of(at_local)?;
        self.outage_event(EventType::OutageStarted, at, reason.trim(), by)
    }

    /// Records when the SaaS came back (default: now).
    pub fn outage_ended(&mut self, at_local: Option<&str>, by: &Actor) -> Result<()> {
        match self.outage()? {
            None => {
                return Err(StoreError::Invalid(
                    text!(fr: "aucune panne n'a été enregistrée", en: "no outage was recorded"),
                ))
            }
            Some(Outage {
                ended_at: Some(_), ..
            }) => {
                return Err(StoreError::Invalid(text!(
                    fr: "la panne est déjà terminée : enregistrez la suivante avec « outage start »",
                    en: "the outage has already ended: record the next one with `outage start`",
                )))
            }
            Some(_) => {}
        }
        let at = self.instant_of(at_local)?;
        self.outage_event(EventType::OutageEnded, at, "", by)
    }

    /// The last outage recorded, if any.
    pub fn outage(&self) -> Result<Option<Outage>> {
        self.outage_as_of(i64::MAX as u64)
    }

    /// The last outage recorded up to position `until` (what an export of a range ending
    /// there says, however many times it is exported again).
    pub(crate) fn outage_as_of(&self, until: u64) -> Result<Option<Outage>> {
        let event = |name: &str| -> Result<Option<Record>> {
            let body: Option<String> = self
                .conn
                .query_row(
                    "SELECT body FROM ledger WHERE kind = 'event' AND json_extract(body, '$.data.name') = ?1
                       AND pos <= ?2 ORDER BY pos DESC LIMIT 1",
                    rusqlite::params![name, until as i64],
                    |r| r.get(0),
                )
                .optional()?;
            body.map(|b| serde_json::from_str(&b).map_err(|e| StoreError::Corrupt(e.to_string())))
                .transpose()
        };
        let Some(started) = event(EventType::OutageStarted.name())? else {
            return Ok(None);
        };
        let details = |r: &Record, key: &str| match &r.body {
            Body::Event(e) => e.details[key].as_str().unwrap_or_default().to_string(),
            _ => String::new(),
        };
        let ended = event(EventType::OutageEnded.name())?.filter(|e| e.pos > started.pos);
        Ok(Some(Outage {
            started_at: details(&started, "at"),
            reason: details(&started, "reason"),
            ended_at: ended.map(|e| details(&e, "at")),
        }))
    }
}

/// The setting that holds the SaaS status page's address; absent or empty: no check at all.
const STATUS_URL_KEY: &str = "saas_status_url";

impl Store {
    /// The status page of the usual software that the app may check, if a manager set one.
    pub fn saas_status_url(&self) -> Result<Option<String>> {
        Ok(self
            .setting(STATUS_URL_KEY)?
            .filter(|url| !url.trim().is_empty()))
    }

    /// Sets (or, with `None` or an empty text, removes) the status page to check; managers
    /// only, journaled: it is the one network use Relais ever makes.
    pub fn set_saas_status_url(&mut self, url: Option<&str>, by: &Manager) -> Result<()> {
        self.require_config()?;
        let operator = by.name();
        let mut url = url.map(str::trim).unwrap_or_default().to_string();
        if !url.is_empty() && !url.contains("://") {
            // "status.exemple.fr", as people type an address: the web's default scheme.
            url = format!("https://{url}");
        }
        let scheme_ok = url.is_empty()
            || ["http://", "https://"].iter().any(|s| {
                url.get(..s.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(s))
                    && url.len() > s.len()
            });
        if !scheme_ok || url.chars().any(char::is_whitespace) {
            return Err(StoreError::Invalid(text!(
                fr: "« {url} » n'est pas une adresse web (https://…)",
                en: "{url:?} is not a web address (https://…)",
            )));
        }
        let message = if url.is_empty() {
            "Surveillance du logiciel principal désactivée".to_string()
        } else {
            format!("Surveillance du logiciel principal : {url}")
        };
        self.put_setting_journaled(
            STATUS_URL_KEY,
            &url,
            Journal(
                EventType::SettingsChange,
                message,
                json!({ "saas_status_url": url }),
            ),
            operator,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{InitOptions, Store};

    #[test]
    fn the_status_page_is_a_web_address_or_nothing_and_each_change_is_journaled() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store
            .init(&InitOptions {
                shop: relais_core::Shop {
                    name: "Épicerie".into(),
                    ..Default::default()
                },
                till: "T1".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(store.saas_status_url().unwrap(), None, "off by default");
        let records = |store: &mut Store| store.status().unwrap().records;
        // (what the manager types, accepted, what is kept afterwards)
        let cases: [(Option<&str>, bool, Option<&str>); 9] = [
            (
                Some(" https://status.example.fr/api "),
                true,
                Some("https://status.example.fr/api"),
            ),
            (
                Some("HTTP://127.0.0.1:8080/up"),
                true,
                Some("HTTP://127.0.0.1:8080/up"),
            ),
            (
                Some("status.example.fr/api"),
                true,
                Some("https://status.example.fr/api"),
            ),
            (
                Some("ftp://example.fr"),
                false,
                Some("https://status.example.fr/api"),
            ),
            (Some("a b"), false, Some("https://status.example.fr/api")),
            (
                Some("https://"),
                false,
                Some("https://status.example.fr/api"),
            ),
            (
                Some("https://a b.fr"),
                false,
                Some("https://status.example.fr/api"),
            ),
            (Some("  "), true, None),
            (None, true, None),
        ];
        for (typed, accepted, kept) in cases {
            let before = records(&mut store);
            let outcome = store.set_saas_status_url_as(typed, "admin");
            assert_eq!(outcome.is_ok(), accepted, "{typed:?}: {outcome:?}");
            assert_eq!(
                store.saas_status_url().unwrap().as_deref(),
                kept,
                "{typed:?}"
            );
            let journaled = records(&mut store) - before;
            assert_eq!(
                journaled,
                u64::from(accepted),
                "{typed:?}: one event per change"
            );
        }
    }
}
