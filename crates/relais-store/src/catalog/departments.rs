//! Departments managed from the app by a manager: added, renamed, their VAT rate changed
//! (`Store::set_department`, checked here for the manager's right), and their order on the
//! counter's keys, and hidden (`Store::hide_department`: no key at the counter; its products,
//! the sales on it and the exports stay). Each change is journaled (JET 270,
//! `settings_change`).

use super::{department, departments_of};
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

    /// Hides a department from the counter's keys (`hidden`), or shows it again: a manager's
    /// change, journaled. Its products are still sold by scan and search, and a hidden
    /// department is still what its past sales and the exports name. Answers the department.
    pub fn hide_department(
        &mut self,
        code: &str,
        hidden: bool,
        by: &Manager,
    ) -> Result<Department> {
        self.require_config()?;
        let operator = by.name();
        let no_department = |code: &str| {
            StoreError::NotFound(text!(fr: "rayon {code} introuvable", en: "no department {code}"))
        };
        let found = department(&self.conn, code)?.ok_or_else(|| no_department(code))?;
        if found.hidden == hidden {
            return Ok(found);
        }
        let code = found.code.clone();
        let message = if hidden {
            format!("Rayon {code} masqué à la caisse")
        } else {
            format!("Rayon {code} de nouveau à la caisse")
        };
        self.write_journaled(
            Journal(
                EventType::SettingsChange,
                message,
                json!({"department": code, "hidden": hidden}),
            ),
            operator,
            |tx| {
                tx.execute(
                    "UPDATE departments SET hidden = ?2 WHERE code = ?1",
                    params![code, i64::from(hidden)],
                )?;
                Ok(())
            },
        )?;
        department(&self.conn, &code)?.ok_or_else(|| no_department(&code))
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
        // Another department's name (accents and case aside) is refused in words, not by
        // the database; a department keeps its own name when its rate changes.
        let taken = store
            .manage_department_as("BOUQUETS", "FLEURS", 1000, "Marie")
            .unwrap_err();
        assert_eq!(taken.kind(), ErrorKind::InvalidInput, "{taken}");
        assert!(taken.to_string().contains("FLEURS"), "{taken}");
        let kept = store
            .manage_department_as("FLEURS", "Fleurs", 2000, "Marie")
            .unwrap();
        assert_eq!(kept.vat_rate_bp.0, 2000);
    }

    #[test]
    fn a_hidden_department_leaves_the_counter_but_its_sales_stay() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        hire_marie_and_paul(&mut store);
        let on_alim: relais_core::SaleInput = serde_json::from_value(serde_json::json!({
            "operator": "Paul",
            "lines": [{"department": "ALIM", "unit_price_cents": 250}],
            "payments": [{"method": "cash", "tendered_cents": 100000}],
        }))
        .unwrap();
        store.record_sale_as(&on_alim, None).unwrap();
        let chosen = crate::SaleSettings {
            default_department: "ALIM".into(),
            ..crate::SaleSettings::default()
        };
        store.set_sale_settings_as(&chosen, "Marie").unwrap();
        let hidden = |store: &crate::Store| -> Vec<String> {
            let all = store.departments().unwrap();
            all.into_iter()
                .filter(|d| d.hidden)
                .map(|d| d.code)
                .collect()
        };
        // (department, hide, operator, the hidden ones after, or the refusal's kind)
        type Case<'a> = (&'a str, bool, &'a str, Result<&'a [&'a str], ErrorKind>);
        let cases: &[Case] = &[
            ("alim", true, "Marie", Ok(&["ALIM"])),
            ("ALIM", true, "Marie", Ok(&["ALIM"])),
            ("Presse", true, "Marie", Ok(&["ALIM", "PRESSE"])),
            ("PRESSE", false, "Paul", Err(ErrorKind::Forbidden)),
            ("PRESSE", false, "Marie", Ok(&["ALIM"])),
            ("NOPE", true, "Marie", Err(ErrorKind::NotFound)),
        ];
        for (code, hide, operator, expected) in cases {
            let journaled = store.journal(None).unwrap().len();
            let result = store.hide_department_as(code, *hide, operator);
            let after = store.journal(None).unwrap().len();
            match (expected, result) {
                (Ok(expected), Ok(department)) => {
                    assert_eq!(department.hidden, *hide, "{code}");
                    assert_eq!(hidden(&store), expected.to_vec(), "{code} {hide}");
                }
                (Err(kind), Err(e)) => {
                    assert_eq!(e.kind(), *kind, "{code}: {e}");
                    assert_eq!(after, journaled, "nothing journaled: {code}");
                }
                (expected, got) => panic!("{code}: expected {expected:?}, got {got:?}"),
            }
        }
        let events = store.journal(None).unwrap();
        assert!(
            events
                .iter()
                .any(|e| e.code == 270 && e.message == "Rayon ALIM masqué à la caisse"),
            "journaled"
        );
        // Its key is gone, so a typed price goes to the first department shown…
        assert_eq!(store.default_department().unwrap().unwrap().code, "DIVERS");
        // …but it is still listed (for Réglages), named by its past sales, and sold on by
        // code (its products keep it).
        assert_eq!(codes(&store).len(), 5);
        store.record_sale_as(&on_alim, None).unwrap();
        assert_eq!(store.status().unwrap().sales, 2);
        store.hide_department_as("ALIM", false, "Marie").unwrap();
        assert_eq!(store.default_department().unwrap().unwrap().code, "ALIM");
    }
}
