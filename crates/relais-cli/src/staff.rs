//! `relais staff …`: the people of the till and their PINs.

use crate::output::Out;
use crate::pin::read_pin;
use clap::Subcommand;
use relais_core::text;
use relais_store::{Role, Store, StoreError};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Add a person (the first must be a manager); PIN from RELAIS_PIN or standard input
    Add {
        /// Their name, as they log in
        name: String,
        /// cashier or manager
        #[arg(long)]
        role: String,
        /// The manager adding them (not needed for the first person)
        #[arg(long, default_value = "setup")]
        by: String,
    },
    /// The people of this till
    List {
        /// One JSON object per person
        #[arg(long)]
        json: bool,
    },
    /// Stop someone from logging in (their records stay theirs)
    Disable {
        /// Who
        name: String,
        /// The manager doing it
        #[arg(long)]
        by: String,
    },
    /// Let someone log in again
    Enable {
        /// Who
        name: String,
        /// The manager doing it
        #[arg(long)]
        by: String,
    },
    /// Set a new PIN (from RELAIS_PIN or standard input)
    Pin {
        /// Whose PIN
        name: String,
        /// The person themself, or a manager
        #[arg(long)]
        by: String,
    },
}

pub fn run(command: StaffCommand, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    match command {
        StaffCommand::Add { name, role, by } => {
            let role = Role::parse(&role).ok_or_else(|| {
                StoreError::Invalid(text!(
                    fr: "rôle « {role} » : cashier (caissier) ou manager (responsable)",
                    en: "role {role:?}: cashier or manager",
                ))
            })?;
            let pin = read_pin("RELAIS_PIN", &format!("Code PIN de {name} :"))?;
            let staff = store.add_staff(&name, role, &pin, &store.own_manager(&by)?)?;
            println!("{} ({})", staff.name, staff.role.code());
        }
        StaffCommand::List { json } => {
            for staff in store.staff()? {
                if json {
                    println!("{}", serde_json::to_string(&staff).expect("serialisable"));
                } else {
                    let state = if staff.active { "" } else { "  (désactivé)" };
                    println!("{:<24} {}{state}", staff.name, staff.role.code());
                }
            }
        }
        StaffCommand::Disable { name, by } => {
            let name = store
                .set_staff_active(&name, false, &store.own_manager(&by)?)?
                .name;
            println!(
                "{}",
                out.text(text!(
                    fr: &format!("Compte de {name} désactivé : plus de connexion possible."),
                    en: &format!("{name} is disabled: they can no longer log in."),
                ))
            );
        }
        StaffCommand::Enable { name, by } => {
            let name = store
                .set_staff_active(&name, true, &store.own_manager(&by)?)?
                .name;
            println!(
                "{}",
                out.text(text!(
                    fr: &format!("Compte de {name} réactivé : connexion de nouveau possible."),
                    en: &format!("{name} can log in again."),
                ))
            );
        }
        StaffCommand::Pin { name, by } => {
            let pin = read_pin("RELAIS_PIN", &format!("Nouveau code PIN de {name} :"))?;
            store.change_pin(&name, &pin, &store.actor(&by)?)?;
            println!(
                "{}",
                out.text(text!(
                    fr: &format!("Code PIN de {name} changé."),
                    en: &format!("{name}'s PIN changed."),
                ))
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
