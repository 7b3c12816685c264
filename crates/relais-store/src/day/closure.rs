//! Closures: the figures of a day (or a month, or a year) gathered from the ledger, signed
//! with the till's key, and sealed into the ledger with their journal entry.

use super::{local_time_of, Closer, ClosureReport, DAY_KINDS};
use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::keys;
use crate::session::open_session;
use ed25519_dalek::Signer;
use relais_core::closure::{
    count_total, signing_bytes, AvoirLiability, CardCheck, CashCount, ClosureData, ClosurePeriod,
    ClosureSignature, Covers, DenominationCount, PeriodTotals,
};
use relais_core::liability::Liability;
use relais_core::text;
use relais_core::{Body, EventData, EventType, Money, Record, Summarizer};
use rusqlite::{params, Connection};
use serde_json::json;

pub(super) fn records(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<Record>> {
    let mut statement = conn.prepare(sql)?;
    let bodies = statement
        .query_map(args, |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(|e| StoreError::Corrupt(e.to_string())))
        .collect()
}

/// The figures of the day opened at `from_pos`.
pub(super) fn session_totals(conn: &Connection, day: &str, from_pos: u64) -> Result<PeriodTotals> {
    let sql = format!("SELECT body FROM ledger WHERE business_day = ?1 AND pos >= ?2 AND (kind IN ({DAY_KINDS}) OR (kind = 'event' AND json_extract(body, '$.data.name') = 'drawer_opened')) ORDER BY pos");
    let mut summarizer = Summarizer::default();
    for record in records(conn, &sql, params![day, from_pos])? {
        summarizer.add(&record).map_err(|_| {
            StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"))
        })?;
    }
    summarizer.finish().map_err(|_| {
        StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"))
    })
}

/// Tickets recorded since the open day began but dated to earlier days (late entries).
pub(super) fn earlier_days(
    conn: &Connection,
    day: &str,
) -> Result<Vec<relais_core::closure::EarlierDay>> {
    let Some((_, from)) = open_session(conn)? else {
        return Ok(Vec::new());
    };
    let mut statement = conn.prepare(
        "SELECT business_day, COUNT(*), SUM(total_cents), SUM(abs(total_cents)) FROM ledger
         WHERE kind IN ('sale', 'refund', 'void') AND pos > ?1 AND business_day < ?2
         GROUP BY business_day ORDER BY business_day",
    )?;
    let rows = statement.query_map(params![from, day], |r| {
        Ok(relais_core::closure::EarlierDay {
            business_day: r.get(0)?,
            tickets: r.get(1)?,
            total_cents: Money(r.get(2)?),
            abs_total_cents: Money(r.get(3)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The avoirs a day closure of `day` carries: this till's avoirs, their uses and its earlier
/// day closures folded in position order by the core's [`Liability`], as the audit folds
/// them; none when every figure is 0.
pub(super) fn avoir_liability(conn: &Connection, day: &str) -> Result<Option<AvoirLiability>> {
    let all = records(
        conn,
        "SELECT body FROM ledger WHERE kind IN ('avoir', 'avoir_use')
         OR (kind = 'closure' AND json_extract(body, '$.data.period') = 'day') ORDER BY pos",
        [],
    )?;
    let overflow =
        |_| StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"));
    let mut liability = Liability::default();
    for record in &all {
        match &record.body {
            Body::Closure(closure) => {
                liability.close(&closure.last_day).map_err(overflow)?;
            }
            _ => liability.add(record).map_err(overflow)?,
        }
    }
    let figures = liability.close(day).map_err(overflow)?;
    Ok((!figures.is_empty()).then_some(figures))
}

/// Every closure of a period kind, oldest first.
pub(super) fn closures(
    conn: &Connection,
    period: ClosurePeriod,
) -> Result<Vec<(Record, ClosureData)>> {
    let all = records(
        conn,
        "SELECT body FROM ledger WHERE kind = 'closure' AND json_extract(body, '$.data.period') = ?1 ORDER BY pos",
        [period.code()],
    )?;
    Ok(all
        .into_iter()
        .filter_map(|r| match &r.body {
            Body::Closure(c) => Some((r.clone(), c.clone())),
            _ => None,
        })
        .collect())
}

/// Who closes, and what they counted.
pub(super) enum Closing<'a> {
    /// The till, by itself: a day left open when the next one starts. Nothing counted.
    Automatic,
    /// A manager, with what they counted and noted (a month or a year: nothing counted).
    Asked {
        counted: Option<&'a [DenominationCount]>,
        card_terminal: Option<Money>,
        note: Option<String>,
    },
}

impl Closing<'_> {
    /// A month's or a year's closure, asked for with nothing counted.
    pub(super) const PERIOD: Closing<'static> = Closing::Asked {
        counted: None,
        card_terminal: None,
        note: None,
    };
}

/// Builds and signs a closure. Day: the open session's records. Month and year: the day
/// closures of the period, whose first day starts with `which` ("2026-11", "2026").
pub(super) fn build_closure(
    conn: &Connection,
    closer: &Closer,
    period: ClosurePeriod,
    which: &str,
    closing: Closing<'_>,
) -> Result<ClosureData> {
    let automatic = matches!(closing, Closing::Automatic);
    let (counted, card_terminal, note) = match closing {
        Closing::Automatic => (None, None, None),
        Closing::Asked {
            counted,
            card_terminal,
            note,
        } => (counted, card_terminal, note),
    };
    let days = closures(conn, ClosurePeriod::Day)?;
    let (totals, first_day, last_day) = match period {
        ClosurePeriod::Day => {
            let (day, from) = open_session(conn)?.ok_or_else(|| {
                StoreError::Invalid(text!(fr: "aucune journée n'est ouverte", en: "no day is open"))
            })?;
            (session_totals(conn, &day, from)?, day.clone(), day)
        }
        _ => {
            let mut summarizer = Summarizer::default();
            let covered: Vec<&ClosureData> = days
                .iter()
                .map(|(_, c)| c)
                .filter(|c| c.first_day.starts_with(which))
                .collect();
            let (first, last) = match (covered.first(), covered.last()) {
                (Some(f), Some(l)) => (f.first_day.clone(), l.last_day.clone()),
                _ => {
                    return Err(StoreError::Invalid(text!(
                        fr: "aucune journée clôturée en {which}",
                        en: "no closed day in {which}",
                    )))
                }
            };
            for c in &covered {
                summarizer.add_totals(&c.totals).map_err(|_| {
                    StoreError::Invalid(
                        text!(fr: "montant hors limites", en: "amount out of range"),
                    )
                })?;
            }
            let totals = summarizer.finish().map_err(|_| {
                StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"))
            })?;
            (totals, first, last)
        }
    };
    let (earlier_days, avoirs) = match period {
        ClosurePeriod::Day => (
            earlier_days(conn, &first_day)?,
            avoir_liability(conn, &first_day)?,
        ),
        _ => (Vec::new(), None),
    };
    let previous = days
        .last()
        .map(|(_, c)| (c.perpetual_total_cents, c.perpetual_abs_total_cents));
    let (perpetual, perpetual_abs) = match period {
        ClosurePeriod::Day => {
            let (mut p, mut a) = previous.unwrap_or_default();
            for earlier in &earlier_days {
                p = p.checked_add(earlier.total_cents).map_err(|_| {
                    StoreError::Invalid(
                        text!(fr: "montant hors limites", en: "amount out of range"),
                    )
                })?;
                a = a.checked_add(earlier.abs_total_cents).map_err(|_| {
                    StoreError::Invalid(
                        text!(fr: "montant hors limites", en: "amount out of range"),
                    )
                })?;
            }
            (
                p.checked_add(totals.total_cents),
                a.checked_add(totals.abs_total_cents),
            )
        }
        _ => (
            Ok(previous.unwrap_or_default().0),
            Ok(previous.unwrap_or_default().1),
        ),
    };
    let overflow =
        |_| StoreError::Invalid(text!(fr: "montant hors limites", en: "amount out of range"));
    let cash_count = counted
        .map(|denominations| -> Result<CashCount> {
            let counted = count_total(denominations).map_err(|e| {
                StoreError::Invalid(text!(fr: "comptage invalide : {e}", en: e.to_string()))
            })?;
            Ok(CashCount {
                denominations: denominations.to_vec(),
                counted_cents: counted,
                variance_cents: counted
                    .checked_sub(totals.expected_cash_cents)
                    .map_err(overflow)?,
            })
        })
        .transpose()?;
    let card_check = card_terminal
        .map(|terminal| -> Result<CardCheck> {
            let recorded = totals.tender(relais_core::Method::Card);
            Ok(CardCheck {
                terminal_total_cents: terminal,
                variance_cents: terminal.checked_sub(recorded).map_err(overflow)?,
            })
        })
        .transpose()?;
    let head = crate::ledger::current_head(conn)?;
    let key = closer.key()?;
    let mut data = ClosureData {
        period,
        first_day,
        last_day,
        totals,
        earlier_days,
        cash_count,
        card_check,
        automatic,
        note,
        perpetual_total_cents: perpetual.map_err(overflow)?,
        perpetual_abs_total_cents: perpetual_abs.map_err(overflow)?,
        avoirs,
        covers: Covers {
            last_pos: head.0,
            last_hash: head.1,
        },
        signature: ClosureSignature {
            algorithm: "ed25519".into(),
            key: keys::public_hex(key),
            value: String::new(),
        },
    };
    let bytes = signing_bytes(&data)?;
    data.signature.value = hex::encode(key.sign(bytes.as_bytes()).to_bytes());
    Ok(data)
}

/// Appends a closure and its journal entries (JET 50, or 60 for a year).
pub(super) fn seal_closure(
    tx: &Connection,
    closer: &Closer,
    closure: ClosureData,
    operator: &str,
    day: &str,
    approver: Option<&str>,
) -> Result<ClosureReport> {
    let sealed = append(
        tx,
        &closer.config,
        closer.now,
        NewRecord::new(Body::Closure(closure.clone()), operator).on_day(day),
    )?;
    let last = sealed.last().expect("the closure");
    let number = last.record.number();
    let (kind, what) = match closure.period {
        ClosurePeriod::Day => (EventType::DayClosed, format!("de la journée du {day}")),
        ClosurePeriod::Month => (
            EventType::DayClosed,
            format!("du mois {}", &closure.first_day[..7]),
        ),
        ClosurePeriod::Year => (
            EventType::YearClosed,
            format!("de l'exercice {}", &closure.first_day[..4]),
        ),
    };
    let event = EventData::new(
        kind,
        format!(
            "Clôture {what} ({number}) : total {} €",
            closure.totals.total_cents
        ),
        json!({"closure": number, "period": closure.period.code(), "approved_by": approver}),
    );
    append(
        tx,
        &closer.config,
        closer.now,
        NewRecord::new(Body::Event(event), operator).on_day(day),
    )?;
    Ok(ClosureReport {
        number,
        at: last.record.at.clone(),
        local_time: local_time_of(&last.record),
        closure,
    })
}
