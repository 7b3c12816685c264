//! The commands the UI calls with `invoke`. Kept out of lib.rs: a `#[tauri::command]` at a
//! crate root clashes with the macro's generated items (E0255).

use crate::{ApiError, AppState};
use relais_store::Status;
use tauri::State;

/// Shop, till, counts and the hash-chain check. `async` so that verifying the chain runs off
/// the main thread and never freezes the window.
#[tauri::command(async)]
pub fn status(state: State<'_, AppState>) -> Result<Status, ApiError> {
    Ok(state.store()?.status()?)
}
