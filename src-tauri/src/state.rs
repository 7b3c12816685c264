//! What every command reaches through `tauri::State`: the open store (or why it could not be
//! opened), who is logged in, and the health of the database file.

use crate::lan::LanLink;
use crate::watch::SaasWatch;
use crate::ApiError;
use relais_core::text;
use relais_store::{Actor, Approval, ErrorKind, Manager, StaffView, Store};
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// What SQLite's own check of the file found, run in the background after start-up so that
/// opening the till never waits for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
#[ts(export)]
pub enum Health {
    Checking,
    Ok,
    /// The file is damaged: the screen leads to restoring the latest backup.
    Damaged(String),
}

pub struct AppState {
    dir: PathBuf,
    /// The open store, or why it could not be opened: the window still opens and shows the
    /// reason in French rather than the app dying before anything is on screen.
    store: Mutex<Result<Store, ApiError>>,
    session: Mutex<Option<StaffView>>,
    health: Arc<Mutex<Health>>,
    saas: Arc<SaasWatch>,
    /// The shop's other tills: served and pulled in the background (issue 26).
    lan: Arc<LanLink>,
    /// Set while a thread finishes the search index a big first import left.
    indexing: Arc<std::sync::atomic::AtomicBool>,
    /// The id of the cash sale just recorded whose drawer pulse is still owed: the drawer
    /// opens once for it (with its receipt or alone), never for an older sale.
    drawer_owed: Mutex<Option<String>>,
}

/// The store, locked for one command.
pub(crate) struct StoreGuard<'a>(MutexGuard<'a, Result<Store, ApiError>>);

impl Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.0
            .as_ref()
            .expect("StoreGuard is only made over an open store")
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.0
            .as_mut()
            .expect("StoreGuard is only made over an open store")
    }
}

fn open_store(dir: &std::path::Path) -> Result<Store, ApiError> {
    let store = Store::open(dir).and_then(|mut store| {
        match store.start_session("app") {
            // Held until a manager acknowledges records lost after they were acknowledged:
            // the store stays open so that the lock screen says so and takes the
            // acknowledgement (`acknowledge_lost_tail`).
            Err(_) if store.lost_tail().is_some() => {}
            other => other?,
        }
        Ok(store)
    });
    if let Err(error) = &store {
        eprintln!("relais-app: cannot open {}: {error}", dir.display());
    }
    store.map_err(ApiError::from)
}

impl AppState {
    /// Opens the data directory (`RELAIS_DATA_DIR`, else the OS app-data folder: see `resolve_data_dir`), logs the
    /// start-up in the journal, and starts checking the file in the background.
    pub fn open(dir: std::path::PathBuf) -> AppState {
        let state = AppState {
            store: Mutex::new(open_store(&dir)),
            dir: dir.clone(),
            session: Mutex::new(None),
            health: Arc::new(Mutex::new(Health::Checking)),
            saas: SaasWatch::start(dir.clone()),
            lan: LanLink::start(dir.clone()),
            indexing: Arc::default(),
            drawer_owed: Mutex::new(None),
        };
        state.check_health_in_background();
        state.finish_search_index_in_background();
        state
    }

    /// Builds in the background what a big first import left of the search index (by this
    /// app or by `relais catalog import`), with its own connection: sales go on meanwhile,
    /// and search finds the same products, slower, until it is done.
    pub(crate) fn finish_search_index_in_background(&self) {
        use std::sync::atomic::Ordering;
        let pending = self
            .store()
            .is_ok_and(|s| s.search_index_pending().is_ok_and(|n| n > 0));
        if !pending || self.indexing.swap(true, Ordering::SeqCst) {
            return;
        }
        let dir = self.dir.clone();
        let indexing = self.indexing.clone();
        std::thread::spawn(move || {
            if let Err(error) = Store::open(&dir).and_then(|mut s| s.finish_search_index()) {
                eprintln!("relais-app: search index: {error}");
            }
            indexing.store(false, Ordering::SeqCst);
        });
    }

