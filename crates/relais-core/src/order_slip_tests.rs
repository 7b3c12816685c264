use super::*;
use crate::receipt::WIDTH;

fn shop() -> Shop {
    Shop {
        name: "Boulangerie du Marché de la Place".into(),
        address: "3 rue Haute, 33000 Bordeaux".into(),
        siret: "12345678900012".into(),
        vat_number: String::new(),
    }
}

fn order(status: OrderStatus) -> OrderView {
    OrderView {
        number: "T1-C000003".into(),
        id: "0193a0e0-0000-7000-8000-000000000003".into(),
        created: "07/12/2026 10:15:00".into(),
        customer: Customer {
            name: "Mme Dupont-Lefèvre de la Tour d'Auvergne".into(),
            phone: Some("06 12 34 56 78".into()),
            email: None,
            address: None,
        },
        lines: vec![
            OrderLineView {
                label: "Bûche pâtissière chocolat-praliné pour huit personnes".into(),
                qty: "2".into(),
                unit_price_cents: 3_250,
                total_cents: 6_500,
            },
            OrderLineView {
                label: "Pain de campagne".into(),
                qty: "1,5".into(),
                unit_price_cents: 420,
                total_cents: 630,
            },
        ],
        total_cents: 7_130,
        deposits_cents: 2_000,
        balance_cents: 5_130,
        status,
        requested_date: Some("2026-12-24".into()),
        fulfilment: Fulfilment::Pickup,
        note: Some("Écrire « Joyeux Noël »".into()),
        sale: None,
        history: vec![],
    }
}

/// At each printer's width, every row fits (a heading in half of it: it prints double), and
/// the slip carries, in order, what the customer and the counter need at pickup.
#[test]
fn the_slip_fits_every_paper_and_carries_the_order() {
    let doc = OrderSlipDoc::of(&shop(), "T1", &order(OrderStatus::Open));
    let wanted = [
        "BON DE COMMANDE",
        "T1-C000003",
        "07/12/2026 10:15:00",
        "Caisse T1",
        "Client : Mme Dupont-Lefèvre",
        "Tél. : 06 12 34 56 78",
        "Retrait en magasin le 24/12/2026",
        "Note : Écrire « Joyeux Noël »",
        "Bûche pâtissière",
        "2 x 32,50",
        "65,00",
        "Pain de campagne",
        "1,5 x 4,20",
        "6,30",
        "TOTAL TTC",
        "71,30 EUR",
        "Acompte versé",
        "20,00",
        "RESTE À PAYER",
        "51,30 EUR",
        "Présentez ce bon au retrait.",
    ];
    for width in [32, WIDTH, 48] {
        let rows = layout(&doc, width);
        for row in &rows {
            let limit = match row.style {
                RowStyle::Heading => width / 2,
                _ => width,
            };
            assert!(
                row.text.chars().count() <= limit,
                "{width} columns: {:?} is too long",
                row.text
            );
        }
        let text: String = rows
            .iter()
            .map(|r| r.text.trim().to_string() + "\n")
            .collect();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut from = 0;
        for piece in wanted {
            let at = flat[from..].find(piece).unwrap_or_else(|| {
                panic!("{width} columns: no {piece:?} after byte {from} in\n{text}")
            });
            from += at + piece.len();
        }
        let number = rows.iter().find(|r| r.text.trim() == "T1-C000003").unwrap();
        assert_eq!(number.style, RowStyle::Heading, "the number prints large");
        let due = rows.iter().find(|r| r.text.starts_with("RESTE")).unwrap();
        assert_eq!(due.style, RowStyle::Strong);
    }
    assert_eq!(doc.qr_text(), "T1-C000003");
}

/// An order no longer waiting says so on its slip: (status, mention or none).
#[test]
fn a_collected_or_cancelled_order_says_so() {
    let cases = [
        (OrderStatus::Open, None),
        (OrderStatus::Ready, None),
        (OrderStatus::Collected, Some("*** COMMANDE RETIRÉE ***")),
        (OrderStatus::Cancelled, Some("*** COMMANDE ANNULÉE ***")),
    ];
    for (status, mention) in cases {
        let rows = layout(&OrderSlipDoc::of(&shop(), "T1", &order(status)), 42);
        let found: Vec<&str> = rows
            .iter()
            .map(|r| r.text.trim())
            .filter(|t| t.starts_with("***"))
            .collect();
        assert_eq!(found, mention.into_iter().collect::<Vec<_>>(), "{status:?}");
    }
}

/// A delivery, no date, no note, no phone: only what the order holds is printed.
#[test]
fn a_delivery_without_a_date_prints_only_what_it_has() {
    let mut view = order(OrderStatus::Open);
    view.fulfilment = Fulfilment::Delivery;
    view.requested_date = None;
    view.note = None;
    view.customer.phone = None;
    view.customer.address = Some("12 allée des Pins, 33600 Pessac".into());
    let text: Vec<String> = layout(&OrderSlipDoc::of(&shop(), "T1", &view), 32)
        .into_iter()
        .map(|r| r.text)
        .collect();
    assert!(text.iter().any(|t| t == "Livraison"), "{text:#?}");
    assert!(text.iter().any(|t| t.contains("12 allée des Pins")));
    assert!(!text
        .iter()
        .any(|t| t.starts_with("Note") || t.starts_with("Tél")));
}

#[test]
fn days_print_the_french_way() {
    for (iso, shown) in [
        ("2026-12-24", "24/12/2026"),
        (" 2027-01-02 ", "02/01/2027"),
        ("Noël", "Noël"),
    ] {
        assert_eq!(french_day(iso), shown);
    }
}
