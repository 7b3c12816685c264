//! The till itself: status, first set-up, staff and sessions, the journal.

use crate::state::Health;
use crate::{ApiError, AppState};
use relais_core::{text, Lang, VatRate};
use relais_store::{ErrorKind, JournalEntry, Role, SetupInput, StaffView, Status};
use tauri::State;

/// Shop, till, counts, warnings and the hash-chain check. `async` so that verifying the
/// chain runs off the main thread and never freezes the window.
#[tauri::command(async)]
pub fn status(state: State<'_, AppState>) -> Result<Status, ApiError> {
    // The day's takings only for a manager logged in (never on the lock screen).
    let viewer = state.session().map(|s| s.name);
    Ok(state.store()?.status_for(viewer.as_deref())?)
}

/// The language of the screens: the app's messages (refusals, errors) follow it.
#[tauri::command]
pub fn set_lang(lang: Lang) {
    crate::error::set_lang(lang);
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

/// A till set up from the command line has no staff yet: its first manager is created here
/// (and logged in). Refused as soon as anyone is on staff.
#[tauri::command(async)]
pub fn first_manager(
    state: State<'_, AppState>,
    name: String,
    pin: String,
) -> Result<StaffView, ApiError> {
    let mut store = state.store()?;
    if !store.staff()?.is_empty() {
        return Err(ApiError::new(
            ErrorKind::Forbidden,
            text!(
                fr: "la caisse a déjà un responsable : connectez-vous",
                en: "this till already has a manager: log in",
            ),
        ));
    }
    let by = store.own_manager("setup")?;
    store.add_staff(&name, Role::Manager, &pin, &by)?;
    let manager = store.login(&name, &pin)?;
    state.set_session(Some(manager.clone()));
    Ok(manager)
}

/// Who can log in (names and roles, never PINs); `all` adds the people disabled, for the
/// staff screen.
#[tauri::command(async)]
pub fn staff(state: State<'_, AppState>, all: Option<bool>) -> Result<Vec<StaffView>, ApiError> {
    let all = all.unwrap_or(false);
    Ok(state
        .store()?
        .staff()?
        .into_iter()
        .filter(|s| all || s.active)
        .collect())
}

#[tauri::command(async)]
pub fn login(state: State<'_, AppState>, name: String, pin: String) -> Result<StaffView, ApiError> {
    let staff = state.store()?.login(&name, &pin)?;
    state.set_session(Some(staff.clone()));
    Ok(staff)
}

/// Records were lost after they were acknowledged (the database ends before `ledger.head`):
/// the till writes nothing, logins included, until a manager acknowledges it with their PIN;
/// then they are logged in.
#[tauri::command(async)]
pub fn acknowledge_lost_tail(
    state: State<'_, AppState>,
    name: String,
    pin: String,
) -> Result<StaffView, ApiError> {
    let staff = {
        let mut store = state.store()?;
        store.authenticate(&name, &pin)?;
        let by = store.own_manager(&name)?;
        store.acknowledge_lost_tail(&by)?;
        store.login(&name, &pin)?
    };
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
    let (mut store, by) = state.managing()?;
    Ok(store.add_staff(&name, role, &pin, &by)?)
}

/// Disables someone (they can no longer log in; their records stay theirs) or enables them
/// again. Managers only, and nobody disables themselves (the store checks both).
#[tauri::command(async)]
pub fn set_staff_active(
    state: State<'_, AppState>,
    name: String,
    active: bool,
) -> Result<StaffView, ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.set_staff_active(&name, active, &by)?)
}

/// A new PIN for someone: the person themselves, or a manager for anyone (the store checks).
#[tauri::command(async)]
pub fn change_pin(state: State<'_, AppState>, name: String, pin: String) -> Result<(), ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.change_pin(&name, &pin, &by)?)
}

#[tauri::command(async)]
pub fn journal(
    state: State<'_, AppState>,
    last: Option<usize>,
) -> Result<Vec<JournalEntry>, ApiError> {
    Ok(state.store()?.journal(last.or(Some(200)))?)
}

/// A training till to learn on (demo shop, staff and catalogue; marked, never exported).
#[tauri::command(async)]
pub fn setup_demo(state: State<'_, AppState>) -> Result<StaffView, ApiError> {
    let mut store = state.store()?;
    store.setup_demo()?;
    let manager = store.login("Marie", "1234")?;
    state.set_session(Some(manager.clone()));
    Ok(manager)
}

/// SQLite's check of the database file (run in the background after start-up).
#[tauri::command(async)]
pub fn health(state: State<'_, AppState>) -> Health {
    state.health()
}

/// The till's IANA time zone ("Europe/Paris"): screens show instants in it, not in the zone
/// this PC happens to be set to.
#[tauri::command(async)]
pub fn till_zone(state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    Ok(state.store()?.config().map(|c| c.timezone.clone()))
}

/// The till's VAT rates (basis points, as set up): the rates offered for a line typed by hand
/// on an order or a paper slip.
#[tauri::command(async)]
pub fn vat_rates(state: State<'_, AppState>) -> Result<Vec<VatRate>, ApiError> {
    Ok(state.store()?.vat_rates()?)
}

/// The backups in `folder` (a USB stick), newest first.
#[tauri::command(async)]
pub fn list_backups(folder: String) -> Result<Vec<String>, ApiError> {
    let dir = std::path::Path::new(folder.trim());
    let entries = std::fs::read_dir(dir)
        .map_err(|e| ApiError::from(relais_store::StoreError::io(dir, e)))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join(relais_store::DB_FILE).is_file())
        .map(|p| p.display().to_string());
    let mut backups: Vec<String> = entries.collect();
    backups.sort();
    backups.reverse();
    Ok(backups)
}

/// Restores a backup over a damaged till: the damaged files are moved aside (kept, never
/// deleted), the backup is verified and put in place, and the till is opened again.
#[tauri::command(async)]
pub fn restore_backup(state: State<'_, AppState>, backup: String) -> Result<(), ApiError> {
    let dir = state.data_dir().to_path_buf();
    state.close();
    let outcome = relais_store::backup::restore_over(
        std::path::Path::new(backup.trim()),
        &dir,
        "restauration",
    );
    state.reopen();
    outcome.map(|_| ()).map_err(ApiError::from)
}
