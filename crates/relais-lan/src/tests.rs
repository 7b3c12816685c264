//! Two or three endpoints in one process, on loopback: what a sync gets, what it refuses.

use super::*;
use std::collections::BTreeMap;
use std::sync::mpsc;

/// A till's ledger in memory: `count` records, and the keys it accepts.
struct Lines {
    till: String,
    count: u64,
    paired: Vec<String>,
    /// A position whose line is padded past [`MAX_LINE_BYTES`] (a hostile peer).
    huge_at: Option<u64>,
}

fn line(till: &str, pos: u64) -> String {
    format!(
        r#"{{"hash":"h{pos}","pos":{pos},"prev_hash":"h{}","record":{{}},"till":"{till}"}}"#,
        pos - 1
    )
}

impl Ledger for Lines {
    fn records_after(&mut self, after: u64, limit: usize) -> Result<Vec<String>, String> {
        Ok((after + 1..=self.count)
            .take(limit)
            .map(|pos| match self.huge_at {
                Some(huge) if huge == pos => {
                    " ".repeat(MAX_LINE_BYTES as usize) + &line(&self.till, pos)
                }
                _ => line(&self.till, pos),
            })
            .collect())
    }
    fn is_paired(&mut self, public_key: &str) -> bool {
        self.paired.contains(&public_key.to_string())
    }
    /// Till T1 offers a price list, the others none.
    fn price_list(&mut self) -> Result<Option<(serde_json::Value, Vec<u8>)>, String> {
        Ok((self.till == "T1").then(|| (serde_json::json!({"name": "prix.csv"}), price_list())))
    }
}

/// A price list larger than a QUIC stream's first window.
fn price_list() -> Vec<u8> {
    let mut csv = b"code;libelle;prix\n".to_vec();
    for n in 0..60_000 {
        csv.extend_from_slice(
            format!("{n:013};Article {n};{},{:02}\n", n % 90, n % 100).as_bytes(),
        );
    }
    csv
}

#[test]
fn a_price_list_travels_with_its_sha256_from_the_peer_that_offers_it() {
    let (client, client_key) = key(9);
    let t1 = start(1, "T1", 3, vec![client_key.clone()]);
    let t2 = start(2, "T2", 3, vec![client_key]);
    let stranger = start(3, "T1", 3, vec![]);
    let off = SocketAddr::from(([127, 0, 0, 1], 9));
    let peers = [
        peer(1, "T1", t1),
        peer(2, "T2", t2),
        peer(3, "T3", stranger),
        peer(4, "T4", off),
    ];
    // A list the caller holds already is not carried again.
    let held = fetch_price_lists(&client, &peers[..1], &|_| false).unwrap();
    assert_eq!(held[0].1, Ok(None), "T1's list, held already");
    let answers = fetch_price_lists(&client, &peers, &|_| true).unwrap();
    let tills: Vec<&str> = answers.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(tills, ["T1", "T2", "T3", "T4"]);
    let offered = answers[0].1.clone().unwrap().expect("T1 offers one");
    let bytes = price_list();
    assert_eq!(offered.sha256, sha256_hex(&bytes));
    assert_eq!(offered.bytes, bytes);
    assert_eq!(offered.offer["name"], "prix.csv");
    assert_eq!(answers[1].1, Ok(None), "T2 offers none");
    assert!(
        matches!(answers[2].1, Err(Unreachable::Failed(_))),
        "not paired there: {:?}",
        answers[2].1
    );
    assert_eq!(answers[3].1, Err(Unreachable::NoAnswer));
}

/// What a sync kept: per till, the positions received, in order; refuses a batch whose
/// first line has the position `refuse_at`.
#[derive(Default)]
struct Kept {
    held: BTreeMap<String, Vec<u64>>,
    refuse_at: Option<u64>,
}

impl PeerSink for Kept {
    type Batch = Vec<String>;
    fn prepare(lines: Vec<String>) -> Vec<String> {
        lines
    }
    fn held(&mut self, till: &str) -> u64 {
        self.held
            .get(till)
            .and_then(|p| p.last().copied())
            .unwrap_or(0)
    }
    fn receive(&mut self, till: &str, lines: Vec<String>) -> Result<u64, String> {
        let positions: Vec<u64> = lines.iter().filter_map(|l| wire::position_of(l)).collect();
        if positions.first() == self.refuse_at.as_ref() {
            return Err(format!("refused at {positions:?}"));
        }
        self.held.entry(till.into()).or_default().extend(&positions);
        Ok(positions.len() as u64)
    }
}

