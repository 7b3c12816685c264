//! The encoder, the status and the transports, each checked against the fake printer's
//! decoding or against published tables, case by case.

use crate::codepage::CodePage;
use crate::escpos::{drawer_pulse, Cut, EscPos, Pin};
use crate::fake::{self, Answer, Event, FakePrinter};
use crate::status::Status;
use crate::transport::{Printer, Uri};
use relais_core::Lang;
use std::time::{Duration, Instant};

const PAGES: [CodePage; 2] = [CodePage::Wpc1252, CodePage::Cp858];

/// Text sent through each code page and decoded back by the fake printer.
#[test]
fn text_prints_right_through_both_code_pages() {
    // (text, printed with WPC1252, printed with CP858)
    let cases = [
        ("Total 12,50 €", "Total 12,50 €", "Total 12,50 €"),
        ("« Œufs » frais", "« Œufs » frais", "« OEufs » frais"),
        ("bœuf, Ÿ", "bœuf, Ÿ", "boeuf, Y"),
        (
            "àâäçéèêëîïôöùûüÿ ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ",
            "àâäçéèêëîïôöùûüÿ ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ",
            "àâäçéèêëîïôöùûüÿ ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ",
        ),
        (
            "5 °C, ½ l, ¿Ò® \u{AD}",
            "5 °C, ½ l, ¿Ò® \u{AD}",
            "5 °C, ½ l, ¿Ò® \u{AD}",
        ),
        ("l’été — 1…", "l’été — 1…", "l'été - 1..."),
        ("prix\u{202F}: 3 €", "prix : 3 €", "prix : 3 €"),
        ("日本 ✓", "?? ?", "?? ?"),
        // Control characters never reach the printer: ESC, BEL, NUL, DEL, C1, tab, LF.
        ("Pain\u{1B}@\u{7}\u{0}", "Pain@", "Pain@"),
        // A drawer pulse hidden in a label prints as text, and pulses nothing.
        ("A\u{1B}p\u{0}\u{19}\u{19}B", "ApB", "ApB"),
        ("x\u{7F}\u{85}\u{9B}y\tz\nw", "xyzw", "xyzw"),
    ];
    for (text, wpc1252, cp858) in cases {
        for (page, expected) in [(CodePage::Wpc1252, wpc1252), (CodePage::Cp858, cp858)] {
            let mut out = EscPos::new(page);
            out.line(text);
            let events = fake::decode(out.bytes());
            assert_eq!(
                events,
                vec![
                    Event::Init,
                    Event::CodePage(page.number()),
                    Event::Text(format!("{expected}\n")),
                ],
                "{text:?} through {page:?}"
            );
        }
    }
}

/// Bytes checked against the published tables (Python's `cp1252` and `cp858` codecs, from
/// Unicode's mappings): among them the five PC858 entries the `escpos` crate got wrong.
#[test]
fn code_page_bytes_match_the_published_tables() {
    let cases = [
        (CodePage::Cp858, "Ô", 0xE2),
        (CodePage::Cp858, "Ò", 0xE3),
        (CodePage::Cp858, "®", 0xA9),
        (CodePage::Cp858, "¿", 0xA8),
        (CodePage::Cp858, "\u{AD}", 0xF0),
        (CodePage::Cp858, "€", 0xD5),
        (CodePage::Cp858, "é", 0x82),
        (CodePage::Cp858, "à", 0x85),
        (CodePage::Cp858, "ç", 0x87),
        (CodePage::Cp858, "«", 0xAE),
        (CodePage::Cp858, "»", 0xAF),
        (CodePage::Cp858, "°", 0xF8),
        (CodePage::Cp858, "É", 0x90),
        (CodePage::Cp858, "\u{A0}", 0xFF),
        (CodePage::Wpc1252, "€", 0x80),
        (CodePage::Wpc1252, "Œ", 0x8C),
        (CodePage::Wpc1252, "œ", 0x9C),
        (CodePage::Wpc1252, "Ÿ", 0x9F),
        (CodePage::Wpc1252, "é", 0xE9),
        (CodePage::Wpc1252, "«", 0xAB),
        (CodePage::Wpc1252, "’", 0x92),
    ];
    for (page, text, byte) in cases {
        assert_eq!(page.encode(text), vec![byte], "{text:?} in {page:?}");
    }
    for page in PAGES {
        let table = page.high_table();
        let printable: Vec<char> = table.iter().copied().filter(|c| !c.is_control()).collect();
        let mut distinct = printable.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            printable.len(),
            "{page:?}: one byte per character"
        );
        for (index, c) in table.iter().enumerate() {
            if !c.is_control() {
                let byte = 0x80 + index as u8;
                assert_eq!(page.encode(&c.to_string()), vec![byte], "{c:?} in {page:?}");
                assert_eq!(page.decode(&[byte]), c.to_string());
            }
        }
    }
    assert_eq!(
        CodePage::Cp858
            .high_table()
            .iter()
            .filter(|c| c.is_control())
            .count(),
        0
    );
    assert_eq!(
        CodePage::Wpc1252
            .high_table()
            .iter()
            .filter(|c| c.is_control())
            .count(),
        5
    );
}

