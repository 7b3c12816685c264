//! Text to printer bytes: control characters removed, then each character looked up in the
//! selected code page's table, with a few transliterations (Œ → OE in CP858, curly quotes,
//! dashes) and `?` for the rest. The printer prints ASCII as ASCII; 0x80–0xFF depend on
//! the code page chosen with `ESC t n`.

/// The code pages Relais prints with: both have the € sign and every French letter (CP858
/// has no Œ, œ, Ÿ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodePage {
    /// Windows-1252, Epson's WPC1252 (`ESC t 16`, also 16 on the common clones' tables).
    Wpc1252,
    /// PC858 (`ESC t 19`): PC850 with € at 0xD5.
    Cp858,
}

/// PC858's 0x80–0xFF, as published (IBM code page 858; Unicode's vendor mapping, which
/// Python's `cp858` codec follows). Checked entry by entry in the tests.
const CP858_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐\
└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u{AD}±‗¾¶§÷¸°¨·¹³²■\u{A0}";

impl CodePage {
    /// `n` of `ESC t n`.
    pub fn number(self) -> u8 {
        match self {
            CodePage::Wpc1252 => 16,
            CodePage::Cp858 => 19,
        }
    }

    /// The code page `ESC t n` selects, among ours.
    pub fn from_number(n: u8) -> Option<CodePage> {
        match n {
            16 => Some(CodePage::Wpc1252),
            19 => Some(CodePage::Cp858),
            _ => None,
        }
    }

    /// The characters of bytes 0x80–0xFF (Windows-1252's five unassigned bytes decode to
    /// C1 controls, which are never sent).
    pub fn high_table(self) -> [char; 128] {
        let mut table = ['\u{FFFD}'; 128];
        match self {
            CodePage::Cp858 => {
                for (slot, c) in table.iter_mut().zip(CP858_HIGH.chars()) {
                    *slot = c;
                }
            }
            CodePage::Wpc1252 => {
                let bytes: Vec<u8> = (0x80..=0xFF).collect();
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
                for (slot, c) in table.iter_mut().zip(text.chars()) {
                    *slot = c;
                }
            }
        }
        table
    }

    /// `text` as bytes for this code page: control characters removed ([`clean`]), the
    /// characters the page lacks transliterated or sent as `?`.
    pub fn encode(self, text: &str) -> Vec<u8> {
        let table = self.high_table();
        let mut bytes = Vec::with_capacity(text.len());
        for c in text.chars().filter(|c| !c.is_control()) {
            if c.is_ascii() {
                bytes.push(c as u8);
            } else if let Some(index) = table.iter().position(|t| *t == c) {
                bytes.push(0x80 + index as u8);
            } else {
                bytes.extend_from_slice(transliterate(c).as_bytes());
            }
        }
        bytes
    }

    /// What a printer set to this page prints for `bytes` of text (0x20–0xFF).
    pub fn decode(self, bytes: &[u8]) -> String {
        let table = self.high_table();
        bytes
            .iter()
            .map(|&b| match b {
                0..=0x7F => char::from(b),
                _ => table[usize::from(b - 0x80)],
            })
            .collect()
    }
}

/// `text` without control characters (C0, DEL, C1): a label holding ESC, BEL or NUL must
/// not drive the printer. Tabs and line ends go too: the layout makes the lines.
pub fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// An ASCII stand-in for a character the code page lacks.
fn transliterate(c: char) -> &'static str {
    match c {
        'Œ' => "OE",
        'œ' => "oe",
        'Ÿ' => "Y",
        'Æ' => "AE",
        'æ' => "ae",
        '‘' | '’' | '‚' | '′' => "'",
        '“' | '”' | '„' | '″' => "\"",
        '–' | '—' | '‐' | '‑' | '−' => "-",
        '…' => "...",
        '•' | '·' => "-",
        // Narrow and thin spaces (French typography before « : ; ! ? »), other spaces.
        '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        _ => "?",
    }
}
