//! [`Summarizer`]: a period's records added up into the [`PeriodTotals`] of X reports,
//! closures and bundles.

use crate::avoir::{AvoirOrigin, UseSource};
use crate::closure::{ChequeLine, Direction, PeriodTotals, TenderTotal};
use crate::event::EventType;
use crate::money::{Money, Overflow, VatRate};
use crate::record::{Body, Record};
use crate::ticket::{Method, VatTotal};
use std::collections::BTreeMap;

/// Accumulates records into [`PeriodTotals`].
#[derive(Default)]
pub struct Summarizer {
    totals: PeriodTotals,
    vat: BTreeMap<VatRate, VatTotal>,
    tenders: BTreeMap<Method, TenderTotal>,
    deposit_tenders: BTreeMap<Method, TenderTotal>,
    voucher_tenders: BTreeMap<Method, TenderTotal>,
}

fn add_tender(
    map: &mut BTreeMap<Method, TenderTotal>,
    method: Method,
    count: u64,
    amount: Money,
) -> Result<(), Overflow> {
    let entry = map.entry(method).or_insert(TenderTotal {
        method,
        count: 0,
        amount_cents: Money::ZERO,
    });
    entry.count += count;
    entry.amount_cents = entry.amount_cents.checked_add(amount)?;
    Ok(())
}

impl Summarizer {
    pub fn add(&mut self, record: &Record) -> Result<(), Overflow> {
        let t = &mut self.totals;
        match &record.body {
            Body::DayOpen(open) => t.float_cents = t.float_cents.checked_add(open.float_cents)?,
            Body::Deposit(deposit) => {
                if deposit.amount_cents.0 >= 0 {
                    t.deposits_received_cents = t
                        .deposits_received_cents
                        .checked_add(deposit.amount_cents)?;
                } else {
                    t.deposits_refunded_cents = t
                        .deposits_refunded_cents
                        .checked_add(deposit.amount_cents)?;
                }
                for p in &deposit.payments {
                    add_tender(&mut self.deposit_tenders, p.method, 1, p.amount_cents)?;
                }
            }
            Body::Avoir(avoir) => {
                if avoir.origin == AvoirOrigin::Gift {
                    t.vouchers_sold_cents =
                        t.vouchers_sold_cents.checked_add(avoir.amount_cents)?;
                    for p in &avoir.payments {
                        add_tender(&mut self.voucher_tenders, p.method, 1, p.amount_cents)?;
                    }
                } else {
                    t.avoirs_issued_cents =
                        t.avoirs_issued_cents.checked_add(avoir.amount_cents)?;
                }
            }
            Body::AvoirUse(used) => match used.source {
                UseSource::Avoir => {
                    t.avoirs_redeemed_cents =
                        t.avoirs_redeemed_cents.checked_add(used.amount_cents)?
                }
                UseSource::External => {
                    t.external_vouchers_cents =
                        t.external_vouchers_cents.checked_add(used.amount_cents)?
                }
            },
            Body::CashMovement(m) => match m.direction {
                Direction::In => t.cash_in_cents = t.cash_in_cents.checked_add(m.amount_cents)?,
                Direction::Out => {
                    t.cash_out_cents = t.cash_out_cents.checked_add(m.amount_cents)?
                }
            },
            Body::Sale(ticket) | Body::Refund(ticket) | Body::Void(ticket) => {
                let total = ticket.total_cents;
                match &record.body {
                    Body::Sale(_) => {
                        t.sales += 1;
                        t.sales_cents = t.sales_cents.checked_add(total)?;
                        let discounts = Money::sum(
                            ticket
                                .lines
                                .iter()
                                .flat_map(|l| [l.discount_cents, l.ticket_discount_cents]),
                        )?;
                        t.discounts_cents = t.discounts_cents.checked_add(discounts)?;
                    }
                    Body::Refund(_) => {
                        t.refunds += 1;
                        t.refunds_cents = t.refunds_cents.checked_add(total)?;
                    }
                    _ => {
                        t.voids += 1;
                        t.voids_cents = t.voids_cents.checked_add(total)?;
                    }
                }
                t.total_cents = t.total_cents.checked_add(total)?;
                if ticket.late.is_some() {
                    t.late_entries += 1;
                    t.late_total_cents = t.late_total_cents.checked_add(total)?;
                }
                t.abs_total_cents = t
                    .abs_total_cents
                    .checked_add(Money(total.0.checked_abs().ok_or(Overflow)?))?;
                for v in &ticket.vat {
                    let entry = self.vat.entry(v.rate_bp).or_insert(VatTotal {
                        rate_bp: v.rate_bp,
                        ht_cents: Money::ZERO,
                        vat_cents: Money::ZERO,
                        ttc_cents: Money::ZERO,
                    });
                    entry.ht_cents = entry.ht_cents.checked_add(v.ht_cents)?;
                    entry.vat_cents = entry.vat_cents.checked_add(v.vat_cents)?;
                    entry.ttc_cents = entry.ttc_cents.checked_add(v.ttc_cents)?;
                }
                for p in &ticket.payments {
                    add_tender(&mut self.tenders, p.method, 1, p.amount_cents)?;
                    if p.method == Method::Cheque {
                        self.totals.cheques.push(ChequeLine {
                            ticket: record.number(),
                            number: p.reference.clone(),
                            amount_cents: p.amount_cents,
                        });
                    }
                }
            }
            Body::Event(event) if event.name == EventType::DrawerOpened.name() => {
                t.drawer_openings += 1;
            }
            _ => {}
        }
        Ok(())
    }

