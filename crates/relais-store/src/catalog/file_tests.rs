//! Files that attack the importer, generated: a file that is no price list, a workbook made to
//! exhaust memory, an awkward encoding or line ending, barcodes a spreadsheet damaged. Each is
//! imported as a manager would, and must end as a clear refusal or the rows a person reads.

use super::read::MAX_SHARED_TEXT;
use super::*;
use crate::tests::init_store;
use std::io::Write;

/// What importing a file must give.
enum Want {
    /// The whole file refused; the French message holds each of these words and no jargon.
    Refused(&'static [&'static str]),
    /// Read: (format, encoding), products imported, rejected rows as (line, words of the
    /// French reason), and codes the counter must then find.
    Read {
        source: (&'static str, &'static str),
        imported: u64,
        rejects: &'static [(usize, &'static str)],
        finds: &'static [&'static str],
    },
}

/// Words a reader library says that a shop manager must never see.
const JARGON: &[&str] = &["EOCD", "Zip", "zip error", "Xml", "invalid", "Could not"];

fn check(name: &str, file: &[u8], want: &Want) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let path = dir.path().join(name);
    std::fs::write(&path, file).unwrap();
    let options = ImportOptions {
        operator: "manager".into(),
        ..ImportOptions::default()
    };
    let outcome = store.import_catalog_as(&path, &options);
    match (outcome, want) {
        (Err(error), Want::Refused(words)) => {
            let message = error.message(relais_core::Lang::Fr);
            for word in *words {
                assert!(message.contains(word), "{name}: {message:?} lacks {word:?}");
            }
            for word in JARGON {
                assert!(!message.contains(word), "{name}: jargon in {message:?}");
            }
            assert_eq!(store.catalog_size().unwrap(), 0, "{name}");
        }
        (
            Ok(report),
            Want::Read {
                source,
                imported,
                rejects,
                finds,
            },
        ) => {
            let got = (
                report.source.format.as_str(),
                report.source.encoding.as_str(),
            );
            assert_eq!(got, *source, "{name}");
            let reasons: Vec<(usize, &str)> = report
                .rejects
                .iter()
                .map(|r| (r.line, r.reason.fr.as_str()))
                .collect();
            assert_eq!(reasons.len(), rejects.len(), "{name}: {reasons:#?}");
            for ((line, reason), (want_line, word)) in reasons.iter().zip(*rejects) {
                assert_eq!(line, want_line, "{name}: {reason}");
                assert!(
                    reason.contains(word),
                    "{name} line {line}: {reason:?} lacks {word:?}"
                );
            }
            assert_eq!(report.imported, *imported, "{name}");
            for code in *finds {
                assert!(
                    store.product_by_code(code).unwrap().is_some(),
                    "{name}: {code} not found"
                );
            }
        }
        (Err(error), _) => panic!("{name}: refused: {}", error.message(relais_core::Lang::Fr)),
        (Ok(report), _) => panic!("{name}: read, not refused: {report:?}"),
    }
}

