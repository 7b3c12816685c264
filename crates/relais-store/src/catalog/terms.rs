//! The words of the labels (`label_terms`), so that a search spells a prefix out as the
//! words it starts. FTS5 answers a prefix query (`"mar"*`) by first merging the whole list of
//! products of every indexed word starting with it (every "marche" and "martin": a sixth of
//! a million-product catalogue) before the first row comes out. Spelt out as
//! `("marche" OR "martin")`, the same rows come in the same order (by rowid), read lazily,
//! and the search's LIMIT stops the reading early.
//!
//! `label_terms` holds every word of every label ever indexed (a superset of the index's
//! vocabulary: a word no longer used matches nothing). Labels are normalised (see
//! `relais_core::catalog::normalize`): words are separated by single spaces, which is how
//! the `ascii` tokenizer splits them too.

use crate::error::Result;
use rusqlite::Connection;
use rustc_hash::FxHashSet;

/// Above this many words for one prefix, the prefix is not spelt out (a one-letter prefix).
/// Tests use a small vocabulary, and so a small bound, to go through every form.
const MAX_WORDS: usize = if cfg!(test) { 2 } else { 32 };

/// Words collected during an import, written once at its end.
#[derive(Default)]
pub(crate) struct Terms(FxHashSet<String>);

impl Terms {
    pub fn add(&mut self, label_norm: &str) {
        for word in label_norm.split(' ').filter(|w| !w.is_empty()) {
            if !self.0.contains(word) {
                self.0.insert(word.to_string());
            }
        }
    }

    pub fn save(&self, tx: &Connection) -> Result<()> {
        let mut insert =
            tx.prepare_cached("INSERT OR IGNORE INTO label_terms (term) VALUES (?1)")?;
        for word in &self.0 {
            insert.execute([word])?;
        }
        Ok(())
    }
}

/// Records the words of one label (a product created or renamed one at a time).
pub(crate) fn add_label(tx: &Connection, label_norm: &str) -> Result<()> {
    let mut terms = Terms::default();
    terms.add(label_norm);
    terms.save(tx)
}

/// A search's FTS5 query, and the prefixes left out of it to be checked on each row.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FtsQuery {
    pub text: String,
    /// Prefixes so short that they start too many words (a letter), when another prefix of
    /// the search is spelt out: as FTS5 terms they would make it merge the lists of every word
    /// they start (a third of a million-product catalogue for "l") before the first row. The
    /// rows come in the same order either way; these are checked on them instead
    /// ([`has_word_starting`]).
    pub check: Vec<String>,
}

/// The FTS query for word prefixes in any order: `("creme" OR "cremeux") AND ("cafe")` when
/// `spell_out`, else (and for a prefix that starts no known word, or too many) the plain
/// prefix query `"creme"* AND "cafe"*`. Both match the same products. When spelling out, a
/// prefix starting too many words goes to `check` if another is spelt out.
pub(crate) fn fts_query(conn: &Connection, normalized: &str, spell_out: bool) -> Result<FtsQuery> {
    let mut spelt = Vec::new();
    let mut broad = Vec::new();
    for token in normalized.split(' ').filter(|t| !t.is_empty()) {
        let words: Vec<String> = if spell_out {
            conn.prepare_cached(
                "SELECT term FROM label_terms WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3",
            )?
            .query_map(
                rusqlite::params![token, format!("{token}\u{10FFFF}"), MAX_WORDS as i64 + 1],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?
        } else {
            Vec::new()
        };
        if words.len() > MAX_WORDS {
            broad.push(token);
        } else if words.is_empty() {
            spelt.push(format!("{}*", quoted(token)));
        } else {
            let words: Vec<String> = words.iter().map(|w| quoted(w)).collect();
            spelt.push(format!("({})", words.join(" OR ")));
        }
    }
    let prefix = |token: &&str| format!("{}*", quoted(token));
    Ok(match spelt.is_empty() {
        true => FtsQuery {
            text: broad.iter().map(prefix).collect::<Vec<_>>().join(" AND "),
            check: Vec::new(),
        },
        false => FtsQuery {
            text: spelt.join(" AND "),
            check: broad.iter().map(|t| t.to_string()).collect(),
        },
    })
}

/// Whether a normalised label has a word starting with `prefix`: what the FTS5 prefix query
/// matches, as labels are words of letters and digits separated by single spaces.
pub(crate) fn has_word_starting(label_norm: &str, prefix: &str) -> bool {
    label_norm.split(' ').any(|word| word.starts_with(prefix))
}

fn quoted(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}
