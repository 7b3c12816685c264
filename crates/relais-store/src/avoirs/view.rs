//! Avoirs as the screens and the CLI show them: amount, balance, state and history, read
//! from the ledger (the avoir's record, and the uses this till recorded) and from the paired
//! tills' records received (their uses, and their avoirs' records).

use crate::error::{Result, StoreError};
use crate::Store;
use chrono::NaiveDate;
use relais_core::avoir::{AvoirData, AvoirOrigin, AvoirUseData, UseSource};
use relais_core::avoir_slip::AvoirSlipDoc;
use relais_core::record::record_of;
use relais_core::time::local_date;
use relais_core::{text, Body, Money, Record, Series};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AvoirStatus {
    Open,
    Spent,
    Expired,
}

impl AvoirStatus {
    pub fn label_fr(self) -> &'static str {
        match self {
            AvoirStatus::Open => "en cours",
            AvoirStatus::Spent => "utilisé",
            AvoirStatus::Expired => "expiré",
        }
    }
}

/// One use of an avoir at this till.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AvoirUseView {
    pub number: String,
    pub local_time: String,
    pub operator: String,
    #[ts(type = "number")]
    pub amount_cents: i64,
    #[ts(type = "number")]
    pub balance_cents: i64,
    pub sale: Option<String>,
    pub approved_by: Option<String>,
}

/// An avoir or gift voucher: what it was issued for, what is left, and its uses here.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AvoirView {
    /// `T1-V000001`.
    pub number: String,
    /// Known when this till issued it.
    pub origin: Option<AvoirOrigin>,
    /// The refund or order it stands for.
    pub from: Option<String>,
    #[ts(type = "number")]
    pub amount_cents: i64,
    #[ts(type = "number")]
    pub balance_cents: i64,
    /// `YYYY-MM-DD`.
    pub expires: String,
    pub status: AvoirStatus,
    pub issued_at: Option<String>,
    /// The signed code for the slip's QR code (this till's avoirs).
    pub code: Option<String>,
    pub uses: Vec<AvoirUseView>,
}

/// An external voucher accepted blind.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExternalVoucherView {
    pub number: String,
    pub code: String,
    #[ts(type = "number")]
    pub amount_cents: i64,
    pub local_time: String,
    pub operator: String,
    pub sale: Option<String>,
    pub approved_by: Option<String>,
}

