//! The CSV files of a bundle, each written twice: `csv/` in the standard dialect (UTF-8, `,`,
//! dot decimal, RFC 4180) and `excel-fr/` for a French Excel (UTF-8 with BOM, `;`, decimal
//! comma): their cells, dialects and files. Which columns and rows they hold is `rows.rs`.

use crate::error::{BundleError, Result};
use crate::BundleFile;
use relais_core::text;
use relais_core::{Money, Qty, VatRate};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A value of a CSV cell, formatted per dialect. Text borrows where it can: the export
/// writes millions of cells.
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    /// An identifier (barcode, SKU, slip number, phone number, payment reference): text even
    /// when it is made of digits, and its leading zeros kept.
    Id(Cow<'a, str>),
    /// A local date and time as the core displays it, `28/11/2026 15:16:09`: ISO 8601
    /// (`2026-11-28T15:16:09`) for programs, the French form for Excel.
    LocalTime(Cow<'a, str>),
    Money(Money),
    Qty(Qty),
    Rate(VatRate),
    Int(i64),
}

impl<'a> Cell<'a> {
    pub fn id(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::Id(text.into())
    }

    pub fn local_time(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::LocalTime(text.into())
    }
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

/// What keeps a cell text in both Excel and LibreOffice Calc as they open a CSV file: the
/// WORD JOINER, invisible. A leading apostrophe shows in the cell in both, and `="…"` shows
/// as typed in Calc, which does not evaluate formulas when it opens a CSV file.
pub const TEXT_GUARD: char = '\u{2060}';

/// Whether a spreadsheet would run the text as a formula.
fn runs_as_formula(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS)
}

/// Whether a spreadsheet would read the text as a number or a date (and drop its zeros):
/// digits with only what numbers, dates and phone numbers are written with.
fn reads_as_number(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " \u{a0}\u{202f}.,+-/:()%eE".contains(c))
}

/// `28/11/2026 15:16:09` → `2026-11-28T15:16:09`; None for any other form.
fn iso_local(french: &str) -> Option<String> {
    let b = french.as_bytes();
    let shaped = b.len() == 19
        && b[2] == b'/'
        && b[5] == b'/'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':';
    shaped.then(|| {
        format!(
            "{}-{}-{}T{}",
            &french[6..10],
            &french[3..5],
            &french[0..2],
            &french[11..19]
        )
    })
}

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
    /// that a spreadsheet would take for a formula (a label typed as "=1+1" or "@SUM(…)"),
    /// and an identifier it would take for a number (barcode `0012345678905`), are kept text
    /// by a leading [`TEXT_GUARD`].
    fn field<'b>(self, cell: &'b Cell, buffer: &'b mut Vec<u8>) -> &'b [u8] {
        buffer.clear();
        let excel = self == Dialect::ExcelFr;
        match cell {
            Cell::Text(t) if excel && runs_as_formula(t) => guard(buffer, t),
            Cell::Id(t) if excel && (runs_as_formula(t) || reads_as_number(t)) => guard(buffer, t),
            Cell::Text(t) | Cell::Id(t) => return t.as_bytes(),
            Cell::LocalTime(t) => match iso_local(t).filter(|_| !excel) {
                Some(iso) => buffer.extend_from_slice(iso.as_bytes()),
                None => return t.as_bytes(),
            },
            Cell::Money(m) => push_scaled::<2>(buffer, m.0, self.decimal()),
            Cell::Qty(q) => push_scaled::<3>(buffer, q.milli(), self.decimal()),
            Cell::Rate(r) => push_scaled::<2>(buffer, i64::from(r.0), self.decimal()),
            Cell::Int(i) => buffer.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
        }
        buffer
    }
}

fn guard(buffer: &mut Vec<u8>, text: &str) {
    let mut guard = [0u8; 4];
    buffer.extend_from_slice(TEXT_GUARD.encode_utf8(&mut guard).as_bytes());
    buffer.extend_from_slice(text.as_bytes());
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
            std::fs::create_dir_all(parent).map_err(|e| BundleError::io(parent, e))?;
        }
        let file = std::fs::File::create(path).map_err(|e| BundleError::io(path, e))?;
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
        self.inner.flush().map_err(|e| BundleError::io(&path, e))?;
        self.inner
            .get_ref()
            .sync_all()
            .map_err(|e| BundleError::io(&path, e))?;
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
/// A table the CSV writer could not write.
fn csv_error(name: &str, error: &dyn std::fmt::Display) -> BundleError {
    BundleError::Invalid(text!(
        fr: "{name} : écriture CSV impossible ({error})",
        en: "{name}: cannot write the CSV ({error})",
    ))
}

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
                    .map_err(|e| BundleError::io(&path, e))?;
            }
            let mut writer = csv::WriterBuilder::new()
                .delimiter(dialect.delimiter())
                .terminator(csv::Terminator::CRLF)
                .buffer_capacity(CSV_BUFFER)
                .from_writer(file);
            writer
                .write_record(headers)
                .map_err(|e| csv_error(name, &e))?;
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
                .map_err(|e| csv_error(self.name, &e))?;
        }
        Ok(())
    }

    /// Closes its files; returns their entries in the manifest.
    pub fn finish(self) -> Result<Vec<BundleFile>> {
        let mut files = Vec::new();
        for (dialect, writer) in self.writers {
            let file = writer.into_inner().map_err(|e| csv_error(self.name, &e))?;
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

#[cfg(test)]
#[path = "tables_tests.rs"]
mod tests;
