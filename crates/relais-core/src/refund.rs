//! Refunds: some or all lines of a sale given back, as a new ticket with negative amounts
//! linked to the sale. Amounts are the sale's own, in proportion to the quantity returned;
//! the return that completes a line takes exactly what is left of it, so that the refunds of
//! a line always add up to the line.

use crate::money::{div_round_half_away, Money, Overflow, Qty};
use crate::ticket::{ht_of, Line, Link, Method, Payment, Ticket};

/// What has already been refunded of one sale line (positive amounts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refunded {
    pub qty: Qty,
    pub gross: Money,
    pub discount: Money,
    pub ticket_discount: Money,
    pub total: Money,
}

impl Refunded {
    /// Adds a refund line (negative amounts) to the tally.
    pub fn add(&mut self, line: &Line) {
        self.qty.0 -= line.qty_milli.0;
        self.gross.0 -= line.gross_cents.0;
        self.discount.0 -= line.discount_cents.0;
        self.ticket_discount.0 -= line.ticket_discount_cents.0;
        self.total.0 -= line.total_cents.0;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundError {
    #[error("nothing to refund")]
    Empty,
    #[error("line {0} is not a line of the sale")]
    NoSuchLine(usize),
    #[error("line {line}: {asked} asked but only {left} left to refund")]
    TooMuch { line: usize, asked: Qty, left: Qty },
    #[error("line {0}: the quantity must be above zero")]
    NonPositive(usize),
    #[error("amount out of range")]
    Overflow,
}

impl From<Overflow> for RefundError {
    fn from(_: Overflow) -> Self {
        RefundError::Overflow
    }
}

impl RefundError {
    /// The message in both languages (`Display` is the English).
    pub fn text(&self) -> crate::Text {
        crate::Text {
            fr: self.fr(),
            en: self.to_string(),
        }
    }

    pub(crate) fn fr(&self) -> String {
        match self {
            RefundError::Empty => "rien à rembourser".into(),
            RefundError::NoSuchLine(i) => format!("la ligne {} n'existe pas sur ce ticket", i + 1),
            RefundError::TooMuch { line, asked, left } => format!(
                "ligne {} : {asked} demandé(s) mais {left} seulement reste(nt) à rembourser",
                line + 1
            ),
            RefundError::NonPositive(i) => {
                format!("ligne {} : la quantité doit être positive", i + 1)
            }
            RefundError::Overflow => "montant hors limites".into(),
        }
    }
}

fn share(amount: Money, qty: Qty, of: Qty) -> Result<Money, Overflow> {
    div_round_half_away(i128::from(amount.0) * i128::from(qty.0), i128::from(of.0)).map(Money)
}

/// The refund of `qty` of sale line `index`, given what was refunded of it before.
fn refund_line(index: usize, line: &Line, qty: Qty, before: Refunded) -> Result<Line, RefundError> {
    if qty.0 <= 0 {
        return Err(RefundError::NonPositive(index));
    }
    let left = Qty(line.qty_milli.0 - before.qty.0);
    if qty > left {
        return Err(RefundError::TooMuch {
            line: index,
            asked: qty,
            left,
        });
    }
    let (gross, discount, total) = if qty == left {
        (
            line.gross_cents.checked_sub(before.gross)?,
            line.discount_cents.checked_sub(before.discount)?,
            line.total_cents.checked_sub(before.total)?,
        )
    } else {
        (
            share(line.gross_cents, qty, line.qty_milli)?,
            share(line.discount_cents, qty, line.qty_milli)?,
            share(line.total_cents, qty, line.qty_milli)?,
        )
    };
    let ticket_discount = gross.checked_sub(discount)?.checked_sub(total)?;
    let total = total.checked_neg()?;
    Ok(Line {
        qty_milli: Qty(-qty.0),
        gross_cents: gross.checked_neg()?,
        discount_cents: discount.checked_neg()?,
        ticket_discount_cents: ticket_discount.checked_neg()?,
        total_cents: total,
        ht_cents: ht_of(total, line.vat_rate_bp)?,
        of_line: Some(index as u32),
        ..line.clone()
    })
}

/// A refund ticket of `lines` (index in the sale, quantity) of `sale`, paid back by `method`.
/// `before[i]` is what was already refunded of line `i`.
pub fn refund_ticket(
    sale: &Ticket,
    link: Link,
    lines: &[(usize, Qty)],
    before: &[Refunded],
    method: Method,
    reference: Option<String>,
    reason: String,
) -> Result<Ticket, RefundError> {
    if lines.is_empty() {
        return Err(RefundError::Empty);
    }
    let mut refund_lines = Vec::with_capacity(lines.len());
    for &(index, qty) in lines {
        let line = sale
            .lines
            .get(index)
            .ok_or(RefundError::NoSuchLine(index))?;
        let done = before.get(index).copied().unwrap_or_default();
        let mut already = done;
        // The same line twice in one request counts as one larger return.
        for previous in refund_lines
            .iter()
            .filter(|l: &&Line| l.of_line == Some(index as u32))
        {
            already.add(previous);
        }
        refund_lines.push(refund_line(index, line, qty, already)?);
    }
    let vat = Ticket::vat_breakdown(&refund_lines)?;
    let total = Money::sum(refund_lines.iter().map(|l| l.total_cents))?;
    Ok(Ticket {
        ticket_discount_cents: Money::sum(refund_lines.iter().map(|l| l.ticket_discount_cents))?,
        lines: refund_lines,
        vat,
        total_cents: total,
        payments: vec![Payment {
            method,
            amount_cents: total,
            tendered_cents: None,
            change_cents: None,
            reference,
        }],
        note: None,
        corrects: Some(link),
        reason: Some(reason),
        late: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::DEFAULT_VAT_RATES;
    use crate::sale::{price_sale, SaleInput};
    use uuid::Uuid;

    fn sale() -> Ticket {
        let input: SaleInput = serde_json::from_value(serde_json::json!({
            "lines": [
                {"label": "Tasse", "unit_price_cents": 999, "vat_rate_bp": 2000, "qty": 3, "discount_percent": "10"},
                {"label": "Livre", "unit_price_cents": 1990, "vat_rate_bp": 550}
            ],
            "ticket_discount_cents": 101,
            "payments": [{"method": "card", "amount_cents": 4586}]
        }))
        .unwrap();
        price_sale(&input, &DEFAULT_VAT_RATES).unwrap()
    }

    fn link() -> Link {
        Link {
            id: Uuid::nil(),
            number: "T1-000001".into(),
        }
    }

    #[test]
    fn refunds_of_a_line_add_up_to_the_line() {
        let sale = sale();
        assert_eq!(sale.total_cents, Money(4586));
        let mut before = vec![Refunded::default(); 2];
        let mut refunded_total = 0;
        for _ in 0..3 {
            let refund = refund_ticket(
                &sale,
                link(),
                &[(0, Qty::ONE)],
                &before,
                Method::Cash,
                None,
                "retour".into(),
            )
            .unwrap();
            before[0].add(&refund.lines[0]);
            refunded_total += refund.total_cents.0;
            assert_eq!(refund.payments[0].amount_cents, refund.total_cents);
        }
        assert_eq!(
            -refunded_total, sale.lines[0].total_cents.0,
            "three returns of one = the line"
        );
        let err = refund_ticket(
            &sale,
            link(),
            &[(0, Qty::ONE)],
            &before,
            Method::Cash,
            None,
            "x".into(),
        )
        .unwrap_err();
        assert!(matches!(err, RefundError::TooMuch { .. }), "{err}");
    }

    #[test]
    fn a_full_refund_is_the_exact_opposite() {
        let sale = sale();
        let before = vec![Refunded::default(); 2];
        let all = [(0, Qty(3000)), (1, Qty::ONE)];
        let refund =
            refund_ticket(&sale, link(), &all, &before, Method::Card, None, "x".into()).unwrap();
        assert_eq!(refund.total_cents.0, -sale.total_cents.0);
        for (r, s) in refund.vat.iter().zip(&sale.vat) {
            assert_eq!(
                (r.ht_cents.0, r.vat_cents.0, r.ttc_cents.0),
                (-s.ht_cents.0, -s.vat_cents.0, -s.ttc_cents.0)
            );
        }
    }

    #[test]
    fn bad_requests_are_named() {
        let sale = sale();
        let before = vec![Refunded::default(); 2];
        type Expected = fn(&RefundError) -> bool;
        let cases: Vec<(&[(usize, Qty)], Expected)> = vec![
            (&[], |e| matches!(e, RefundError::Empty)),
            (&[(5, Qty::ONE)], |e| {
                matches!(e, RefundError::NoSuchLine(5))
            }),
            (&[(1, Qty(0))], |e| matches!(e, RefundError::NonPositive(1))),
            (&[(1, Qty(2000))], |e| {
                matches!(e, RefundError::TooMuch { .. })
            }),
            (&[(1, Qty::ONE), (1, Qty::ONE)], |e| {
                matches!(e, RefundError::TooMuch { .. })
            }),
        ];
        for (lines, expected) in cases {
            let err = refund_ticket(
                &sale,
                link(),
                lines,
                &before,
                Method::Cash,
                None,
                "x".into(),
            )
            .unwrap_err();
            assert!(expected(&err), "{lines:?}: {err}");
        }
    }
}
