//! The store's errors. Each has a stable `kind` the UI and scripts branch on, and a message
//! for people in French or English.

use relais_core::{Defect, Lang, SaleError, Text};
use serde::Serialize;
use std::path::PathBuf;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("this till is not set up yet: run `relais init --shop NAME --till CODE`")]
    NotInitialised,
    #[error("this till is already set up (till {0})")]
    AlreadyInitialised(String),
    #[error("invalid setting {field}: {}", .reason.en)]
    InvalidSetting { field: &'static str, reason: Text },
    #[error("invalid sale: {0}")]
    InvalidSale(#[from] SaleError),
    /// Bad input, explained in both languages (counter staff and managers read the French).
    #[error("{}", .0.en)]
    Invalid(Text),
    #[error("{input}, sale #{index}: {error}")]
    InSale {
        input: String,
        index: usize,
        error: Box<StoreError>,
    },
    /// Something asked for by name or number that is not there, said in both languages.
    #[error("{}", .0.en)]
    NotFound(Text),
    #[error("{0} is not a sale")]
    NotASale(String),
    #[error("sale {0} is already voided")]
    AlreadyVoided(String),
    #[error(
        "paper slip {slip} of {day} is already entered ({existing}); confirm to enter it again"
    )]
    DuplicateSlip {
        slip: String,
        day: String,
        existing: String,
    },
    #[error("record id {0} already exists with different content")]
    IdConflict(String),
    #[error("wrong name or PIN")]
    BadCredentials,
    #[error("too many wrong PINs: try again in {seconds} s")]
    LockedOut { seconds: i64 },
    #[error("not allowed: {0}")]
    Forbidden(Refusal),
    #[error("disk full: the record was not written")]
    DiskFull,
    #[error("the database is busy (another program is writing); try again")]
    Busy,
    #[error("the database file is damaged: {0}")]
    Corrupt(String),
    #[error("integrity defect: {0}")]
    Integrity(Defect),
    /// Nothing may be written until a manager acknowledges a defect; says what to do.
    #[error("{}", .0.en)]
    OnHold(Text),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("signing key: {0}")]
    Key(String),
    #[error("database error: {0}")]
    Database(rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

/// What went wrong, as programs and the screens branch on it: the same code in the CLI's
/// `[kind]`, the app's `ApiError` and TypeScript (`ErrorKind.ts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    NotInitialised,
    AlreadyInitialised,
    InvalidSetting,
    InvalidSale,
    InvalidInput,
    NotFound,
    NotASale,
    AlreadyVoided,
    IdConflict,
    DuplicateSlip,
    BadCredentials,
    LockedOut,
    Forbidden,
    DiskFull,
    Busy,
    Corrupt,
    Integrity,
    Io,
    Key,
    Database,
    /// The app's own: nobody is logged in at the till.
    NotLoggedIn,
    /// The screens' own: the app could not be reached.
    Ipc,
    /// The app's own: no receipt printer is set.
    PrinterNotSet,
    /// The printer's (relais-printer's `PrinterError` kinds): no connection to it…
    PrinterUnreachable,
    /// …it did not answer within its deadline…
    PrinterTimeout,
    /// …it has no paper…
    PrinterPaperOut,
    /// …its cover is open…
    PrinterCoverOpen,
    /// …it reports an error or is feeding paper…
    PrinterOffline,
    /// …its kind of connection is not driven yet…
    PrinterUnsupported,
    /// …or anything else went wrong while talking to it.
    PrinterIo,
}

