//! Ledger records: the envelope every record shares, and the data of each kind.
//!
//! The canonical form of a record (what is hashed) is its JSON serialization as specified in
//! docs/CHAIN.md and produced by [`crate::canonical`].

use crate::avoir::{AvoirData, AvoirUseData};
use crate::closure::{CashMovementData, ClosureData, DayOpenData};
use crate::event::EventData;
use crate::money::{Money, VatRate};
use crate::order::{DepositData, OrderData, OrderEventData};
use crate::ticket::{Link, Ticket};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// Version of the canonical record format; bumped on any change to the hashed bytes.
pub const FORMAT_VERSION: u32 = 1;

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Sale,
    Refund,
    Void,
    ReceiptCopy,
    Closure,
    Event,
    DayOpen,
    CashMovement,
    Order,
    OrderEvent,
    Deposit,
    Avoir,
    AvoirUse,
}

/// A gapless numbering series of a till. Sales, refunds and voids share the ticket series
/// (as certified French systems do); copies, closures and technical events have their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Series {
    Ticket,
    Copy,
    Closure,
    Event,
    Movement,
    Order,
    Deposit,
    Avoir,
    AvoirUse,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Sale,
        Kind::Refund,
        Kind::Void,
        Kind::ReceiptCopy,
        Kind::Closure,
        Kind::Event,
        Kind::DayOpen,
        Kind::CashMovement,
        Kind::Order,
        Kind::OrderEvent,
        Kind::Deposit,
        Kind::Avoir,
        Kind::AvoirUse,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Sale => "sale",
            Kind::Refund => "refund",
            Kind::Void => "void",
            Kind::ReceiptCopy => "receipt_copy",
            Kind::Closure => "closure",
            Kind::Event => "event",
            Kind::DayOpen => "day_open",
            Kind::CashMovement => "cash_movement",
            Kind::Order => "order",
            Kind::OrderEvent => "order_event",
            Kind::Deposit => "deposit",
            Kind::Avoir => "avoir",
            Kind::AvoirUse => "avoir_use",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn series(self) -> Series {
        match self {
            Kind::Sale | Kind::Refund | Kind::Void => Series::Ticket,
            Kind::ReceiptCopy => Series::Copy,
            Kind::Closure => Series::Closure,
            Kind::Event | Kind::DayOpen | Kind::OrderEvent => Series::Event,
            Kind::CashMovement => Series::Movement,
            Kind::Order => Series::Order,
            Kind::Deposit => Series::Deposit,
            Kind::Avoir => Series::Avoir,
            Kind::AvoirUse => Series::AvoirUse,
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Kind::Sale => "Vente",
            Kind::Refund => "Remboursement",
            Kind::Void => "Annulation",
            Kind::ReceiptCopy => "Duplicata",
            Kind::Closure => "Clôture",
            Kind::Event => "Événement technique",
            Kind::DayOpen => "Ouverture de journée",
            Kind::CashMovement => "Mouvement de caisse",
            Kind::Order => "Commande",
            Kind::OrderEvent => "Suivi de commande",
            Kind::Deposit => "Acompte",
            Kind::Avoir => "Avoir",
            Kind::AvoirUse => "Utilisation d'avoir",
        }
    }
}

impl Series {
    pub const ALL: [Series; 9] = [
        Series::Ticket,
        Series::Copy,
        Series::Closure,
        Series::Event,
        Series::Movement,
        Series::Order,
        Series::Deposit,
        Series::Avoir,
        Series::AvoirUse,
    ];

    pub fn from_code(code: &str) -> Option<Series> {
        Series::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Series::Ticket => "ticket",
            Series::Copy => "copy",
            Series::Closure => "closure",
            Series::Event => "event",
            Series::Movement => "movement",
            Series::Order => "order",
            Series::Deposit => "deposit",
            Series::Avoir => "avoir",
            Series::AvoirUse => "avoir_use",
        }
    }

    /// The letter between till code and number: `T1-000042`, `T1-D000003`, `T1-Z000001`.
    pub fn prefix(self) -> &'static str {
        match self {
            Series::Ticket => "",
            Series::Copy => "D",
            Series::Closure => "Z",
            Series::Event => "E",
            Series::Movement => "M",
            Series::Order => "C",
            Series::Deposit => "A",
            Series::Avoir => crate::avoir::SERIES_LETTER,
            Series::AvoirUse => "U",
        }
    }
}

/// The number people read: till, series letter, six-digit sequence (`T1-000042`).
pub fn display_number(till: &str, series: Series, seq: u64) -> String {
    format!("{till}-{}{seq:06}", series.prefix())
}

/// A reprint of a receipt; the original is never printed twice without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiptCopyData {
    pub of: Link,
    /// 1 for the first duplicate, 2 for the second…
    pub copy_no: u32,
}

/// The data of a record, tagged by its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
// A closure is large and a sale small; records are handled one at a time, and boxing the
// closure would change every match on `Body` for no memory that matters.
#[allow(clippy::large_enum_variant)]
pub enum Body {
    Sale(Ticket),
    Refund(Ticket),
    Void(Ticket),
    ReceiptCopy(ReceiptCopyData),
    Closure(ClosureData),
    Event(EventData),
    DayOpen(DayOpenData),
    CashMovement(CashMovementData),
    Order(OrderData),
    OrderEvent(OrderEventData),
    Deposit(DepositData),
    Avoir(AvoirData),
    AvoirUse(AvoirUseData),
}

