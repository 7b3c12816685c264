//! One delivery to a printer, as the CLI and the app both make it: the bytes of a receipt,
//! a test page or a bare drawer pulse, sent within the deadline after the printer said it
//! can print; then, when a pulse went out, the drawer's sensor read and the pulse sent once
//! more if the drawer still reports closed (Odoo's lesson, odoo#33328: some printers drop a
//! pulse that arrives while they are busy).

use crate::codepage::CodePage;
use crate::error::PrinterError;
use crate::escpos::drawer_pulse;
use crate::layout::{self, Setup, WIDTHS};
use crate::status::Status;
use crate::transport::{Printer, Uri};
use relais_core::avoir_slip::AvoirSlipDoc;
use relais_core::order_slip::OrderSlipDoc;
use relais_core::receipt::ReceiptDoc;
use relais_core::report::ReportDoc;
use std::time::Duration;

/// How long a drawer takes to spring open once pulsed (its 50 ms pulse, the bolt, the
/// spring), before its sensor is read.
pub const DRAWER_SETTLE: Duration = Duration::from_millis(250);

/// What to print.
#[derive(Debug, Clone, Copy)]
pub enum Job<'a> {
    /// A receipt; with `open_drawer`, the drawer's pulse before the cut.
    Receipt {
        doc: &'a ReceiptDoc,
        open_drawer: bool,
    },
    /// An X or Z report ([`layout::report`]): no drawer pulse.
    Report { doc: &'a ReportDoc },
    /// The set-up check page ([`layout::test_page`]).
    TestPage { open_drawer: bool },
    /// The drawer's pulse and nothing else (« Ouvrir le tiroir »).
    Drawer,
    /// An avoir's or gift voucher's slip ([`layout::avoir_slip`]), its QR code the signed
    /// code; no drawer pulse.
    AvoirSlip { doc: &'a AvoirSlipDoc },
    /// A customer order's slip ([`layout::order_slip`]): no drawer pulse.
    OrderSlip { doc: &'a OrderSlipDoc },
}

impl Job<'_> {
    /// The job's bytes for a printer set up as `setup`.
    pub fn bytes(&self, setup: &Setup) -> Vec<u8> {
        match *self {
            Job::Receipt { doc, open_drawer } => layout::receipt(doc, setup, open_drawer),
            Job::Report { doc } => layout::report(doc, setup),
            Job::TestPage { open_drawer } => layout::test_page(setup, open_drawer),
            Job::Drawer => setup.drawer.map(drawer_pulse).unwrap_or_default(),
            Job::AvoirSlip { doc } => layout::avoir_slip(doc, setup),
            Job::OrderSlip { doc } => layout::order_slip(doc, setup),
        }
    }

    fn pulses(&self, setup: &Setup) -> bool {
        let asked = match *self {
            Job::Receipt { open_drawer, .. } | Job::TestPage { open_drawer } => open_drawer,
            Job::Report { .. } | Job::AvoirSlip { .. } | Job::OrderSlip { .. } => false,
            Job::Drawer => true,
        };
        asked && setup.drawer.is_some()
    }
}

/// What the printer took and said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivered {
    /// The status read before sending (network printers; a device file cannot be asked).
    pub before: Option<Status>,
    /// The status read after a drawer pulse, when it could be.
    pub after: Option<Status>,
    /// Drawer pulses sent: 0, 1, or 2 when the drawer still reported closed after the first.
    pub pulses: u8,
}

impl Delivered {
    /// Paper is running low: worth telling, not stopping for.
    pub fn paper_low(&self) -> bool {
        [self.before, self.after]
            .iter()
            .flatten()
            .any(|s| s.paper_near_end)
    }
}

impl Setup {
    /// The set-up of the till's settings' numbers (columns, `ESC t` code page), the drawer on
    /// pin 2; `None` for numbers no printer here takes.
    pub fn from_numbers(columns: u8, code_page: u8) -> Option<Setup> {
        let columns = usize::from(columns);
        Some(Setup {
            columns: WIDTHS.contains(&columns).then_some(columns)?,
            page: CodePage::from_number(code_page)?,
            ..Setup::default()
        })
    }
}

/// Sends `job` to the printer at `uri` (see the module's documentation).
pub fn deliver(uri: &str, setup: &Setup, job: Job<'_>) -> Result<Delivered, PrinterError> {
    deliver_to(&Printer::new(uri)?, setup, job)
}

/// [`deliver`] to a printer already parsed (with its own deadline).
pub fn deliver_to(
    printer: &Printer,
    setup: &Setup,
    job: Job<'_>,
) -> Result<Delivered, PrinterError> {
    let bytes = job.bytes(setup);
    let mut delivered = Delivered {
        before: printer.print(&bytes)?,
        ..Delivered::default()
    };
    if !job.pulses(setup) {
        return Ok(delivered);
    }
    delivered.pulses = 1;
    if !matches!(printer.uri(), Uri::Tcp { .. }) {
        return Ok(delivered);
    }
    std::thread::sleep(DRAWER_SETTLE);
    // The job went out: a printer that cannot say where its drawer is now is no failure.
    delivered.after = printer.status().ok();
    if delivered.after.is_some_and(|s| !s.drawer_open) {
        // The receipt is out: a failed second pulse is not worth a reprint.
        if let Some(pin) = setup.drawer {
            if printer.send(&drawer_pulse(pin)).is_ok() {
                delivered.pulses = 2;
            }
        }
    }
    Ok(delivered)
}
