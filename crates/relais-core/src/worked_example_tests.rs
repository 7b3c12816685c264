//! The worked example of docs/CHAIN.md §8: a day with one sale, its partial refund and its
//! Z, built by the code that builds them at the till, audited by the code that audits them,
//! and compared with the bytes and hashes the document prints. If this test fails, the
//! document (and every verifier written from it) is wrong.

use crate::audit::RecordAudit;
use crate::chain::{from_hex, seal, to_hex, Hash, Sealed, GENESIS};
use crate::closure::{
    signing_bytes, CashCount, ClosureData, ClosurePeriod, ClosureSignature, Covers, DayOpenData,
    DenominationCount,
};
use crate::event::{EventData, EventType};
use crate::money::{Money, Qty, DEFAULT_VAT_RATES};
use crate::record::{Body, Record, FORMAT_VERSION};
use crate::refund::refund_ticket;
use crate::sale::{price_sale, SaleInput};
use crate::summary::Summarizer;
use crate::ticket::{Link, Method};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;
use uuid::Uuid;

/// The example's signing key: the seed is 32 bytes of 0x07, so anyone can re-sign.
const SEED: [u8; 32] = [7; 32];

fn record(pos: u64, seq: u64, at: &str, operator: &str, body: Body) -> Record {
    Record {
        v: FORMAT_VERSION,
        id: Uuid::parse_str(&format!("019acb2e-3c00-7000-8000-{pos:012}")).unwrap(),
        till: "T1".into(),
        pos,
        seq,
        at: at.into(),
        tz: "Europe/Paris".into(),
        utc_offset_min: 60,
        business_day: "2026-11-28".into(),
        operator: operator.into(),
        training: false,
        body,
    }
}

fn chained(records: Vec<Record>) -> Vec<Sealed> {
    let mut prev: Hash = GENESIS;
    records
        .into_iter()
        .map(|r| {
            let sealed = seal(r, &prev).unwrap();
            prev = from_hex(&sealed.hash).unwrap();
            sealed
        })
        .collect()
}

/// Set-up, day opening, sale, refund: the records the Z closes.
fn day_records(public_key: &str) -> Vec<Record> {
    let setup = EventData::new(
        EventType::TillInitialised,
        "Initialisation de la caisse T1 (Épicerie Martin)",
        json!({"public_key": public_key, "signature_algorithm": "ed25519", "till": "T1"}),
    );
    let open = DayOpenData {
        float_cents: Money(5000),
        denominations: vec![
            DenominationCount {
                value_cents: 1000,
                count: 3,
            },
            DenominationCount {
                value_cents: 500,
                count: 4,
            },
        ],
        automatic: false,
    };
    let input: SaleInput = serde_json::from_value(json!({
        "lines": [
            {"label": "Tasse", "unit_price_cents": 999, "vat_rate_bp": 2000, "qty": 3,
             "discount_percent": "10"},
            {"label": "Livre", "unit_price_cents": 1990, "vat_rate_bp": 550}
        ],
        "ticket_discount_cents": 101,
        "payments": [{"method": "cash", "tendered_cents": 5000}]
    }))
    .unwrap();
    let sale = price_sale(&input, &DEFAULT_VAT_RATES).unwrap();
    let sale_record = record(3, 1, "2026-11-28T09:12:30.250Z", "Paul", Body::Sale(sale));
    let link = Link {
        id: sale_record.id,
        number: sale_record.number(),
    };
    let Body::Sale(sale) = &sale_record.body else {
        unreachable!()
    };
    let refund = refund_ticket(
        sale,
        link,
        &[(0, Qty::ONE)],
        &[],
        Method::Cash,
        None,
        "Tasse ébréchée".into(),
    )
    .unwrap();
    vec![
        record(
            1,
            1,
            "2026-11-28T08:00:00.000Z",
            "Marie",
            Body::Event(setup),
        ),
        record(
            2,
            2,
            "2026-11-28T08:05:00.000Z",
            "Marie",
            Body::DayOpen(open),
        ),
        sale_record,
        record(
            4,
            2,
            "2026-11-28T10:40:00.000Z",
            "Marie",
            Body::Refund(refund),
        ),
    ]
}

/// The Z of the day, as the till builds it: totals of the day's records, the drawer counted
/// 6 cents short, signed.
fn z_record(key: &SigningKey, day: &[Sealed]) -> Record {
    let mut summary = Summarizer::default();
    for sealed in &day[1..] {
        summary.add(&sealed.record).unwrap();
    }
    let totals = summary.finish().unwrap();
    let denominations = vec![5000, 2000, 1000, 500, 200]
        .into_iter()
        .map(|value_cents| DenominationCount {
            value_cents,
            count: 1,
        })
        .collect();
    let counted = Money(8700);
    let last = day.last().unwrap();
    let mut data = ClosureData {
        period: ClosurePeriod::Day,
        first_day: "2026-11-28".into(),
        last_day: "2026-11-28".into(),
        cash_count: Some(CashCount {
            denominations,
            counted_cents: counted,
            variance_cents: counted.checked_sub(totals.expected_cash_cents).unwrap(),
        }),
        card_check: None,
        automatic: false,
        note: None,
        perpetual_total_cents: totals.total_cents,
        perpetual_abs_total_cents: totals.abs_total_cents,
        avoirs: None,
        totals,
        earlier_days: Vec::new(),
        covers: Covers {
            last_pos: last.record.pos,
            last_hash: last.hash.clone(),
        },
        signature: ClosureSignature {
            algorithm: "ed25519".into(),
            key: hex::encode(key.verifying_key().to_bytes()),
            value: String::new(),
        },
    };
    let bytes = signing_bytes(&data).unwrap();
    data.signature.value = hex::encode(key.sign(bytes.as_bytes()).to_bytes());
    record(
        5,
        1,
        "2026-11-28T18:30:00.000Z",
        "Marie",
        Body::Closure(data),
    )
}

fn example() -> Vec<Sealed> {
    let key = SigningKey::from_bytes(&SEED);
    let public_key = hex::encode(key.verifying_key().to_bytes());
    let day = chained(day_records(&public_key));
    let mut records: Vec<Record> = day.iter().map(|s| s.record.clone()).collect();
    records.push(z_record(&key, &day));
    chained(records)
}

#[test]
fn worked_example_of_a_refund_and_a_z() {
    let doc = include_str!("../../../docs/CHAIN.md");
    let chain = example();
    let mut audit = RecordAudit::new(Some("T1".into()));
    for sealed in &chain {
        audit.push(&sealed.stored()).unwrap();
        println!("{} {}\n{}\n", sealed.record.pos, sealed.hash, sealed.body);
    }
    assert_eq!(to_hex(&audit.chain().head()), chain[4].hash);
    let (refund, z) = (&chain[3], &chain[4]);
    assert_eq!(refund.record.body.total(), Some(Money(-880)));
    assert_eq!(z.record.body.total(), Some(Money(3706)));
    for (what, text) in [
        ("the refund's bytes", &refund.body),
        ("the Z's bytes", &z.body),
    ] {
        assert!(doc.contains(text.as_str()), "CHAIN.md shows {what}: {text}");
    }
    for sealed in &chain {
        assert!(
            doc.contains(&sealed.hash),
            "CHAIN.md shows the hash of position {}: {}",
            sealed.record.pos,
            sealed.hash
        );
    }
}
