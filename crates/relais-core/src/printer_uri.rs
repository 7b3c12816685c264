//! A receipt printer's address, as a manager types it in the settings or on the command line:
//! `tcp://HOST[:PORT]` (a network printer, port 9100 by default), `file:///dev/usb/lp0` (a
//! device file: a USB printer on Linux), `serial:///dev/ttyUSB0?baud=9600` (a serial port),
//! `spool://NAME` (a printer of the Windows spooler, by the name Windows shows, fed raw
//! ESC/POS bytes). Parsed here, once, for the store (which checks the settings) and the
//! printer crate (which connects).

use crate::i18n::Text;
use crate::text;
use std::fmt;
use std::path::PathBuf;

pub const DEFAULT_PORT: u16 = 9100;
pub const DEFAULT_BAUD: u32 = 9600;

/// A printer's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterUri {
    Tcp {
        host: String,
        port: u16,
    },
    File(PathBuf),
    Serial {
        path: PathBuf,
        baud: u32,
    },
    /// A printer installed in Windows, by its name (`EPSON TM-T20III`, `\\CAISSE2\Tickets`).
    Spooler {
        name: String,
    },
}

/// What is wrong with an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriProblem {
    Scheme,
    Host,
    Port,
    Path,
    Baud,
    Name,
    Control,
}

impl UriProblem {
    /// What to tell the person who typed the address.
    pub fn text(self) -> Text {
        match self {
            UriProblem::Scheme => text!(
                fr: "l'adresse doit commencer par tcp://, file://, serial:// ou spool://",
                en: "the address must start with tcp://, file://, serial:// or spool://",
            ),
            UriProblem::Host => text!(
                fr: "il manque l'hôte (tcp://192.168.1.50:9100)",
                en: "the host is missing (tcp://192.168.1.50:9100)",
            ),
            UriProblem::Port => text!(
                fr: "le port doit être un nombre de 1 à 65535",
                en: "the port must be a number from 1 to 65535",
            ),
            UriProblem::Path => text!(
                fr: "il manque le chemin du périphérique (file:///dev/usb/lp0, serial:///dev/ttyUSB0)",
                en: "the device path is missing (file:///dev/usb/lp0, serial:///dev/ttyUSB0)",
            ),
            UriProblem::Baud => text!(
                fr: "la vitesse doit être un nombre (serial:///dev/ttyUSB0?baud=9600)",
                en: "the speed must be a number (serial:///dev/ttyUSB0?baud=9600)",
            ),
            UriProblem::Name => text!(
                fr: "il manque le nom de l'imprimante Windows (spool://EPSON TM-T20III)",
                en: "the Windows printer's name is missing (spool://EPSON TM-T20III)",
            ),
            UriProblem::Control => text!(
                fr: "l'adresse contient un caractère de contrôle",
                en: "the address holds a control character",
            ),
        }
    }
}

impl PrinterUri {
    /// Reads an address; spaces around it are ignored.
    pub fn parse(text: &str) -> Result<PrinterUri, UriProblem> {
        let text = text.trim();
        if text.chars().any(char::is_control) {
            return Err(UriProblem::Control);
        }
        if let Some(rest) = text.strip_prefix("tcp://") {
            return parse_tcp(rest);
        }
        if let Some(path) = text.strip_prefix("file://") {
            return Ok(PrinterUri::File(device_path(path)?));
        }
        if let Some(rest) = text.strip_prefix("serial://") {
            return parse_serial(rest);
        }
        if let Some(name) = text.strip_prefix("spool://") {
            return match name.trim() {
                "" => Err(UriProblem::Name),
                name => Ok(PrinterUri::Spooler {
                    name: name.to_string(),
                }),
            };
        }
        Err(UriProblem::Scheme)
    }
}

fn parse_tcp(rest: &str) -> Result<PrinterUri, UriProblem> {
    let rest = rest.trim_end_matches('/');
    let (host, port) = match rest.strip_prefix('[') {
        Some(inner) => match inner.split_once(']') {
            Some((host, "")) => (host, None),
            Some((host, after)) => (host, Some(after.strip_prefix(':').ok_or(UriProblem::Host)?)),
            None => return Err(UriProblem::Host),
        },
        None => match rest.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        },
    };
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ', '[', ']']) {
        return Err(UriProblem::Host);
    }
    let port = match port {
        None => DEFAULT_PORT,
        Some(port) => match port.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => return Err(UriProblem::Port),
        },
    };
    Ok(PrinterUri::Tcp {
        host: host.to_string(),
        port,
    })
}

