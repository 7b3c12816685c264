//! The canonical byte form of a record: the JSON Canonicalization Scheme (RFC 8785) restricted
//! to integers, strings, booleans, null, arrays and objects. Specified in docs/CHAIN.md.
//!
//! Written by hand rather than through `serde_json::to_string` so that no Cargo feature
//! elsewhere in the build (serde_json's `preserve_order`) can change the key order.

use serde_json::Value;
use std::fmt::Write;

mod scan;
pub use scan::{canonical_members, canonical_members_nested, plain_string, Members, MAX_DEPTH};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    #[error("floating-point number {0} in a record (amounts are integers)")]
    Float(String),
    #[error("record cannot be represented as JSON: {0}")]
    Json(String),
}

impl CanonicalError {
    /// The error in both languages.
    pub fn text(&self) -> crate::i18n::Text {
        match self {
            CanonicalError::Float(n) => crate::text!(
                fr: "nombre à virgule {n} dans un enregistrement (les montants sont des entiers)",
                en: "{self}",
            ),
            CanonicalError::Json(e) => crate::text!(
                fr: "enregistrement impossible à écrire en JSON : {e}",
                en: "{self}",
            ),
        }
    }
}

/// The canonical text of any JSON value without floats.
pub fn to_canonical(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::with_capacity(512);
    write_value(&mut out, value)?;
    Ok(out)
}

/// Whether `text` is exactly the canonical form of the JSON it holds.
pub fn is_canonical(text: &str) -> bool {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => to_canonical(&value).is_ok_and(|c| c == text),
        Err(_) => false,
    }
}

fn write_value(out: &mut String, value: &Value) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                write!(out, "{i}").expect("writing to a String");
            } else if let Some(u) = n.as_u64() {
                write!(out, "{u}").expect("writing to a String");
            } else {
                return Err(CanonicalError::Float(n.to_string()));
            }
        }
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // RFC 8785 orders keys by their UTF-16 code units.
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, &map[key])?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// RFC 8785 string escaping: `"` and `\`, the short escapes for control characters that have
/// one, `\u00xx` (lower-case hex) for the others; everything else as UTF-8.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                write!(out, "\\u{:04x}", c as u32).expect("writing to a String")
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_form_cases() {
        let cases: Vec<(Value, &str)> = vec![
            (
                json!({"b":1,"a":[true,null,"x"]}),
                r#"{"a":[true,null,"x"],"b":1}"#,
            ),
            (json!({"é":1,"z":2,"A":3}), r#"{"A":3,"z":2,"é":1}"#),
            (
                json!("quote\" back\\ nl\n tab\t bell\u{7} del\u{7f} €"),
                "\"quote\\\" back\\\\ nl\\n tab\\t bell\\u0007 del\u{7f} €\"",
            ),
            (json!(-9007199254740993i64), "-9007199254740993"),
            (json!(u64::MAX), "18446744073709551615"),
            (
                json!({"nested":{"y":[],"x":{}}}),
                r#"{"nested":{"x":{},"y":[]}}"#,
            ),
            (json!("</script>"), "\"</script>\""),
        ];
        for (value, expected) in cases {
            assert_eq!(to_canonical(&value).unwrap(), expected);
            assert!(is_canonical(expected), "{expected}");
        }
    }

    #[test]
    fn floats_and_non_canonical_text_are_refused() {
        assert!(matches!(
            to_canonical(&json!(1.5)),
            Err(CanonicalError::Float(_))
        ));
        for text in [
            r#"{"b":1,"a":2}"#,
            r#"{"a": 1}"#,
            r#"{"a":1.0}"#,
            r#"{"a":1,"a":1}"#,
            "\"\\u00e9\"",
        ] {
            assert!(!is_canonical(text), "{text}");
        }
    }
}
