//! `relais catalog …`: import a price list, find products, add one, manage departments.

use crate::output::Out;
use clap::Subcommand;
use relais_core::text;
use relais_core::{Lang, Money, VatRate};
use relais_store::catalog::{
    write_rejects_csv, ImportOptions, ImportReport, NewProduct, ProductView,
};
use relais_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Import a price list (CSV in UTF-8, UTF-16 or Windows-1252, XLSX or ODS); re-importing updates
    Import {
        /// The price list: CSV, XLSX or ODS
        file: PathBuf,
        /// Force a column's field: "COLUMN=FIELD" (barcode, sku, label, price, vat, department, unit, plu, ignore); repeatable
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// XLSX or ODS: the sheet to read (default: the first)
        #[arg(long)]
        sheet: Option<String>,
        /// Apply nothing if any row is bad
        #[arg(long)]
        strict: bool,
        /// Show what would be imported, apply nothing
        #[arg(long)]
        dry_run: bool,
        /// Where to write the rejected rows (default: next to FILE, NAME.rejets.csv)
        #[arg(long, value_name = "PATH")]
        rejects: Option<PathBuf>,
        /// Who imports it (journaled)
        #[arg(long, default_value = "manager")]
        operator: String,
        /// The whole report as JSON
        #[arg(long)]
        json: bool,
        /// Also offer it to the shop's paired tills: each imports it at its next `relais shop sync`
        #[arg(long, conflicts_with = "dry_run")]
        shop: bool,
    },
    /// Find products by barcode, SKU, or words of the label (accents and order ignored)
    Find {
        /// Barcode, SKU, or words of the label
        query: Vec<String>,
        /// At most this many products
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// One JSON object per product
        #[arg(long)]
        json: bool,
    },
    /// Create a product (as at the counter, for an unknown barcode)
    Add {
        /// Label, as on receipts
        #[arg(long)]
        label: String,
        /// Price including VAT: 12,50 or 12.50
        #[arg(long)]
        price: String,
        /// Barcode (EAN-13, EAN-8, UPC…)
        #[arg(long)]
        barcode: Option<String>,
        /// The shop's own reference for it
        #[arg(long)]
        sku: Option<String>,
        /// VAT rate in percent (default: the department's)
        #[arg(long)]
        vat: Option<String>,
        /// Department code (default: DIVERS)
        #[arg(long)]
        department: Option<String>,
        /// piece, kg, l or m
        #[arg(long)]
        unit: Option<String>,
        /// Who creates it (journaled)
        #[arg(long)]
        operator: String,
    },
    /// Finish the label search index a big first import leaves to build (the till app does
    /// it by itself in the background)
    Index,
    /// List departments (rayons) and their VAT rates
    Departments,
    /// Add or change a department
    Department {
        /// Department code, e.g. ALIM
        code: String,
        /// Its name, as on receipts
        #[arg(long, required_unless_present_any = ["hide", "show"])]
        name: Option<String>,
        /// VAT rate in percent: 20, 10, 5,5, 2,1
        #[arg(long, required_unless_present_any = ["hide", "show"])]
        vat: Option<String>,
        /// Take its key off the counter (a manager): its products, sales and exports stay
        #[arg(long, conflicts_with = "show")]
        hide: bool,
        /// Put a hidden department's key back on the counter (a manager)
        #[arg(long)]
        show: bool,
        /// Who adds or changes it (journaled)
        #[arg(long)]
        operator: String,
    },
    /// Scale and price labels (EAN-13 starting with 2): the table of prefixes
    ScaleRules {
        #[command(subcommand)]
        command: crate::scale::ScaleRulesCommand,
    },
}

fn parse_percent(text: &str) -> relais_store::Result<u32> {
    relais_core::catalog::parse_vat(text)
        .map(|r| r.0)
        .ok_or_else(|| {
            StoreError::Invalid(text!(
                fr: "taux de TVA « {text} » : pourcentage attendu, par exemple 20 ou 5,5",
                en: "VAT rate {text:?}: expected a percentage such as 20 or 5.5",
            ))
        })
}