fn key(n: u8) -> ([u8; 32], String) {
    let secret = [n; 32];
    let public = SecretKey::from_bytes(&secret).public();
    (secret, hex::encode(public.as_bytes()))
}

/// Starts a till serving `count` records to the keys `paired`; returns its address.
fn start(n: u8, till: &str, count: u64, paired: Vec<String>) -> SocketAddr {
    start_at(n, till, count, paired, ([127, 0, 0, 1], 0).into(), None)
}

/// Serves `ledger` on loopback from a thread of its own; returns its address.
fn serve_lines(n: u8, ledger: Lines, listen: SocketAddr, mdns: Option<String>) -> SocketAddr {
    let (secret, _) = key(n);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = serve(&secret, listen, mdns.as_deref(), ledger, |at| {
            tx.send(at).unwrap()
        });
    });
    rx.recv().unwrap()
}

/// The same, listening at `listen`, advertised by mDNS under `mdns` if given.
fn start_at(
    n: u8,
    till: &str,
    count: u64,
    paired: Vec<String>,
    listen: SocketAddr,
    mdns: Option<String>,
) -> SocketAddr {
    let ledger = Lines {
        till: till.to_string(),
        count,
        paired,
        huge_at: None,
    };
    serve_lines(n, ledger, listen, mdns)
}

fn peer(n: u8, till: &str, address: SocketAddr) -> Peer {
    Peer {
        till: till.into(),
        public_key: key(n).1,
        address,
    }
}

#[test]
fn a_sync_pulls_each_peer_from_what_it_holds_and_reports_the_others() {
    let (me, my_key) = key(1);
    let t2 = start(2, "T2", 1234, vec![my_key.clone()]);
    let t3 = start(3, "T3", 3, vec![my_key.clone()]);
    let stranger = start(4, "T4", 5, vec![]);
    // A port nobody listens on: a till that is off.
    let off = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut kept = Kept::default();
    kept.held.insert("T3".into(), vec![1]);
    let peers = [
        peer(2, "T2", t2),
        peer(3, "T3", t3),
        peer(4, "T4", stranger),
        peer(5, "T5", off),
        // Right address, wrong key: TLS refuses it.
        peer(9, "T2", t2),
    ];
    let outcomes = sync_once(&me, &peers, None, &mut kept).unwrap();
    let seen: Vec<(u64, &str, bool)> = outcomes
        .iter()
        .map(|o| {
            let why = match &o.unreachable {
                None => "",
                Some(Unreachable::NoAnswer) => "no answer",
                Some(Unreachable::Silent) => "silent",
                Some(Unreachable::Failed(_)) => "failed",
            };
            (o.received, why, o.defect.is_some())
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1234, "", false),
            (2, "", false),
            (0, "failed", false),
            (0, "no answer", false),
            (0, "failed", false)
        ],
        "{outcomes:#?}"
    );
    assert_eq!(kept.held["T2"], (1..=1234).collect::<Vec<_>>());
    assert_eq!(kept.held["T3"], [1, 2, 3]);
    // Nothing new: nothing received.
    let again = sync_once(&me, &peers[..2], None, &mut kept).unwrap();
    assert_eq!(
        again.iter().map(|o| o.received).sum::<u64>(),
        0,
        "{again:#?}"
    );
}

#[test]
fn a_refused_batch_is_a_defect_and_nothing_after_it_is_taken() {
    let (me, my_key) = key(11);
    let t2 = start(12, "T2", 2 * BATCH as u64 + 200, vec![my_key]);
    let mut kept = Kept {
        refuse_at: Some(BATCH as u64 + 1),
        ..Kept::default()
    };
    let outcomes = sync_once(&me, &[peer(12, "T2", t2)], None, &mut kept).unwrap();
    assert_eq!(outcomes[0].received, BATCH as u64, "{outcomes:#?}");
    assert!(outcomes[0].defect.is_some());
    assert_eq!(kept.held["T2"].len(), BATCH);
}

#[test]
fn a_line_longer_than_the_bound_stops_that_peer_unbuffered() {
    let (me, my_key) = key(21);
    let ledger = Lines {
        till: "T2".into(),
        count: 10,
        paired: vec![my_key],
        huge_at: Some(6),
    };
    let t2 = serve_lines(22, ledger, ([127, 0, 0, 1], 0).into(), None);
    let mut kept = Kept::default();
    let outcomes = sync_once(&me, &[peer(22, "T2", t2)], None, &mut kept).unwrap();
    let failed = match &outcomes[0].unreachable {
        Some(Unreachable::Failed(why)) => why.clone(),
        other => panic!("{other:?}"),
    };
    assert!(failed.contains("longer than 8 MiB"), "{failed}");
    // Lines are handed over in batches: the five before it never reached the sink either.
    assert_eq!(outcomes[0].received, 0, "{outcomes:#?}");
    assert!(!kept.held.contains_key("T2"));
}

