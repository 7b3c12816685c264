//! A customer order's slip (bon de commande) on paper: one `OrderSlipDoc` per order, from its
//! folded view (`OrderView`), laid out at a receipt printer's width with the receipt's own
//! row rules (`receipt::Text`). The thermal printer prints these rows and a QR code of the
//! order's number (relais-printer's `Job::OrderSlip`), which the orders screen's search finds
//! when scanned; the A4 route is the manager's screen. Always French: the customer keeps it.

use crate::money::Money;
use crate::order::{Customer, Fulfilment, OrderStatus};
use crate::order_view::{OrderLineView, OrderView};
use crate::receipt::{Row, RowStyle, Shop, Text};

/// An order's slip, ready to lay out.
#[derive(Debug, Clone)]
pub struct OrderSlipDoc {
    pub shop: Shop,
    pub till: String,
    /// `T1-C000003`: printed large, and the QR code's text.
    pub number: String,
    /// When the order was taken, in the till's zone ("28/11/2026 15:16:09").
    pub created: String,
    pub customer: Customer,
    pub fulfilment: Fulfilment,
    /// `YYYY-MM-DD`, printed `DD/MM/YYYY`.
    pub requested_date: Option<String>,
    pub note: Option<String>,
    pub lines: Vec<OrderLineView>,
    pub total_cents: Money,
    pub deposits_cents: Money,
    pub balance_cents: Money,
    pub status: OrderStatus,
}

impl OrderSlipDoc {
    /// The slip of an order as it stands now.
    pub fn of(shop: &Shop, till: &str, order: &OrderView) -> OrderSlipDoc {
        OrderSlipDoc {
            shop: shop.clone(),
            till: till.to_string(),
            number: order.number.clone(),
            created: order.created.clone(),
            customer: order.customer.clone(),
            fulfilment: order.fulfilment,
            requested_date: order.requested_date.clone(),
            note: order.note.clone(),
            lines: order.lines.clone(),
            total_cents: Money(order.total_cents),
            deposits_cents: Money(order.deposits_cents),
            balance_cents: Money(order.balance_cents),
            status: order.status,
        }
    }

    /// What the slip's QR code holds: the order's number, which the orders screen's search
    /// takes as typed (a scanner types it).
    pub fn qr_text(&self) -> &str {
        &self.number
    }
}

/// `2026-12-24` as `24/12/2026`; anything else as it is.
pub fn french_day(iso: &str) -> String {
    let parts: Vec<&str> = iso.trim().split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// The slip laid out for a printer of `width` columns (32, 42, 48): every row fits, a
/// [`RowStyle::Heading`] row in `width / 2` (it prints double width). The QR code is not a
/// row: the printer adds it after them.
pub fn layout(doc: &OrderSlipDoc, width: usize) -> Vec<Row> {
    use RowStyle::{Heading, Plain, Strong};
    let mut r = Text::wrapped(width);
    r.center(Heading, &doc.shop.name);
    for part in doc.shop.address.lines().flat_map(|l| l.split(", ")) {
        if !part.trim().is_empty() {
            r.center(Plain, part.trim());
        }
    }
    if !doc.shop.siret.is_empty() {
        r.center(Plain, &format!("SIRET {}", doc.shop.siret));
    }
    r.rule();
    r.center(Strong, "BON DE COMMANDE");
    r.center(Heading, &doc.number);
    match doc.status {
        OrderStatus::Open | OrderStatus::Ready => {}
        OrderStatus::Collected => r.center(Strong, "*** COMMANDE RETIRÉE ***"),
        OrderStatus::Cancelled => r.center(Strong, "*** COMMANDE ANNULÉE ***"),
    }
    r.pair(Plain, &doc.created, &format!("Caisse {}", doc.till));
    r.rule();
    for piece in crate::receipt::wrap(&format!("Client : {}", doc.customer.name), r.width) {
        r.push(Strong, piece);
    }
    if let Some(phone) = &doc.customer.phone {
        r.line(&format!("Tél. : {phone}"));
    }
    if let Some(email) = &doc.customer.email {
        r.line(email);
    }
    if let Some(address) = &doc.customer.address {
        r.line(address);
    }
    let how = match doc.fulfilment {
        Fulfilment::Pickup => "Retrait en magasin",
        Fulfilment::Delivery => "Livraison",
    };
    match &doc.requested_date {
        Some(day) => r.line(&format!("{how} le {}", french_day(day))),
        None => r.line(how),
    }
    if let Some(note) = &doc.note {
        r.line(&format!("Note : {note}"));
    }
    r.rule();
    for line in &doc.lines {
        r.line(&line.label);
        r.pair(
            Plain,
            &format!("  {} x {}", line.qty, Money(line.unit_price_cents)),
            &Money(line.total_cents).to_string(),
        );
    }
    r.rule();
    r.pair(Strong, "TOTAL TTC", &format!("{} EUR", doc.total_cents));
    r.pair(Plain, "Acompte versé", &doc.deposits_cents.to_string());
    r.pair(
        Strong,
        "RESTE À PAYER",
        &format!("{} EUR", doc.balance_cents),
    );
    r.rule();
    r.line("Présentez ce bon au retrait. L'acompte n'est pas une vente : le ticket de caisse est remis au retrait.");
    r.rows
}

#[cfg(test)]
#[path = "order_slip_tests.rs"]
mod tests;
