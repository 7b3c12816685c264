//! `relais order …`: customer orders with deposits, from JSON in, JSON or text out.

use crate::output::Out;
use crate::pin::approval;
use clap::Subcommand;
use relais_core::order::{OrderInput, OrderStatus};
use relais_core::sale::PaymentInput;
use relais_core::text;
use relais_core::Money;
use relais_store::{OrderFilter, OrderView, SaleOptions, Store, StoreError};
use std::io::Read;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum OrderCommand {
    /// Take an order from a JSON file or standard input (-); see docs/CLI.md
    Create {
        /// The JSON file, or - for standard input
        file: String,
        /// Operator when the order names none
        #[arg(long)]
        operator: Option<String>,
    },
    /// The orders, newest first
    List {
        /// Name, phone, e-mail or number, in part
        #[arg(long)]
        search: Option<String>,
        /// open, ready, collected or cancelled
        #[arg(long)]
        status: Option<String>,
        /// Requested on this day (YYYY-MM-DD)
        #[arg(long)]
        date: Option<String>,
        /// Open or ready orders due today or earlier
        #[arg(long)]
        today: bool,
        /// One JSON object per order
        #[arg(long)]
        json: bool,
    },
    /// One order with its history
    Show {
        /// Order number, e.g. T1-C000003
        number: String,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Change an order's status: ready, collected (the balance is paid), cancelled
    Status {
        /// Order number, e.g. T1-C000003
        number: String,
        /// ready, collected or cancelled
        status: String,
        /// collected: the balance, as METHOD:AMOUNT (cash:28,00 or card:28,00); repeatable;
        /// cash may be cash:AMOUNT:TENDERED for change; an avoir store_credit:AMOUNT:CODE (its
        /// code or number), a voucher voucher:AMOUNT:CODE
        #[arg(long = "pay", value_name = "METHOD:AMOUNT")]
        pay: Vec<String>,
        /// collected: the voucher payments are vouchers of the SaaS accepted blind (« bon
        /// externe non vérifié »; a manager approves above the shop's threshold)
        #[arg(long)]
        external: bool,
        /// collected: a manager lets expired avoirs pay (with --manager, or a manager's own)
        #[arg(long)]
        allow_expired: bool,
        /// cancelled: refund the deposit by this method (else it is kept as store credit)
        #[arg(long)]
        refund: Option<String>,
        /// Why (required to cancel)
        #[arg(long)]
        reason: Option<String>,
        /// Who changes it
        #[arg(long)]
        operator: String,
        /// A manager approving a cancellation, or at collection an expired avoir, a voucher of
        /// the SaaS above the threshold, the order's discount above the threshold (PIN from
        /// RELAIS_MANAGER_PIN or asked on standard input)
        #[arg(long)]
        manager: Option<String>,
        /// As JSON lines: the collecting sale, if any, then the order
        #[arg(long)]
        json: bool,
    },
    /// Print an order's slip on the receipt printer (changes nothing)
    Print {
        /// Order number, e.g. T1-C000003
        number: String,
    },
}

fn status_of(text: &str) -> relais_store::Result<OrderStatus> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase())).map_err(|_| {
        StoreError::Invalid(text!(
            fr: "état « {text} » : open (en cours), ready (prête), collected (retirée) ou cancelled (annulée)",
            en: "status {text:?}: open, ready, collected or cancelled",
        ))
    })
}

pub(crate) fn payment_of(text: &str) -> relais_store::Result<PaymentInput> {
    let bad = || {
        StoreError::Invalid(text!(
            fr: "--pay « {text} » : MOYEN:MONTANT[:REMIS] attendu, par exemple cash:28,00:30",
            en: "--pay {text:?}: expected METHOD:AMOUNT[:TENDERED], e.g. cash:28.00:30",
        ))
    };
    let mut parts = text.splitn(3, ':');
    let method = parts.next().filter(|m| !m.is_empty()).ok_or_else(bad)?;
    let amount = Money::parse(parts.next().ok_or_else(bad)?).map_err(|_| bad())?;
    // An avoir's or a voucher's third part is its code (which may hold no colon); cash's,
    // what was tendered.
    let coded = matches!(method.trim(), "store_credit" | "voucher");
    let (tendered, reference) = match (parts.next(), coded) {
        (None, _) => (None, None),
        (Some(code), true) => (None, Some(code.to_string())),
        (Some(t), false) => (Some(Money::parse(t).map_err(|_| bad())?), None),
    };
    Ok(PaymentInput {
        method: method.into(),
        amount_cents: Some(amount.0),
        tendered_cents: tendered.map(|t| t.0),
        reference,
    })
}