/// A service name of its own: parallel tests (and other runs on the LAN) never see it.
fn unique_service() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    mdns_service(&format!("test shop {} {nanos}", std::process::id()))
}

#[test]
fn a_till_no_longer_at_its_stored_address_is_found_by_mdns_and_only_with_it() {
    let (me, my_key) = key(21);
    // (where the till listens now, what it advertises: the LAN's addresses, or loopback's)
    let cases: [([u8; 4], bool); 2] = [([0, 0, 0, 0], false), ([127, 0, 0, 1], true)];
    for (n, (ip, loopback)) in cases.into_iter().enumerate() {
        let service = unique_service();
        let listen = SocketAddr::from((ip, 0));
        let till = 22 + n as u8;
        let now_at = start_at(
            till,
            "T2",
            7,
            vec![my_key.clone()],
            listen,
            Some(service.clone()),
        );
        // What was stored: the till's old port, where nobody listens now.
        let old = std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let peers = [peer(till, "T2", old)];
        let mut kept = Kept::default();
        if n == 0 {
            // Without mDNS, the stored address is all there is.
            let alone = sync_once(&me, &peers, None, &mut kept).unwrap();
            assert_eq!(
                alone[0].unreachable,
                Some(Unreachable::NoAnswer),
                "{alone:#?}"
            );
            // Under another shop's service: nothing found either.
            let other = sync_once(&me, &peers, Some(&unique_service()), &mut kept).unwrap();
            assert_eq!(
                other[0].unreachable,
                Some(Unreachable::NoAnswer),
                "{other:#?}"
            );
        }
        // Under the shop's service: found at its new port, within the connect bound.
        let found = sync_once(&me, &peers, Some(&service), &mut kept).unwrap();
        assert_eq!(
            (found[0].unreachable.as_ref(), found[0].received),
            (None, 7),
            "{found:#?}"
        );
        let at = found[0].address.expect("where it answered");
        assert_eq!(
            at.port(),
            now_at.port(),
            "{at} for a till listening on {now_at}"
        );
        assert_eq!(
            at.ip().is_loopback(),
            loopback,
            "{at} for a till listening on {now_at}"
        );
        assert!(
            found[0].millis < CONNECT_TIMEOUT.as_millis() as u64,
            "{found:#?}"
        );
        // Where it is stored now: reached there, mDNS or not.
        let stored = [peer(till, "T2", at)];
        for mdns in [None, Some(service.as_str())] {
            let again = sync_once(&me, &stored, mdns, &mut kept).unwrap();
            assert_eq!(again[0].address, Some(at), "{again:#?}");
        }
    }
}

/// A server stopped from another thread returns and frees its port (the app moves it when a
/// manager changes the address); stopped before it has bound, it stops once it has.
#[test]
fn a_stopped_server_returns_and_frees_its_port() {
    for stopped_first in [false, true] {
        let (secret, _) = key(5);
        let stop = Stop::default();
        if stopped_first {
            stop.stop();
        }
        let (ended_tx, ended_rx) = mpsc::channel();
        let (bound_tx, bound_rx) = mpsc::channel();
        let stopper = stop.clone();
        std::thread::spawn(move || {
            let ledger = Lines {
                till: "T5".into(),
                count: 1,
                paired: vec![],
                huge_at: None,
            };
            let listen = SocketAddr::from(([127, 0, 0, 1], 0));
            let ended = serve_until(
                &secret,
                listen,
                None,
                ledger,
                |at| bound_tx.send(at).unwrap(),
                &stopper,
            );
            ended_tx.send(ended.is_ok()).unwrap();
        });
        let at = bound_rx.recv().unwrap();
        if !stopped_first {
            stop.stop();
        }
        // Bounded only so that a server that never stops fails the test instead of hanging it.
        let ended = ended_rx.recv_timeout(std::time::Duration::from_secs(60));
        assert_eq!(ended, Ok(true), "stopped first: {stopped_first}");
        assert!(
            std::net::UdpSocket::bind(at).is_ok(),
            "{at} is free again (stopped first: {stopped_first})"
        );
    }
}
