//! Files that attack the importer, through the real `relais catalog import` under a memory
//! limit: a workbook of one megabyte that unpacks to gigabytes (a « zip bomb » of shared
//! texts) or announces billions of texts must be refused with a clear message and exit
//! status 1, never abort the program.

use crate::cli::init;
use crate::support::{relais_bin, DataDir};
use std::io::Write;
use std::process::Command;

/// The address space the import runs in: 1 GiB, as on a small shop computer already busy.
const LIMIT: &str = "--as=1073741824";

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// An XLSX workbook whose table of shared texts is `shared`.
fn workbook_with_shared_texts(shared: impl Fn(&mut dyn Write)) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    let kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let files = [
        (
            "_rels/.rels",
            format!("<Relationships xmlns=\"{rels}\"><Relationship Id=\"rId1\" Type=\"{kind}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        (
            "xl/workbook.xml",
            format!("<workbook xmlns=\"{MAIN}\" xmlns:r=\"{kind}\"><sheets><sheet name=\"Tarif\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!("<Relationships xmlns=\"{rels}\"><Relationship Id=\"rId1\" Type=\"{kind}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!("<worksheet xmlns=\"{MAIN}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>"),
        ),
    ];
    for (path, text) in files {
        zip.start_file(path, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    shared(&mut zip);
    zip.finish().unwrap().into_inner()
}

/// 48 million one-letter texts: 800 MB of XML in about a megabyte, which the spreadsheet
/// library alone would hold as more than 2 GB of strings.
fn bomb(out: &mut dyn Write) {
    out.write_all(format!("<sst xmlns=\"{MAIN}\">").as_bytes())
        .unwrap();
    let chunk = b"<si><t>x</t></si>".repeat(1 << 16);
    for _ in 0..(48_000_000 >> 16) {
        out.write_all(&chunk).unwrap();
    }
    out.write_all(b"</sst>").unwrap();
}

/// One text, announced as four billion: the library would reserve room for all of them.
fn forged_count(out: &mut dyn Write) {
    let head = format!("<sst xmlns=\"{MAIN}\" count=\"4000000000\" uniqueCount=\"4000000000\">");
    out.write_all(head.as_bytes()).unwrap();
    out.write_all(b"<si><t>x</t></si></sst>").unwrap();
}

/// (file name, what its table of shared texts holds, words of the refusal).
type Case = (&'static str, fn(&mut dyn Write), &'static str);

#[test]
fn a_workbook_made_to_exhaust_memory_is_refused_within_a_gigabyte() {
    let cases: [Case; 2] = [
        ("bombe.xlsx", bomb, "table des textes démesurée"),
        (
            "compte.xlsx",
            forged_count,
            "nombre de textes annoncé démesuré",
        ),
    ];
    let data = DataDir::new();
    init(&data);
    for (name, shared, reason) in cases {
        let file = data.path().join(name);
        let bytes = workbook_with_shared_texts(shared);
        assert!(bytes.len() < 4 << 20, "{name}: {} bytes", bytes.len());
        std::fs::write(&file, bytes).unwrap();
        let output = Command::new("prlimit")
            .arg(LIMIT)
            .arg("--")
            .arg(relais_bin())
            .args(["--lang", "fr", "catalog", "import"])
            .arg(&file)
            .env("RELAIS_DATA_DIR", data.path())
            .output()
            .expect("prlimit runs relais");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains("classeur refusé"), "{name}: {stderr}");
        assert!(stderr.contains(reason), "{name}: {stderr}");
        assert!(!stderr.contains("memory allocation"), "{name}: {stderr}");
    }
}
