//! The business day: opened with a counted float (or automatically by the first sale, so that
//! selling is never blocked), cash movements, the X report, and closures — the daily Z and the
//! monthly and yearly ones — signed with the till's key.
//!
//! A day runs from its opening record to its Z. Its records are those with its business day
//! from the opening on; a day left open past midnight is closed automatically (uncounted,
//! with a warning) by the first ticket of the next day.

use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::session::{open_day, open_session};
use crate::settings::TillConfig;
use crate::staff::Approval;
use crate::{keys, Recorded, Store};
use crate::{Actor, Manager};
use chrono::{DateTime, Utc};
use closure::{build_closure, closures, seal_closure, session_totals, Closing};
use ed25519_dalek::SigningKey;
use relais_core::closure::{
    count_total, CashMovementData, ClosureData, ClosurePeriod, DayOpenData, DenominationCount,
    Direction, PeriodTotals,
};
use relais_core::text;
use relais_core::time::{format_instant, local_display, parse_instant, parse_zone};
use relais_core::{Body, EventData, EventType, Money, Record};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// The kinds a day's figures are made of.
const DAY_KINDS: &str =
    "'sale', 'refund', 'void', 'day_open', 'cash_movement', 'deposit', 'avoir', 'avoir_use'";

/// What a closure needs: the till's settings and signing key, and the time. The key is read
/// only when a closure is signed: most tickets close nothing, and reading and parsing
/// `till.key` on each of them cost a sale a file open it does not need.
#[derive(Clone)]
pub(crate) struct Closer {
    pub config: TillConfig,
    pub now: DateTime<Utc>,
    dir: std::path::PathBuf,
    key: std::cell::OnceCell<SigningKey>,
}

impl Closer {
    fn key(&self) -> Result<&SigningKey> {
        if let Some(key) = self.key.get() {
            return Ok(key);
        }
        let key = keys::load(&self.dir)?.ok_or_else(|| {
            StoreError::Key(format!(
                "{} is missing: closures cannot be signed",
                keys::KEY_FILE
            ))
        })?;
        Ok(self.key.get_or_init(|| key))
    }
}

/// The day tickets go to: the open day, or one opened now (after closing, uncounted, a day
/// left open past midnight). Called inside the ticket's transaction.
pub(crate) fn ensure_day(tx: &Connection, closer: &Closer) -> Result<String> {
    let today = closer.config.local_day(closer.now);
    match open_session(tx)? {
        Some((day, _)) if day >= today && !opened_by_a_wrong_clock(&day, &today) => return Ok(day),
        Some((day, _)) => {
            let closure = build_closure(tx, closer, ClosurePeriod::Day, &day, Closing::Automatic)?;
            append(
                tx,
                &closer.config,
                closer.now,
                NewRecord::new(Body::Closure(closure), "system").on_day(&day),
            )?;
            let event = EventData::new(
                EventType::DayAutoClosed,
                format!("La journée du {day} était encore ouverte : clôturée automatiquement, sans comptage de caisse"),
                json!({"business_day": day}),
            );
            append(
                tx,
                &closer.config,
                closer.now,
                NewRecord::new(Body::Event(event), "system").on_day(&day),
            )?;
        }
        None => {}
    }
    let open = DayOpenData {
        float_cents: Money::ZERO,
        denominations: Vec::new(),
        automatic: true,
    };
    append(
        tx,
        &closer.config,
        closer.now,
        NewRecord::new(Body::DayOpen(open), "system").on_day(&today),
    )?;
    let event = EventData::new(
        EventType::DayOpened,
        format!("Journée du {today} ouverte automatiquement par la première vente : fond de caisse à compter"),
        json!({"business_day": today, "automatic": true}),
    );
    append(
        tx,
        &closer.config,
        closer.now,
        NewRecord::new(Body::Event(event), "system").on_day(&today),
    )?;
    Ok(today)
}

/// How a day is opened.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct OpenDayInput {
    /// Default: today in the till's zone.
    pub business_day: Option<String>,
    /// The float counted by coin and note; empty for no float.
    pub denominations: Vec<DenominationCount>,
    pub operator: String,
}

/// How a day is closed: the drawer counted, the card terminal's total, a note.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct CloseDayInput {
    pub counted: Option<Vec<DenominationCount>>,
    #[ts(type = "number | null")]
    pub card_terminal_cents: Option<i64>,
    pub note: Option<String>,
    pub operator: String,
    pub approval: Option<Approval>,
}

