//! The two languages of Relais: French first, English available.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// Picks the language from a locale name such as `fr_FR.UTF-8` or `en_US`; French
    /// unless the locale is clearly English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }
}

/// A file-system error as people read it in French.
pub fn io_error_fr(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match error.kind() {
        NotFound => "fichier ou dossier introuvable".into(),
        PermissionDenied => "accès refusé (droits insuffisants)".into(),
        AlreadyExists => "existe déjà".into(),
        StorageFull => "disque plein".into(),
        ReadOnlyFilesystem => "support en lecture seule".into(),
        IsADirectory => "c'est un dossier, pas un fichier".into(),
        NotADirectory => "ce n'est pas un dossier".into(),
        InvalidData => "contenu illisible".into(),
        _ => format!("erreur d'accès au fichier ({error})"),
    }
}
