//! What can go wrong with a printer, with a stable `kind` for programs and a sentence in
//! French or English for people. The `io::Error` is kept whole (its `ErrorKind` decides
//! between unreachable and timeout), never flattened into a string.

use relais_core::{Lang, UriProblem};
use std::io;

#[derive(Debug, thiserror::Error)]
pub enum PrinterError {
    #[error("invalid printer address {uri:?}: {}", reason.text().en)]
    BadUri { uri: String, reason: UriProblem },
    #[error("printer {target}: the print spooler exists only on Windows; use tcp://, file:// or serial://")]
    SpoolerOnlyOnWindows { target: String },
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
            PrinterError::SpoolerOnlyOnWindows { .. } => "unsupported",
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
                format!("adresse d'imprimante invalide « {uri} » : {}", reason.text().fr)
            }
            PrinterError::SpoolerOnlyOnWindows { target } => format!(
                "imprimante {target} : le spouleur d'impression n'existe que sous Windows ; utilisez tcp://, file:// ou serial://"
            ),
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

/// Windows' `ERROR_INVALID_PRINTER_NAME`: no printer of that name in the spooler.
const INVALID_PRINTER_NAME: i32 = 1801;

fn io_fr(error: &io::Error) -> String {
    use io::ErrorKind::*;
    if cfg!(windows) && error.raw_os_error() == Some(INVALID_PRINTER_NAME) {
        return "Windows ne connaît pas d'imprimante de ce nom (voir Paramètres > Imprimantes)"
            .into();
    }
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
