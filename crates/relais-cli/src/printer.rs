//! `relais printer …`, `relais drawer open` and `relais sale print`: the thermal printer and
//! the cash drawer on its pulse, driven with no dialog (the same `relais_printer::deliver`
//! as the app).

use crate::output::Out;
use clap::{Subcommand, ValueEnum};
use relais_core::avoir_slip::AvoirSlipDoc;
use relais_core::order_slip::OrderSlipDoc;
use relais_core::report::ReportDoc;
use relais_core::text;
use relais_printer::{deliver, Delivered, Job, PrinterError, Setup};
use relais_store::{PrinterSettings, Store, StoreError};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum PrinterCommand {
    /// Configure the receipt printer (managers): tcp://HOST:9100, file:///dev/usb/lp0,
    /// serial:///dev/ttyUSB0?baud=9600, or none; options not given keep their value
    Set {
        /// The printer's address, or `none` for no thermal printer
        uri: String,
        /// Characters per line: 32 (58 mm paper), 42 or 48 (80 mm); 58 = 32, 80 = 48
        #[arg(long, value_name = "N")]
        width: Option<u16>,
        /// Code page with the € sign: wpc1252 (ESC t 16) or cp858 (ESC t 19)
        #[arg(long, value_enum, value_name = "PAGE")]
        code_page: Option<CodePageArg>,
        /// Print every receipt at the end of the sale (off: on request)
        #[arg(long, value_enum, value_name = "on|off")]
        print_every_receipt: Option<OnOff>,
        /// Open the drawer when a sale paid in cash is recorded
        #[arg(long, value_enum, value_name = "on|off")]
        drawer_on_cash: Option<OnOff>,
        /// Cashiers may open the drawer outside a sale (else managers only)
        #[arg(long, value_enum, value_name = "on|off")]
        cashiers_open_drawer: Option<OnOff>,
        /// The manager changing it (journaled)
        #[arg(long)]
        operator: String,
    },
    /// The printer's settings
    Show {
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the test page: the width ruled, the French letters and the € sign, a QR code
    Test,
}

#[derive(Subcommand)]
pub enum DrawerCommand {
    /// Open the cash drawer outside a sale: journaled (event 1100), counted on the X and Z
    Open {
        /// Who opens it (a manager, or a cashier when allowed)
        #[arg(long)]
        operator: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CodePageArg {
    #[value(alias = "pc858")]
    Cp858,
    #[value(alias = "cp1252")]
    Wpc1252,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

impl OnOff {
    fn on(self) -> bool {
        matches!(self, OnOff::On)
    }
}

pub fn run(
    command: PrinterCommand,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    match command {
        PrinterCommand::Set {
            uri,
            width,
            code_page,
            print_every_receipt,
            drawer_on_cash,
            cashiers_open_drawer,
            operator,
        } => {
            let mut settings = store.printer_settings()?;
            settings.uri = match uri.trim() {
                "none" | "aucune" => String::new(),
                uri => uri.to_string(),
            };
            if let Some(width) = width {
                settings.columns = match width {
                    58 => 32,
                    80 => 48,
                    w => u8::try_from(w).unwrap_or(0),
                };
            }
            if let Some(page) = code_page {
                settings.code_page = match page {
                    CodePageArg::Cp858 => 19,
                    CodePageArg::Wpc1252 => 16,
                };
            }
            for (option, field) in [
                (print_every_receipt, &mut settings.print_every_receipt),
                (drawer_on_cash, &mut settings.drawer_on_cash),
                (cashiers_open_drawer, &mut settings.cashiers_open_drawer),
            ] {
                if let Some(option) = option {
                    *field = option.on();
                }
            }
            store.set_printer_settings(&settings, &store.own_manager(&operator)?)?;
            show(&store.printer_settings()?, out);
            Ok(ExitCode::SUCCESS)
        }
        PrinterCommand::Show { json } => {
            let settings = store.printer_settings()?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&settings).expect("serialisable")
                );
            } else {
                show(&settings, out);
            }
            Ok(ExitCode::SUCCESS)
        }
        PrinterCommand::Test => {
            let (settings, setup) = configured(store)?;
            let sent = deliver(&settings.uri, &setup, Job::TestPage { open_drawer: false });
            Ok(match sent {
                Ok(delivered) => {
                    let uri = &settings.uri;
                    println!(
                        "{}",
                        out.text(text!(
                            fr: "Page de test imprimée sur {uri}.",
                            en: "Test page printed on {uri}.",
                        ))
                    );
                    warn_paper(&delivered, out);
                    ExitCode::SUCCESS
                }
                Err(error) => printer_failed(&error, None, out),
            })
        }
    }
}

pub fn drawer(
    command: DrawerCommand,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let DrawerCommand::Open { operator } = command;
    let (settings, setup) = configured(store)?;
    store.record_drawer_opened(&store.actor(&operator)?)?;
    Ok(match deliver(&settings.uri, &setup, Job::Drawer) {
        Ok(delivered) => {
            println!(
                "{}",
                out.text(text!(
                    fr: "Tiroir ouvert (ouverture sans vente enregistrée au journal).",
                    en: "Drawer opened (opening without a sale journaled).",
                ))
            );
            if delivered.pulses > 1 {
                println!(
                    "{}",
                    out.text(text!(
                        fr: "Le tiroir semblait resté fermé : impulsion renvoyée une fois.",
                        en: "The drawer seemed to stay shut: pulse sent once more.",
                    ))
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => printer_failed(
            &error,
            Some(text!(
                fr: "l'ouverture est enregistrée au journal, mais le tiroir n'a pas reçu l'impulsion",
                en: "the opening is journaled, but the drawer did not get the pulse",
            )),
            out,
        ),
    })
}

/// `relais sale print NUMBER`: the original receipt the first time the printer takes it,
/// then DUPLICATA copies (each recorded). A reprint never opens the drawer.
pub fn print_sale(
    number: &str,
    operator: &str,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let (settings, setup) = configured(store)?;
    let job = store.receipt_to_print(number, &store.actor(operator)?)?;
    let sent = deliver(
        &settings.uri,
        &setup,
        Job::Receipt {
            doc: &job.doc,
            open_drawer: false,
        },
    );
    let ticket = job.doc.number.clone();
    match (sent, job.doc.copy_no) {
        (Ok(delivered), None) => {
            store.mark_printed(&ticket)?;
            println!(
                "{}",
                out.text(text!(fr: "Ticket {ticket} imprimé.", en: "Receipt {ticket} printed."))
            );
            warn_paper(&delivered, out);
            Ok(ExitCode::SUCCESS)
        }
        (Ok(delivered), Some(n)) => {
            println!(
                "{}",
                out.text(text!(
                    fr: "Duplicata {n} du ticket {ticket} imprimé.",
                    en: "Duplicate {n} of receipt {ticket} printed.",
                ))
            );
            warn_paper(&delivered, out);
            Ok(ExitCode::SUCCESS)
        }
        (Err(error), None) => Ok(printer_failed(
            &error,
            Some(text!(
                fr: "la vente {ticket} reste enregistrée ; relancez `relais sale print {ticket}` une fois l'imprimante prête",
                en: "sale {ticket} stays recorded; run `relais sale print {ticket}` again once the printer is ready",
            )),
            out,
        )),
        (Err(error), Some(n)) => Ok(printer_failed(
            &error,
            Some(text!(
                fr: "le duplicata {n} du ticket {ticket} est enregistré mais n'est pas imprimé",
                en: "duplicate {n} of receipt {ticket} is recorded but not printed",
            )),
            out,
        )),
    }
}

/// An X or Z report on the receipt printer; nothing is recorded (a report is no ticket).
pub fn print_report(doc: &ReportDoc, store: &Store, out: &Out) -> relais_store::Result<ExitCode> {
    print_document(Job::Report { doc }, &doc.title, store, out)
}

/// A customer order's slip on the receipt printer; nothing is recorded (a slip is no ticket).
pub fn print_order_slip(
    doc: &OrderSlipDoc,
    store: &Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let title = format!("BON DE COMMANDE {}", doc.number);
    print_document(Job::OrderSlip { doc }, &title, store, out)
}

/// A document that records nothing (a report, a slip), printed as `title`.
fn print_document(
    job: Job<'_>,
    title: &str,
    store: &Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let (settings, setup) = configured(store)?;
    match deliver(&settings.uri, &setup, job) {
        Ok(delivered) => {
            println!(
                "{}",
                out.text(text!(fr: "Imprimé : {title}.", en: "Printed: {title}."))
            );
            warn_paper(&delivered, out);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(printer_failed(&error, None, out)),
    }
}

/// An avoir's slip on the receipt printer; nothing is recorded (the avoir is).
pub fn print_avoir_slip(
    doc: &AvoirSlipDoc,
    store: &Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let (settings, setup) = configured(store)?;
    let number = &doc.number;
    match deliver(&settings.uri, &setup, Job::AvoirSlip { doc }) {
        Ok(delivered) => {
            println!(
                "{}",
                out.text(text!(fr: "Imprimé : {number}.", en: "Printed: {number}."))
            );
            warn_paper(&delivered, out);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(printer_failed(&error, None, out)),
    }
}

/// The printer's settings and set-up; an error when no printer is configured.
fn configured(store: &Store) -> relais_store::Result<(PrinterSettings, Setup)> {
    let settings = store.printer_settings()?;
    if settings.uri.is_empty() {
        return Err(StoreError::Invalid(text!(
            fr: "aucune imprimante de tickets configurée : `relais printer set tcp://ADRESSE:9100 --operator NOM` (voir docs/OPERATIONS.md)",
            en: "no receipt printer configured: `relais printer set tcp://ADDRESS:9100 --operator NAME` (see docs/OPERATIONS.md)",
        )));
    }
    let setup = Setup::from_numbers(settings.columns, settings.code_page).ok_or_else(|| {
        StoreError::Corrupt(format!(
            "printer setting: {} columns, code page {}",
            settings.columns, settings.code_page
        ))
    })?;
    Ok((settings, setup))
}

fn show(settings: &PrinterSettings, out: &Out) {
    let yes_no = |on: bool| {
        out.text(if on {
            text!(fr: "oui", en: "yes")
        } else {
            text!(fr: "non", en: "no")
        })
    };
    let uri = match settings.uri.as_str() {
        "" => out.text(text!(fr: "aucune", en: "none")),
        uri => uri.to_string(),
    };
    let page = match settings.code_page {
        19 => "19 (CP858)",
        _ => "16 (WPC1252)",
    };
    let rows = [
        (text!(fr: "Imprimante", en: "Printer"), uri),
        (
            text!(fr: "Largeur", en: "Width"),
            out.count(
                u64::from(settings.columns),
                ["colonne", "colonnes"],
                ["column", "columns"],
            ),
        ),
        (text!(fr: "Page de code", en: "Code page"), page.to_string()),
        (
            text!(fr: "Ticket imprimé à chaque vente", en: "Receipt printed at every sale"),
            yes_no(settings.print_every_receipt),
        ),
        (
            text!(fr: "Tiroir ouvert aux ventes en espèces", en: "Drawer opened on cash sales"),
            yes_no(settings.drawer_on_cash),
        ),
        (
            text!(fr: "Les caissiers ouvrent le tiroir", en: "Cashiers open the drawer"),
            yes_no(settings.cashiers_open_drawer),
        ),
    ];
    for (label, value) in rows {
        let colon = out.text(text!(fr: " :", en: ":"));
        println!("{}{colon} {value}", out.text(label));
    }
}

fn warn_paper(delivered: &Delivered, out: &Out) {
    if delivered.paper_low() {
        eprintln!(
            "{}",
            out.text(text!(
                fr: "attention : le rouleau de papier est presque fini",
                en: "warning: the paper roll is nearly finished",
            ))
        );
    }
}

/// Tells why the printer failed (and what stays true), and returns the failure status.
fn printer_failed(error: &PrinterError, then: Option<relais_core::Text>, out: &Out) -> ExitCode {
    let word = out.text(text!(fr: "erreur", en: "error"));
    let separator = out.text(text!(fr: " ; ", en: "; "));
    let then = then
        .map(|t| format!("{separator}{}", out.text(t)))
        .unwrap_or_default();
    eprintln!(
        "{word}: {}{then} [printer_{}]",
        error.message(out.lang),
        error.kind()
    );
    ExitCode::FAILURE
}
