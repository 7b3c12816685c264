//! Selling: pricing the cart, recording the sale, receipts, parked tickets, returns.

use crate::{ApiError, AppState};
use relais_core::receipt::ReceiptDoc;
use relais_core::{Method, SaleInput, Ticket};
use relais_store::{
    Abandoned, Approval, DayTickets, ParkedTicket, Recorded, RefundInput, RefundLineInput,
    SaleForReturn, SaleOptions,
};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

/// A recorded ticket and its receipt, for the "payé" screen.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SaleDone {
    pub recorded: Recorded,
    pub receipt: ReceiptDoc,
    /// Paid (partly) in cash on a till that opens its drawer on cash: the drawer's pulse is
    /// owed once, with the receipt or alone (`print_receipt`, `open_drawer`).
    pub opens_drawer: bool,
}

/// A return as the screen asks for it; the operator is the session's.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct RefundRequest {
    pub sale: String,
    pub lines: Vec<RefundLineInput>,
    pub method: String,
    pub reference: Option<String>,
    pub reason: String,
    pub approval: Option<Approval>,
}

impl RefundRequest {
    /// The store's input, given back by `operator` (the session's).
    pub fn input(self, operator: &str) -> RefundInput {
        RefundInput {
            sale: self.sale,
            lines: self.lines,
            method: self.method,
            reference: self.reference,
            reason: self.reason,
            operator: operator.to_string(),
            approval: self.approval,
        }
    }
}

/// A QR code drawn as an SVG path on a square of `size` modules (like a receipt's).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QrCode {
    pub path: String,
    pub size: usize,
}

/// The QR code of a text the screen prints (an order number on the customer's order slip).
#[tauri::command(async)]
pub fn qr_code(text: String) -> QrCode {
    let (path, size) = relais_core::receipt::qr_path(&text);
    QrCode { path, size }
}

/// The cart's lines and totals as the backend computes them (payments not checked yet).
#[tauri::command(async)]
pub fn price_sale(state: State<'_, AppState>, sale: SaleInput) -> Result<Ticket, ApiError> {
    state.operator()?;
    Ok(state.store()?.price_preview(&sale)?)
}

/// « Annuler le ticket »: the cart given up before payment, journaled (JET 1200) with its
/// amount; nothing is sold.
#[tauri::command(async)]
pub fn abandon_cart(state: State<'_, AppState>, sale: SaleInput) -> Result<Abandoned, ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.record_abandoned_cart(&sale, &by)?)
}

/// Records the sale; on return it is on disk, chained, and the receipt can be printed.
/// `options`: a manager's approval (discounts above the shop's threshold, expired avoirs),
/// vouchers of the SaaS accepted blind; the store checks.
#[tauri::command(async)]
pub fn record_sale(
    state: State<'_, AppState>,
    sale: SaleInput,
    options: Option<SaleOptions>,
) -> Result<SaleDone, ApiError> {
    let (mut store, by) = state.acting()?;
    let sale = SaleInput {
        operator: Some(by.name().to_string()),
        ..sale
    };
    let recorded = store.record_sale_with(&sale, &by, &options.unwrap_or_default())?;
    let receipt = store.receipt_doc(&recorded.id)?;
    let paid_cash = sale
        .payments
        .iter()
        .any(|p| Method::from_code(p.method.trim()) == Some(Method::Cash));
    // A printer problem reading the settings never hides a recorded sale.
    let opens_drawer = paid_cash
        && !recorded.duplicate
        && store
            .printer_settings()
            .is_ok_and(|s| s.drawer_on_cash && !s.uri.trim().is_empty());
    drop(store);
    if opens_drawer {
        state.owe_drawer(&recorded.id);
    }
    Ok(SaleDone {
        recorded,
        receipt,
        opens_drawer,
    })
}

/// The day's tickets, newest first, for the Tickets and Retours screens (a session's: the
/// lock screen shows no takings).
#[tauri::command(async)]
pub fn day_tickets(state: State<'_, AppState>) -> Result<DayTickets, ApiError> {
    state.operator()?;
    Ok(state.store()?.day_tickets()?)
}

#[tauri::command(async)]
pub fn receipt(state: State<'_, AppState>, reference: String) -> Result<ReceiptDoc, ApiError> {
    Ok(state.store()?.receipt_doc(&reference)?)
}

/// Records a copy and returns the receipt marked DUPLICATA.
#[tauri::command(async)]
pub fn reprint(state: State<'_, AppState>, reference: String) -> Result<ReceiptDoc, ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.reprint(&reference, &by)?.doc)
}

#[tauri::command(async)]
pub fn park(state: State<'_, AppState>, label: String, cart: SaleInput) -> Result<i64, ApiError> {
    let (mut store, by) = state.acting()?;
    Ok(store.park(&label, &by, &cart)?)
}

#[tauri::command(async)]
pub fn parked(state: State<'_, AppState>) -> Result<Vec<ParkedTicket>, ApiError> {
    Ok(state.store()?.parked()?)
}

#[tauri::command(async)]
pub fn unpark(state: State<'_, AppState>, id: i64) -> Result<ParkedTicket, ApiError> {
    state.operator()?;
    Ok(state.store()?.unpark(id)?)
}

/// A sale by its number or by the id in its receipt's QR code, for a return or a void.
#[tauri::command(async)]
pub fn find_sale(state: State<'_, AppState>, reference: String) -> Result<SaleForReturn, ApiError> {
    state.operator()?;
    Ok(state.store()?.sale_for_return(&reference)?)
}

#[tauri::command(async)]
pub fn refund(state: State<'_, AppState>, request: RefundRequest) -> Result<SaleDone, ApiError> {
    let (mut store, by) = state.approved(request.approval.as_ref())?;
    let input = request.input(by.name());
    let recorded = store.refund(&input, &by)?;
    let receipt = store.receipt_doc(&recorded.id)?;
    Ok(SaleDone {
        recorded,
        receipt,
        opens_drawer: false,
    })
}

#[tauri::command(async)]
pub fn void_sale(
    state: State<'_, AppState>,
    reference: String,
    reason: String,
    approval: Option<Approval>,
) -> Result<SaleDone, ApiError> {
    let (mut store, by) = state.approved(approval.as_ref())?;
    let recorded = store.void_sale(&reference, &reason, &by)?;
    let receipt = store.receipt_doc(&recorded.id)?;
    Ok(SaleDone {
        recorded,
        receipt,
        opens_drawer: false,
    })
}
