//! One delivery per case against the fake printer (or a closed port): what the printer
//! printed and pulsed, how many pulses `deliver` counted, and the error kind when it failed.

use crate::deliver::{deliver_to, Delivered, Job};
use crate::fake::{self, Answer, Event, FakePrinter};
use crate::layout::Setup;
use crate::receipt_tests::{sale, shop};
use crate::status::Status;
use crate::transport::Printer;
use relais_core::receipt::ReceiptDoc;
use std::time::Duration;

fn ready(drawer_open: bool) -> Answer {
    Answer::Status(Status {
        drawer_open,
        ..Status::ready()
    })
}

#[derive(Debug, Clone, Copy)]
enum What {
    Receipt { open_drawer: bool },
    TestPage,
    Drawer,
}

/// (name, printer (None: nobody listens), job, pulses counted or error kind, connections,
/// pulses received, receipt printed)
type Case = (
    &'static str,
    Option<Answer>,
    What,
    Result<u8, &'static str>,
    usize,
    usize,
    bool,
);

#[test]
fn deliveries_print_pulse_retry_and_fail_by_kind() {
    let doc = ReceiptDoc::of(&shop(), &sale(), "abcdef0123456789", None, "0.1.0").unwrap();
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        format!("tcp://127.0.0.1:{port}")
    };
    let paper_out = Answer::Status(Status {
        online: false,
        paper_end: true,
        ..Status::default()
    });
    let cases: [Case; 8] = [
        (
            "ready, drawer opens",
            Some(ready(true)),
            What::Receipt { open_drawer: true },
            Ok(1),
            2,
            1,
            true,
        ),
        (
            "ready, drawer stays shut: one retry",
            Some(ready(false)),
            What::Receipt { open_drawer: true },
            Ok(2),
            3,
            2,
            true,
        ),
        (
            "card sale: no pulse, no status after",
            Some(ready(false)),
            What::Receipt { open_drawer: false },
            Ok(0),
            1,
            0,
            true,
        ),
        (
            "drawer alone",
            Some(ready(true)),
            What::Drawer,
            Ok(1),
            2,
            1,
            false,
        ),
        (
            "test page",
            Some(ready(true)),
            What::TestPage,
            Ok(0),
            1,
            0,
            false,
        ),
        (
            "paper out: nothing sent",
            Some(paper_out),
            What::Receipt { open_drawer: true },
            Err("paper_out"),
            1,
            0,
            false,
        ),
        (
            "no answer",
            Some(Answer::Silent),
            What::Receipt { open_drawer: true },
            Err("timeout"),
            0,
            0,
            false,
        ),
        (
            "unreachable",
            None,
            What::Receipt { open_drawer: true },
            Err("unreachable"),
            0,
            0,
            false,
        ),
    ];
    for (name, answer, what, expected, connections, pulses, printed) in cases {
        let fake = answer.map(|a| FakePrinter::start(a).unwrap());
        let uri = fake
            .as_ref()
            .map(FakePrinter::uri)
            .unwrap_or(closed_port.clone());
        let printer = Printer::new(&uri)
            .unwrap()
            .with_timeout(Duration::from_millis(500));
        let job = match what {
            What::Receipt { open_drawer } => Job::Receipt {
                doc: &doc,
                open_drawer,
            },
            What::TestPage => Job::TestPage { open_drawer: false },
            What::Drawer => Job::Drawer,
        };
        let result = deliver_to(&printer, &Setup::default(), job);
        match (expected, &result) {
            (Ok(n), Ok(Delivered { pulses, before, .. })) => {
                assert_eq!(*pulses, n, "{name}");
                assert!(before.is_some(), "{name}: the status was read first");
            }
            (Err(kind), Err(error)) => assert_eq!(error.kind(), kind, "{name}: {error}"),
            _ => panic!("{name}: {result:?}"),
        }
        let Some(fake) = fake else { continue };
        if connections > 0 {
            let received = fake.received(connections);
            assert_eq!(received.len(), connections, "{name}");
            let events = fake.events(connections);
            let got = events
                .iter()
                .filter(|e| matches!(e, Event::Pulse { pin: 2, .. }))
                .count();
            assert_eq!(got, pulses, "{name}: {events:?}");
            let text = fake::text(&events);
            assert_eq!(text.contains(&doc.number), printed, "{name}: {text}");
            assert_eq!(
                events.contains(&Event::Qr(doc.qr_text.clone())),
                printed,
                "{name}"
            );
            if matches!(what, What::TestPage) {
                assert!(text.contains("Page de test"), "{text}");
            }
        }
        fake.stop();
    }
}

#[test]
fn the_settings_numbers_make_a_setup_or_none() {
    use crate::codepage::CodePage;
    let cases = [
        (48, 16, Some((48, CodePage::Wpc1252))),
        (32, 19, Some((32, CodePage::Cp858))),
        (42, 19, Some((42, CodePage::Cp858))),
        (40, 16, None),
        (48, 0, None),
    ];
    for (columns, page, expected) in cases {
        let setup = Setup::from_numbers(columns, page);
        assert_eq!(
            setup.map(|s| (s.columns, s.page)),
            expected,
            "{columns} {page}"
        );
        assert!(setup.is_none_or(|s| s.drawer.is_some()));
    }
}
