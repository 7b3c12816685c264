//! Changes to the staff: a person added, disabled or enabled again, a PIN changed. Each is
//! an act of someone the store has checked (`Manager` to add or disable people, `Actor` to
//! change one's own PIN), written with its journal event in one transaction.

use crate::error::{Refusal, Result, StoreError};
use crate::journaled::Journal;
use crate::staff::{check_pin_format, has_staff, hash_pin, staff_row, Role, StaffView};
use crate::{Actor, Manager, Store};
use relais_core::catalog::normalize;
use relais_core::text;
use relais_core::time::format_instant;
use relais_core::EventType;
use rusqlite::params;
use serde_json::json;

impl Store {
    /// Adds a person. The first person must be a manager; after that, only a manager may
    /// add people (`by` must be one: on a till without staff, anyone holds that proof).
    pub fn add_staff(
        &mut self,
        name: &str,
        role: Role,
        pin: &str,
        by: &Manager,
    ) -> Result<StaffView> {
        let by = by.name();
        self.require_config()?;
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 40 {
            return Err(StoreError::Invalid(text!(
                fr: "un nom de 1 à 40 caractères est obligatoire",
                en: "a name of 1 to 40 characters is required",
            )));
        }
        check_pin_format(pin)?;
        if !has_staff(&self.conn)? && role != Role::Manager {
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
    pub fn set_staff_active(
        &mut self,
        name: &str,
        active: bool,
        by: &Manager,
    ) -> Result<StaffView> {
        let by = by.name();
        let row = staff_row(&self.conn, name)?.ok_or_else(|| StoreError::no_record(name))?;
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
    pub fn change_pin(&mut self, name: &str, new_pin: &str, by: &Actor) -> Result<()> {
        check_pin_format(new_pin)?;
        let row = staff_row(&self.conn, name)?.ok_or_else(|| StoreError::no_record(name))?;
        if !by.is(&row.view.name) {
            self.manager(by, None)?;
        }
        let by = by.name();
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
}
