//! Spreadsheets (XLSX, ODS) read within bounds: a workbook is a zip archive whose few
//! kilobytes may unpack to gigabytes (a « zip bomb »), or whose sheet names a cell a billion
//! rows down. Everything is measured before the spreadsheet library holds it in memory.

use super::bad_file;
use crate::error::{Result, StoreError};
use calamine::{Data, DataRef, Reader};
use relais_core::text;
use std::io::{Cursor, Read};

/// What every file of an archive may unpack to, together. A price list of a million products
/// is about 250 MB of XML once unpacked.
pub(crate) const MAX_UNPACKED: u64 = 400 * 1024 * 1024;
/// What the table of shared texts may unpack to: the spreadsheet library keeps every one of
/// them in memory at once, three times its size for short texts.
pub(crate) const MAX_SHARED_TEXT: u64 = 128 * 1024 * 1024;
/// Non-empty cells read from one sheet (a million products of 12 columns).
pub(crate) const MAX_CELLS: u64 = 12_000_000;
/// Columns of a sheet: a price list has a dozen.
pub(crate) const MAX_COLUMNS: u32 = 1_000;
/// Files in one archive: a workbook has a few dozen.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Xlsx,
    Ods,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Xlsx => "xlsx",
            Kind::Ods => "ods",
        }
    }
}

/// A sheet's non-blank rows, each with the row number the spreadsheet shows.
pub(crate) struct Rows {
    pub sheet: String,
    pub kind: Kind,
    pub rows: Vec<(usize, Vec<String>)>,
}

fn too_big(name: &str, what: &str) -> StoreError {
    let mib = MAX_UNPACKED / (1024 * 1024);
    bad_file(
        name,
        text!(
            fr: "classeur refusé : {what} (plus de {mib} Mo une fois décompressé, ou fabriqué \
                 pour saturer la mémoire) ; enregistrez la feuille en CSV ou coupez-la en \
                 plusieurs fichiers",
            en: "workbook refused: {what} (more than {mib} MB unpacked, or made to exhaust \
                 memory); save the sheet as CSV or split it into several files",
        ),
    )
}

/// Unpacks every file of the archive into nothing, counting bytes, so that the sizes the
/// archive declares (which a forged one lies about) are not trusted. Returns what kind of
/// workbook it is.
pub(crate) fn check_archive(name: &str, bytes: &[u8]) -> Result<Kind> {
    let damaged = || {
        bad_file(
            name,
            text!(
                fr: "le fichier est une archive ZIP (comme un classeur XLSX ou ODS) tronquée ou \
                     endommagée : ouvrez-le dans le tableur et enregistrez-le de nouveau",
                en: "the file is a truncated or damaged ZIP archive (as XLSX and ODS workbooks \
                     are): open it in the spreadsheet and save it again",
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| damaged())?;
    if archive.len() > MAX_ENTRIES {
        return Err(too_big(name, "trop de fichiers dans l'archive"));
    }
    let mut kind = None;
    let mut total = 0u64;
    let mut sink = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).map_err(|_| damaged())?;
        let entry = file.name().map(|n| n.into_owned()).unwrap_or_default();
        match entry.as_str() {
            "xl/workbook.xml" => kind = Some(Kind::Xlsx),
            "content.xml" => kind = kind.or(Some(Kind::Ods)),
            _ => {}
        }
        let shared = entry == "xl/sharedStrings.xml";
        let mut size = 0u64;
        loop {
            let read = file.read(&mut sink).map_err(|_| damaged())?;
            if read == 0 {
                break;
            }
            if shared && size == 0 {
                check_unique_count(name, &sink[..read])?;
            }
            size += read as u64;
            total += read as u64;
            if shared && size > MAX_SHARED_TEXT {
                return Err(too_big(name, "table des textes démesurée"));
            }
            if total > MAX_UNPACKED {
                return Err(too_big(name, "contenu démesuré"));
            }
        }
    }
    kind.ok_or_else(|| {
        let word = archive
            .file_names()
            .any(|n| n.is_ok_and(|n| n.starts_with("word/")));
        match word {
            true => bad_file(
                name,
                text!(
                    fr: "c'est un document Word, pas un tableau : copiez le tableau dans un \
                         tableur et enregistrez-le en XLSX, ODS ou CSV",
                    en: "this is a Word document, not a table: copy the table into a \
                         spreadsheet and save it as XLSX, ODS or CSV",
                ),
            ),
            false => bad_file(
                name,
                text!(
                    fr: "c'est une archive ZIP, mais pas un classeur XLSX ou ODS",
                    en: "this is a ZIP archive, but not an XLSX or ODS workbook",
                ),
            ),
        }
    })
}

