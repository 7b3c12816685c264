//! Avoirs and gift vouchers (docs/CHAIN.md, « Avoirs »): issued on a return or a cancelled
//! order's deposit, sold as gift vouchers (not turnover), spent in part or whole with every
//! use a record linked to the avoir, and external vouchers of the SaaS accepted blind.
//!
//! Codes are checked with the issuing till's public key: this till's own, or one imported
//! from another till of the shop (`import_till_key`). The balance a till knows is the code's
//! amount less the uses it recorded itself; a merge of the shop's bundles catches an avoir
//! spent beyond its balance at two tills.

mod external;
mod view;

use crate::dated::{append, NewRecord};
use crate::day::{ensure_day, Closer};
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::settings::TillConfig;
use crate::staff::Approval;
use crate::{keys, Actor, Manager, Store};
use chrono::{DateTime, Days, NaiveDate, Utc};
pub(crate) use external::{accept_external, external_tenders, External};
use relais_core::avoir::{
    check_use, AvoirCode, AvoirData, AvoirOrigin, AvoirRefusal, AvoirUseData, UseSource,
};
use relais_core::order::OrderStatus;
use relais_core::sale::{price_payments, PaymentInput};
use relais_core::time::local_date;
use relais_core::{text, Body, EventType, Kind, Link, Method, Money, Payment, Series};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
pub use view::{AvoirStatus, AvoirUseView, AvoirView, ExternalVoucherView};

/// The settings row of the shop's avoir rules.
const SETTINGS_KEY: &str = "avoirs";
/// Settings rows `avoir_key.T2` hold the public keys of the shop's other tills.
const KEY_PREFIX: &str = "avoir_key.";

/// The shop's rules for avoirs and vouchers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AvoirSettings {
    /// Days an avoir or voucher may be spent after its issue (365 by default).
    pub validity_days: u32,
    /// Whether issuing an avoir on a return or a deposit needs a manager.
    pub issue_needs_manager: bool,
    /// External vouchers above this amount need a manager's approval (50 € by default).
    #[ts(type = "number")]
    pub external_approval_cents: i64,
}

impl Default for AvoirSettings {
    fn default() -> Self {
        AvoirSettings {
            validity_days: 365,
            issue_needs_manager: false,
            external_approval_cents: 5000,
        }
    }
}

/// An avoir given for a refund made to « avoir » (`store_credit`) or for a cancelled order's
/// deposit kept as store credit.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct IssueAvoirInput {
    /// The refund (`T1-000043`) or the cancelled order (`T1-C000002`).
    pub from: String,
    pub operator: String,
    pub approval: Option<Approval>,
}

/// A gift voucher sold.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct SellVoucherInput {
    #[ts(type = "number")]
    pub amount_cents: i64,
    pub payments: Vec<PaymentInput>,
    pub operator: String,
}

/// An avoir spent outside a sale's payment (a sale's `store_credit` payment whose reference is
/// an avoir's code or number spends it with the sale).
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct RedeemInput {
    /// The code as scanned or typed, or the number of an avoir of this till.
    pub code: String,
    #[ts(type = "number")]
    pub amount_cents: i64,
    /// The sale it pays, when there is one (`T1-000044`).
    pub sale: Option<String>,
    /// Accept it although it expired: a manager's override.
    #[serde(default)]
    pub allow_expired: bool,
    pub operator: String,
    pub approval: Option<Approval>,
}

/// A voucher sold by the SaaS, presented during the outage: « bon externe non vérifié ».
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ExternalVoucherInput {
    pub code: String,
    #[ts(type = "number")]
    pub amount_cents: i64,
    pub sale: Option<String>,
    pub operator: String,
    pub approval: Option<Approval>,
}

fn refused(refusal: AvoirRefusal) -> StoreError {
    StoreError::Invalid(refusal.text())
}

/// The day an avoir issued now expires.
fn expiry(config: &TillConfig, now: DateTime<Utc>, days: u32) -> NaiveDate {
    let today = local_date(config.zone, now);
    today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(today)
}

/// The public key (hex) of `till`: this till's, or one imported.
fn key_of(conn: &Connection, config: &TillConfig, till: &str) -> Option<String> {
    if till == config.till {
        return Some(config.public_key.clone());
    }
    conn.query_row(
        "SELECT value FROM settings WHERE key = ?1",
        [format!("{KEY_PREFIX}{till}")],
        |r| r.get(0),
    )
    .optional()
    .ok()
    .flatten()
}

