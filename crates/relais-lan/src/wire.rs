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

/// What a till asks a peer: its records, or the price list it offers the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Records(u64),
    PriceList,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceListRequest {
    price_list: bool,
}

impl Asked {
    pub fn parse(line: &str) -> Result<Asked, String> {
        match serde_json::from_str::<PriceListRequest>(line.trim()) {
            Ok(PriceListRequest { price_list: true }) => Ok(Asked::PriceList),
            _ => Request::parse(line).map(|r| Asked::Records(r.after)),
        }
    }
}

/// The request for the price list a peer offers (one JSON line).
pub const PRICE_LIST_REQUEST: &str = "{\"price_list\":true}\n";

/// The first line of a price list's answer: its SHA-256, its size in bytes (the bytes follow
/// the line), and the offer as the serving till describes it (opaque here). `null` when the
/// peer offers none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceListHeader {
    pub sha256: String,
    pub size: u64,
    pub offer: serde_json::Value,
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
        let asked = [
            (request_line(3), Ok(Asked::Records(3))),
            (PRICE_LIST_REQUEST.to_string(), Ok(Asked::PriceList)),
        ];
        for (line, expected) in asked {
            assert_eq!(Asked::parse(&line), expected, "{line}");
        }
        for bad in [
            "{\"price_list\":false}",
            "{\"price_list\":true,\"after\":1}",
            "{}",
        ] {
            assert!(Asked::parse(bad).is_err(), "{bad}");
        }
        let line = r#"{"hash":"ab","pos":12,"prev_hash":"cd","record":{"pos":99},"till":"T1"}"#;
        assert_eq!(position_of(line), Some(12));
        assert_eq!(position_of("{}"), None);
    }
}
