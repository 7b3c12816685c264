//! Staff, PINs and rights. PINs are hashed with argon2id and never stored or logged in clear;
//! failed attempts lock the name out with a growing delay. Every change is journaled.
//!
//! A till with no staff at all (set up from the command line for scripts) accepts any
//! operator name; once one person exists, operators must be active staff and privileged
//! actions need a manager — the operator, or a manager approving with a PIN (an override,
//! journaled with both names).

use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::Store;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand_core::RngCore;
use relais_core::catalog::normalize;
use relais_core::text;
use relais_core::time::{format_instant, parse_instant};
use relais_core::EventType;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Cashier,
    Manager,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Manager => "manager",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match normalize(text).as_str() {
            "cashier" | "caissier" | "caissiere" | "vendeur" | "vendeuse" => Some(Role::Cashier),
            "manager" | "responsable" | "gerant" | "gerante" => Some(Role::Manager),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StaffView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

/// A manager's approval of a privileged action done by someone else.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct Approval {
    pub manager: String,
    pub pin: String,
}

/// Failed PIN attempts allowed before the name is locked out.
const FREE_ATTEMPTS: i64 = 3;
/// Lock-out after the first attempt over the limit; doubles each time, up to the maximum.
const FIRST_LOCKOUT_SECONDS: i64 = 30;
const MAX_LOCKOUT_SECONDS: i64 = 15 * 60;

pub(crate) fn hash_pin(pin: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Key(e.to_string()))?;
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| StoreError::Key(e.to_string()))?
        .to_string())
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
    })
}

pub(crate) fn check_pin_format(pin: &str) -> Result<()> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(StoreError::Invalid(
            text!(fr: "un code PIN a de 4 à 8 chiffres", en: "a PIN has 4 to 8 digits"),
        ))
    }
}

pub(crate) struct StaffRow {
    pub(crate) view: StaffView,
    pin_hash: String,
    failed: i64,
    locked_until: Option<String>,
}

pub(crate) fn staff_row(conn: &Connection, name: &str) -> Result<Option<StaffRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name, role, active, pin_hash, failed_attempts, locked_until FROM staff WHERE name_norm = ?1",
        )?
        .query_row(
            [normalize(name)],
            |r| {
                let role: String = r.get(2)?;
                Ok(StaffRow {
                    view: StaffView {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        role: if role == "manager" { Role::Manager } else { Role::Cashier },
                        active: r.get(3)?,
                    },
                    pin_hash: r.get(4)?,
                    failed: r.get(5)?,
                    locked_until: r.get(6)?,
                })
            },
        )
        .optional()?)
}

pub(crate) fn has_staff(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM staff)")?
        .query_row([], |r| r.get(0))?)
}

fn lockout_for(failed: i64) -> Duration {
    let over = (failed - FREE_ATTEMPTS).clamp(0, 10) as u32;
    Duration::seconds((FIRST_LOCKOUT_SECONDS << over).min(MAX_LOCKOUT_SECONDS))
}

impl Store {
    pub fn staff(&self) -> Result<Vec<StaffView>> {
        let mut statement = self
            .conn
            .prepare("SELECT name FROM staff ORDER BY name_norm")?;
        let names: Vec<String> = statement
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        names
            .iter()
            .map(|n| staff_row(&self.conn, n).map(|row| row.expect("listed").view))
            .collect()
    }

    fn journal_event(
        &mut self,
        kind: EventType,
        message: String,
        details: serde_json::Value,
        operator: &str,
    ) -> Result<()> {
        self.write_event(Journal(kind, message, details), operator)
    }

    /// Runs `change` and journals it in one transaction: a rights change is never left
    /// without its journal record, whatever happens between the two.
    pub(crate) fn staff_write(
        &mut self,
        change: impl FnOnce(&Connection) -> Result<()>,
        journal: Journal,
        operator: &str,
    ) -> Result<()> {
        self.write_journaled(journal, operator, change)
    }

    /// Checks a name and PIN, with lock-out after repeated failures (each failure journaled).
    pub fn authenticate(&mut self, name: &str, pin: &str) -> Result<StaffView> {
        let row = staff_row(&self.conn, name)?.ok_or(StoreError::BadCredentials)?;
        if !row.view.active {
            return Err(StoreError::BadCredentials);
        }
        let now = self.now();
        if let Some(until) = row.locked_until.as_deref().and_then(parse_instant) {
            if until > now {
                return Err(StoreError::LockedOut {
                    seconds: (until - now).num_seconds().max(1),
                });
            }
        }
        if pin_matches(pin, &row.pin_hash) {
            if row.failed > 0 {
                self.conn.execute(
                    "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
                    [row.view.id],
                )?;
            }
            return Ok(row.view);
        }
        self.record_failure(&row, now)?;
        Err(StoreError::BadCredentials)
    }

    fn record_failure(&mut self, row: &StaffRow, now: DateTime<Utc>) -> Result<()> {
        let failed = row.failed + 1;
        let locked_until =
            (failed >= FREE_ATTEMPTS).then(|| format_instant(now + lockout_for(failed)));
        let details = json!({"staff": row.view.name, "failed_attempts": failed, "locked_until": locked_until});
        self.staff_write(
            |tx| {
                tx.execute(
                    "UPDATE staff SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
                    params![row.view.id, failed, locked_until],
                )?;
                Ok(())
            },
            Journal(
                EventType::LoginFailed,
                format!("Code PIN erroné pour {} ({failed} échec(s))", row.view.name),
                details,
            ),
            "system",
        )
    }

    /// Opens a session at the counter (JET 80).
    pub fn login(&mut self, name: &str, pin: &str) -> Result<StaffView> {
        let staff = self.authenticate(name, pin)?;
        self.journal_event(
            EventType::Login,
            format!("Connexion de {}", staff.name),
            json!({"staff": staff.name, "role": staff.role.code()}),
            &staff.name,
        )?;
        Ok(staff)
    }

    /// Closes a session (JET 40).
    pub fn logout(&mut self, name: &str) -> Result<()> {
        self.journal_event(
            EventType::Logout,
            format!("Déconnexion de {name}"),
            json!({"staff": name}),
            name,
        )
    }
}

/// A manager's override of a cashier's action (JET 130), appended by the caller in the
/// action's own transaction: the act and who approved it are written together or not at all.
pub(crate) fn override_event(
    operator: &str,
    manager: &str,
    action: &str,
    number: &str,
) -> relais_core::EventData {
    relais_core::EventData::new(
        EventType::RightsChange,
        format!("{manager} autorise {action} {number} pour {operator}"),
        json!({"override": true, "operator": operator, "manager": manager, "action": action, "record": number}),
    )
}

#[cfg(test)]
mod tests;
