//! The Relais desktop app: opens the till's store and serves the commands the UI calls.
//! All the logic lives in relais-store and relais-core; this crate only wires them to Tauri.

mod commands;
mod error;

pub use error::ApiError;

use relais_store::Store;
use std::sync::{Mutex, MutexGuard};

/// What every command reaches through `tauri::State`.
pub struct AppState {
    /// The open store, or why it could not be opened: the window still opens and shows the
    /// reason in French rather than the app dying before anything is on screen.
    store: Result<Mutex<Store>, ApiError>,
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
        }
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
        .invoke_handler(tauri::generate_handler![commands::status])
        .run(tauri::generate_context!())
        .expect("error while running the Relais window");
}