fn parse_serial(rest: &str) -> Result<PrinterUri, UriProblem> {
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = device_path(path)?;
    let mut baud = DEFAULT_BAUD;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        baud = match pair.split_once('=') {
            Some(("baud", value)) => match value.parse::<u32>() {
                Ok(baud) if baud > 0 => baud,
                _ => return Err(UriProblem::Baud),
            },
            _ => return Err(UriProblem::Baud),
        };
    }
    Ok(PrinterUri::Serial { path, baud })
}

fn device_path(path: &str) -> Result<PathBuf, UriProblem> {
    match path {
        "" | "/" => Err(UriProblem::Path),
        path => Ok(PathBuf::from(path)),
    }
}

impl fmt::Display for PrinterUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterUri::Tcp { host, port } if host.contains(':') => {
                write!(f, "tcp://[{host}]:{port}")
            }
            PrinterUri::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            PrinterUri::File(path) => write!(f, "file://{}", path.display()),
            PrinterUri::Serial { path, baud } => {
                write!(f, "serial://{}?baud={baud}", path.display())
            }
            PrinterUri::Spooler { name } => write!(f, "spool://{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_addresses_parse_or_say_what_is_wrong() {
        let tcp = |host: &str, port| {
            Ok(PrinterUri::Tcp {
                host: host.into(),
                port,
            })
        };
        let serial = |path: &str, baud| {
            Ok(PrinterUri::Serial {
                path: path.into(),
                baud,
            })
        };
        let spooler = |name: &str| Ok(PrinterUri::Spooler { name: name.into() });
        use UriProblem::*;
        let cases: Vec<(&str, Result<PrinterUri, UriProblem>)> = vec![
            ("tcp://192.168.1.50:9100", tcp("192.168.1.50", 9100)),
            ("tcp://imprimante.local", tcp("imprimante.local", 9100)),
            (" tcp://[fe80::1]:9101/ ", tcp("fe80::1", 9101)),
            (
                "file:///dev/usb/lp0",
                Ok(PrinterUri::File("/dev/usb/lp0".into())),
            ),
            (
                "serial:///dev/ttyUSB0?baud=19200",
                serial("/dev/ttyUSB0", 19200),
            ),
            ("serial:///dev/ttyS0", serial("/dev/ttyS0", 9600)),
            ("serial://COM3?baud=38400", serial("COM3", 38400)),
            (
                "spool://EPSON TM-T20III Receipt",
                spooler("EPSON TM-T20III Receipt"),
            ),
            (r"spool://\\CAISSE2\Tickets", spooler(r"\\CAISSE2\Tickets")),
            ("spool://Épicerie ", spooler("Épicerie")),
            ("192.168.1.50", Err(Scheme)),
            ("http://printer", Err(Scheme)),
            ("", Err(Scheme)),
            ("tcp://:9100", Err(Host)),
            ("tcp://[fe80::1", Err(Host)),
            ("tcp://printer:0", Err(Port)),
            ("tcp://printer:99999", Err(Port)),
            ("tcp://fe80::1", Err(Port)),
            ("file://", Err(Path)),
            ("serial:///?baud=9600", Err(Path)),
            ("serial:///dev/ttyS0?baud=fast", Err(Baud)),
            ("serial:///dev/ttyS0?parity=odd", Err(Baud)),
            ("spool://  ", Err(Name)),
            ("tcp://printer\u{1b}:9100", Err(Control)),
            ("spool://Tick\u{7}ets", Err(Control)),
        ];
        for (text, expected) in cases {
            let parsed = PrinterUri::parse(text);
            assert_eq!(parsed, expected, "{text:?}");
            if let Ok(uri) = parsed {
                assert_eq!(
                    PrinterUri::parse(&uri.to_string()),
                    Ok(uri.clone()),
                    "{uri}"
                );
            }
        }
    }

    #[test]
    fn every_problem_is_said_in_both_languages() {
        use UriProblem::*;
        for problem in [Scheme, Host, Port, Path, Baud, Name, Control] {
            let text = problem.text();
            assert!(!text.fr.is_empty() && !text.en.is_empty() && text.fr != text.en);
        }
    }
}
