//! What one pass over the records gathers for the manifest and the report, and the files
//! written from it (orders, products created at the counter).

use crate::error::{BundleError, Result};
use crate::report;
use crate::tables::{self, Cell, HashingFile, Table};
use crate::BundleFile;
use relais_core::record::{Body, Record};
use relais_core::EventType;
use relais_core::OrderView;
use relais_core::Summarizer;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Everything the pass over the ledger gathers for the manifest and the report.
#[derive(Default)]
pub struct Gathered {
    pub summarizer: Summarizer,
    pub counts: BTreeMap<String, u64>,
    pub first_seq: BTreeMap<String, u64>,
    pub last_seq: BTreeMap<String, u64>,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub report: report::ReportData,
    pub orders: Vec<String>,
    /// (event number, details) of each product created at the counter.
    pub created_products: Vec<(String, serde_json::Value)>,
    /// Merges: every order's own records, to fold its state without a database.
    pub order_records: BTreeMap<String, Vec<Record>>,
    /// The business day of the last day opening met in the pass.
    pub open_day: Option<String>,
    /// Tickets dated to a day earlier than the one open when they were recorded (paper
    /// slips keyed in later), per day: no day closure's totals hold them (a closure counts
    /// the records of its own day from its opening on).
    pub late: BTreeMap<String, Summarizer>,
    /// (number, business day, movement) of each cash movement, for the accountant's journal.
    pub cash_movements: Vec<(String, String, relais_core::closure::CashMovementData)>,
}

/// orders.csv, order_lines.csv, order_events.csv: the orders given, with every change.
pub fn write_orders(folder: &Path, views: &[OrderView]) -> Result<Vec<BundleFile>> {
    {
        let mut orders = Table::create(
            folder,
            "orders.csv",
            &[
                "id",
                "number",
                "created_local",
                "status",
                "customer",
                "phone",
                "email",
                "address",
                "requested_date",
                "fulfilment",
                "total_ttc",
                "deposits",
                "balance",
                "sale",
                "note",
            ],
        )?;
        let mut lines = Table::create(
            folder,
            "order_lines.csv",
            &[
                "order",
                "line",
                "label",
                "qty",
                "unit_price_ttc",
                "total_ttc",
            ],
        )?;
        let mut events = Table::create(
            folder,
            "order_events.csv",
            &["order", "number", "local_time", "operator", "what"],
        )?;
        for o in views {
            let status = serde_json::to_value(o.status)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            let fulfilment = serde_json::to_value(o.fulfilment)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            orders.row(&[
                o.id.clone().into(),
                o.number.clone().into(),
                Cell::local_time(o.created.as_str()),
                status.into(),
                o.customer.name.clone().into(),
                Cell::id(o.customer.phone.as_deref().unwrap_or("")),
                o.customer.email.clone().into(),
                o.customer.address.clone().into(),
                o.requested_date.clone().into(),
                fulfilment.into(),
                relais_core::Money(o.total_cents).into(),
                relais_core::Money(o.deposits_cents).into(),
                relais_core::Money(o.balance_cents).into(),
                o.sale.clone().into(),
                o.note.clone().into(),
            ])?;
            for (index, l) in o.lines.iter().enumerate() {
                lines.row(&[
                    o.number.clone().into(),
                    Cell::Int(index as i64 + 1),
                    l.label.clone().into(),
                    // Three decimals, as every quantity of the bundle (the view's text is "1").
                    match relais_core::Qty::parse(&l.qty) {
                        Ok(qty) => Cell::Qty(qty),
                        Err(_) => l.qty.clone().into(),
                    },
                    relais_core::Money(l.unit_price_cents).into(),
                    relais_core::Money(l.total_cents).into(),
                ])?;
            }
            for h in &o.history {
                events.row(&[
                    o.number.clone().into(),
                    h.number.clone().into(),
                    Cell::local_time(h.local_time.as_str()),
                    h.operator.clone().into(),
                    h.what.clone().into(),
                ])?;
            }
        }
        tables::finish_all([orders, lines, events])
    }
}

