//! ESC/POS commands, built into one buffer that the transport sends in one write. Only the
//! commands a receipt needs, each with its full byte count (the `escpos` crate's drawer
//! command sent 3 bytes of 5, and the printer swallowed the cut that followed).

use crate::codepage::{clean, CodePage};

pub const ESC: u8 = 0x1B;
pub const GS: u8 = 0x1D;
pub const DLE: u8 = 0x10;
pub const EOT: u8 = 0x04;
pub const LF: u8 = 0x0A;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Full or partial cut (`GS V 65 n` / `GS V 66 n`: feed to the cutter, then cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    Full,
    Partial,
}

/// The drawer connector pin a pulse goes to: pin 2 (drawer 1, the usual one) or pin 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    Two,
    Five,
}

/// The pulse most drawers open with: 50 ms on, 500 ms off.
pub const PULSE_ON_MS: u16 = 50;
pub const PULSE_OFF_MS: u16 = 500;

/// Module size of the printed QR code (dots per module, 1–16): 6 is about 2 cm for a UUID.
pub const QR_MODULE: u8 = 6;

/// The most a QR code (model 2, level M) holds in bytes; longer data is not printed.
pub const QR_MAX_BYTES: usize = 2331;

/// A buffer of ESC/POS commands, started by `ESC @` and the code page's `ESC t n`.
#[derive(Debug, Clone)]
pub struct EscPos {
    bytes: Vec<u8>,
    page: CodePage,
}

impl EscPos {
    /// Initialises the printer (`ESC @`: default modes, PC437) and selects `page`.
    pub fn new(page: CodePage) -> EscPos {
        EscPos {
            bytes: vec![ESC, b'@', ESC, b't', page.number()],
            page,
        }
    }

    /// Commands with no `ESC @` first (a drawer pulse on its own).
    pub fn bare(page: CodePage) -> EscPos {
        EscPos {
            bytes: Vec::new(),
            page,
        }
    }

    pub fn page(&self) -> CodePage {
        self.page
    }

    /// Text in the code page, control characters removed.
    pub fn text(&mut self, text: &str) -> &mut EscPos {
        let bytes = self.page.encode(text);
        self.bytes.extend_from_slice(&bytes);
        self
    }

    /// Text then a line feed.
    pub fn line(&mut self, text: &str) -> &mut EscPos {
        self.text(text);
        self.bytes.push(LF);
        self
    }

    /// `ESC E n`.
    pub fn bold(&mut self, on: bool) -> &mut EscPos {
        self.bytes.extend_from_slice(&[ESC, b'E', u8::from(on)]);
        self
    }

    /// `ESC a n`.
    pub fn align(&mut self, align: Align) -> &mut EscPos {
        let n = match align {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        };
        self.bytes.extend_from_slice(&[ESC, b'a', n]);
        self
    }

    /// `GS ! n`: character width and height, each 1 to 8 times.
    pub fn size(&mut self, width: u8, height: u8) -> &mut EscPos {
        let (w, h) = (width.clamp(1, 8) - 1, height.clamp(1, 8) - 1);
        self.bytes.extend_from_slice(&[GS, b'!', (w << 4) | h]);
        self
    }

    /// `ESC d n`: prints the buffer and feeds `lines` lines.
    pub fn feed(&mut self, lines: u8) -> &mut EscPos {
        self.bytes.extend_from_slice(&[ESC, b'd', lines]);
        self
    }

    /// A native QR code (`GS ( k`, model 2, level M): model, module size, error correction,
    /// store the data, print it. Control characters are removed from `data`; data too long
    /// for a QR code prints nothing.
    pub fn qr(&mut self, data: &str, module: u8) -> &mut EscPos {
        let data = clean(data);
        if data.is_empty() || data.len() > QR_MAX_BYTES {
            return self;
        }
        let function = |bytes: &mut Vec<u8>, body: &[u8]| {
            let len = u16::try_from(body.len() + 1).expect("a QR function is short");
            bytes.extend_from_slice(&[GS, b'(', b'k']);
            bytes.extend_from_slice(&len.to_le_bytes());
            bytes.push(49); // cn: QR code
            bytes.extend_from_slice(body);
        };
        function(&mut self.bytes, &[65, 50, 0]); // fn 65: model 2
        function(&mut self.bytes, &[67, module.clamp(1, 16)]); // fn 67: module size
        function(&mut self.bytes, &[69, 49]); // fn 69: error correction M
        let mut store = vec![80, 48]; // fn 80: store the data
        store.extend_from_slice(data.as_bytes());
        function(&mut self.bytes, &store);
        function(&mut self.bytes, &[81, 48]); // fn 81: print it
        self
    }

    /// `GS V 65 0` or `GS V 66 0`: feeds to the cutter and cuts.
    pub fn cut(&mut self, cut: Cut) -> &mut EscPos {
        let m = match cut {
            Cut::Full => 65,
            Cut::Partial => 66,
        };
        self.bytes.extend_from_slice(&[GS, b'V', m, 0]);
        self
    }

    /// `ESC p m t1 t2`, all five bytes: a pulse on `pin`, `on_ms` then `off_ms` (in units of
    /// 2 ms, at most 510 ms each).
    pub fn pulse(&mut self, pin: Pin, on_ms: u16, off_ms: u16) -> &mut EscPos {
        let m = match pin {
            Pin::Two => 0,
            Pin::Five => 1,
        };
        let units = |ms: u16| u8::try_from(ms / 2).unwrap_or(u8::MAX);
        let (t1, t2) = (units(on_ms), units(off_ms).max(units(on_ms)));
        self.bytes.extend_from_slice(&[ESC, b'p', m, t1, t2]);
        self
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The bytes that open the drawer on `pin` with the usual pulse, and nothing else.
pub fn drawer_pulse(pin: Pin) -> Vec<u8> {
    let mut commands = EscPos::bare(CodePage::Wpc1252);
    commands.pulse(pin, PULSE_ON_MS, PULSE_OFF_MS);
    commands.into_bytes()
}
