//! What can go wrong with a printer, with a stable `kind` for programs and a sentence in
//! French or English for people. The `io::Error` is kept whole (its `ErrorKind` decides
//! between unreachable and timeout), never flattened into a string.

use relais_core::Lang;
use std::io;

#[derive(Debug, thiserror::Error)]
pub enum PrinterError {
    #[error("invalid printer address {uri:?}: {reason}")]
    BadUri { uri: String, reason: &'static str },
    #[error("{0} printers are not supported yet")]
    Unsupported(&'static str),
    #[error("printer {target} unreachable: {source}")]
    Unreachable { target: String, source: io::Error },
    #[error("printer {target} did not answer within {seconds} s")]
    Timeout { target: String, seconds: u64 },
    #[error("the printer is out of paper")]
    PaperOut,
    #[error("the printer's cover is open")]
    CoverOpen,
    #[error("the printer is offline (error or paper being fed)")]
    Offline,
    #[error("printer {target}: {source}")]
    Io { target: String, source: io::Error },
    #[error("printer {target}: unexpected status answer {answer:02X?}")]
    BadStatus { target: String, answer: Vec<u8> },
}

impl PrinterError {
    /// Stable names for programs and the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            PrinterError::BadUri { .. } => "bad_uri",
            PrinterError::Unsupported(_) => "unsupported",
            PrinterError::Unreachable { .. } => "unreachable",
            PrinterError::Timeout { .. } => "timeout",
            PrinterError::PaperOut => "paper_out",
            PrinterError::CoverOpen => "cover_open",
            PrinterError::Offline => "offline",
            PrinterError::Io { .. } | PrinterError::BadStatus { .. } => "io",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            PrinterError::BadUri { uri, reason } => {
                format!("adresse d'imprimante invalide « {uri} » : {}", reason_fr(reason))
            }
            PrinterError::Unsupported(what) => {
                format!("les imprimantes {what} ne sont pas encore prises en charge")
            }
            PrinterError::Unreachable { target, source } => format!(
                "imprimante {target} injoignable : {} ; vérifiez qu'elle est allumée et branchée",
                io_fr(source)
            ),
            PrinterError::Timeout { target, seconds } => format!(
                "l'imprimante {target} n'a pas répondu en {seconds} s ; vérifiez qu'elle est allumée et branchée"
            ),
            PrinterError::PaperOut => "l'imprimante n'a plus de papier".into(),
            PrinterError::CoverOpen => "le capot de l'imprimante est ouvert".into(),
            PrinterError::Offline => {
                "l'imprimante est hors ligne (erreur, ou papier en cours d'avance)".into()
            }
            PrinterError::Io { target, source } => {
                format!("imprimante {target} : {}", io_fr(source))
            }
            PrinterError::BadStatus { target, answer } => {
                format!("imprimante {target} : réponse d'état inattendue {answer:02X?}")
            }
        }
    }
}

fn reason_fr(reason: &str) -> &'static str {
    match reason {
        REASON_SCHEME => "elle doit commencer par tcp://, file:// ou serial://",
        REASON_HOST => "il manque l'hôte (tcp://192.168.1.50:9100)",
        REASON_PORT => "le port doit être un nombre de 1 à 65535",
        REASON_PATH => "il manque le chemin du périphérique (file:///dev/usb/lp0)",
        REASON_BAUD => "la vitesse doit être un nombre (serial:///dev/ttyUSB0?baud=9600)",
        _ => "format inconnu",
    }
}

pub const REASON_SCHEME: &str = "it must start with tcp://, file:// or serial://";
pub const REASON_HOST: &str = "the host is missing (tcp://192.168.1.50:9100)";
pub const REASON_PORT: &str = "the port must be a number from 1 to 65535";
pub const REASON_PATH: &str = "the device path is missing (file:///dev/usb/lp0)";
pub const REASON_BAUD: &str = "the speed must be a number (serial:///dev/ttyUSB0?baud=9600)";

fn io_fr(error: &io::Error) -> String {
    use io::ErrorKind::*;
    match error.kind() {
        ConnectionRefused => "connexion refusée".into(),
        HostUnreachable | NetworkUnreachable | AddrNotAvailable => {
            "aucune route vers l'imprimante".into()
        }
        ConnectionReset | ConnectionAborted | BrokenPipe => "connexion coupée".into(),
        NotFound => "périphérique introuvable".into(),
        PermissionDenied => "accès refusé (droits insuffisants)".into(),
        _ => format!("erreur ({error})"),
    }
}
