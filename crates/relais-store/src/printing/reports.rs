//! The X and Z reports as the thermal printer prints them: the core's `ReportDoc` filled
//! from the till's shop and code and the store's figures (the X of the open day, a closure
//! as it was signed), and a customer order's slip (`OrderSlipDoc`, the order as it stands).
//! Printing them changes nothing: neither a report nor a slip is a fiscal record.

use crate::error::{Result, StoreError};
use crate::Store;
use relais_core::order_slip::OrderSlipDoc;
use relais_core::report::ReportDoc;
use relais_core::text;

impl Store {
    /// The X report of the open day (or of none) as of now, to print.
    pub fn x_report_doc(&self) -> Result<ReportDoc> {
        let config = self.require_config()?;
        let x = self.x_report()?;
        Ok(ReportDoc::x(
            &config.shop,
            &config.till,
            x.business_day.as_deref(),
            x.automatic_opening,
            &x.local_time,
            &x.totals,
        ))
    }

    /// A closure (`T1-Z000003`), or the latest when `number` is `None`, to print.
    pub fn closure_doc(&self, number: Option<&str>) -> Result<ReportDoc> {
        let config = self.require_config()?;
        let closures = self.closures()?;
        let found = match number {
            Some(number) => closures.iter().find(|c| c.number == number.trim()),
            None => closures.last(),
        };
        let report = found.ok_or_else(|| {
            StoreError::NotFound(match number {
                Some(number) => {
                    text!(fr: "clôture {number} introuvable", en: "no closure {number}")
                }
                None => text!(
                    fr: "clôture (aucune n'est écrite) introuvable",
                    en: "no closure (none is written yet)",
                ),
            })
        })?;
        Ok(ReportDoc::z(
            &config.shop,
            &config.till,
            &report.number,
            &report.local_time,
            &report.closure,
        ))
    }

    /// A customer order's slip (`T1-C000003`, or the order's id) as the order stands now.
    pub fn order_slip_doc(&self, reference: &str) -> Result<OrderSlipDoc> {
        let config = self.require_config()?;
        let reference = reference.trim();
        let order = self.order(reference).map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::NotFound(
                text!(fr: "commande {reference} introuvable", en: "no order {reference}"),
            ),
            other => other,
        })?;
        Ok(OrderSlipDoc::of(&config.shop, &config.till, &order))
    }
}
