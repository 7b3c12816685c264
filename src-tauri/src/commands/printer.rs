//! The thermal printer and the cash drawer on it. The store is locked only to read the job
//! and to mark it printed; the printer's time (up to its 2 s deadline) is spent on a
//! blocking thread, so the window, the next sale and every other command go on meanwhile.
//! A printer problem comes back as an `ApiError` with a `printer_*` kind; the sale is on
//! disk before any of this runs.

use crate::{ApiError, AppState};
use relais_core::receipt::ReceiptDoc;
use relais_core::text;
use relais_printer::{Delivered, Job, PrinterError, Setup};
use relais_store::{ErrorKind, PrintJob, PrinterSettings};
use tauri::State;

#[tauri::command(async)]
pub fn printer_settings(state: State<'_, AppState>) -> Result<PrinterSettings, ApiError> {
    state.operator()?;
    Ok(state.store()?.printer_settings()?)
}

/// Managers only (the store checks); journaled.
#[tauri::command(async)]
pub fn set_printer_settings(
    state: State<'_, AppState>,
    settings: PrinterSettings,
) -> Result<(), ApiError> {
    let (mut store, by) = state.managing()?;
    Ok(store.set_printer_settings(&settings, &by)?)
}

/// The test page on the printer as saved (a manager saved it); answers where it went.
#[tauri::command]
pub async fn print_test_page(state: State<'_, AppState>) -> Result<String, ApiError> {
    state.operator()?;
    let settings = state.store()?.printer_settings()?;
    let (uri, setup) = configured(&settings)?;
    let shown = uri.clone();
    deliver(uri, setup, None).await?;
    Ok(shown)
}

/// The receipt of `reference` on the thermal printer: the original the first time it comes
/// out, a DUPLICATA (recorded as a reprint) after. `open_drawer` adds the drawer's pulse
/// before the cut, for the cash sale just recorded only (once: see `AppState::take_drawer`).
#[tauri::command]
pub async fn print_receipt(
    state: State<'_, AppState>,
    reference: String,
    open_drawer: bool,
) -> Result<PrintJob, ApiError> {
    let operator = state.operator()?;
    let (uri, setup, job) = {
        let mut store = state.store()?;
        let (uri, setup) = configured(&store.printer_settings()?)?;
        let by = store.actor(&operator.name)?;
        let job = store.receipt_to_print(&reference, &by)?;
        (uri, setup, job)
    };
    let pulse = open_drawer && !job.duplicate && state.take_drawer(&job.doc.id);
    let printed = deliver(uri, setup, Some((job.doc.clone(), pulse))).await;
    if let Err(error) = printed {
        if pulse {
            state.owe_drawer(&job.doc.id);
        }
        return Err(error);
    }
    if !job.duplicate {
        state.store()?.mark_printed(&job.doc.id)?;
    }
    Ok(job)
}

/// Opens the cash drawer. With `sale`, the pulse the cash sale just recorded is owed (no
/// receipt printed with it); without, a drawer opened without a sale, which needs the right
/// to (checked by the store) and is journaled before the pulse is sent.
#[tauri::command]
pub async fn open_drawer(state: State<'_, AppState>, sale: Option<String>) -> Result<(), ApiError> {
    let operator = state.operator()?;
    let (uri, setup) = {
        let mut store = state.store()?;
        let (uri, setup) = configured(&store.printer_settings()?)?;
        if sale.is_none() {
            let by = store.actor(&operator.name)?;
            store.record_drawer_opened(&by)?;
        }
        (uri, setup)
    };
    if let Some(sale) = &sale {
        if !state.take_drawer(sale) {
            return Err(ApiError::new(
                ErrorKind::Forbidden,
                text!(
                    fr: "le tiroir s'ouvre une fois, au paiement en espèces de la vente qui vient d'être enregistrée",
                    en: "the drawer opens once, on the cash payment of the sale just recorded",
                ),
            ));
        }
    }
    let pulsed = deliver_drawer(uri, setup).await;
    if let (Err(_), Some(sale)) = (&pulsed, &sale) {
        state.owe_drawer(sale);
    }
    pulsed.map(|_| ())
}

/// The X report of the open day (`closure` `None`) or a closure (`T1-Z000003`) on the thermal
/// printer; nothing is recorded. Whoever may read the reports (`x_report`, `closures`) may
/// print them. Answers the report's title.
#[tauri::command]
pub async fn print_report(
    state: State<'_, AppState>,
    closure: Option<String>,
) -> Result<String, ApiError> {
    state.operator()?;
    let (uri, setup, doc) = {
        let store = state.store()?;
        let (uri, setup) = configured(&store.printer_settings()?)?;
        let doc = match closure.as_deref() {
            None => store.x_report_doc()?,
            Some(number) => store.closure_doc(Some(number))?,
        };
        (uri, setup, doc)
    };
    let title = doc.title.clone();
    blocking(move || relais_printer::deliver(&uri, &setup, Job::Report { doc: &doc })).await?;
    Ok(title)
}