impl ErrorKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [ErrorKind; 30] = [
        ErrorKind::NotInitialised,
        ErrorKind::AlreadyInitialised,
        ErrorKind::InvalidSetting,
        ErrorKind::InvalidSale,
        ErrorKind::InvalidInput,
        ErrorKind::NotFound,
        ErrorKind::NotASale,
        ErrorKind::AlreadyVoided,
        ErrorKind::IdConflict,
        ErrorKind::DuplicateSlip,
        ErrorKind::BadCredentials,
        ErrorKind::LockedOut,
        ErrorKind::Forbidden,
        ErrorKind::DiskFull,
        ErrorKind::Busy,
        ErrorKind::Corrupt,
        ErrorKind::Integrity,
        ErrorKind::Io,
        ErrorKind::Key,
        ErrorKind::Database,
        ErrorKind::NotLoggedIn,
        ErrorKind::Ipc,
        ErrorKind::PrinterNotSet,
        ErrorKind::PrinterUnreachable,
        ErrorKind::PrinterTimeout,
        ErrorKind::PrinterPaperOut,
        ErrorKind::PrinterCoverOpen,
        ErrorKind::PrinterOffline,
        ErrorKind::PrinterUnsupported,
        ErrorKind::PrinterIo,
    ];

    /// The code, as serde writes it: `not_initialised`, `disk_full`…
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotInitialised => "not_initialised",
            ErrorKind::AlreadyInitialised => "already_initialised",
            ErrorKind::InvalidSetting => "invalid_setting",
            ErrorKind::InvalidSale => "invalid_sale",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::NotFound => "not_found",
            ErrorKind::NotASale => "not_a_sale",
            ErrorKind::AlreadyVoided => "already_voided",
            ErrorKind::IdConflict => "id_conflict",
            ErrorKind::DuplicateSlip => "duplicate_slip",
            ErrorKind::BadCredentials => "bad_credentials",
            ErrorKind::LockedOut => "locked_out",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::DiskFull => "disk_full",
            ErrorKind::Busy => "busy",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::Integrity => "integrity",
            ErrorKind::Io => "io",
            ErrorKind::Key => "key",
            ErrorKind::Database => "database",
            ErrorKind::NotLoggedIn => "not_logged_in",
            ErrorKind::Ipc => "ipc",
            ErrorKind::PrinterNotSet => "printer_not_set",
            ErrorKind::PrinterUnreachable => "printer_unreachable",
            ErrorKind::PrinterTimeout => "printer_timeout",
            ErrorKind::PrinterPaperOut => "printer_paper_out",
            ErrorKind::PrinterCoverOpen => "printer_cover_open",
            ErrorKind::PrinterOffline => "printer_offline",
            ErrorKind::PrinterUnsupported => "printer_unsupported",
            ErrorKind::PrinterIo => "printer_io",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorKind {
    fn eq(&self, code: &&str) -> bool {
        self.as_str() == *code
    }
}

impl StoreError {
    /// The error's kind, stable, for programs (`invalid_sale`, `disk_full`…).
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::NotInitialised => ErrorKind::NotInitialised,
            StoreError::AlreadyInitialised(_) => ErrorKind::AlreadyInitialised,
            StoreError::InvalidSetting { .. } => ErrorKind::InvalidSetting,
            StoreError::InvalidSale(_) => ErrorKind::InvalidSale,
            StoreError::Invalid(_) => ErrorKind::InvalidInput,
            StoreError::InSale { error, .. } => error.kind(),
            StoreError::NotFound(_) => ErrorKind::NotFound,
            StoreError::NotASale(_) => ErrorKind::NotASale,
            StoreError::AlreadyVoided(_) => ErrorKind::AlreadyVoided,
            StoreError::IdConflict(_) => ErrorKind::IdConflict,
            StoreError::DuplicateSlip { .. } => ErrorKind::DuplicateSlip,
            StoreError::BadCredentials => ErrorKind::BadCredentials,
            StoreError::LockedOut { .. } => ErrorKind::LockedOut,
            StoreError::Forbidden(_) => ErrorKind::Forbidden,
            StoreError::DiskFull => ErrorKind::DiskFull,
            StoreError::Busy => ErrorKind::Busy,
            StoreError::Corrupt(_) => ErrorKind::Corrupt,
            StoreError::Integrity(_) | StoreError::OnHold(_) => ErrorKind::Integrity,
            StoreError::Io { .. } => ErrorKind::Io,
            StoreError::Key(_) => ErrorKind::Key,
            StoreError::Database(_) | StoreError::Migration(_) => ErrorKind::Database,
        }
    }

    /// The message in both languages, for a caller that chooses later (rejected rows).
    pub fn text(&self) -> Text {
        Text {
            fr: self.message(Lang::Fr),
            en: self.message(Lang::En),
        }
    }

    /// The message for people, in their language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            StoreError::NotInitialised => {
                "caisse non initialisée : lancez `relais init --shop NOM --till CODE`".into()
            }
            StoreError::AlreadyInitialised(till) => {
                format!("cette caisse est déjà initialisée (caisse {till})")
            }
            StoreError::InvalidSetting { field, reason } => {
                format!("paramètre {field} invalide : {}", reason.fr)
            }
            StoreError::InvalidSale(e) => format!("vente refusée : {}", e.message(Lang::Fr)),
            StoreError::Invalid(text) => text.fr.clone(),
            StoreError::InSale {
                input,
                index,
                error,
            } => {
                format!("{input}, vente n° {index} : {}", error.message(lang))
            }
            StoreError::NotFound(text) => text.fr.clone(),
            StoreError::NotASale(what) => format!("{what} n'est pas une vente"),
            StoreError::AlreadyVoided(what) => format!("la vente {what} est déjà annulée"),
            StoreError::DuplicateSlip { slip, day, existing } => format!(
                "le bordereau n° {slip} du {day} est déjà saisi ({existing}) : confirmez pour le saisir une seconde fois"
            ),
            StoreError::IdConflict(id) => {
                format!("l'identifiant {id} existe déjà avec un contenu différent")
            }
            StoreError::BadCredentials => "nom ou code PIN incorrect".into(),
            StoreError::LockedOut { seconds } => {
                format!("trop de codes PIN erronés : réessayez dans {seconds} s")
            }
            StoreError::Forbidden(why) => why.text().fr,
            StoreError::DiskFull => "disque plein : la vente n'a pas été enregistrée".into(),
            StoreError::Busy => "la base est occupée par un autre programme ; réessayez".into(),
            StoreError::Corrupt(e) => format!("le fichier de la base est endommagé : {e}"),
            StoreError::Integrity(d) => format!("défaut d'intégrité : {}", d.text().fr),
            StoreError::OnHold(text) => text.fr.clone(),
            StoreError::Io { path, source } => {
                format!("{} : {}", path.display(), relais_core::i18n::io_error_fr(source))
            }
            StoreError::Key(e) => format!("clé de signature : {e}"),
            StoreError::Database(e) => format!("erreur de la base : {e}"),
            StoreError::Migration(e) => format!("mise à jour de la base impossible : {e}"),
        }
    }

    /// No record (or avoir, staff member…) is known by `reference`.
    pub fn no_record(reference: &str) -> Self {
        StoreError::NotFound(relais_core::text!(
            fr: "{reference} introuvable",
            en: "no record {reference}",
        ))
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
}

