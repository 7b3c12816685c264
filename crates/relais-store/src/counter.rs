//! What the counter screen needs beyond sales: first set-up in one step, and tickets parked
//! while a customer fetches something (kept on disk, so a crash loses no cart).

use crate::error::{Result, StoreError};
use crate::staff::Role;
use crate::{Actor, InitOptions, Store};
use relais_core::text;
use relais_core::time::format_instant;
use relais_core::{SaleInput, Shop};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The set-up screen: the shop, the till, and the first manager.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct SetupInput {
    pub shop: Shop,
    pub till: String,
    pub timezone: Option<String>,
    pub manager_name: String,
    pub manager_pin: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ParkedTicket {
    #[ts(type = "number")]
    pub id: i64,
    pub label: String,
    pub operator: String,
    pub parked_at: String,
    pub cart: SaleInput,
}

impl Store {
    /// Sets the till up and creates its first manager. The PIN is checked before anything
    /// is written, so a bad PIN leaves the till as it was.
    pub fn setup(&mut self, input: &SetupInput) -> Result<()> {
        let pin = input.manager_pin.trim();
        if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StoreError::Invalid(
                text!(fr: "un code PIN a de 4 à 8 chiffres", en: "a PIN has 4 to 8 digits"),
            ));
        }
        if input.manager_name.trim().is_empty() {
            return Err(StoreError::Invalid(text!(
                fr: "le nom du responsable est obligatoire",
                en: "the manager's name is required",
            )));
        }
        let options = InitOptions {
            shop: input.shop.clone(),
            till: input.till.clone(),
            timezone: input
                .timezone
                .clone()
                .unwrap_or_else(|| "Europe/Paris".into()),
            operator: input.manager_name.trim().to_string(),
            ..InitOptions::default()
        };
        self.init(&options)?;
        let by = self.own_manager("setup")?;
        self.add_staff(&input.manager_name, Role::Manager, pin, &by)?;
        Ok(())
    }

    /// Sets up a training till to learn on: a demo shop, Marie (manager, PIN 1234) and Paul
    /// (cashier, PIN 5678), and a catalogue of 65 products. Every record is marked as
    /// training data, receipts say so, and nothing of it can be exported.
    pub fn setup_demo(&mut self) -> Result<()> {
        let options = InitOptions {
            shop: Shop {
                name: "Épicerie de démonstration".into(),
                address: "1 place de la Formation, 75000 Paris".into(),
                siret: String::new(),
                vat_number: String::new(),
            },
            till: "DEMO".into(),
            operator: "Marie".into(),
            training: true,
            ..InitOptions::default()
        };
        self.init(&options)?;
        let by = self.own_manager("setup")?;
        self.add_staff("Marie", Role::Manager, "1234", &by)?;
        let by = self.own_manager("Marie")?;
        self.add_staff("Paul", Role::Cashier, "5678", &by)?;
        let catalogue = self.dir.join("catalogue-demo.csv");
        std::fs::write(&catalogue, include_str!("demo-catalogue.csv"))
            .map_err(|e| StoreError::io(&catalogue, e))?;
        let import = crate::catalog::ImportOptions {
            operator: "Marie".into(),
            ..Default::default()
        };
        let by = self.own_manager("Marie")?;
        self.import_catalog(&catalogue, &import, &by)?;
        Ok(())
    }

    /// Puts a cart aside; returns its id.
    pub fn park(&mut self, label: &str, by: &Actor, cart: &SaleInput) -> Result<i64> {
        let operator = by.name();
        let json = serde_json::to_string(cart).map_err(|e| {
            StoreError::Invalid(text!(
                fr: "ticket impossible à mettre en attente : {e}",
                en: "the ticket cannot be parked: {e}",
            ))
        })?;
        let label = label.trim();
        let label = if label.is_empty() {
            "Ticket en attente"
        } else {
            label
        };
        self.conn.execute(
            "INSERT INTO parked_tickets (label, operator, cart, parked_at) VALUES (?1, ?2, ?3, ?4)",
            params![label, operator, json, format_instant(self.now())],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn parked(&self) -> Result<Vec<ParkedTicket>> {
        let mut statement = self.conn.prepare(
            "SELECT id, label, operator, parked_at, cart FROM parked_tickets ORDER BY id",
        )?;
        let rows = statement
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, label, operator, parked_at, cart)| {
                let cart =
                    serde_json::from_str(&cart).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(ParkedTicket {
                    id,
                    label,
                    operator,
                    parked_at,
                    cart,
                })
            })
            .collect()
    }

    /// Takes a parked cart back (and removes it from the list).
    pub fn unpark(&mut self, id: i64) -> Result<ParkedTicket> {
        let found = self.parked()?.into_iter().find(|p| p.id == id);
        let ticket = found.ok_or_else(|| {
            StoreError::NotFound(text!(
                fr: "ticket en attente {id} introuvable",
                en: "no parked ticket {id}",
            ))
        })?;
        self.conn
            .execute("DELETE FROM parked_tickets WHERE id = ?1", [id])?;
        Ok(ticket)
    }

    /// Reloads the till's settings when they were written by another program (the CLI ran
    /// `relais init` while the app was open).
    pub(crate) fn refresh_config(&mut self) -> Result<()> {
        if self.config.is_none() {
            self.config = crate::settings::load(&self.conn)?;
            if let Some(config) = &self.config {
                self.verifier = relais_core::RecordAudit::new(Some(config.till.clone()));
            }
        }
        Ok(())
    }

    /// Local date in the till's zone, as business days are written.
    pub(crate) fn today(&self) -> Option<String> {
        Some(self.config.as_ref()?.local_day(self.now()))
    }

    /// The UTC instant of the last record, if any.
    pub(crate) fn last_record_at(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT at FROM ledger ORDER BY pos DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?)
    }
}
