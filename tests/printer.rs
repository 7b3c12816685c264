//! The receipt printer and the cash drawer from the command line, against the fake ESC/POS
//! printer on 127.0.0.1: what `relais` sends is decoded as a printer prints it (text by code
//! page, QR code, cut, drawer pulses), and a printer that fails gives a French error, a
//! non-zero exit status, and loses no sale.

use crate::support::{relais, relais_ok, DataDir};
use relais_printer::fake::{self, Answer, Event, FakePrinter};
use relais_printer::Status;
use serde_json::Value;

/// A demo till (Marie manager, Paul cashier) with one cash sale by Paul; its number and id.
fn till_with_a_sale(data: &DataDir) -> (String, String) {
    relais_ok(data, &["demo"], "");
    let sale = r#"{"lines":[{"label":"Œufs frais x6","unit_price_cents":350,"vat_rate_bp":550,"qty":2},{"label":"Baguette","unit_price_cents":120,"vat_rate_bp":550}],"payments":[{"method":"cash","tendered_cents":1000}],"operator":"Paul"}"#;
    let recorded: Value =
        serde_json::from_str(relais_ok(data, &["sale", "record", "-"], sale).trim())
            .expect("sale record prints JSON");
    (
        recorded["number"].as_str().unwrap().to_string(),
        recorded["id"].as_str().unwrap().to_string(),
    )
}

pub(crate) fn ready(drawer_open: bool) -> FakePrinter {
    FakePrinter::start(Answer::Status(Status {
        drawer_open,
        ..Status::ready()
    }))
    .expect("the fake printer listens")
}

pub(crate) fn set_printer(data: &DataDir, uri: &str, more: &[&str]) {
    let mut args = vec!["printer", "set", uri, "--operator", "Marie"];
    args.extend_from_slice(more);
    relais_ok(data, &args, "");
}

pub(crate) fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub(crate) fn pulses(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Event::Pulse { pin: 2, .. }))
        .count()
}

