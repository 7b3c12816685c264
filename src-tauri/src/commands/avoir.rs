//! Avoirs at the counter: issued at the end of a return to « Avoir », checked when one is
//! scanned or typed at payment (the sale's `store_credit` payment spends it).

use crate::commands::sale::{RefundRequest, SaleDone};
use crate::{ApiError, AppState};
use relais_core::sale::PaymentInput;
use relais_store::{
    Approval, AvoirSettings, AvoirView, ExternalVoucherInput, ExternalVoucherView, IssueAvoirInput,
    SellVoucherInput,
};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

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

/// The avoirs and vouchers of this till, the external vouchers accepted blind, and what the
/// shop owes in them (the liability, as this till knows it).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AvoirBook {
    pub avoirs: Vec<AvoirView>,
    pub external: Vec<ExternalVoucherView>,
    #[ts(type = "number")]
    pub outstanding_cents: i64,
    /// The shop's name, for the slips.
    pub shop: String,
}

#[tauri::command(async)]
pub fn avoir_list(state: State<'_, AppState>) -> Result<AvoirBook, ApiError> {
    state.operator()?;
    let store = state.store()?;
    Ok(AvoirBook {
        avoirs: store.avoirs()?,
        external: store.external_vouchers()?,
        outstanding_cents: store.avoirs_outstanding()?.0,
        shop: store
            .config()
            .map(|c| c.shop.name.clone())
            .unwrap_or_default(),
    })
}

/// A gift voucher sold at the counter: money received, not turnover.
#[tauri::command(async)]
pub fn avoir_sell(
    state: State<'_, AppState>,
    amount_cents: i64,
    payments: Vec<PaymentInput>,
) -> Result<AvoirView, ApiError> {
    let (mut store, by) = state.acting()?;
    let input = SellVoucherInput {
        amount_cents,
        payments,
        operator: by.name().to_string(),
    };
    Ok(store.sell_voucher(&input, &by)?)
}

/// A voucher of the SaaS accepted blind (« bon externe non vérifié »); a manager approves it
/// above the shop's threshold.
#[tauri::command(async)]
pub fn avoir_external(
    state: State<'_, AppState>,
    code: String,
    amount_cents: i64,
    sale: Option<String>,
    approval: Option<Approval>,
) -> Result<ExternalVoucherView, ApiError> {
    let (mut store, by) = state.acting()?;
    let input = ExternalVoucherInput {
        code,
        amount_cents,
        sale,
        operator: by.name().to_string(),
        approval,
    };
    Ok(store.accept_external_voucher(&input, &by)?)
}

#[tauri::command(async)]
pub fn avoir_settings(state: State<'_, AppState>) -> Result<AvoirSettings, ApiError> {
    state.operator()?;
    Ok(state.store()?.avoir_settings()?)
}

/// Managers only (the store checks); journaled.
#[tauri::command(async)]
pub fn set_avoir_settings(
    state: State<'_, AppState>,
    settings: AvoirSettings,
) -> Result<(), ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.set_avoir_settings(&settings, &by)?)
}

/// A refund to « Avoir » and its avoir, written in one transaction.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RefundedToAvoir {
    pub done: SaleDone,
    pub avoir: AvoirView,
}

/// A return given back as an avoir: the refund and the avoir in one write (a crash leaves
/// both or neither).
#[tauri::command(async)]
pub fn refund_to_avoir(
    state: State<'_, AppState>,
    request: RefundRequest,
) -> Result<RefundedToAvoir, ApiError> {
    let (mut store, by) = state.approved(request.approval.as_ref())?;
    let input = request.input(by.name());
    let (recorded, avoir) = store.refund_to_avoir(&input, &by)?;
    let receipt = store.receipt_doc(&recorded.id)?;
    Ok(RefundedToAvoir {
        done: SaleDone {
            recorded,
            receipt,
            opens_drawer: false,
        },
        avoir,
    })
}
