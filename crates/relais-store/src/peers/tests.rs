use super::*;
use crate::tests::sale;
use relais_core::Shop;
use std::path::Path;

pub(super) fn till(dir: &Path, shop: &str, code: &str) -> Store {
    let mut store = Store::open(dir).unwrap();
    store
        .init(&crate::InitOptions {
            shop: Shop {
                name: shop.into(),
                ..Shop::default()
            },
            till: code.into(),
            ..crate::InitOptions::default()
        })
        .unwrap();
    store
}

pub(super) fn sell(store: &mut Store, count: usize) {
    for n in 0..count {
        store
            .record_sale_as(&sale(100 + n as i64), Some("admin"))
            .unwrap();
    }
}

pub(super) fn pair(us: &mut Store, invitation: &str) -> Result<PeerView> {
    let by = us.own_manager("admin")?;
    us.pair_till(invitation, &by)
}

fn journal_count(store: &Store, name: &str) -> usize {
    let journal = store.journal(None).unwrap();
    journal.iter().filter(|e| e.name == name).count()
}

pub(super) const SHOP: &str = "Librairie du Port";

/// One step of T1's life with its peer T2: the lines it is given, and what it keeps.
struct Step {
    name: &'static str,
    lines: Vec<String>,
    /// (kept, replayed, refused)
    expected: (u64, u64, bool),
    held_after: u64,
}

#[test]
fn a_peers_records_are_kept_when_they_extend_what_is_held_and_refused_otherwise() {
    let dirs = [(); 4].map(|_| tempfile::tempdir().unwrap());
    let mut t1 = till(dirs[0].path(), SHOP, "T1");
    let mut t2 = till(dirs[1].path(), SHOP, "T2");
    let mut t3 = till(dirs[3].path(), SHOP, "T3");
    sell(&mut t2, 3);
    sell(&mut t3, 2);
    let invitation = t2.invitation("127.0.0.1:47302").unwrap();
    let peer = pair(&mut t1, &invitation).unwrap();
    assert_eq!((peer.till.as_str(), peer.held), ("T2", 0));
    assert_eq!(journal_count(&t1, "till_paired"), 1);

    let first = t2.records_after(0, 1000).unwrap();
    let n = first.len() as u64;
    assert!(n >= 5, "set-up, start-up, day, sales: {n}");
    assert_eq!(t2.records_after(0, 2).unwrap(), first[..2]);
    assert_eq!(t2.records_after(n, 10).unwrap(), Vec::<String>::new());

    // A fork: a copy of T2 that goes on differently from where T2 is now.
    drop(t2);
    for file in std::fs::read_dir(dirs[1].path()).unwrap() {
        let file = file.unwrap();
        std::fs::copy(file.path(), dirs[2].path().join(file.file_name())).unwrap();
    }
    let mut t2 = Store::open(dirs[1].path()).unwrap();
    let mut fork = Store::open(dirs[2].path()).unwrap();
    sell(&mut t2, 2);
    sell(&mut fork, 1);
    let more = t2.records_after(n, 1000).unwrap();
    let m = more.len() as u64;
    let forked = fork.records_after(n, 1000).unwrap();

    let tampered: Vec<String> = more
        .iter()
        .map(|l| l.replacen("\"unit_price_cents\":100", "\"unit_price_cents\":1", 1))
        .collect();
    assert_ne!(tampered, more, "a sale of T2's was altered");
    // Only the last record altered: the good ones before it are not kept either.
    let mut last_altered = more.clone();
    let last = last_altered.len() - 1;
    last_altered[last] = last_altered[last].replacen("\"operator\":\"", "\"operator\":\"x", 1);
    assert_ne!(last_altered, more, "T2's last record was altered");
    let mut shifted = first.clone();
    shifted.remove(1);
    let steps = vec![
        Step {
            name: "a gap: the first record missing",
            lines: first[1..].to_vec(),
            expected: (0, 0, true),
            held_after: 0,
        },
        Step {
            name: "another till's records under T2's name",
            lines: t3.records_after(0, 1000).unwrap(),
            expected: (0, 0, true),
            held_after: 0,
        },
        Step {
            name: "a record removed in the middle",
            lines: shifted,
            expected: (0, 0, true),
            held_after: 0,
        },
        Step {
            name: "the chain from its first record",
            lines: first.clone(),
            expected: (n, 0, false),
            held_after: n,
        },
        Step {
            name: "the same again: a replay",
            lines: first.clone(),
            expected: (0, n, false),
            held_after: n,
        },
        Step {
            name: "good records, then an altered one",
            lines: last_altered,
            expected: (0, 0, true),
            held_after: n,
        },
        Step {
            name: "an altered record after what is held",
            lines: tampered,
            expected: (0, 0, true),
            held_after: n,
        },
        Step {
            name: "two held again, then what is new",
            lines: [&first[first.len() - 2..], &more[..]].concat(),
            expected: (m, 2, false),
            held_after: n + m,
        },
        Step {
            name: "a fork: a copy of T2 that went on differently",
            lines: forked,
            expected: (0, 0, true),
            held_after: n + m,
        },
        Step {
            name: "an empty batch",
            lines: vec![],
            expected: (0, 0, false),
            held_after: n + m,
        },
        Step {
            name: "not a record",
            lines: vec!["{\"hash\":\"00\"}".into()],
            expected: (0, 0, true),
            held_after: n + m,
        },
    ];
    for step in steps {
        let batch = t1.receive_peer_records("T2", &step.lines).unwrap();
        let got = (batch.kept, batch.replayed, batch.defect.is_some());
        assert_eq!(got, step.expected, "{}: {:?}", step.name, batch.defect);
        assert_eq!(
            t1.peer("T2").unwrap().held,
            step.held_after,
            "{}",
            step.name
        );
    }
    let peer = t1.peer("T2").unwrap();
    assert!(
        peer.defect.is_some() && peer.defect_fr.is_some(),
        "{peer:?}"
    );
    // Each distinct defect journaled once; the own chain is sound and holds none of T2's.
    assert!(journal_count(&t1, "peer_defect") >= 4);
    let again = t1.receive_peer_records("T2", &["{}".into()]).unwrap();
    assert!(again.defect.is_some());
    let defects = journal_count(&t1, "peer_defect");
    t1.receive_peer_records("T2", &["{}".into()]).unwrap();
    assert_eq!(journal_count(&t1, "peer_defect"), defects);
    assert!(t1.verify().unwrap().defect.is_none());
    let own = t1.records_after(0, 10_000).unwrap();
    assert!(own.iter().all(|l| l.ends_with("\"till\":\"T1\"}")));

    // Unknown and unpaired tills are refused.
    assert!(t1.receive_peer_records("T9", &first).is_err());
    let by = t1.own_manager("admin").unwrap();
    let unpaired = t1.unpair_till("t2", &by).unwrap();
    assert!(unpaired.unpaired_at.is_some());
    assert!(!t1.is_paired_key(&unpaired.public_key).unwrap());
    assert!(t1.receive_peer_records("T2", &more).is_err());
    assert_eq!(journal_count(&t1, "till_unpaired"), 1);
    // Paired again: held as before.
    pair(&mut t1, &invitation).unwrap();
    assert!(t1.is_paired_key(&unpaired.public_key).unwrap());
    assert_eq!(t1.peer("T2").unwrap().held, n + m);
}

