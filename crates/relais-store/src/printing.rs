//! The thermal printer and the cash drawer as the till remembers them: the printer's
//! settings (in the settings table, journaled), which receipts the printer already took (so
//! that the next print is a DUPLICATA), and the drawer opened without a sale (JET 1100,
//! counted by the X report and the Z closure).
//!
//! No bytes go to a printer from here: the store knows no printer (see `relais-printer`).

use crate::error::{Refusal, Result, StoreError};
use crate::journaled::Journal;
use crate::sales::ReprintResult;
use crate::settings::invalid;

use crate::{Actor, Manager, Store};
use relais_core::receipt::ReceiptDoc;
use relais_core::{text, EventType};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// Characters per line the printer's paper takes: 58 mm paper, then 80 mm paper with font
/// B (or a narrower head), then 80 mm with font A.
pub const PRINTER_COLUMNS: [u8; 3] = [32, 42, 48];
/// `ESC t` numbers of the code pages with the € sign: WPC1252, PC858.
pub const PRINTER_CODE_PAGES: [u8; 2] = [16, 19];

const KEY: &str = "printer";

/// How the till drives its receipt printer and the drawer hanging on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrinterSettings {
    /// `tcp://HOST:9100`, `file:///dev/usb/lp0`, `serial:///dev/ttyUSB0?baud=9600`, `spool://NAME` (Windows); empty:
    /// no thermal printer (receipts go through the system's print dialog, the drawer stays
    /// shut).
    pub uri: String,
    /// 32, 42 or 48.
    pub columns: u8,
    /// The `ESC t` number: 16 (WPC1252) or 19 (PC858).
    pub code_page: u8,
    /// Every receipt printed at the end of the sale; off, it is printed on request only
    /// (legal since August 2023).
    pub print_every_receipt: bool,
    /// The drawer opens when a sale paid (partly) in cash is recorded.
    pub drawer_on_cash: bool,
    /// Cashiers may open the drawer outside a sale; otherwise only managers.
    pub cashiers_open_drawer: bool,
}

impl Default for PrinterSettings {
    fn default() -> Self {
        PrinterSettings {
            uri: String::new(),
            columns: 48,
            code_page: 16,
            print_every_receipt: true,
            drawer_on_cash: true,
            cashiers_open_drawer: false,
        }
    }
}

impl PrinterSettings {
    /// The settings trimmed and checked; a bilingual reason for the first thing wrong.
    pub fn validated(&self) -> Result<PrinterSettings> {
        let mut settings = self.clone();
        settings.uri = settings.uri.trim().to_string();
        if let Some(reason) = uri_problem(&settings.uri) {
            return Err(invalid("uri", reason));
        }
        if !PRINTER_COLUMNS.contains(&settings.columns) {
            let columns = settings.columns;
            return Err(invalid(
                "columns",
                text!(
                    fr: "{columns} colonnes : 32 (papier 58 mm), 42 ou 48 (papier 80 mm)",
                    en: "{columns} columns: 32 (58 mm paper), 42 or 48 (80 mm paper)",
                ),
            ));
        }
        if !PRINTER_CODE_PAGES.contains(&settings.code_page) {
            let page = settings.code_page;
            return Err(invalid(
                "code_page",
                text!(
                    fr: "page de code {page} : 16 (WPC1252) ou 19 (CP858), les deux ont le signe €",
                    en: "code page {page}: 16 (WPC1252) or 19 (CP858), both have the € sign",
                ),
            ));
        }
        Ok(settings)
    }
}

/// What is wrong with a printer address, if anything (none set is allowed: no printer).
fn uri_problem(uri: &str) -> Option<relais_core::Text> {
    if uri.is_empty() {
        return None;
    }
    relais_core::PrinterUri::parse(uri)
        .err()
        .map(relais_core::UriProblem::text)
}

/// A receipt to send to the printer: the original, or a DUPLICATA already recorded.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PrintJob {
    pub doc: ReceiptDoc,
    pub duplicate: bool,
}

impl Store {
    /// The printer's settings; the defaults (no printer) when never set.
    pub fn printer_settings(&self) -> Result<PrinterSettings> {
        match self.setting(KEY)? {
            None => Ok(PrinterSettings::default()),
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("printer setting: {e}"))),
        }
    }

    /// Saves the printer's settings (a manager's), journaled (JET 270) in the same
    /// transaction.
    pub fn set_printer_settings(&mut self, settings: &PrinterSettings, by: &Manager) -> Result<()> {
        self.require_config()?;
        let operator = by.name();
        let settings = settings.validated()?;
        let json = serde_json::to_string(&settings)
            .map_err(|e| StoreError::Corrupt(format!("printer setting: {e}")))?;
        let printer = match settings.uri.as_str() {
            "" => "aucune imprimante thermique".to_string(),
            uri => format!("imprimante {uri}, {} colonnes", settings.columns),
        };
        self.put_setting_journaled(KEY, &json, Journal(EventType::SettingsChange, format!("Imprimante de tickets : {printer}"), json!({ "printer_uri": settings.uri, "printer_columns": settings.columns, "printer_code_page": settings.code_page, "print_every_receipt": settings.print_every_receipt, "drawer_on_cash": settings.drawer_on_cash, "cashiers_open_drawer": settings.cashiers_open_drawer, })), operator)?;
        Ok(())
    }

    /// What to print for `reference`: its original receipt while the printer never took it
    /// (nothing written), else a copy recorded as [`Store::reprint`] does, marked DUPLICATA.
    pub fn receipt_to_print(&mut self, reference: &str, by: &Actor) -> Result<PrintJob> {
        let doc = self.receipt_doc(reference)?;
        if !self.was_printed(&doc.id)? {
            return Ok(PrintJob {
                doc,
                duplicate: false,
            });
        }
        let ReprintResult { doc, .. } = self.reprint(reference, by)?;
        Ok(PrintJob {
            doc,
            duplicate: true,
        })
    }

    /// Remembers that the printer took the original receipt of `reference`: every later
    /// print is a duplicate. Bookkeeping, not fiscal data (the duplicates are).
    pub fn mark_printed(&mut self, reference: &str) -> Result<()> {
        let doc = self.receipt_doc(reference)?;
        let now = relais_core::time::format_instant(self.now());
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO printed_receipts (record_id, printed_at) VALUES (?1, ?2)",
                params![doc.id, now],
            )?;
            Ok(())
        })
    }

    fn was_printed(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM printed_receipts WHERE record_id = ?1)")?
            .query_row([id], |r| r.get(0))?)
    }

    /// Journals the drawer opened without a sale (JET 1100): a manager's right, or any
    /// active cashier's when the settings allow it. Counted by the X report and the Z.
    pub fn record_drawer_opened(&mut self, by: &Actor) -> Result<()> {
        self.require_config()?;
        let operator = by.name();
        if !self.printer_settings()?.cashiers_open_drawer && !by.is_manager() {
            return Err(StoreError::Forbidden(Refusal::DrawerManagersOnly(
                operator.to_string(),
            )));
        }
        self.write_event(
            Journal(
                EventType::DrawerOpened,
                format!("Ouverture du tiroir sans vente par {operator}"),
                json!({"staff": operator}),
            ),
            operator,
        )?;
        Ok(())
    }
}

mod reports;

#[cfg(test)]
mod tests;
