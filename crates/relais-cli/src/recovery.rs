//! Recovery after the outage: `relais export`, `relais merge`, `relais outage …`,
//! `relais reentry …`, and `relais verify BUNDLE`.

use crate::output::Out;
use clap::Subcommand;
use relais_bundle::merge_bundles;
use relais_core::text;
use relais_core::Kind;
use relais_store::export::ExportOptions;
use relais_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The folder the bundle goes into (a USB stick)
    #[arg(long)]
    pub out: PathBuf,
    /// Only what was recorded since the previous export
    #[arg(long)]
    pub since_last: bool,
    /// Also pack the bundle into one .zip
    #[arg(long)]
    pub zip: bool,
    /// Also write the FEC, <SIREN>FEC<AAAAMMJJ>.txt: the accountant's journal of the closed days
    #[arg(long)]
    pub fec: bool,
    /// Also write poslog.xml: the tickets and deposits as ARTS POSLog V6 transactions (offline)
    #[arg(long)]
    pub poslog: bool,
    /// Exactly positions FIRST-LAST (an earlier export's range, to redo it identically)
    #[arg(long, value_name = "FIRST-LAST")]
    pub range: Option<String>,
    /// Who exports (journaled)
    #[arg(long)]
    pub operator: String,
    /// The export report as JSON
    #[arg(long)]
    pub json: bool,
    /// The shop's bundle: this till's records and its paired tills' as received (relais shop sync)
    #[arg(long)]
    pub shop: bool,
}

#[derive(Subcommand)]
pub enum OutageCommand {
    /// When the SaaS went down (default: now) and why
    Start {
        /// Local date and time, e.g. "2026-11-25 08:00"
        #[arg(long)]
        at: Option<String>,
        /// Why, e.g. "ransomware at the host"
        #[arg(long)]
        reason: String,
        /// Who records it (journaled)
        #[arg(long)]
        operator: String,
    },
    /// When the SaaS came back (default: now)
    End {
        /// Local date and time, e.g. "2026-11-25 18:00"
        #[arg(long)]
        at: Option<String>,
        /// Who records it (journaled)
        #[arg(long)]
        operator: String,
    },
    /// The outage recorded, if any, in the till's local time
    Show {
        /// As JSON: the outage with UTC instants (or null) and the status page
        #[arg(long)]
        json: bool,
    },
    /// The SaaS status page the app checks every 3 minutes (its only network use); without
    /// URL: no check at all
    StatusPage {
        /// The status page's address, e.g. https://status.example.fr; none: remove it
        url: Option<String>,
        /// A manager (journaled)
        #[arg(long)]
        operator: String,
    },
}

#[derive(Subcommand)]
pub enum ReentryCommand {
    /// Mark a record (T1-000042, T1-C000003…) as re-entered into the SaaS
    Mark {
        /// Record number or id, e.g. T1-000042
        number: String,
        /// The SaaS's reference for it
        #[arg(long = "ref", value_name = "SAAS_REF", default_value = "")]
        saas_ref: String,
        /// Who marks it (journaled)
        #[arg(long)]
        operator: String,
    },
    /// Mark every record of a two-column file: record number or id, SaaS reference
    Import {
        /// CSV, XLSX or ODS, two columns: record number or id; SaaS reference (a header row is optional)
        file: PathBuf,
        /// Who marks them (journaled)
        #[arg(long)]
        operator: String,
    },
    /// What is left to re-enter
    Status {
        /// As JSON, with the kinds' codes
        #[arg(long)]
        json: bool,
    },
    /// The records left to re-enter, oldest first
    Left {
        /// Only this kind: sale, refund, void, order, deposit, cash_movement, closure
        #[arg(long)]
        kind: Option<String>,
        /// At most this many
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// As JSON, with the kinds' codes
        #[arg(long)]
        json: bool,
    },
}

