//! What a file is when it is not a price list one can read: said in words a shop manager
//! knows, with what to do about it, before any reader tries it and fails in its own jargon.

use relais_core::{text, Text};

/// Why `bytes` cannot be a price list, when its first bytes say so.
pub(crate) fn refuse(bytes: &[u8]) -> Option<Text> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        let size = bytes.len();
        return Some(match size {
            0 => text!(
                fr: "le fichier est vide (0 octet) : l'export ou la copie n'a pas abouti",
                en: "the file is empty (0 bytes): the export or the copy did not finish",
            ),
            _ => text!(
                fr: "le fichier ne contient que des espaces ou des lignes vides",
                en: "the file holds only spaces or blank lines",
            ),
        });
    }
    let image = |kind: &str| {
        Some(text!(
            fr: "c'est une image {kind}, pas une liste de prix : exportez le tableau lui-même \
                 (XLSX, ODS ou CSV)",
            en: "this is a {kind} image, not a price list: export the table itself (XLSX, ODS \
                 or CSV)",
        ))
    };
    if bytes.starts_with(b"\x89PNG") {
        return image("PNG");
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return image("JPEG");
    }
    if bytes.starts_with(b"GIF8") {
        return image("GIF");
    }
    if bytes.starts_with(b"%PDF") {
        return Some(text!(
            fr: "c'est un document PDF, pas un tableau : demandez l'export du tarif en XLSX, ODS \
                 ou CSV",
            en: "this is a PDF document, not a table: ask for the price list as XLSX, ODS or \
                 CSV",
        ));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Some(text!(
            fr: "c'est un classeur Excel 97-2003 (.xls) : ouvrez-le dans le tableur et \
                 enregistrez-le en .xlsx, .ods ou .csv",
            en: "this is an Excel 97-2003 workbook (.xls): open it in the spreadsheet and save \
                 it as .xlsx, .ods or .csv",
        ));
    }
    if looks_like_html(bytes) {
        return Some(text!(
            fr: "c'est une page web (HTML), même si son nom finit par .xls : beaucoup de sites \
                 exportent ainsi. Ouvrez-la dans le tableur et enregistrez-la en .xlsx, .ods ou \
                 .csv",
            en: "this is a web page (HTML), even if its name ends in .xls: many web sites \
                 export so. Open it in the spreadsheet and save it as .xlsx, .ods or .csv",
        ));
    }
    None
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    start.starts_with('<')
        && ["<html", "<!doctype html", "<table", "<head", "<meta"]
            .iter()
            .any(|tag| start.contains(tag))
}

/// The encoding of a UTF-16 text, from its byte-order mark or, without one, from the zero
/// bytes every other byte of Latin text has.
pub(crate) fn utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(encoding_rs::UTF_16LE);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(encoding_rs::UTF_16BE);
    }
    let sample = &bytes[..bytes.len().min(200) & !1];
    if sample.len() < 4 {
        return None;
    }
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = sample.len() / 2;
    if zeros_at(1) * 10 >= half * 9 && zeros_at(0) == 0 {
        return Some(encoding_rs::UTF_16LE);
    }
    if zeros_at(0) * 10 >= half * 9 && zeros_at(1) == 0 {
        return Some(encoding_rs::UTF_16BE);
    }
    None
}
