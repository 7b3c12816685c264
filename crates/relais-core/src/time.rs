//! Instants and business days. The core never reads the clock: callers pass the instant.

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// `2026-11-28T14:16:09.123Z`: the one textual form of instants in records.
pub fn format_instant(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// The zone's offset from UTC at `instant`, in minutes (60 in Paris in winter).
pub fn offset_minutes(zone: Tz, instant: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&instant.naive_utc())
        .fix()
        .local_minus_utc()
        / 60
}

/// The calendar date at `instant` in `zone`.
pub fn local_date(zone: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

/// `28/11/2026 15:16` in the till's zone, for receipts.
pub fn local_display(zone: Tz, instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&zone)
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_offsets_and_dates() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let cases = [
            ("2026-01-15T23:30:00Z", 60, "2026-01-16"),
            ("2026-07-15T21:59:59Z", 120, "2026-07-15"),
            ("2026-07-15T22:00:00Z", 120, "2026-07-16"),
        ];
        for (text, offset, date) in cases {
            let instant = parse_instant(text).unwrap();
            assert_eq!(offset_minutes(paris, instant), offset, "{text}");
            assert_eq!(local_date(paris, instant).to_string(), date, "{text}");
        }
        let instant = parse_instant("2026-11-28T14:16:09.1234Z").unwrap();
        assert_eq!(format_instant(instant), "2026-11-28T14:16:09.123Z");
    }
}
