//! The till itself: status, first set-up, staff and sessions, the journal.

use crate::{ApiError, AppState};
use relais_store::{JournalEntry, Role, SetupInput, StaffView, Status};
use tauri::State;

/// Shop, till, counts, warnings and the hash-chain check. `async` so that verifying the
/// chain runs off the main thread and never freezes the window.
#[tauri::command(async)]
pub fn status(state: State<'_, AppState>) -> Result<Status, ApiError> {
    Ok(state.store()?.status()?)
}

/// First start: shop, till and first manager; the manager is logged in at once.
#[tauri::command(async)]
pub fn setup(state: State<'_, AppState>, input: SetupInput) -> Result<StaffView, ApiError> {
    let mut store = state.store()?;
    store.setup(&input)?;
    let manager = store.login(&input.manager_name, &input.manager_pin)?;
    state.set_session(Some(manager.clone()));
    Ok(manager)
}

/// Who can log in (names and roles, never PINs).
#[tauri::command(async)]
pub fn staff(state: State<'_, AppState>) -> Result<Vec<StaffView>, ApiError> {
    Ok(state
        .store()?
        .staff()?
        .into_iter()
        .filter(|s| s.active)
        .collect())
}

#[tauri::command(async)]
pub fn login(state: State<'_, AppState>, name: String, pin: String) -> Result<StaffView, ApiError> {
    let staff = state.store()?.login(&name, &pin)?;
    state.set_session(Some(staff.clone()));
    Ok(staff)
}

/// Ends the session (also what locking the screen does).
#[tauri::command(async)]
pub fn logout(state: State<'_, AppState>) -> Result<(), ApiError> {
    if let Some(staff) = state.session() {
        state.store()?.logout(&staff.name)?;
    }
    state.set_session(None);
    Ok(())
}

#[tauri::command(async)]
pub fn session(state: State<'_, AppState>) -> Option<StaffView> {
    state.session()
}

/// Adds a person; the store checks that the logged-in person is a manager.
#[tauri::command(async)]
pub fn add_staff(
    state: State<'_, AppState>,
    name: String,
    role: Role,
    pin: String,
) -> Result<StaffView, ApiError> {
    let operator = state.operator()?;
    Ok(state
        .store()?
        .add_staff(&name, role, &pin, &operator.name)?)
}

#[tauri::command(async)]
pub fn journal(
    state: State<'_, AppState>,
    last: Option<usize>,
) -> Result<Vec<JournalEntry>, ApiError> {
    Ok(state.store()?.journal(last.or(Some(200)))?)
}
