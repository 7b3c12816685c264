//! The reconciliation bundle: what managers take back to the SaaS once it is up again.
//! A folder (optionally zipped) with a signed manifest, every record in JSON Lines for
//! programs, CSV files for people in two dialects, and a printable French report. Specified
//! in docs/EXPORT-FORMAT.md.
//!
//! This crate writes bundles from records handed to it in position order, verifies them and
//! merges several tills' bundles into one. It knows no database: the store feeds it from the
//! ledger, and an auditor or a head office can verify and merge bundles without a till.
//! Streaming: memory stays flat whatever the number of records.

pub mod archive;
mod avoirs;
mod bundle;
mod derive;
mod error;
pub mod fec;
mod gathered;
mod merge;
pub mod poslog;
pub mod report;
mod rows;
mod tables;
mod verify;
mod writer;

pub use avoirs::{write_avoirs, AvoirBook, AvoirConflict};
pub use bundle::{
    zip_folder, ArchivePeriod, BundleFile, Manifest, ManifestSignature, Outage, TillChain, FORMAT,
    FORMAT_VERSION,
};
pub use error::{BundleError, Result};
pub use gathered::{write_file, write_orders, write_products, Gathered};
pub use merge::{merge_bundles, merge_held, Conflict, MergeReport};
pub use poslog::PoslogWriter;
pub use tables::HashingFile;
pub use verify::{verify_bundle, BundleVerdict, FileState, VerdictStep};
pub use writer::{BundleWriter, LedgerLine, Written};

/// One line of records.jsonl, as a bundle writes it (canonical JSON, no newline): the line a
/// till serves its peers (issue 26).
pub fn record_line(till: &str, stored: &LedgerLine) -> String {
    writer::line_text(till, stored)
}

/// One line of records.jsonl read on its own: its till, the row the chain check takes
/// (`body` canonical), and the record already parsed when the line's body was canonical (then
/// `RecordAudit::push_parsed` checks it without parsing it again; else `push`); or what is
/// wrong with it, as (English, French).
#[allow(clippy::type_complexity)]
pub fn read_record_line(
    line: &str,
) -> std::result::Result<
    (
        String,
        relais_core::StoredRecord,
        Option<relais_core::Record>,
    ),
    (String, String),
> {
    verify::read_line(line)
}

/// The software version written into merged manifests.
pub const SOFTWARE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every file of a bundle folder, relative, with `/` (for tests and tools).
pub fn collect_bundle_files(folder: &std::path::Path, out: &mut Vec<String>) {
    let _ = bundle::collect_files(folder, folder, out);
}
