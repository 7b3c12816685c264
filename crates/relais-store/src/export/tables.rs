//! The CSV files of a bundle, each written twice: `csv/` in the standard dialect (UTF-8, `,`,
//! dot decimal, RFC 4180) and `excel-fr/` for a French Excel (UTF-8 with BOM, `;`, decimal
//! comma). Columns are specified in docs/EXPORT-FORMAT.md.

use crate::error::{Result, StoreError};
use relais_core::record::{Body, Record};
use relais_core::{Money, Qty, VatRate};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A value of a CSV cell, formatted per dialect.
pub enum Cell {
    Text(String),
    Money(Money),
    Qty(Qty),
    Rate(VatRate),
    Int(i64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        Cell::Text(s.unwrap_or_default())
    }
}

impl From<Money> for Cell {
    fn from(m: Money) -> Cell {
        Cell::Money(m)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Standard,
    ExcelFr,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::Standard, Dialect::ExcelFr];

    pub fn folder(self) -> &'static str {
        match self {
            Dialect::Standard => "csv",
            Dialect::ExcelFr => "excel-fr",
        }
    }

    fn decimal(self) -> char {
        match self {
            Dialect::Standard => '.',
            Dialect::ExcelFr => ',',
        }
    }

    fn delimiter(self) -> u8 {
        match self {
            Dialect::Standard => b',',
            Dialect::ExcelFr => b';',
        }
    }

    fn format(self, cell: &Cell) -> String {
        match cell {
            Cell::Text(t) => t.clone(),
            Cell::Money(m) => m.decimal(self.decimal()),
            Cell::Qty(q) => q.decimal(self.decimal()),
            Cell::Rate(r) => Money(i64::from(r.0)).decimal(self.decimal()),
            Cell::Int(i) => i.to_string(),
        }
    }
}

/// A file being written whose SHA-256 and size are known once it is closed.
pub struct HashingFile {
    inner: std::io::BufWriter<std::fs::File>,
    hasher: Sha256,
    bytes: u64,
    path: PathBuf,
}

impl HashingFile {
    pub fn create(path: &Path) -> Result<HashingFile> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
        }
        let file = std::fs::File::create(path).map_err(|e| StoreError::io(path, e))?;
        Ok(HashingFile {
            inner: std::io::BufWriter::new(file),
            hasher: Sha256::new(),
            bytes: 0,
            path: path.to_path_buf(),
        })
    }

    /// Flushes and syncs the file; returns (hex SHA-256, size).
    pub fn finish(mut self) -> Result<(String, u64)> {
        let path = self.path.clone();
        self.inner.flush().map_err(|e| StoreError::io(&path, e))?;
        self.inner
            .get_ref()
            .sync_all()
            .map_err(|e| StoreError::io(&path, e))?;
        Ok((hex::encode(self.hasher.finalize()), self.bytes))
    }
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One CSV table written in both dialects.
pub struct Table {
    pub name: &'static str,
    writers: Vec<(Dialect, csv::Writer<HashingFile>)>,
}

impl Table {
    pub fn create(dir: &Path, name: &'static str, headers: &[&str]) -> Result<Table> {
        let mut writers = Vec::new();
        for dialect in Dialect::ALL {
            let path = dir.join(dialect.folder()).join(name);
            let mut file = HashingFile::create(&path)?;
            if dialect == Dialect::ExcelFr {
                file.write_all("\u{feff}".as_bytes())
                    .map_err(|e| StoreError::io(&path, e))?;
            }
            let mut writer = csv::WriterBuilder::new()
                .delimiter(dialect.delimiter())
                .terminator(csv::Terminator::CRLF)
                .from_writer(file);
            writer
                .write_record(headers)
                .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
            writers.push((dialect, writer));
        }
        Ok(Table { name, writers })
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        for (dialect, writer) in &mut self.writers {
            let texts: Vec<String> = cells.iter().map(|c| dialect.format(c)).collect();
            writer
                .write_record(&texts)
                .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        }
        Ok(())
    }