pub fn export(args: ExportArgs, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    if args.shop {
        return export_shop(&args, store, out);
    }
    let range = args
        .range
        .as_deref()
        .map(|r| {
            let bad = || {
                StoreError::Invalid(text!(
                    fr: "--range « {r} » : PREMIER-DERNIER attendu, par exemple 1-420",
                    en: "--range {r:?}: expected FIRST-LAST, e.g. 1-420",
                ))
            };
            let (a, b) = r.split_once('-').ok_or_else(bad)?;
            Ok::<(u64, u64), StoreError>((
                a.trim().parse().map_err(|_| bad())?,
                b.trim().parse().map_err(|_| bad())?,
            ))
        })
        .transpose()?;
    let by = store.own_manager(&args.operator)?;
    let options = ExportOptions {
        out: args.out,
        since_last: args.since_last,
        zip: args.zip,
        fec: args.fec,
        poslog: args.poslog,
        range,
        operator: args.operator,
    };
    let report = store.export(&options, &by)?;
    if args.json {
        println!("{}", serde_json::to_string(&report).expect("serialisable"));
    } else {
        println!(
            "{} {}",
            out.text(text!(fr: "Export écrit dans", en: "Bundle written to")),
            report.folder
        );
        if let Some(zip) = &report.zip {
            println!("{} {zip}", out.text(text!(fr: "Archive :", en: "Archive:")));
        }
        println!(
            "{} {} {} {} ({}, {})",
            out.text(text!(fr: "positions", en: "positions")),
            report.from_pos,
            out.text(text!(fr: "à", en: "to")),
            report.to_pos,
            out.records(report.records),
            out.count(report.sales, ["vente", "ventes"], ["sale", "sales"])
        );
        println!("manifest.json SHA-256 {}", report.manifest_sha256);
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `path` is a bundle (a folder with manifest.json, or a .zip) rather than a till.
pub fn is_bundle(path: &Path) -> bool {
    path.join("manifest.json").is_file()
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

pub fn merge(
    bundles: &[PathBuf],
    target: &Path,
    json: bool,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let report = merge_bundles(bundles, target)?;
    if json {
        println!("{}", serde_json::to_string(&report).expect("serialisable"));
    } else {
        merge_lines(&report, out);
    }
    Ok(if report.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `relais export --shop`: the shop's bundle from this till's own and received records.
fn export_shop(args: &ExportArgs, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    if args.since_last || args.range.is_some() || args.zip || args.fec || args.poslog {
        return Err(StoreError::Invalid(text!(
            fr: "--shop exporte tout ce que la caisse détient : sans --since-last, --range, --zip, --fec ni --poslog",
            en: "--shop exports everything the till holds: without --since-last, --range, --zip, --fec or --poslog",
        )));
    }
    let by = store.own_manager(&args.operator)?;
    let report = store.export_shop(&args.out, &by)?;
    if args.json {
        println!("{}", serde_json::to_string(&report).expect("serialisable"));
        return Ok(ExitCode::SUCCESS);
    }
    merge_lines(&report.merge, out);
    for c in &report.order_conflicts {
        println!(
            "{}",
            out.text(
                text!(fr: format!("CONFLIT : {}", c.what_fr), en: format!("CONFLICT: {}", c.what))
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A merge's report as people read it.
fn merge_lines(report: &relais_bundle::MergeReport, out: &Out) {
    {
        println!(
            "{} {} — {}, {}",
            out.text(text!(fr: "Caisses :", en: "Tills:")),
            report.tills.join(", "),
            out.records(report.records),
            out.count(
                report.duplicates_dropped,
                ["doublon écarté", "doublons écartés"],
                ["duplicate dropped", "duplicates dropped"]
            )
        );
        for c in &report.conflicts {
            println!(
                "{} {} : {} ({} / {})",
                out.text(text!(fr: "CONFLIT", en: "CONFLICT")),
                c.id,
                out.text(text!(fr: &c.what_fr, en: &c.what)),
                c.first_source,
                c.second_source
            );
        }
        for c in &report.avoir_conflicts {
            println!(
                "{} {}",
                out.text(text!(fr: "CONFLIT D'AVOIR", en: "AVOIR CONFLICT")),
                out.text(text!(fr: &c.what_fr, en: &c.what)),
            );
        }
        if let Some(folder) = &report.folder {
            println!(
                "{} {folder}",
                out.text(text!(fr: "Export de la boutique :", en: "Shop bundle:"))
            );
        }
    }
}

pub fn outage(
    command: OutageCommand,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    match command {
        OutageCommand::Start {
            at,
            reason,
            operator,
        } => {
            store.outage_started(at.as_deref(), &reason, &store.actor(&operator)?)?;
            if let Some(o) = store.outage()? {
                println!(
                    "{} {} : {}",
                    out.text(text!(fr: "Panne enregistrée depuis le", en: "Outage recorded since")),
                    store.local_time(&o.started_at),
                    o.reason
                );
            }
        }
        OutageCommand::End { at, operator } => {
            store.outage_ended(at.as_deref(), &store.actor(&operator)?)?;
            if let Some(ended) = store.outage()?.and_then(|o| o.ended_at) {
                println!(
                    "{} {}",
                    out.text(text!(
                        fr: "Fin de panne enregistrée : service rétabli le",
                        en: "Outage end recorded: back on",
                    )),
                    store.local_time(&ended)
                );
            }
        }
        OutageCommand::StatusPage { url, operator } => {
            store.set_saas_status_url(url.as_deref(), &store.own_manager(&operator)?)?;
            match store.saas_status_url()? {
                Some(url) => println!(
                    "{} {url} {}",
                    out.text(text!(
                        fr: "Adresse de la page d'état enregistrée :",
                        en: "Status page saved:",
                    )),
                    out.text(text!(
                        fr: "(l'app la consulte toutes les 3 minutes)",
                        en: "(the app checks it every 3 minutes)",
                    ))
                ),
                None => println!(
                    "{}",
                    out.text(text!(
                        fr: "Adresse de la page d'état supprimée : l'app ne consulte plus le réseau.",
                        en: "Status page removed: the app makes no network check.",
                    ))
                ),
            }
        }
        OutageCommand::Show { json } => show_outage(store, out, json)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The outage in the till's local time (UTC instants in JSON), and the status page checked.
fn show_outage(store: &Store, out: &Out, json: bool) -> relais_store::Result<()> {
    let outage = store.outage()?;
    let status_page = store.saas_status_url()?;
    if json {
        let value = serde_json::json!({"outage": outage, "status_page": status_page});
        println!("{value}");
        return Ok(());
    }
    match outage {
        Some(o) => println!(
            "{} {} — {} — {}",
            out.text(text!(fr: "Panne depuis le", en: "Outage since")),
            store.local_time(&o.started_at),
            o.reason,
            o.ended_at
                .map(|e| format!(
                    "{} {}",
                    out.text(text!(fr: "service rétabli le", en: "back on")),
                    store.local_time(&e)
                ))
                .unwrap_or_else(|| out.text(text!(fr: "en cours", en: "ongoing")))
        ),
        None => println!(
            "{}",
            out.text(text!(fr: "Aucune panne enregistrée.", en: "No outage recorded."))
        ),
    }
    if let Some(url) = status_page {
        println!(
            "{} {url}",
            out.text(
                text!(fr: "Page d'état surveillée par l'app :", en: "Status page the app checks:")
            )
        );
    }
    Ok(())
}

pub fn reentry(
    command: ReentryCommand,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    match command {
        ReentryCommand::Mark {
            number,
            saas_ref,
            operator,
        } => {
            let marked = store.mark_reentered(&number, &saas_ref, &store.actor(&operator)?)?;
            let number = store.find(&number)?.0.number();
            let saas_ref = saas_ref.trim();
            let line = match (marked, saas_ref.is_empty()) {
                (false, _) => out.text(text!(
                    fr: &format!("{number} était déjà marqué ressaisi."),
                    en: &format!("{number} was already marked as re-entered."),
                )),
                (true, true) => out.text(text!(
                    fr: &format!("{number} est marqué ressaisi."),
                    en: &format!("{number} is marked as re-entered."),
                )),
                (true, false) => out.text(text!(
                    fr: &format!("{number} est marqué ressaisi (réf. SaaS {saas_ref})."),
                    en: &format!("{number} is marked as re-entered (SaaS ref. {saas_ref})."),
                )),
            };
            println!("{line}");
        }
        ReentryCommand::Import { file, operator } => {
            let report = store.import_reentries(&file, &store.actor(&operator)?)?;
            print_reentry_import(&report, out);
            if !report.unknown.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        ReentryCommand::Left { kind, limit, json } => {
            let left = store.reentry_left(kind.as_deref(), limit)?;
            if json {
                println!("{}", serde_json::to_string(&left).expect("serialisable"));
                return Ok(ExitCode::SUCCESS);
            }
            for item in &left.items {
                let amount = item.total_cents.map(|c| out.money(c)).unwrap_or_default();
                println!(
                    "{:<12} {:<20} {}  {:>10}  {}",
                    item.number,
                    out.kind(&item.kind),
                    item.local_time,
                    amount,
                    item.detail
                );
            }
            if left.more > 0 {
                println!(
                    "… {}",
                    out.text(text!(
                        fr: &format!("encore {} à ressaisir", left.more),
                        en: &format!("{} more", left.more),
                    ))
                );
            }
        }
        ReentryCommand::Status { json } => {
            let status = store.reentry_status()?;
            if json {
                println!("{}", serde_json::to_string(&status).expect("serialisable"));
            } else {
                print_reentry_status(&status, out);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What is left to re-enter, one line per kind in the order of `Kind::ALL` (sales first),
/// then the total.
fn print_reentry_status(status: &relais_store::ReentryStatus, out: &Out) {
    let rank = |code: &str| Kind::ALL.iter().position(|k| k.code() == code);
    let mut kinds: Vec<_> = status.kinds.iter().collect();
    kinds.sort_by_key(|k| rank(&k.kind));
    for k in &kinds {
        println!(
            "{:<20} {:>5} {} {}",
            out.kind(&k.kind),
            k.left,
            out.text(text!(fr: "à ressaisir sur", en: "left of")),
            k.total
        );
    }
    let line = match (kinds.is_empty(), status.left) {
        (true, _) => {
            out.text(text!(fr: "Aucun enregistrement à ressaisir.", en: "Nothing to re-enter."))
        }
        (false, 0) => {
            out.text(text!(fr: "Tout a été ressaisi.", en: "Everything has been re-entered."))
        }
        (false, left) => format!(
            "{} {}",
            out.text(text!(fr: "Reste à ressaisir :", en: "Left to re-enter:")),
            out.records(left)
        ),
    };
    println!("{line}");
}

/// The summary of a re-entry import: what was marked, what already was, and the lines that
/// name no record to re-enter (the others are applied all the same, as the catalogue import
/// does; the exit status then says the file was not entirely applied).
fn print_reentry_import(report: &relais_store::ReentryImport, out: &Out) {
    let unknown = report.unknown.len() as u64;
    let mut summary = format!(
        "{}, {}",
        out.count(
            report.marked,
            [
                "enregistrement marqué ressaisi",
                "enregistrements marqués ressaisis"
            ],
            [
                "record marked as re-entered",
                "records marked as re-entered"
            ]
        ),
        out.count(
            report.already,
            ["déjà marqué", "déjà marqués"],
            ["already marked", "already marked"]
        )
    );
    if unknown > 0 {
        const SHOWN: usize = 10;
        let mut lines: Vec<String> = report
            .unknown
            .iter()
            .take(SHOWN)
            .map(|(line, _)| line.to_string())
            .collect();
        if report.unknown.len() > SHOWN {
            lines.push("…".into());
        }
        summary += &format!(
            ", {} ({} {})",
            out.count(
                unknown,
                ["ligne inconnue", "lignes inconnues"],
                ["unknown line", "unknown lines"]
            ),
            out.noun(unknown, ["ligne", "lignes"], ["line", "lines"]),
            lines.join(", ")
        );
    }
    println!("{summary}");
    for (line, what) in &report.unknown {
        eprintln!(
            "{}",
            out.text(text!(
                fr: &format!("ligne {line} : « {what} » introuvable ou pas à ressaisir"),
                en: &format!("line {line}: {what:?} not found or not to re-enter"),
            ))
        );
    }
    if unknown > 0 {
        println!(
            "{}",
            out.text(text!(
                fr: "Les autres lignes ont été appliquées ; corrigez les lignes inconnues puis importez le fichier à nouveau (les lignes déjà marquées seront ignorées).",
                en: "The other lines were applied; fix the unknown lines and import the file again (lines already marked are skipped).",
            ))
        );
    }
}
