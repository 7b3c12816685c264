//! Reading a price list file into header and rows of text cells: CSV in UTF-8 (with or
//! without BOM) or Windows-1252, delimiter `,` `;` or tab, or the first (or a named) sheet of
//! an XLSX workbook.

use crate::error::{Result, StoreError};
use calamine::{Data, Reader};
use relais_core::{text, Text};
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

/// What was detected about a file, shown in the import preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SourceInfo {
    pub format: String,
    pub encoding: String,
    /// `;`, `,` or `\t` for CSV.
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
}

pub(crate) struct Table {
    pub info: SourceInfo,
    pub headers: Vec<String>,
    source: Source,
}

enum Source {
    /// Decoded text, delimiter, and how many bytes the header took.
    Csv(String, u8),
    /// The sheet's cells and the index of the header row within it.
    Xlsx(calamine::Range<Data>, usize),
}

/// A price list that cannot be read: its name, then why, in both languages.
fn bad_file(path: &str, reason: Text) -> StoreError {
    let Text { fr, en } = reason;
    StoreError::Invalid(text!(fr: "{path} : {fr}", en: "{path}: {en}"))
}

impl Table {
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<Table> {
        let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
        let name = path.display().to_string();
        let is_zip = bytes.starts_with(b"PK\x03\x04");
        let by_extension = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if is_zip || by_extension {
            Table::from_xlsx(&name, bytes, sheet)
        } else {
            Table::from_csv_bytes(&name, bytes)
        }
    }

    /// A CSV held in memory; `name` is only used in messages.
    pub fn from_csv_bytes(name: &str, bytes: Vec<u8>) -> Result<Table> {
        let (text, encoding) = decode(bytes);
        let delimiter = detect_delimiter(&text);
        let mut table = Table {
            info: SourceInfo {
                format: "csv".into(),
                encoding: encoding.into(),
                delimiter: Some(match delimiter {
                    b'\t' => "\\t".to_string(),
                    d => (d as char).to_string(),
                }),
                sheet: None,
            },
            headers: Vec::new(),
            source: Source::Csv(text, delimiter),
        };
        let mut headers = None;
        table.scan(|_, cells| {
            headers = Some(owned(cells));
            Ok(false)
        })?;
        table.headers = headers.ok_or_else(|| {
            bad_file(
                name,
                text!(fr: "le fichier est vide", en: "the file is empty"),
            )
        })?;
        Ok(table)
    }

    fn from_xlsx(name: &str, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Table> {
        let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
            bad_file(
                name,
                text!(
                    fr: "classeur XLSX illisible ({e})",
                    en: "not a readable XLSX workbook ({e})",
                ),
            )
        })?;
        let names = workbook.sheet_names().to_vec();
        let chosen = match sheet {
            Some(wanted) => names
                .iter()
                .find(|n| n.eq_ignore_ascii_case(wanted))
                .cloned()
                .ok_or_else(|| {
                    let names = names.join(", ");
                    bad_file(
                        name,
                        text!(
                            fr: "pas de feuille « {wanted} » (feuilles : {names})",
                            en: "no sheet {wanted:?} (sheets: {names})",
                        ),
                    )
                })?,
            None => names.first().cloned().ok_or_else(|| {
                bad_file(
                    name,
                    text!(fr: "le classeur n'a aucune feuille", en: "the workbook has no sheet"),
                )
            })?,
        };
        let range = workbook.worksheet_range(&chosen).map_err(|e| {
            bad_file(
                name,
                text!(fr: "feuille « {chosen} » : {e}", en: "sheet {chosen:?}: {e}"),
            )
        })?;
        let header_row = range
            .rows()
            .position(|row| row.iter().any(|c| !cell_text(c).is_empty()))
            .ok_or_else(|| {
                bad_file(
                    name,
                    text!(fr: "la feuille « {chosen} » est vide", en: "sheet {chosen:?} is empty"),
                )
            })?;
        let headers = range
            .rows()
            .nth(header_row)
            .map(row_texts)
            .unwrap_or_default();
        Ok(Table {
            info: SourceInfo {
                format: "xlsx".into(),
                encoding: "UTF-8".into(),
                delimiter: None,
                sheet: Some(chosen),
            },
            headers,
            source: Source::Xlsx(range, header_row),
        })
    }

    /// About how many rows the table has (its lines, for a CSV), to size what is kept per row.
    pub fn rows_hint(&self) -> usize {
        match &self.source {
            Source::Csv(text, _) => text.bytes().filter(|&b| b == b'\n').count(),
            Source::Xlsx(range, _) => range.height(),
        }
    }

    /// Calls `visit(line, cells)` for every non-blank row after the header, with the line
    /// number a person sees in a text editor (CSV) or spreadsheet (XLSX).
    pub fn for_each_row(&self, mut visit: impl FnMut(usize, &[&str]) -> Result<()>) -> Result<()> {
        let mut first = true;
        self.scan(|line, cells| {
            if std::mem::take(&mut first) {
                return Ok(true); // the header
            }
            visit(line, cells)?;
            Ok(true)
        })
    }

    /// Visits non-blank rows, header included, while `visit` returns true.
    fn scan(&self, mut visit: impl FnMut(usize, &[&str]) -> Result<bool>) -> Result<()> {
        match &self.source {
            Source::Csv(text, delimiter) => {
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(*delimiter)
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(text.as_bytes());
                let mut record = csv::StringRecord::new();
                let mut lines = LineCounter::default();
                loop {
                    match reader.read_record(&mut record) {
                        Ok(false) => return Ok(()),
                        Ok(true) => {}
                        Err(e) => {
                            return Err(StoreError::Invalid(text!(
                                fr: "CSV illisible : {e}",
                                en: "CSV: {e}",
                            )))
                        }
                    }
                    if record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    // The csv crate's own line count is one short on CRLF files (Excel's).
                    let start = record.position().map_or(0, |p| p.byte() as usize);
                    let line = lines.line_at(text.as_bytes(), start);
                    // Borrowed from the record: one allocation a row, not one a cell.
                    let cells: Vec<&str> = record.iter().map(str::trim).collect();
                    if !visit(line, &cells)? {
                        return Ok(());
                    }
                }
            }
            Source::Xlsx(range, header_row) => {
                let first_row = range.start().map(|(row, _)| row as usize).unwrap_or(0);
                for (index, row) in range.rows().enumerate().skip(*header_row) {
                    let texts = row_texts(row);
                    if texts.iter().all(|c| c.is_empty()) {
                        continue;
                    }
                    let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
                    if !visit(first_row + index + 1, &cells)? {
                        return Ok(());
                    }
                }
                Ok(())
            }
        }
    }
}

