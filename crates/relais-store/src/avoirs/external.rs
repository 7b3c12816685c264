//! Vouchers of the SaaS presented during the outage: Relais cannot check their balance, so
//! each is recorded as « bon externe non vérifié » (code and amount, a manager's approval
//! above the shop's threshold), alone or with the sale it pays, and listed in the export.

use super::{refused, ExternalVoucherInput, ExternalVoucherView};
use crate::dated::{append, NewRecord};
use crate::day::{ensure_day, Closer};
use crate::error::{Result, StoreError};
use crate::{Actor, Store};
use relais_core::avoir::{AvoirRefusal, AvoirUseData, UseSource};
use relais_core::sale::PaymentInput;
use relais_core::{text, Body, Link, Method, Money};
use rusqlite::Connection;

/// An external voucher's code as typed: trimmed, 1 to 100 characters.
fn external_code(code: &str) -> Result<&str> {
    let code = code.trim();
    if code.is_empty() || code.chars().count() > 100 {
        return Err(StoreError::Invalid(text!(
            fr: "le code du bon externe (1 à 100 caractères) est requis",
            en: "the external voucher's code (1 to 100 characters) is required",
        )));
    }
    Ok(code)
}

/// The sale's payments named as vouchers of the SaaS accepted blind: each a `voucher`
/// payment with its code as reference. Their indices and codes back.
pub(crate) fn external_tenders(
    payments: &[PaymentInput],
    indices: &[usize],
) -> Result<Vec<(usize, String)>> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for &index in indices {
        let payment = payments
            .get(index)
            .filter(|p| p.method.trim() == Method::Voucher.code());
        let Some(payment) = payment else {
            return Err(StoreError::Invalid(text!(
                fr: format!("le paiement n° {} n'est pas un bon d'achat : il ne peut être un bon externe", index + 1),
                en: format!("payment {} is not a voucher: it cannot be an external voucher", index + 1),
            )));
        };
        let code = external_code(payment.reference.as_deref().unwrap_or(""))?;
        if !found.iter().any(|(i, _)| *i == index) {
            found.push((index, code.to_string()));
        }
    }
    Ok(found)
}

/// One external voucher accepted blind, appended inside the caller's transaction.
pub(crate) struct External<'a> {
    pub code: &'a str,
    pub amount: Money,
    pub sale: Option<Link>,
    pub approved_by: Option<String>,
    pub operator: &'a str,
}

/// Appends the external voucher's use; its number back.
pub(crate) fn accept_external(
    tx: &Connection,
    closer: &Closer,
    external: External<'_>,
) -> Result<String> {
    if external.amount.0 <= 0 {
        return Err(refused(AvoirRefusal::NotPositive));
    }
    let data = AvoirUseData {
        source: UseSource::External,
        voucher: external.code.to_string(),
        amount_cents: external.amount,
        issued_cents: None,
        expires: None,
        balance_cents: None,
        sale: external.sale,
        approved_by: external.approved_by,
    };
    let day = ensure_day(tx, closer)?;
    let new = NewRecord::new(Body::AvoirUse(data), external.operator).on_day(&day);
    let sealed = append(tx, &closer.config, closer.now, new)?;
    Ok(sealed.last().map(|s| s.record.number()).unwrap_or_default())
}

impl Store {
    /// Records an external voucher accepted blind; a manager approves it above the shop's
    /// threshold.
    pub fn accept_external_voucher(
        &mut self,
        input: &ExternalVoucherInput,
        by: &Actor,
    ) -> Result<ExternalVoucherView> {
        let code = external_code(&input.code)?;
        let amount = Money(input.amount_cents);
        if amount.0 <= 0 {
            return Err(refused(AvoirRefusal::NotPositive));
        }
        let threshold = self.avoir_settings()?.external_approval_cents;
        let approved_by = if amount.0 > threshold {
            let manager = self.manager(by, input.approval.as_ref())?;
            Some(manager.approver().unwrap_or(by.name()).to_string())
        } else {
            None
        };
        let sale = self.sale_link(input.sale.as_deref())?;
        let closer = self.closer()?;
        let external = External {
            code,
            amount,
            sale,
            approved_by,
            operator: by.name(),
        };
        let number = self.write(|tx| accept_external(tx, &closer, external))?;
        self.after_commit();
        self.external_vouchers()?
            .into_iter()
            .find(|v| v.number == number)
            .ok_or_else(|| StoreError::no_record(&number))
    }
}