pub(crate) fn journal_names(data: &DataDir) -> Vec<String> {
    relais_ok(data, &["journal", "--json"], "")
        .lines()
        .map(|l| {
            let entry: Value = serde_json::from_str(l).unwrap();
            entry["name"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn printer_settings_are_set_checked_and_shown() {
    let data = DataDir::new();
    relais_ok(&data, &["demo"], "");
    // (arguments after `printer set`, accepted or the error kind, then `printer show --json`)
    let cases: [(&[&str], Result<&str, &str>); 7] = [
        (
            &["tcp://192.168.1.50:9100", "--operator", "Marie"],
            Ok(
                r#"{"uri":"tcp://192.168.1.50:9100","columns":48,"code_page":16,"print_every_receipt":true,"drawer_on_cash":true,"cashiers_open_drawer":false}"#,
            ),
        ),
        (
            &[
                "file:///dev/usb/lp0",
                "--width",
                "58",
                "--code-page",
                "cp858",
                "--print-every-receipt",
                "off",
                "--drawer-on-cash",
                "off",
                "--cashiers-open-drawer",
                "on",
                "--operator",
                "Marie",
            ],
            Ok(
                r#"{"uri":"file:///dev/usb/lp0","columns":32,"code_page":19,"print_every_receipt":false,"drawer_on_cash":false,"cashiers_open_drawer":true}"#,
            ),
        ),
        (
            &[
                "serial:///dev/ttyUSB0?baud=19200",
                "--width",
                "42",
                "--operator",
                "Marie",
            ],
            Ok(
                r#"{"uri":"serial:///dev/ttyUSB0?baud=19200","columns":42,"code_page":19,"print_every_receipt":false,"drawer_on_cash":false,"cashiers_open_drawer":true}"#,
            ),
        ),
        (
            &["http://imprimante", "--operator", "Marie"],
            Err("[invalid_setting]"),
        ),
        (
            &["tcp://imprimante", "--width", "40", "--operator", "Marie"],
            Err("[invalid_setting]"),
        ),
        (
            &["tcp://imprimante", "--operator", "Paul"],
            Err("[forbidden]"),
        ),
        (
            &[
                "none",
                "--width",
                "80",
                "--code-page",
                "wpc1252",
                "--operator",
                "Marie",
            ],
            Ok(
                r#"{"uri":"","columns":48,"code_page":16,"print_every_receipt":false,"drawer_on_cash":false,"cashiers_open_drawer":true}"#,
            ),
        ),
    ];
    let mut changes = 0;
    for (args, expected) in cases {
        let before = relais_ok(&data, &["printer", "show", "--json"], "");
        let mut all = vec!["printer", "set"];
        all.extend_from_slice(args);
        let output = relais(&data, &all, "");
        let shown = relais_ok(&data, &["printer", "show", "--json"], "");
        match expected {
            Ok(json) => {
                assert!(output.status.success(), "{args:?}: {}", stderr(&output));
                let shown: Value = serde_json::from_str(&shown).unwrap();
                assert_eq!(
                    shown,
                    serde_json::from_str::<Value>(json).unwrap(),
                    "{args:?}"
                );
                changes += 1;
            }
            Err(kind) => {
                assert_eq!(output.status.code(), Some(1), "{args:?}");
                let message = stderr(&output);
                assert!(
                    message.starts_with("erreur: ") && message.contains(kind),
                    "{args:?}: {message}"
                );
                assert_eq!(shown, before, "{args:?}: nothing changed");
            }
        }
    }
    let journaled = journal_names(&data)
        .iter()
        .filter(|n| *n == "settings_change")
        .count();
    assert!(
        journaled >= changes,
        "{journaled} settings changes journaled"
    );
    let people = relais_ok(&data, &["printer", "show"], "");
    assert!(people.contains("Imprimante : aucune"), "{people}");
    assert!(people.contains("Largeur : 48 colonnes"), "{people}");
}

/// The test page through each code page: the € sign and « Œufs » as the printer prints
/// them (CP858 has no Œ: it prints OE).
#[test]
fn the_test_page_prints_the_euro_sign_and_french_letters_in_each_code_page() {
    let data = DataDir::new();
    relais_ok(&data, &["demo"], "");
    // (--code-page, ESC t number, the sample line as printed)
    let cases = [
        ("wpc1252", 16, "12,50 € « Œufs » 5 °C"),
        ("cp858", 19, "12,50 € « OEufs » 5 °C"),
    ];
    for (page, number, sample) in cases {
        let printer = ready(true);
        set_printer(
            &data,
            &printer.uri(),
            &["--code-page", page, "--width", "42"],
        );
        let said = relais_ok(&data, &["printer", "test"], "");
        assert!(said.contains("Page de test imprimée"), "{said}");
        let events = printer.events(1);
        assert!(
            events.contains(&Event::CodePage(number)),
            "{page}: {events:?}"
        );
        let lines: Vec<String> = fake::lines(&events).into_iter().map(|l| l.text).collect();
        assert!(lines.iter().any(|l| l == sample), "{page}: {lines:#?}");
        assert!(
            lines
                .iter()
                .any(|l| *l == format!("42 colonnes, page de code {number}")),
            "{lines:#?}"
        );
        assert!(events.contains(&Event::Cut { partial: true }), "{events:?}");
        assert_eq!(pulses(&events), 0, "a test page opens no drawer");
        printer.stop();
    }
}

#[test]
fn a_sale_prints_once_then_as_duplicata_and_never_opens_the_drawer() {
    let data = DataDir::new();
    let (number, id) = till_with_a_sale(&data);
    // (what the command says, the DUPLICATA line printed)
    let cases = [
        ("Ticket", None),
        ("Duplicata 1", Some("*** DUPLICATA 1 ***")),
        ("Duplicata 2", Some("*** DUPLICATA 2 ***")),
    ];
    for (said, duplicata) in cases {
        let printer = ready(false);
        set_printer(&data, &printer.uri(), &[]);
        let out = relais_ok(&data, &["sale", "print", &number, "--operator", "Paul"], "");
        assert!(out.starts_with(said) && out.contains(&number), "{out}");
        let events = printer.events(1);
        let text = fake::text(&events);
        assert!(text.contains(&number), "{text}");
        assert!(text.contains("Œufs frais x6"), "{text}");
        assert!(text.contains("8,20"), "the total: {text}");
        assert_eq!(text.contains("DUPLICATA"), duplicata.is_some(), "{text}");
        if let Some(title) = duplicata {
            assert!(text.contains(title), "{text}");
        }
        let hash_of_id = |event: &Event| match event {
            Event::Qr(data) => data.strip_prefix(&format!("{id} ")).is_some_and(|hash| {
                hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())
            }),
            _ => false,
        };
        assert!(
            events.iter().any(hash_of_id),
            "QR of the record's id and chain hash: {events:?}"
        );
        assert!(events.contains(&Event::Cut { partial: true }), "{events:?}");
        assert_eq!(
            pulses(&events),
            0,
            "a receipt printed on request opens no drawer"
        );
        printer.stop();
    }
    let copies = journal_names(&data);
    assert!(!copies.iter().any(|n| n == "drawer_opened"), "{copies:?}");
    relais_ok(&data, &["verify"], "");
}

#[test]
fn opening_the_drawer_needs_the_right_pulses_once_and_is_journaled() {
    let data = DataDir::new();
    till_with_a_sale(&data);
    // (who, cashiers allowed, the drawer's sensor after the pulse, opened, pulses received)
    let cases = [
        ("Marie", false, true, true, 1),
        ("Paul", false, true, false, 0),
        ("Paul", true, true, true, 1),
        ("Marie", false, false, true, 2),
        ("Inconnu", true, true, false, 0),
    ];
    let mut opened = 0;
    for (who, cashiers, sensor_open, allowed, expected_pulses) in cases {
        let printer = ready(sensor_open);
        let allow = if cashiers { "on" } else { "off" };
        set_printer(&data, &printer.uri(), &["--cashiers-open-drawer", allow]);
        let output = relais(&data, &["drawer", "open", "--operator", who], "");
        let connections = match (allowed, expected_pulses) {
            (false, _) => 0,
            (true, 1) => 2,
            _ => 3,
        };
        let events = printer.events(connections);
        assert_eq!(
            output.status.success(),
            allowed,
            "{who}: {}",
            stderr(&output)
        );
        assert_eq!(pulses(&events), expected_pulses, "{who}: {events:?}");
        assert!(
            fake::text(&events).is_empty(),
            "nothing printed: {events:?}"
        );
        if allowed {
            opened += 1;
        } else {
            assert!(
                stderr(&output).contains("[forbidden]"),
                "{}",
                stderr(&output)
            );
        }
        let journaled = journal_names(&data)
            .iter()
            .filter(|n| *n == "drawer_opened")
            .count();
        assert_eq!(journaled, opened, "{who}");
        printer.stop();
    }
    let x = relais_ok(&data, &["day", "x"], "");
    assert!(
        x.contains(&format!("Ouvertures du tiroir sans vente : {opened}")),
        "{x}"
    );
    let x: Value = serde_json::from_str(&relais_ok(&data, &["day", "x", "--json"], "")).unwrap();
    assert_eq!(x["totals"]["drawer_openings"], opened, "{x}");
    let z = relais_ok(
        &data,
        &["day", "close", "--operator", "Marie", "--json"],
        "",
    );
    let z: Value = serde_json::from_str(z.trim()).unwrap();
    assert_eq!(z["closure"]["totals"]["drawer_openings"], opened, "{z}");
    relais_ok(&data, &["verify"], "");
}

#[test]
fn a_failing_printer_gives_a_french_error_and_loses_no_sale() {
    let data = DataDir::new();
    let (number, _) = till_with_a_sale(&data);
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("tcp://{}", listener.local_addr().unwrap())
    };
    let paper_out = Status {
        online: false,
        paper_end: true,
        ..Status::default()
    };
    // (printer, command, French message, kind)
    let cases = [
        (
            Some(paper_out),
            "print",
            "plus de papier",
            "[printer_paper_out]",
        ),
        (None, "print", "injoignable", "[printer_unreachable]"),
        (
            Some(paper_out),
            "test",
            "plus de papier",
            "[printer_paper_out]",
        ),
        (None, "drawer", "injoignable", "[printer_unreachable]"),
    ];
    for (answer, command, french, kind) in cases {
        let printer = answer.map(|s| FakePrinter::start(Answer::Status(s)).unwrap());
        let uri = printer
            .as_ref()
            .map(FakePrinter::uri)
            .unwrap_or(closed_port.clone());
        set_printer(&data, &uri, &[]);
        let args: Vec<&str> = match command {
            "print" => vec!["sale", "print", &number, "--operator", "Paul"],
            "test" => vec!["printer", "test"],
            _ => vec!["drawer", "open", "--operator", "Marie"],
        };
        let output = relais(&data, &args, "");
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{command}: {message}");
        assert!(message.starts_with("erreur: "), "{message}");
        assert!(
            message.contains(french) && message.contains(kind),
            "{command}: {message}"
        );
        if command == "print" {
            assert!(
                message.contains(&format!("la vente {number} reste enregistrée")),
                "{message}"
            );
        }
        if let Some(printer) = printer {
            let events = printer.events(1);
            assert!(
                fake::text(&events).is_empty(),
                "nothing printed: {events:?}"
            );
            printer.stop();
        }
    }
    // The sale is still there, and once the printer is back its first print is the original.
    assert!(relais_ok(&data, &["sale", "show", &number], "").contains("Œufs frais x6"));
    let printer = ready(true);
    set_printer(&data, &printer.uri(), &[]);
    let out = relais_ok(&data, &["sale", "print", &number, "--operator", "Paul"], "");
    assert!(out.starts_with("Ticket"), "{out}");
    let text = fake::text(&printer.events(1));
    assert!(
        text.contains(&number) && !text.contains("DUPLICATA"),
        "{text}"
    );
    printer.stop();
    relais_ok(&data, &["verify"], "");
}

/// `relais day print-x` and `print-z [NUMBER]` on the fake printer: the figures of the day and
/// of the closure as signed, cut, no drawer pulse, nothing written; a closure that does not
/// exist, and a printer gone, are refused in French with a non-zero status.
#[test]
fn x_and_z_reports_print_on_the_thermal_printer() {
    let data = DataDir::new();
    till_with_a_sale(&data);
    let printer = ready(false);
    set_printer(&data, &printer.uri(), &["--width", "58"]);
    // Each run of `relais` that opens the till journals its start-up (80): the rest is what a
    // command writes.
    let written = |data: &DataDir| {
        journal_names(data)
            .into_iter()
            .filter(|n| n != "startup")
            .count()
    };
    let before = written(&data);
    let out = relais_ok(&data, &["day", "print-x"], "");
    assert_eq!(out.trim(), "Imprimé : RAPPORT X.");
    assert_eq!(written(&data), before, "printing the X writes nothing");
    let no_closure = relais(&data, &["day", "print-z"], "");
    assert_eq!(no_closure.status.code(), Some(1), "{}", stderr(&no_closure));
    assert!(
        stderr(&no_closure).contains("introuvable"),
        "{}",
        stderr(&no_closure)
    );
    relais_ok(&data, &["day", "close", "--operator", "Marie"], "");
    let closures = relais_ok(&data, &["day", "closures", "--json"], "");
    let closure: Value = serde_json::from_str(closures.lines().last().unwrap()).unwrap();
    let z = closure["number"].as_str().unwrap().to_string();
    let after_close = written(&data);
    // (arguments after `day`, what the paper says, in order)
    let cases: [(Vec<&str>, Vec<String>); 2] = [
        (vec!["print-z"], vec![format!("CLÔTURE Z {z}")]),
        (vec!["print-z", &z], vec![format!("CLÔTURE Z {z}")]),
    ];
    for (args, wanted) in &cases {
        let mut all = vec!["day"];
        all.extend(args.iter().copied());
        let out = relais_ok(&data, &all, "");
        assert_eq!(out.trim(), format!("Imprimé : {}.", wanted[0]));
    }
    let events = printer.events(3);
    printer.stop();
    let reports: Vec<String> = fake::text(&events)
        .split("RAPPORT X")
        .map(String::from)
        .collect();
    let text = fake::text(&events);
    for piece in [
        "RAPPORT X",
        "Ventes (1)",
        "8,20 EUR",
        "Espèces (1)",
        "Attendu",
        &format!("CLÔTURE Z {z}"),
        "Grand total perpétuel",
        "Signature Ed25519",
    ] {
        assert!(text.contains(piece), "no {piece:?} in\n{text}");
    }
    assert_eq!(reports.len(), 2, "one X report");
    assert_eq!(text.matches(&format!("CLÔTURE Z {z}")).count(), 2);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::Cut { .. }))
            .count(),
        3
    );
    assert_eq!(pulses(&events), 0);
    for line in fake::lines(&events) {
        assert!(line.columns <= 32, "58 mm paper: {:?}", line.text);
    }
    assert_eq!(written(&data), after_close, "printing a Z writes nothing");

    let missing = relais(&data, &["day", "print-z", "T1-Z999999"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("clôture T1-Z999999 introuvable"),
        "{}",
        stderr(&missing)
    );
    let gone = relais(&data, &["day", "print-x"], "");
    let message = stderr(&gone);
    assert_eq!(gone.status.code(), Some(1), "{message}");
    assert!(
        message.starts_with("erreur: ") && message.contains("[printer_unreachable]"),
        "{message}"
    );
}
