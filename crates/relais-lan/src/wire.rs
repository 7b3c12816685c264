//! The protocol's few words: the request line, and a served line's position.

use serde::{Deserialize, Serialize};

/// What a till asks a peer: its records after position `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub after: u64,
}

impl Request {
    pub fn parse(line: &str) -> Result<Request, String> {
        serde_json::from_str(line.trim()).map_err(|e| format!("bad request: {e}"))
    }
}

/// The request for the records after `after`, as sent (one JSON line).
pub fn request_line(after: u64) -> String {
    format!("{{\"after\":{after}}}\n")
}

/// The position of a records.jsonl line (its top-level `pos`).
pub(crate) fn position_of(line: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Positioned {
        pos: u64,
    }
    serde_json::from_str::<Positioned>(line).ok().map(|p| p.pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_positions_read_back() {
        let cases = [("{\"after\":0}", Ok(0)), ("{\"after\":42}\n", Ok(42))];
        for (line, expected) in cases {
            assert_eq!(Request::parse(line).map(|r| r.after), expected, "{line}");
        }
        for bad in [
            "",
            "{}",
            "{\"after\":-1}",
            "{\"after\":1,\"x\":2}",
            "after 3",
        ] {
            assert!(Request::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Request::parse(&request_line(7)).unwrap().after, 7);
        let line = r#"{"hash":"ab","pos":12,"prev_hash":"cd","record":{"pos":99},"till":"T1"}"#;
        assert_eq!(position_of(line), Some(12));
        assert_eq!(position_of("{}"), None);
    }
}
