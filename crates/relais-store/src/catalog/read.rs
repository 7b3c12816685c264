//! Reading a price list file into header and rows of text cells: CSV in UTF-8 (with or
//! without BOM), UTF-16 or Windows-1252, delimiter `,` `;` or tab (or the one a `sep=` line
//! names), or the first (or a named) sheet of an XLSX or ODS workbook. A file that is none of
//! these is refused with what it seems to be (`sniff`); a workbook within bounds (`sheet`).

mod sheet;
mod sniff;

use crate::error::{Result, StoreError};
use relais_core::{text, Text};
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

#[cfg(test)]
pub(crate) use sheet::MAX_SHARED_TEXT;

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
    /// The line (CSV) or row (spreadsheet) of the header, as a person numbers it.
    pub header_line: usize,
    source: Source,
}

enum Source {
    /// Decoded text, delimiter, and the line number its first line has (2 after a `sep=`
    /// line, which is taken out).
    Csv(String, u8, usize),
    /// A sheet's non-blank rows with their row numbers, the header first.
    Sheet(Vec<(usize, Vec<String>)>),
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
        if let Some(why) = sniff::refuse(&bytes) {
            return Err(bad_file(&name, why));
        }
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let is_zip = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06");
        if is_zip || matches!(extension.as_str(), "xlsx" | "ods") {
            if !is_zip {
                return Err(bad_file(
                    &name,
                    text!(
                        fr: "le nom finit par .{extension} mais le fichier n'est pas un classeur \
                             (ni XLSX ni ODS) : ouvrez-le dans le tableur et enregistrez-le de nouveau",
                        en: "the name ends in .{extension} but the file is not a workbook \
                             (neither XLSX nor ODS): open it in the spreadsheet and save it again",
                    ),
                ));
            }
            let kind = sheet::check_archive(&name, &bytes)?;
            let rows = sheet::read(&name, bytes, kind, sheet)?;
            return Table::from_sheet(&name, rows);
        }
        Table::from_csv_bytes(&name, bytes)
    }

    fn from_sheet(name: &str, read: sheet::Rows) -> Result<Table> {
        let sheet = read.sheet;
        let (header_line, headers) = read.rows.first().cloned().ok_or_else(|| {
            bad_file(
                name,
                text!(fr: "la feuille « {sheet} » est vide", en: "sheet {sheet:?} is empty"),
            )
        })?;
        Ok(Table {
            info: SourceInfo {
                format: read.kind.code().into(),
                encoding: "UTF-8".into(),
                delimiter: None,
                sheet: Some(sheet),
            },
            headers,
            header_line,
            source: Source::Sheet(read.rows),
        })
    }

    /// A CSV held in memory; `name` is only used in messages.
    pub fn from_csv_bytes(name: &str, bytes: Vec<u8>) -> Result<Table> {
        let (text, encoding) = decode(bytes);
        if text.contains('\0') {
            return Err(bad_file(
                name,
                text!(
                    fr: "ce n'est pas un fichier texte (données binaires) ni un classeur XLSX ou \
                         ODS : exportez la liste de prix en CSV, XLSX ou ODS",
                    en: "this is not a text file (binary data) nor an XLSX or ODS workbook: \
                         export the price list as CSV, XLSX or ODS",
                ),
            ));
        }
        let (text, named, first_line) = without_sep_line(text);
        let delimiter = named.unwrap_or_else(|| detect_delimiter(&text));
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
            header_line: 1,
            source: Source::Csv(text, delimiter, first_line),
        };
        let mut headers = None;
        table.scan(|line, cells| {
            headers = Some((line, owned(cells)));
            Ok(false)
        })?;
        let (line, headers) = headers.ok_or_else(|| {
            bad_file(
                name,
                text!(fr: "le fichier est vide", en: "the file is empty"),
            )
        })?;
        table.headers = headers;
        table.header_line = line;
        Ok(table)
    }

    /// What was read of the file, for a message about the whole file: the header, and the
    /// encoding and delimiter guessed.
    pub fn describe(&self) -> Text {
        let header = self.headers.join(" | ");
        let line = self.header_line;
        let info = &self.info;
        match &info.delimiter {
            Some(delimiter) => {
                let encoding = &info.encoding;
                text!(
                    fr: "lu : en-tête ligne {line} « {header} », encodage {encoding}, séparateur « {delimiter} »",
                    en: "read: header on line {line} {header:?}, encoding {encoding}, delimiter {delimiter:?}",
                )
            }
            None => {
                let sheet = info.sheet.clone().unwrap_or_default();
                let format = info.format.to_uppercase();
                text!(
                    fr: "lu : classeur {format}, feuille « {sheet} », en-tête ligne {line} « {header} »",
                    en: "read: {format} workbook, sheet {sheet:?}, header on row {line} {header:?}",
                )
            }
        }
    }

    /// The first `count` non-blank rows after the header, with their line numbers: where a
    /// header may be when a title stands above it.
    pub fn first_rows(&self, count: usize) -> Vec<(usize, Vec<String>)> {
        let mut rows = Vec::new();
        let _ = self.for_each_row(|line, cells| {
            rows.push((line, owned(cells)));
            match rows.len() < count {
                true => Ok(()),
                false => Err(StoreError::Invalid(text!(fr: "assez", en: "enough"))),
            }
        });
        rows
    }

    /// About how many rows the table has (its lines, for a CSV), to size what is kept per row.
    pub fn rows_hint(&self) -> usize {
        match &self.source {
            Source::Csv(text, _, _) => match text.bytes().filter(|&b| b == b'\n').count() {
                0 => text.bytes().filter(|&b| b == b'\r').count(),
                lines => lines,
            },
            Source::Sheet(rows) => rows.len(),
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
            Source::Csv(text, delimiter, first_line) => {
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(*delimiter)
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(text.as_bytes());
                let mut record = csv::StringRecord::new();
                let mut lines = LineCounter {
                    byte: 0,
                    line: *first_line,
                };
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
            Source::Sheet(rows) => {
                for (line, texts) in rows {
                    let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
                    if !visit(*line, &cells)? {
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

impl LineCounter {
    /// `byte`: the record's position as the csv crate gives it, which on a CRLF file is the
    /// `\n` ending the line before (the `\r` ended the record). No record starts with a
    /// line break: they are skipped first.
    fn line_at(&mut self, text: &[u8], byte: usize) -> usize {
        let breaks = text[byte..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'));
        let byte = byte + breaks.count();
        // A line ends with LF, CRLF, or CR alone (old Mac files).
        let span = &text[self.byte..byte];
        let newlines = span
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && span.get(i + 1) != Some(&b'\n')))
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
    if let Some(encoding) = sniff::utf16(&bytes) {
        let (text, _) = encoding.decode_with_bom_removal(&bytes);
        return (text.into_owned(), encoding.name());
    }
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

/// Takes out Excel's `sep=;` first line, which names the delimiter: returns the text
/// without it, the delimiter, and the number of the first line left.
fn without_sep_line(text: String) -> (String, Option<u8>, usize) {
    let first = text.lines().next().unwrap_or("");
    let named = first
        .trim()
        .strip_prefix("sep=")
        .or_else(|| first.trim().strip_prefix("SEP="))
        .map(|d| d.trim_matches('"'));
    match named {
        Some(d) if d.len() == 1 || d == "\\t" => {
            let delimiter = if d == "\\t" { b'\t' } else { d.as_bytes()[0] };
            let rest = text[first.len()..]
                .trim_start_matches(['\r', '\n'])
                .to_string();
            (rest, Some(delimiter), 2)
        }
        _ => (text, None, 1),
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
            assert_eq!(sheet::float_text(value), text);
        }
    }
}