/// The spreadsheet library reserves room for as many texts as the table announces, before
/// reading any: a forged count of a billion would abort the program.
fn check_unique_count(name: &str, start: &[u8]) -> Result<()> {
    let start = String::from_utf8_lossy(&start[..start.len().min(4096)]);
    for attribute in ["uniqueCount=\"", "count=\""] {
        let announced = start
            .split(attribute)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|n| n.parse::<u64>().ok());
        if announced.is_some_and(|n| n > MAX_CELLS) {
            return Err(too_big(name, "nombre de textes annoncé démesuré"));
        }
    }
    Ok(())
}

/// Cells the spreadsheet library lays out for the sheets of an ODS workbook: it keeps each
/// sheet as a full rectangle, from the first filled cell to the last.
const MAX_LAID_OUT: u64 = 16_000_000;

/// An ODS sheet says « this cell, 16 384 times » and « this row, a million times » in a few
/// bytes: what the sheets unfold to is counted from the XML before the library unfolds it.
fn check_ods_extent(name: &str, bytes: &[u8]) -> Result<()> {
    use quick_xml::events::Event;
    let unreadable = || {
        bad_file(
            name,
            text!(
                fr: "classeur ODS illisible : ouvrez-le dans le tableur et enregistrez-le de nouveau",
                en: "unreadable ODS workbook: open it in the spreadsheet and save it again",
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let content = archive.by_name("content.xml").map_err(|_| unreadable())?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let repeat = |e: &quick_xml::events::BytesStart<'_>, attribute: &str| -> u64 {
        e.try_get_attribute(attribute)
            .ok()
            .flatten()
            .and_then(|a| a.value.parse().ok())
            .unwrap_or(1)
    };
    let (mut row, mut row_repeat, mut column) = (0u64, 1u64, 0u64);
    let (mut filled, mut laid_out, mut rows_used, mut columns_used) = (0u64, 0u64, 0u64, 0u64);
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|_| unreadable())?;
        let (start, is_empty_element) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" => {
                    laid_out = laid_out.saturating_add(rows_used.saturating_mul(columns_used));
                    (row, rows_used, columns_used) = (0, 0, 0);
                }
                "table:table-row" => {
                    row_repeat = repeat(e, "table:number-rows-repeated");
                    column = 0;
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let columns = repeat(e, "table:number-columns-repeated");
                    let has_value = e
                        .try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                    if has_value || !is_empty_element {
                        filled = filled.saturating_add(row_repeat.saturating_mul(columns));
                        rows_used = rows_used.max(row.saturating_add(row_repeat));
                        columns_used = columns_used.max(column.saturating_add(columns));
                    }
                    column = column.saturating_add(columns);
                }
                _ => {}
            }
        }
        if let Event::End(e) = &event {
            if e.name().as_ref() == "table:table-row" {
                row = row.saturating_add(row_repeat);
            }
        } else if let Event::Empty(e) = &event {
            if e.name().as_ref() == "table:table-row" {
                row = row.saturating_add(row_repeat);
            }
        }
        if filled > MAX_CELLS {
            return Err(too_big(name, "trop de cellules"));
        }
        buf.clear();
    }
    laid_out = laid_out.saturating_add(rows_used.saturating_mul(columns_used));
    if laid_out > MAX_LAID_OUT {
        return Err(too_big(name, "feuilles démesurées une fois déployées"));
    }
    Ok(())
}