/// An avoir as presented, its code checked: a full code (any till of the shop), or the
/// number of one of this till's avoirs, whose code the ledger holds, or of a paired till's,
/// whose code its records received hold (issue 26).
pub(crate) fn presented(conn: &Connection, config: &TillConfig, text: &str) -> Result<AvoirCode> {
    let text = text.trim();
    let number =
        crate::ledger::parse_number(text).filter(|(_, series, _)| *series == Series::Avoir);
    let code_text = match number {
        Some((till, _, seq)) if till == config.till => {
            view::local_code(conn, seq)?.ok_or_else(|| StoreError::no_record(text))?
        }
        Some((till, _, seq)) => {
            view::peer_code(conn, &till, seq)?.ok_or_else(|| StoreError::no_record(text))?
        }
        None => text.to_string(),
    };
    AvoirCode::verify(&code_text, |till| key_of(conn, config, till)).map_err(refused)
}

/// What the shop's tills have recorded as spent from the avoir `number`: this till, and
/// the paired tills as far as their records were received (issue 26).
pub(crate) fn spent(conn: &Connection, number: &str) -> Result<Money> {
    Ok(Money(conn.query_row(
        "SELECT COALESCE(SUM(json_extract(body, '$.data.amount_cents')), 0) FROM (
           SELECT body FROM ledger WHERE kind = 'avoir_use'
           UNION ALL SELECT body FROM peer_records WHERE kind = 'avoir_use')
         WHERE json_extract(body, '$.data.source') = 'avoir'
           AND json_extract(body, '$.data.voucher') = ?1",
        [number],
        |r| r.get(0),
    )?))
}

/// What was left on the avoir `number` after the sale `sale` spent it, when it did.
pub(crate) fn balance_after(
    conn: &Connection,
    number: &str,
    sale: uuid::Uuid,
) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT json_extract(body, '$.data.balance_cents') FROM ledger
             WHERE kind = 'avoir_use' AND json_extract(body, '$.data.source') = 'avoir'
               AND json_extract(body, '$.data.voucher') = ?1
               AND json_extract(body, '$.data.sale.id') = ?2
             ORDER BY pos DESC LIMIT 1",
            [number, &sale.to_string()],
            |r| r.get::<_, Option<i64>>(0),
        )
        .optional()?
        .flatten())
}

/// One use of a checked avoir, appended inside the caller's transaction.
pub(crate) struct Spend<'a> {
    pub code: &'a AvoirCode,
    pub amount: Money,
    pub sale: Option<Link>,
    pub approved_by: Option<String>,
    pub operator: &'a str,
}

pub(crate) fn spend(tx: &Connection, closer: &Closer, spend: Spend<'_>) -> Result<()> {
    let (config, now) = (&closer.config, closer.now);
    let number = spend.code.number();
    let balance = spend
        .code
        .amount_cents
        .checked_sub(spent(tx, &number)?)
        .map_err(|_| StoreError::Corrupt(format!("{number}: balance overflow")))?;
    let today = local_date(config.zone, now);
    check_use(
        spend.code,
        balance,
        spend.amount,
        today,
        spend.approved_by.is_some(),
    )
    .map_err(refused)?;
    let data = AvoirUseData {
        source: UseSource::Avoir,
        voucher: number,
        amount_cents: spend.amount,
        issued_cents: Some(spend.code.amount_cents),
        expires: Some(spend.code.expires.to_string()),
        balance_cents: Some(Money(balance.0 - spend.amount.0)),
        sale: spend.sale,
        approved_by: spend.approved_by,
    };
    let day = ensure_day(tx, closer)?;
    append(
        tx,
        config,
        now,
        NewRecord::new(Body::AvoirUse(data), spend.operator).on_day(&day),
    )?;
    Ok(())
}

