//! Bulk catch-up of the sales written on paper before Relais ran: a spreadsheet of one row
//! per line, grouped by slip number, recorded as late entries in one transaction. Re-importing
//! the same file records nothing twice: each slip's id derives from its day and number.
//! The template is documented in docs/PAPER.md.

use crate::catalog::read::{owned, Table};
use crate::catalog::{Reject, SourceInfo};
use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::plural;
use crate::sale_settings::discounts::discounts_over;
use crate::Actor;
use crate::{late, Store};
use relais_core::catalog::{normalize, parse_price, parse_vat};
use relais_core::sale::{LateInput, LineInput, PaymentInput, QtyInput};
use relais_core::text;
use relais_core::{Body, EventData, EventType, Method, Money, Qty, SaleInput, Text};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::TS;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
    Date,
    Time,
    Slip,
    Label,
    Code,
    Qty,
    Price,
    Vat,
    Discount,
    Method,
    Reference,
    Operator,
}

const HEADERS: &[(&str, Column)] = &[
    ("date", Column::Date),
    ("jour", Column::Date),
    ("heure", Column::Time),
    ("time", Column::Time),
    ("bordereau", Column::Slip),
    ("n bordereau", Column::Slip),
    ("numero", Column::Slip),
    ("ticket", Column::Slip),
    ("slip", Column::Slip),
    ("libelle", Column::Label),
    ("designation", Column::Label),
    ("article", Column::Label),
    ("label", Column::Label),
    ("code", Column::Code),
    ("code barre", Column::Code),
    ("ean", Column::Code),
    ("reference", Column::Code),
    ("sku", Column::Code),
    ("quantite", Column::Qty),
    ("qte", Column::Qty),
    ("qty", Column::Qty),
    ("prix", Column::Price),
    ("prix unitaire", Column::Price),
    ("prix ttc", Column::Price),
    ("prix unitaire ttc", Column::Price),
    ("pu", Column::Price),
    ("tva", Column::Vat),
    ("taux tva", Column::Vat),
    ("remise", Column::Discount),
    ("paiement", Column::Method),
    ("mode de paiement", Column::Method),
    ("moyen de paiement", Column::Method),
    ("reglement", Column::Method),
    ("reference paiement", Column::Reference),
    ("n cheque", Column::Reference),
    ("operateur", Column::Operator),
    ("vendeur", Column::Operator),
    ("vendeuse", Column::Operator),
];

/// What happened to a paper import.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PaperReport {
    pub file: String,
    pub source: SourceInfo,
    /// The file's column names, for the rejects file.
    pub headers: Vec<String>,
    #[ts(type = "number")]
    pub slips_recorded: u64,
    /// Slips already in the ledger with the same content (a file imported again).
    #[ts(type = "number")]
    pub slips_already_entered: u64,
    #[ts(type = "number")]
    pub slips_rejected: u64,
    pub rejects: Vec<Reject>,
    /// Per business day: slips recorded and their total.
    pub days: Vec<PaperDay>,
    pub applied: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PaperDay {
    pub business_day: String,
    #[ts(type = "number")]
    pub slips: u64,
    #[ts(type = "number")]
    pub total_cents: i64,
}

#[derive(Debug, Clone, Default)]
pub struct PaperOptions {
    pub strict: bool,
    pub dry_run: bool,
    /// Who keys the slips in (the `Actor` callers make from it is their records' operator).
    pub operator: String,
}

/// One slip of the file: its rows (line number, cells) in file order.
struct Slip {
    rows: Vec<(usize, Vec<String>)>,
}

fn method_of(text: &str) -> Option<(Method, Option<String>)> {
    let known = match normalize(text).as_str() {
        "" => return None,
        "especes" | "espece" | "liquide" | "cash" | "esp" => Method::Cash,
        "carte" | "cb" | "carte bancaire" | "card" | "tpe" => Method::Card,
        "cheque" | "chq" | "ch" => Method::Cheque,
        "bon" | "bon d achat" | "voucher" | "carte cadeau" => Method::Voucher,
        "avoir" | "store credit" => Method::StoreCredit,
        _ => return Some((Method::Other, Some(text.trim().to_string()))),
    };
    Some((known, None))
}

