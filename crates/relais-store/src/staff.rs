//! Staff, PINs and rights. PINs are hashed with argon2id and never stored or logged in clear;
//! failed attempts lock the name out with a growing delay. Every change is journaled.
//!
//! A till with no staff at all (set up from the command line for scripts) accepts any
//! operator name; once one person exists, operators must be active staff and privileged
//! actions need a manager — the operator, or a manager approving with a PIN (an override,
//! journaled with both names).

use crate::error::{Refusal, Result, StoreError};
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

fn hash_pin(pin: &str) -> Result<String> {
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

fn check_pin_format(pin: &str) -> Result<()> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(StoreError::Invalid(
            text!(fr: "un code PIN a de 4 à 8 chiffres", en: "a PIN has 4 to 8 digits"),
        ))
    }
}

struct StaffRow {
    view: StaffView,
    pin_hash: String,
    failed: i64,
    locked_until: Option<String>,
}

fn staff_row(conn: &Connection, name: &str) -> Result<Option<StaffRow>> {
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
    fn staff_write(
        &mut self,
        change: impl FnOnce(&Connection) -> Result<()>,
        journal: Journal,
        operator: &str,
    ) -> Result<()> {
        self.write_journaled(journal, operator, change)
    }

    /// Adds a person. The first person must be a manager; after that, only a manager may
    /// add people (`by` must be one).
    pub fn add_staff(&mut self, name: &str, role: Role, pin: &str, by: &str) -> Result<StaffView> {
        self.require_config()?;
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 40 {
            return Err(StoreError::Invalid(text!(
                fr: "un nom de 1 à 40 caractères est obligatoire",
                en: "a name of 1 to 40 characters is required",
            )));
        }
        check_pin_format(pin)?;
        if has_staff(&self.conn)? {
            self.require_manager(by, None)?;
        } else if role != Role::Manager {
            return Err(StoreError::Invalid(text!(
                fr: "la première personne doit être responsable",
                en: "the first person must be a manager",
            )));
        }
        if staff_row(&self.conn, &name)?.is_some() {
            return Err(StoreError::Invalid(
                text!(fr: "{name} existe déjà", en: "{name} already exists"),
            ));
        }
        let hash = hash_pin(pin)?;
        let at = format_instant(self.now());
        let role_fr = match role {
            Role::Manager => "responsable",
            Role::Cashier => "caissier(ère)",
        };
        self.staff_write(
            |tx| {
                tx.execute(
                    "INSERT INTO staff (name, name_norm, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![name, normalize(&name), role.code(), hash, at],
                )?;
                Ok(())
            },
            Journal(
                EventType::RightsChange,
                format!("{name} ajouté(e) comme {role_fr}"),
                json!({"staff": name, "role": role.code(), "by": by}),
            ),
            by,
        )?;
        Ok(staff_row(&self.conn, &name)?.expect("just added").view)
    }

    /// Disables or re-enables a person (manager only). Their records stay theirs.
    /// Nobody disables themselves, so a till always keeps a manager who can log in.
    pub fn set_staff_active(&mut self, name: &str, active: bool, by: &str) -> Result<StaffView> {
        self.require_manager(by, None)?;
        let row =
            staff_row(&self.conn, name)?.ok_or_else(|| StoreError::NotFound(name.to_string()))?;
        if !active && row.view.role == Role::Manager && row.view.active {
            let managers: i64 = self.conn.query_row(
                "SELECT COUNT(*) FROM staff WHERE role = 'manager' AND active = 1",
                [],
                |r| r.get(0),
            )?;
            if managers <= 1 {
                // Nobody could then close a day, refund or export: the till would be stuck.
                return Err(StoreError::Invalid(text!(
                    fr: "le dernier responsable actif ne peut pas être désactivé : ajoutez d'abord un autre responsable",
                    en: "the last active manager cannot be disabled: add another manager first",
                )));
            }
        }
        if !active && normalize(name) == normalize(by) {
            return Err(StoreError::Forbidden(Refusal::SelfDisable(by.to_string())));
        }
        let verb = if active {
            "réactivé(e)"
        } else {
            "désactivé(e)"
        };
        self.staff_write(
            |tx| {
                tx.execute(
                    "UPDATE staff SET active = ?2 WHERE id = ?1",
                    params![row.view.id, active],
                )?;
                Ok(())
            },
            Journal(
                EventType::RightsChange,
                format!("{} {verb}", row.view.name),
                json!({"staff": row.view.name, "active": active, "by": by}),
            ),
            by,
        )?;
        Ok(StaffView { active, ..row.view })
    }

    /// Sets a new PIN: by the person themselves, or by a manager.
    pub fn change_pin(&mut self, name: &str, new_pin: &str, by: &str) -> Result<()> {
        check_pin_format(new_pin)?;
        let row =
            staff_row(&self.conn, name)?.ok_or_else(|| StoreError::NotFound(name.to_string()))?;
        if normalize(by) != normalize(&row.view.name) {
            self.require_manager(by, None)?;
        }
        let hash = hash_pin(new_pin)?;
        self.staff_write(
            |tx| {
                tx.execute(
                    "UPDATE staff SET pin_hash = ?2, failed_attempts = 0, locked_until = NULL WHERE id = ?1",
                    params![row.view.id, hash],
                )?;
                Ok(())
            },
            Journal(
                EventType::RightsChange,
                format!("Code PIN de {} changé", row.view.name),
                json!({"staff": row.view.name, "by": by}),
            ),
            by,
        )
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

    /// The role of an active staff member, `None` for anyone else.
    pub(crate) fn role_of(&self, name: &str) -> Result<Option<Role>> {
        Ok(staff_row(&self.conn, name)?
            .filter(|row| row.view.active)
            .map(|row| row.view.role))
    }

    /// The operator of an ordinary action (a sale): any active staff member, or any name on a
    /// till without staff.
    pub fn check_operator(&self, operator: &str) -> Result<()> {
        if !has_staff(&self.conn)? {
            return Ok(());
        }
        match staff_row(&self.conn, operator)? {
            Some(row) if row.view.active => Ok(()),
            _ => Err(StoreError::Forbidden(Refusal::NotStaff(
                operator.to_string(),
            ))),
        }
    }

    /// The manager a privileged action needs: the operator, if a manager, else the approving
    /// manager authenticated by PIN. Returns the approver's name when it is an override.
    pub fn require_manager(
        &mut self,
        operator: &str,
        approval: Option<&Approval>,
    ) -> Result<Option<String>> {
        if !has_staff(&self.conn)? {
            return Ok(None);
        }
        if let Some(row) = staff_row(&self.conn, operator)? {
            if row.view.active && row.view.role == Role::Manager {
                return Ok(None);
            }
        }
        let Some(approval) = approval else {
            return Err(StoreError::Forbidden(Refusal::ManagerNeeded(
                operator.to_string(),
            )));
        };
        let manager = self.authenticate(&approval.manager, &approval.pin)?;
        if manager.role != Role::Manager {
            return Err(StoreError::Forbidden(Refusal::NotAManager(manager.name)));
        }
        Ok(Some(manager.name))
    }

    /// Journals a manager's override of a cashier's action (JET 130).
    pub(crate) fn journal_override(
        &mut self,
        operator: &str,
        manager: &str,
        action: &str,
        number: &str,
    ) -> Result<()> {
        self.journal_event(
            EventType::RightsChange,
            format!("{manager} autorise {action} {number} pour {operator}"),
            json!({"override": true, "operator": operator, "manager": manager, "action": action, "record": number}),
            operator,
        )
    }
}

#[cfg(test)]
mod tests;