/// The sale's payments that spend an avoir: `store_credit` with an avoir's code or number as
/// reference. Their references become the avoir's number (the code stays on the avoir's
/// record); the checked codes come back, in payment order.
pub(crate) fn avoir_tenders(
    conn: &Connection,
    config: &TillConfig,
    payments: &mut [PaymentInput],
) -> Result<Vec<(usize, AvoirCode)>> {
    let mut found = Vec::new();
    for (index, payment) in payments.iter_mut().enumerate() {
        let Some(reference) = payment.reference.as_deref() else {
            continue;
        };
        if payment.method.trim() != Method::StoreCredit.code() || !looks_like_avoir(reference) {
            continue;
        }
        let code = presented(conn, config, reference)?;
        payment.reference = Some(code.number());
        found.push((index, code));
    }
    Ok(found)
}

/// Whether the refund or order `from` already has its avoir.
fn has_avoir(conn: &Connection, from: &Link) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM ledger WHERE kind = ?1 AND json_extract(body, '$.data.from.id') = ?2)",
        [Kind::Avoir.code(), &from.id.to_string()],
        |r| r.get(0),
    )?)
}

/// A code (`AV1-…`) or an avoir's number (`T1-V000001`); any other reference of a
/// `store_credit` payment is a note, as before avoirs existed.
fn looks_like_avoir(reference: &str) -> bool {
    let reference = reference.trim();
    reference.to_ascii_uppercase().starts_with("AV1-")
        || crate::ledger::parse_number(reference).is_some_and(|(_, s, _)| s == Series::Avoir)
}

