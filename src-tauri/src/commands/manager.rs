//! The manager's screens: the business day (opening, cash movements, X, Z, month and year
//! closures), orders, paper slips, and what is needed after the outage (export, re-entry,
//! outage record, backups). Rights are the store's: these only pass the session's operator.

use crate::commands::sale::SaleDone;
use crate::watch::SaasCheck;
use crate::{ApiError, AppState};
use relais_core::closure::{ClosurePeriod, DenominationCount, Direction};
use relais_core::order::OrderInput;
use relais_core::sale::PaymentInput;
use relais_core::text;
use relais_store::backup::{BackupReport, BackupSettings};
use relais_store::export::{BundleVerdict, ExportOptions, ExportReport, Outage};
use relais_store::{
    Approval, CloseDayInput, ClosureReport, ErrorKind, OpenDayInput, OrderFilter, OrderView,
    PaperOptions, PaperReport, Recorded, ReentryImport, ReentryLeft, ReentryStatus, SaleOptions,
    XReport,
};
use std::path::{Path, PathBuf};
use tauri::State;

#[tauri::command(async)]
pub fn open_day(
    state: State<'_, AppState>,
    business_day: Option<String>,
    denominations: Vec<DenominationCount>,
) -> Result<Recorded, ApiError> {
    let (mut store, by) = state.acting()?;
    let input = OpenDayInput {
        business_day,
        denominations,
        operator: by.name().to_string(),
    };
    Ok(store.open_day(&input, &by)?)
}

#[tauri::command(async)]
pub fn x_report(state: State<'_, AppState>) -> Result<XReport, ApiError> {
    state.operator()?;
    Ok(state.store()?.x_report()?)
}

#[tauri::command(async)]
pub fn cash_movement(
    state: State<'_, AppState>,
    direction: Direction,
    amount_cents: i64,
    category: String,
    reason: String,
    approval: Option<Approval>,
) -> Result<Recorded, ApiError> {
    let (mut store, by) = state.approved(approval.as_ref())?;
    Ok(store.cash_movement(direction, amount_cents, &category, &reason, &by)?)
}

#[tauri::command(async)]
pub fn close_day(
    state: State<'_, AppState>,
    counted: Option<Vec<DenominationCount>>,
    card_terminal_cents: Option<i64>,
    note: Option<String>,
    approval: Option<Approval>,
) -> Result<ClosureReport, ApiError> {
    let (mut store, by) = state.approved(approval.as_ref())?;
    let input = CloseDayInput {
        counted,
        card_terminal_cents,
        note,
        operator: by.name().to_string(),
        approval,
    };
    Ok(store.close_day(&input, &by)?)
}

/// `period` is `month` ("2026-11") or `year` ("2026").
#[tauri::command(async)]
pub fn close_period(
    state: State<'_, AppState>,
    period: ClosurePeriod,
    which: String,
    approval: Option<Approval>,
) -> Result<ClosureReport, ApiError> {
    let (mut store, by) = state.approved(approval.as_ref())?;
    Ok(store.close_period(period, &which, &by)?)
}

#[tauri::command(async)]
pub fn closures(state: State<'_, AppState>) -> Result<Vec<ClosureReport>, ApiError> {
    state.operator()?;
    Ok(state.store()?.closures()?)
}

#[tauri::command(async)]
pub fn create_order(state: State<'_, AppState>, order: OrderInput) -> Result<OrderView, ApiError> {
    let (mut store, by) = state.acting()?;
    let order = OrderInput {
        operator: Some(by.name().to_string()),
        ..order
    };
    Ok(store.create_order(&order, &by)?)
}

#[tauri::command(async)]
pub fn orders(state: State<'_, AppState>, filter: OrderFilter) -> Result<Vec<OrderView>, ApiError> {
    state.operator()?;
    Ok(state.store()?.orders(&filter)?)
}

#[tauri::command(async)]
pub fn order(state: State<'_, AppState>, reference: String) -> Result<OrderView, ApiError> {
    state.operator()?;
    Ok(state.store()?.order(&reference)?)
}