/// The X report: the open day's figures so far (nothing is written).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct XReport {
    pub business_day: Option<String>,
    pub automatic_opening: bool,
    pub totals: PeriodTotals,
    /// What is left on this till's avoirs and gift vouchers not spent nor expired: the
    /// shop's liability, whatever the day.
    #[ts(type = "number")]
    pub avoirs_outstanding_cents: i64,
    pub generated_at: String,
    /// `generated_at` in the till's zone, as people read it ("28/11/2026 15:16:09").
    pub local_time: String,
    /// Today in the till's zone (YYYY-MM-DD), not in this PC's: the day a manager opens
    /// unless saying otherwise.
    pub today: String,
}

/// A closure as written.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClosureReport {
    pub number: String,
    pub at: String,
    /// `at` in the till's zone, as people read it ("28/11/2026 19:02:11").
    pub local_time: String,
    pub closure: ClosureData,
}

/// A record's instant in its own zone, as people read it.
fn local_time_of(record: &Record) -> String {
    match (parse_zone(&record.tz), parse_instant(&record.at)) {
        (Some(zone), Some(at)) => local_display(zone, at),
        _ => record.at.clone(),
    }
}

impl Store {
    pub(crate) fn closer(&self) -> Result<Closer> {
        Ok(Closer {
            config: self.require_config()?.clone(),
            now: self.now(),
            dir: self.dir.clone(),
            key: std::cell::OnceCell::new(),
        })
    }