    /// Closes both files; returns (relative path, SHA-256, size) of each.
    pub fn finish(self) -> Result<Vec<(String, String, u64)>> {
        let mut files = Vec::new();
        for (dialect, writer) in self.writers {
            let file = writer
                .into_inner()
                .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
            let (sha, size) = file.finish()?;
            files.push((format!("{}/{}", dialect.folder(), self.name), sha, size));
        }
        Ok(files)
    }
}

pub const SALES: &[&str] = &[
    "id",
    "number",
    "kind",
    "till",
    "business_day",
    "recorded_at_utc",
    "local_time",
    "operator",
    "total_ttc",
    "total_ht",
    "total_vat",
    "lines",
    "corrects",
    "reason",
    "late_sold_at_utc",
    "late_slip",
    "note",
    "hash",
];
pub const SALE_LINES: &[&str] = &[
    "sale_id",
    "number",
    "line",
    "label",
    "sku",
    "barcode",
    "department",
    "qty",
    "unit_price_ttc",
    "vat_rate",
    "gross_ttc",
    "discount",
    "ticket_discount",
    "total_ttc",
    "total_ht",
    "of_line",
];
pub const PAYMENTS: &[&str] = &[
    "sale_id",
    "number",
    "kind",
    "method",
    "amount",
    "tendered",
    "change",
    "reference",
];
pub const VAT: &[&str] = &["sale_id", "number", "kind", "vat_rate", "ht", "vat", "ttc"];
pub const CASH_MOVEMENTS: &[&str] = &[
    "id",
    "number",
    "business_day",
    "recorded_at_utc",
    "operator",
    "direction",
    "category",
    "amount",
    "reason",
];
pub const EVENTS: &[&str] = &[
    "id",
    "number",
    "recorded_at_utc",
    "local_time",
    "code",
    "name",
    "message",
    "operator",
];
pub const CLOSURES: &[&str] = &[
    "id",
    "number",
    "period",
    "first_day",
    "last_day",
    "automatic",
    "sales",
    "refunds",
    "voids",
    "total_ttc",
    "float",
    "cash_expected",
    "cash_counted",
    "cash_variance",
    "card_recorded",
    "card_terminal",
    "card_variance",
    "deposits_received",
    "deposits_refunded",
    "perpetual_total",
    "perpetual_abs_total",
    "signature",
];
pub const DEPOSITS: &[&str] = &[
    "id",
    "number",
    "order",
    "business_day",
    "recorded_at_utc",
    "operator",
    "amount",
    "methods",
];

fn kind(record: &Record) -> String {
    record.kind().code().to_string()
}

/// Rows of the ticket tables (sales, lines, payments, VAT) for a sale, refund or void.
pub fn ticket_rows(
    record: &Record,
    hash: &str,
    local_time: &str,
    tables: &mut TicketTables,
) -> Result<()> {
    let Some(t) = record.body.ticket() else {
        return Ok(());
    };
    let id = record.id.to_string();
    let number = record.number();
    let ht = Money::sum(t.vat.iter().map(|v| v.ht_cents)).unwrap_or_default();
    let vat = Money::sum(t.vat.iter().map(|v| v.vat_cents)).unwrap_or_default();
    tables.sales.row(&[
        id.clone().into(),
        number.clone().into(),
        kind(record).into(),
        record.till.clone().into(),
        record.business_day.clone().into(),
        record.at.clone().into(),
        local_time.into(),
        record.operator.clone().into(),
        t.total_cents.into(),
        ht.into(),
        vat.into(),
        Cell::Int(t.lines.len() as i64),
        t.corrects.as_ref().map(|l| l.number.clone()).into(),
        t.reason.clone().into(),
        t.late.as_ref().map(|l| l.sold_at.clone()).into(),
        t.late.as_ref().map(|l| l.slip.clone()).into(),
        t.note.clone().into(),
        hash.into(),
    ])?;
    for (index, l) in t.lines.iter().enumerate() {
        tables.lines.row(&[
            id.clone().into(),
            number.clone().into(),
            Cell::Int(index as i64 + 1),
            l.label.clone().into(),
            l.sku.clone().into(),
            l.barcode.clone().into(),
            l.department.clone().into(),
            Cell::Qty(l.qty_milli),
            l.unit_price_cents.into(),
            Cell::Rate(l.vat_rate_bp),
            l.gross_cents.into(),
            l.discount_cents.into(),
            l.ticket_discount_cents.into(),
            l.total_cents.into(),
            l.ht_cents.into(),
            l.of_line.map(|i| (i + 1).to_string()).into(),
        ])?;
    }
    for p in &t.payments {
        tables.payments.row(&[
            id.clone().into(),
            number.clone().into(),
            kind(record).into(),
            p.method.code().into(),
            p.amount_cents.into(),
            p.tendered_cents
                .map(Cell::Money)
                .unwrap_or_else(|| "".into()),
            p.change_cents.map(Cell::Money).unwrap_or_else(|| "".into()),
            p.reference.clone().into(),
        ])?;
    }
    for v in &t.vat {
        tables.vat.row(&[
            id.clone().into(),
            number.clone().into(),
            kind(record).into(),
            Cell::Rate(v.rate_bp),
            v.ht_cents.into(),
            v.vat_cents.into(),
            v.ttc_cents.into(),
        ])?;
    }
    Ok(())
}

