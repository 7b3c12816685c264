//! What an archive adds to a bundle's files: closures.jsonl, the period's month and year
//! closures, each as sealed in the chain (docs/ARCHIVE.md). Verified by `verify/archive.rs`.

use crate::writer::LedgerLine;

/// The name of the file holding the period's month and year closures.
pub const CLOSURES_FILE: &str = "closures.jsonl";

/// closures.jsonl: one line per closure, in the form of records.jsonl's lines (canonical
/// JSON: `hash`, `pos`, `prev_hash`, `record` as stored and hashed, `till`).
pub fn closures_jsonl(till: &str, closures: &[LedgerLine]) -> Vec<u8> {
    let till = serde_json::Value::String(till.to_string()).to_string();
    let mut text = String::new();
    for stored in closures {
        text.push_str(&format!(
            "{{\"hash\":\"{}\",\"pos\":{},\"prev_hash\":\"{}\",\"record\":{},\"till\":{till}}}\n",
            stored.hash, stored.pos, stored.prev_hash, stored.body
        ));
    }
    text.into_bytes()
}
