//! The two languages of Relais: French first, English available. Text meant for people is a
//! [`Text`], both languages side by side under their names, and the language is chosen only
//! when it is shown.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

/// A message in both languages, side by side: named fields, so that no call can swap them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Text {
    pub fr: String,
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// The text in `lang`, owned.
    pub fn into_lang(self, lang: Lang) -> String {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }
}

/// A [`Text`] written as `text!(fr: "…", en: "…")`. A string literal is a format string (its
/// `{name}`s are filled in); any other expression is taken as it is (`&str` or `String`).
#[macro_export]
macro_rules! text {
    (fr: $fr:literal, en: $en:literal $(,)?) => {
        $crate::i18n::Text {
            fr: ::std::format!($fr),
            en: ::std::format!($en),
        }
    };
    (fr: $fr:literal, en: $en:expr $(,)?) => {
        $crate::i18n::Text {
            fr: ::std::format!($fr),
            en: ::std::convert::Into::into($en),
        }
    };
    (fr: $fr:expr, en: $en:literal $(,)?) => {
        $crate::i18n::Text {
            fr: ::std::convert::Into::into($fr),
            en: ::std::format!($en),
        }
    };
    (fr: $fr:expr, en: $en:expr $(,)?) => {
        $crate::i18n::Text {
            fr: ::std::convert::Into::into($fr),
            en: ::std::convert::Into::into($en),
        }
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_gives_each_language_its_own_words() {
        let n = 3;
        let text = crate::text!(fr: "{n} ventes", en: "{n} sales");
        assert_eq!(text.get(Lang::Fr), "3 ventes");
        assert_eq!(text.get(Lang::En), "3 sales");
        let mixed = crate::text!(fr: "n° {n}", en: "no. {n}");
        assert_eq!((mixed.fr.as_str(), mixed.en.as_str()), ("n° 3", "no. 3"));
        assert_eq!(mixed.into_lang(Lang::En), "no. 3");
    }
}
