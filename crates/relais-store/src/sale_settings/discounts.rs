//! Discounts above the shop's threshold (a percentage or an amount, whichever is exceeded
//! first) need a manager: the operator, or a cashier with a manager's approval. Checked on
//! every sale the store records, whoever sends it (the app, `relais sale record`).

use super::SaleSettings;
use crate::error::{Refusal, Result, StoreError};
use crate::staff::Approval;
use crate::{Actor, Store};
use relais_core::{text, Money, Text, Ticket};

/// The discounts of `ticket` above the threshold, named for people (« une remise de 12,00 €
/// (30 %) sur « Baguette » »), joined; None when every discount is within it.
pub fn discounts_over(settings: &SaleSettings, ticket: &Ticket) -> Option<Text> {
    let over = |discount: i64, base: i64| {
        discount > 0
            && (discount > settings.discount_approval_cents
                || i128::from(discount) * 100
                    > i128::from(base) * i128::from(settings.discount_approval_percent))
    };
    let mut found: Vec<Text> = Vec::new();
    for line in &ticket.lines {
        let (discount, base) = (line.discount_cents.0, line.gross_cents.0);
        if over(discount, base) {
            let (amount, percent) = (Money(discount), percent_of(discount, base));
            let label = &line.label;
            found.push(text!(
                fr: format!("une remise de {amount} € ({percent} %) sur « {label} »"),
                en: format!("a discount of €{} ({percent} %) on « {label} »", Money(discount).decimal('.')),
            ));
        }
    }
    let discount = ticket.ticket_discount_cents.0;
    let base: i64 = ticket
        .lines
        .iter()
        .map(|l| l.gross_cents.0 - l.discount_cents.0)
        .sum();
    if over(discount, base) {
        let (amount, percent) = (Money(discount), percent_of(discount, base));
        found.push(text!(
            fr: format!("une remise de {amount} € ({percent} %) sur le ticket"),
            en: format!("a discount of €{} ({percent} %) on the ticket", amount.decimal('.')),
        ));
    }
    if found.is_empty() {
        return None;
    }
    Some(Text {
        fr: found
            .iter()
            .map(|t| t.fr.as_str())
            .collect::<Vec<_>>()
            .join(" et "),
        en: found
            .iter()
            .map(|t| t.en.as_str())
            .collect::<Vec<_>>()
            .join(" and "),
    })
}

/// `part` as a percentage of `whole`, to one decimal if it has one (« 30 », « 12,5 »).
fn percent_of(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "100".into();
    }
    let tenths = (i128::from(part) * 1000 + i128::from(whole) / 2) / i128::from(whole);
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

/// What a manager approved: their name, and the discounts named.
pub(crate) struct DiscountApproved {
    pub manager: String,
    pub what: Text,
}

impl Store {
    /// Refuses a ticket whose discounts exceed the shop's threshold unless `operator` is a
    /// manager or `approval` is a manager's (PIN checked, failures counted as at login).
    /// Some when a manager approved for someone else: the sale's transaction journals it.
    pub(crate) fn check_discounts(
        &mut self,
        ticket: &Ticket,
        by: &Actor,
        approval: Option<&Approval>,
    ) -> Result<Option<DiscountApproved>> {
        let settings = self.sale_settings()?;
        let Some(what) = discounts_over(&settings, ticket) else {
            return Ok(None);
        };
        match self.manager(by, approval) {
            Ok(manager) => Ok(manager.approver().map(|manager| DiscountApproved {
                manager: manager.to_string(),
                what,
            })),
            Err(StoreError::Forbidden(Refusal::ManagerNeeded(name))) => {
                Err(StoreError::Forbidden(Refusal::DiscountNeedsManager {
                    operator: name,
                    what,
                    percent: settings.discount_approval_percent,
                    cents: settings.discount_approval_cents,
                }))
            }
            Err(other) => Err(other),
        }
    }
}
