//! Telling that a text is already canonical without building its JSON tree: a reader of
//! records that were written canonical (a bundle's records.jsonl) checks each one in a single
//! pass over its bytes, where parsing and writing it again costs many allocations.

/// The members of a JSON object written exactly in canonical form, as (key, value) slices of
/// `text`; a string value keeps its quotes. `None` when `text` is not canonical, and also
/// when this scan cannot tell cheaply (a key with an escape, nesting deeper than
/// [`MAX_DEPTH`]): the caller then parses and canonicalises as usual.
///
/// Whenever it answers, [`super::is_canonical`] would have said yes (tested on altered
/// records byte by byte).
pub fn canonical_members(text: &str) -> Option<Members<'_>> {
    let mut scan = Scan::new(text);
    let mut members = Vec::with_capacity(16);
    scan.object(0, Some(&mut members), None)?;
    (scan.at == text.len()).then_some(members)
}

/// Like [`canonical_members`], with the members of the object under `key` as well, found in
/// the same pass (a records.jsonl line and its record); `None` if that member is not an
/// object.
pub fn canonical_members_nested<'a>(
    text: &'a str,
    key: &str,
) -> Option<(Members<'a>, Members<'a>)> {
    let mut scan = Scan::new(text);
    let mut members = Vec::with_capacity(8);
    let mut inner = Nested {
        key,
        members: Vec::with_capacity(16),
        found: false,
    };
    scan.object(0, Some(&mut members), Some(&mut inner))?;
    (scan.at == text.len() && inner.found).then_some((members, inner.members))
}

/// An object's members: (key, value) slices of the scanned text.
pub type Members<'a> = Vec<(&'a str, &'a str)>;

/// The member whose own members are wanted too.
struct Nested<'k, 'a> {
    key: &'k str,
    members: Members<'a>,
    found: bool,
}

/// The text of a string value from [`canonical_members`] when it holds no escape (its
/// quotes removed, it is then the string itself); `None` for an escaped or non-string value.
pub fn plain_string(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// Deeper than this, the scan gives up (serde_json itself refuses beyond 128).
pub const MAX_DEPTH: usize = 64;

struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Scan<'a> {
        Scan {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth + 1, None, None),
            b'[' => self.array(depth + 1),
            b'"' => self.string().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.integer(),
            _ => None,
        }
    }

    /// An object whose keys are in strictly increasing UTF-16 order (so no key twice), no
    /// space anywhere; its members go to `members` when given, and those of its member
    /// `nested.key` to `nested.members`.
    fn object(
        &mut self,
        depth: usize,
        mut members: Option<&mut Members<'a>>,
        mut nested: Option<&mut Nested<'_, 'a>>,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        let mut previous: Option<&str> = None;
        loop {
            let key = self.key()?;
            if previous.is_some_and(|p| !key_before(p, key)) {
                return None;
            }
            previous = Some(key);
            self.expect(b':')?;
            let start = self.at;
            match nested.as_deref_mut() {
                Some(inner) if inner.key == key && self.peek()? == b'{' => {
                    inner.found = true;
                    self.object(depth + 1, Some(&mut inner.members), None)?;
                }
                _ => self.value(depth)?,
            }
            if let Some(members) = members.as_deref_mut() {
                members.push((key, &self.text[start..self.at]));
            }
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.expect(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.value(depth)?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A key without escapes (keys with one are left to the full check), unquoted.
    fn key(&mut self) -> Option<&'a str> {
        let quoted = self.string()?;
        plain_string(quoted)
    }

    /// A string escaped exactly as `write_string` escapes: `\"`, `\\`, the short escapes of
    /// control characters that have one, `\u00xx` in lower case for the other control
    /// characters, nothing else escaped and no raw control character. Returns it quoted.
    fn string(&mut self) -> Option<&'a str> {
        let start = self.at;
        self.expect(b'"')?;
        loop {
            let rest = self.bytes.get(self.at..)?;
            let skip = rest.iter().position(|&b| STOPS[b as usize])?;
            self.at += skip;
            match self.bytes[self.at] {
                b'"' => {
                    self.at += 1;
                    return Some(&self.text[start..self.at]);
                }
                b'\\' => self.escape()?,
                _ => return None,
            }
        }
    }

    fn escape(&mut self) -> Option<()> {
        let escaped = *self.bytes.get(self.at + 1)?;
        self.at += 2;
        match escaped {
            b'"' | b'\\' | b'b' | b't' | b'n' | b'f' | b'r' => Some(()),
            b'u' => {
                let hex = self.bytes.get(self.at..self.at + 4)?;
                self.at += 4;
                let lower = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
                if hex[..2] != *b"00" || !hex[2..].iter().all(lower) {
                    return None;
                }
                let code = u8::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()?;
                // Below 0x20, and not one of those written with a short escape.
                (code < 0x20 && ![0x08, 0x09, 0x0a, 0x0c, 0x0d].contains(&code)).then_some(())
            }
            _ => None,
        }
    }

    /// An integer as `{i}` or `{u}` writes it: no sign but `-`, no leading zero, no `-0`,
    /// no fraction or exponent (the caller then finds `.` or `e` where it wants `,`), and
    /// within i64 / u64 (beyond, serde_json reads a float).
    fn integer(&mut self) -> Option<()> {
        let start = self.at;
        if self.peek()? == b'-' {
            self.at += 1;
        }
        let digits_start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let digits = &self.text[digits_start..self.at];
        let negative = digits_start > start;
        match digits.as_bytes() {
            [] => None,
            [b'0'] if negative => None,
            [b'0', _, ..] => None,
            _ if negative => self.text[start..self.at].parse::<i64>().ok().map(drop),
            _ => digits.parse::<u64>().ok().map(drop),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let found = self.bytes.get(self.at..self.at + word.len())?;
        (found == word).then(|| self.at += word.len())
    }
}

/// The bytes that end a run of plain characters in a string: `"`, `\\`, control characters.
static STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        stops[b] = true;
        b += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops
};

