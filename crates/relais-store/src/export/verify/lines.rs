//! Reading records.jsonl: each line parsed into what the chain check takes, on its own
//! thread. Lines in canonical form (all of them, in a bundle as exported) are read without
//! building a JSON tree.

use super::{defect, Defect};
use relais_core::canonical::{canonical_members, plain_string, to_canonical};
use relais_core::{Record, StoredRecord};
use std::io::BufRead;

/// A records.jsonl line as the reading stage hands it over: its till, the record as the
/// chain takes it (`stored.body` is its canonical form), and the record parsed.
pub(super) struct Line {
    pub till: String,
    pub stored: StoredRecord,
    pub record: Parsed,
}

/// The record of a line, parsed one way or the other; either way the chain need not parse
/// and canonicalise its body again.
pub(super) enum Parsed {
    /// Read straight from the line's text, which was checked canonical.
    Record(Record),
    /// The JSON tree `stored.body` was written from.
    Value(serde_json::Value),
}

/// A parsed line, or what is wrong with it (English, French).
pub(super) type ParsedLine = std::result::Result<Line, Defect>;

/// The reading stage: lines parsed in batches (one channel message per line would cost more
/// than the parse), until the end, the first unreadable line, or the checking stage stopping
/// (it drops its receiver).
pub(super) fn read_lines(
    file: std::fs::File,
    sender: std::sync::mpsc::SyncSender<Vec<ParsedLine>>,
) {
    const BATCH: usize = 256;
    let mut batch = Vec::with_capacity(BATCH);
    for line in std::io::BufReader::with_capacity(1 << 20, file).lines() {
        let parsed = line
            .map_err(|e| defect(e.to_string(), e.to_string()))
            .and_then(|line| parse_line(&line));
        let stop = parsed.is_err();
        batch.push(parsed);
        if stop || batch.len() == BATCH {
            if sender.send(std::mem::take(&mut batch)).is_err() || stop {
                return;
            }
            batch.reserve(BATCH);
        }
    }
    let _ = sender.send(batch);
}

fn parse_line(line: &str) -> ParsedLine {
    match parse_canonical(line) {
        Some(parsed) => Ok(parsed),
        None => parse_value(line),
    }
}

/// The common case, with no JSON tree built: a line in canonical form (exports write them
/// so) whose record reads as a [`Record`]. It gives the same columns, body and record as
/// [`parse_value`]; any other line goes that way, which names what is wrong with it.
fn parse_canonical(line: &str) -> Option<Line> {
    let members = canonical_members(line)?;
    let body = member(&members, "record")?;
    let fields = canonical_members(body)?;
    let text =
        |members: &[(&str, &str)], key| Some(plain_string(member(members, key)?)?.to_string());
    let record: Record = serde_json::from_str(body).ok()?;
    let kind = plain_string(member(&fields, "kind")?)?;
    let stored = StoredRecord {
        pos: member(&members, "pos")?.parse().ok()?,
        id: text(&fields, "id")?,
        kind: kind.to_string(),
        series: series_of(kind),
        seq: member(&fields, "seq")?.parse().ok()?,
        at: text(&fields, "at")?,
        business_day: text(&fields, "business_day")?,
        operator: text(&fields, "operator")?,
        // What `stored_of` reads from the data of a ticket or a closure, typed.
        total_cents: record.body.total().map(|m| m.0),
        body: body.to_string(),
        prev_hash: text(&members, "prev_hash")?,
        hash: text(&members, "hash")?,
    };
    Some(Line {
        till: text(&members, "till")?,
        stored,
        record: Parsed::Record(record),
    })
}

/// The value of `key` among canonical members.
fn member<'a>(members: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The series code of a kind code, empty for an unknown kind.
fn series_of(kind: &str) -> String {
    relais_core::Kind::from_code(kind)
        .map(|k| k.series().code().to_string())
        .unwrap_or_default()
}

/// Any line: parsed into a JSON tree, the record's body written canonical from it.
fn parse_value(line: &str) -> ParsedLine {
    let mut value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| defect(format!("not JSON ({e})"), format!("pas du JSON ({e})")))?;
    let till = value["till"].as_str().unwrap_or_default().to_string();
    let stored = stored_of(&value).map_err(|e| defect(e.to_string(), e.to_string()))?;
    Ok(Line {
        till,
        stored,
        record: Parsed::Value(value["record"].take()),
    })
}

/// A records.jsonl line as the verifier takes it: the record's canonical bytes, and the
/// columns the chain checks, read from the record itself (a line has no separate columns).
fn stored_of(
    line: &serde_json::Value,
) -> std::result::Result<StoredRecord, relais_core::canonical::CanonicalError> {
    let record = &line["record"];
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let kind = text(&record["kind"]);
    let series = series_of(&kind);
    let total = match kind.as_str() {
        "sale" | "refund" | "void" => record["data"]["total_cents"].as_i64(),
        "closure" => record["data"]["totals"]["total_cents"].as_i64(),
        _ => None,
    };
    Ok(StoredRecord {
        pos: line["pos"].as_u64().unwrap_or(0),
        id: text(&record["id"]),
        kind,
        series,
        seq: record["seq"].as_u64().unwrap_or(0),
        at: text(&record["at"]),
        business_day: text(&record["business_day"]),
        operator: text(&record["operator"]),
        total_cents: total,
        body: to_canonical(record)?,
        prev_hash: text(&line["prev_hash"]),
        hash: text(&line["hash"]),
    })
}
