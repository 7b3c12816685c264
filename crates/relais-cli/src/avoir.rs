//! `relais avoir …`: avoirs and gift vouchers, the same store code as the app's.

use crate::order::payment_of;
use crate::output::Out;
use crate::pin::approval;
use clap::Subcommand;
use relais_core::{text, Money};
use relais_store::{
    AvoirSettings, AvoirView, ExternalVoucherInput, ExternalVoucherView, IssueAvoirInput,
    RedeemInput, SellVoucherInput, Store, StoreError,
};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum AvoirCommand {
    /// Issue the avoir of a refund made to store credit, or of a cancelled order's deposit
    Issue {
        /// The refund (T1-000043) or the cancelled order (T1-C000002)
        from: String,
        /// Who does it (journaled)
        #[arg(long)]
        operator: String,
        /// A manager approving (when the shop requires it; PIN from RELAIS_MANAGER_PIN)
        #[arg(long)]
        manager: Option<String>,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Sell a gift voucher (not turnover): AMOUNT paid with --pay METHOD:AMOUNT[:TENDERED]
    Sell {
        /// The voucher's amount, e.g. 50 or 25,50
        amount: String,
        /// A payment, e.g. cash:30 or card:25 (repeatable)
        #[arg(long = "pay", value_name = "METHOD:AMOUNT[:TENDERED]", required = true)]
        pay: Vec<String>,
        /// Who does it (journaled)
        #[arg(long)]
        operator: String,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// One avoir with its balance and uses: its code, or this till's number (T1-V000001)
    Show {
        /// Its code (AV1-…) or number (T1-V000001)
        code: String,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Every avoir and voucher this till knows, with its balance; --external: the external vouchers
    List {
        /// The external vouchers accepted instead
        #[arg(long)]
        external: bool,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Spend AMOUNT of an avoir (its code or this till's number) outside a sale's payment
    Redeem {
        /// Its code (AV1-…) or number (T1-V000001)
        code: String,
        /// The amount, e.g. 25 or 12,50
        amount: String,
        /// The sale it pays (T1-000044)
        #[arg(long)]
        sale: Option<String>,
        /// Accept it although expired (a manager's override)
        #[arg(long)]
        expired: bool,
        /// Who does it (journaled)
        #[arg(long)]
        operator: String,
        /// A manager approving (PIN: RELAIS_MANAGER_PIN)
        #[arg(long)]
        manager: Option<String>,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Accept a voucher of the SaaS blind (« bon externe non vérifié »)
    External {
        /// Its code (AV1-…) or number (T1-V000001)
        code: String,
        /// The amount, e.g. 25 or 12,50
        amount: String,
        /// The sale it pays (T1-000044)
        #[arg(long)]
        sale: Option<String>,
        /// Who does it (journaled)
        #[arg(long)]
        operator: String,
        /// A manager approving, above the shop's threshold
        #[arg(long)]
        manager: Option<String>,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Import the public key of another till of the shop (`relais key` there)
    KeyImport {
        /// The other till, e.g. T2
        till: String,
        /// Its public key in hex (relais key)
        public_key: String,
        /// Who does it (journaled)
        #[arg(long)]
        operator: String,
    },
    /// Show the shop's avoir rules, or change them (a manager)
    Settings {
        /// Days an avoir stays valid
        #[arg(long, value_name = "DAYS")]
        validity_days: Option<u32>,
        /// Issuing needs a manager: true or false
        #[arg(long, value_name = "BOOL")]
        issue_needs_manager: Option<bool>,
        /// Manager above this external amount
        #[arg(long, value_name = "AMOUNT")]
        external_threshold: Option<String>,
        /// A manager changing them (else shown)
        #[arg(long)]
        operator: Option<String>,
        /// As JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the slip of one of this till's avoirs on the receipt printer (QR of its code)
    Print {
        /// Its number, e.g. T1-V000001, or its code
        number: String,
    },
}

/// Whether the command writes to the ledger.
pub fn writes(command: &AvoirCommand) -> bool {
    match command {
        AvoirCommand::Show { .. } | AvoirCommand::List { .. } | AvoirCommand::Print { .. } => false,
        AvoirCommand::Settings { operator, .. } => operator.is_some(),
        _ => true,
    }
}

fn amount_of(text: &str) -> relais_store::Result<i64> {
    Money::parse(text).map(|m| m.0).map_err(|_| {
        StoreError::Invalid(text!(
            fr: "montant « {text} » illisible (par exemple 25,50)",
            en: "unreadable amount {text:?} (e.g. 25.50)",
        ))
    })
}

pub fn run(command: AvoirCommand, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    match command {
        AvoirCommand::Issue {
            from,
            operator,
            manager,
            json,
        } => {
            let input = IssueAvoirInput {
                from,
                operator,
                approval: approval(manager)?,
            };
            let by = store.actor(&input.operator)?;
            print_avoir(&store.issue_avoir(&input, &by)?, json, out);
        }
        AvoirCommand::Sell {
            amount,
            pay,
            operator,
            json,
        } => {
            let payments = pay
                .iter()
                .map(|p| payment_of(p))
                .collect::<relais_store::Result<Vec<_>>>()?;
            let input = SellVoucherInput {
                amount_cents: amount_of(&amount)?,
                payments,
                operator,
            };
            let by = store.actor(&input.operator)?;
            print_avoir(&store.sell_voucher(&input, &by)?, json, out);
        }
        AvoirCommand::Show { code, json } => print_avoir(&store.avoir(&code)?, json, out),
        AvoirCommand::Print { number } => {
            return crate::printer::print_avoir_slip(&store.avoir_slip_doc(&number)?, store, out)
        }
        AvoirCommand::List {
            external: true,
            json,
        } => {
            for voucher in store.external_vouchers()? {
                print_external(&voucher, json, out);
            }
        }
        AvoirCommand::List { json, .. } => list(store, json, out)?,
        AvoirCommand::Redeem {
            code,
            amount,
            sale,
            expired,
            operator,
            manager,
            json,
        } => {
            let input = RedeemInput {
                code,
                amount_cents: amount_of(&amount)?,
                sale,
                allow_expired: expired,
                operator,
                approval: approval(manager)?,
            };
            let by = store.actor(&input.operator)?;
            print_avoir(&store.redeem_avoir(&input, &by)?, json, out);
        }
        AvoirCommand::External {
            code,
            amount,
            sale,
            operator,
            manager,
            json,
        } => {
            let input = ExternalVoucherInput {
                code,
                amount_cents: amount_of(&amount)?,
                sale,
                operator,
                approval: approval(manager)?,
            };
            let by = store.actor(&input.operator)?;
            print_external(&store.accept_external_voucher(&input, &by)?, json, out);
        }
        AvoirCommand::KeyImport {
            till,
            public_key,
            operator,
        } => {
            let by = store.own_manager(&operator)?;
            store.import_till_key(&till, &public_key, &by)?;
            println!("{}", out.text(text!(
                fr: format!("Clé de la caisse {} importée : ses avoirs sont acceptés ici.", till.to_uppercase()),
                en: format!("Key of till {} imported: its avoirs are accepted here.", till.to_uppercase()),
            )));
        }
        AvoirCommand::Settings {
            validity_days,
            issue_needs_manager,
            external_threshold,
            operator,
            json,
        } => {
            let mut settings = store.avoir_settings()?;
            if let Some(operator) = operator {
                settings = AvoirSettings {
                    validity_days: validity_days.unwrap_or(settings.validity_days),
                    issue_needs_manager: issue_needs_manager
                        .unwrap_or(settings.issue_needs_manager),
                    external_approval_cents: match external_threshold {
                        Some(t) => amount_of(&t)?,
                        None => settings.external_approval_cents,
                    },
                };
                let by = store.own_manager(&operator)?;
                store.set_avoir_settings(&settings, &by)?;
            }
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&settings).expect("serialisable")
                );
            } else {
                println!("{}", out.text(text!(
                    fr: format!("Avoirs valables {} jours ; émission par un responsable : {} ; bons externes approuvés au-delà de {} €", settings.validity_days, if settings.issue_needs_manager { "oui" } else { "non" }, out.money(settings.external_approval_cents)),
                    en: format!("Avoirs valid {} days; issue needs a manager: {}; external vouchers approved above {}", settings.validity_days, settings.issue_needs_manager, out.money(settings.external_approval_cents)),
                )));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list(store: &Store, json: bool, out: &Out) -> relais_store::Result<()> {
    let avoirs = store.avoirs()?;
    for avoir in &avoirs {
        if json {
            println!("{}", serde_json::to_string(avoir).expect("serialisable"));
        } else {
            println!(
                "{}  {:<9} {:>9} €  {} {:>9} €  {} {}",
                avoir.number,
                avoir.status.label_fr(),
                out.money(avoir.amount_cents),
                out.text(text!(fr: "reste", en: "left")),
                out.money(avoir.balance_cents),
                out.text(text!(fr: "jusqu'au", en: "until")),
                avoir.expires
            );
        }
    }
    if !json {
        println!(
            "{} {} €",
            out.text(text!(fr: "Encours (avoirs et bons de cette caisse non utilisés) :", en: "Outstanding (this till's avoirs and vouchers not spent):")),
            out.money(store.avoirs_outstanding()?.0)
        );
    }
    Ok(())
}

pub(crate) fn print_avoir(avoir: &AvoirView, json: bool, out: &Out) {
    if json {
        println!("{}", serde_json::to_string(avoir).expect("serialisable"));
        return;
    }
    println!(
        "{}  {}  {} €, {} {} €, {} {} ({})",
        avoir.number,
        avoir.origin.map(|o| o.label_fr()).unwrap_or("Avoir"),
        out.money(avoir.amount_cents),
        out.text(text!(fr: "reste", en: "left")),
        out.money(avoir.balance_cents),
        out.text(text!(fr: "valable jusqu'au", en: "valid until")),
        avoir.expires,
        avoir.status.label_fr(),
    );
    for used in &avoir.uses {
        println!(
            "  {}  {}  −{} €  {} {} €{}",
            used.number,
            used.local_time,
            out.money(used.amount_cents),
            out.text(text!(fr: "reste", en: "left")),
            out.money(used.balance_cents),
            used.sale
                .as_deref()
                .map(|s| format!("  ({s})"))
                .unwrap_or_default()
        );
    }
    if let Some(code) = &avoir.code {
        println!("{} {code}", out.text(text!(fr: "Code :", en: "Code:")));
    }
}

fn print_external(voucher: &ExternalVoucherView, json: bool, out: &Out) {
    if json {
        println!("{}", serde_json::to_string(voucher).expect("serialisable"));
        return;
    }
    println!(
        "{}  {}  {} €  {}{}",
        voucher.number,
        voucher.code,
        out.money(voucher.amount_cents),
        out.text(text!(fr: "bon externe non vérifié", en: "external voucher, not verified")),
        voucher
            .approved_by
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default()
    );
}
