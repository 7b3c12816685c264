//! `relais catalog scale-rules …`: the table that reads scale and price labels (EAN-13 of
//! prefix 2): which prefix carries a price or a weight, and the department of labels whose
//! PLU no product has.

use crate::output::Out;
use clap::Subcommand;
use relais_core::catalog::scale::{default_scale_rules, parse_rule, parse_rules};
use relais_core::catalog::{Carries, ScaleRule};
use relais_core::{text, Lang};
use relais_store::{Store, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ScaleRulesCommand {
    /// The rules in force (the French defaults until a manager sets others)
    Show {
        /// One JSON object per rule
        #[arg(long)]
        json: bool,
    },
    /// Replace the whole table: rules as arguments, a rules file, or the French defaults
    Set {
        /// A rule: PREFIX:CONTENT[:DEPARTMENT], e.g. 22:prix:ALIM or 23:poids (CONTENT is
        /// prix/price or poids/weight; the department defaults to ALIM)
        #[arg(value_name = "RULE", required_unless_present_any = ["file", "defaults"])]
        rules: Vec<String>,
        /// A rules file: one rule a line, PREFIX;CONTENT;DEPARTMENT (; , : or tab), an
        /// optional header line, # for comments
        #[arg(long, value_name = "PATH", conflicts_with_all = ["rules", "defaults"])]
        file: Option<PathBuf>,
        /// Back to the French defaults (02 22 24 26 28 price, 21 23 25 27 29 weight, ALIM)
        #[arg(long, conflicts_with = "rules")]
        defaults: bool,
        /// A manager (journaled)
        #[arg(long)]
        operator: String,
    },
}

pub fn run(
    command: ScaleRulesCommand,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    match command {
        ScaleRulesCommand::Show { json } => print(out, &store.scale_rules()?, json),
        ScaleRulesCommand::Set {
            rules,
            file,
            defaults,
            operator,
        } => {
            let wanted = match (file, defaults) {
                (_, true) => default_scale_rules(),
                (Some(path), false) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        let file = path.display();
                        StoreError::Invalid(text!(
                            fr: "{file} : lecture impossible ({e})",
                            en: "{file}: cannot be read ({e})",
                        ))
                    })?;
                    parse_rules(&text).map_err(|reason| {
                        let file = path.display();
                        StoreError::Invalid(text!(
                            fr: format!("{file} : {}", reason.fr),
                            en: format!("{file}: {}", reason.en),
                        ))
                    })?
                }
                (None, false) => rules
                    .iter()
                    .map(|rule| {
                        let fields: Vec<&str> = rule.split(':').map(str::trim).collect();
                        parse_rule(&fields).map_err(|reason| {
                            StoreError::Invalid(text!(
                                fr: format!("règle « {rule} » : {}", reason.fr),
                                en: format!("rule \"{rule}\": {}", reason.en),
                            ))
                        })
                    })
                    .collect::<relais_store::Result<Vec<_>>>()?,
            };
            let saved = store.set_scale_rules(&wanted, &store.own_manager(&operator)?)?;
            let n = saved.len() as u64;
            println!(
                "{}",
                out.text(text!(
                    fr: format!("Règles des étiquettes balance enregistrées : {}", out.count(n, ["règle", "règles"], ["rule", "rules"])),
                    en: format!("Scale label rules saved: {}", out.count(n, ["règle", "règles"], ["rule", "rules"])),
                ))
            );
            print(out, &saved, false)
        }
    }
}

fn print(out: &Out, rules: &[ScaleRule], json: bool) -> relais_store::Result<ExitCode> {
    if json {
        for rule in rules {
            println!("{}", serde_json::to_string(rule).expect("serialisable"));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (prefix, content, department) = match out.lang {
        Lang::Fr => ("préfixe", "contenu", "rayon si PLU inconnu"),
        Lang::En => ("prefix", "content", "department if PLU unknown"),
    };
    println!("{prefix:<8} {content:<31} {department}");
    for rule in rules {
        let carries = match (rule.carries, out.lang) {
            (Carries::Price, Lang::Fr) => "prix (centimes, chiffres 8-12)",
            (Carries::Weight, Lang::Fr) => "poids (grammes, chiffres 8-12)",
            (Carries::Price, Lang::En) => "price (cents, digits 8-12)",
            (Carries::Weight, Lang::En) => "weight (grams, digits 8-12)",
        };
        println!("{:<8} {carries:<31} {}", rule.prefix, rule.department);
    }
    Ok(ExitCode::SUCCESS)
}
