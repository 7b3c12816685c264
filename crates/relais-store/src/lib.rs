//! Relais storage: one SQLite database per till in a data directory, holding the hash-chained
//! ledger and the till's settings.
//!
//! Durability: WAL journal, `synchronous=FULL`, and every write is one `BEGIN IMMEDIATE`
//! transaction; a method returns only after SQLite's commit (and its fsync) has returned, so a
//! record that was acknowledged survives a crash or a power cut.

mod abandoned;
mod actor;
pub mod archive;
pub mod avoirs;
pub mod backup;
pub mod catalog;
mod corrections;
mod counter;
mod dated;
mod day;
mod day_tickets;
mod disk;
mod display;
mod error;
pub mod export;
mod journaled;
mod keys;
mod late;
mod ledger;
mod lost_tail;
mod orders;
mod outage;
mod paper;
pub mod peers;
pub mod plural;
mod printing;
mod reentry;
mod sale_settings;
mod sales;
mod schema;
mod session;
mod settings;
mod setup;
mod staff;
mod staff_changes;
mod status;
pub mod tax_audit;

pub use abandoned::Abandoned;
pub use actor::{Actor, Manager};
pub use avoirs::{
    AvoirSettings, AvoirStatus, AvoirUseView, AvoirView, ExternalVoucherInput, ExternalVoucherView,
    IssueAvoirInput, RedeemInput, SellVoucherInput,
};
pub use corrections::{RefundInput, RefundLineInput, ReturnableLine, SaleForReturn};
pub use counter::{ParkedTicket, SetupInput};
pub use day::{CloseDayInput, ClosureReport, OpenDayInput, XReport};
pub use day_tickets::{DayTickets, TicketSummary, DAY_TICKETS_MAX};
pub use display::DisplaySettings;
pub use error::{ErrorKind, Refusal, Result, StoreError};
pub use ledger::{LostTail, VerifyReport, HEAD_FILE};
pub use orders::{OrderFilter, OrderHistoryEntry, OrderLineView, OrderView};
pub use paper::{PaperDay, PaperOptions, PaperReport};
pub use peers::{
    valid_lan_listen, Invitation, PeerBatch, PeerView, PriceListOffer, ShopConflict, ShopExport,
    ShopExportTill, ShopX, TillX, DEFAULT_LAN_LISTEN,
};
pub use printing::{PrintJob, PrinterSettings, PRINTER_CODE_PAGES, PRINTER_COLUMNS};
pub use reentry::{ReentryCount, ReentryImport, ReentryItem, ReentryLeft, ReentryStatus};
pub use sale_settings::SaleSettings;
pub use sales::{Recorded, ReprintResult, SaleOptions};
pub use settings::{InitOptions, InitReport, TillConfig};
pub use staff::{Approval, Role, StaffView};
pub use status::{ChainStatus, JournalEntry, Status};

use chrono::{DateTime, Utc};
use relais_core::text;
use relais_core::RecordAudit;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};

/// The database file inside a data directory.
pub const DB_FILE: &str = "relais.db";
/// The software version written into start-up events and receipts.
pub const SOFTWARE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The data directory: `explicit` (the `--data-dir` flag), else `RELAIS_DATA_DIR`, else the
/// operating system's application-data folder (`~/.local/share/relais` on Linux).
pub fn resolve_data_dir(explicit: Option<PathBuf>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir;
    }
    if let Some(dir) = std::env::var_os("RELAIS_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("fr", "Relais", "relais")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("relais-data"))
}

type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;

/// An open till: the database connection and what it knows of the till.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    config: Option<TillConfig>,
    clock: Clock,
    /// Incremental verification state for the status bar; `relais verify` walks everything.
    verifier: RecordAudit,
    /// The catalogue searches' own connection: see [`Store::searcher`].
    searcher: std::cell::OnceCell<Connection>,
    /// From how many products a first import leaves its indexing for after it (see
    /// `catalog::index`); lowered by tests.
    index_after: u64,
    /// Each paired till's audit where the last batch received left it (`peers.rs`), so the
    /// batches of one catch-up are audited as one chain (closure totals included).
    peer_audits: std::collections::BTreeMap<String, RecordAudit>,
}

/// How much of the database file the search connection maps: more than a million-product
/// catalogue's tables and index (about 600 MB).
const SEARCH_MMAP_BYTES: i64 = 1 << 30;

impl Store {
    /// Opens (creating if needed) the data directory and its database, and brings the schema
    /// up to date.
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_database(dir).map_err(|e| e.or_disk_full(dir))
    }

    fn open_database(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let path = dir.join(DB_FILE);
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // A sale runs a dozen statements; parsing them again for each sale cost more CPU
        // than the sale's own work. Room for those and the catalogue's lookups.
        conn.set_prepared_statement_cache_capacity(64);
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            let path = path.display();
            return Err(StoreError::Invalid(text!(
                fr: "{path} : le système de fichiers refuse le mode WAL ({mode})",
                en: "{path}: the file system refused WAL mode ({mode})",
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrations().to_latest(&mut conn)?;
        let mut config = settings::load(&conn)?;
        if let Some(config) = &mut config {
            config.lost_tail = lost_tail::detect(&conn, dir)?;
        }
        let till = config.as_ref().map(|c| c.till.clone());
        Ok(Store {
            conn,
            dir: dir.to_path_buf(),
            config,
            clock: Box::new(Utc::now),
            verifier: RecordAudit::new(till),
            searcher: std::cell::OnceCell::new(),
            index_after: catalog::INDEX_AFTER_FROM,
            peer_audits: std::collections::BTreeMap::new(),
        })
    }

    /// A read-only, memory-mapped connection for the catalogue's searches. A label search
    /// over a million products reads many pages of the full-text index; mapped, they are read
    /// in place rather than copied into SQLite's cache (p99 21.7 → 14.3 ms in the full bench). Only
    /// searches use it: the writer's reads (an export walks the whole ledger) would count the
    /// mapped pages in the process's memory. Opened at the first search, so opening a till
    /// costs nothing more.
    pub(crate) fn searcher(&self) -> Result<&Connection> {
        if let Some(conn) = self.searcher.get() {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            self.dir.join(DB_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "mmap_size", SEARCH_MMAP_BYTES)?;
        Ok(self.searcher.get_or_init(|| conn))
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    pub fn config(&self) -> Option<&TillConfig> {
        self.config.as_ref()
    }

    pub(crate) fn require_config(&self) -> Result<&TillConfig> {
        self.config.as_ref().ok_or(StoreError::NotInitialised)
    }

    /// Replaces the wall clock (tests of clock jumps use it).
    pub fn set_clock(&mut self, clock: impl Fn() -> DateTime<Utc> + Send + 'static) {
        self.clock = Box::new(clock);
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Runs `f` in one IMMEDIATE transaction (the write lock is taken at BEGIN, so two
    /// programs never both read the same chain head) and commits.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let dir = self.dir.clone();
        let full = |e: StoreError| e.or_disk_full(&dir);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| full(e.into()))?;
        let value = f(&tx).map_err(full)?;
        tx.commit().map_err(|e| full(e.into()))?;
        Ok(value)
    }
}

#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod test_calls;
#[cfg(test)]
mod tests;
