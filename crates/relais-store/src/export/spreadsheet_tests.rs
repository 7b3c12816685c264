//! excel-fr/ as LibreOffice Calc opens it. Runs when `soffice` is installed (Debian's
//! `libreoffice-calc-nogui`), and says it is skipped otherwise.

use super::poslog_tests::poslog_bundle;
use quick_xml::events::Event;
use std::path::Path;
use std::process::Command;

/// Calc's own defaults for opening a CSV file (Office.Calc/Dialogs/CSVImport): no formula
/// evaluation, no special numbers; with `;`, `"`, UTF-8, from line 1, in French (1036).
const CALC_FR_OPENS_CSV: &str =
    "Text - txt - csv (StarCalc):59,34,76,1,,1036,false,false,false,false,false,-1,false";

/// Calc in English (1033) opening a CSV file with `,` and "detect special numbers" on, as a
/// program-minded user in an English locale would: dates and times become dates.
const CALC_EN_OPENS_CSV: &str =
    "Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1,false";

/// A cell as Calc read it: (value type, text, or the date's ISO value for a date).
type Read = (String, String);

/// Every cell of the first sheet, row by row, as Calc read the file.
fn open_in_calc(csv: &Path, work: &Path, filter: &str) -> Option<Vec<Vec<Read>>> {
    let run = Command::new("soffice")
        .env("HOME", work)
        .arg("--headless")
        .arg(format!("--infilter={filter}"))
        .args(["--convert-to", "fods", "--outdir"])
        .arg(work)
        .arg(csv)
        .output()
        .ok()?;
    assert!(run.status.success(), "soffice: {run:?}");
    let name = csv.with_extension("fods");
    let xml = std::fs::read_to_string(work.join(name.file_name().unwrap())).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    // Only a paragraph's text is the cell's: the rest is the file's indentation.
    let mut paragraph = false;
    let mut rows: Vec<Vec<Read>> = vec![];
    // The cell being read, and how many columns it stands for.
    let mut cell: Option<(String, String, usize)> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                rows.push(vec![])
            }
            Event::Start(e) if e.name().as_ref() == "table:table-cell" => {
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| a.value.to_string())
                };
                let repeated =
                    attr("table:number-columns-repeated").map_or(1, |r| r.parse().unwrap());
                // A date's text is as the locale shows it; its value is what Calc understood.
                let date = attr("office:date-value").unwrap_or_default();
                cell = Some((
                    attr("office:value-type").unwrap_or_default(),
                    date,
                    repeated,
                ));
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-cell" => {
                let repeated = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "table:number-columns-repeated")
                    .map_or(1, |a| a.value.parse().unwrap());
                let row = rows.last_mut().unwrap();
                row.extend(std::iter::repeat_n(
                    (String::new(), String::new()),
                    repeated.min(64),
                ));
            }
            Event::Start(e) if e.name().as_ref() == "text:p" => paragraph = true,
            Event::End(e) if e.name().as_ref() == "text:p" => paragraph = false,
            Event::Text(t) if paragraph => {
                if let Some((kind, text, _)) = cell.as_mut() {
                    if kind != "date" {
                        *text += &t.xml10_content();
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-cell" => {
                let (kind, text, repeated) = cell.take().unwrap();
                let row = rows.last_mut().unwrap();
                row.extend(std::iter::repeat_n((kind, text), repeated.min(64)));
            }
            Event::Eof => return Some(rows),
            _ => {}
        }
    }
}

/// Opened as Calc opens a CSV file in French, excel-fr/ keeps identifiers text with their zeros
/// and labels as typed, and reads amounts as numbers.
#[test]
fn excel_fr_opens_in_calc_with_identifiers_as_text_and_amounts_as_numbers() {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("soffice not installed: excel-fr/ not opened in LibreOffice Calc");
        return;
    }
    let (_dir, _out, folder) = poslog_bundle();
    let work = tempfile::tempdir().unwrap();
    let rows = open_in_calc(
        &folder.join("excel-fr/sale_lines.csv"),
        work.path(),
        CALC_FR_OPENS_CSV,
    )
    .unwrap();
    let header: Vec<&str> = rows[0].iter().map(|c| c.1.as_str()).collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let line = rows
        .iter()
        .find(|r| r[column("label")].1 == "Confiture")
        .expect("the catalogued line");
    let shown = |name: &str| {
        let (kind, text) = &line[column(name)];
        (kind.as_str(), text.trim_start_matches('\u{2060}'))
    };
    let cases = [
        ("barcode", ("string", "0012345678905")),
        ("sku", ("string", "CONF-01")),
        ("unit_price_ttc", ("float", "4.5")),
        ("total_ttc", ("float", "8.1")),
    ];
    for (name, want) in cases {
        assert_eq!(shown(name), want, "{name}");
    }
}

/// csv/ opened in Calc in English with dates detected: a local time is read as the day it is
/// (ISO 8601), never with day and month swapped, and amounts are numbers.
#[test]
fn csv_opens_in_english_calc_with_times_on_the_right_day() {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("soffice not installed: csv/ not opened in LibreOffice Calc");
        return;
    }
    let (_dir, _out, folder) = poslog_bundle();
    let work = tempfile::tempdir().unwrap();
    let rows = open_in_calc(
        &folder.join("csv/sales.csv"),
        work.path(),
        CALC_EN_OPENS_CSV,
    )
    .unwrap();
    let header: Vec<&str> = rows[0].iter().map(|c| c.1.as_str()).collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let tickets: Vec<&Vec<Read>> = rows[1..].iter().filter(|r| !r[0].1.is_empty()).collect();
    assert!(tickets.len() >= 3, "{rows:?}");
    for row in tickets {
        let (day_kind, day) = &row[column("business_day")];
        let (time_kind, time) = &row[column("local_time")];
        assert_eq!(
            (day_kind.as_str(), time_kind.as_str()),
            ("date", "date"),
            "{row:?}"
        );
        // A paper slip's ticket is keyed in later than it was sold, but on its own day or after.
        assert!(time.as_str() >= day.as_str(), "{day} {time}");
        assert!(time.len() >= 19 && time.as_bytes()[10] == b'T', "{time}");
        assert_eq!(row[column("total_ttc")].0, "float", "{row:?}");
    }
}
