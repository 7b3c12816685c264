//! The one error type every command returns: what the UI shows instead of a Rust error.

use relais_core::Lang;
use relais_store::{ErrorKind, StoreError};
use serde::Serialize;
use ts_rs::TS;

/// A command failure as the UI receives it (`invoke` rejects with this object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[ts(export)]
#[error("{kind}: {message}")]
pub struct ApiError {
    /// Stable code for programs, tests and the screens' branches: the store error's kind
    /// (`not_initialised`, `disk_full`, `database`…) or the app's own (`not_logged_in`).
    pub kind: ErrorKind,
    /// What to tell the person at the till, in French.
    pub message: String,
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        // The screens are French only for now; the store's English text stays for the CLI.
        ApiError::new(error.kind(), error.message(Lang::Fr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_their_kind_and_get_a_french_message() {
        let error = ApiError::from(StoreError::NotInitialised);
        assert_eq!(error.kind, ErrorKind::NotInitialised);
        assert!(
            error.message.contains("caisse non initialisée"),
            "{}",
            error.message
        );
    }

    #[test]
    fn serializes_as_the_ui_expects() {
        let json = serde_json::to_value(ApiError::new(ErrorKind::Busy, "Réessayez")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "busy", "message": "Réessayez"})
        );
    }
}