/// A zip archive of (path, content) entries.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for (path, content) in entries {
        writer.start_file(*path, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// An XLSX workbook of one sheet: cells that parse as numbers are number cells (as a
/// spreadsheet keeps barcodes typed in a General column), others inline texts; `shared` is
/// the table of shared texts, if any.
fn xlsx(rows: &[&[&str]], shared: Option<&[u8]>) -> Vec<u8> {
    let mut sheet = format!("<worksheet xmlns=\"{MAIN}\"><sheetData>");
    for (r, row) in rows.iter().enumerate() {
        sheet += &format!("<row r=\"{}\">", r + 1);
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            match cell.parse::<f64>() {
                Ok(_) => sheet += &format!("<c r=\"{at}\"><v>{cell}</v></c>"),
                Err(_) => {
                    sheet += &format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{cell}</t></is></c>")
                }
            }
        }
        sheet += "</row>";
    }
    sheet += "</sheetData></worksheet>";
    let workbook = format!(
        "<workbook xmlns=\"{MAIN}\" xmlns:r=\"{RELS}\"><sheets>\
         <sheet name=\"Tarif\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    );
    let workbook_rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
         </Relationships>";
    let package_rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
         </Relationships>";
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("_rels/.rels", package_rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(shared) = shared {
        entries.push(("xl/sharedStrings.xml", shared));
    }
    zip_of(&entries)
}

/// A table of `count` shared texts announcing `announced` of them.
fn shared_texts(count: usize, announced: Option<u64>) -> Vec<u8> {
    let announced = announced
        .map(|n| format!(" uniqueCount=\"{n}\""))
        .unwrap_or_default();
    let mut xml = format!("<sst xmlns=\"{MAIN}\"{announced}>").into_bytes();
    xml.reserve(count * 17 + 8);
    for _ in 0..count {
        xml.extend_from_slice(b"<si><t>x</t></si>");
    }
    xml.extend_from_slice(b"</sst>");
    xml
}

/// An ODS workbook of one sheet, text cells; the last row is repeated `last_row_repeat`
/// times and every cell `cell_repeat` times.
fn ods(rows: &[&[&str]], last_row_repeat: u64, cell_repeat: u64) -> Vec<u8> {
    let mut content = String::new();
    for (r, row) in rows.iter().enumerate() {
        let repeat = if r + 1 == rows.len() {
            last_row_repeat
        } else {
            1
        };
        content += &format!("<table:table-row table:number-rows-repeated=\"{repeat}\">");
        for cell in row.iter() {
            content += &format!(
                "<table:table-cell table:number-columns-repeated=\"{cell_repeat}\" \
                 office:value-type=\"string\"><text:p>{cell}</text:p></table:table-cell>"
            );
        }
        content += "</table:table-row>";
    }
    ods_of(&content)
}

/// An ODS workbook of one sheet whose rows are `table`.
fn ods_of(table: &str) -> Vec<u8> {
    let content = format!(
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Tarif\">\
         {table}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

const LIBREOFFICE_SHEET: &str = "<table:table-column table:style-name=\"co1\" \
    table:number-columns-repeated=\"3\" table:default-cell-style-name=\"Default\"/>\
    <table:table-row table:style-name=\"ro1\"><table:table-cell office:value-type=\"string\">\
    <text:p>EAN</text:p></table:table-cell><table:table-cell office:value-type=\"string\">\
    <text:p>Libellé</text:p></table:table-cell><table:table-cell office:value-type=\"string\">\
    <text:p>Prix TTC</text:p></table:table-cell></table:table-row>\
    <table:table-row table:style-name=\"ro1\"><table:table-cell office:value-type=\"float\" \
    office:value=\"3760000000017\"><text:p>3760000000017</text:p></table:table-cell>\
    <table:table-cell office:value-type=\"string\"><text:p>Crème</text:p></table:table-cell>\
    <table:table-cell office:value-type=\"float\" office:value=\"2.35\"><text:p>2,35</text:p>\
    </table:table-cell></table:table-row>\
    <table:table-row table:style-name=\"ro1\"><table:table-cell office:value-type=\"float\" \
    office:value=\"4006381333931\"><text:p>4006381333931</text:p></table:table-cell>\
    <table:table-cell office:value-type=\"string\"><text:p>Stylo</text:p></table:table-cell>\
    <table:table-cell office:value-type=\"float\" office:value=\"1.5\"><text:p>1,50</text:p>\
    </table:table-cell></table:table-row>\
    <table:table-row table:style-name=\"ro1\" table:number-rows-repeated=\"1048573\">\
    <table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";

const PRICE_LIST: &[&[&str]] = &[
    &["EAN", "Libellé", "Prix TTC"],
    &["3760000000017", "Crème fraîche", "2,35"],
    &["712345678911", "Sirop d'érable", "8,90"],
];

#[test]
fn files_that_attack_the_importer_are_refused_or_read_as_a_person_reads_them() {
    let bomb = xlsx(
        PRICE_LIST,
        Some(&shared_texts((MAX_SHARED_TEXT / 17 + 1000) as usize, None)),
    );
    let forged_count = xlsx(PRICE_LIST, Some(&shared_texts(1, Some(4_000_000_000))));
    let mut truncated = xlsx(PRICE_LIST, None);
    truncated.truncate(truncated.len() / 2);
    let cases: Vec<(&str, Vec<u8>, Want)> = vec![
        ("vide.csv", vec![], Want::Refused(&["vide (0 octet)"])),
        ("blanc.csv", b"\n \r\n".to_vec(), Want::Refused(&["que des espaces"])),
        (
            "tarif.csv",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            Want::Refused(&["image PNG", "pas une liste de prix"]),
        ),
        (
            "tarif.xls",
            b"<html><body><table><tr><td>EAN</td></tr></table></body></html>".to_vec(),
            Want::Refused(&["page web (HTML)", ".xls", "enregistrez-la en .xlsx"]),
        ),
        (
            "tarif.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0".to_vec(),
            Want::Refused(&["Excel 97-2003"]),
        ),
        (
            "tarif.pdf",
            b"%PDF-1.7\n".to_vec(),
            Want::Refused(&["document PDF"]),
        ),
        (
            "tarif.xlsx",
            truncated,
            Want::Refused(&["archive ZIP", "tronquée ou endommagée"]),
        ),
        (
            "tarif.xlsx",
            b"EAN;Libell\xe9;Prix\n".to_vec(),
            Want::Refused(&["finit par .xlsx", "pas un classeur"]),
        ),
        (
            "tarif.zip",
            zip_of(&[("photo.txt", b"x")]),
            Want::Refused(&["pas un classeur XLSX ou ODS"]),
        ),
        (
            "tarif.csv",
            b"EAN;Prix\x00\x01\x02\x03\xff\xfe\x00\x00garbage".to_vec(),
            Want::Refused(&["pas un fichier texte"]),
        ),
        (
            "bombe.xlsx",
            bomb,
            Want::Refused(&["classeur refusé", "textes démesurée"]),
        ),
        (
            "compte.xlsx",
            forged_count,
            Want::Refused(&["classeur refusé", "annoncé démesuré"]),
        ),
        (
            "bombe.ods",
            ods(PRICE_LIST, 1_000_000, 16_000),
            Want::Refused(&["classeur refusé"]),
        ),
        (
            "titre.csv",
            "Tarif printemps 2026\n\nEAN;Libellé;Prix\n3760000000017;Crème;2,35\n"
                .as_bytes()
                .to_vec(),
            Want::Refused(&[
                "aucune colonne pour le champ",
                "en-tête ligne 1 « Tarif printemps 2026 »",
                "encodage UTF-8",
                "séparateur « ; »",
                "La ligne 3 (« EAN | Libellé | Prix ») ressemble à l'en-tête",
            ]),
        ),
        (
            "sep.csv",
            "sep=;\r\nEAN;Libellé;Prix\r\n3760000000017;Crème, fraîche;2,35\r\n;Sans prix;\r\n"
                .as_bytes()
                .to_vec(),
            Want::Read {
                source: ("csv", "UTF-8"),
                imported: 1,
                rejects: &[(4, "prix manquant")],
                finds: &["3760000000017"],
            },
        ),
        (
            "mac.csv",
            b"EAN;Libell\xe9;Prix\r3760000000017;Cr\xe8me;2,35\r\r;Sans prix;\r4006381333931;Stylo;1,50\r"
                .to_vec(),
            Want::Read {
                source: ("csv", "Windows-1252"),
                imported: 2,
                rejects: &[(4, "prix manquant")],
                finds: &["4006381333931"],
            },
        ),
        (
            "unicode.txt",
            utf16le("EAN\tLibellé\tPrix\r\n3760000000017\tCrème\t2,35\r\n\tSans prix\t\r\n"),
            Want::Read {
                source: ("csv", "UTF-16LE"),
                imported: 1,
                rejects: &[(3, "prix manquant")],
                finds: &["3760000000017"],
            },
        ),
        (
            "codes.csv",
            "Référence;EAN;Libellé;Prix\n\
             A1;=\"0712345678911\";Sirop;8,90\n\
             A2;712345678911;Sirop copie;8,90\n\
             A3;3760000000277.0;Confiture;4,10\n\
             A4;3,76E+12;Miel;6,50\n\
             A5;\"3,01762E+12\";Nutella;4,35\n\
             A1;;Sirop bis;9,00\n\
             A6;00036000291452;Soupe;2,10\n\
             ;;TOTAL;35,85\n"
                .as_bytes()
                .to_vec(),
            Want::Read {
                source: ("csv", "UTF-8"),
                imported: 3,
                rejects: &[
                    (3, "le code-barres 0712345678911 figure déjà ligne 2"),
                    (5, "Excel) a transformé la colonne des codes-barres en nombres"),
                    (6, "au format Texte"),
                    (7, "la référence A1 figure déjà ligne 2"),
                    (9, "ligne de total"),
                ],
                // A UPC-A scanned with or without its zero, a GTIN-14 of the same item.
                finds: &["712345678911", "0712345678911", "3760000000277", "036000291452"],
            },
        ),
        (
            "tarif.xlsx",
            xlsx(PRICE_LIST, None),
            Want::Read {
                source: ("xlsx", "UTF-8"),
                imported: 2,
                rejects: &[],
                finds: &["3760000000017", "0712345678911"],
            },
        ),
        (
            // As LibreOffice writes a sheet: columns declared, barcodes as numbers, and the
            // empty rest of the sheet as one row repeated a million times.
            "libreoffice.ods",
            ods_of(LIBREOFFICE_SHEET),
            Want::Read {
                source: ("ods", "UTF-8"),
                imported: 2,
                rejects: &[],
                finds: &["3760000000017", "4006381333931"],
            },
        ),
        (
            "tarif.ods",
            ods(PRICE_LIST, 1, 1),
            Want::Read {
                source: ("ods", "UTF-8"),
                imported: 2,
                rejects: &[],
                finds: &["3760000000017", "712345678911"],
            },
        ),
    ];
    for (name, file, want) in &cases {
        check(name, file, want);
    }
}

/// A till whose catalogue holds a UPC-A as 12 digits (kept so before codes were canonical):
/// a price list giving its 13-digit form updates that product, and both forms sell it.
#[test]
fn a_gtin_kept_under_an_older_form_is_the_same_product() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let old = crate::catalog::NewProduct {
        label: "Sirop d'érable".into(),
        price_cents: 850,
        ..Default::default()
    };
    let id = store.create_product_as(&old, "manager").unwrap().id;
    store
        .conn
        .execute(
            "INSERT INTO barcodes (code, product_id) VALUES ('712345678911', ?1)",
            [id],
        )
        .unwrap();
    let path = dir.path().join("prix.csv");
    std::fs::write(
        &path,
        "EAN;Libellé;Prix\n0712345678911;Sirop d'érable;8,90\n",
    )
    .unwrap();
    let options = ImportOptions {
        operator: "manager".into(),
        ..ImportOptions::default()
    };
    let report = store.import_catalog_as(&path, &options).unwrap();
    assert_eq!((report.imported, report.updated), (0, 1));
    for code in ["712345678911", "0712345678911", "00712345678911"] {
        let found = store.product_by_code(code).unwrap().unwrap();
        assert_eq!((found.id, found.price_cents), (id, 890), "{code}");
    }
}