/// RFC 8785 orders keys by their UTF-16 code units; for ASCII that is byte order.
fn key_before(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a < b
    } else {
        a.encode_utf16().lt(b.encode_utf16())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{is_canonical, to_canonical};
    use super::*;
    use serde_json::json;

    fn sample() -> String {
        let value = json!({
            "v": 1,
            "id": "0190a3b2-7c4e-7d2a-9f10-3b2c1d0e9f8a",
            "data": {
                "lines": [{"label": "Café \"Le\" \\ x\n\u{1}\u{1f}\t\u{7f}", "qty": -3,
                           "x": null, "t": true, "f": false, "n": 0}],
                "big": u64::MAX, "neg": i64::MIN, "é": 1, "z": 2, "A": [], "o": {},
                "deep": [[[{"k": [1, -1]}]]]
            },
            "\u{10000}": 1, "\u{ffff}": 2
        });
        to_canonical(&value).unwrap()
    }

    #[test]
    fn a_canonical_object_is_recognised_with_its_members() {
        let text = sample();
        let members = canonical_members(&text).expect("canonical");
        let keys: Vec<&str> = members.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["data", "id", "v", "\u{10000}", "\u{ffff}"]);
        assert_eq!(members[2].1, "1");
        assert_eq!(
            plain_string(members[1].1),
            Some("0190a3b2-7c4e-7d2a-9f10-3b2c1d0e9f8a")
        );
        assert!(canonical_members("{}").unwrap().is_empty());

        let (outer, inner) = canonical_members_nested(&text, "data").expect("canonical");
        assert_eq!(outer, members);
        let inner_keys: Vec<&str> = inner.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            inner_keys,
            ["A", "big", "deep", "lines", "neg", "o", "z", "é"]
        );
        assert!(
            canonical_members_nested(&text, "v").is_none(),
            "not an object"
        );
        assert!(
            canonical_members_nested(&text, "w").is_none(),
            "no such member"
        );
    }

    #[test]
    fn what_the_full_check_refuses_is_refused() {
        for text in [
            r#"{"a":1 }"#,
            r#"{ "a":1}"#,
            r#"{"b":1,"a":2}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":1.0}"#,
            r#"{"a":1e3}"#,
            r#"{"a":-0}"#,
            r#"{"a":01}"#,
            r#"{"a":+1}"#,
            r#"{"a":18446744073709551616}"#,
            r#"{"a":-9223372036854775809}"#,
            r#"{"a":"\/"}"#,
            r#"{"a":"\u001F"}"#,
            r#"{"a":"\u000a"}"#,
            r#"{"a":"\u0041"}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":tru}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":1}x"#,
            r#"[1]"#,
        ] {
            assert!(!is_canonical(text) || text == "[1]", "{text}");
            assert!(canonical_members(text).is_none(), "{text}");
        }
    }

    /// Soundness: whatever one change to a canonical text, the scan never accepts what the
    /// full check (parse, then write again) refuses.
    #[test]
    fn no_altered_text_is_accepted_unless_it_is_canonical() {
        let text = sample();
        let bytes = text.as_bytes();
        let mut accepted = 0;
        for at in 0..bytes.len() {
            let mut variants: Vec<Vec<u8>> = Vec::new();
            for replacement in [
                b' ', b'0', b'1', b'-', b'"', b'\\', b'.', b'e', b'}', b']', b'a', b'u', b'\n',
            ] {
                let mut v = bytes.to_vec();
                v[at] = replacement;
                variants.push(v);
            }
            let mut flipped = bytes.to_vec();
            flipped[at] ^= 0x01;
            variants.push(flipped);
            let mut deleted = bytes.to_vec();
            deleted.remove(at);
            variants.push(deleted);
            let mut inserted = bytes.to_vec();
            inserted.insert(at, b' ');
            variants.push(inserted);
            for variant in variants {
                let Ok(variant) = String::from_utf8(variant) else {
                    continue;
                };
                let nested = canonical_members_nested(&variant, "data");
                if canonical_members(&variant).is_some() || nested.is_some() {
                    assert!(is_canonical(&variant), "accepted: {variant}");
                    accepted += 1;
                }
            }
        }
        assert!(
            accepted > 100,
            "the scan accepts canonical variants too ({accepted})"
        );
    }
}