#[test]
fn a_chain_set_up_with_another_key_than_the_invitations_is_refused() {
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let mut t1 = till(dirs[0].path(), SHOP, "T1");
    let t2 = till(dirs[1].path(), SHOP, "T2");
    let impostor = till(dirs[2].path(), SHOP, "T2");
    pair(&mut t1, &impostor.invitation("127.0.0.1:1").unwrap()).unwrap();
    let batch = t1
        .receive_peer_records("T2", &t2.records_after(0, 100).unwrap())
        .unwrap();
    let defect = batch.defect.expect("refused");
    assert!(defect.en.contains("another key"), "{defect:?}");
    assert_eq!(t1.peer("T2").unwrap().held, 0);
}

#[test]
fn pairing_refuses_the_own_invitation_another_shop_and_a_changed_key() {
    let dirs = [(); 4].map(|_| tempfile::tempdir().unwrap());
    let mut t1 = till(dirs[0].path(), SHOP, "T1");
    let t2 = till(dirs[1].path(), SHOP, "T2");
    let elsewhere = till(dirs[2].path(), "Boulangerie", "T3");
    let new_t2 = till(dirs[3].path(), SHOP, "T2");
    let own = t1.invitation("127.0.0.1:47301").unwrap();
    let cases = [
        (own, false),
        (elsewhere.invitation("127.0.0.1:1").unwrap(), false),
        ("relais1/T2/zz/127.0.0.1:1/X".into(), false),
        (t2.invitation("127.0.0.1:47302").unwrap(), true),
        (t2.invitation("127.0.0.1:47399").unwrap(), true),
        (new_t2.invitation("127.0.0.1:47302").unwrap(), false),
    ];
    for (invitation, accepted) in cases {
        assert_eq!(pair(&mut t1, &invitation).is_ok(), accepted, "{invitation}");
    }
    assert_eq!(t1.peers().unwrap().len(), 1);
    assert_eq!(t1.peer("T2").unwrap().address, "127.0.0.1:47399");
    // Its avoirs are accepted: its key is imported as by `relais avoir key-import`.
    assert!(t1.invitation("bad").is_err());
}