/// Each command's exact bytes, and what the fake printer makes of them.
#[test]
fn commands_have_their_full_bytes() {
    let build = |f: &dyn Fn(&mut EscPos)| {
        let mut out = EscPos::bare(CodePage::Wpc1252);
        f(&mut out);
        out.into_bytes()
    };
    type Case<'a> = (&'a str, Vec<u8>, &'a [u8], Vec<Event>);
    let cases: Vec<Case> = vec![
        (
            "drawer pulse, pin 2, 50/500 ms: five bytes",
            drawer_pulse(Pin::Two),
            &[0x1B, 0x70, 0, 25, 250],
            vec![Event::Pulse {
                pin: 2,
                on_ms: 50,
                off_ms: 500,
            }],
        ),
        (
            "pin 5, off time never shorter than on time",
            build(&|o| {
                o.pulse(Pin::Five, 100, 20);
            }),
            &[0x1B, 0x70, 1, 50, 50],
            vec![Event::Pulse {
                pin: 5,
                on_ms: 100,
                off_ms: 100,
            }],
        ),
        (
            "the cut after a pulse still cuts",
            build(&|o| {
                o.pulse(Pin::Two, 50, 500).cut(Cut::Full);
            }),
            &[0x1B, 0x70, 0, 25, 250, 0x1D, 0x56, 65, 0],
            vec![
                Event::Pulse {
                    pin: 2,
                    on_ms: 50,
                    off_ms: 500,
                },
                Event::Cut { partial: false },
            ],
        ),
        (
            "the escpos crate's 3-byte pulse swallows the cut (the decoder sees it)",
            vec![0x1B, 0x70, 0, 0x1D, 0x56, 65, 0],
            &[0x1B, 0x70, 0, 0x1D, 0x56, 65, 0],
            vec![
                Event::Pulse {
                    pin: 2,
                    on_ms: 58,
                    off_ms: 172,
                },
                Event::Text("A".into()),
                Event::Unknown(vec![0]),
            ],
        ),
        (
            "partial cut",
            build(&|o| {
                o.cut(Cut::Partial);
            }),
            &[0x1D, 0x56, 66, 0],
            vec![Event::Cut { partial: true }],
        ),
        (
            "bold, double size, centred, feed",
            build(&|o| {
                o.bold(true)
                    .size(2, 2)
                    .align(crate::escpos::Align::Center)
                    .feed(3)
                    .bold(false);
            }),
            &[
                0x1B, b'E', 1, 0x1D, b'!', 0x11, 0x1B, b'a', 1, 0x1B, b'd', 3, 0x1B, b'E', 0,
            ],
            vec![
                Event::Bold(true),
                Event::Size {
                    width: 2,
                    height: 2,
                },
                Event::Align(1),
                Event::Feed(3),
                Event::Bold(false),
            ],
        ),
        (
            "QR code: model 2, size, level M, store, print",
            build(&|o| {
                o.qr("AB\u{1B}C", 6);
            }),
            &[
                0x1D, b'(', b'k', 4, 0, 49, 65, 50, 0, //
                0x1D, b'(', b'k', 3, 0, 49, 67, 6, //
                0x1D, b'(', b'k', 3, 0, 49, 69, 49, //
                0x1D, b'(', b'k', 6, 0, 49, 80, 48, b'A', b'B', b'C', //
                0x1D, b'(', b'k', 3, 0, 49, 81, 48,
            ],
            vec![Event::Qr("ABC".into())],
        ),
        (
            "init and code page",
            EscPos::new(CodePage::Cp858).into_bytes(),
            &[0x1B, b'@', 0x1B, b't', 19],
            vec![Event::Init, Event::CodePage(19)],
        ),
    ];
    for (name, bytes, expected_bytes, expected_events) in cases {
        assert_eq!(bytes, expected_bytes, "{name}");
        assert_eq!(fake::decode(&bytes), expected_events, "{name}");
    }
}

