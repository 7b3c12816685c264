//! A customer order's slip (`relais_core::order_slip::OrderSlipDoc`) sent to the fake printer
//! over TCP at each width and code page, then read back as the printer printed it.

use crate::codepage::CodePage;
use crate::deliver::Job;
use crate::fake::Event;
use crate::receipt_tests::shop;
use crate::tests::{printed_without_pulse, qr_codes};
use relais_core::order::{Customer, Fulfilment, OrderStatus};
use relais_core::order_slip::OrderSlipDoc;
use relais_core::{OrderLineView, OrderView};

fn order() -> OrderView {
    OrderView {
        number: "T1-C000007".into(),
        id: "0193a0e0-0000-7000-8000-000000000007".into(),
        created: "07/12/2026 10:15:00".into(),
        customer: Customer {
            name: "Mme Lefèvre".into(),
            phone: Some("06 12 34 56 78".into()),
            email: None,
            address: None,
        },
        lines: vec![OrderLineView {
            label: "Œufs de Pâques garnis".into(),
            qty: "3".into(),
            unit_price_cents: 1_250,
            total_cents: 3_750,
        }],
        total_cents: 3_750,
        deposits_cents: 1_000,
        balance_cents: 2_750,
        status: OrderStatus::Open,
        requested_date: Some("2027-03-27".into()),
        fulfilment: Fulfilment::Pickup,
        note: None,
        sale: None,
        history: vec![],
    }
}

/// Printed as laid out: the number large, the customer, the lines with accents and « Œ »
/// right in each page, the balance due bold, the QR code of the number, a cut, never a pulse.
#[test]
fn an_order_slip_prints_at_every_width_with_its_qr_code() {
    let doc = OrderSlipDoc::of(&shop(), "T1", &order());
    for (columns, page) in [
        (32, CodePage::Cp858),
        (42, CodePage::Wpc1252),
        (48, CodePage::Wpc1252),
    ] {
        let oe = match page {
            CodePage::Cp858 => "OEufs",
            _ => "Œufs",
        };
        let eggs = format!("{oe} de Pâques garnis");
        let wanted = [
            "BON DE COMMANDE",
            "T1-C000007",
            "Client : Mme Lefèvre",
            "Retrait en magasin le 27/03/2027",
            &eggs,
            "3 x 12,50",
            "37,50 EUR",
            "Acompte versé",
            "10,00",
            "27,50 EUR",
        ];
        let (events, bold) =
            printed_without_pulse(columns, page, Job::OrderSlip { doc: &doc }, &wanted);
        assert!(
            bold.iter().any(|l| l.starts_with("RESTE À PAYER")),
            "{columns}: {bold:?}"
        );
        assert_eq!(qr_codes(&events), [&Event::Qr("T1-C000007".into())]);
    }
}
