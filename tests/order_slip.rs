//! A customer order's slip from the command line (`relais order print`), against the fake
//! ESC/POS printer on 127.0.0.1: decoded as a printer prints it (text by code page, QR code,
//! cut, no drawer pulse), and a printer gone gives a French error and a non-zero status.

use crate::printer::{journal_names, pulses, ready, set_printer, stderr};
use crate::support::{relais, relais_ok, DataDir};
use relais_printer::fake::{self, Event};
use serde_json::Value;

/// `relais order print NUMBER` on the fake printer: the slip as the order stands (customer,
/// lines, total, deposit, balance due, pickup day), the QR code of its number, a cut, no
/// drawer pulse, nothing written; once collected it says so; an unknown order and a printer
/// gone are refused in French with a non-zero status.
#[test]
fn an_order_slip_prints_on_the_thermal_printer() {
    let data = DataDir::new();
    relais_ok(&data, &["demo"], "");
    let order = r#"{"customer":{"name":"Mme Lefèvre","phone":"06 12 34 56 78"},"lines":[{"label":"Bûche pâtissière « Noël »","unit_price_cents":3250,"vat_rate_bp":550,"qty":2}],"requested_date":"2026-12-24","deposit":[{"method":"card","amount_cents":2000}],"operator":"Paul"}"#;
    let taken: Value =
        serde_json::from_str(relais_ok(&data, &["order", "create", "-"], order).trim()).unwrap();
    let number = taken["number"].as_str().unwrap().to_string();
    let printer = ready(false);
    set_printer(
        &data,
        &printer.uri(),
        &["--width", "58", "--code-page", "cp858"],
    );
    let written = |data: &DataDir| {
        journal_names(data)
            .into_iter()
            .filter(|n| n != "startup")
            .count()
    };
    let before = written(&data);
    let out = relais_ok(&data, &["order", "print", &number], "");
    assert_eq!(out.trim(), format!("Imprimé : BON DE COMMANDE {number}."));
    assert_eq!(written(&data), before, "printing a slip writes nothing");
    relais_ok(
        &data,
        &[
            "order",
            "status",
            &number,
            "collected",
            "--pay",
            "cash:45,00",
            "--operator",
            "Paul",
        ],
        "",
    );
    relais_ok(&data, &["order", "print", &number], "");
    let events = printer.events(2);
    printer.stop();
    let text = fake::text(&events);
    let slips: Vec<&str> = text.split("BON DE COMMANDE").skip(1).collect();
    assert_eq!(slips.len(), 2, "two slips in\n{text}");
    // (slip, what it says, in order)
    let wanted: [(&str, &[&str]); 2] = [
        (
            slips[0],
            &[
                &number,
                "Client : Mme Lefèvre",
                "Tél. : 06 12 34 56 78",
                "Retrait en magasin le 24/12/2026",
                "Bûche pâtissière « Noël »",
                "2 x 32,50",
                "65,00 EUR",
                "Acompte versé",
                "20,00",
                "RESTE À PAYER",
                "45,00 EUR",
            ],
        ),
        (slips[1], &[&number, "*** COMMANDE RETIRÉE ***", "0,00 EUR"]),
    ];
    for (slip, pieces) in wanted {
        let flat = slip.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut from = 0;
        for piece in pieces {
            let at = flat[from..]
                .find(piece)
                .unwrap_or_else(|| panic!("no {piece:?} after byte {from} in\n{slip}"));
            from += at + piece.len();
        }
    }
    assert!(!slips[0].contains("RETIRÉE"));
    let qr: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::Qr(_)))
        .collect();
    assert_eq!(qr, [&Event::Qr(number.clone()), &Event::Qr(number.clone())]);
    let cuts = events
        .iter()
        .filter(|e| matches!(e, Event::Cut { .. }))
        .count();
    assert_eq!((cuts, pulses(&events)), (2, 0));
    for line in fake::lines(&events) {
        assert!(line.columns <= 32, "58 mm paper: {:?}", line.text);
    }

    let missing = relais(&data, &["order", "print", "T1-C999999"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("commande T1-C999999 introuvable"),
        "{}",
        stderr(&missing)
    );
    let gone = relais(&data, &["order", "print", &number], "");
    let message = stderr(&gone);
    assert_eq!(gone.status.code(), Some(1), "{message}");
    assert!(
        message.starts_with("erreur: ") && message.contains("[printer_unreachable]"),
        "{message}"
    );
}