    /// Opens the business day with its float. Refused while another day is open, unless that
    /// day was opened automatically (by its first ticket or paper slip): the float counted now
    /// is then its float, and the day goes on.
    /// The day is opened by `by` (the input's `operator` is the name callers make it from).
    pub fn open_day(&mut self, input: &OpenDayInput, by: &Actor) -> Result<Recorded> {
        let config = self.require_config()?.clone();
        let now = self.now();
        let mut counted_late = None;
        if let Some((day, from)) = crate::session::open_session(&self.conn)? {
            // A day opened by its first ticket (or paper slip) has its float counted now.
            let asked = input
                .business_day
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty());
            let counting = crate::session::opened_automatically(&self.conn, from)?
                && asked.is_none_or(|asked| asked == day);
            if !counting {
                return Err(StoreError::Invalid(text!(
                    fr: "la journée du {day} est encore ouverte : clôturez-la d'abord",
                    en: "the day {day} is still open: close it first",
                )));
            }
            counted_late = Some(day);
        }
        let day = match counted_late {
            Some(day) => day,
            None => self.opening_date(input, &config, now)?,
        };
        let float = count_total(&input.denominations).map_err(|e| {
            StoreError::Invalid(
                text!(fr: "comptage du fond de caisse invalide : {e}", en: e.to_string()),
            )
        })?;
        let data = DayOpenData {
            float_cents: float,
            denominations: input.denominations.clone(),
            automatic: false,
        };
        let recorded = self.write(|tx| {
            let sealed = append(
                tx,
                &config,
                now,
                NewRecord::new(Body::DayOpen(data), by.name()).on_day(&day),
            )?;
            let event = EventData::new(
                EventType::DayOpened,
                format!("Ouverture de la journée du {day}, fond de caisse {float} €"),
                json!({"business_day": day, "float_cents": float.0, "automatic": false}),
            );
            append(
                tx,
                &config,
                now,
                NewRecord::new(Body::Event(event), by.name()).on_day(&day),
            )?;
            Ok(Recorded::from_sealed(&sealed))
        })?;
        self.after_commit();
        Ok(recorded)
    }

    /// The day a manager opens: the date asked, else today; never a day to come, closed or
    /// before the last day closed.
    fn opening_date(
        &self,
        input: &OpenDayInput,
        config: &crate::settings::TillConfig,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<String> {
        let day = match input
            .business_day
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| {
                    StoreError::Invalid(text!(
                        fr: "« {d} » n'est pas une date (AAAA-MM-JJ)",
                        en: "{d:?} is not a date (YYYY-MM-DD)",
                    ))
                })?
                .to_string(),
            None => config.local_day(now),
        };
        check_opening_date(&self.conn, &day, &config.local_day(now))?;
        Ok(day)
    }

    /// Cash into or out of the drawer outside a sale (managers only).
    pub fn cash_movement(
        &mut self,
        direction: Direction,
        amount_cents: i64,
        category: &str,
        reason: &str,
        by: &Manager,
    ) -> Result<Recorded> {
        let (operator, approver) = (by.name(), by.approver().map(String::from));
        if amount_cents <= 0 {
            return Err(StoreError::Invalid(text!(
                fr: "le montant doit être supérieur à zéro",
                en: "the amount must be above zero",
            )));
        }
        let category = match category.trim() {
            c @ ("paid_out" | "bank_deposit" | "float_top_up" | "other") => c.to_string(),
            other => {
                return Err(StoreError::Invalid(text!(
                    fr: "catégorie inconnue « {other} » (paid_out, bank_deposit, float_top_up, other)",
                    en: "unknown category {other:?} (paid_out, bank_deposit, float_top_up, other)",
                )))
            }
        };
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            return Err(StoreError::Invalid(
                text!(fr: "un motif est obligatoire", en: "a reason is required"),
            ));
        }
        let closer = self.closer()?;
        let data = CashMovementData {
            direction,
            amount_cents: Money(amount_cents),
            category,
            reason: reason.clone(),
        };
        let recorded = self.write(|tx| {
            let day = ensure_day(tx, &closer)?;
            let sealed = append(tx, &closer.config, closer.now, NewRecord::new(Body::CashMovement(data), operator).on_day(&day))?;
            let recorded = Recorded::from_sealed(&sealed);
            let sign = if direction == Direction::In { "+" } else { "-" };
            let event = EventData::new(
                EventType::CashMovement,
                format!("Mouvement de caisse {} : {sign}{} € ({reason})", recorded.number, Money(amount_cents)),
                json!({"movement": recorded.number, "amount_cents": amount_cents, "direction": direction, "approved_by": approver}),
            );
            append(tx, &closer.config, closer.now, NewRecord::new(Body::Event(event), operator).on_day(&day))?;
            Ok(recorded)
        })?;
        self.after_commit();
        Ok(recorded)
    }

    /// The open day's figures so far; writes nothing.
    pub fn x_report(&self) -> Result<XReport> {
        let config = self.require_config()?;
        let zone = config.zone;
        let session = open_session(&self.conn)?;
        let (totals, automatic) = match &session {
            Some((day, from)) => (
                session_totals(&self.conn, day, *from)?,
                crate::session::opened_automatically(&self.conn, *from)?,
            ),
            None => (PeriodTotals::default(), false),
        };
        let now = self.now();
        Ok(XReport {
            business_day: session.map(|(day, _)| day),
            automatic_opening: automatic,
            totals,
            avoirs_outstanding_cents: self.avoirs_outstanding()?.0,
            generated_at: format_instant(now),
            local_time: local_display(zone, now),
            today: config.local_day(now),
        })
    }

    /// The daily closure (Z) of the open day: counted cash against expected, the card
    /// terminal's total against recorded cards, totals, grand totals; signed and chained.
    /// Closed by `by` (made from the input's `operator` and `approval`).
    pub fn close_day(&mut self, input: &CloseDayInput, by: &Manager) -> Result<ClosureReport> {
        let approver = by.approver().map(String::from);
        let closer = self.closer()?;
        let note = input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(String::from);
        let report = self.write(|tx| {
            let (day, _) = open_session(tx)?.ok_or_else(|| {
                StoreError::Invalid(text!(fr: "aucune journée n'est ouverte", en: "no day is open"))
            })?;
            let closure = build_closure(
                tx,
                &closer,
                ClosurePeriod::Day,
                &day,
                Closing::Asked {
                    counted: input.counted.as_deref(),
                    card_terminal: input.card_terminal_cents.map(Money),
                    note: note.clone(),
                },
            )?;
            seal_closure(tx, &closer, closure, by.name(), &day, approver.as_deref())
        })?;
        self.after_commit();
        self.backup_if_due(crate::backup::BackupAfter::Closure);
        Ok(report)
    }

    /// A monthly (`which` = "2026-11") or yearly ("2026") closure, from the closed days.
    pub fn close_period(
        &mut self,
        period: ClosurePeriod,
        which: &str,
        by: &Manager,
    ) -> Result<ClosureReport> {
        let (operator, approver) = (by.name(), by.approver().map(String::from));
        let valid = match period {
            ClosurePeriod::Month => {
                chrono::NaiveDate::parse_from_str(&format!("{which}-01"), "%Y-%m-%d").is_ok()
                    && which.len() == 7
            }
            ClosurePeriod::Year => which.len() == 4 && which.bytes().all(|b| b.is_ascii_digit()),
            ClosurePeriod::Day => false,
        };
        if !valid {
            return Err(StoreError::Invalid(text!(
                fr: "« {which} » : attendu AAAA-MM pour un mois, AAAA pour une année",
                en: "{which:?}: expected YYYY-MM for a month, YYYY for a year",
            )));
        }
        let closer = self.closer()?;
        let report = self.write(|tx| {
            if open_day(tx)?.is_some_and(|d| d.starts_with(which)) {
                return Err(StoreError::Invalid(text!(
                    fr: "une journée de {which} est encore ouverte : clôturez-la d'abord",
                    en: "a day of {which} is still open: close it first",
                )));
            }
            if closures(tx, period)?
                .iter()
                .any(|(_, c)| c.first_day.starts_with(which))
            {
                return Err(StoreError::Invalid(text!(
                    fr: "{which} est déjà clôturé",
                    en: "{which} is already closed",
                )));
            }
            let closure = build_closure(tx, &closer, period, which, Closing::PERIOD)?;
            let day = closure.last_day.clone();
            seal_closure(tx, &closer, closure, operator, &day, approver.as_deref())
        })?;
        self.after_commit();
        Ok(report)
    }

    /// Every closure written, oldest first.
    pub fn closures(&self) -> Result<Vec<ClosureReport>> {
        let mut all = Vec::new();
        for period in [
            ClosurePeriod::Day,
            ClosurePeriod::Month,
            ClosurePeriod::Year,
        ] {
            for (record, closure) in closures(&self.conn, period)? {
                all.push((
                    record.pos,
                    ClosureReport {
                        number: record.number(),
                        at: record.at.clone(),
                        local_time: local_time_of(&record),
                        closure,
                    },
                ));
            }
        }
        all.sort_by_key(|(pos, _)| *pos);
        Ok(all.into_iter().map(|(_, c)| c).collect())
    }

    /// The till's public key (hex), for anyone to check closure signatures.
    pub fn public_key(&self) -> Result<String> {
        Ok(self.require_config()?.public_key.clone())
    }
}

