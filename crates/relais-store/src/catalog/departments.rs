//! Departments managed from the app by a manager: added, renamed, their VAT rate changed
//! (`Store::set_department`, checked here for the manager's right), and their order on the
//! counter's keys. Each change is journaled (JET 270, `settings_change`).

use super::departments_of;
use crate::actor::Manager;
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::Store;
use relais_core::catalog::Department;
use relais_core::{text, EventType};
use rusqlite::{params, OptionalExtension};
use serde_json::json;

impl Store {
    /// `set_department` for the app: a manager's change only.
    pub fn manage_department(
        &mut self,
        code: &str,
        name: &str,
        vat_rate_bp: u32,
        by: &Manager,
    ) -> Result<Department> {
        self.set_department(code, name, vat_rate_bp, by.actor())
    }

    /// Moves a department one place earlier (`earlier`) or later among the counter's keys
    /// (a manager's change); the first cannot go earlier nor the last later. Answers the
    /// departments in their new order.
    pub fn move_department(
        &mut self,
        code: &str,
        earlier: bool,
        by: &Manager,
    ) -> Result<Vec<Department>> {
        self.require_config()?;
        let operator = by.name();
        let order = departments_of(&self.conn)?;
        let index = order.iter().position(|d| d.code == code).ok_or_else(|| {
            StoreError::NotFound(text!(fr: "rayon {code} introuvable", en: "no department {code}"))
        })?;
        let other = if earlier {
            index.checked_sub(1)
        } else {
            Some(index + 1).filter(|i| *i < order.len())
        };
        let Some(other) = other else {
            return Ok(order);
        };
        let (moved, swapped) = (order[index].code.clone(), order[other].code.clone());
        self.write_journaled(
            Journal(
                EventType::SettingsChange,
                format!(
                    "Rayon {moved} placé {} {swapped}",
                    if earlier { "avant" } else { "après" }
                ),
                json!({"department": moved, "department_position": other + 1}),
            ),
            operator,
            |tx| {
                let position = |code: &str| -> Result<i64> {
                    Ok(tx
                        .query_row(
                            "SELECT position FROM departments WHERE code = ?1",
                            [code],
                            |r| r.get(0),
                        )
                        .optional()?
                        .unwrap_or(0))
                };
                let (a, b) = (position(&moved)?, position(&swapped)?);
                // Equal positions (older tills) are told apart by the order read above.
                let (a, b) = if a == b {
                    (index as i64, other as i64)
                } else {
                    (a, b)
                };
                tx.execute(
                    "UPDATE departments SET position = ?2 WHERE code = ?1",
                    params![moved, b],
                )?;
                tx.execute(
                    "UPDATE departments SET position = ?2 WHERE code = ?1",
                    params![swapped, a],
                )?;
                Ok(())
            },
        )?;
        departments_of(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::{hire_marie_and_paul, init_store};
    use crate::ErrorKind;

    fn codes(store: &crate::Store) -> Vec<String> {
        store
            .departments()
            .unwrap()
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn a_manager_orders_and_changes_departments() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        hire_marie_and_paul(&mut store);
        assert_eq!(
            codes(&store),
            ["DIVERS", "ALIM", "LIVRES", "PRESSE", "RESTO"]
        );
        // (department, earlier, operator, the order after, or the refusal's kind)
        type Case<'a> = (&'a str, bool, &'a str, Result<[&'a str; 5], ErrorKind>);
        let cases: &[Case] = &[
            (
                "ALIM",
                true,
                "Marie",
                Ok(["ALIM", "DIVERS", "LIVRES", "PRESSE", "RESTO"]),
            ),
            (
                "ALIM",
                true,
                "Marie",
                Ok(["ALIM", "DIVERS", "LIVRES", "PRESSE", "RESTO"]),
            ),
            (
                "RESTO",
                false,
                "Marie",
                Ok(["ALIM", "DIVERS", "LIVRES", "PRESSE", "RESTO"]),
            ),
            (
                "DIVERS",
                false,
                "Marie",
                Ok(["ALIM", "LIVRES", "DIVERS", "PRESSE", "RESTO"]),
            ),
            ("PRESSE", true, "Paul", Err(ErrorKind::Forbidden)),
            ("NOPE", true, "Marie", Err(ErrorKind::NotFound)),
        ];
        for (code, earlier, operator, expected) in cases {
            let result = store.move_department_as(code, *earlier, operator);
            match (expected, result) {
                (Ok(order), Ok(got)) => {
                    let got: Vec<_> = got.into_iter().map(|d| d.code).collect();
                    assert_eq!(got, order.to_vec(), "{code} {earlier}");
                    assert_eq!(codes(&store), order.to_vec());
                }
                (Err(kind), Err(e)) => assert_eq!(e.kind(), *kind, "{code}: {e}"),
                (expected, got) => panic!("{code}: expected {expected:?}, got {got:?}"),
            }
        }
        let renamed = store
            .manage_department_as("alim", "Épicerie", 550, "Marie")
            .unwrap();
        assert_eq!(
            (renamed.code.as_str(), renamed.name.as_str()),
            ("ALIM", "Épicerie")
        );
        let added = store
            .manage_department_as("FLEURS", "Fleurs", 1000, "Marie")
            .unwrap();
        assert_eq!(added.vat_rate_bp.0, 1000);
        assert_eq!(codes(&store).last().map(String::as_str), Some("FLEURS"));
        let refused = store.manage_department_as("FLEURS", "Fleurs", 1000, "Paul");
        assert_eq!(refused.unwrap_err().kind(), ErrorKind::Forbidden);
    }
}