impl StoreError {
    /// An I/O error from SQLite on a disk with almost no room left is a full disk: said so, with
    /// its own kind, rather than « disk I/O error ».
    pub(crate) fn or_disk_full(self, dir: &std::path::Path) -> StoreError {
        match &self {
            StoreError::Database(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure)
                    && crate::disk::nearly_full(dir) =>
            {
                StoreError::DiskFull
            }
            _ => self,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Corrupt(error.to_string())
            }
            _ => StoreError::Database(error),
        }
    }
}

impl From<relais_core::canonical::CanonicalError> for StoreError {
    fn from(error: relais_core::canonical::CanonicalError) -> Self {
        StoreError::Invalid(error.text())
    }
}

impl From<relais_bundle::BundleError> for StoreError {
    fn from(error: relais_bundle::BundleError) -> Self {
        use relais_bundle::BundleError as B;
        match error {
            B::Invalid(text) => StoreError::Invalid(text),
            B::Corrupt(e) => StoreError::Corrupt(e),
            B::Io { path, source } => StoreError::Io { path, source },
        }
    }
}

/// Why an action was refused to someone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{0} is not active staff of this till")]
    NotStaff(String),
    #[error("{0} is not a manager: a manager's approval with PIN is required")]
    ManagerNeeded(String),
    #[error("{0} is not a manager")]
    NotAManager(String),
    #[error("{0} cannot disable themselves: another manager must do it")]
    SelfDisable(String),
    #[error("{0} may not open the drawer without a sale: managers only, unless a manager lets cashiers do it in the printer settings")]
    DrawerManagersOnly(String),
    #[error("{} is above the shop's threshold ({percent} % or €{}): a manager must approve it with their PIN ({operator} is not a manager)", what.en, relais_core::Money(*cents).decimal('.'))]
    DiscountNeedsManager {
        operator: String,
        /// The discounts over the threshold, named.
        what: relais_core::Text,
        percent: u32,
        cents: i64,
    },
}

impl Refusal {
    /// The refusal in both languages (`Display` is the English).
    pub fn text(&self) -> Text {
        Text {
            fr: self.fr(),
            en: self.to_string(),
        }
    }

    fn fr(&self) -> String {
        match self {
            Refusal::NotStaff(name) => {
                format!("{name} ne fait pas partie du personnel actif de cette caisse")
            }
            Refusal::ManagerNeeded(name) => {
                format!("action réservée à un responsable : {name} doit faire valider par un responsable avec son code PIN")
            }
            Refusal::NotAManager(name) => format!("{name} n'est pas responsable"),
            Refusal::SelfDisable(_) => "vous ne pouvez pas vous désactiver vous-même".into(),
            Refusal::DrawerManagersOnly(name) => format!(
                "{name} ne peut pas ouvrir le tiroir hors vente : c'est réservé aux responsables, sauf si un responsable l'autorise aux caissiers dans les réglages de l'imprimante"
            ),
            Refusal::DiscountNeedsManager {
                what,
                percent,
                cents,
                ..
            } => {
                let mut what = what.fr.clone();
                if let Some(first) = what.get(..1) {
                    what = first.to_uppercase() + &what[1..];
                }
                format!(
                    "{what} dépasse le seuil du magasin ({percent} % ou {} €) : un responsable doit la valider avec son code PIN",
                    relais_core::Money(*cents)
                )
            }
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_written_as_serde_writes_it() {
        for kind in ErrorKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.as_str(), "{kind:?}");
        }
        assert_eq!(StoreError::DiskFull.kind(), "disk_full");
        assert_eq!(StoreError::DiskFull.kind().to_string(), "disk_full");
    }
}