#[test]
fn status_answers_parse_into_what_stops_the_printer() {
    // (answer to DLE EOT 1, 2, 4; status; kind of the problem)
    let cases: [([u8; 3], Option<Status>, Option<&str>); 7] = [
        ([0x12, 0x12, 0x12], Some(Status::ready()), None),
        (
            [0x16, 0x12, 0x1E],
            Some(Status {
                drawer_open: true,
                paper_near_end: true,
                ..Status::ready()
            }),
            None,
        ),
        (
            [0x1A, 0x32, 0x72],
            Some(Status {
                online: false,
                paper_end: true,
                ..Status::default()
            }),
            Some("paper_out"),
        ),
        (
            [0x1A, 0x16, 0x12],
            Some(Status {
                online: false,
                cover_open: true,
                ..Status::default()
            }),
            Some("cover_open"),
        ),
        (
            [0x1A, 0x52, 0x12],
            Some(Status {
                online: false,
                error: true,
                ..Status::default()
            }),
            Some("offline"),
        ),
        ([0x12, 0x12, 0x00], None, None),
        ([0xFF, 0x12, 0x12], None, None),
    ];
    for (answer, status, problem) in cases {
        assert_eq!(Status::parse(&answer), status, "{answer:02X?}");
        if let Some(status) = status {
            assert_eq!(status.answer(), answer, "{status:?}");
            assert_eq!(status.problem().map(|p| p.kind()), problem, "{status:?}");
        }
    }
    assert_eq!(Status::parse(&[0x12, 0x12]), None);
}

#[test]
fn a_bad_address_is_refused_with_what_is_wrong_in_both_languages() {
    let cases = [
        ("192.168.1.50", "tcp://, file://, serial:// ou spool://"),
        ("tcp://printer:0", "le port doit être un nombre"),
        ("spool://", "nom de l'imprimante Windows"),
        ("file://", "chemin du périphérique"),
    ];
    for (text, french) in cases {
        let error = Printer::new(text).unwrap_err();
        assert_eq!(error.kind(), "bad_uri", "{text}");
        let message = error.message(Lang::Fr);
        assert!(
            message.contains("adresse d'imprimante invalide"),
            "{message}"
        );
        assert!(message.contains(french), "{text}: {message}");
        assert!(
            error.message(Lang::En).contains("invalid printer address"),
            "{text}"
        );
    }
    assert_eq!(
        Printer::new(" tcp://[fe80::1]:9101/ ").unwrap().uri(),
        &Uri::Tcp {
            host: "fe80::1".into(),
            port: 9101
        }
    );
}

#[cfg(not(windows))]
#[test]
fn a_spooler_printer_is_refused_off_windows_with_a_way_out() {
    let printer = Printer::new("spool://EPSON TM-T20III").unwrap();
    let error = printer.print(b"x").unwrap_err();
    assert_eq!(error.kind(), "unsupported");
    let message = error.message(Lang::Fr);
    assert!(message.contains("n'existe que sous Windows"), "{message}");
    assert!(message.contains("tcp://"), "{message}");
}