#[tauri::command(async)]
pub fn order_ready(
    state: State<'_, AppState>,
    reference: String,
    note: Option<String>,
) -> Result<OrderView, ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.order_ready(&reference, note, &by)?)
}

/// Hands the order over: the sale (deposits deducted, balance paid) and its receipt.
/// `options`: as a sale's (`record_sale`): expired avoirs a manager lets through, vouchers
/// of the SaaS accepted blind, a manager's approval.
#[tauri::command(async)]
pub fn collect_order(
    state: State<'_, AppState>,
    reference: String,
    payments: Vec<PaymentInput>,
    options: Option<SaleOptions>,
) -> Result<SaleDone, ApiError> {
    let (mut store, by) = state.acting()?;
    let options = options.unwrap_or_default();
    let recorded = store.collect_order(&reference, &payments, &options, &by)?;
    let receipt = store.receipt_doc(&recorded.id)?;
    Ok(SaleDone {
        recorded,
        receipt,
        opens_drawer: false,
    })
}

/// Cancels an order; `refund_method` refunds its deposits (a manager's action), none keeps
/// them as store credit.
#[tauri::command(async)]
pub fn cancel_order(
    state: State<'_, AppState>,
    reference: String,
    refund_method: Option<String>,
    reason: String,
    approval: Option<Approval>,
) -> Result<OrderView, ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.cancel_order(
        &reference,
        refund_method.as_deref(),
        &reason,
        &by,
        approval.as_ref(),
    )?)
}

/// Paper slips from a spreadsheet; `dry_run` previews.
#[tauri::command(async)]
pub fn import_paper(
    state: State<'_, AppState>,
    path: String,
    strict: Option<bool>,
    dry_run: Option<bool>,
) -> Result<PaperReport, ApiError> {
    let (mut store, by) = state.acting()?;
    let options = PaperOptions {
        strict: strict.unwrap_or(false),
        dry_run: dry_run.unwrap_or(false),
        operator: by.name().to_string(),
    };
    Ok(store.import_paper(Path::new(path.trim()), &options, &by)?)
}

/// Both CSV dialects (`csv/`, `excel-fr/`) are always written; the options add files.
#[tauri::command(async)]
pub fn export(
    state: State<'_, AppState>,
    out: String,
    since_last: bool,
    zip: bool,
    fec: bool,
    poslog: Option<bool>,
) -> Result<ExportReport, ApiError> {
    let (mut store, by) = state.managing()?;
    let poslog = poslog.unwrap_or(false);
    let options = ExportOptions {
        out: PathBuf::from(out.trim()),
        since_last,
        zip,
        fec,
        poslog,
        range: None,
        operator: by.name().to_string(),
    };
    Ok(store.export(&options, &by)?)
}

/// Checks a bundle (folder or .zip) with no till.
#[tauri::command(async)]
pub fn verify_bundle(path: String) -> Result<BundleVerdict, ApiError> {
    let verdict = relais_store::export::verify_bundle(Path::new(path.trim()));
    Ok(verdict.map_err(relais_store::StoreError::from)?)
}

#[tauri::command(async)]
pub fn reentry_status(state: State<'_, AppState>) -> Result<ReentryStatus, ApiError> {
    Ok(state.store()?.reentry_status()?)
}

/// The oldest records left to re-enter, of one kind or all; the first 200.
#[tauri::command(async)]
pub fn reentry_left(
    state: State<'_, AppState>,
    kind: Option<String>,
) -> Result<ReentryLeft, ApiError> {
    Ok(state.store()?.reentry_left(kind.as_deref(), 200)?)
}

