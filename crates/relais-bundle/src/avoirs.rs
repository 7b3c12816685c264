//! Avoirs and vouchers across the records of a bundle (one till, or a shop's merged tills):
//! each avoir's amount, what was spent of it at which till, its balance, and the external
//! vouchers accepted blind. A balance below zero is an avoir spent beyond its amount at two
//! tills during the outage: the merge reports it (docs/EXPORT-FORMAT.md, `avoirs.csv`).

use crate::error::Result;
use crate::tables::{self, Cell, Table};
use crate::BundleFile;
use relais_core::avoir::UseSource;
use relais_core::record::{Body, Record};
use relais_core::Money;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, Default)]
struct Spent {
    number: String,
    till: String,
    local_time: String,
    amount: Money,
    sale: String,
}

#[derive(Debug, Clone, Default)]
struct Entry {
    /// Its `avoir` record is in the bundle.
    issued: bool,
    origin: String,
    from: String,
    issued_local: String,
    amount: Money,
    expires: String,
    uses: Vec<Spent>,
}

/// What the pass over the records gathers of avoirs.
#[derive(Debug, Clone, Default)]
pub struct AvoirBook {
    avoirs: BTreeMap<String, Entry>,
    external: Vec<(Spent, String, String)>,
}

/// An avoir spent beyond its amount, across tills.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AvoirConflict {
    pub avoir: String,
    #[ts(type = "number")]
    pub amount_cents: i64,
    #[ts(type = "number")]
    pub spent_cents: i64,
    /// The tills that spent it, in the order of their uses.
    pub tills: Vec<String>,
    pub what: String,
    pub what_fr: String,
}

impl AvoirBook {
    pub fn take(&mut self, record: &Record, local_time: &str) {
        match &record.body {
            Body::Avoir(avoir) => {
                let entry = self.avoirs.entry(record.number()).or_default();
                entry.issued = true;
                entry.origin = avoir.origin.code().to_string();
                entry.from = avoir
                    .from
                    .as_ref()
                    .map(|l| l.number.clone())
                    .unwrap_or_default();
                entry.issued_local = local_time.to_string();
                entry.amount = avoir.amount_cents;
                entry.expires = avoir.expires.clone();
            }
            Body::AvoirUse(used) => {
                let spent = Spent {
                    number: record.number(),
                    till: record.till.clone(),
                    local_time: local_time.to_string(),
                    amount: used.amount_cents,
                    sale: used
                        .sale
                        .as_ref()
                        .map(|l| l.number.clone())
                        .unwrap_or_default(),
                };
                match used.source {
                    UseSource::Avoir => {
                        let entry = self.avoirs.entry(used.voucher.clone()).or_default();
                        if !entry.issued {
                            entry.amount = used.issued_cents.unwrap_or(entry.amount);
                            entry.expires = used.expires.clone().unwrap_or_default();
                        }
                        entry.uses.push(spent);
                    }
                    UseSource::External => self.external.push((
                        spent,
                        used.voucher.clone(),
                        used.approved_by.clone().unwrap_or_default(),
                    )),
                }
            }
            _ => {}
        }
    }

    fn spent(entry: &Entry) -> Money {
        Money(entry.uses.iter().map(|u| u.amount.0).sum())
    }

    /// What is left on the avoirs issued within the bundle (the shop's liability).
    pub fn outstanding(&self) -> Money {
        Money(
            self.avoirs
                .values()
                .filter(|e| e.issued)
                .map(|e| (e.amount.0 - AvoirBook::spent(e).0).max(0))
                .sum(),
        )
    }

    /// Issued, spent and external totals: (issued, spent, external).
    pub fn totals(&self) -> (Money, Money, Money) {
        let issued = self
            .avoirs
            .values()
            .filter(|e| e.issued)
            .map(|e| e.amount.0)
            .sum();
        let spent = self.avoirs.values().map(|e| AvoirBook::spent(e).0).sum();
        let external = self.external.iter().map(|(s, _, _)| s.amount.0).sum();
        (Money(issued), Money(spent), Money(external))
    }

    /// The avoirs spent beyond their amount.
    pub fn conflicts(&self) -> Vec<AvoirConflict> {
        self.avoirs
            .iter()
            .filter(|(_, e)| AvoirBook::spent(e) > e.amount)
            .map(|(number, e)| {
                let spent = AvoirBook::spent(e);
                let mut tills: Vec<String> = Vec::new();
                for u in &e.uses {
                    if !tills.contains(&u.till) {
                        tills.push(u.till.clone());
                    }
                }
                let at = tills.join(", ");
                AvoirConflict {
                    avoir: number.clone(),
                    amount_cents: e.amount.0,
                    spent_cents: spent.0,
                    what: format!(
                        "avoir {number} of {} spent {} (tills {at}): {} too much",
                        e.amount.decimal('.'),
                        spent.decimal('.'),
                        Money(spent.0 - e.amount.0).decimal('.')
                    ),
                    what_fr: format!(
                        "avoir {number} de {} € utilisé pour {} € (caisses {at}) : {} € de trop",
                        e.amount,
                        spent,
                        Money(spent.0 - e.amount.0)
                    ),
                    tills,
                }
            })
            .collect()
    }
}

pub const AVOIRS: &[&str] = &[
    "number",
    "origin",
    "from",
    "issued_local",
    "amount",
    "expires",
    "redeemed",
    "balance",
    "uses",
    "tills",
    "overspent",
];
pub const AVOIR_USES: &[&str] = &["avoir", "number", "till", "local_time", "amount", "sale"];
pub const EXTERNAL_VOUCHERS: &[&str] = &[
    "number",
    "till",
    "local_time",
    "code",
    "amount",
    "sale",
    "approved_by",
];

/// avoirs.csv, avoir_uses.csv and external_vouchers.csv, in both dialects.
pub fn write_avoirs(folder: &Path, book: &AvoirBook) -> Result<Vec<BundleFile>> {
    let mut avoirs = Table::create(folder, "avoirs.csv", AVOIRS)?;
    let mut uses = Table::create(folder, "avoir_uses.csv", AVOIR_USES)?;
    let mut external = Table::create(folder, "external_vouchers.csv", EXTERNAL_VOUCHERS)?;
    for (number, e) in &book.avoirs {
        let spent = AvoirBook::spent(e);
        let mut tills: Vec<&str> = e.uses.iter().map(|u| u.till.as_str()).collect();
        tills.dedup();
        avoirs.row(&[
            number.clone().into(),
            e.origin.clone().into(),
            e.from.clone().into(),
            Cell::local_time(e.issued_local.as_str()),
            e.amount.into(),
            e.expires.clone().into(),
            spent.into(),
            Money(e.amount.0 - spent.0).into(),
            Cell::Int(e.uses.len() as i64),
            tills.join("+").into(),
            (spent > e.amount).to_string().into(),
        ])?;
        for u in &e.uses {
            uses.row(&[
                number.clone().into(),
                u.number.clone().into(),
                u.till.clone().into(),
                Cell::local_time(u.local_time.as_str()),
                u.amount.into(),
                u.sale.clone().into(),
            ])?;
        }
    }
    for (u, code, approved_by) in &book.external {
        external.row(&[
            u.number.clone().into(),
            u.till.clone().into(),
            Cell::local_time(u.local_time.as_str()),
            Cell::id(code.as_str()),
            u.amount.into(),
            u.sale.clone().into(),
            approved_by.clone().into(),
        ])?;
    }
    tables::finish_all([avoirs, uses, external])
}
