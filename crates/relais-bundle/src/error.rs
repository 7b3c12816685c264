//! The bundle's errors. The store turns each into the `StoreError` of the same `kind`, so
//! programs see the same kinds whether they verify a bundle with or without a till.

use relais_core::i18n::io_error_fr;
use relais_core::Lang;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Bad input with its explanation in both languages.
    #[error("{en}")]
    Invalid { en: String, fr: String },
    #[error("the data is damaged: {0}")]
    Corrupt(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl BundleError {
    /// Bad input, explained in English and in French.
    pub fn invalid(en: impl Into<String>, fr: impl Into<String>) -> Self {
        BundleError::Invalid {
            en: en.into(),
            fr: fr.into(),
        }
    }

    /// The message for people, in their language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            BundleError::InvalidInput(e) => format!("saisie invalide : {e}"),
            BundleError::Invalid { fr, .. } => fr.clone(),
            BundleError::Corrupt(e) => format!("données endommagées : {e}"),
            BundleError::Io { path, source } => {
                format!("{} : {}", path.display(), io_error_fr(source))
            }
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        BundleError::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<relais_core::canonical::CanonicalError> for BundleError {
    fn from(error: relais_core::canonical::CanonicalError) -> Self {
        BundleError::InvalidInput(error.to_string())
    }
}

pub type Result<T, E = BundleError> = std::result::Result<T, E>;