/// Each way a printer fails, against the fake printer or a closed port: the right kind,
/// well before the 135 s an unbounded connect took (the bound is generous: this is not a
/// timing test), and a message in both languages.
#[test]
fn printer_problems_are_reported_by_kind_and_never_hang() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("tcp://127.0.0.1:{port}")
    };
    let paper_out = Status {
        online: false,
        paper_end: true,
        ..Status::default()
    };
    let cover_open = Status {
        online: false,
        cover_open: true,
        ..Status::default()
    };
    let offline = Status {
        online: false,
        ..Status::default()
    };
    let cases = [
        (
            Some(Answer::Status(paper_out)),
            "paper_out",
            "plus de papier",
        ),
        (Some(Answer::Status(cover_open)), "cover_open", "capot"),
        (Some(Answer::Status(offline)), "offline", "hors ligne"),
        (Some(Answer::Silent), "timeout", "n'a pas répondu"),
        (None, "unreachable", "injoignable"),
    ];
    for (answer, kind, french) in cases {
        let fake = answer.map(|answer| FakePrinter::start(answer).unwrap());
        let uri = fake
            .as_ref()
            .map(FakePrinter::uri)
            .unwrap_or(closed_port.clone());
        let printer = Printer::new(&uri).unwrap();
        let started = Instant::now();
        let error = printer.print(b"ticket").expect_err(kind);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{kind}: {:?}",
            started.elapsed()
        );
        assert_eq!(error.kind(), kind, "{error}");
        assert!(
            error.message(Lang::Fr).contains(french),
            "{}",
            error.message(Lang::Fr)
        );
        assert!(!error.message(Lang::En).is_empty());
        if let Some(fake) = fake {
            if kind != "timeout" {
                let sent = fake.received(1);
                assert_eq!(
                    sent,
                    vec![crate::status::REQUEST.to_vec()],
                    "{kind}: nothing printed"
                );
            }
            fake.stop();
        }
    }
}

#[test]
fn a_ready_printer_gets_the_bytes_in_one_connection_after_its_status() {
    let fake = FakePrinter::start(Answer::Status(Status::ready())).unwrap();
    let printer = Printer::new(&fake.uri()).unwrap();
    assert_eq!(printer.status().unwrap(), Status::ready());
    let mut out = EscPos::new(CodePage::Wpc1252);
    out.line("Bonjour €").cut(Cut::Full);
    assert_eq!(printer.print(out.bytes()).unwrap(), Some(Status::ready()));
    printer.send(&drawer_pulse(Pin::Two)).unwrap();
    let received = fake.received(3);
    assert_eq!(received.len(), 3);
    let mut expected = crate::status::REQUEST.to_vec();
    assert_eq!(received[0], expected);
    expected.extend_from_slice(out.bytes());
    assert_eq!(received[1], expected);
    assert_eq!(received[2], drawer_pulse(Pin::Two));
    let events = fake.events(3);
    assert!(
        events.contains(&Event::Text("Bonjour €\n".into())),
        "{events:?}"
    );
    assert!(events.contains(&Event::Cut { partial: false }));
    fake.stop();
}

#[test]
fn a_device_file_gets_the_bytes_and_a_missing_one_is_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("lp0");
    std::fs::write(&device, b"").unwrap();
    let printer = Printer::new(&format!("file://{}", device.display())).unwrap();
    assert_eq!(printer.print(b"\x1b@ticket").unwrap(), None);
    printer.send(b"\x1bp\x00\x19\xfa").unwrap();
    assert_eq!(
        std::fs::read(&device).unwrap(),
        b"\x1b@ticket\x1bp\x00\x19\xfa"
    );
    let missing = Printer::new(&format!("file://{}", dir.path().join("lp9").display())).unwrap();
    let error = missing.send(b"x").unwrap_err();
    assert_eq!(error.kind(), "unreachable", "{error}");
    assert!(
        error.message(Lang::Fr).contains("introuvable"),
        "{}",
        error.message(Lang::Fr)
    );
    let dir = tempfile::tempdir().unwrap();
    let serial = Printer::new(&format!("serial://{}/ttyUSB9", dir.path().display())).unwrap();
    assert_eq!(serial.send(b"x").unwrap_err().kind(), "unreachable");
}