fn records(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Record>> {
    let mut statement = conn.prepare_cached(sql)?;
    let bodies = statement
        .query_map(params, |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    bodies
        .iter()
        .map(|b| record_of(b).map_err(|e| StoreError::Corrupt(format!("ledger body: {e}"))))
        .collect()
}

/// The signed code of this till's avoir number `seq`.
pub(crate) fn local_code(conn: &Connection, seq: u64) -> Result<Option<String>> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM ledger WHERE series = 'avoir' AND seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?;
    Ok(body
        .and_then(|b| record_of(&b).ok())
        .and_then(|r| match r.body {
            Body::Avoir(a) => Some(a.code),
            _ => None,
        }))
}

/// The code of a paired till's avoir `till`-V`seq`, from its records received.
pub(crate) fn peer_code(conn: &Connection, till: &str, seq: u64) -> Result<Option<String>> {
    let body: Option<String> = conn
        .prepare_cached(
            "SELECT body FROM peer_records WHERE till = ?1 AND series = 'avoir' AND seq = ?2",
        )?
        .query_row(rusqlite::params![till, seq], |r| r.get(0))
        .optional()?;
    Ok(body
        .and_then(|b| record_of(&b).ok())
        .and_then(|r| match r.body {
            Body::Avoir(a) => Some(a.code),
            _ => None,
        }))
}

/// The uses of an avoir at this till and, as far as their records were received, at the
/// paired tills (issue 26), in the order they happened.
fn uses_of(conn: &Connection, number: &str) -> Result<Vec<(Record, AvoirUseData)>> {
    let sql = "SELECT body FROM ledger WHERE kind = 'avoir_use'
               AND json_extract(body, '$.data.source') = 'avoir'
               AND json_extract(body, '$.data.voucher') = ?1 ORDER BY pos";
    let mut found = records(conn, sql, [number])?;
    let elsewhere = "SELECT body FROM peer_records WHERE kind = 'avoir_use'
               AND json_extract(body, '$.data.source') = 'avoir'
               AND json_extract(body, '$.data.voucher') = ?1 ORDER BY till, pos";
    let elsewhere = records(conn, elsewhere, [number])?;
    if !elsewhere.is_empty() {
        found.extend(elsewhere);
        found.sort_by(|a, b| a.at.cmp(&b.at));
    }
    Ok(found
        .into_iter()
        .filter_map(|r| match r.body.clone() {
            Body::AvoirUse(u) => Some((r, u)),
            _ => None,
        })
        .collect())
}

/// What an avoir stands at: from its issue (this till's) or its code's facts, and its uses.
struct Facts {
    number: String,
    amount: Money,
    expires: String,
    issued: Option<(Record, AvoirData)>,
}

fn view_of(conn: &Connection, facts: Facts, today: NaiveDate) -> Result<AvoirView> {
    let mut balance = facts.amount.0;
    let uses = uses_of(conn, &facts.number)?
        .into_iter()
        .map(|(record, used)| {
            balance -= used.amount_cents.0;
            AvoirUseView {
                number: record.number(),
                local_time: record.local_time(),
                operator: record.operator.clone(),
                amount_cents: used.amount_cents.0,
                balance_cents: balance,
                sale: used.sale.map(|s| s.number),
                approved_by: used.approved_by,
            }
        })
        .collect();
    let expired = NaiveDate::parse_from_str(&facts.expires, "%Y-%m-%d").is_ok_and(|d| today > d);
    let status = match (balance <= 0, expired) {
        (true, _) => AvoirStatus::Spent,
        (false, true) => AvoirStatus::Expired,
        (false, false) => AvoirStatus::Open,
    };
    let (origin, from, issued_at, code) = match facts.issued {
        Some((record, data)) => (
            Some(data.origin),
            data.from.map(|l| l.number),
            Some(record.local_time()),
            Some(data.code),
        ),
        None => (None, None, None, None),
    };
    Ok(AvoirView {
        number: facts.number,
        origin,
        from,
        amount_cents: facts.amount.0,
        balance_cents: balance,
        expires: facts.expires,
        status,
        issued_at,
        code,
        uses,
    })
}

fn issued_facts(record: Record) -> Option<Facts> {
    match record.body.clone() {
        Body::Avoir(data) => Some(Facts {
            number: record.number(),
            amount: data.amount_cents,
            expires: data.expires.clone(),
            issued: Some((record, data)),
        }),
        _ => None,
    }
}

impl Store {
    fn local_today(&self) -> Result<NaiveDate> {
        Ok(local_date(self.require_config()?.zone, self.now()))
    }

    /// One avoir, by its code (any till of the shop) or this till's number.
    pub fn avoir(&self, reference: &str) -> Result<AvoirView> {
        let config = self.require_config()?;
        // Another till's avoir by its number: known here only through its uses.
        let elsewhere = crate::ledger::parse_number(reference.trim())
            .filter(|(till, series, _)| *series == Series::Avoir && *till != config.till);
        // (Unless its records were received from a paired till: then as this till's own.)
        let received = match &elsewhere {
            Some((till, _, seq)) => peer_code(&self.conn, till, *seq)?.is_some(),
            None => false,
        };
        if let Some((till, series, seq)) = elsewhere.filter(|_| !received) {
            let number = relais_core::display_number(&till, series, seq);
            return self
                .avoirs()?
                .into_iter()
                .find(|v| v.number == number)
                .ok_or_else(|| StoreError::no_record(&number));
        }
        let code = super::presented(&self.conn, config, reference)?;
        let number = code.number();
        let issued = records(
            &self.conn,
            "SELECT body FROM ledger WHERE kind = 'avoir' AND json_extract(body, '$.till') = ?1 ORDER BY pos",
            [&code.till],
        )?
        .into_iter()
        .find(|r| r.number() == number)
        .and_then(issued_facts);
        // A paired till's avoir: its record as received.
        let issued = match issued {
            Some(facts) => Some(facts),
            None => records(
                &self.conn,
                "SELECT body FROM peer_records WHERE till = ?1 AND kind = 'avoir' AND seq = ?2",
                rusqlite::params![code.till, code.seq],
            )?
            .into_iter()
            .next()
            .and_then(issued_facts),
        };
        let facts = issued.unwrap_or(Facts {
            number,
            amount: code.amount_cents,
            expires: code.expires.to_string(),
            issued: None,
        });
        view_of(&self.conn, facts, self.local_today()?)
    }

    /// Every avoir and voucher this till issued, then those of other tills spent here.
    pub fn avoirs(&self) -> Result<Vec<AvoirView>> {
        let today = self.local_today()?;
        let mut views = Vec::new();
        for record in records(
            &self.conn,
            "SELECT body FROM ledger WHERE kind = 'avoir' ORDER BY pos",
            [],
        )? {
            if let Some(facts) = issued_facts(record) {
                views.push(view_of(&self.conn, facts, today)?);
            }
        }
        let sql = "SELECT body FROM ledger WHERE kind = 'avoir_use' AND json_extract(body, '$.data.source') = ?1 ORDER BY pos";
        for record in records(&self.conn, sql, ["avoir"])? {
            let Body::AvoirUse(used) = record.body else {
                continue;
            };
            if views.iter().any(|v| v.number == used.voucher) {
                continue;
            }
            let facts = Facts {
                number: used.voucher.clone(),
                amount: used.issued_cents.unwrap_or_default(),
                expires: used.expires.clone().unwrap_or_default(),
                issued: None,
            };
            views.push(view_of(&self.conn, facts, today)?);
        }
        Ok(views)
    }

    /// The external vouchers accepted at this till, in order.
    pub fn external_vouchers(&self) -> Result<Vec<ExternalVoucherView>> {
        let sql = "SELECT body FROM ledger WHERE kind = 'avoir_use' AND json_extract(body, '$.data.source') = ?1 ORDER BY pos";
        Ok(records(&self.conn, sql, ["external"])?
            .into_iter()
            .filter_map(|record| match record.body.clone() {
                Body::AvoirUse(used) if used.source == UseSource::External => {
                    Some(ExternalVoucherView {
                        number: record.number(),
                        code: used.voucher,
                        amount_cents: used.amount_cents.0,
                        local_time: record.local_time(),
                        operator: record.operator.clone(),
                        sale: used.sale.map(|s| s.number),
                        approved_by: used.approved_by,
                    })
                }
                _ => None,
            })
            .collect())
    }

    /// The slip of one of this till's avoirs, for the thermal printer.
    pub fn avoir_slip_doc(&self, reference: &str) -> Result<AvoirSlipDoc> {
        let config = self.require_config()?;
        let view = self.avoir(reference)?;
        match (view.origin, view.code, view.issued_at) {
            (Some(origin), Some(code), Some(issued_at)) => Ok(AvoirSlipDoc {
                shop: config.shop.clone(),
                origin,
                number: view.number,
                amount_cents: Money(view.amount_cents),
                expires: view.expires,
                from: view.from,
                issued_at,
                code,
            }),
            _ => Err(StoreError::Invalid(text!(
                fr: format!("{} est un avoir d'une autre caisse : seule la caisse qui l'a émis imprime son bon", view.number),
                en: format!("{} is another till's avoir: only the till that issued it prints its slip", view.number),
            ))),
        }
    }

    /// The shop's liability in this till's avoirs and vouchers: what is left on those not
    /// spent and not expired, as this till knows it.
    pub fn avoirs_outstanding(&self) -> Result<Money> {
        let total = self
            .avoirs()?
            .iter()
            .filter(|v| v.origin.is_some() && v.status == AvoirStatus::Open)
            .map(|v| v.balance_cents)
            .sum();
        Ok(Money(total))
    }
}