    /// Adds the totals of a closed period (for monthly and yearly closures).
    pub fn add_totals(&mut self, other: &PeriodTotals) -> Result<(), Overflow> {
        let t = &mut self.totals;
        t.sales += other.sales;
        t.refunds += other.refunds;
        t.voids += other.voids;
        t.sales_cents = t.sales_cents.checked_add(other.sales_cents)?;
        t.refunds_cents = t.refunds_cents.checked_add(other.refunds_cents)?;
        t.voids_cents = t.voids_cents.checked_add(other.voids_cents)?;
        t.total_cents = t.total_cents.checked_add(other.total_cents)?;
        t.abs_total_cents = t.abs_total_cents.checked_add(other.abs_total_cents)?;
        t.discounts_cents = t.discounts_cents.checked_add(other.discounts_cents)?;
        t.float_cents = t.float_cents.checked_add(other.float_cents)?;
        t.cash_in_cents = t.cash_in_cents.checked_add(other.cash_in_cents)?;
        t.cash_out_cents = t.cash_out_cents.checked_add(other.cash_out_cents)?;
        t.cheques.extend(other.cheques.iter().cloned());
        t.deposits_received_cents = t
            .deposits_received_cents
            .checked_add(other.deposits_received_cents)?;
        t.deposits_refunded_cents = t
            .deposits_refunded_cents
            .checked_add(other.deposits_refunded_cents)?;
        t.late_entries += other.late_entries;
        t.drawer_openings += other.drawer_openings;
        t.late_total_cents = t.late_total_cents.checked_add(other.late_total_cents)?;
        t.avoirs_issued_cents = t
            .avoirs_issued_cents
            .checked_add(other.avoirs_issued_cents)?;
        t.vouchers_sold_cents = t
            .vouchers_sold_cents
            .checked_add(other.vouchers_sold_cents)?;
        t.avoirs_redeemed_cents = t
            .avoirs_redeemed_cents
            .checked_add(other.avoirs_redeemed_cents)?;
        t.external_vouchers_cents = t
            .external_vouchers_cents
            .checked_add(other.external_vouchers_cents)?;
        for tender in &other.voucher_tenders {
            add_tender(
                &mut self.voucher_tenders,
                tender.method,
                tender.count,
                tender.amount_cents,
            )?;
        }
        for tender in &other.deposit_tenders {
            add_tender(
                &mut self.deposit_tenders,
                tender.method,
                tender.count,
                tender.amount_cents,
            )?;
        }
        for v in &other.vat {
            let entry = self.vat.entry(v.rate_bp).or_insert(VatTotal {
                rate_bp: v.rate_bp,
                ht_cents: Money::ZERO,
                vat_cents: Money::ZERO,
                ttc_cents: Money::ZERO,
            });
            entry.ht_cents = entry.ht_cents.checked_add(v.ht_cents)?;
            entry.vat_cents = entry.vat_cents.checked_add(v.vat_cents)?;
            entry.ttc_cents = entry.ttc_cents.checked_add(v.ttc_cents)?;
        }
        for tender in &other.tenders {
            add_tender(
                &mut self.tenders,
                tender.method,
                tender.count,
                tender.amount_cents,
            )?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<PeriodTotals, Overflow> {
        let mut t = self.totals;
        t.vat = self.vat.into_values().rev().collect();
        t.tenders = Method::ALL
            .iter()
            .filter_map(|m| self.tenders.remove(m))
            .collect();
        t.deposit_tenders = Method::ALL
            .iter()
            .filter_map(|m| self.deposit_tenders.remove(m))
            .collect();
        t.voucher_tenders = Method::ALL
            .iter()
            .filter_map(|m| self.voucher_tenders.remove(m))
            .collect();
        let voucher_cash = t
            .voucher_tenders
            .iter()
            .find(|v| v.method == Method::Cash)
            .map(|v| v.amount_cents)
            .unwrap_or_default();
        let cash = t
            .tender(Method::Cash)
            .checked_add(t.deposit_tender(Method::Cash))?
            .checked_add(voucher_cash)?;
        t.expected_cash_cents = t
            .float_cents
            .checked_add(cash)?
            .checked_add(t.cash_in_cents)?
            .checked_sub(t.cash_out_cents)?;
        Ok(t)
    }
}
