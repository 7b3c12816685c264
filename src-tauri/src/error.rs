//! The one error type every command returns: what the UI shows instead of a Rust error.

use relais_core::{Lang, Text};
use relais_store::{ErrorKind, StoreError};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

/// Whether the screens are in English (`set_lang`). One app, one window: the language is the
/// process's, so that every `?` turning a `StoreError` into an `ApiError` can read it.
static ENGLISH: AtomicBool = AtomicBool::new(false);

/// The language the screens are in, which every message to them follows (French until the
/// window says otherwise).
pub fn lang() -> Lang {
    if ENGLISH.load(Ordering::Relaxed) {
        Lang::En
    } else {
        Lang::Fr
    }
}

pub fn set_lang(lang: Lang) {
    ENGLISH.store(lang == Lang::En, Ordering::Relaxed);
}

/// A command failure as the UI receives it (`invoke` rejects with this object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[ts(export)]
#[error("{kind}: {message}")]
pub struct ApiError {
    /// Stable code for programs, tests and the screens' branches: the store error's kind
    /// (`not_initialised`, `disk_full`, `database`…) or the app's own (`not_logged_in`).
    pub kind: ErrorKind,
    /// What to tell the person at the till, in the screens' language.
    pub message: String,
}

impl ApiError {
    /// The app's own refusal, in the screens' language.
    pub fn new(kind: ErrorKind, message: Text) -> ApiError {
        ApiError {
            kind,
            message: message.into_lang(lang()),
        }
    }

    /// A store error in `lang`.
    pub fn of(error: &StoreError, lang: Lang) -> ApiError {
        ApiError {
            kind: error.kind(),
            message: error.message(lang),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ApiError::of(&error, lang())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The only test that reads or sets the process's language (tests run in parallel).
    #[test]
    fn store_errors_keep_their_kind_and_follow_the_screens_language() {
        let error = ApiError::from(StoreError::NotInitialised);
        assert_eq!(error.kind, ErrorKind::NotInitialised);
        assert!(
            error.message.contains("caisse non initialisée"),
            "{}",
            error.message
        );
        set_lang(Lang::En);
        let english = ApiError::from(StoreError::NotInitialised);
        let own = ApiError::new(
            ErrorKind::NotLoggedIn,
            relais_core::text!(fr: "connectez-vous", en: "log in"),
        );
        set_lang(Lang::Fr);
        assert!(
            english.message.contains("this till is not set up yet"),
            "{}",
            english.message
        );
        assert_eq!(own.message, "log in");
        assert_eq!(english.kind, ErrorKind::NotInitialised);
    }

    #[test]
    fn bad_input_is_told_in_the_language_asked() {
        let error = StoreError::Invalid(
            relais_core::text!(fr: "montant hors limites", en: "amount out of range"),
        );
        assert_eq!(
            ApiError::of(&error, Lang::En).message,
            "amount out of range"
        );
        assert_eq!(
            ApiError::of(&error, Lang::Fr).message,
            "montant hors limites"
        );
        assert_eq!(ApiError::of(&error, Lang::Fr).kind, ErrorKind::InvalidInput);
    }

    #[test]
    fn serializes_as_the_ui_expects() {
        let error = ApiError {
            kind: ErrorKind::Busy,
            message: "Réessayez".into(),
        };
        assert_eq!(
            serde_json::to_value(error).unwrap(),
            serde_json::json!({"kind": "busy", "message": "Réessayez"})
        );
    }
}
