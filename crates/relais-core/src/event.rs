//! The technical event journal (JET): what happened to the till, not what it sold.
//!
//! Codes below 1000 are the JET codes in use among certified French tills; events without
//! such a code use Relais codes from 1000. The table is in docs/CHAIN.md, "Technical events".

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every technical event Relais writes. The code and name of a variant never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    TillInitialised,
    Startup,
    NewVersion,
    Cancellation,
    ClockBackwards,
    IntegrityDefect,
    SettingsChange,
    CatalogImport,
    ProductCreated,
    RightsChange,
    Login,
    Logout,
    LoginFailed,
    DayOpened,
    DayClosed,
    YearClosed,
    DayAutoClosed,
    CashMovement,
    LateEntry,
    PaperImport,
    OrderTaken,
    Export,
    OutageStarted,
    OutageEnded,
    ReentryMarked,
    Backup,
    Restore,
    DrawerOpened,
    PeriodArchived,
    YearArchived,
    TaxAudit,
    TillKeyImported,
    CartAbandoned,
    TillPaired,
    TillUnpaired,
    PeerDefect,
    ShopExport,
    PriceListOffered,
}

impl EventType {
    /// Every event type, in the order of docs/CHAIN.md's table.
    pub const ALL: [EventType; 38] = [
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
        EventType::DayOpened,
        EventType::DayClosed,
        EventType::YearClosed,
        EventType::DayAutoClosed,
        EventType::CashMovement,
        EventType::LateEntry,
        EventType::PaperImport,
        EventType::OrderTaken,
        EventType::Export,
        EventType::OutageStarted,
        EventType::OutageEnded,
        EventType::ReentryMarked,
        EventType::Backup,
        EventType::Restore,
        EventType::DrawerOpened,
        EventType::PeriodArchived,
        EventType::YearArchived,
        EventType::TaxAudit,
        EventType::TillKeyImported,
        EventType::CartAbandoned,
        EventType::TillPaired,
        EventType::TillUnpaired,
        EventType::PeerDefect,
        EventType::ShopExport,
        EventType::PriceListOffered,
    ];

    /// (code, name, French label). A match, so that no type can lack its row.
    fn row(self) -> (u32, &'static str, &'static str) {
        match self {
            EventType::TillInitialised => (270, "till_initialised", "Initialisation de la caisse"),
            EventType::Startup => (80, "startup", "Démarrage"),
            EventType::NewVersion => (250, "new_version", "Nouvelle version du logiciel"),
            EventType::Cancellation => (190, "cancellation", "Annulation de ticket"),
            EventType::ClockBackwards => {
                (1020, "clock_backwards", "Retour en arrière de l'horloge")
            }
            EventType::IntegrityDefect => (90, "integrity_defect", "Défaut d'intégrité"),
            EventType::SettingsChange => (270, "settings_change", "Modification de paramètre"),
            EventType::CatalogImport => (1030, "catalog_import", "Import du catalogue"),
            EventType::ProductCreated => (1031, "product_created", "Création de produit en caisse"),
            EventType::RightsChange => (130, "rights_change", "Droits des utilisateurs"),
            EventType::Login => (80, "login", "Connexion"),
            EventType::Logout => (40, "logout", "Déconnexion"),
            EventType::LoginFailed => (1040, "login_failed", "Échec de connexion"),
            EventType::DayOpened => (1010, "day_opened", "Ouverture de journée"),
            EventType::DayClosed => (50, "day_closed", "Clôture de période"),
            EventType::YearClosed => (60, "year_closed", "Clôture d'exercice"),
            EventType::DayAutoClosed => (1011, "day_auto_closed", "Clôture automatique de journée"),
            EventType::CashMovement => (1050, "cash_movement", "Mouvement de caisse"),
            EventType::LateEntry => (1060, "late_entry", "Saisie a posteriori"),
            EventType::PaperImport => (1061, "paper_import", "Import de ventes sur papier"),
            EventType::OrderTaken => (1070, "order_taken", "Commande client"),
            EventType::Export => (110, "export", "Export de données"),
            EventType::OutageStarted => (
                70,
                "outage_started",
                "Début de la panne du logiciel principal",
            ),
            EventType::OutageEnded => (
                1081,
                "outage_ended",
                "Fin de la panne du logiciel principal",
            ),
            EventType::ReentryMarked => (
                290,
                "reentry_marked",
                "Ressaisie dans le logiciel principal",
            ),
            EventType::Backup => (1090, "backup", "Sauvegarde"),
            EventType::Restore => (1091, "restore", "Restauration d'une sauvegarde"),
            EventType::DrawerOpened => (1100, "drawer_opened", "Ouverture du tiroir sans vente"),
            EventType::PeriodArchived => (20, "period_archived", "Archivage de période"),
            EventType::YearArchived => (30, "year_archived", "Archivage d'exercice"),
            EventType::TaxAudit => (280, "tax_audit", "Opération de contrôle fiscal"),
            EventType::TillKeyImported => (
                1300,
                "till_key_imported",
                "Import de la clé publique d'une caisse (avoirs)",
            ),
            EventType::CartAbandoned => (1200, "cart_abandoned", "Abandon de ticket en cours"),
            EventType::TillPaired => (1400, "till_paired", "Appairage d'une caisse du magasin"),
            EventType::TillUnpaired => (
                1401,
                "till_unpaired",
                "Désappairage d'une caisse du magasin",
            ),
            EventType::PeerDefect => (
                1402,
                "peer_defect",
                "Enregistrements refusés d'une caisse du magasin",
            ),
            EventType::ShopExport => (1650, "shop_export", "Export du magasin"),
            EventType::PriceListOffered => (
                1651,
                "price_list_offered",
                "Liste de prix proposée aux caisses du magasin",
            ),
        }
    }