/// What the last check of the usual software's status page found, and whether an outage is
/// still open (the screens say "le service est rétabli" only then).
#[tauri::command(async)]
pub fn saas_check(state: State<'_, AppState>) -> Result<SaasCheck, ApiError> {
    let store = state.store()?;
    let url = store.saas_status_url()?;
    let outage_open = store.outage()?.is_some_and(|o| o.ended_at.is_none());
    // A check of another (or no) address says nothing of this one: not checked yet.
    let last = Some(state.saas().last())
        .filter(|last| last.url == url)
        .unwrap_or_default();
    Ok(SaasCheck {
        url,
        outage_open,
        ..last
    })
}

/// Sets the status page to check (empty: no check, no network at all); checked at once.
#[tauri::command(async)]
pub fn set_saas_status_url(state: State<'_, AppState>, url: String) -> Result<(), ApiError> {
    let (mut store, by) = state.managing()?;
    store.set_saas_status_url(Some(&url), &by)?;
    state.saas().check_now();
    Ok(())
}

#[tauri::command(async)]
pub fn check_saas_now(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.operator()?;
    state.saas().check_now();
    Ok(())
}

#[tauri::command(async)]
pub fn mark_reentered(
    state: State<'_, AppState>,
    reference: String,
    saas_ref: String,
) -> Result<bool, ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.mark_reentered(&reference, &saas_ref, &by)?)
}

#[tauri::command(async)]
pub fn import_reentries(
    state: State<'_, AppState>,
    path: String,
) -> Result<ReentryImport, ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.import_reentries(Path::new(path.trim()), &by)?)
}

#[tauri::command(async)]
pub fn outage(state: State<'_, AppState>) -> Result<Option<Outage>, ApiError> {
    Ok(state.store()?.outage()?)
}

/// Records when the outage began (`at`: local "2026-11-25 08:00", default now) and why.
#[tauri::command(async)]
pub fn outage_start(
    state: State<'_, AppState>,
    at: Option<String>,
    reason: String,
) -> Result<Option<Outage>, ApiError> {
    let (mut store, by) = state.acting()?;
    store.outage_started(at.as_deref(), &reason, &by)?;
    Ok(store.outage()?)
}

#[tauri::command(async)]
pub fn outage_end(
    state: State<'_, AppState>,
    at: Option<String>,
) -> Result<Option<Outage>, ApiError> {
    let (mut store, by) = state.acting()?;
    store.outage_ended(at.as_deref(), &by)?;
    Ok(store.outage()?)
}

/// A backup now, to `to` or the configured folder.
#[tauri::command(async)]
pub fn backup(state: State<'_, AppState>, to: Option<String>) -> Result<BackupReport, ApiError> {
    let (mut store, by) = state.acting()?;
    let target = match to.filter(|t| !t.trim().is_empty()) {
        Some(to) => PathBuf::from(to.trim()),
        None => store.backup_folder()?.ok_or_else(|| {
            ApiError::new(
                ErrorKind::InvalidInput,
                text!(
                    fr: "aucun dossier de sauvegarde : choisissez-en un",
                    en: "no backup folder: choose one",
                ),
            )
        })?,
    };
    Ok(store.backup(&target, &by)?)
}

#[tauri::command(async)]
pub fn configure_backups(
    state: State<'_, AppState>,
    folder: String,
    every_sales: u64,
) -> Result<(), ApiError> {
    let folder = Some(folder.trim())
        .filter(|f| !f.is_empty())
        .map(PathBuf::from);
    let (mut store, by) = state.managing()?;
    Ok(store.configure_backups(folder.as_deref(), every_sales, &by)?)
}

#[tauri::command(async)]
pub fn backup_folder(state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    Ok(state
        .store()?
        .backup_folder()?
        .map(|p| p.display().to_string()))
}

/// The automatic backups' folder and frequency, and the last backup's time.
#[tauri::command(async)]
pub fn backup_settings(state: State<'_, AppState>) -> Result<BackupSettings, ApiError> {
    state.operator()?;
    Ok(state.store()?.backup_settings()?)
}

/// The till's public key, to give to an auditor or an accountant.
#[tauri::command(async)]
pub fn public_key(state: State<'_, AppState>) -> Result<String, ApiError> {
    Ok(state.store()?.public_key()?)
}