mod closure;
#[cfg(test)]
mod tests;

/// The open day lies more than a day ahead of the clock: a wrong clock reading opened it (the
/// clock has since been set right). It is closed like a day left open at midnight, so that one
/// wrong reading never keeps the business day; a correction of seconds around midnight is not
/// such a case.
fn opened_by_a_wrong_clock(day: &str, today: &str) -> bool {
    let parse = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    match (parse(day), parse(today)) {
        (Some(day), Some(today)) => day > today + chrono::Days::new(1),
        _ => false,
    }
}

/// A day is opened today or for a past day never closed: never a day to come (its sales would
/// be dated ahead of the clock), never a day already closed (two Z for one day), never a day
/// before the last one closed: days follow each other in the chain in date order, so the
/// records between two months' closings are the first month's (an archive holds its days
/// alone, ARCHIVE.md). Sales of such a day are keyed in as paper slips.
fn check_opening_date(conn: &rusqlite::Connection, day: &str, today: &str) -> Result<()> {
    if day > today {
        return Err(StoreError::Invalid(text!(
            fr: "le {day} est dans le futur (aujourd'hui : {today}) : une journée s'ouvre le jour même",
            en: "{day} is in the future (today: {today}): a day is opened on the day",
        )));
    }
    if crate::session::day_closed(conn, day)? {
        return Err(StoreError::Invalid(text!(
            fr: "la journée du {day} est déjà clôturée : elle ne peut pas être rouverte (saisissez les ventes oubliées comme tickets papier)",
            en: "the day {day} is already closed and cannot be reopened (enter forgotten sales as paper slips)",
        )));
    }
    if let Some(last) = crate::session::last_day_closed(conn)?.filter(|last| day < last.as_str()) {
        return Err(StoreError::Invalid(text!(
            fr: "le {day} est antérieur à la dernière journée clôturée ({last}) : les journées s'ouvrent dans l'ordre des dates (saisissez les ventes de ce jour comme tickets papier)",
            en: "{day} is before the last day closed ({last}): days are opened in date order (enter that day's sales as paper slips)",
        )));
    }
    Ok(())
}
