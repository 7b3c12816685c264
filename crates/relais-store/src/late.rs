//! Sales written on paper during the outage and keyed in later: recorded now (next number,
//! current entry time) but dated to their real day and time, with their slip number.

use crate::error::{Result, StoreError};
use crate::settings::TillConfig;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use relais_core::sale::LateInput;
use relais_core::text;
use relais_core::ticket::LateEntry;
use relais_core::time::{format_instant, local_date};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

/// Namespace of the ids derived from a till, day and slip number (UUID v5), so that entering
/// the same slip twice (a re-imported spreadsheet) gives the same id and is recorded once.
const SLIP_NAMESPACE: Uuid = Uuid::from_u128(0x6f1e_2b1c_9a7d_4c1e_8f3a_52c0_d1e4_a7b9);

/// The id of the sale keyed in from paper slip `slip` of `day` at `till` (docs/CHAIN.md §1).
fn slip_id(till: &str, day: &str, slip: &str) -> Uuid {
    Uuid::new_v5(&SLIP_NAMESPACE, format!("{till}|{day}|{slip}").as_bytes())
}

/// A late entry, resolved: the ticket's mark, its business day, and its id.
pub(crate) struct Late {
    pub entry: LateEntry,
    pub day: String,
    pub id: Uuid,
    pub allow_duplicate: bool,
}

/// "2026-11-25 10:30", "2026-11-25T10:30:00", "25/11/2026 10:30", or a date alone (noon).
pub(crate) fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    const WITH_TIME: [&str; 6] = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
    ];
    WITH_TIME
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            ["%Y-%m-%d", "%d/%m/%Y"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
                .map(|d| d.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon")))
        })
}

pub(crate) fn resolve(
    config: &TillConfig,
    input: &LateInput,
    id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Late> {
    let zone = config.zone;
    let local = parse_local(&input.sold_at).ok_or_else(|| {
        StoreError::Invalid(text!(
            fr: format!("date de vente « {} » illisible : attendu par exemple 25/11/2026 10:30", input.sold_at),
            en: format!("late.sold_at {:?}: expected a date and time such as 2026-11-25 10:30", input.sold_at),
        ))
    })?;
    let sold_at = zone
        .from_local_datetime(&local)
        .earliest()
        .ok_or_else(|| {
            StoreError::Invalid(text!(
                fr: format!("l'heure « {} » n'existe pas (changement d'heure)", input.sold_at),
                en: format!("late.sold_at {:?} does not exist in {}", input.sold_at, config.timezone),
            ))
        })?
        .with_timezone(&Utc);
    if sold_at > now {
        return Err(StoreError::Invalid(text!(
            fr: format!("la date de vente « {} » est dans le futur", input.sold_at),
            en: format!("late.sold_at {:?} is in the future", input.sold_at),
        )));
    }
    let slip = input.slip.trim().to_string();
    if slip.is_empty() || slip.chars().count() > 40 {
        return Err(StoreError::Invalid(text!(
            fr: "le numéro du bordereau papier est obligatoire",
            en: "late.slip: the paper slip's number is required",
        )));
    }
    let day = local_date(zone, sold_at).to_string();
    let derived = slip_id(&config.till, &day, &slip);
    let id = match (id, input.allow_duplicate) {
        (Some(id), _) => id,
        (None, true) => Uuid::now_v7(),
        (None, false) => derived,
    };
    Ok(Late {
        entry: LateEntry {
            sold_at: format_instant(sold_at),
            slip,
            seller: input
                .seller
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
        },
        day,
        id,
        allow_duplicate: input.allow_duplicate,
    })
}

/// The number of a sale already entered from this slip on this day, if any.
pub(crate) fn existing_slip(conn: &Connection, day: &str, slip: &str) -> Result<Option<String>> {
    let found: Option<(String, u64)> = conn
        .query_row(
            "SELECT json_extract(body, '$.till'), seq FROM ledger
             WHERE kind = 'sale' AND business_day = ?1 AND json_extract(body, '$.data.late.slip') = ?2 LIMIT 1",
            params![day, slip],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found
        .map(|(till, seq)| relais_core::display_number(&till, relais_core::Series::Ticket, seq)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/CHAIN.md gives the namespace and an example: an auditor recomputes slip ids.
    #[test]
    fn slip_ids_are_those_the_chain_specification_gives() {
        let doc = include_str!("../../../docs/CHAIN.md");
        assert!(doc.contains(&SLIP_NAMESPACE.to_string()));
        let id = slip_id("T1", "2026-11-25", "0042");
        assert_eq!(id.to_string(), "b40e5459-3b76-592a-8ee2-3077d92870af");
        assert!(doc.contains(&format!("`T1|2026-11-25|0042` gives `{id}`")));
    }
}
