//! The bundle's errors. The store turns each into the `StoreError` of the same `kind`, so
//! programs see the same kinds whether they verify a bundle with or without a till.

use relais_core::i18n::io_error_fr;
use relais_core::{text, Lang, Text};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Bad input, explained in both languages.
    #[error("{}", .0.en)]
    Invalid(Text),
    #[error("the data is damaged: {0}")]
    Corrupt(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl BundleError {
    /// The message for people, in their language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            BundleError::Invalid(text) => text.fr.clone(),
            BundleError::Corrupt(e) => format!("données endommagées : {e}"),
            BundleError::Io { path, source } => {
                format!("{} : {}", path.display(), io_error_fr(source))
            }
        }
    }

    /// A sum too big for the amounts of a bundle.
    pub fn out_of_range() -> Self {
        BundleError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"))
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
        BundleError::Invalid(error.text())
    }
}

pub type Result<T, E = BundleError> = std::result::Result<T, E>;
