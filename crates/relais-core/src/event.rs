//! The technical event journal (JET): what happened to the till, not what it sold.
//!
//! Codes follow the JET codes in use among certified French tills (see
//! docs/CHAIN.md, "Technical events"); events with no such code use Relais codes from 1000.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every technical event Relais writes. The `code()` and `name()` of a variant never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// Till set up: shop, till code, time zone, signing key (JET 270, compliance setting).
    TillInitialised,
    /// A program opened the ledger to write (JET 80).
    Startup,
    /// The software version differs from the previous start-up (JET 250).
    NewVersion,
    /// A sale was cancelled by a void (JET 190).
    Cancellation,
    /// The wall clock went backwards since the previous record (Relais 1020).
    ClockBackwards,
    /// An integrity check found a defect (JET 90).
    IntegrityDefect,
    /// A setting changed: a department, a VAT rate… (JET 270).
    SettingsChange,
    /// A price list was imported into the catalogue (Relais 1030).
    CatalogImport,
    /// A product was created at the counter for an unknown barcode (Relais 1031).
    ProductCreated,
    /// Staff added, disabled, PIN changed, or a manager's override (JET 130).
    RightsChange,
    /// Someone opened a session at the counter (JET 80).
    Login,
    /// Someone closed their session (JET 40).
    Logout,
    /// A wrong PIN was typed (Relais 1040).
    LoginFailed,
}

impl EventType {
    pub const ALL: [EventType; 13] = [
        EventType::TillInitialised,
        EventType::Startup,
        EventType::NewVersion,
        EventType::Cancellation,
        EventType::ClockBackwards,
        EventType::IntegrityDefect,
        EventType::SettingsChange,
        EventType::CatalogImport,
        EventType::ProductCreated,
        EventType::RightsChange,
        EventType::Login,
        EventType::Logout,
        EventType::LoginFailed,
    ];

    pub fn code(self) -> u32 {
        match self {
            EventType::TillInitialised => 270,
            EventType::Startup => 80,
            EventType::NewVersion => 250,
            EventType::Cancellation => 190,
            EventType::ClockBackwards => 1020,
            EventType::IntegrityDefect => 90,
            EventType::SettingsChange => 270,
            EventType::CatalogImport => 1030,
            EventType::ProductCreated => 1031,
            EventType::RightsChange => 130,
            EventType::Login => 80,
            EventType::Logout => 40,
            EventType::LoginFailed => 1040,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            EventType::TillInitialised => "till_initialised",
            EventType::Startup => "startup",
            EventType::NewVersion => "new_version",
            EventType::Cancellation => "cancellation",
            EventType::ClockBackwards => "clock_backwards",
            EventType::IntegrityDefect => "integrity_defect",
            EventType::SettingsChange => "settings_change",
            EventType::CatalogImport => "catalog_import",
            EventType::ProductCreated => "product_created",
            EventType::RightsChange => "rights_change",
            EventType::Login => "login",
            EventType::Logout => "logout",
            EventType::LoginFailed => "login_failed",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            EventType::TillInitialised => "Initialisation de la caisse",
            EventType::Startup => "Démarrage",
            EventType::NewVersion => "Nouvelle version du logiciel",
            EventType::Cancellation => "Annulation de ticket",
            EventType::ClockBackwards => "Retour en arrière de l'horloge",
            EventType::IntegrityDefect => "Défaut d'intégrité",
            EventType::SettingsChange => "Modification de paramètre",
            EventType::CatalogImport => "Import du catalogue",
            EventType::ProductCreated => "Création de produit en caisse",
            EventType::RightsChange => "Droits des utilisateurs",
            EventType::Login => "Connexion",
            EventType::Logout => "Déconnexion",
            EventType::LoginFailed => "Échec de connexion",
        }
    }

    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// The data of a technical event record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventData {
    pub code: u32,
    pub name: String,
    /// A sentence for people, in French.
    pub message: String,
    /// Structured facts (versions, ranges, ids); strings, integers, booleans only.
    #[ts(type = "Record<string, unknown>")]
    pub details: serde_json::Value,
}

impl EventData {
    pub fn new(kind: EventType, message: impl Into<String>, details: serde_json::Value) -> Self {
        EventData {
            code: kind.code(),
            name: kind.name().to_string(),
            message: message.into(),
            details,
        }
    }
}