pub struct TicketTables {
    pub sales: Table,
    pub lines: Table,
    pub payments: Table,
    pub vat: Table,
}

/// The row of a record in the other tables, if it has one.
pub fn other_rows(record: &Record, local_time: &str, tables: &mut OtherTables) -> Result<()> {
    let id = record.id.to_string();
    let number = record.number();
    match &record.body {
        Body::CashMovement(m) => tables.cash_movements.row(&[
            id.into(),
            number.into(),
            record.business_day.clone().into(),
            record.at.clone().into(),
            record.operator.clone().into(),
            serde_json::to_value(m.direction)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .into(),
            m.category.clone().into(),
            m.amount_cents.into(),
            m.reason.clone().into(),
        ]),
        Body::Event(e) => tables.events.row(&[
            id.into(),
            number.into(),
            record.at.clone().into(),
            local_time.into(),
            Cell::Int(i64::from(e.code)),
            e.name.clone().into(),
            e.message.clone().into(),
            record.operator.clone().into(),
        ]),
        Body::Deposit(d) => tables.deposits.row(&[
            id.into(),
            number.into(),
            d.order.number.clone().into(),
            record.business_day.clone().into(),
            record.at.clone().into(),
            record.operator.clone().into(),
            d.amount_cents.into(),
            d.payments
                .iter()
                .map(|p| p.method.code())
                .collect::<Vec<_>>()
                .join("+")
                .into(),
        ]),
        Body::Closure(c) => {
            let t = &c.totals;
            let money = |m: Option<Money>| m.map(Cell::Money).unwrap_or_else(|| "".into());
            tables.closures.row(&[
                id.into(),
                number.into(),
                c.period.code().into(),
                c.first_day.clone().into(),
                c.last_day.clone().into(),
                c.automatic.to_string().into(),
                Cell::Int(t.sales as i64),
                Cell::Int(t.refunds as i64),
                Cell::Int(t.voids as i64),
                t.total_cents.into(),
                t.float_cents.into(),
                t.expected_cash_cents.into(),
                money(c.cash_count.as_ref().map(|k| k.counted_cents)),
                money(c.cash_count.as_ref().map(|k| k.variance_cents)),
                t.tender(relais_core::Method::Card).into(),
                money(c.card_check.as_ref().map(|k| k.terminal_total_cents)),
                money(c.card_check.as_ref().map(|k| k.variance_cents)),
                t.deposits_received_cents.into(),
                t.deposits_refunded_cents.into(),
                c.perpetual_total_cents.into(),
                c.perpetual_abs_total_cents.into(),
                c.signature.value.clone().into(),
            ])
        }
        _ => Ok(()),
    }
}

pub struct OtherTables {
    pub cash_movements: Table,
    pub events: Table,
    pub deposits: Table,
    pub closures: Table,
}
