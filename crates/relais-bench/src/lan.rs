//! The shop's tills on the LAN (issue 26), in this process on loopback over the real
//! transport (relais-lan, iroh/QUIC): a sale at one till visible at another (the time from its
//! commit at T1 until T2's sync holds it, a pull loop), and the catch-up of a till's whole
//! ledger from a peer against verifying the same records' bundle with no till.

use crate::{ms, percentile, timed, Figure, Scale};
use relais_lan::Peer;
use relais_shop::Sink;
use relais_store::Store;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A till of the bench's shop, set up in `dir/name`.
fn till(dir: &Path, name: &str, code: &str) -> (Store, PathBuf) {
    let path = dir.join(name);
    let mut store = Store::open(&path).expect("open a bench till");
    store
        .init(&relais_store::InitOptions {
            shop: relais_core::Shop {
                name: "Banc d'essai".into(),
                ..Default::default()
            },
            till: code.into(),
            ..Default::default()
        })
        .expect("set a bench till up");
    (store, path)
}

/// Serves the till at `path` on loopback from a thread of its own (until the bench ends),
/// as `relais shop serve` does (`relais_shop::serve`); returns where it listens.
fn serve(path: &Path) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let listen = SocketAddr::from(([127, 0, 0, 1], 0));
        let _ = relais_shop::serve(&path, listen, |at| {
            let _ = tx.send(at);
        });
    });
    rx.recv().expect("the server's address")
}

/// Pairs `a` and `b` both ways; `b` is dialled at `b_at`. Returns `b` as `a` dials it.
fn pair(a: &mut Store, b: &mut Store, b_at: SocketAddr) -> Peer {
    let a_invitation = a.invitation("127.0.0.1:9").expect("invitation");
    let b_invitation = b.invitation(&b_at.to_string()).expect("invitation");
    let by = a.own_manager("bench").expect("a manager");
    let peer = a.pair_till(&b_invitation, &by).expect("pair");
    let by = b.own_manager("bench").expect("a manager");
    b.pair_till(&a_invitation, &by).expect("pair");
    Peer {
        till: peer.till,
        public_key: peer.public_key,
        address: b_at,
    }
}

pub fn run(dir: &Path, scale: &Scale) -> Vec<Figure> {
    vec![visible(dir, scale), catch_up(dir, scale)]
}

/// A sale at T1 visible at T2: from its commit until T2's pull loop holds it.
pub(crate) fn visible(dir: &Path, scale: &Scale) -> Figure {
    let (mut t1, t1_path) = till(dir, "lan-t1", "T1");
    let (mut t2, _) = till(dir, "lan-t2", "T2");
    let t1_at = serve(&t1_path);
    let peer = pair(&mut t2, &mut t1, t1_at);
    let secret = t2.lan_secret_key().expect("key");
    let mut times: Vec<Duration> = Vec::with_capacity(scale.lan_sales);
    let mut pulls = 0usize;
    for k in 0..scale.lan_sales {
        let pos = crate::ledger::sell(&mut t1, &crate::ledger::sale(k))
            .expect("sale")
            .pos;
        let start = Instant::now();
        loop {
            pulls += 1;
            let outcomes = relais_lan::sync_once(
                &secret,
                std::slice::from_ref(&peer),
                None,
                &mut Sink::new(&mut t2),
            )
            .expect("sync");
            assert!(outcomes[0].defect.is_none(), "{outcomes:?}");
            if t2.peer("T1").expect("T1").held >= pos {
                break;
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    let p99 = percentile(&times, 0.99);
    Figure {
        name: format!(
            "a sale at one till visible at another (loopback, {} sales)",
            scale.lan_sales
        ),
        value: format!("p50 {} · p99 {}", ms(percentile(&times, 0.5)), ms(p99)),
        baseline: format!(
            "{:.2} pulls per sale (each a new QUIC connection)",
            pulls as f64 / scale.lan_sales.max(1) as f64
        ),
        ratio: None,
        goal: "p99 ≤ 1 s".into(),
        met: Some(p99 <= Duration::from_secs(1)),
    }
}

/// T2 catches up the whole ledger of a till of `scale.lan_records` sales, against
/// `relais verify` of that till's bundle (the same records' verification, in this process).
pub(crate) fn catch_up(dir: &Path, scale: &Scale) -> Figure {
    let (mut t3, t3_path) = till(dir, "lan-t3", "T3");
    crate::ledger::fill(&mut t3, scale.lan_records);
    let out = dir.join("lan-bundle");
    let by = t3.own_manager("bench").expect("a manager");
    let options = relais_store::export::ExportOptions {
        out: out.clone(),
        since_last: false,
        zip: false,
        fec: false,
        poslog: false,
        range: None,
        operator: "bench".into(),
    };
    let exported = t3.export(&options, &by).expect("export");
    let (verdict, verify_took) =
        timed(|| relais_bundle::verify_bundle(Path::new(&exported.folder)).expect("verify"));
    assert!(verdict.defect.is_none(), "{:?}", verdict.defect);
    let t3_at = serve(&t3_path);
    let (mut t4, _) = till(dir, "lan-t4", "T4");
    let peer = pair(&mut t4, &mut t3, t3_at);
    let secret = t4.lan_secret_key().expect("key");
    let mut sink = Sink::new(&mut t4);
    let (outcomes, took) =
        timed(|| relais_lan::sync_once(&secret, &[peer], None, &mut sink).expect("sync"));
    let in_store = sink.in_store.as_secs_f64();
    assert!(outcomes[0].defect.is_none(), "{outcomes:?}");
    let held = t4.peer("T3").expect("T3").held;
    assert!(held >= exported.to_pos, "{held} of {}", exported.to_pos);
    let (seconds, verify) = (took.as_secs_f64(), verify_took.as_secs_f64());
    let ratio = seconds / verify;
    Figure {
        name: format!(
            "catch-up of a peer's {} records (loopback, verified, stored)",
            outcomes[0].received
        ),
        value: format!("{seconds:.2} s, of which {in_store:.2} s auditing and storing"),
        baseline: format!("verify the same records' bundle with no till: {verify:.2} s"),
        ratio: Some(ratio),
        goal: "≤ 10 s for 100 000; ratio ≤ 1.5".into(),
        met: Some(seconds * 100_000.0 / outcomes[0].received.max(1) as f64 <= 10.0 && ratio <= 1.5),
    }
}