pub fn run(
    command: CatalogCommand,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    match command {
        CatalogCommand::Import {
            file,
            map,
            sheet,
            strict,
            dry_run,
            rejects,
            operator,
            json,
            shop,
        } => {
            let by = store.own_manager(&operator)?;
            let options = ImportOptions {
                map,
                sheet,
                strict,
                dry_run,
                preview_rows: 5,
                operator,
            };
            let report = store.import_catalog(&file, &options, &by)?;
            let offered = match shop && report.applied {
                true => Some(store.offer_price_list(&file, &options, &by)?),
                false => None,
            };
            let rejects_file = match report.rejects.is_empty() {
                true => None,
                false => {
                    let headers: Vec<String> =
                        report.columns.iter().map(|c| c.header.clone()).collect();
                    Some(save_rejects(&file, rejects, &headers, &report.rejects)?)
                }
            };
            if json {
                println!("{}", serde_json::to_string(&report).expect("serialisable"));
            } else {
                print_report(out, &report, rejects_file.as_deref());
                print_index_left(out, store.search_index_pending()?);
                if let Some(offer) = &offered {
                    let (name, sha256) = (&offer.name, &offer.sha256);
                    println!(
                        "{}",
                        out.text(text!(
                            fr: "Liste {name} proposée aux caisses du magasin (SHA-256 {sha256}) : chacune l'importe à sa prochaine synchronisation.",
                            en: "Price list {name} offered to the shop's tills (SHA-256 {sha256}): each imports it at its next sync.",
                        ))
                    );
                }
            }
            Ok(if report.applied || dry_run {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        CatalogCommand::Find { query, limit, json } => {
            let products = store.search_products(&query.join(" "), limit)?;
            for p in &products {
                if json {
                    println!("{}", serde_json::to_string(p).expect("serialisable"));
                } else {
                    println!("{}", product_line(p));
                }
            }
            if products.is_empty() && !json {
                eprintln!(
                    "{}",
                    out.text(text!(fr: "aucun produit trouvé", en: "no product found"))
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CatalogCommand::Add {
            label,
            price,
            barcode,
            sku,
            vat,
            department,
            unit,
            operator,
        } => {
            let price = Money::parse(&price).map_err(|e| {
                StoreError::Invalid(text!(
                    fr: format!("--price : {}", e.text().fr),
                    en: "--price: {e}",
                ))
            })?;
            let vat_rate_bp = vat.as_deref().map(parse_percent).transpose()?;
            let new = NewProduct {
                barcode,
                sku,
                label,
                price_cents: price.0,
                vat_rate_bp,
                department,
                unit,
            };
            let product = store.create_product(&new, &store.actor(&operator)?)?;
            println!("{}", product_line(&product));
            Ok(ExitCode::SUCCESS)
        }
        CatalogCommand::Index => {
            let left = store.search_index_pending()?;
            let start = std::time::Instant::now();
            store.finish_search_index()?;
            let indexed = out.count(
                left,
                ["libellé indexé", "libellés indexés"],
                ["label indexed", "labels indexed"],
            );
            let seconds = format!("{:.1}", start.elapsed().as_secs_f64());
            let seconds_fr = seconds.replace('.', ",");
            println!(
                "{}",
                match left {
                    0 => out.text(text!(
                        fr: "L'index de recherche est déjà complet.",
                        en: "The search index is already complete.",
                    )),
                    _ => out.text(text!(
                        fr: &format!("Index de recherche complet : {indexed} en {seconds_fr} s."),
                        en: &format!("Search index complete: {indexed} in {seconds} s."),
                    )),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        CatalogCommand::Departments => {
            for d in store.departments()? {
                println!("{}", department_line(&d));
            }
            Ok(ExitCode::SUCCESS)
        }
        CatalogCommand::Department {
            code,
            name,
            vat,
            hide,
            show,
            operator,
        } => {
            let by = store.actor(&operator)?;
            let mut code = code;
            if let (Some(name), Some(vat)) = (name, vat) {
                code = store
                    .set_department(&code, &name, parse_percent(&vat)?, &by)?
                    .code;
            }
            if hide || show {
                let by = store.manager(&by, None)?;
                code = store.hide_department(&code, hide, &by)?.code;
            }
            let d = store
                .departments()?
                .into_iter()
                .find(|d| d.code == code)
                .ok_or_else(|| {
                    StoreError::NotFound(
                        text!(fr: "rayon {code} introuvable", en: "no department {code}"),
                    )
                })?;
            println!("{}", department_line(&d));
            Ok(ExitCode::SUCCESS)
        }
        CatalogCommand::ScaleRules { command } => crate::scale::run(command, store, out),
    }
}

/// A department as `catalog departments` lists it; « masqué » when its key is hidden.
fn department_line(d: &relais_core::catalog::Department) -> String {
    let line = format!("{:<16} {:<24} TVA {}", d.code, d.name, d.vat_rate_bp);
    if d.hidden {
        format!("{line}  (masqué)")
    } else {
        line
    }
}

fn product_line(p: &ProductView) -> String {
    let codes = p.barcodes.join(" ");
    format!(
        "{:<14} {:<12} {:<40} {:>9} €  TVA {:<6} {}{}",
        codes,
        p.sku.as_deref().unwrap_or(""),
        p.label,
        Money(p.price_cents).to_string(),
        VatRate(p.vat_rate_bp).to_string(),
        if p.unit == "piece" {
            String::new()
        } else {
            format!("/{} ", p.unit)
        },
        p.department.as_deref().unwrap_or(""),
    )
}

/// The rejects go next to the imported file; if that folder is read-only (a USB stick
/// mounted read-only), into the current directory.
pub fn save_rejects(
    file: &Path,
    chosen: Option<PathBuf>,
    headers: &[String],
    rejects: &[relais_store::catalog::Reject],
) -> relais_store::Result<PathBuf> {
    if let Some(path) = chosen {
        write_rejects_csv(&path, headers, rejects)?;
        return Ok(path);
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    let name = format!("{stem}.rejets.csv");
    let beside = file.with_file_name(&name);
    match write_rejects_csv(&beside, headers, rejects) {
        Ok(()) => Ok(beside),
        Err(_) => {
            let here = PathBuf::from(&name);
            write_rejects_csv(&here, headers, rejects)?;
            Ok(here)
        }
    }
}

/// After a big first import: its products sell at once, and search finds them, slower
/// until their labels are indexed (see `Store::finish_search_index`).
fn print_index_left(out: &Out, left: u64) {
    if left == 0 {
        return;
    }
    let labels = out.count(
        left,
        ["libellé à indexer", "libellés à indexer"],
        ["label to index", "labels to index"],
    );
    println!(
        "{}",
        out.text(text!(
            fr: &format!("Index de recherche : {labels} ; la caisse le termine en arrière-plan à son \
             ouverture, ou tout de suite : relais catalog index"),
            en: &format!("Search index: {labels}; the till app finishes it in the background when it \
             opens, or now: relais catalog index"),
        ))
    );
}

fn print_report(out: &Out, report: &ImportReport, rejects_file: Option<&Path>) {
    let source = &report.source;
    println!(
        "{} {} ({}, {}{})",
        out.text(text!(fr: "Fichier", en: "File")),
        report.file,
        source.format,
        source.encoding,
        source
            .delimiter
            .as_ref()
            .map(|d| format!(", séparateur « {d} »"))
            .unwrap_or_default()
    );
    let columns: Vec<String> = report
        .columns
        .iter()
        .map(|c| format!("{} → {}", c.header, c.field.code()))
        .collect();
    println!(
        "{} {}",
        out.text(text!(fr: "Colonnes :", en: "Columns:")),
        columns.join(", ")
    );
    let summary = match out.lang {
        Lang::Fr => format!(
            "importés {}, mis à jour {}, inchangés {}, rejetés {}",
            report.imported, report.updated, report.unchanged, report.rejected
        ),
        Lang::En => format!(
            "imported {}, updated {}, unchanged {}, rejected {}",
            report.imported, report.updated, report.unchanged, report.rejected
        ),
    };
    println!("{summary}");
    if !report.departments_created.is_empty() {
        println!(
            "{} {}",
            out.text(text!(fr: "Rayons créés :", en: "Departments created:")),
            report.departments_created.join(", ")
        );
    }
    for reject in report.rejects.iter().take(20) {
        let (line, reason) = (reject.line, reject.reason.get(out.lang));
        eprintln!(
            "{}",
            out.text(text!(fr: "ligne {line} : {reason}", en: "line {line}: {reason}"))
        );
    }
    if report.rejects.len() > 20 {
        eprintln!(
            "… {}",
            out.count(
                (report.rejects.len() - 20) as u64,
                ["autre rejet", "autres rejets"],
                ["more reject", "more rejects"]
            )
        );
    }
    if let Some(path) = rejects_file {
        println!(
            "{} {}",
            out.text(text!(fr: "Lignes rejetées :", en: "Rejected rows:")),
            path.display()
        );
    }
    if !report.applied {
        println!(
            "{}",
            out.text(text!(fr: "Rien n'a été appliqué.", en: "Nothing was applied."))
        );
    }
}