/// The slip of one of this till's avoirs on the thermal printer (QR code of its signed
/// code); nothing is recorded. Answers the avoir's number.
#[tauri::command]
pub async fn print_avoir_slip(
    state: State<'_, AppState>,
    number: String,
) -> Result<String, ApiError> {
    state.operator()?;
    let (uri, setup, doc) = {
        let store = state.store()?;
        let (uri, setup) = configured(&store.printer_settings()?)?;
        (uri, setup, store.avoir_slip_doc(&number)?)
    };
    let number = doc.number.clone();
    blocking(move || relais_printer::deliver(&uri, &setup, Job::AvoirSlip { doc: &doc })).await?;
    Ok(number)
}

/// A customer order's slip (`T1-C000003`) on the thermal printer, as the order stands;
/// nothing is recorded. Whoever may read the order (`order`) may print it. Answers the
/// order's number.
#[tauri::command]
pub async fn print_order_slip(
    state: State<'_, AppState>,
    reference: String,
) -> Result<String, ApiError> {
    state.operator()?;
    let (uri, setup, doc) = {
        let store = state.store()?;
        let (uri, setup) = configured(&store.printer_settings()?)?;
        (uri, setup, store.order_slip_doc(&reference)?)
    };
    let number = doc.number.clone();
    blocking(move || relais_printer::deliver(&uri, &setup, Job::OrderSlip { doc: &doc })).await?;
    Ok(number)
}

/// The printer's address and set-up, or why there is nothing to print on.
fn configured(settings: &PrinterSettings) -> Result<(String, Setup), ApiError> {
    if settings.uri.trim().is_empty() {
        return Err(ApiError::new(
            ErrorKind::PrinterNotSet,
            text!(
                fr: "aucune imprimante de tickets n'est réglée (Gestion › Réglages)",
                en: "no receipt printer is set (Management › Settings)",
            ),
        ));
    }
    let setup = Setup::from_numbers(settings.columns, settings.code_page).ok_or_else(|| {
        ApiError::new(
            ErrorKind::InvalidSetting,
            text!(
                fr: "largeur ou page de code de l'imprimante inconnue : réglez-la à nouveau",
                en: "unknown printer width or code page: set the printer again",
            ),
        )
    })?;
    Ok((settings.uri.trim().to_string(), setup))
}

/// Sends a receipt (with the drawer's pulse if asked), or the test page when `receipt` is
/// `None`, on a blocking thread: the printer crate answers within its deadline.
async fn deliver(
    uri: String,
    setup: Setup,
    receipt: Option<(ReceiptDoc, bool)>,
) -> Result<Delivered, ApiError> {
    blocking(move || match &receipt {
        Some((doc, open_drawer)) => relais_printer::deliver(
            &uri,
            &setup,
            Job::Receipt {
                doc,
                open_drawer: *open_drawer,
            },
        ),
        None => relais_printer::deliver(&uri, &setup, Job::TestPage { open_drawer: false }),
    })
    .await
}

/// The drawer's pulse alone.
async fn deliver_drawer(uri: String, setup: Setup) -> Result<Delivered, ApiError> {
    blocking(move || relais_printer::deliver(&uri, &setup, Job::Drawer)).await
}

async fn blocking(
    send: impl FnOnce() -> Result<Delivered, PrinterError> + Send + 'static,
) -> Result<Delivered, ApiError> {
    tauri::async_runtime::spawn_blocking(send)
        .await
        .map_err(|_| {
            ApiError::new(
                ErrorKind::PrinterIo,
                text!(fr: "l'envoi à l'imprimante s'est interrompu", en: "sending to the printer was interrupted"),
            )
        })?
        .map_err(printer_error)
}

/// A printer's problem as the screens branch on it, in their language.
pub fn printer_error(error: PrinterError) -> ApiError {
    let kind = match error.kind() {
        "unreachable" => ErrorKind::PrinterUnreachable,
        "timeout" => ErrorKind::PrinterTimeout,
        "paper_out" => ErrorKind::PrinterPaperOut,
        "cover_open" => ErrorKind::PrinterCoverOpen,
        "offline" => ErrorKind::PrinterOffline,
        "bad_uri" => ErrorKind::InvalidSetting,
        "unsupported" => ErrorKind::PrinterUnsupported,
        _ => ErrorKind::PrinterIo,
    };
    ApiError {
        kind,
        message: error.message(crate::error::lang()),
    }
}
