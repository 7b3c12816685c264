//! `relais backup` and `relais restore`.

use crate::output::Out;
use relais_core::text;
use relais_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// Where to write it (default: the configured backup folder)
    #[arg(long)]
    pub to: Option<PathBuf>,
    /// Configure automatic backups to --to every N sales (and after each closure) instead
    #[arg(long, value_name = "N")]
    pub every: Option<u64>,
    /// Who backs up (journaled)
    #[arg(long)]
    pub operator: String,
    /// The backup report as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn backup(args: BackupArgs, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    if let Some(every) = args.every {
        let by = store.own_manager(&args.operator)?;
        store.configure_backups(args.to.as_deref(), every, &by)?;
        println!(
            "{}",
            out.text(text!(
                fr: "Sauvegardes automatiques configurées.",
                en: "Automatic backups configured.",
            ))
        );
        return Ok(ExitCode::SUCCESS);
    }
    let target = match args.to {
        Some(to) => to,
        None => store.backup_folder()?.ok_or_else(|| {
            StoreError::Invalid(text!(
                fr: "aucun dossier de sauvegarde n'est réglé : indiquez --to DOSSIER",
                en: "no backup folder configured: give --to DIR",
            ))
        })?,
    };
    let by = store.actor(&args.operator)?;
    let report = store.backup(&target, &by)?;
    if args.json {
        println!("{}", serde_json::to_string(&report).expect("serialisable"));
    } else {
        println!(
            "{} {} ({}, {})",
            out.text(text!(fr: "Sauvegarde vérifiée :", en: "Backup verified:")),
            report.folder,
            out.records(report.records),
            out.count(report.bytes, ["octet", "octets"], ["byte", "bytes"])
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Restores a backup into the (empty) data directory: run on the new PC.
pub fn restore(
    backup: &Path,
    data_dir: &Path,
    operator: &str,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let report = relais_store::backup::restore(backup, data_dir, operator)?;
    println!(
        "{} {} ({})",
        out.text(text!(fr: "Caisse restaurée dans", en: "Till restored into")),
        report.folder,
        out.count(
            report.records,
            ["enregistrement vérifié", "enregistrements vérifiés"],
            ["record verified", "records verified"]
        )
    );
    Ok(ExitCode::SUCCESS)
}