impl Body {
    pub fn kind(&self) -> Kind {
        match self {
            Body::Sale(_) => Kind::Sale,
            Body::Refund(_) => Kind::Refund,
            Body::Void(_) => Kind::Void,
            Body::ReceiptCopy(_) => Kind::ReceiptCopy,
            Body::Closure(_) => Kind::Closure,
            Body::Event(_) => Kind::Event,
            Body::DayOpen(_) => Kind::DayOpen,
            Body::CashMovement(_) => Kind::CashMovement,
            Body::Order(_) => Kind::Order,
            Body::OrderEvent(_) => Kind::OrderEvent,
            Body::Deposit(_) => Kind::Deposit,
            Body::Avoir(_) => Kind::Avoir,
            Body::AvoirUse(_) => Kind::AvoirUse,
        }
    }

    /// The ticket of a sale, refund or void.
    pub fn ticket(&self) -> Option<&Ticket> {
        match self {
            Body::Sale(t) | Body::Refund(t) | Body::Void(t) => Some(t),
            _ => None,
        }
    }

    /// The signed total a record adds to the till's turnover, if it is a ticket or closure.
    pub fn total(&self) -> Option<Money> {
        match self {
            Body::Closure(c) => Some(c.total_cents()),
            other => other.ticket().map(|t| t.total_cents),
        }
    }
}

/// One ledger record: the envelope shared by every kind, then its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Record {
    /// Canonical format version ([`FORMAT_VERSION`]).
    pub v: u32,
    #[ts(type = "string")]
    pub id: Uuid,
    pub till: String,
    /// Position in the till's chain: 1, 2, 3… over every kind.
    #[ts(type = "number")]
    pub pos: u64,
    /// Number within the kind's series (see [`Series`]).
    #[ts(type = "number")]
    pub seq: u64,
    /// UTC instant of recording, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    pub at: String,
    /// The till's IANA time zone and its offset from UTC at `at`, in minutes.
    pub tz: String,
    pub utc_offset_min: i32,
    /// The business day (`YYYY-MM-DD`) the record belongs to.
    pub business_day: String,
    pub operator: String,
    /// Training records are never turnover.
    pub training: bool,
    #[serde(flatten)]
    pub body: Body,
}

impl Record {
    pub fn kind(&self) -> Kind {
        self.body.kind()
    }

    pub fn number(&self) -> String {
        display_number(&self.till, self.kind().series(), self.seq)
    }

    /// When it was recorded, in its till's zone: "28/11/2026 15:16:09".
    pub fn local_time(&self) -> String {
        match (
            crate::time::parse_zone(&self.tz),
            crate::time::parse_instant(&self.at),
        ) {
            (Some(zone), Some(at)) => crate::time::local_display(zone, at),
            _ => self.at.clone(),
        }
    }

    pub fn link(&self) -> Link {
        Link {
            id: self.id,
            number: self.number(),
        }
    }

    /// The record `serde_json::from_str(text)` reads, read faster from a canonical `text`'s
    /// members ([`canonical_members`](crate::canonical::canonical_members)): with
    /// `#[serde(flatten)]` and the body's `data` before its `kind`, serde buffers the whole
    /// body before reading it; here each field is read from its own text and the body with
    /// its kind first. `None` exactly when serde fails (tested on every record of an exported
    /// till, and on altered ones).
    pub fn from_canonical(members: &[(&str, &str)]) -> Option<Record> {
        let member = |key| members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let tagged = format!(
            "{{\"kind\":{},\"data\":{}}}",
            member("kind")?,
            member("data")?
        );
        Some(Record {
            v: field(members, "v")?,
            id: field(members, "id")?,
            till: field(members, "till")?,
            pos: field(members, "pos")?,
            seq: field(members, "seq")?,
            at: field(members, "at")?,
            tz: field(members, "tz")?,
            utc_offset_min: field(members, "utc_offset_min")?,
            business_day: field(members, "business_day")?,
            operator: field(members, "operator")?,
            training: field(members, "training")?,
            body: serde_json::from_str(&tagged).ok()?,
        })
    }
}

/// The member `key` read as serde reads that field of a struct.
fn field<T: serde::de::DeserializeOwned>(members: &[(&str, &str)], key: &str) -> Option<T> {
    let text = members.iter().find(|(k, _)| *k == key)?.1;
    serde_json::from_str(text).ok()
}

/// VAT rates as shown to people: "20 %, 10 %, 5,5 %".
pub fn rates_text(rates: &[VatRate]) -> String {
    rates
        .iter()
        .map(VatRate::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stored record's body read back: the canonical fast path first (the ledger and
/// records.jsonl hold canonical JSON), serde's reader for anything else.
pub fn record_of(body: &str) -> Result<Record, serde_json::Error> {
    let quick = crate::canonical::canonical_members(body)
        .and_then(|members| Record::from_canonical(&members));
    match quick {
        Some(record) => Ok(record),
        None => serde_json::from_str(body),
    }
}
