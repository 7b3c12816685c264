//! Relais domain: money, VAT, ledger records, their canonical form and hash chain.
//!
//! Pure: no file, database, network or clock access. The store and the programs pass in
//! what the outside world says (the time, the configured VAT rates) and persist what comes out.

pub mod audit;
pub mod avoir;
pub mod avoir_slip;
pub mod bounds;
pub mod canonical;
pub mod catalog;
pub mod chain;
pub mod closure;
pub mod event;
pub mod gate;
pub mod i18n;
pub mod liability;
pub mod money;
pub mod order;
pub mod order_slip;
pub mod order_view;
pub mod printer_uri;
pub mod receipt;
pub mod record;
pub mod refund;
pub mod report;
pub mod sale;
pub mod summary;
pub mod ticket;
pub mod time;

pub use audit::RecordAudit;
pub use chain::{Anchor, ChainSummary, ChainVerifier, Defect, RecordName, Sealed, StoredRecord};
pub use event::{EventData, EventType};
pub use i18n::{Lang, Text};
pub use money::{Money, Qty, VatRate, DEFAULT_VAT_RATES};
pub use order_view::{fold_order, OrderHistoryEntry, OrderLineView, OrderView};
pub use printer_uri::{PrinterUri, UriProblem};
pub use receipt::Shop;
pub use record::{display_number, Body, Kind, Record, Series, FORMAT_VERSION};
pub use sale::{price_cart, price_sale, SaleError, SaleInput};
pub use summary::Summarizer;
pub use ticket::{Line, Link, Method, Payment, Ticket, VatTotal};

#[cfg(test)]
mod worked_example_tests;