pub fn run(command: OrderCommand, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    match command {
        OrderCommand::Create { file, operator } => {
            let mut text = String::new();
            let read = if file == "-" {
                std::io::stdin().read_to_string(&mut text)
            } else {
                std::fs::File::open(&file).and_then(|mut f| f.read_to_string(&mut text))
            };
            read.map_err(|e| StoreError::io(&file, e))?;
            let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                StoreError::Invalid(text!(
                    fr: "{file} : JSON illisible ({e})",
                    en: "{file}: JSON: {e}",
                ))
            })?;
            let input: OrderInput = serde_path_to_error::deserialize(value).map_err(|e| {
                let (path, inner) = (e.path(), e.inner());
                StoreError::Invalid(
                    text!(fr: "{file} : {path} : {inner}", en: "{file}: {path}: {inner}"),
                )
            })?;
            let by = store.order_actor(&input, operator.as_deref())?;
            print_order(&store.create_order(&input, &by)?, true, out);
        }
        OrderCommand::List {
            search,
            status,
            date,
            today,
            json,
        } => {
            let filter = OrderFilter {
                search,
                status: status.as_deref().map(status_of).transpose()?,
                requested_date: date,
                to_prepare_today: today,
            };
            for order in store.orders(&filter)? {
                if json {
                    println!("{}", serde_json::to_string(&order).expect("serialisable"));
                } else {
                    println!(
                        "{}  {:<10}  {:<24} {:<14} pour le {:<10}  total {:>9} €  reste {:>9} €",
                        order.number,
                        order.status.label_fr(),
                        order.customer.name,
                        order.customer.phone.as_deref().unwrap_or(""),
                        order.requested_date.as_deref().unwrap_or("?"),
                        Money(order.total_cents),
                        Money(order.balance_cents)
                    );
                }
            }
        }
        OrderCommand::Show { number, json } => print_order(&store.order(&number)?, json, out),
        OrderCommand::Status {
            number,
            status,
            pay,
            external,
            allow_expired,
            refund,
            reason,
            operator,
            manager,
            json,
        } => {
            let status = status_of(&status)?;
            let by = store.actor(&operator)?;
            let order = match status {
                OrderStatus::Ready => store.order_ready(&number, reason, &by)?,
                OrderStatus::Collected => {
                    let payments = pay
                        .iter()
                        .map(|p| payment_of(p))
                        .collect::<relais_store::Result<Vec<_>>>()?;
                    let options = SaleOptions {
                        allow_expired,
                        external_vouchers: (payments.iter().enumerate())
                            .filter(|(_, p)| external && p.method.trim() == "voucher")
                            .map(|(index, _)| index)
                            .collect(),
                        approval: approval(manager)?,
                    };
                    let sale = store.collect_order(&number, &payments, &options, &by)?;
                    out.recorded(&sale);
                    store.order(&number)?
                }
                OrderStatus::Cancelled => {
                    let reason = reason.ok_or_else(|| {
                        StoreError::Invalid(text!(
                            fr: "--reason est obligatoire pour annuler une commande",
                            en: "--reason is required to cancel",
                        ))
                    })?;
                    store.cancel_order(
                        &number,
                        refund.as_deref(),
                        &reason,
                        &by,
                        approval(manager)?.as_ref(),
                    )?
                }
                OrderStatus::Open => {
                    return Err(StoreError::Invalid(text!(
                        fr: "une commande ne peut pas revenir à l'état « en cours »",
                        en: "an order cannot go back to open",
                    )))
                }
            };
            print_order(&order, json, out);
        }
        OrderCommand::Print { number } => {
            let doc = store.order_slip_doc(&number)?;
            return crate::printer::print_order_slip(&doc, store, out);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_order(order: &OrderView, json: bool, _out: &Out) {
    if json {
        println!("{}", serde_json::to_string(order).expect("serialisable"));
        return;
    }
    println!(
        "Commande {} — {} — {}",
        order.number,
        order.status.label_fr(),
        order.customer.name
    );
    for line in &order.lines {
        println!(
            "  {:<36} {:>6} x {:>8}  {:>9} €",
            line.label,
            line.qty,
            Money(line.unit_price_cents),
            Money(line.total_cents)
        );
    }
    println!(
        "  Total {} € — acomptes {} € — reste {} €",
        Money(order.total_cents),
        Money(order.deposits_cents),
        Money(order.balance_cents)
    );
    for h in &order.history {
        println!(
            "  {}  {}  {}  [{}]",
            h.local_time, h.number, h.what, h.operator
        );
    }
}
