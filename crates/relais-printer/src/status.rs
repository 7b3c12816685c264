//! The printer's real-time status: `DLE EOT 1` (printer), `DLE EOT 2` (offline cause) and
//! `DLE EOT 4` (roll paper sensor), one byte back each. Every answer byte has bits 1 and 4
//! set and bits 0 and 7 clear, which tells a status byte from anything else.

use crate::error::PrinterError;
use crate::escpos::{DLE, EOT};

/// The three requests, sent in one write: the printer answers three bytes, in order.
pub const REQUEST: [u8; 9] = [DLE, EOT, 1, DLE, EOT, 2, DLE, EOT, 4];

/// A status byte with no flag set.
pub const FIXED_BITS: u8 = 0x12;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
    pub online: bool,
    pub cover_open: bool,
    /// Printing stopped: no paper.
    pub paper_end: bool,
    /// Little paper left: print, but warn.
    pub paper_near_end: bool,
    /// An error stopped the printer (cutter jammed, head too hot…).
    pub error: bool,
    /// Pin 3 of the drawer connector is high: most drawers report "open" so, some the
    /// other way round.
    pub drawer_open: bool,
}

impl Status {
    /// The status of the answers to [`REQUEST`] (`None` unless three status bytes).
    pub fn parse(answer: &[u8]) -> Option<Status> {
        let &[printer, offline, paper] = answer else {
            return None;
        };
        if answer.iter().any(|b| b & 0x93 != FIXED_BITS) {
            return None;
        }
        Some(Status {
            online: printer & 0x08 == 0,
            drawer_open: printer & 0x04 != 0,
            cover_open: offline & 0x04 != 0,
            paper_end: offline & 0x20 != 0 || paper & 0x60 != 0,
            paper_near_end: paper & 0x0C != 0,
            error: offline & 0x40 != 0,
        })
    }

    /// The answer bytes a printer in this state sends (the fake printer's answers).
    pub fn answer(&self) -> [u8; 3] {
        let flag = |on: bool, bits: u8| if on { bits } else { 0 };
        [
            FIXED_BITS | flag(!self.online, 0x08) | flag(self.drawer_open, 0x04),
            FIXED_BITS
                | flag(self.cover_open, 0x04)
                | flag(self.paper_end, 0x20)
                | flag(self.error, 0x40),
            FIXED_BITS | flag(self.paper_end, 0x60) | flag(self.paper_near_end, 0x0C),
        ]
    }

    /// A printer ready to print.
    pub fn ready() -> Status {
        Status {
            online: true,
            ..Status::default()
        }
    }

    /// What stops this printer from printing, the most useful to tell first.
    pub fn problem(&self) -> Option<PrinterError> {
        if self.paper_end {
            Some(PrinterError::PaperOut)
        } else if self.cover_open {
            Some(PrinterError::CoverOpen)
        } else if !self.online || self.error {
            Some(PrinterError::Offline)
        } else {
            None
        }
    }
}
