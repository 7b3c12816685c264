//! The Relais desktop app: opens the till's store and serves the commands the UI calls.
//! All the logic lives in relais-store and relais-core; this crate only wires them to Tauri.

mod commands;
mod error;

pub use error::ApiError;

use relais_store::{StaffView, Store};
use std::sync::{Mutex, MutexGuard};

/// What every command reaches through `tauri::State`.
pub struct AppState {
    /// The open store, or why it could not be opened: the window still opens and shows the
    /// reason in French rather than the app dying before anything is on screen.
    store: Result<Mutex<Store>, ApiError>,
    /// Who is logged in at this till, if anyone.
    session: Mutex<Option<StaffView>>,
}

impl AppState {
    /// Opens the data directory (`RELAIS_DATA_DIR`, else the OS app-data folder) and logs
    /// the start-up in the technical event journal.
    pub fn open() -> AppState {
        let dir = relais_store::resolve_data_dir(None);
        let store = Store::open(&dir).and_then(|mut store| {
            store.start_session("app")?;
            Ok(store)
        });
        if let Err(error) = &store {
            eprintln!("relais-app: cannot open {}: {error}", dir.display());
        }
        AppState {
            store: store.map(Mutex::new).map_err(ApiError::from),
            session: Mutex::new(None),
        }
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
        self.session()
            .ok_or_else(|| ApiError::new("not_logged_in", "connectez-vous avec votre code PIN"))
    }

    pub(crate) fn store(&self) -> Result<MutexGuard<'_, Store>, ApiError> {
        let store = self.store.as_ref().map_err(Clone::clone)?;
        // A poisoned lock means a command panicked mid-way; SQLite rolled back whatever it
        // was writing, so the connection itself is still consistent and usable.
        Ok(store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

/// Starts the app; returns when the window is closed.
pub fn run() {
    tauri::Builder::default()
        .manage(AppState::open())
        .invoke_handler(tauri::generate_handler![
            commands::till::status,
            commands::till::setup,
            commands::till::staff,
            commands::till::login,
            commands::till::logout,
            commands::till::session,
            commands::till::add_staff,
            commands::till::journal,
            commands::catalog::departments,
            commands::catalog::find_product,
            commands::catalog::search_products,
            commands::catalog::create_product,
            commands::catalog::import_catalog,
            commands::sale::price_sale,
            commands::sale::record_sale,
            commands::sale::receipt,
            commands::sale::reprint,
            commands::sale::park,
            commands::sale::parked,
            commands::sale::unpark,
            commands::sale::find_sale,
            commands::sale::refund,
            commands::sale::void_sale,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Relais window");
}