/// products_created.csv: the products created at the counter within the range (from their
/// journal events, which say what they were created as).
pub fn write_products(folder: &Path, gathered: &Gathered) -> Result<Vec<BundleFile>> {
    let mut table = Table::create(
        folder,
        "products_created.csv",
        &[
            "event",
            "barcode",
            "sku",
            "label",
            "price_ttc",
            "vat_rate",
            "department",
        ],
    )?;
    for (number, d) in &gathered.created_products {
        let text = |key: &str| d[key].as_str().map(String::from);
        table.row(&[
            number.clone().into(),
            Cell::id(text("barcode").unwrap_or_default()),
            Cell::id(text("sku").unwrap_or_default()),
            text("label").into(),
            relais_core::Money(d["price_cents"].as_i64().unwrap_or(0)).into(),
            Cell::Rate(relais_core::VatRate(
                d["vat_rate_bp"].as_u64().unwrap_or(0) as u32
            )),
            text("department").into(),
        ])?;
    }
    table.finish()
}

impl Gathered {
    pub fn take(&mut self, record: &Record, local: &str) -> Result<()> {
        self.summarizer
            .add(record)
            .map_err(|_| BundleError::out_of_range())?;
        *self
            .counts
            .entry(record.kind().code().to_string())
            .or_default() += 1;
        let series = record.kind().series().code().to_string();
        self.first_seq.entry(series.clone()).or_insert(record.seq);
        self.last_seq.insert(series, record.seq);
        if let Body::DayOpen(_) = record.body {
            self.open_day = Some(record.business_day.clone());
        }
        let earlier = self
            .open_day
            .as_ref()
            .is_some_and(|open| &record.business_day < open);
        if record.body.ticket().is_some() && earlier {
            self.late
                .entry(record.business_day.clone())
                .or_default()
                .add(record)
                .map_err(|_| BundleError::out_of_range())?;
        }
        if record.body.ticket().is_some() {
            let day = &record.business_day;
            if self.first_day.as_ref().is_none_or(|d| day < d) {
                self.first_day = Some(day.clone());
            }
            if self.last_day.as_ref().is_none_or(|d| day > d) {
                self.last_day = Some(day.clone());
            }
        }
        match &record.body {
            Body::Order(_) => {
                self.note_order(record.id.to_string());
                self.order_records
                    .entry(record.id.to_string())
                    .or_default()
                    .insert(0, record.clone());
            }
            Body::OrderEvent(e) => {
                self.note_order(e.order.id.to_string());
                self.order_records
                    .entry(e.order.id.to_string())
                    .or_default()
                    .push(record.clone());
            }
            Body::Deposit(d) => {
                self.note_order(d.order.id.to_string());
                self.order_records
                    .entry(d.order.id.to_string())
                    .or_default()
                    .push(record.clone());
            }
            Body::CashMovement(m) => {
                self.cash_movements
                    .push((record.number(), record.business_day.clone(), m.clone()));
            }
            Body::Event(e) if e.name == EventType::ProductCreated.name() => {
                self.created_products
                    .push((record.number(), e.details.clone()));
            }
            _ => {}
        }
        self.report.take(record, local);
        Ok(())
    }

    /// The totals of [`Gathered::late`], per day.
    pub fn late_totals(&mut self) -> Result<BTreeMap<String, relais_core::closure::PeriodTotals>> {
        std::mem::take(&mut self.late)
            .into_iter()
            .map(|(day, summarizer)| {
                let totals = summarizer
                    .finish()
                    .map_err(|_| BundleError::out_of_range())?;
                Ok((day, totals))
            })
            .collect()
    }

    fn note_order(&mut self, id: String) {
        if !self.orders.contains(&id) {
            self.orders.push(id);
        }
    }
}

/// Writes a whole file and returns its entry.
pub fn write_file(folder: &Path, name: &str, bytes: &[u8]) -> Result<BundleFile> {
    let mut file = HashingFile::create(&folder.join(name))?;
    file.write_all(bytes)
        .map_err(|e| BundleError::io(folder.join(name), e))?;
    let (sha256, size) = file.finish()?;
    Ok(BundleFile {
        path: name.into(),
        sha256,
        bytes: size,
    })
}
