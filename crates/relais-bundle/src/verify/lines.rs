//! Reading records.jsonl: each line parsed into what the chain check takes, on threads of
//! their own. Lines in canonical form (all of them, in a bundle as exported) are read without
//! building a JSON tree.

use super::{defect, Defect};
use relais_core::canonical::{canonical_members_nested, plain_string, to_canonical};
use relais_core::{Record, StoredRecord};
use std::io::BufRead;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// A records.jsonl line as the reading stage hands it over: its till, the record as the
/// chain takes it (`stored.body` is its canonical form), and the record parsed.
pub(super) struct Line {
    pub till: String,
    pub stored: StoredRecord,
    pub record: Parsed,
}

/// The record of a line, parsed one way or the other; either way the chain need not parse
/// and canonicalise its body again.
// Nearly every line is a `Record`: boxing it would cost an allocation a line for nothing.
#[allow(clippy::large_enum_variant)]
pub(super) enum Parsed {
    /// Read straight from the line's text, which was checked canonical.
    Record(Record),
    /// The JSON tree `stored.body` was written from.
    Value(serde_json::Value),
}

/// A parsed line, or what is wrong with it (English, French).
pub(super) type ParsedLine = std::result::Result<Line, Defect>;

/// Threads parsing lines: parsing a line costs about twice what checking its chain does,
/// so two parsers keep pace with the chain's one thread.
const PARSERS: usize = 2;

/// Lines per batch: one channel message per line would cost more than the parse.
const BATCH: usize = 256;

/// The lines of `file`, read on one thread of `scope`, parsed on [`PARSERS`] others and
/// handed back in their order, in batches. Reading stops at the end or at the first error;
/// dropping the returned iterator stops every thread.
pub(super) fn parsed_lines<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    file: std::fs::File,
) -> InOrder {
    let mut to_parsers = Vec::with_capacity(PARSERS);
    let mut from_parsers = Vec::with_capacity(PARSERS);
    for _ in 0..PARSERS {
        let (raw_sender, raw_receiver) = sync_channel::<RawBatch>(4);
        let (sender, receiver) = sync_channel::<Vec<ParsedLine>>(4);
        scope.spawn(move || parse_batches(raw_receiver, sender));
        to_parsers.push(raw_sender);
        from_parsers.push(receiver);
    }
    scope.spawn(move || read_batches(file, to_parsers));
    InOrder {
        receivers: from_parsers,
        next: 0,
    }
}

/// Batches from the parsers, in the order they were read: batch `n` went to parser
/// `n % PARSERS`, so the first parser with nothing more to give marks the end.
pub(super) struct InOrder {
    receivers: Vec<Receiver<Vec<ParsedLine>>>,
    next: usize,
}

impl Iterator for InOrder {
    type Item = Vec<ParsedLine>;

    fn next(&mut self) -> Option<Vec<ParsedLine>> {
        let batch = self.receivers[self.next % PARSERS].recv().ok()?;
        self.next += 1;
        Some(batch)
    }
}

/// Lines as read, in one string (one allocation per batch, not per line), and the error
/// that stopped the reading after them, if any.
struct RawBatch {
    text: String,
    lines: Vec<std::ops::Range<usize>>,
    error: Option<std::io::Error>,
}

/// The reading stage: batches dealt to the parsers in turn, until the end, an unreadable
/// line (sent as the batch's error), or a parser stopping (the checking stage stopped).
fn read_batches(file: std::fs::File, parsers: Vec<SyncSender<RawBatch>>) {
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    for parser in parsers.iter().cycle() {
        let batch = read_batch(&mut reader);
        let last = batch.error.is_some() || batch.lines.len() < BATCH;
        if parser.send(batch).is_err() || last {
            return;
        }
    }
}

fn read_batch(reader: &mut impl BufRead) -> RawBatch {
    let mut batch = RawBatch {
        text: String::with_capacity(BATCH * 1536),
        lines: Vec::with_capacity(BATCH),
        error: None,
    };
    while batch.lines.len() < BATCH {
        let start = batch.text.len();
        match reader.read_line(&mut batch.text) {
            Ok(0) => break,
            Ok(_) => {
                let line = without_newline(&batch.text[start..]);
                batch.lines.push(start..start + line.len());
            }
            Err(e) => {
                batch.text.truncate(start);
                batch.error = Some(e);
                break;
            }
        }
    }
    batch
}

/// A parsing stage: each batch parsed, up to its first unreadable line.
fn parse_batches(batches: Receiver<RawBatch>, sender: SyncSender<Vec<ParsedLine>>) {
    for batch in batches {
        let mut parsed = Vec::with_capacity(batch.lines.len() + 1);
        for range in batch.lines {
            let line = parse_line(&batch.text[range]);
            let stop = line.is_err();
            parsed.push(line);
            if stop {
                break;
            }
        }
        if let (Some(e), Some(Ok(_)) | None) = (&batch.error, parsed.last()) {
            parsed.push(Err(defect(e.to_string(), e.to_string())));
        }
        if sender.send(parsed).is_err() {
            return;
        }
    }
}

/// The line as `BufRead::lines` gives it: without its `\n` or `\r\n`.
fn without_newline(text: &str) -> &str {
    match text.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => text,
    }
}

/// One line: the quick way when it applies, else the long way.
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
    let (members, fields) = canonical_members_nested(line, "record")?;
    let body = member(&members, "record")?;
    let text =
        |members: &[(&str, &str)], key| Some(plain_string(member(members, key)?)?.to_string());
    let record = Record::from_canonical(&fields)?;
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

/// One records.jsonl line read on its own (a peer's records arrive so, issue 26): its till,
/// the row the chain takes, and the record when the line was read the quick way (its body
/// canonical); or what is wrong with it (English, French).
pub(crate) fn read_line(
    line: &str,
) -> std::result::Result<(String, StoredRecord, Option<Record>), Defect> {
    parse_line(line).map(|l| {
        let record = match l.record {
            Parsed::Record(record) => Some(record),
            Parsed::Value(_) => None,
        };
        (l.till, l.stored, record)
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

#[cfg(test)]
#[path = "lines_tests.rs"]
mod tests;
