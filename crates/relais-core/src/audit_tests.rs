use super::*;
use crate::chain::{from_hex, seal, to_hex, GENESIS};
use crate::closure::{
    signing_bytes, AvoirLiability, ClosurePeriod, ClosureSignature, Covers, DayOpenData,
    PeriodTotals,
};
use crate::event::EventData;
use crate::liability::Liability;
use crate::money::DEFAULT_VAT_RATES;
use crate::record::FORMAT_VERSION;
use crate::sale::{price_sale, SaleInput};
use crate::summary::Summarizer;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;
use uuid::Uuid;

/// A till's chain written by hand the way the store writes it: days opened, sales, signed
/// closures whose figures come from the same `Summarizer`.
struct Till {
    rows: Vec<StoredRecord>,
    prev: Hash,
    seqs: BTreeMap<Series, u64>,
    key: SigningKey,
    day: Option<Summarizer>,
    days: Vec<PeriodTotals>,
    perpetual: (Money, Money),
    /// This till's avoirs, folded as the store folds them.
    liability: Liability,
    /// Day closures state their avoirs (false: a till from before they existed).
    states_avoirs: bool,
    next_avoirs: Option<AvoirLiability>,
}

impl Till {
    fn new() -> Till {
        let mut till = Till {
            rows: Vec::new(),
            prev: GENESIS,
            seqs: BTreeMap::new(),
            key: SigningKey::from_bytes(&[7; 32]),
            day: None,
            days: Vec::new(),
            perpetual: (Money::ZERO, Money::ZERO),
            liability: Liability::default(),
            states_avoirs: true,
            next_avoirs: None,
        };
        let key = till.public_key();
        let setup = EventData::new(
            EventType::TillInitialised,
            "Mise en service",
            json!({"public_key": key}),
        );
        till.push("2026-11-28", Body::Event(setup));
        till
    }

    fn public_key(&self) -> String {
        hex::encode(self.key.verifying_key().to_bytes())
    }

    fn push(&mut self, day: &str, body: Body) -> Record {
        let series = body.kind().series();
        let seq = self.seqs.get(&series).copied().unwrap_or(0) + 1;
        self.seqs.insert(series, seq);
        let pos = self.rows.len() as u64 + 1;
        let record = Record {
            v: FORMAT_VERSION,
            id: Uuid::from_u128(u128::from(pos)),
            till: "T1".into(),
            pos,
            seq,
            at: "2026-11-28T10:00:00.000Z".into(),
            tz: "Europe/Paris".into(),
            utc_offset_min: 60,
            business_day: day.into(),
            operator: "alice".into(),
            training: false,
            body,
        };
        let sealed = seal(record.clone(), &self.prev).unwrap();
        self.prev = from_hex(&sealed.hash).unwrap();
        self.rows.push(sealed.stored());
        if let Some(day) = &mut self.day {
            day.add(&record).unwrap();
        }
        if !matches!(record.body, Body::Closure(_)) {
            self.liability.add(&record).unwrap();
        }
        record
    }

    fn open(&mut self, day: &str) {
        self.day = Some(Summarizer::default());
        let open = DayOpenData {
            float_cents: Money(5_000),
            denominations: Vec::new(),
            automatic: false,
        };
        self.push(day, Body::DayOpen(open));
    }

    fn sale(&mut self, day: &str, cents: i64) {
        let input: SaleInput = serde_json::from_value(json!({
            "lines": [{"label": "Pain", "unit_price_cents": cents, "vat_rate_bp": 550}],
            "payments": [{"method": "cheque", "amount_cents": cents, "reference": "C1"}],
            "operator": "alice"
        }))
        .unwrap();
        self.push(
            day,
            Body::Sale(price_sale(&input, &DEFAULT_VAT_RATES).unwrap()),
        );
    }

    /// The day's Z, built on the head; a clock event chained between when `clock`.
    fn close_day(&mut self, day: &str, clock: bool, forge: fn(&mut ClosureData)) {
        let totals = self.day.take().unwrap_or_default().finish().unwrap();
        self.perpetual.0 = self.perpetual.0.checked_add(totals.total_cents).unwrap();
        self.perpetual.1 = self
            .perpetual
            .1
            .checked_add(totals.abs_total_cents)
            .unwrap();
        self.days.push(totals.clone());
        let avoirs = self.liability.close(day).unwrap();
        self.next_avoirs = (self.states_avoirs && !avoirs.is_empty()).then_some(avoirs);
        self.close(ClosurePeriod::Day, day, day, totals, clock, forge);
    }

    fn close_month(&mut self, first: &str, last: &str) {
        let mut sum = Summarizer::default();
        for day in std::mem::take(&mut self.days) {
            sum.add_totals(&day).unwrap();
        }
        self.close(
            ClosurePeriod::Month,
            first,
            last,
            sum.finish().unwrap(),
            false,
            |_| {},
        );
    }

    fn close(
        &mut self,
        period: ClosurePeriod,
        first: &str,
        last: &str,
        totals: PeriodTotals,
        clock: bool,
        forge: fn(&mut ClosureData),
    ) {
        let mut data = ClosureData {
            period,
            first_day: first.into(),
            last_day: last.into(),
            totals,
            earlier_days: Vec::new(),
            cash_count: None,
            card_check: None,
            automatic: false,
            note: None,
            perpetual_total_cents: self.perpetual.0,
            perpetual_abs_total_cents: self.perpetual.1,
            avoirs: self.next_avoirs.take(),
            covers: Covers {
                last_pos: self.rows.len() as u64,
                last_hash: to_hex(&self.prev),
            },
            signature: ClosureSignature {
                algorithm: "ed25519".into(),
                key: self.public_key(),
                value: String::new(),
            },
        };
        forge(&mut data);
        let bytes = signing_bytes(&data).unwrap();
        data.signature.value = hex::encode(self.key.sign(bytes.as_bytes()).to_bytes());
        if clock {
            let event = EventData::new(EventType::ClockBackwards, "L'horloge a reculé", json!({}));
            self.push(last, Body::Event(event));
        }
        self.push(last, Body::Closure(data));
    }

