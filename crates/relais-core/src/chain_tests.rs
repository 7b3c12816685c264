use super::*;
use crate::event::{EventData, EventType};
use crate::record::{Body, Record};
use serde_json::json;
use uuid::Uuid;

fn event_record(pos: u64, seq: u64) -> Record {
    Record {
        v: FORMAT_VERSION,
        id: Uuid::parse_str("019ac9a4-1f00-7000-8000-000000000001").unwrap(),
        till: "T1".into(),
        pos,
        seq,
        at: "2026-11-28T14:16:09.123Z".into(),
        tz: "Europe/Paris".into(),
        utc_offset_min: 60,
        business_day: "2026-11-28".into(),
        operator: "alice".into(),
        training: false,
        body: Body::Event(EventData::new(
            EventType::Startup,
            "Démarrage",
            json!({"program": "relais", "version": "0.1.0"}),
        )),
    }
}

/// The worked example of docs/CHAIN.md: the record, its exact bytes and its hash. If this
/// test fails, the document (and every verifier written from it) is wrong.
#[test]
fn worked_example_of_the_specification() {
    let doc = include_str!("../../../docs/CHAIN.md");
    let sealed = seal(event_record(1, 1), &GENESIS).unwrap();
    let expected_bytes = r#"{"at":"2026-11-28T14:16:09.123Z","business_day":"2026-11-28","data":{"code":80,"details":{"program":"relais","version":"0.1.0"},"message":"Démarrage","name":"startup"},"id":"019ac9a4-1f00-7000-8000-000000000001","kind":"event","operator":"alice","pos":1,"seq":1,"till":"T1","training":false,"tz":"Europe/Paris","utc_offset_min":60,"v":1}"#;
    assert_eq!(sealed.body, expected_bytes);
    assert!(
        doc.contains(expected_bytes),
        "CHAIN.md shows the exact bytes"
    );
    assert!(
        doc.contains(&sealed.hash),
        "CHAIN.md shows the hash {}",
        sealed.hash
    );
}

fn chain_of(n: u64) -> Vec<StoredRecord> {
    let mut prev = GENESIS;
    (1..=n)
        .map(|pos| {
            let mut record = event_record(pos, pos);
            record.id = Uuid::from_u128(pos as u128);
            let sealed = seal(record, &prev).unwrap();
            prev = from_hex(&sealed.hash).unwrap();
            sealed.stored()
        })
        .collect()
}

fn verify(rows: &[StoredRecord], anchors: Vec<Anchor>) -> Result<ChainSummary, Defect> {
    let mut verifier = ChainVerifier::new(Some("T1".into()));
    for row in rows {
        verifier.push(row)?;
    }
    let hashes: Vec<String> = rows.iter().map(|r| r.hash.clone()).collect();
    verifier.finish(&anchors, |pos| hashes.get(pos as usize - 1).cloned())
}

fn head(rows: &[StoredRecord]) -> Anchor {
    let last = rows.last().unwrap();
    Anchor {
        source: "head".into(),
        pos: last.pos,
        hash: last.hash.clone(),
        exact: true,
    }
}

#[test]
fn a_sound_chain_verifies() {
    let rows = chain_of(5);
    let summary = verify(&rows, vec![head(&rows)]).unwrap();
    assert_eq!(summary.records, 5);
    assert_eq!(summary.head_hash.as_deref(), Some(rows[4].hash.as_str()));
}

