//! The commands the UI calls with `invoke`, each a thin call into the store. Kept out of
//! lib.rs: a `#[tauri::command]` at a crate root clashes with the macro's items (E0255).
//!
//! Who is acting is the session's business, not the UI's: commands that record something take
//! the operator from the logged-in session and ignore any name the UI might send. They start
//! from `AppState::acting` (or `managing`, `approved`), which has the store check that person
//! (`relais_store::Actor`, `Manager`): the store's write methods take nothing else.

pub mod avoir;
pub mod catalog;
pub mod compliance;
pub mod display;
pub mod files;
pub mod manager;
pub mod printer;
pub mod sale;
pub mod shop;
pub mod till;

/// Types the commands return that no `#[ts(export)]` in relais-core reaches (`price_sale`
/// returns a `Ticket`, `departments` a list of `Department`): exported here, with their
/// dependencies, into ui/src/lib/bindings/ like every other API type.
#[cfg(test)]
mod bindings {
    use ts_rs::{Config, TS};

    #[test]
    fn export_the_types_commands_return() {
        let config = Config::from_env();
        relais_core::Ticket::export_all(&config).expect("export Ticket");
        relais_core::catalog::Department::export_all(&config).expect("export Department");
    }
}

/// build.rs declares the commands of names.rs to Tauri, which makes each callable only where a
/// capability grants it; this checks that the handler list, the names and the capability agree.
#[cfg(test)]
mod names_check {
    include!("names.rs");

    #[test]
    fn every_command_is_declared_granted_and_handled() {
        let capability = include_str!("../../capabilities/default.json");
        let lib = include_str!("../lib.rs");
        for name in NAMES {
            let permission = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "capability lacks {permission}"
            );
            assert!(
                lib.contains(&format!("::{name},")),
                "generate_handler! lacks {name}"
            );
        }
        assert_eq!(
            lib.matches("commands::").count(),
            NAMES.len(),
            "a handler is not in names.rs"
        );
    }
}