    fn check_health_in_background(&self) {
        let dir = self.dir.clone();
        let health = self.health.clone();
        std::thread::spawn(move || {
            // Its own connection: a reader beside the till's writer, never in its way.
            let found = match Store::open(&dir).and_then(|mut s| s.check_health()) {
                Ok(()) => Health::Ok,
                Err(e) if e.kind() == ErrorKind::Corrupt => {
                    Health::Damaged(e.message(crate::error::lang()))
                }
                Err(_) => Health::Ok,
            };
            *health.lock().unwrap_or_else(|p| p.into_inner()) = found;
        });
    }

    pub(crate) fn health(&self) -> Health {
        self.health
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn saas(&self) -> &SaasWatch {
        &self.saas
    }

    pub(crate) fn lan(&self) -> &LanLink {
        &self.lan
    }

    pub(crate) fn data_dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Opens the data directory again (after a restore), and checks it again.
    pub(crate) fn reopen(&self) {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        *store = Err(ApiError::new(
            ErrorKind::Busy,
            text!(fr: "réouverture de la caisse", en: "the till is being reopened"),
        ));
        *store = open_store(&self.dir);
        self.lan.pause(false);
        *self.health.lock().unwrap_or_else(|p| p.into_inner()) = Health::Checking;
        drop(store);
        self.set_session(None);
        self.check_health_in_background();
        self.finish_search_index_in_background();
    }

    /// Closes the store (before its files are moved aside by a restore).
    pub(crate) fn close(&self) {
        self.lan.pause(true);
        *self.store.lock().unwrap_or_else(|p| p.into_inner()) = Err(ApiError::new(
            ErrorKind::Busy,
            text!(fr: "restauration en cours", en: "a restore is under way"),
        ));
    }

    /// The cash sale `id` was just recorded: its drawer pulse is owed (and no older one).
    pub(crate) fn owe_drawer(&self, id: &str) {
        *self.drawer_owed.lock().unwrap_or_else(|p| p.into_inner()) = Some(id.to_string());
    }

    /// Whether the drawer may open for sale `id`, which it then no longer may.
    pub(crate) fn take_drawer(&self, id: &str) -> bool {
        let mut owed = self.drawer_owed.lock().unwrap_or_else(|p| p.into_inner());
        if owed.as_deref() == Some(id) {
            *owed = None;
            return true;
        }
        false
    }

    pub(crate) fn session(&self) -> Option<StaffView> {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn set_session(&self, staff: Option<StaffView>) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = staff;
    }

    /// The logged-in person, or the error the lock screen answers to.
    pub(crate) fn operator(&self) -> Result<StaffView, ApiError> {
        self.session().ok_or_else(|| {
            ApiError::new(
                ErrorKind::NotLoggedIn,
                text!(fr: "connectez-vous avec votre code PIN", en: "log in with your PIN"),
            )
        })
    }

    /// The store and who acts: the logged-in person, checked by the store (`Store::actor`:
    /// still active staff). Every command that writes starts here; the UI never names the
    /// operator.
    pub(crate) fn acting(&self) -> Result<(StoreGuard<'_>, Actor), ApiError> {
        let operator = self.operator()?;
        let store = self.store()?;
        let actor = store.actor(&operator.name)?;
        Ok((store, actor))
    }

    /// `acting`, with the logged-in person's own manager's rights (`Store::own_manager`).
    pub(crate) fn managing(&self) -> Result<(StoreGuard<'_>, Manager), ApiError> {
        let operator = self.operator()?;
        let store = self.store()?;
        let manager = store.own_manager(&operator.name)?;
        Ok((store, manager))
    }

    /// `acting`, with a manager's rights: the person's own, or an approving manager's PIN.
    pub(crate) fn approved(
        &self,
        approval: Option<&Approval>,
    ) -> Result<(StoreGuard<'_>, Manager), ApiError> {
        let operator = self.operator()?;
        let mut store = self.store()?;
        let manager = store.manager_named(&operator.name, approval)?;
        Ok((store, manager))
    }

    pub(crate) fn store(&self) -> Result<StoreGuard<'_>, ApiError> {
        // A poisoned lock means a command panicked mid-way; SQLite rolled back whatever it
        // was writing, so the connection itself is still consistent and usable.
        let guard = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*guard {
            Ok(_) => Ok(StoreGuard(guard)),
            Err(error) => Err(error.clone()),
        }
    }
}
