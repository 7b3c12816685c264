//! `relais sale …`: recording a stream of sales, showing, reprinting, refunding and voiding them.

use crate::output::Out;
use crate::pin::approval;
use crate::SaleCommand;
use relais_core::text;
use relais_core::SaleInput;
use relais_store::{RefundInput, RefundLineInput, SaleOptions, Store, StoreError};
use serde_json::Value;
use std::io::{BufReader, Read, Write};
use std::process::ExitCode;

pub fn run(command: SaleCommand, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    match command {
        SaleCommand::Record {
            file,
            operator,
            manager,
        } => {
            let approval = approval(manager)?;
            record(&file, operator.as_deref(), approval.as_ref(), store, out)
        }
        SaleCommand::Settings {
            default_department,
            discount_percent,
            discount_amount,
            operator,
            json,
        } => settings(
            store,
            out,
            operator,
            json,
            (default_department, discount_percent, discount_amount),
        ),
        SaleCommand::Show { number } => {
            print!("{}", store.receipt(&number)?);
            Ok(ExitCode::SUCCESS)
        }
        SaleCommand::Print { number, operator } => {
            crate::printer::print_sale(&number, &operator, store, out)
        }
        SaleCommand::Reprint { number, operator } => {
            let result = store.reprint(&number, &store.actor(&operator)?)?;
            print!("{}", result.receipt);
            Ok(ExitCode::SUCCESS)
        }
        SaleCommand::ImportPaper {
            file,
            strict,
            dry_run,
            operator,
            rejects,
            json,
        } => {
            let by = store.actor(&operator)?;
            let options = relais_store::PaperOptions {
                strict,
                dry_run,
                operator,
            };
            let report = store.import_paper(&file, &options, &by)?;
            let rejects_file = match report.rejects.is_empty() {
                true => None,
                false => Some(crate::catalog::save_rejects(
                    &file,
                    rejects,
                    &report.headers,
                    &report.rejects,
                )?),
            };
            if json {
                println!("{}", serde_json::to_string(&report).expect("serialisable"));
            } else {
                print_paper(out, &report, rejects_file.as_deref());
            }
            Ok(if report.applied || dry_run {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        SaleCommand::Void {
            number,
            reason,
            operator,
            manager,
        } => {
            let approval = approval(manager)?;
            let by = store.manager_named(&operator, approval.as_ref())?;
            out.recorded(&store.void_sale(&number, &reason, &by)?);
            Ok(ExitCode::SUCCESS)
        }
        SaleCommand::Refund {
            number,
            lines,
            method,
            reference,
            reason,
            operator,
            manager,
            avoir,
        } => {
            let lines = refund_lines(store, &number, &lines)?;
            let input = RefundInput {
                sale: number,
                lines,
                method,
                reference,
                reason,
                operator,
                approval: approval(manager)?,
            };
            let by = store.manager_named(&input.operator, input.approval.as_ref())?;
            if avoir {
                let (recorded, avoir) = store.refund_to_avoir(&input, &by)?;
                out.recorded(&recorded);
                crate::avoir::print_avoir(&avoir, true, out);
            } else {
                out.recorded(&store.refund(&input, &by)?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `--line 2` (what is left of line 2) or `--line 1:0,5`, lines numbered from 1.
fn refund_lines(
    store: &Store,
    sale: &str,
    texts: &[String],
) -> relais_store::Result<Vec<RefundLineInput>> {
    let returnable = store.sale_for_return(sale)?.lines;
    texts
        .iter()
        .map(|text| {
            let bad = || {
                StoreError::Invalid(text!(
                    fr: "--line « {text} » : LIGNE ou LIGNE:QTÉ attendu, par exemple 2 ou 1:0,5",
                    en: "--line {text:?}: expected LINE or LINE:QTY, e.g. 2 or 1:0.5",
                ))
            };
            let (line, qty) = match text.split_once(':') {
                Some((line, qty)) => (line, Some(qty.to_string())),
                None => (text.as_str(), None),
            };
            let index = line
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(bad)?
                - 1;
            let left = returnable
                .get(index)
                .map(|l| l.left.clone())
                .ok_or_else(|| {
                    let n = returnable.len();
                    StoreError::Invalid(text!(
                        fr: "--line « {text} » : la vente a {n} lignes",
                        en: "--line {text:?}: the sale has {n} lines",
                    ))
                })?;
            Ok(RefundLineInput {
                line: index,
                qty: qty.unwrap_or(left),
            })
        })
        .collect()
}

/// `relais sale settings`: shown, or changed by a manager (what is not given stays).
fn settings(
    store: &mut Store,
    out: &Out,
    operator: Option<String>,
    json: bool,
    (department, percent, amount): (Option<String>, Option<u32>, Option<String>),
) -> relais_store::Result<ExitCode> {
    let mut settings = store.sale_settings()?;
    if let Some(operator) = operator {
        if let Some(department) = department {
            settings.default_department = department;
        }
        if let Some(percent) = percent {
            settings.discount_approval_percent = percent;
        }
        if let Some(amount) = amount {
            settings.discount_approval_cents = relais_core::Money::parse(&amount)
                .map(|m| m.0)
                .map_err(|_| {
                    StoreError::Invalid(text!(
                        fr: "montant « {amount} » illisible (par exemple 20 ou 15,50)",
                        en: "unreadable amount {amount:?} (e.g. 20 or 15.50)",
                    ))
                })?;
        }
        store.set_sale_settings(&settings, &store.own_manager(&operator)?)?;
        settings = store.sale_settings()?;
    }
    if json {
        println!(
            "{}",
            serde_json::to_string(&settings).expect("serialisable")
        );
        return Ok(ExitCode::SUCCESS);
    }
    let department = store
        .default_department()?
        .map(|d| d.code)
        .unwrap_or_default();
    let (percent, amount) = (
        settings.discount_approval_percent,
        out.money(settings.discount_approval_cents),
    );
    println!("{}", out.text(text!(
        fr: format!("Prix tapé vendu sur le rayon {department} ; remises validées par un responsable au-delà de {percent} % ou {amount} €"),
        en: format!("Typed prices sold on department {department}; discounts approved by a manager above {percent} % or €{amount}"),
    )));
    Ok(ExitCode::SUCCESS)
}

fn open_input(file: &str) -> relais_store::Result<Box<dyn Read>> {
    if file == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    std::fs::File::open(file)
        .map(|f| Box::new(f) as Box<dyn Read>)
        .map_err(|e| StoreError::Io {
            path: file.into(),
            source: e,
        })
}

/// Records sales one by one as they are read, printing each acknowledgement as soon as the
/// sale is committed, so that a caller (or a killed process) knows exactly what is on disk.
/// Stops at the first bad sale: those before it stay recorded; nothing of it is written.
fn record(
    file: &str,
    operator: Option<&str>,
    approval: Option<&relais_store::Approval>,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let input = BufReader::new(open_input(file)?);
    let stream = serde_json::Deserializer::from_reader(input).into_iter::<Value>();
    let mut count = 0usize;
    for (index, value) in stream.enumerate() {
        let in_sale = |error: StoreError| StoreError::InSale {
            input: file.to_string(),
            index: index + 1,
            error: Box::new(error),
        };
        let value = value.map_err(|e| {
            in_sale(StoreError::Invalid(
                text!(fr: "JSON illisible : {e}", en: "JSON: {e}"),
            ))
        })?;
        let sale: SaleInput = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let e = e.into_inner();
            in_sale(StoreError::Invalid(
                text!(fr: "{path} : {e}", en: "{path}: {e}"),
            ))
        })?;
        let recorded = store
            .sale_actor(&sale, operator)
            .and_then(|by| store.record_sale_with(&sale, &by, &SaleOptions::approved(approval)))
            .map_err(in_sale)?;
        out.recorded(&recorded);
        std::io::stdout().flush().ok();
        count += 1;
    }
    if count == 0 {
        return Err(StoreError::Invalid(text!(
            fr: "{file} : aucune vente à lire",
            en: "{file}: no sale in the input",
        )));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_paper(out: &Out, report: &relais_store::PaperReport, rejects: Option<&std::path::Path>) {
    println!(
        "{} {}, {} {}, {} {}",
        out.text(text!(fr: "bordereaux enregistrés", en: "slips recorded")),
        report.slips_recorded,
        out.text(text!(fr: "déjà saisis", en: "already entered")),
        report.slips_already_entered,
        out.text(text!(fr: "rejetés", en: "rejected")),
        report.slips_rejected
    );
    for day in &report.days {
        println!(
            "  {}  {:>14}  {:>10} €",
            day.business_day,
            out.count(day.slips, ["bordereau", "bordereaux"], ["slip", "slips"]),
            relais_core::Money(day.total_cents)
        );
    }
    for reject in report
        .rejects
        .iter()
        .filter(|r| r.column.is_some())
        .take(20)
    {
        let (line, reason) = (reject.line, reject.reason.get(out.lang));
        eprintln!(
            "{}",
            out.text(text!(fr: "ligne {line} : {reason}", en: "line {line}: {reason}"))
        );
    }
    if let Some(path) = rejects {
        println!(
            "{} {}",
            out.text(text!(fr: "Lignes rejetées :", en: "Rejected rows:")),
            path.display()
        );
    }
    if !report.applied {
        println!(
            "{}",
            out.text(text!(fr: "Rien n'a été enregistré.", en: "Nothing was recorded."))
        );
    }
}
