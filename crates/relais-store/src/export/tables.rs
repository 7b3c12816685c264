//! The CSV files of a bundle, each written twice: `csv/` in the standard dialect (UTF-8, `,`,
//! dot decimal, RFC 4180) and `excel-fr/` for a French Excel (UTF-8 with BOM, `;`, decimal
//! comma). Columns are specified in docs/EXPORT-FORMAT.md.

use super::BundleFile;
use crate::error::{Result, StoreError};
use relais_core::record::{Body, Record};
use relais_core::{Money, Qty, VatRate};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A value of a CSV cell, formatted per dialect. Text borrows where it can: the export
/// writes millions of cells.
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Money(Money),
    Qty(Qty),
    Rate(VatRate),
    Int(i64),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Cell<'a> {
    fn from(s: &'a String) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a Option<String>> for Cell<'a> {
    fn from(s: &'a Option<String>) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s.as_deref().unwrap_or("")))
    }
}

impl From<String> for Cell<'_> {
    fn from(s: String) -> Self {
        Cell::Text(Cow::Owned(s))
    }
}

impl From<Option<String>> for Cell<'_> {
    fn from(s: Option<String>) -> Self {
        Cell::Text(Cow::Owned(s.unwrap_or_default()))
    }
}

impl From<Money> for Cell<'_> {
    fn from(m: Money) -> Self {
        Cell::Money(m)
    }
}

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
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

    fn decimal(self) -> u8 {
        match self {
            Dialect::Standard => b'.',
            Dialect::ExcelFr => b',',
        }
    }

    fn delimiter(self) -> u8 {
        match self {
            Dialect::Standard => b',',
            Dialect::ExcelFr => b';',
        }
    }

    /// The bytes of a cell: text as it is, numbers written into `buffer`. For Excel, a text
    /// that a spreadsheet would take for a formula (a label typed as "=1+1" or "@SUM(…)")
    /// is kept as text by a leading apostrophe.
    fn field<'b>(self, cell: &'b Cell, buffer: &'b mut Vec<u8>) -> &'b [u8] {
        buffer.clear();
        match cell {
            Cell::Text(t) if self == Dialect::ExcelFr && t.starts_with(FORMULA_STARTS) => {
                buffer.push(b'\'');
                buffer.extend_from_slice(t.as_bytes());
            }
            Cell::Text(t) => return t.as_bytes(),
            Cell::Money(m) => push_scaled::<2>(buffer, m.0, self.decimal()),
            Cell::Qty(q) => push_scaled::<3>(buffer, q.milli(), self.decimal()),
            Cell::Rate(r) => push_scaled::<2>(buffer, i64::from(r.0), self.decimal()),
            Cell::Int(i) => buffer.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
        }
        buffer
    }
}

