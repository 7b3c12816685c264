//! Avoirs at the counter: issued at the end of a return to « Avoir », checked when one is
//! scanned or typed at payment (the sale's `store_credit` payment spends it).

use crate::{ApiError, AppState};
use relais_store::{Approval, AvoirView, IssueAvoirInput};
use tauri::State;

/// The avoir of a refund just made to « Avoir » (or a cancelled order kept as credit).
#[tauri::command(async)]
pub fn avoir_issue(
    state: State<'_, AppState>,
    from: String,
    approval: Option<Approval>,
) -> Result<AvoirView, ApiError> {
    let (mut store, by) = state.acting()?;
    let input = IssueAvoirInput {
        from,
        operator: by.name().to_string(),
        approval,
    };
    Ok(store.issue_avoir(&input, &by)?)
}

/// An avoir as scanned or typed, its code checked offline, with its balance.
#[tauri::command(async)]
pub fn avoir_check(state: State<'_, AppState>, code: String) -> Result<AvoirView, ApiError> {
    state.operator()?;
    Ok(state.store()?.avoir(&code)?)
}