impl Store {
    /// The shop's avoir rules; the defaults when never set.
    pub fn avoir_settings(&self) -> Result<AvoirSettings> {
        match self.setting(SETTINGS_KEY)? {
            None => Ok(AvoirSettings::default()),
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("avoir settings: {e}"))),
        }
    }

    /// Saves the shop's avoir rules (a manager's), journaled (JET 270).
    pub fn set_avoir_settings(&mut self, settings: &AvoirSettings, by: &Manager) -> Result<()> {
        self.require_config()?;
        let operator = by.name();
        if settings.validity_days == 0
            || settings.validity_days > 3660
            || settings.external_approval_cents < 0
        {
            return Err(StoreError::Invalid(text!(
                fr: "validité de 1 à 3660 jours, seuil d'approbation positif ou nul",
                en: "validity of 1 to 3660 days, approval threshold zero or more",
            )));
        }
        let json = serde_json::to_string(settings)
            .map_err(|e| StoreError::Corrupt(format!("avoir settings: {e}")))?;
        self.put_setting_journaled(SETTINGS_KEY, &json, Journal(EventType::SettingsChange, format!( "Avoirs : valables {} jours, bons externes approuvés au-delà de {} €", settings.validity_days, Money(settings.external_approval_cents) ), json!({ "avoir_validity_days": settings.validity_days, "avoir_issue_needs_manager": settings.issue_needs_manager, "external_approval_cents": settings.external_approval_cents, })), operator)?;
        Ok(())
    }

    /// Imports the public key of another till of the shop (`relais key` there), so that its
    /// avoirs are accepted here; journaled (JET 1300).
    pub fn import_till_key(&mut self, till: &str, public_key: &str, by: &Manager) -> Result<()> {
        let config = self.require_config()?.clone();
        let operator = by.name();
        let till = till.trim().to_ascii_uppercase();
        let key = public_key.trim().to_ascii_lowercase();
        let mut bytes = [0u8; 32];
        let valid_key = hex::decode_to_slice(&key, &mut bytes).is_ok()
            && ed25519_dalek::VerifyingKey::from_bytes(&bytes).is_ok();
        if till.is_empty()
            || till.len() > 8
            || !till.bytes().all(|b| b.is_ascii_alphanumeric())
            || !valid_key
        {
            return Err(StoreError::Invalid(text!(
                fr: "un code de caisse (1 à 8 lettres ou chiffres) et une clé publique Ed25519 en hexadécimal (relais key) sont requis",
                en: "a till code (1 to 8 letters or digits) and an Ed25519 public key in hex (relais key) are required",
            )));
        }
        if till == config.till {
            return Err(StoreError::Invalid(text!(
                fr: "c'est le code de cette caisse : sa clé est déjà connue",
                en: "this is this till's own code: its key is already known",
            )));
        }
        self.write_journaled(
            Journal(
                EventType::TillKeyImported,
                format!("Clé publique de la caisse {till} importée : ses avoirs sont acceptés"),
                json!({"till": till, "public_key": key}),
            ),
            operator,
            |tx| {
                crate::settings::put(tx, &format!("{KEY_PREFIX}{till}"), &key)?;
                Ok(())
            },
        )?;
        Ok(())
    }

    /// Issues an avoir for a refund made to « avoir » or a cancelled order's deposit kept as
    /// store credit: once per refund or order.
    /// Issued by `by` (made from the input's `operator`), with the input's `approval` when
    /// the shop's rules want a manager.
    pub fn issue_avoir(&mut self, input: &IssueAvoirInput, by: &Actor) -> Result<AvoirView> {
        let settings = self.avoir_settings()?;
        let approver = if settings.issue_needs_manager {
            let manager = self.manager(by, input.approval.as_ref())?;
            manager.approver().map(String::from)
        } else {
            None
        };
        let (from, origin, amount) = self.avoir_source(&input.from)?;
        let avoir = NewAvoir {
            origin,
            from: Some(from),
            amount,
            payments: Vec::new(),
        };
        let number = self.write_avoir(avoir, by.name(), approver.as_deref())?;
        self.avoir(&number)
    }

    /// Sells a gift voucher: the payments add up to its amount; money received, not turnover.
    /// Sold by `by` (made from the input's `operator`).
    pub fn sell_voucher(&mut self, input: &SellVoucherInput, by: &Actor) -> Result<AvoirView> {
        let amount = Money(input.amount_cents);
        if amount.0 <= 0 {
            return Err(refused(AvoirRefusal::NotPositive));
        }
        let payments = price_payments(&input.payments, amount)?;
        let paid = Money::sum(payments.iter().map(|p| p.amount_cents))
            .map_err(|_| refused(AvoirRefusal::NotPositive))?;
        let unusable = [Method::StoreCredit, Method::Voucher, Method::Deposit];
        if paid != amount || payments.iter().any(|p| unusable.contains(&p.method)) {
            return Err(StoreError::Invalid(text!(
                fr: format!("les paiements ({paid} €) doivent faire le montant du bon ({amount} €), sans avoir, bon ni acompte"),
                en: format!("the payments ({}) must add up to the voucher ({}), with no avoir, voucher or deposit", paid.decimal('.'), amount.decimal('.')),
            )));
        }
        let avoir = NewAvoir {
            origin: AvoirOrigin::Gift,
            from: None,
            amount,
            payments,
        };
        let number = self.write_avoir(avoir, by.name(), None)?;
        self.avoir(&number)
    }

    /// Spends an avoir outside a sale's payment: checked, then recorded with its balance.
    /// Spent by `by` (made from the input's `operator`); an expired avoir allowed by a
    /// manager (`by`, or the input's `approval`).
    pub fn redeem_avoir(&mut self, input: &RedeemInput, by: &Actor) -> Result<AvoirView> {
        let config = self.require_config()?.clone();
        let code = presented(&self.conn, &config, &input.code)?;
        let approved_by = if input.allow_expired {
            let manager = self.manager(by, input.approval.as_ref())?;
            Some(manager.approver().unwrap_or(by.name()).to_string())
        } else {
            None
        };
        let sale = self.sale_link(input.sale.as_deref())?;
        let closer = self.closer()?;
        let spend_it = Spend {
            code: &code,
            amount: Money(input.amount_cents),
            sale,
            approved_by,
            operator: by.name(),
        };
        self.write(|tx| spend(tx, &closer, spend_it))?;
        self.after_commit();
        self.avoir(&code.number())
    }

    /// The sale a use pays, by number or id.
    pub(crate) fn sale_link(&self, reference: Option<&str>) -> Result<Option<Link>> {
        let Some(reference) = reference.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(None);
        };
        let (record, _) = self.find(reference)?;
        match record.body {
            Body::Sale(_) => Ok(Some(record.link())),
            _ => Err(StoreError::NotASale(record.number())),
        }
    }

    /// What an avoir is issued for: a refund to « avoir », or a cancelled order whose deposit
    /// was kept as store credit.
    fn avoir_source(&self, reference: &str) -> Result<(Link, AvoirOrigin, Money)> {
        let (record, _) = self.find(reference.trim())?;
        let not_for_avoir = || {
            StoreError::Invalid(text!(
                fr: format!("{} n'ouvre pas droit à un avoir : il faut un remboursement fait en « avoir » ou une commande annulée dont l'acompte est gardé en avoir", record.number()),
                en: format!("{} gives no avoir: a refund made to store credit or a cancelled order whose deposit was kept is needed", record.number()),
            ))
        };
        let (origin, amount) = match &record.body {
            Body::Refund(ticket) => {
                let credit = ticket
                    .payments
                    .iter()
                    .filter(|p| p.method == Method::StoreCredit)
                    .map(|p| -p.amount_cents.0)
                    .sum::<i64>();
                (AvoirOrigin::Return, credit)
            }
            Body::Order(_) => {
                // Refunded deposits net to nothing; kept ones stay on the cancelled order.
                let view = self.order(&record.number())?;
                let kept = view.status == OrderStatus::Cancelled;
                (
                    AvoirOrigin::Deposit,
                    if kept { view.deposits_cents } else { 0 },
                )
            }
            _ => return Err(not_for_avoir()),
        };
        if amount <= 0 {
            return Err(not_for_avoir());
        }
        Ok((record.link(), origin, Money(amount)))
    }

    /// Appends an avoir record with its signed code; its number back.
    fn write_avoir(
        &mut self,
        avoir: NewAvoir,
        operator: &str,
        approver: Option<&str>,
    ) -> Result<String> {
        let signer = self.avoir_signer()?;
        let closer = self.closer()?;
        let number = self.write(|tx| {
            let number = append_avoir(tx, &closer, &signer, avoir, operator)?;
            if let Some(manager) = approver {
                let event = crate::staff::override_event(operator, manager, "l'avoir", &number);
                let record = NewRecord::new(Body::Event(event), operator);
                crate::dated::append(tx, &closer.config, closer.now, record)?;
            }
            Ok(number)
        })?;
        self.after_commit();
        Ok(number)
    }

    /// The till's key and the shop's validity: what signing an avoir needs, read before
    /// the write.
    pub(crate) fn avoir_signer(&self) -> Result<Signer> {
        let validity = self.avoir_settings()?.validity_days;
        let key = keys::load(&self.dir)?.ok_or_else(|| {
            StoreError::Key(format!(
                "{} is missing: avoirs cannot be signed",
                keys::KEY_FILE
            ))
        })?;
        Ok(Signer { key, validity })
    }
}