    /// Codes this type was written with before the journal was aligned on the JET codes
    /// (docs/CHAIN.md): records already sealed keep them and stay valid, so a reader
    /// recognises an event by its name, or by any of [`EventType::codes`].
    pub fn former_codes(self) -> &'static [u32] {
        match self {
            EventType::OutageStarted => &[1080],
            _ => &[],
        }
    }

    /// Whether `code` is this type's code, today's or a former one.
    pub fn has_code(self, code: u32) -> bool {
        self.code() == code || self.former_codes().contains(&code)
    }

    /// The type of an event as read from a record: by its name, provided its code is the
    /// type's code or a former one.
    pub fn of_record(code: u32, name: &str) -> Option<EventType> {
        EventType::from_name(name).filter(|kind| kind.has_code(code))
    }

    pub fn all() -> impl Iterator<Item = EventType> {
        EventType::ALL.into_iter()
    }

    pub fn code(self) -> u32 {
        self.row().0
    }

    pub fn name(self) -> &'static str {
        self.row().1
    }

    pub fn label_fr(self) -> &'static str {
        self.row().2
    }

    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::all().find(|e| e.name() == name)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/CHAIN.md's table of events names every event Relais writes, with its code: an
    /// auditor reads codes there, not here.
    #[test]
    fn every_event_has_its_row_in_the_chain_specification() {
        let doc = include_str!("../../../docs/CHAIN.md");
        let missing: Vec<String> = EventType::all()
            .filter(|kind| {
                let (code, name) = (
                    format!("| {} ", kind.code()),
                    format!("| `{}` ", kind.name()),
                );
                !doc.lines()
                    .any(|line| line.starts_with(&code) && line.contains(&name))
            })
            .map(|kind| format!("{} {}", kind.code(), kind.name()))
            .collect();
        assert!(missing.is_empty(), "CHAIN.md lacks the rows of {missing:?}");
    }

    /// Former codes keep their own row in docs/CHAIN.md, so that a reader of an old ledger
    /// finds them; events written with them are read as the same type.
    #[test]
    fn former_codes_are_documented_and_still_read() {
        let doc = include_str!("../../../docs/CHAIN.md");
        let cases = [
            (1080, "outage_started", Some(EventType::OutageStarted)),
            (70, "outage_started", Some(EventType::OutageStarted)),
            (1081, "outage_ended", Some(EventType::OutageEnded)),
            (70, "outage_ended", None),
            (20, "period_archived", Some(EventType::PeriodArchived)),
            (30, "year_archived", Some(EventType::YearArchived)),
            (280, "tax_audit", Some(EventType::TaxAudit)),
            (1080, "export", None),
        ];
        for (code, name, expected) in cases {
            assert_eq!(EventType::of_record(code, name), expected, "{code} {name}");
        }
        for kind in EventType::all() {
            for former in kind.former_codes() {
                let row = format!("| {former} | `{}` ", kind.name());
                assert!(
                    doc.lines().any(|l| l.starts_with(&row)),
                    "CHAIN.md lacks the former code row {row}"
                );
            }
        }
    }

    #[test]
    fn names_are_unique_and_round_trip() {
        let names: Vec<&str> = EventType::all().map(EventType::name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(names.len(), unique.len());
        for kind in EventType::all() {
            assert_eq!(EventType::from_name(kind.name()), Some(kind));
        }
    }
}
