//! `relais`: the till from the command line. Same data directory and database as the app.
//! Documented in docs/CLI.md.

mod avoir;
mod backup;
mod catalog;
mod compliance;
mod day;
mod order;
mod output;
mod pin;
mod printer;
mod recovery;
mod sale;
mod scale;
#[cfg(feature = "lan")]
mod shop;
mod staff;
mod verify;

use clap::{Parser, Subcommand};
use output::{fail, Out};
use relais_core::text;
use relais_core::{Lang, Shop, VatRate};
use relais_store::{resolve_data_dir, InitOptions, Store};
use std::path::PathBuf;
use std::process::ExitCode;

/// Verifying a bundle parses a million records on three threads: glibc's allocator spent a
/// sixth of that CPU in malloc and free (perf, 2026-12-01).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "relais",
    version,
    about = "Relais: the till that takes over when the SaaS is down"
)]
struct Cli {
    /// Data directory of the till (default: $RELAIS_DATA_DIR, else the OS application-data folder)
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Language of messages: fr or en (default: from LANG, French unless English)
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up this till: shop, till code, time zone, signing key
    Init {
        /// Shop name, printed on receipts
        #[arg(long)]
        shop: String,
        /// Till code: 1 to 8 letters or digits, e.g. T1
        #[arg(long)]
        till: String,
        /// Shop address, printed on receipts
        #[arg(long, default_value = "")]
        address: String,
        /// SIRET number (14 digits), printed on receipts
        #[arg(long, default_value = "")]
        siret: String,
        /// Intra-EU VAT number, printed on receipts
        #[arg(long, default_value = "")]
        vat_number: String,
        /// IANA time zone of the shop
        #[arg(long, default_value = "Europe/Paris")]
        timezone: String,
        /// Accepted VAT rates in basis points, comma-separated
        #[arg(long, value_delimiter = ',', default_value = "2000,1000,850,550,210")]
        vat_rates: Vec<u32>,
        /// Who sets the till up (journaled)
        #[arg(long, default_value = "admin")]
        operator: String,
        /// A training till: records marked as training, receipts too, never exported
        #[arg(long)]
        training: bool,
    },
    /// Set up a training till with a demo shop, staff (Marie 1234, Paul 5678) and catalogue
    Demo,
    /// Record, show, reprint or void sales
    Sale {
        #[command(subcommand)]
        command: SaleCommand,
    },
    /// Import a price list, find products, manage departments
    Catalog {
        #[command(subcommand)]
        command: catalog::CatalogCommand,
    },
    /// Avoirs and gift vouchers: issue, sell, show, list, redeem, external vouchers
    Avoir {
        #[command(subcommand)]
        command: avoir::AvoirCommand,
    },
    /// Customer orders with deposits: create, list, show, change status
    Order {
        #[command(subcommand)]
        command: order::OrderCommand,
    },
    /// Open and close the day, cash movements, X report, Z and period closures
    Day {
        #[command(subcommand)]
        command: day::DayCommand,
    },
    /// The till's staff: add, list, disable, change PIN
    Staff {
        #[command(subcommand)]
        command: staff::StaffCommand,
    },
    /// The till's public key (Ed25519), to check closure and export signatures
    Key {
        /// As a PEM file (for openssl) instead of hex
        #[arg(long)]
        pem: bool,
    },
    /// Back the till up (verified, rotated), or configure automatic backups
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty data directory (a new PC): the chain goes on
    Restore {
        /// The backup folder to restore (relais-sauvegarde-…)
        backup: PathBuf,
        /// Who restores it (journaled)
        #[arg(long)]
        operator: String,
    },
    /// Write the reconciliation bundle (for the SaaS, the accountant, the auditor)
    Export(recovery::ExportArgs),
    /// Archive a closed month or fiscal year: signed, verifiable with no till (JET 20, 30)
    Archive(compliance::ArchiveArgs),
    /// The extract of a range of days for a tax inspector: CSV and a verification report (JET 280)
    Audit(compliance::AuditArgs),
    /// Write the publisher's individual attestation (printable HTML) to fill in and sign
    Attestation {
        /// The HTML file to write
        #[arg(long)]
        out: PathBuf,
    },
    /// Merge the bundles of several tills into one shop bundle (no till needed)
    Merge {
        /// The bundles to merge: folders or .zip files
        bundles: Vec<PathBuf>,
        /// The folder the shop bundle goes into
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The merge report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record when the SaaS went down and when it came back
    Outage {
        #[command(subcommand)]
        command: recovery::OutageCommand,
    },
    /// Track what has been re-entered into the SaaS
    Reentry {
        #[command(subcommand)]
        command: recovery::ReentryCommand,
    },
    /// Check a till's whole ledger, or a bundle (folder or .zip) with no till at all
    Verify {
        /// A bundle to check instead of the till's ledger
        bundle: Option<PathBuf>,
        /// The till's public key as the auditor got it from the till itself (`relais key`),
        /// not from the data checked; repeat it for a merged bundle's tills. Data signed by
        /// any other key is a defect.
        #[arg(long = "public-key", value_name = "HEX")]
        public_keys: Vec<String>,
        /// A manager acknowledges records lost after they were acknowledged (the database
        /// ends before ledger.head): journals the defect and lets the till sell again,
        /// numbering past the lost records
        #[arg(long, requires = "operator")]
        acknowledge: bool,
        /// The manager who acknowledges
        #[arg(long)]
        operator: Option<String>,
        /// An earlier export or backup of this till: its last record must be in the ledger
        #[arg(long, value_name = "BUNDLE_OR_BACKUP")]
        against: Vec<PathBuf>,
    },
    /// The receipt printer: configure it, show it, print its test page
    Printer {
        #[command(subcommand)]
        command: printer::PrinterCommand,
    },
    /// The cash drawer, opened by the printer's pulse
    Drawer {
        #[command(subcommand)]
        command: printer::DrawerCommand,
    },
    /// The technical event journal
    Journal {
        /// Only the most recent N events
        #[arg(long)]
        last: Option<usize>,
        /// One JSON object per line
        #[arg(long)]
        json: bool,
    },
    /// Shop, till, counts and chain status
    Status {
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// The shop's tills on the LAN: invite, join, serve, sync, status
    #[cfg(feature = "lan")]
    Shop {
        #[command(subcommand)]
        command: shop::ShopCommand,
    },
}

#[derive(Subcommand)]
enum SaleCommand {
    /// Record sales from a JSON file or standard input (`-`): one object, or JSON Lines
    Record {
        /// The file, or - for standard input
        file: String,
        /// Operator for sales that do not name one
        #[arg(long)]
        operator: Option<String>,
        /// A manager approving discounts above the threshold (PIN: RELAIS_MANAGER_PIN)
        #[arg(long)]
        manager: Option<String>,
    },
    /// Print the receipt of a sale (e.g. T1-000042)
    Show {
        /// Receipt number, e.g. T1-000042
        number: String,
    },
    /// Print a receipt on the thermal printer: the original the first time, then DUPLICATA
    /// copies (recorded); never opens the drawer
    Print {
        /// Receipt number, e.g. T1-000042
        number: String,
        /// Who prints it
        #[arg(long)]
        operator: String,
    },
    /// Reprint a receipt: records a copy and prints it marked DUPLICATA
    Reprint {
        /// Receipt number, e.g. T1-000042
        number: String,
        /// Who reprints it
        #[arg(long)]
        operator: String,
    },
    /// Cancel a whole sale with a linked void record (managers, or --manager approving)
    Void {
        /// Receipt number of the sale, e.g. T1-000042
        number: String,
        /// Why the sale is cancelled (journaled)
        #[arg(long)]
        reason: String,
        /// Who cancels it
        #[arg(long)]
        operator: String,
        /// A manager approving (PIN from RELAIS_MANAGER_PIN or asked on standard input)
        #[arg(long)]
        manager: Option<String>,
    },
    /// Key in the sales written on paper during the outage, from a spreadsheet (docs/PAPER.md)
    ImportPaper {
        /// The spreadsheet of slips, CSV, XLSX or ODS (template: docs/modele-papier.csv)
        file: std::path::PathBuf,
        /// Record nothing if any slip is bad
        #[arg(long)]
        strict: bool,
        /// Show what would be recorded, record nothing
        #[arg(long)]
        dry_run: bool,
        /// Operator of slips that name none
        #[arg(long, default_value = "papier")]
        operator: String,
        /// Where to write the rejected rows (default: next to FILE, NAME.rejets.csv)
        #[arg(long)]
        rejects: Option<std::path::PathBuf>,
        /// The whole report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Give back some lines of a sale: --line 2 (all of line 2) or --line 1:0,5; repeatable
    Refund {
        /// Receipt number of the sale, e.g. T1-000042
        number: String,
        /// LINE[:QTY], lines numbered from 1 as on the receipt; all that is left by default
        #[arg(long = "line", value_name = "LINE[:QTY]", required = true)]
        lines: Vec<String>,
        /// How the money goes back: cash, card, cheque, voucher, store_credit, other
        #[arg(long)]
        method: String,
        /// Reference of the refund: card terminal ticket, voucher number…
        #[arg(long)]
        reference: Option<String>,
        /// Why (journaled)
        #[arg(long)]
        reason: String,
        /// Who refunds
        #[arg(long)]
        operator: String,
        /// A manager approving (PIN from RELAIS_MANAGER_PIN or asked on standard input)
        #[arg(long)]
        manager: Option<String>,
        /// With --method store_credit: the avoir is issued in the same transaction (printed
        /// after the refund, as a second JSON line)
        #[arg(long)]
        avoir: bool,
    },
    /// Show the counter's rules (typed prices, discounts), or change them (a manager)
    Settings {
        /// Department of typed prices ("" for the first key)
        #[arg(long = "department", value_name = "CODE")]
        default_department: Option<String>,
        /// Manager above this share of a line or ticket
        #[arg(long, value_name = "N")]
        discount_percent: Option<u32>,
        /// Manager above this discount, e.g. 20
        #[arg(long, value_name = "AMOUNT")]
        discount_amount: Option<String>,
        /// A manager changing them (else shown)
        #[arg(long)]
        operator: Option<String>,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
}

/// `relais journal | head` must end quietly when `head` has read enough, as Unix tools do:
/// Rust ignores SIGPIPE, so every later print would panic on the closed pipe instead.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    let lang = match cli.lang.as_deref() {
        Some(l) => Lang::from_locale(l),
        None => Lang::from_locale(&std::env::var("LANG").unwrap_or_default()),
    };
    let out = Out { lang };
    // Bundles are checked and merged without any till: no data directory is opened.
    match &cli.command {
        Command::Verify {
            bundle: Some(path),
            public_keys,
            ..
        } if recovery::is_bundle(path) => {
            return verify::bundle(path, public_keys, &out).unwrap_or_else(|e| fail(&out, &e));
        }
        Command::Merge {
            bundles,
            out: target,
            json,
        } => {
            return recovery::merge(bundles, target, *json, &out)
                .unwrap_or_else(|e| fail(&out, &e));
        }
        Command::Restore { backup, operator } => {
            let dir = resolve_data_dir(cli.data_dir.clone());
            return backup::restore(backup, &dir, operator, &out)
                .unwrap_or_else(|e| fail(&out, &e));
        }
        _ => {}
    }
    let dir = resolve_data_dir(cli.data_dir);
    let mut store = match Store::open(&dir) {
        Ok(store) => store,
        Err(e) => return fail(&out, &e),
    };
    match run(cli.command, &mut store, &out) {
        Ok(code) => code,
        Err(e) => fail(&out, &e),
    }
}

/// Whether a command writes to the ledger: those record a start-up event first (JET 80), so
/// the journal shows which program wrote what.
fn writes(command: &Command) -> bool {
    match command {
        Command::Sale { command } => match command {
            SaleCommand::Show { .. } => false,
            SaleCommand::Settings { operator, .. } => operator.is_some(),
            SaleCommand::ImportPaper { dry_run, .. } => !dry_run,
            _ => true,
        },
        Command::Catalog { command } => match command {
            catalog::CatalogCommand::Import { dry_run, .. } => !dry_run,
            catalog::CatalogCommand::Add { .. } | catalog::CatalogCommand::Department { .. } => {
                true
            }
            catalog::CatalogCommand::ScaleRules { command } => {
                matches!(command, scale::ScaleRulesCommand::Set { .. })
            }
            _ => false,
        },
        Command::Day { command } => !matches!(
            command,
            day::DayCommand::X { .. } | day::DayCommand::Closures { .. }
        ),
        Command::Staff { command } => !matches!(command, staff::StaffCommand::List { .. }),
        Command::Order { command } => matches!(
            command,
            order::OrderCommand::Create { .. } | order::OrderCommand::Status { .. }
        ),
        Command::Avoir { command } => avoir::writes(command),
        #[cfg(feature = "lan")]
        Command::Shop { command } => shop::writes(command),
        Command::Export(_)
        | Command::Archive(_)
        | Command::Audit(_)
        | Command::Backup(_)
        | Command::Drawer { .. } => true,
        Command::Printer { command } => matches!(command, printer::PrinterCommand::Set { .. }),
        Command::Outage { command } => !matches!(command, recovery::OutageCommand::Show { .. }),
        Command::Reentry { command } => !matches!(
            command,
            recovery::ReentryCommand::Status { .. } | recovery::ReentryCommand::Left { .. }
        ),
        Command::Init { .. }
        | Command::Demo
        | Command::Verify { .. }
        | Command::Merge { .. }
        | Command::Restore { .. }
        | Command::Journal { .. }
        | Command::Status { .. }
        | Command::Key { .. }
        | Command::Attestation { .. } => false,
    }
}

fn run(command: Command, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    if writes(&command) {
        if store.config().is_none() {
            return Err(relais_store::StoreError::NotInitialised);
        }
        store.start_session("relais")?;
    }
    match command {
        Command::Init {
            shop,
            till,
            address,
            siret,
            vat_number,
            timezone,
            vat_rates,
            operator,
            training,
        } => {
            let options = InitOptions {
                shop: Shop {
                    name: shop,
                    address,
                    siret,
                    vat_number,
                },
                till,
                timezone,
                vat_rates: vat_rates.into_iter().map(VatRate).collect(),
                operator,
                training,
            };
            let report = store.init(&options)?;
            out.init_done(&report, store.data_dir());
            Ok(ExitCode::SUCCESS)
        }
        Command::Sale { command } => sale::run(command, store, out),
        Command::Catalog { command } => catalog::run(command, store, out),
        Command::Day { command } => day::run(command, store, out),
        Command::Order { command } => order::run(command, store, out),
        Command::Avoir { command } => avoir::run(command, store, out),
        #[cfg(feature = "lan")]
        Command::Shop { command } => shop::run(command, store, out),
        Command::Staff { command } => staff::run(command, store, out),
        Command::Printer { command } => printer::run(command, store, out),
        Command::Drawer { command } => printer::drawer(command, store, out),
        Command::Key { pem } => {
            let key = store.public_key()?;
            if pem {
                print!("{}", public_key_pem(&key));
            } else {
                println!("{key}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            bundle: Some(path), ..
        } => Err(relais_store::StoreError::no_record(&format!(
            "{} (manifest.json)",
            path.display()
        ))),
        Command::Demo => {
            store.setup_demo()?;
            println!(
                "{}",
                out.text(text!(
                    fr: "Caisse de formation DEMO prête : Marie (responsable, PIN 1234), Paul (caissier, PIN 5678), 65 produits.",
                    en: "Training till DEMO ready: Marie (manager, PIN 1234), Paul (cashier, PIN 5678), 65 products.",
                ))
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(args) => recovery::export(args, store, out),
        Command::Archive(args) => compliance::archive(args, store, out),
        Command::Audit(args) => compliance::audit(args, store, out),
        Command::Attestation { out: file } => compliance::attestation(&file, store, out),
        Command::Backup(args) => backup::backup(args, store, out),
        Command::Restore { .. } => unreachable!("restored before a till is opened"),
        Command::Merge { .. } => unreachable!("merged before a till is opened"),
        Command::Outage { command } => recovery::outage(command, store, out),
        Command::Reentry { command } => recovery::reentry(command, store, out),
        Command::Verify {
            bundle: None,
            acknowledge: true,
            operator: Some(operator),
            ..
        } => verify::acknowledge(store, &operator, out),
        Command::Verify {
            bundle: None,
            public_keys,
            against,
            ..
        } => verify::till(store, &public_keys, &against, out),
        Command::Journal { last, json } => {
            out.journal(&store.journal(last)?, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { json } => {
            out.status(&store.status()?, json);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// An Ed25519 public key (hex) as a PEM SubjectPublicKeyInfo, which `openssl pkeyutl` reads:
/// the fixed 12-byte DER prefix of RFC 8410 followed by the 32 key bytes.
fn public_key_pem(hex_key: &str) -> String {
    const PREFIX: [u8; 12] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    let mut der = PREFIX.to_vec();
    der.extend(
        (0..hex_key.len() / 2)
            .filter_map(|i| u8::from_str_radix(&hex_key[2 * i..2 * i + 2], 16).ok()),
    );
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64(&der)
    )
}

/// Standard base64 with padding (the one place the CLI needs it).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