/// `value` scaled by 10^`DECIMALS`, written with every decimal: what `Money::decimal` and
/// `Qty::decimal` print, without their allocation (and with constant divisors: this runs
/// for millions of cells).
fn push_scaled<const DECIMALS: u32>(out: &mut Vec<u8>, value: i64, separator: u8) {
    if value < 0 {
        out.push(b'-');
    }
    let abs = value.unsigned_abs();
    let unit = 10u64.pow(DECIMALS);
    out.extend_from_slice(itoa::Buffer::new().format(abs / unit).as_bytes());
    out.push(separator);
    let fraction = abs % unit;
    for place in (0..DECIMALS).rev() {
        out.push(b'0' + (fraction / 10u64.pow(place) % 10) as u8);
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
            inner: std::io::BufWriter::with_capacity(CSV_BUFFER, file),
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

/// Bytes each CSV writer gathers before handing them to its file.
const CSV_BUFFER: usize = 1 << 16;

/// One CSV table written in one or more dialects.
pub struct Table {
    pub name: &'static str,
    writers: Vec<(Dialect, csv::Writer<HashingFile>)>,
    buffer: Vec<u8>,
    /// The row being written: csv writes a whole record faster than field by field.
    record: csv::ByteRecord,
}

impl Table {
    /// The table in both dialects.
    pub fn create(dir: &Path, name: &'static str, headers: &[&str]) -> Result<Table> {
        Table::create_in(dir, name, headers, &Dialect::ALL)
    }

    pub fn create_in(
        dir: &Path,
        name: &'static str,
        headers: &[&str],
        dialects: &[Dialect],
    ) -> Result<Table> {
        let mut writers = Vec::new();
        for &dialect in dialects {
            let path = dir.join(dialect.folder()).join(name);
            let mut file = HashingFile::create(&path)?;
            if dialect == Dialect::ExcelFr {
                file.write_all("\u{feff}".as_bytes())
                    .map_err(|e| StoreError::io(&path, e))?;
            }
            let mut writer = csv::WriterBuilder::new()
                .delimiter(dialect.delimiter())
                .terminator(csv::Terminator::CRLF)
                .buffer_capacity(CSV_BUFFER)
                .from_writer(file);
            writer
                .write_record(headers)
                .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
            writers.push((dialect, writer));
        }
        Ok(Table {
            name,
            writers,
            buffer: Vec::with_capacity(32),
            record: csv::ByteRecord::new(),
        })
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        let Table {
            writers,
            buffer,
            record,
            ..
        } = self;
        for (dialect, writer) in writers {
            record.clear();
            for cell in cells {
                record.push_field(dialect.field(cell, buffer));
            }
            writer
                .write_byte_record(record)
                .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        }
        Ok(())
    }

    /// Closes its files; returns their entries in the manifest.
    pub fn finish(self) -> Result<Vec<BundleFile>> {
        let mut files = Vec::new();
        for (dialect, writer) in self.writers {
            let file = writer
                .into_inner()
                .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
            let (sha, size) = file.finish()?;
            files.push(BundleFile {
                path: format!("{}/{}", dialect.folder(), self.name),
                sha256: sha,
                bytes: size,
            });
        }
        Ok(files)
    }
}

/// Closes every table; returns their files' entries in the manifest.
pub fn finish_all(tables: impl IntoIterator<Item = Table>) -> Result<Vec<BundleFile>> {
    let mut files = Vec::new();
    for table in tables {
        files.extend(table.finish()?);
    }
    Ok(files)
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
        (&id).into(),
        (&number).into(),
        record.kind().code().into(),
        (&record.till).into(),
        (&record.business_day).into(),
        (&record.at).into(),
        local_time.into(),
        (&record.operator).into(),
        t.total_cents.into(),
        ht.into(),
        vat.into(),
        Cell::Int(t.lines.len() as i64),
        t.corrects.as_ref().map_or("", |l| l.number.as_str()).into(),
        (&t.reason).into(),
        t.late.as_ref().map_or("", |l| l.sold_at.as_str()).into(),
        t.late.as_ref().map_or("", |l| l.slip.as_str()).into(),
        (&t.note).into(),
        hash.into(),
    ])?;
    for (index, l) in t.lines.iter().enumerate() {
        tables.lines.row(&[
            (&id).into(),
            (&number).into(),
            Cell::Int(index as i64 + 1),
            (&l.label).into(),
            (&l.sku).into(),
            (&l.barcode).into(),
            (&l.department).into(),
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
            (&id).into(),
            (&number).into(),
            record.kind().code().into(),
            p.method.code().into(),
            p.amount_cents.into(),
            p.tendered_cents
                .map(Cell::Money)
                .unwrap_or_else(|| "".into()),
            p.change_cents.map(Cell::Money).unwrap_or_else(|| "".into()),
            (&p.reference).into(),
        ])?;
    }
    for v in &t.vat {
        tables.vat.row(&[
            (&id).into(),
            (&number).into(),
            record.kind().code().into(),
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

impl TicketTables {
    pub fn create(folder: &Path, dialect: Dialect) -> Result<TicketTables> {
        let table = |name, headers| Table::create_in(folder, name, headers, &[dialect]);
        Ok(TicketTables {
            sales: table("sales.csv", SALES)?,
            lines: table("sale_lines.csv", SALE_LINES)?,
            payments: table("payments.csv", PAYMENTS)?,
            vat: table("sale_vat.csv", VAT)?,
        })
    }

    pub fn finish(self) -> Result<Vec<BundleFile>> {
        finish_all([self.sales, self.lines, self.payments, self.vat])
    }
}

/// The row of a record in the other tables, if it has one.
pub fn other_rows(record: &Record, local_time: &str, tables: &mut OtherTables) -> Result<()> {
    let id = record.id.to_string();
    let number = record.number();
    match &record.body {
        Body::CashMovement(m) => tables.cash_movements.row(&[
            id.into(),
            number.into(),
            (&record.business_day).into(),
            (&record.at).into(),
            (&record.operator).into(),
            serde_json::to_value(m.direction)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .into(),
            (&m.category).into(),
            m.amount_cents.into(),
            (&m.reason).into(),
        ]),
        Body::Event(e) => tables.events.row(&[
            id.into(),
            number.into(),
            (&record.at).into(),
            local_time.into(),
            Cell::Int(i64::from(e.code)),
            (&e.name).into(),
            (&e.message).into(),
            (&record.operator).into(),
        ]),
        // Day openings share the events' numbers (T1-E…): listed here, there is no hole.
        Body::DayOpen(open) => tables.events.row(&[
            id.into(),
            number.into(),
            (&record.at).into(),
            local_time.into(),
            "".into(),
            "day_open".into(),
            format!(
                "Ouverture de la journée {}, fond de caisse {} €{}",
                record.business_day,
                open.float_cents.decimal(','),
                if open.automatic { " (automatique)" } else { "" }
            )
            .into(),
            (&record.operator).into(),
        ]),
        Body::Deposit(d) => tables.deposits.row(&[
            id.into(),
            number.into(),
            (&d.order.number).into(),
            (&record.business_day).into(),
            (&record.at).into(),
            (&record.operator).into(),
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
                (&c.first_day).into(),
                (&c.last_day).into(),
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
                (&c.signature.value).into(),
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

impl OtherTables {
    pub fn create(folder: &Path, dialect: Dialect) -> Result<OtherTables> {
        let table = |name, headers| Table::create_in(folder, name, headers, &[dialect]);
        Ok(OtherTables {
            cash_movements: table("cash_movements.csv", CASH_MOVEMENTS)?,
            events: table("events.csv", EVENTS)?,
            deposits: table("deposits.csv", DEPOSITS)?,
            closures: table("closures.csv", CLOSURES)?,
        })
    }

    pub fn finish(self) -> Result<Vec<BundleFile>> {
        finish_all([
            self.cash_movements,
            self.events,
            self.deposits,
            self.closures,
        ])
    }
}

#[cfg(test)]
#[path = "tables_tests.rs"]
mod tests;
