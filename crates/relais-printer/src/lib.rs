//! Relais receipts on ESC/POS thermal printers, with no dialog in the way: the commands
//! ([`escpos`]) and the text in the printer's code page ([`codepage`]), the receipt laid out
//! at the paper's width ([`layout`]), the network and device-file transports with their
//! deadlines and the printer's status ([`transport`], [`status`]), and a fake printer for
//! tests (`fake`, under `cfg(test)` or the `fake` feature).
//!
//! No store, no SQL, no GUI: callers hand in a `ReceiptDoc` and an address, and get bytes
//! sent or a [`PrinterError`] with a kind.

pub mod codepage;
pub mod deliver;
pub mod error;
pub mod escpos;
#[cfg(any(test, feature = "fake"))]
pub mod fake;
pub mod layout;
#[cfg(windows)]
mod spooler;
pub mod status;
pub mod transport;

pub use codepage::CodePage;
pub use deliver::{deliver, deliver_to, Delivered, Job};
pub use error::PrinterError;
pub use escpos::{drawer_pulse, Pin};
pub use layout::{order_slip, receipt, report, test_page, Setup};
pub use status::Status;
pub use transport::{Printer, Uri, TIMEOUT};

#[cfg(test)]
mod deliver_tests;
#[cfg(test)]
mod order_slip_tests;
#[cfg(test)]
mod receipt_tests;
#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod tests;
