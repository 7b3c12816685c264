//! poslog.xml from the ledger: a second streaming pass over the range's tickets into the
//! bundle's [`PoslogWriter`].

use crate::error::{Result, StoreError};
use crate::ledger::{stored_from_row, ROW_COLUMNS};
use crate::Store;
use relais_bundle::{BundleFile, PoslogWriter};
use relais_core::record::Record;
use std::path::Path;

impl Store {
    /// Writes poslog.xml for the positions `from..=to`: its tickets and deposits.
    pub(super) fn write_poslog(&self, folder: &Path, from: u64, to: u64) -> Result<BundleFile> {
        let shop = &self.require_config()?.shop.name;
        let mut out = PoslogWriter::create(folder, shop)?;
        let sql =
            format!("SELECT {ROW_COLUMNS} FROM ledger WHERE pos >= ?1 AND pos <= ?2 AND kind IN ('sale', 'refund', 'void', 'deposit') ORDER BY pos");
        let mut statement = self.conn.prepare(&sql)?;
        let mut rows = statement.query([from, to])?;
        while let Some(row) = rows.next()? {
            let stored = stored_from_row(row)?;
            let record: Record = serde_json::from_str(&stored.body)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push(&record)?;
        }
        Ok(out.finish()?)
    }
}
