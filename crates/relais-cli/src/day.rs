//! `relais day …`: open the day, move cash, X report, Z closure, monthly and yearly closures.

use crate::output::Out;
use crate::pin::approval;
use clap::Subcommand;
use relais_core::closure::{ClosurePeriod, DenominationCount, Direction, PeriodTotals};
use relais_core::text;
use relais_core::{Money, VatRate};
use relais_store::plural;
use relais_store::{CloseDayInput, ClosureReport, OpenDayInput, Store, StoreError, XReport};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DayCommand {
    /// Open the business day with the float counted by coin and note
    Open {
        /// Business date (default: today in the till's zone)
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// One coin or note counted: VALUE=COUNT in euros, e.g. --count 20=5 --count 0,50=4; repeatable
        #[arg(long = "count", value_name = "VALUE=COUNT")]
        counts: Vec<String>,
        /// Who opens the day
        #[arg(long)]
        operator: String,
    },
    /// The X report: the open day's figures so far (changes nothing)
    X {
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the X report on the receipt printer (changes nothing)
    PrintX,
    /// Print a closure on the receipt printer: NUMBER (T1-Z000003), else the latest
    PrintZ {
        /// The closure's number (default: the latest)
        number: Option<String>,
    },
    /// Put cash into the drawer (float top-up…)
    CashIn(Movement),
    /// Take cash out of the drawer (paid-out, bank deposit…)
    CashOut(Movement),
    /// Close the day (Z): count the drawer, type the card terminal's total
    Close {
        /// The drawer counted: VALUE=COUNT in euros; repeatable
        #[arg(long = "count", value_name = "VALUE=COUNT")]
        counts: Vec<String>,
        /// The card terminal's day total, from its batch ticket
        #[arg(long, value_name = "AMOUNT")]
        card_total: Option<String>,
        /// A note kept with the closure
        #[arg(long)]
        note: Option<String>,
        /// Who closes the day
        #[arg(long)]
        operator: String,
        /// A manager approving (PIN from RELAIS_MANAGER_PIN or asked on standard input)
        #[arg(long)]
        manager: Option<String>,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Close a month (YYYY-MM) from its closed days
    CloseMonth {
        /// The month: YYYY-MM
        month: String,
        /// Who closes it
        #[arg(long)]
        operator: String,
        /// A manager approving (PIN from RELAIS_MANAGER_PIN or asked on standard input)
        #[arg(long)]
        manager: Option<String>,
    },
    /// Close a year (YYYY) from its closed days
    CloseYear {
        /// The year: YYYY
        year: String,
        /// Who closes it
        #[arg(long)]
        operator: String,
        /// A manager approving (PIN from RELAIS_MANAGER_PIN or asked on standard input)
        #[arg(long)]
        manager: Option<String>,
    },
    /// Every closure written
    Closures {
        /// One JSON object per closure
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
pub struct Movement {
    /// Amount in euros: 15 or 15,50
    amount: String,
    /// Why the cash moves (on the X and Z reports)
    #[arg(long)]
    reason: String,
    /// paid_out, bank_deposit, float_top_up or other
    #[arg(long, default_value = "other")]
    category: String,
    /// Who moves the cash
    #[arg(long)]
    operator: String,
    /// A manager approving (PIN from RELAIS_MANAGER_PIN or asked on standard input)
    #[arg(long)]
    manager: Option<String>,
}

fn parse_counts(texts: &[String]) -> relais_store::Result<Vec<DenominationCount>> {
    texts
        .iter()
        .map(|text| {
            let bad = || {
                StoreError::Invalid(text!(
                    fr: "--count « {text} » : VALEUR=NOMBRE attendu, par exemple 20=5 ou 0,50=4",
                    en: "--count {text:?}: expected VALUE=COUNT, e.g. 20=5 or 0.50=4",
                ))
            };
            let (value, count) = text.split_once('=').ok_or_else(bad)?;
            let value = Money::parse(value).map_err(|_| bad())?;
            let count: u32 = count.trim().parse().map_err(|_| bad())?;
            Ok(DenominationCount {
                value_cents: value.0,
                count,
            })
        })
        .collect()
}

fn money(text: &str, flag: &str) -> relais_store::Result<Money> {
    Money::parse(text).map_err(|e| {
        StoreError::Invalid(text!(
            fr: format!("{flag} « {text} » : {}", e.text().fr),
            en: "{flag} {text:?}: {e}",
        ))
    })
}

pub fn run(command: DayCommand, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    match command {
        DayCommand::Open {
            date,
            counts,
            operator,
        } => {
            let input = OpenDayInput {
                business_day: date,
                denominations: parse_counts(&counts)?,
                operator,
            };
            let by = store.actor(&input.operator)?;
            out.recorded(&store.open_day(&input, &by)?);
        }
        DayCommand::X { json } => {
            let report = store.x_report()?;
            if json {
                println!("{}", serde_json::to_string(&report).expect("serialisable"));
            } else {
                print!("{}", x_text(&report));
            }
        }
        DayCommand::PrintX => {
            return crate::printer::print_report(&store.x_report_doc()?, store, out)
        }
        DayCommand::PrintZ { number } => {
            let doc = store.closure_doc(number.as_deref())?;
            return crate::printer::print_report(&doc, store, out);
        }
        DayCommand::CashIn(m) => movement(store, out, Direction::In, m)?,
        DayCommand::CashOut(m) => movement(store, out, Direction::Out, m)?,
        DayCommand::Close {
            counts,
            card_total,
            note,
            operator,
            manager,
            json,
        } => {
            let input = CloseDayInput {
                counted: (!counts.is_empty())
                    .then(|| parse_counts(&counts))
                    .transpose()?,
                card_terminal_cents: card_total
                    .map(|t| money(&t, "--card-total").map(|m| m.0))
                    .transpose()?,
                note,
                operator,
                approval: approval(manager)?,
            };
            let by = store.manager_named(&input.operator, input.approval.as_ref())?;
            let report = store.close_day(&input, &by)?;
            if json {
                println!("{}", serde_json::to_string(&report).expect("serialisable"));
            } else {
                print!("{}", z_text(&report));
            }
        }
        DayCommand::CloseMonth {
            month,
            operator,
            manager,
        } => {
            let by = store.manager_named(&operator, approval(manager)?.as_ref())?;
            let report = store.close_period(ClosurePeriod::Month, &month, &by)?;
            print!("{}", z_text(&report));
        }
        DayCommand::CloseYear {
            year,
            operator,
            manager,
        } => {
            let by = store.manager_named(&operator, approval(manager)?.as_ref())?;
            let report = store.close_period(ClosurePeriod::Year, &year, &by)?;
            print!("{}", z_text(&report));
        }
        DayCommand::Closures { json } => {
            for report in store.closures()? {
                if json {
                    println!("{}", serde_json::to_string(&report).expect("serialisable"));
                } else {
                    let c = &report.closure;
                    println!(
                        "{}  {:<5}  {} → {}  total {:>10} €  cumul {:>12} €{}",
                        report.number,
                        c.period.code(),
                        c.first_day,
                        c.last_day,
                        c.totals.total_cents,
                        c.perpetual_total_cents,
                        if c.automatic { "  (automatique)" } else { "" }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn movement(
    store: &mut Store,
    out: &Out,
    direction: Direction,
    m: Movement,
) -> relais_store::Result<()> {
    let amount = money(&m.amount, "AMOUNT")?;
    let approval = approval(m.manager)?;
    let by = store.manager_named(&m.operator, approval.as_ref())?;
    let recorded = store.cash_movement(direction, amount.0, &m.category, &m.reason, &by)?;
    out.recorded(&recorded);
    Ok(())
}

/// The figures of a period as printed on X and Z reports.
fn totals_text(t: &PeriodTotals) -> String {
    let mut s = String::new();
    let mut line = |text: String| {
        s.push_str(&text);
        s.push('\n');
    };
    line(format!(
        "Ventes : {}   Remboursements : {}   Annulations : {}",
        t.sales, t.refunds, t.voids
    ));
    line(format!("Total des ventes        {:>12} €", t.sales_cents));
    line(format!("Remboursements          {:>12} €", t.refunds_cents));
    line(format!("Annulations             {:>12} €", t.voids_cents));
    line(format!("TOTAL NET TTC           {:>12} €", t.total_cents));
    line(format!(
        "Remises accordées       {:>12} €",
        t.discounts_cents
    ));
    line("TVA        HT             TVA            TTC".into());
    for v in &t.vat {
        line(format!(
            "{:<7}{:>12}{:>15}{:>15}",
            VatRate::to_string(&v.rate_bp),
            v.ht_cents.to_string(),
            v.vat_cents.to_string(),
            v.ttc_cents.to_string()
        ));
    }
    line("Moyens de paiement".into());
    for tender in &t.tenders {
        line(format!(
            "  {:<18} ({:>3})  {:>12} €",
            tender.method.label_fr(),
            tender.count,
            tender.amount_cents
        ));
    }
    if t.deposits_received_cents.0 != 0 || t.deposits_refunded_cents.0 != 0 {
        line(format!(
            "Acomptes de commandes (hors chiffre d'affaires) : reçus {} €, remboursés {} €",
            t.deposits_received_cents, t.deposits_refunded_cents
        ));
        for tender in &t.deposit_tenders {
            line(format!(
                "  {:<18} ({:>3})  {:>12} €",
                tender.method.label_fr(),
                tender.count,
                tender.amount_cents
            ));
        }
    }
    if t.vouchers_sold_cents.0 != 0
        || t.avoirs_issued_cents.0 != 0
        || t.avoirs_redeemed_cents.0 != 0
        || t.external_vouchers_cents.0 != 0
    {
        line(format!(
            "Avoirs et bons (hors chiffre d'affaires) : bons vendus {} €, avoirs émis {} €, utilisés {} €, bons externes non vérifiés {} €",
            t.vouchers_sold_cents, t.avoirs_issued_cents, t.avoirs_redeemed_cents, t.external_vouchers_cents
        ));
        for tender in &t.voucher_tenders {
            line(format!(
                "  {:<18} ({:>3})  {:>12} €",
                tender.method.label_fr(),
                tender.count,
                tender.amount_cents
            ));
        }
    }
    if t.late_entries > 0 {
        line(format!(
            "Dont saisies a posteriori (papier) : {}, {} €",
            plural::fr(t.late_entries, "ticket", "tickets"),
            t.late_total_cents
        ));
    }
    line(format!(
        "Caisse : fond {} + espèces {} + entrées {} − sorties {} = attendu {} €",
        t.float_cents,
        t.tender(relais_core::Method::Cash)
            .checked_add(t.deposit_tender(relais_core::Method::Cash))
            .unwrap_or_default(),
        t.cash_in_cents,
        t.cash_out_cents,
        t.expected_cash_cents
    ));
    if t.drawer_openings > 0 {
        line(format!(
            "Ouvertures du tiroir sans vente : {}",
            t.drawer_openings
        ));
    }
    if !t.cheques.is_empty() {
        line(format!("Chèques ({}) :", t.cheques.len()));
        for c in &t.cheques {
            line(format!(
                "  {}  n° {:<12} {:>10} €",
                c.ticket,
                c.number.as_deref().unwrap_or("?"),
                c.amount_cents
            ));
        }
    }
    s
}

fn x_text(report: &XReport) -> String {
    let title = match &report.business_day {
        Some(day) => format!(
            "RAPPORT X — journée du {day}{}\n",
            if report.automatic_opening {
                " (ouverte automatiquement : fond de caisse à compter)"
            } else {
                ""
            }
        ),
        None => "RAPPORT X — aucune journée ouverte\n".to_string(),
    };
    title
        + &totals_text(&report.totals)
        + &format!(
            "Encours des avoirs et bons de cette caisse : {} €\n",
            relais_core::Money(report.avoirs_outstanding_cents)
        )
}

fn z_text(report: &ClosureReport) -> String {
    let c = &report.closure;
    let period = match c.period {
        ClosurePeriod::Day => format!("CLÔTURE Z {} — journée du {}", report.number, c.first_day),
        ClosurePeriod::Month => format!(
            "CLÔTURE MENSUELLE {} — {} au {}",
            report.number, c.first_day, c.last_day
        ),
        ClosurePeriod::Year => format!(
            "CLÔTURE ANNUELLE {} — {} au {}",
            report.number, c.first_day, c.last_day
        ),
    };
    let mut s = format!("{period}\n{}", totals_text(&c.totals));
    for earlier in &c.earlier_days {
        s += &format!(
            "Saisies a posteriori pour le {} : {}, {} € (ajoutés au grand total)\n",
            earlier.business_day,
            plural::fr(earlier.tickets, "ticket", "tickets"),
            earlier.total_cents
        );
    }
    if let Some(count) = &c.cash_count {
        s += &format!(
            "Espèces comptées {} € — écart {} €\n",
            count.counted_cents, count.variance_cents
        );
    }
    if let Some(card) = &c.card_check {
        s += &format!(
            "Total du terminal carte {} € — écart {} €\n",
            card.terminal_total_cents, card.variance_cents
        );
    }
    if let Some(a) = &c.avoirs {
        s += &format!(
            "Avoirs et bons de cette caisse : encours précédent {} € + émis {} € + bons vendus {} € − utilisés ici {} € − expirés {} € = encours à la clôture {} €\n",
            a.opening_cents, a.issued_cents, a.sold_cents, a.redeemed_cents, a.expired_cents, a.outstanding_cents
        );
    }
    s += &format!(
        "Grand total perpétuel {} € — en valeur absolue {} €\nSignature Ed25519 {}…\n",
        c.perpetual_total_cents,
        c.perpetual_abs_total_cents,
        &c.signature.value[..16]
    );
    s
}