/// A serial printer on a pseudo-terminal: the receipt's bytes arrive whole at the other end,
/// and the printer's status is read back over the same line.
#[cfg(unix)]
#[test]
fn a_serial_printer_gets_the_bytes_and_answers_its_status() {
    use serialport::SerialPort;
    use std::io::{Read, Write};
    let (mut printer_end, till_end) = serialport::TTYPort::pair().expect("a pseudo-terminal");
    let path = till_end.name().expect("the terminal's name");
    let printer = Printer::new(&format!("serial://{path}?baud=19200")).unwrap();
    let mut out = EscPos::new(CodePage::Cp858);
    out.line("Total 12,50 €").cut(Cut::Partial);
    assert_eq!(
        printer.print(out.bytes()).unwrap(),
        None,
        "sent without asking"
    );
    let mut received = vec![0u8; out.bytes().len()];
    printer_end.set_timeout(Duration::from_secs(2)).unwrap();
    printer_end.read_exact(&mut received).unwrap();
    assert_eq!(received, out.bytes());
    let asking = std::thread::spawn(move || printer.status());
    let mut request = [0u8; 9];
    printer_end.read_exact(&mut request).unwrap();
    assert_eq!(request, crate::status::REQUEST);
    printer_end.write_all(&Status::ready().answer()).unwrap();
    assert_eq!(asking.join().unwrap().unwrap(), Status::ready());
}

/// The fake printer notes when each drawer pulse arrives (the bench times the drawer by it),
/// and only pulses: a receipt's text holds no `ESC p`.
#[test]
fn the_fake_printer_times_each_drawer_pulse() {
    let fake = FakePrinter::start(Answer::Status(Status::ready())).unwrap();
    let printer = Printer::new(&fake.uri()).unwrap();
    let sent = std::time::SystemTime::now();
    printer.send(&drawer_pulse(Pin::Two)).unwrap();
    let mut text = EscPos::new(CodePage::Wpc1252);
    text.line("pas de tiroir ici").cut(Cut::Partial);
    printer.send(text.bytes()).unwrap();
    printer.send(&drawer_pulse(Pin::Five)).unwrap();
    fake.received(3);
    let times = fake.pulse_times();
    assert_eq!(times.len(), 2, "{times:?}");
    assert!(times.iter().all(|t| *t >= sent) && times[0] <= times[1]);
}

/// A document with no drawer pulse (a report, an order's or an avoir's slip) printed on a
/// ready fake printer at `columns` in `page`, as the printer printed it: every `wanted` text
/// found, no line wider than the paper, a cut and never a pulse. Answers the events and
/// the bold lines (trimmed).
pub(crate) fn printed_without_pulse(
    columns: usize,
    page: CodePage,
    job: crate::deliver::Job,
    wanted: &[&str],
) -> (Vec<Event>, Vec<String>) {
    let printer = FakePrinter::start(Answer::Status(Status::ready())).unwrap();
    let setup = crate::layout::Setup {
        columns,
        page,
        drawer: Some(Pin::Two),
    };
    let delivered = crate::deliver::deliver(&printer.uri(), &setup, job).unwrap();
    assert_eq!(delivered.pulses, 0, "{columns}");
    let events = printer.events(1);
    printer.stop();
    let text = fake::text(&events);
    for wanted in wanted {
        assert!(text.contains(wanted), "{columns}: no {wanted:?} in\n{text}");
    }
    let lines = fake::lines(&events);
    for line in &lines {
        assert!(
            line.columns <= columns,
            "{columns}: {:?} too wide",
            line.text
        );
    }
    assert!(
        events.iter().any(|e| matches!(e, Event::Cut { .. })),
        "{columns}"
    );
    assert!(
        !events.iter().any(|e| matches!(e, Event::Pulse { .. })),
        "{columns}"
    );
    let bold = lines
        .iter()
        .filter(|l| l.bold)
        .map(|l| l.text.trim().to_string())
        .collect();
    (events, bold)
}

/// The QR codes' payloads among `events`.
pub(crate) fn qr_codes(events: &[Event]) -> Vec<&Event> {
    events
        .iter()
        .filter(|e| matches!(e, Event::Qr(_)))
        .collect()
}