impl Store {
    /// Imports paper sales from a CSV or XLSX file (see docs/PAPER.md).
    /// Keyed in by `by` (made from the options' `operator`).
    pub fn import_paper(
        &mut self,
        path: &Path,
        options: &PaperOptions,
        by: &Actor,
    ) -> Result<PaperReport> {
        let config = self.require_config()?.clone();
        let table = Table::open(path, None)?;
        let file = path.display().to_string();
        let columns: Vec<Option<Column>> = table
            .headers
            .iter()
            .map(|h| {
                HEADERS
                    .iter()
                    .find(|(alias, _)| *alias == normalize(h))
                    .map(|(_, c)| *c)
            })
            .collect();
        for (required, name) in [
            (Column::Date, "date"),
            (Column::Slip, "bordereau"),
            (Column::Price, "prix"),
        ] {
            if !columns.contains(&Some(required)) {
                return Err(StoreError::Invalid(text!(
                    fr: "{file} : colonne « {name} » absente (voir le modèle)",
                    en: "{file}: no column {name:?} (see the template)",
                )));
            }
        }
        let mut slips: Vec<((String, String), Slip)> = Vec::new();
        let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
        let cell = |cells: &[String], column: Column| -> String {
            columns
                .iter()
                .position(|c| *c == Some(column))
                .and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        table.for_each_row(|line, cells| {
            let cells = owned(cells);
            let key = (cell(&cells, Column::Date), cell(&cells, Column::Slip));
            let at = *index.entry(key.clone()).or_insert_with(|| {
                slips.push((key, Slip { rows: Vec::new() }));
                slips.len() - 1
            });
            slips[at].1.rows.push((line, cells));
            Ok(())
        })?;
        let mut report = PaperReport {
            file,
            source: table.info.clone(),
            headers: table.headers.clone(),
            slips_recorded: 0,
            slips_already_entered: 0,
            slips_rejected: 0,
            rejects: Vec::new(),
            days: Vec::new(),
            applied: false,
        };
        let reject =
            |report: &mut PaperReport, slip: &Slip, line: usize, column: &str, reason: Text| {
                report.slips_rejected += 1;
                for (l, cells) in &slip.rows {
                    let why = if *l == line {
                        reason.clone()
                    } else {
                        text!(
                            fr: "bordereau rejeté (voir la ligne {line})",
                            en: "slip rejected (see line {line})",
                        )
                    };
                    report.rejects.push(Reject {
                        line: *l,
                        column: (*l == line).then(|| column.to_string()),
                        reason: why,
                        cells: cells.clone(),
                    });
                }
            };
        let now = self.now();
        let mut ready = Vec::new();
        for ((date, number), slip) in &slips {
            match self.paper_sale(&config, date, number, slip, &cell, by) {
                Err((line, column, reason)) => reject(&mut report, slip, line, column, reason),
                Ok(input) => match late::resolve(
                    &config,
                    input.late.as_ref().expect("paper sales are late"),
                    None,
                    now,
                ) {
                    Err(e) => reject(&mut report, slip, slip.rows[0].0, "date", e.text()),
                    Ok(resolved) => ready.push((slip, input, resolved)),
                },
            }
        }
        let mut days: BTreeMap<String, (u64, i64)> = BTreeMap::new();
        // A discount above the shop's threshold was a manager's decision at the counter:
        // keyed in by someone else, its slip waits for a manager (the others go in).
        let discounts = (!by.is_manager())
            .then(|| self.sale_settings())
            .transpose()?;
        let closer = self.closer()?;
        let mut day_open = false;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (slip, input, resolved) in ready {
            let operator = input.operator.clone().unwrap_or_default();
            let priced = crate::sales::resolve_lines(&tx, &input).and_then(|mut i| {
                let cart = relais_core::price_cart(&i, &config.vat_rates)?;
                settle(&mut i, cart.total_cents);
                Ok(relais_core::price_sale(&i, &config.vat_rates)?)
            });
            let mut ticket = match priced {
                Ok(ticket) => ticket,
                Err(e) => {
                    reject(&mut report, slip, slip.rows[0].0, "", e.text());
                    continue;
                }
            };
            if let Some(what) = discounts
                .as_ref()
                .and_then(|settings| discounts_over(settings, &ticket))
            {
                let reason = text!(
                    fr: format!("{} : au-delà du seuil de la boutique, à saisir par un responsable", what.fr),
                    en: format!("{}: above the shop's threshold, to be keyed in by a manager", what.en),
                );
                reject(&mut report, slip, slip.rows[0].0, "remise", reason);
                continue;
            }
            ticket.late = Some(resolved.entry.clone());
            if let Some((existing, _)) = crate::sales::record_by_id(&tx, resolved.id)? {
                if existing.body == Body::Sale(ticket) && existing.operator == operator {
                    report.slips_already_entered += 1;
                } else {
                    let (number, day) = (&resolved.entry.slip, &resolved.day);
                    let existing = existing.number();
                    let reason = text!(
                        fr: "bordereau n° {number} du {day} déjà saisi ({existing}) avec un autre contenu",
                        en: "slip no. {number} of {day} already entered ({existing}) with other content",
                    );
                    reject(&mut report, slip, slip.rows[0].0, "bordereau", reason);
                }
                continue;
            }
            if let Some(existing) = late::existing_slip(&tx, &resolved.day, &resolved.entry.slip)? {
                let (number, day) = (&resolved.entry.slip, &resolved.day);
                let reason = text!(
                    fr: "bordereau n° {number} du {day} déjà saisi ({existing})",
                    en: "slip no. {number} of {day} already entered ({existing})",
                );
                reject(&mut report, slip, slip.rows[0].0, "bordereau", reason);
                continue;
            }
            if !day_open {
                // Slips keyed in while no day is open belong to the next Z like any ticket:
                // the first one opens the day, as a sale would.
                crate::day::ensure_day(&tx, &closer)?;
                day_open = true;
            }
            let day = days.entry(resolved.day.clone()).or_default();
            day.0 += 1;
            day.1 += ticket.total_cents.0;
            let new = NewRecord {
                id: resolved.id,
                operator,
                body: Body::Sale(ticket),
                business_day: Some(resolved.day.clone()),
            };
            append(&tx, &config, now, new)?;
            report.slips_recorded += 1;
        }
        report.days = days
            .into_iter()
            .map(|(business_day, (slips, total_cents))| PaperDay {
                business_day,
                slips,
                total_cents,
            })
            .collect();
        if options.dry_run || (options.strict && report.slips_rejected > 0) {
            tx.rollback()?;
            return Ok(report);
        }
        if report.slips_recorded > 0 {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let event = EventData::new(
                EventType::PaperImport,
                format!(
                    "Saisie a posteriori de {} ({name})",
                    plural::fr(
                        report.slips_recorded,
                        "bordereau papier",
                        "bordereaux papier"
                    )
                ),
                json!({"file": name, "recorded": report.slips_recorded, "already_entered": report.slips_already_entered,
                       "rejected": report.slips_rejected}),
            );
            append(
                &tx,
                &config,
                now,
                NewRecord::new(Body::Event(event), by.name()),
            )?;
        }
        tx.commit()?;
        self.after_commit();
        report.applied = true;
        Ok(report)
    }

    /// One slip as a late sale, or (line, column, reason) of its first bad cell.
    fn paper_sale(
        &self,
        config: &crate::TillConfig,
        date: &str,
        number: &str,
        slip: &Slip,
        cell: &dyn Fn(&[String], Column) -> String,
        by: &Actor,
    ) -> std::result::Result<SaleInput, (usize, &'static str, Text)> {
        let (first_line, first) = &slip.rows[0];
        if number.is_empty() {
            return Err((
                *first_line,
                "bordereau",
                text!(fr: "numéro de bordereau manquant", en: "slip number missing"),
            ));
        }
        if date.is_empty() {
            return Err((
                *first_line,
                "date",
                text!(fr: "date manquante", en: "date missing"),
            ));
        }
        let time = cell(first, Column::Time);
        let sold_at = if time.is_empty() {
            date.to_string()
        } else {
            format!("{date} {time}")
        };
        if late::parse_local(&sold_at).is_none() {
            return Err((
                *first_line,
                "date",
                text!(
                    fr: "date ou heure illisible « {sold_at} » (JJ/MM/AAAA HH:MM)",
                    en: "unreadable date or time {sold_at:?} (DD/MM/YYYY HH:MM)",
                ),
            ));
        }
        let mut lines = Vec::new();
        let mut method = None;
        let mut operator = None;
        for (line, cells) in &slip.rows {
            let bad = |column: &'static str, reason: Text| Err((*line, column, reason));
            let code = cell(cells, Column::Code);
            let label = cell(cells, Column::Label);
            if code.is_empty() && label.is_empty() {
                return bad(
                    "libelle",
                    text!(fr: "libellé ou code manquant", en: "label or code missing"),
                );
            }
            let qty = match cell(cells, Column::Qty) {
                q if q.is_empty() => None,
                q => match Qty::parse(&q) {
                    Ok(parsed) if parsed.0 > 0 => Some(QtyInput::Text(q)),
                    _ => {
                        return bad(
                            "quantite",
                            text!(fr: "quantité illisible « {q} »", en: "unreadable quantity {q:?}"),
                        )
                    }
                },
            };
            let price = match cell(cells, Column::Price) {
                p if p.is_empty() && !code.is_empty() => None,
                p => match parse_price(&p) {
                    Ok(m) if m.0 >= 0 => Some(m.0),
                    _ => {
                        return bad(
                            "prix",
                            text!(fr: "prix illisible « {p} »", en: "unreadable price {p:?}"),
                        )
                    }
                },
            };
            let vat = match cell(cells, Column::Vat) {
                v if v.is_empty() && !code.is_empty() => None,
                v if v.is_empty() => {
                    return bad(
                        "tva",
                        text!(fr: "taux de TVA manquant", en: "VAT rate missing"),
                    )
                }
                v => match parse_vat(&v).filter(|r| config.vat_rates.contains(r)) {
                    Some(rate) => Some(rate.0),
                    None => {
                        return bad(
                            "tva",
                            text!(
                                fr: "taux de TVA « {v} » inconnu de cette caisse",
                                en: "VAT rate {v:?} is not one of this till's",
                            ),
                        )
                    }
                },
            };
            let discount = match cell(cells, Column::Discount) {
                d if d.is_empty() => None,
                d => match parse_price(&d) {
                    Ok(m) => Some(m.0),
                    Err(_) => {
                        return bad(
                            "remise",
                            text!(fr: "remise illisible « {d} »", en: "unreadable discount {d:?}"),
                        )
                    }
                },
            };
            if method.is_none() {
                method = method_of(&cell(cells, Column::Method)).map(|(m, label)| {
                    (
                        m,
                        label.or_else(|| {
                            Some(cell(cells, Column::Reference)).filter(|r| !r.is_empty())
                        }),
                    )
                });
            }
            operator =
                operator.or_else(|| Some(cell(cells, Column::Operator)).filter(|o| !o.is_empty()));
            let is_code = !code.is_empty();
            lines.push(LineInput {
                label: Some(label).filter(|l| !l.is_empty()),
                barcode: is_code.then(|| code.clone()),
                qty,
                unit_price_cents: price,
                vat_rate_bp: vat,
                discount_cents: discount,
                ..LineInput::default()
            });
        }
        let (method, reference) = method.ok_or((
            *first_line,
            "paiement",
            text!(fr: "moyen de paiement manquant", en: "payment method missing"),
        ))?;
        // The record's operator is who keys the slip in; the seller written on it is kept
        // with the slip (they may not be staff of this till at all).
        let seller = operator;
        let operator = by.name().to_string();
        Ok(SaleInput {
            lines,
            // The slip's total is only known once priced; the store prices the lines and a
            // single payment then covers the total exactly.
            payments: vec![PaymentInput {
                method: method.code().into(),
                amount_cents: None,
                tendered_cents: None,
                reference,
            }],
            operator: Some(operator),
            late: Some(LateInput {
                sold_at,
                slip: number.to_string(),
                seller,
                allow_duplicate: false,
            }),
            ..SaleInput::default()
        })
    }
}

/// The amount of a slip's single payment is its total: filled in once the lines are priced.
pub(crate) fn settle(input: &mut SaleInput, total: Money) {
    for payment in &mut input.payments {
        if payment.amount_cents.is_none() && payment.tendered_cents.is_none() {
            payment.amount_cents = Some(total.0);
        }
    }
}

#[cfg(test)]
mod tests;
