//! The catalogue at the counter: lookups, search, departments, new products, imports.

use crate::{ApiError, AppState};
use relais_core::catalog::{Department, ScaleRule};
use relais_store::catalog::{ImportOptions, ImportReport, NewProduct, ProductView, Scanned};
use relais_store::SaleSettings;
use tauri::State;

#[tauri::command(async)]
pub fn departments(state: State<'_, AppState>) -> Result<Vec<Department>, ApiError> {
    Ok(state.store()?.departments()?)
}

/// Adds or changes a department (managers only, the store checks); journaled.
#[tauri::command(async)]
pub fn set_department(
    state: State<'_, AppState>,
    code: String,
    name: String,
    vat_rate_bp: u32,
) -> Result<Department, ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.manage_department(&code, &name, vat_rate_bp, &by)?)
}

/// One place earlier or later among the counter's keys (managers only); journaled.
#[tauri::command(async)]
pub fn move_department(
    state: State<'_, AppState>,
    code: String,
    earlier: bool,
) -> Result<Vec<Department>, ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.move_department(&code, earlier, &by)?)
}

/// Hides a department's key from the counter, or shows it again (managers only, the store
/// checks); journaled. Its products and history stay.
#[tauri::command(async)]
pub fn hide_department(
    state: State<'_, AppState>,
    code: String,
    hidden: bool,
) -> Result<Department, ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.hide_department(&code, hidden, &by)?)
}

/// The counter's rules for typed prices (the department « 2,50 ⏎ » is sold on).
#[tauri::command(async)]
pub fn sale_settings(state: State<'_, AppState>) -> Result<SaleSettings, ApiError> {
    state.operator()?;
    Ok(state.store()?.sale_settings()?)
}

/// Managers only (the store checks); journaled.
#[tauri::command(async)]
pub fn set_sale_settings(
    state: State<'_, AppState>,
    settings: SaleSettings,
) -> Result<(), ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.set_sale_settings(&settings, &by)?)
}

/// Exact barcode or SKU: what a scanner sends.
#[tauri::command(async)]
pub fn find_product(
    state: State<'_, AppState>,
    code: String,
) -> Result<Option<ProductView>, ApiError> {
    Ok(state.store()?.product_by_code(&code)?)
}

/// What the scan field sells for a code: a product, or a scale label (EAN-13 of prefix 2)
/// with the product of its PLU if any; a misread label is an error with its message.
#[tauri::command(async)]
pub fn scan_code(state: State<'_, AppState>, code: String) -> Result<Scanned, ApiError> {
    Ok(state.store()?.scan(&code)?)
}

/// The table of scale-label rules in force.
#[tauri::command(async)]
pub fn scale_rules(state: State<'_, AppState>) -> Result<Vec<ScaleRule>, ApiError> {
    state.operator()?;
    Ok(state.store()?.scale_rules()?)
}

/// Replaces the table of scale-label rules; the store checks the operator is a manager.
#[tauri::command(async)]
pub fn set_scale_rules(
    state: State<'_, AppState>,
    rules: Vec<ScaleRule>,
) -> Result<Vec<ScaleRule>, ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.set_scale_rules(&rules, &by)?)
}

#[tauri::command(async)]
pub fn search_products(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> Result<Vec<ProductView>, ApiError> {
    Ok(state
        .store()?
        .search_products(&query, limit.unwrap_or(50).min(200))?)
}

/// A product for a barcode the catalogue does not know, created at the counter.
#[tauri::command(async)]
pub fn create_product(
    state: State<'_, AppState>,
    product: NewProduct,
) -> Result<ProductView, ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.create_product(&product, &by)?)
}

/// Imports (or with `dry_run`, previews) a price list; managers only. With `shop`, an
/// applied import is also offered to the shop's paired tills (`catalog import --shop`).
#[tauri::command(async)]
pub fn import_catalog(
    state: State<'_, AppState>,
    path: String,
    map: Option<Vec<String>>,
    sheet: Option<String>,
    strict: Option<bool>,
    dry_run: Option<bool>,
    shop: Option<bool>,
) -> Result<ImportReport, ApiError> {
    let (mut store, by) = state.managing()?;
    let options = ImportOptions {
        map: map.unwrap_or_default(),
        sheet: sheet.filter(|s| !s.trim().is_empty()),
        strict: strict.unwrap_or(false),
        dry_run: dry_run.unwrap_or(false),
        preview_rows: 20,
        operator: by.name().to_string(),
    };
    let path = std::path::Path::new(path.trim());
    let report = store.import_catalog(path, &options, &by)?;
    // « Envoyer aussi aux autres caisses »: offered as `catalog import --shop` offers it;
    // the paired tills import it at their next sync.
    if shop == Some(true) && report.applied {
        store.offer_price_list(path, &options, &by)?;
    }
    drop(store);
    state.finish_search_index_in_background();
    Ok(report)
}