    /// The audit of the chain from position `from` (1: the whole chain), taken up as a
    /// bundle's is: previous hash, next numbers and the public key.
    fn audit_from(&self, from: usize) -> Result<(), Defect> {
        let mut audit = match from {
            1 => RecordAudit::new(Some("T1".into())),
            _ => {
                let mut next = BTreeMap::new();
                for row in &self.rows[..from - 1] {
                    next.insert(Series::from_code(&row.series).unwrap(), row.seq + 1);
                }
                let prev = from_hex(&self.rows[from - 2].hash).unwrap();
                RecordAudit::resume(
                    "T1".into(),
                    from as u64,
                    prev,
                    next,
                    Some(self.public_key()),
                )
            }
        };
        for row in &self.rows[from - 1..] {
            audit.push(row)?;
        }
        Ok(())
    }
}

/// Two days (the second's Z sealed after a clock event), and their month: sound from any
/// position an audit takes it up at.
#[test]
fn a_sound_chain_passes_from_any_position() {
    let mut till = Till::new();
    till.open("2026-11-28");
    till.sale("2026-11-28", 120);
    till.sale("2026-11-28", 250);
    till.close_day("2026-11-28", false, |_| {});
    till.open("2026-11-29");
    till.sale("2026-11-29", 90);
    till.close_day("2026-11-29", true, |_| {});
    till.close_month("2026-11-28", "2026-11-29");
    for from in 1..=till.rows.len() {
        assert_eq!(till.audit_from(from), Ok(()), "from position {from}");
    }
}

/// What each forgery breaks, and from which positions an audit sees it: a day's figures only
/// when it saw the day open, its `covers` from anywhere.
#[test]
fn a_forged_z_is_seen_by_every_audit_that_can_see_it() {
    type Forge = fn(&mut ClosureData);
    let cases: [(&str, Forge, &str, usize); 4] = [
        ("totals", |c| c.totals.sales += 1, "totals.sales is 3", 2),
        (
            "covers",
            |c| c.covers.last_pos -= 1,
            "must cover the record just before it",
            4,
        ),
        (
            "days",
            |c| c.first_day = "2026-11-27".into(),
            "first_day is",
            2,
        ),
        (
            "perpetual",
            |c| c.perpetual_total_cents.0 += 1,
            "perpetual_total_cents is",
            1,
        ),
    ];
    for (what, forge, words, seen_up_to) in cases {
        let mut till = Till::new();
        till.open("2026-11-28");
        till.sale("2026-11-28", 120);
        till.sale("2026-11-28", 250);
        till.close_day("2026-11-28", false, forge);
        for from in 1..=till.rows.len() {
            let found = till.audit_from(from).err().map(|d| d.to_string());
            match from <= seen_up_to {
                true => assert!(
                    found
                        .as_deref()
                        .is_some_and(|d| d.starts_with("T1-Z000001") && d.contains(words)),
                    "{what} from {from}: {found:?}"
                ),
                false => assert_eq!(found, None, "{what} from {from}: not visible"),
            }
        }
    }
}

/// A second Z with no day opened after the first: a whole audit and one that saw the first Z
/// both name it; one that started after the first Z cannot know.
#[test]
fn a_z_of_no_open_day_is_named_once_the_audit_knows() {
    let mut till = Till::new();
    till.open("2026-11-28");
    till.sale("2026-11-28", 120);
    till.close_day("2026-11-28", false, |_| {});
    till.close_day("2026-11-28", false, |_| {});
    let last = till.rows.len();
    for from in 1..=last {
        let found = till.audit_from(from).err().map(|d| d.to_string());
        match from < last {
            true => assert!(
                found.as_deref().is_some_and(
                    |d| d.starts_with("T1-Z000002") && d.contains("which was not open")
                ),
                "from {from}: {found:?}"
            ),
            false => assert_eq!(found, None, "from {from}"),
        }
    }
}

#[test]
fn a_ticket_adds_up_or_is_named() {
    let mut till = Till::new();
    till.open("2026-11-28");
    till.sale("2026-11-28", 120);
    assert_eq!(till.audit_from(1), Ok(()));
    let Body::Sale(mut ticket) = record_of(&till.rows[2].body).body else {
        panic!("a sale");
    };
    assert!(ticket_adds_up(&ticket));
    ticket.vat[0].vat_cents.0 += 1;
    assert!(!ticket_adds_up(&ticket), "VAT per rate");
    ticket.vat[0].vat_cents.0 -= 1;
    ticket.payments[0].amount_cents.0 += 1;
    assert!(!ticket_adds_up(&ticket), "payments");
    till.rows.pop();
    till.prev = from_hex(&till.rows[1].hash).unwrap();
    till.seqs.remove(&Series::Ticket);
    till.push("2026-11-28", Body::Sale(ticket));
    let found = till.audit_from(1).unwrap_err();
    assert!(
        matches!(&found, Defect::TicketDoesNotAddUp { record } if record.number == "T1-000001"),
        "{found}"
    );
}

fn record_of(body: &str) -> Record {
    crate::record::record_of(body).unwrap()
}

#[path = "audit_avoir_tests.rs"]
mod avoirs;
