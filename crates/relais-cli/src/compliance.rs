//! What a shop shows the tax administration: `relais archive` (a closed month or year),
//! `relais audit` (the extract for an inspector) and `relais attestation` (the publisher's
//! individual attestation, printable). docs/ARCHIVE.md, docs/COMPLIANCE.md.

use crate::output::Out;
use relais_core::text;
use relais_store::archive::ArchiveOptions;
use relais_store::tax_audit::AuditOptions;
use relais_store::{Store, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("period").required(true).args(["month", "year"])))]
pub struct ArchiveArgs {
    /// The closed month to archive, YYYY-MM
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// The closed fiscal year to archive, YYYY
    #[arg(long, value_name = "YYYY")]
    pub year: Option<String>,
    /// The folder the archive goes into (a USB stick)
    #[arg(long)]
    pub out: PathBuf,
    /// Also pack the archive into one .zip
    #[arg(long)]
    pub zip: bool,
    /// Who archives (journaled)
    #[arg(long)]
    pub operator: String,
    /// The report as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct AuditArgs {
    /// First business day, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Last business day, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// The folder the extract goes into
    #[arg(long)]
    pub out: PathBuf,
    /// Who makes it (journaled)
    #[arg(long)]
    pub operator: String,
    /// The report as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn archive(args: ArchiveArgs, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    let period = args.month.or(args.year).unwrap_or_default();
    let by = store.own_manager(&args.operator)?;
    let options = ArchiveOptions {
        period,
        out: args.out,
        zip: args.zip,
        operator: args.operator,
    };
    let report = store.archive(&options, &by)?;
    if args.json {
        println!("{}", serde_json::to_string(&report).expect("serialisable"));
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} {}",
        out.text(text!(fr: "Archive écrite et vérifiée :", en: "Archive written and verified:")),
        report.folder
    );
    if let Some(zip) = &report.zip {
        println!("{} {zip}", out.text(text!(fr: "Zip :", en: "Zip:")));
    }
    let (from, to, closures) = (report.from_pos, report.to_pos, report.closures.join(", "));
    println!(
        "{} ({})",
        out.text(text!(
            fr: "positions {from} à {to}, clôtures {closures}",
            en: "positions {from} to {to}, closures {closures}",
        )),
        out.records(report.records)
    );
    println!("manifest.json SHA-256 {}", report.manifest_sha256);
    Ok(ExitCode::SUCCESS)
}

pub fn audit(args: AuditArgs, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    let by = store.own_manager(&args.operator)?;
    let options = AuditOptions {
        from: args.from,
        to: args.to,
        out: args.out,
        operator: args.operator,
    };
    let report = store.tax_audit(&options, &by)?;
    if args.json {
        println!("{}", serde_json::to_string(&report).expect("serialisable"));
    } else {
        println!(
            "{} {}",
            out.text(text!(fr: "Extrait écrit :", en: "Extract written:")),
            report.folder
        );
        let checked = report.closures_checked;
        let verdict = match (report.chain_intact, report.mismatches.is_empty()) {
            (true, true) => out.text(text!(
                fr: "conforme : chaîne intègre, {checked} clôtures égales à leurs enregistrements",
                en: "conforming: chain intact, {checked} closures equal to their records",
            )),
            _ => {
                let list = report.mismatches.join(", ");
                out.text(text!(
                    fr: "NON CONFORME : voir verification.txt ({list})",
                    en: "NOT CONFORMING: see verification.txt ({list})",
                ))
            }
        };
        println!("{verdict}");
    }
    Ok(match report.chain_intact && report.mismatches.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    })
}

/// The attestation's template: the administration's model as far as it is known (its
/// official text is to be checked when published), with fields to fill.
const ATTESTATION: &str = include_str!("attestation.html");

pub fn attestation(
    file: &std::path::Path,
    store: &Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let shop = store.config().map(|c| c.shop.clone()).unwrap_or_default();
    let html = attestation_html(&shop, store.config().map(|c| c.till.as_str()).unwrap_or(""));
    std::fs::write(file, html).map_err(|e| StoreError::io(file, e))?;
    let shown = file.display();
    println!(
        "{}",
        out.text(text!(
            fr: "Attestation écrite dans {shown} : à imprimer, compléter et signer",
            en: "Attestation written to {shown}: print, complete and sign it",
        ))
    );
    Ok(ExitCode::SUCCESS)
}

/// The template filled: software and version, and the merchant's shop when the till knows
/// it; every value escaped for HTML.
pub fn attestation_html(shop: &relais_core::Shop, till: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    ATTESTATION
        .replace("{{software}}", "Relais")
        .replace("{{version}}", relais_store::SOFTWARE_VERSION)
        .replace("{{shop}}", &escape(&shop.name))
        .replace("{{address}}", &escape(&shop.address))
        .replace("{{siret}}", &escape(&shop.siret))
        .replace("{{till}}", &escape(till))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attestation_is_filled_and_escaped() {
        let shop = relais_core::Shop {
            name: "Boulangerie <Durand> & fils".into(),
            address: "1 rue du Four".into(),
            siret: "12345678900012".into(),
            vat_number: String::new(),
        };
        let html = attestation_html(&shop, "T1");
        for expected in [
            "Boulangerie &lt;Durand&gt; &amp; fils",
            "12345678900012",
            relais_store::SOFTWARE_VERSION,
            "Partie à remplir par l'éditeur",
            "Partie à remplir par l'assujetti",
            "286",
        ] {
            assert!(html.contains(expected), "{expected}");
        }
        assert!(!html.contains("{{"), "a field left unfilled");
    }
}