/// Reads the chosen sheet (`wanted`, or the first) of a checked archive.
pub(crate) fn read(name: &str, bytes: Vec<u8>, kind: Kind, wanted: Option<&str>) -> Result<Rows> {
    let format = kind.code().to_uppercase();
    let unreadable = || {
        bad_file(
            name,
            text!(
                fr: "classeur {format} illisible : ouvrez-le dans le tableur et enregistrez-le de nouveau",
                en: "unreadable {format} workbook: open it in the spreadsheet and save it again",
            ),
        )
    };
    match kind {
        Kind::Xlsx => {
            let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
            let sheet = choose(name, &book.sheet_names(), wanted)?;
            let mut cells = book
                .worksheet_cells_reader(&sheet)
                .map_err(|_| unreadable())?;
            let mut rows = RowsBuilder::new(name);
            while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
                let (row, column) = cell.get_position();
                if matches!(cell.get_value(), DataRef::Empty) {
                    continue;
                }
                rows.push(
                    row,
                    column,
                    cell_text(&Data::from(cell.get_value().clone())),
                )?;
            }
            Ok(rows.finish(sheet, kind))
        }
        Kind::Ods => {
            check_ods_extent(name, &bytes)?;
            let mut book = calamine::Ods::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
            let sheet = choose(name, &book.sheet_names(), wanted)?;
            let range = book.worksheet_range(&sheet).map_err(|_| unreadable())?;
            let (top, left) = range.start().unwrap_or((0, 0));
            let mut rows = RowsBuilder::new(name);
            for (r, row) in range.rows().enumerate() {
                for (c, value) in row.iter().enumerate() {
                    if !matches!(value, Data::Empty) {
                        rows.push(top + r as u32, left + c as u32, cell_text(value))?;
                    }
                }
            }
            Ok(rows.finish(sheet, kind))
        }
    }
}

fn choose(name: &str, names: &[String], wanted: Option<&str>) -> Result<String> {
    match wanted {
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
            }),
        None => names.first().cloned().ok_or_else(|| {
            bad_file(
                name,
                text!(fr: "le classeur n'a aucune feuille", en: "the workbook has no sheet"),
            )
        }),
    }
}

/// Gathers cells, given row by row, into rows; counts them against the bounds.
struct RowsBuilder<'a> {
    name: &'a str,
    rows: Vec<(usize, Vec<String>)>,
    cells: u64,
}

impl<'a> RowsBuilder<'a> {
    fn new(name: &'a str) -> Self {
        RowsBuilder {
            name,
            rows: Vec::new(),
            cells: 0,
        }
    }

    fn push(&mut self, row: u32, column: u32, text: String) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(too_big(self.name, "trop de cellules"));
        }
        if column >= MAX_COLUMNS {
            let max = MAX_COLUMNS;
            return Err(bad_file(
                self.name,
                text!(
                    fr: "la feuille a des cellules remplies au-delà de la colonne {max} : \
                         supprimez ces colonnes",
                    en: "the sheet has cells beyond column {max}: delete those columns",
                ),
            ));
        }
        let line = row as usize + 1;
        if self.rows.last().is_none_or(|(last, _)| *last != line) {
            self.rows.push((line, Vec::new()));
        }
        let cells = &mut self.rows.last_mut().expect("pushed above").1;
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        Ok(())
    }

    fn finish(mut self, sheet: String, kind: Kind) -> Rows {
        // Cells come row by row; a sheet written otherwise is put in order once.
        if !self.rows.is_sorted_by_key(|(line, _)| *line) {
            self.rows.sort_by_key(|(line, _)| *line);
            self.rows.dedup_by(|later, earlier| {
                let same = later.0 == earlier.0;
                if same {
                    for (i, cell) in std::mem::take(&mut later.1).into_iter().enumerate() {
                        if earlier.1.len() <= i {
                            earlier.1.resize(i + 1, String::new());
                        }
                        if !cell.is_empty() {
                            earlier.1[i] = cell;
                        }
                    }
                }
                same
            });
        }
        Rows {
            sheet,
            kind,
            rows: self.rows,
        }
    }
}

/// A spreadsheet cell as the text a person sees. Numbers lose the binary noise of floating
/// point (4.3500000000001 → "4.35"); whole numbers, such as barcodes, print without ".0".
pub(crate) fn cell_text(cell: &Data) -> String {
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

pub(crate) fn float_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let rounded = (value * 1e6).round() / 1e6;
    format!("{rounded}")
}