/// A total column that disagrees with its record is shown as money in each language, never
/// as a Rust value (`Some(1875)`).
#[test]
fn a_changed_total_is_shown_as_money() {
    let mut rows = chain_of(3);
    rows[1].total_cents = Some(1875);
    let defect = verify(&rows, vec![head(&rows)]).unwrap_err();
    assert!(
        matches!(
            defect,
            Defect::ColumnMismatch {
                column: "total_cents",
                ..
            }
        ),
        "{defect:?}"
    );
    let (en, fr) = (defect.to_string(), defect.fr());
    assert!(
        en.contains(r#"says "€18.75" but the hashed record says "none""#),
        "{en}"
    );
    assert!(
        fr.contains("vaut « 18,75 € » mais l'enregistrement scellé dit « aucun »"),
        "{fr}"
    );
    assert!(!en.contains("Some") && !fr.contains("Some"), "{en} / {fr}");
}

/// Each tampering, applied to a sound chain of five records, is caught with the right defect.
#[test]
fn tampering_is_detected() {
    type Tamper = fn(&mut Vec<StoredRecord>);
    type Expected = fn(&Defect) -> bool;
    let cases: Vec<(&str, Tamper, Expected)> = vec![
        (
            "body text changed",
            |r| r[2].body = r[2].body.replace("alice", "alicf"),
            |d| matches!(d, Defect::HashMismatch { .. }),
        ),
        (
            "operator column changed",
            |r| r[1].operator = "bob".into(),
            |d| {
                matches!(
                    d,
                    Defect::ColumnMismatch {
                        column: "operator",
                        ..
                    }
                )
            },
        ),
        (
            "time column changed",
            |r| r[1].at = "2026-11-27T10:00:00.000Z".into(),
            |d| matches!(d, Defect::ColumnMismatch { column: "at", .. }),
        ),
        (
            "hash changed",
            |r| r[3].hash = "0".repeat(64),
            |d| matches!(d, Defect::HashMismatch { .. }),
        ),
        (
            "middle record deleted",
            |r| {
                r.remove(2);
            },
            |d| {
                matches!(
                    d,
                    Defect::MissingPosition {
                        expected: 3,
                        found: 4
                    }
                )
            },
        ),
        (
            "last record deleted",
            |r| {
                r.pop();
            },
            |d| {
                matches!(
                    d,
                    Defect::Truncated {
                        anchored: 5,
                        last: 4,
                        ..
                    }
                )
            },
        ),
        (
            "records swapped",
            |r| r.swap(1, 2),
            |d| matches!(d, Defect::MissingPosition { .. }),
        ),
        (
            "body whitespace added",
            |r| r[0].body = r[0].body.replacen(':', ": ", 1),
            |d| matches!(d, Defect::NotCanonical { .. }),
        ),
        (
            "body not JSON",
            |r| r[0].body = "garbage".into(),
            |d| matches!(d, Defect::Unreadable { .. }),
        ),
    ];
    for (name, tamper, expected) in cases {
        let mut rows = chain_of(5);
        let anchor = head(&rows);
        tamper(&mut rows);
        let defect = verify(&rows, vec![anchor]).expect_err(name);
        assert!(expected(&defect), "{name}: got {defect}");
    }
}

#[test]
fn a_rehashed_forgery_breaks_the_next_link_or_the_head() {
    let mut rows = chain_of(3);
    let anchor = head(&rows);
    // Re-seal record 2 with another operator: its own hash is right, the link of 3 is not.
    let mut forged: Record = serde_json::from_str(&rows[1].body).unwrap();
    forged.operator = "mallory".into();
    let prev = from_hex(&rows[0].hash).unwrap();
    rows[1] = seal(forged, &prev).unwrap().stored();
    let defect = verify(&rows, vec![anchor.clone()]).unwrap_err();
    assert!(matches!(defect, Defect::BrokenLink { .. }), "{defect}");
    // Forging the last record is caught by the head anchor.
    let mut rows = chain_of(3);
    let mut forged: Record = serde_json::from_str(&rows[2].body).unwrap();
    forged.operator = "mallory".into();
    let prev = from_hex(&rows[1].hash).unwrap();
    rows[2] = seal(forged, &prev).unwrap().stored();
    let defect = verify(&rows, vec![anchor]).unwrap_err();
    assert!(matches!(defect, Defect::AnchorMismatch { .. }), "{defect}");
}

#[test]
fn a_lagging_anchor_is_a_lower_bound() {
    let rows = chain_of(4);
    let lagging = Anchor {
        source: "sidecar".into(),
        pos: 2,
        hash: rows[1].hash.clone(),
        exact: false,
    };
    assert!(verify(&rows, vec![lagging.clone()]).is_ok());
    let wrong = Anchor {
        hash: rows[0].hash.clone(),
        ..lagging
    };
    assert!(matches!(
        verify(&rows, vec![wrong]),
        Err(Defect::AnchorMismatch { pos: 2, .. })
    ));
}

#[test]
fn sequence_gaps_are_named() {
    let mut prev = GENESIS;
    let mut rows = Vec::new();
    for (pos, seq) in [(1, 1), (2, 3)] {
        let sealed = seal(event_record(pos, seq), &prev).unwrap();
        prev = from_hex(&sealed.hash).unwrap();
        rows.push(sealed.stored());
    }
    let defect = verify(&rows, vec![]).unwrap_err();
    assert!(defect.to_string().contains("T1-E000002"), "{defect}");
}

/// A reader that already holds each record's parsed value (a bundle's records.jsonl) gets
/// the same records and the same defects from `push_canonical` as from `push_returning`.
#[test]
fn push_canonical_checks_what_push_returning_checks() {
    let rows = chain_of(4);
    let mut plain = ChainVerifier::new(Some("T1".into()));
    let mut parsed = ChainVerifier::new(Some("T1".into()));
    for row in &rows {
        let value: serde_json::Value = serde_json::from_str(&row.body).unwrap();
        let a = plain.push_returning(row).unwrap();
        let b = parsed.push_canonical(row, &value).unwrap();
        assert_eq!(a, b);
    }
    assert_eq!(plain.head(), parsed.head());

    let mut forged = chain_of(3);
    let value: serde_json::Value =
        serde_json::from_str(&forged[1].body.replace("alice", "alicf")).unwrap();
    forged[1].body = crate::canonical::to_canonical(&value).unwrap();
    let mut verifier = ChainVerifier::new(Some("T1".into()));
    verifier.push(&forged[0]).unwrap();
    let defect = verifier.push_canonical(&forged[1], &value).unwrap_err();
    assert!(matches!(defect, Defect::HashMismatch { .. }), "{defect:?}");

    let mut verifier = ChainVerifier::new(Some("T1".into()));
    let value: serde_json::Value = serde_json::from_str(&forged[2].body).unwrap();
    let defect = verifier.push_canonical(&forged[2], &value).unwrap_err();
    assert!(
        matches!(defect, Defect::MissingPosition { .. }),
        "{defect:?}"
    );
}

/// A reader that parsed each record straight from its canonical body gets the same records
/// and the same defects from `push_parsed` as from `push_returning`.
#[test]
fn push_parsed_checks_what_push_returning_checks() {
    let rows = chain_of(4);
    let mut plain = ChainVerifier::new(Some("T1".into()));
    let mut parsed = ChainVerifier::new(Some("T1".into()));
    for row in &rows {
        let record: Record = serde_json::from_str(&row.body).unwrap();
        let a = plain.push_returning(row).unwrap();
        let b = parsed.push_parsed(row, record).unwrap();
        assert_eq!(a, b);
    }
    assert_eq!(plain.head(), parsed.head());

    let mut forged = chain_of(3);
    forged[1].body = forged[1].body.replace("alice", "alicf");
    forged[1].operator = "alicf".into();
    let mut verifier = ChainVerifier::new(Some("T1".into()));
    verifier.push(&forged[0]).unwrap();
    let record: Record = serde_json::from_str(&forged[1].body).unwrap();
    let defect = verifier.push_parsed(&forged[1], record).unwrap_err();
    assert!(matches!(defect, Defect::HashMismatch { .. }), "{defect:?}");

    let mut verifier = ChainVerifier::new(Some("T1".into()));
    let record: Record = serde_json::from_str(&forged[2].body).unwrap();
    let defect = verifier.push_parsed(&forged[2], record).unwrap_err();
    assert!(
        matches!(defect, Defect::MissingPosition { .. }),
        "{defect:?}"
    );
}

/// `Record::from_canonical` reads what serde reads from the canonical text, and fails where
/// serde fails.
#[test]
fn a_record_read_from_its_canonical_members_is_the_one_serde_reads() {
    let body = seal(event_record(1, 1), &GENESIS).unwrap().body;
    let read = |text: &str| {
        let members = crate::canonical::canonical_members(text).unwrap();
        Record::from_canonical(&members)
    };
    let serde: Record = serde_json::from_str(&body).unwrap();
    assert_eq!(read(&body), Some(serde));
    for (from, to) in [
        ("\"kind\":\"event\"", "\"kind\":\"evnt\""),
        ("\"kind\":\"event\"", "\"kind\":\"sale\""),
        ("\"kind\":\"event\"", "\"kind\":1"),
        ("\"kind\":\"event\",", ""),
        ("\"training\":false", "\"training\":0"),
        ("\"utc_offset_min\":60", "\"utc_offset_min\":99999999999"),
    ] {
        let changed = body.replace(from, to);
        assert_ne!(changed, body);
        assert!(serde_json::from_str::<Record>(&changed).is_err(), "{to}");
        assert_eq!(read(&changed), None, "{to}");
    }
}

/// An outage sealed with its former code (1080) and one with today's JET code (70) verify
/// alike, and both read as the same event type: records are never rewritten when a code is
/// aligned (docs/CHAIN.md, « Former codes »).
#[test]
fn events_sealed_with_a_former_code_stay_valid() {
    let mut prev = GENESIS;
    let mut rows = Vec::new();
    for (pos, code) in [(1u64, 1080u32), (2, 70)] {
        let mut record = event_record(pos, pos);
        record.id = Uuid::from_u128(pos as u128);
        let mut data = EventData::new(
            EventType::OutageStarted,
            "Début de la panne",
            json!({"at": "2026-11-27T07:00:00.000Z", "reason": "panne"}),
        );
        data.code = code;
        record.body = Body::Event(data);
        let sealed = seal(record, &prev).unwrap();
        prev = from_hex(&sealed.hash).unwrap();
        rows.push(sealed);
    }
    let stored: Vec<StoredRecord> = rows.iter().map(Sealed::stored).collect();
    assert_eq!(verify(&stored, vec![head(&stored)]).unwrap().records, 2);
    for sealed in &rows {
        let Body::Event(data) = &sealed.record.body else {
            panic!("an event")
        };
        assert_eq!(
            EventType::of_record(data.code, &data.name),
            Some(EventType::OutageStarted)
        );
    }
}
