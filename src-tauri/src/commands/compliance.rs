//! The manager's archives and tax-audit extracts (issue 28): thin calls into the store.

use crate::{ApiError, AppState};
use relais_store::archive::{ArchiveOptions, ArchiveReport};
use relais_store::tax_audit::{AuditOptions, AuditReport};
use std::path::PathBuf;
use tauri::State;

/// Archives a closed month (`2026-11`) or year (`2026`) into the folder `out`.
#[tauri::command(async)]
pub fn archive(
    state: State<'_, AppState>,
    period: String,
    out: String,
    zip: bool,
) -> Result<ArchiveReport, ApiError> {
    let (mut store, by) = state.managing()?;
    let options = ArchiveOptions {
        period,
        out: PathBuf::from(out.trim()),
        zip,
        operator: by.name().to_string(),
    };
    Ok(store.archive(&options, &by)?)
}

/// The extract of the business days `from` to `to` for a tax inspector, into `out`.
#[tauri::command(async)]
pub fn tax_audit(
    state: State<'_, AppState>,
    from: String,
    to: String,
    out: String,
) -> Result<AuditReport, ApiError> {
    let (mut store, by) = state.managing()?;
    let options = AuditOptions {
        from,
        to,
        out: PathBuf::from(out.trim()),
        operator: by.name().to_string(),
    };
    Ok(store.tax_audit(&options, &by)?)
}
