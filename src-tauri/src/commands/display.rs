//! The customer display's setting (off by default; a manager's, journaled by the store). Saving
//! it opens or closes the display's window at once (`crate::display`).

use crate::{ApiError, AppState};
use relais_core::text;
use relais_store::{DisplaySettings, ErrorKind};
use tauri::{AppHandle, State};

#[tauri::command(async)]
pub fn display_settings(state: State<'_, AppState>) -> Result<DisplaySettings, ApiError> {
    state.operator()?;
    Ok(state.store()?.display_settings()?)
}

/// Managers only (the store checks); journaled; the window follows the setting.
#[tauri::command(async)]
pub fn set_display_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: DisplaySettings,
) -> Result<(), ApiError> {
    let (mut store, by) = state.managing()?;
    store.set_display_settings(&settings, &by)?;
    crate::display::show(&app, settings.enabled).map_err(|error| {
        let error = error.to_string();
        ApiError::new(
            ErrorKind::Io,
            text!(
                fr: "réglage enregistré, mais la fenêtre de l'afficheur client ne s'ouvre pas : {error}",
                en: "setting saved, but the customer display's window does not open: {error}",
            ),
        )
    })
}