/// The line a record starts on, as a text editor numbers it, counting the newlines from the
/// record asked before (records come in order).
struct LineCounter {
    byte: usize,
    line: usize,
}

impl Default for LineCounter {
    fn default() -> Self {
        LineCounter { byte: 0, line: 1 }
    }
}

impl LineCounter {
    /// `byte`: the record's position as the csv crate gives it, which on a CRLF file is the
    /// `\n` ending the line before (the `\r` ended the record). No record starts with a
    /// line break: they are skipped first.
    fn line_at(&mut self, text: &[u8], byte: usize) -> usize {
        let breaks = text[byte..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'));
        let byte = byte + breaks.count();
        let newlines = text[self.byte..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines;
        self.byte = byte;
        self.line
    }
}

/// UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else Windows-1252, the encoding
/// of French Excel's "CSV (séparateur : point-virgule)". UTF-8 is taken as it is, without
/// a copy (a million-row file is 90 MB).
fn decode(bytes: Vec<u8>) -> (String, &'static str) {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.replace_range(..'\u{feff}'.len_utf8(), "");
            }
            (text, "UTF-8")
        }
        Err(not_utf8) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(not_utf8.as_bytes());
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// The delimiter that appears most often outside quotes in the first line; `;` wins ties
/// (French exports use it precisely because `,` is their decimal separator).
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b'\t', 0), (b',', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if quoted => {}
            _ => {
                if let Some(count) = counts.iter_mut().find(|(d, _)| *d == byte) {
                    count.1 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b';'))
        .map(|(d, _)| *d)
        .unwrap_or(b';')
}

/// A row's cells, owned.
pub(crate) fn owned(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn row_texts(row: &[Data]) -> Vec<String> {
    row.iter().map(cell_text).collect()
}

/// A spreadsheet cell as the text a person sees. Numbers lose the binary noise of floating
/// point (4.3500000000001 → "4.35"); whole numbers, such as barcodes, print without ".0".
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(d) | Data::DurationIso(d) => d.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn float_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let rounded = (value * 1e6).round() / 1e6;
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_and_encodings_are_detected() {
        let cases: &[(&[u8], u8, &str)] = &[
            (
                b"EAN;Libell\xe9;Prix\n1;Caf\xe9;1,5\n",
                b';',
                "Windows-1252",
            ),
            ("\u{feff}EAN,Libellé,Prix\n".as_bytes(), b',', "UTF-8"),
            (b"EAN\tLabel\tPrice\n", b'\t', "UTF-8"),
            (b"\"a;b\",c,d\n", b',', "UTF-8"),
        ];
        for (bytes, delimiter, encoding) in cases {
            let (text, found) = decode(bytes.to_vec());
            assert_eq!(found, *encoding);
            assert_eq!(detect_delimiter(&text), *delimiter, "{text:?}");
            assert!(!text.starts_with('\u{feff}'));
        }
        assert_eq!(decode(b"Caf\xe9".to_vec()).0, "Café");
    }

    #[test]
    fn rows_have_the_line_numbers_an_editor_shows() {
        let cases: &[(&str, &[usize])] = &[
            ("h\na\nb\n", &[2, 3]),
            ("h\r\na\r\nb\r\n", &[2, 3]),
            ("h\r\n\r\na\r\n\"x\r\ny\";z\r\nb", &[3, 4, 6]),
            ("h\na\n\n\nb", &[2, 5]),
            ("\u{feff}h;i\r\n\"a;b\";c\r\n", &[2]),
        ];
        for (text, expected) in cases {
            let table = Table::from_csv_bytes("test", text.as_bytes().to_vec()).unwrap();
            let mut lines = Vec::new();
            table
                .for_each_row(|line, _| {
                    lines.push(line);
                    Ok(())
                })
                .unwrap();
            assert_eq!(lines, *expected, "{text:?}");
        }
    }

    #[test]
    fn spreadsheet_numbers_read_as_people_see_them() {
        let cases = [
            (4.35, "4.35"),
            (4.350000000001, "4.35"),
            (3017620422003.0, "3017620422003"),
            (0.055, "0.055"),
            (20.0, "20"),
        ];
        for (value, text) in cases {
            assert_eq!(float_text(value), text);
        }
    }
}
