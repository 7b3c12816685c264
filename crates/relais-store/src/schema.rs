//! The database schema as append-only migrations (rusqlite_migration, `user_version`).
//! Never edit a migration that has shipped: add a new one.

use rusqlite_migration::{Migrations, M};

/// Migration 1: settings, the ledger and its head.
///
/// `ledger` holds every fiscal record of the till. `body` is the canonical JSON that is
/// hashed; the other columns repeat some of its fields for queries, and `verify` checks that
/// they agree. Triggers make the ledger append-only and the head move forward one step at a
/// time: a second line of defence behind the hash chain, not a substitute for it.
const V1: &str = r#"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE ledger (
    pos          INTEGER PRIMARY KEY CHECK (pos >= 1),
    id           TEXT    NOT NULL UNIQUE,
    kind         TEXT    NOT NULL,
    series       TEXT    NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    at           TEXT    NOT NULL,
    business_day TEXT    NOT NULL,
    operator     TEXT    NOT NULL,
    total_cents  INTEGER,
    body         TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    UNIQUE (series, seq)
) STRICT;

CREATE INDEX ledger_kind_day ON ledger (kind, business_day);

CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: UPDATE refused'); END;

CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE refused'); END;

-- The chain head: the position and hash of the last record, written in the same
-- transaction as that record. Deleting the last ledger row leaves the head pointing past
-- the end, which verify reports.
CREATE TABLE chain_head (
    one  INTEGER PRIMARY KEY CHECK (one = 1),
    pos  INTEGER NOT NULL,
    hash TEXT    NOT NULL
) STRICT;

CREATE TRIGGER chain_head_forward BEFORE UPDATE ON chain_head
WHEN NEW.pos <> OLD.pos + 1
  OR NEW.hash IS NOT (SELECT hash FROM ledger WHERE pos = NEW.pos)
BEGIN SELECT RAISE(ABORT, 'chain head only moves forward to the new record'); END;

CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head
BEGIN SELECT RAISE(ABORT, 'chain head cannot be deleted'); END;
"#;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(V1)])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