#[test]
fn an_address_found_by_mdns_is_stored_and_said_so_until_the_till_joins_again() {
    let dirs = [(); 3].map(|_| tempfile::tempdir().unwrap());
    let mut t1 = till(dirs[0].path(), SHOP, "T1");
    let t2 = till(dirs[1].path(), SHOP, "T2");
    let t3 = till(dirs[2].path(), SHOP, "T3");
    pair(&mut t1, &t2.invitation("192.168.1.20:47300").unwrap()).unwrap();
    pair(&mut t1, &t3.invitation("192.168.1.30:47300").unwrap()).unwrap();
    let records = t1.records_after(0, 1000).unwrap().len();
    // (what is done, T2's address and where it came from)
    let steps: [(&str, Option<&str>, &str, &str); 5] = [
        ("paired", None, "192.168.1.20:47300", "invitation"),
        (
            "found",
            Some("192.168.1.21:47300"),
            "192.168.1.21:47300",
            "mdns",
        ),
        (
            "found again",
            Some("192.168.1.21:51000"),
            "192.168.1.21:51000",
            "mdns",
        ),
        (
            "back where the invitation said, found so",
            Some("192.168.1.20:47300"),
            "192.168.1.20:47300",
            "mdns",
        ),
        ("moved", Some("10.0.0.5:47300"), "10.0.0.5:47300", "mdns"),
    ];
    for (step, found, address, from) in steps {
        if let Some(found) = found {
            t1.peer_found_at("T2", found).unwrap();
        }
        let peer = t1.peer("T2").unwrap();
        assert_eq!(
            (peer.address.as_str(), peer.address_from),
            (address, from),
            "{step}"
        );
        let t3_seen = t1.peer("T3").unwrap();
        assert_eq!(
            (t3_seen.address.as_str(), t3_seen.address_from),
            ("192.168.1.30:47300", "invitation"),
            "{step}"
        );
    }
    assert!(t1.peer_found_at("T2", "not an address").is_err());
    // Not journaled: machine work, like the last exchange.
    assert_eq!(t1.records_after(0, 1000).unwrap().len(), records);
    // Joining again with an invitation: its address, from the invitation.
    pair(&mut t1, &t2.invitation("192.168.1.22:47300").unwrap()).unwrap();
    let peer = t1.peer("T2").unwrap();
    assert_eq!(
        (peer.address.as_str(), peer.address_from),
        ("192.168.1.22:47300", "invitation")
    );
}

/// A peer that lost its last records and acknowledged it (JET 90, its series then jump by the
/// numbers skipped) is received in two syncs split just after that event, by a till that
/// restarted in between (its audit taken up from what it holds): no defect, as in one walk.
#[test]
fn a_chain_taken_up_just_after_a_lost_tail_event_still_lets_the_series_jump() {
    let dirs = [(); 2].map(|_| tempfile::tempdir().unwrap());
    let mut t2 = till(dirs[1].path(), SHOP, "T2");
    sell(&mut t2, 3);
    drop(t2);
    let older = dirs[1].path().join("older.db");
    std::fs::copy(dirs[1].path().join(crate::DB_FILE), &older).unwrap();
    let mut t2 = Store::open(dirs[1].path()).unwrap();
    sell(&mut t2, 2);
    drop(t2);
    std::fs::copy(&older, dirs[1].path().join(crate::DB_FILE)).unwrap();
    let mut t2 = Store::open(dirs[1].path()).unwrap();
    assert!(t2.lost_tail().is_some(), "the two last sales are lost");
    let by = t2.own_manager("admin").unwrap();
    t2.acknowledge_lost_tail(&by).unwrap();
    let event_at = t2.records_after(0, 1_000_000).unwrap().len();
    sell(&mut t2, 1);
    let lines = t2.records_after(0, 1_000_000).unwrap();

    let mut t1 = till(dirs[0].path(), SHOP, "T1");
    pair(&mut t1, &t2.invitation("127.0.0.1:47302").unwrap()).unwrap();
    let first = t1.receive_peer_records("T2", &lines[..event_at]).unwrap();
    assert_eq!((first.kept as usize, first.defect), (event_at, None));
    drop(t1);
    let mut t1 = Store::open(dirs[0].path()).unwrap();
    let rest = t1.receive_peer_records("T2", &lines[event_at..]).unwrap();
    assert_eq!(rest.defect, None, "the sale after the skip is no gap");
    assert_eq!(t1.peer("T2").unwrap().held as usize, lines.len());
}