/// What signing an avoir needs: the till's key and the days it stays valid.
pub(crate) struct Signer {
    key: ed25519_dalek::SigningKey,
    validity: u32,
}

/// An avoir to append: where it comes from, its amount, how a gift voucher was paid.
pub(crate) struct NewAvoir {
    pub origin: AvoirOrigin,
    pub from: Option<Link>,
    pub amount: Money,
    pub payments: Vec<Payment>,
}

/// Appends an avoir record with its signed code inside the caller's transaction (once per
/// refund or order); its number back.
pub(crate) fn append_avoir(
    tx: &Connection,
    closer: &Closer,
    signer: &Signer,
    avoir: NewAvoir,
    operator: &str,
) -> Result<String> {
    let (config, now) = (&closer.config, closer.now);
    if let Some(from) = &avoir.from {
        if has_avoir(tx, from)? {
            return Err(StoreError::Invalid(text!(
                fr: format!("{} a déjà son avoir", from.number),
                en: format!("{} already has its avoir", from.number),
            )));
        }
    }
    let day = ensure_day(tx, closer)?;
    let code = AvoirCode {
        till: config.till.clone(),
        seq: crate::ledger::next_seq(tx, Series::Avoir)?,
        amount_cents: avoir.amount,
        expires: expiry(config, now, signer.validity),
    };
    let data = AvoirData {
        origin: avoir.origin,
        from: avoir.from,
        amount_cents: avoir.amount,
        expires: code.expires.to_string(),
        payments: avoir.payments,
        code: code.sign(&signer.key),
    };
    let new = NewRecord::new(Body::Avoir(data), operator).on_day(&day);
    let sealed = append(tx, config, now, new)?;
    let number = sealed.last().map(|s| s.record.number()).unwrap_or_default();
    // The code names the number the ledger gave: never a slip for another record.
    if number != code.number() {
        return Err(StoreError::Corrupt(format!(
            "avoir numbered {number}, signed as {}",
            code.number()
        )));
    }
    Ok(number)
}

#[cfg(test)]
mod tests;
