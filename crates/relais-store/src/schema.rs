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

/// Migration 2: the catalogue. Not fiscal data: products are updated in place by imports,
/// with every price kept in `price_history` (a product's first price is written there when
/// it first changes: see `Store::price_history`); sales copy what they sold into the ledger.
/// `product_fts` indexes normalised labels (see `relais_core::catalog::normalize`) for
/// word-prefix search; the store keeps it in step with `products`. Labels are already
/// lower-case ASCII-folded words, so the plain `ascii` tokenizer suffices, and only document
/// ids are kept (`detail = none`): search needs no positions. Both halve indexing time.
const V2: &str = r#"
CREATE TABLE departments (
    code        TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    name_norm   TEXT    NOT NULL UNIQUE,
    vat_rate_bp INTEGER NOT NULL,
    position    INTEGER NOT NULL
) STRICT;

INSERT INTO departments (code, name, name_norm, vat_rate_bp, position) VALUES
    ('DIVERS', 'Divers', 'divers', 2000, 1),
    ('ALIM', 'Alimentation', 'alimentation', 550, 2),
    ('LIVRES', 'Livres', 'livres', 550, 3),
    ('PRESSE', 'Presse', 'presse', 210, 4),
    ('RESTO', 'Restauration', 'restauration', 1000, 5);

CREATE TABLE products (
    id              INTEGER PRIMARY KEY,
    sku             TEXT    UNIQUE,
    label           TEXT    NOT NULL,
    label_norm      TEXT    NOT NULL,
    price_cents     INTEGER NOT NULL CHECK (price_cents >= 0),
    vat_rate_bp     INTEGER NOT NULL,
    department      TEXT    REFERENCES departments (code),
    unit            TEXT    NOT NULL,
    created_offline INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;

CREATE INDEX products_label_norm ON products (label_norm);

CREATE TABLE barcodes (
    code       TEXT    PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id)
) STRICT, WITHOUT ROWID;

CREATE INDEX barcodes_product ON barcodes (product_id);

CREATE TABLE price_history (
    product_id  INTEGER NOT NULL REFERENCES products (id),
    price_cents INTEGER NOT NULL,
    vat_rate_bp INTEGER NOT NULL,
    since       TEXT    NOT NULL,
    source      TEXT    NOT NULL
) STRICT;

CREATE INDEX price_history_product ON price_history (product_id);

CREATE VIRTUAL TABLE product_fts USING fts5 (
    label_norm, content = 'products', content_rowid = 'id',
    tokenize = 'ascii', detail = none
);
"#;

/// Migration 3: staff with hashed PINs, and tickets parked at the counter (not fiscal: a
/// parked ticket is a cart, not a sale, until it is paid).
const V3: &str = r#"
CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    name_norm       TEXT    NOT NULL UNIQUE,
    role            TEXT    NOT NULL CHECK (role IN ('cashier', 'manager')),
    pin_hash        TEXT    NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT    NOT NULL
) STRICT;

CREATE TABLE parked_tickets (
    id        INTEGER PRIMARY KEY,
    label     TEXT    NOT NULL,
    operator  TEXT    NOT NULL,
    cart      TEXT    NOT NULL,
    parked_at TEXT    NOT NULL
) STRICT;
"#;

/// Migration 4: the last record of a kind (the open day, the last closure) in one step.
const V4: &str = "CREATE INDEX ledger_kind_pos ON ledger (kind, pos);";

/// Migration 5: what the manager has re-entered into the SaaS after the outage (by record
/// id, with the SaaS's own reference). Bookkeeping, not fiscal data.
const V5: &str = r#"
CREATE TABLE reentry (
    record_id TEXT NOT NULL PRIMARY KEY,
    saas_ref  TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    operator  TEXT NOT NULL
) STRICT;
"#;

/// Migration 6: the words of the labels, so that a search spells a prefix out as the words
/// it starts (see `catalog/terms.rs`); filled from the labels already there.
pub(crate) const V6: &str = r#"
CREATE TABLE label_terms (term TEXT NOT NULL PRIMARY KEY) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO label_terms (term)
WITH RECURSIVE words (word, rest) AS (
    SELECT '', label_norm || ' ' FROM products
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM words WHERE rest <> ''
)
SELECT word FROM words WHERE word <> '';
"#;

/// Migration 7: the receipts the thermal printer already took, so that the next print of
/// one is a DUPLICATA. Bookkeeping, not fiscal data: the duplicates are in the ledger.
const V7: &str = r#"
CREATE TABLE printed_receipts (
    record_id  TEXT NOT NULL PRIMARY KEY,
    printed_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
"#;

/// Migration 8: the item code a scale prints in its labels (five digits), one product each.
const V8: &str = r#"
ALTER TABLE products ADD COLUMN plu TEXT;
CREATE UNIQUE INDEX products_plu ON products (plu) WHERE plu IS NOT NULL;
"#;

/// Migration 9 (controls): a department a manager hides leaves the counter's keys; its
/// products, the sales on it and the exports stay.
const V9: &str = r#"
ALTER TABLE departments ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
"#;

/// Migration 10 (lan): the shop's other tills paired with this one (issue 26), and their
/// records received over the LAN, kept apart from the own ledger (never in its chain).
/// `peer_records` holds each peer's chain from its first record, verified as received.
const V10: &str = r#"
CREATE TABLE peers (
    till          TEXT NOT NULL PRIMARY KEY,
    public_key    TEXT NOT NULL UNIQUE,
    address       TEXT NOT NULL,
    paired_at     TEXT NOT NULL,
    unpaired_at   TEXT,
    last_exchange TEXT,
    defect        TEXT,
    defect_at     TEXT
) STRICT;

CREATE TABLE peer_records (
    till      TEXT NOT NULL REFERENCES peers (till),
    pos       INTEGER NOT NULL,
    id        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    series    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    business_day TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (till, pos)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX peer_records_id ON peer_records (till, id);
CREATE INDEX peer_records_day ON peer_records (business_day);
CREATE INDEX peer_records_kind ON peer_records (kind);
"#;

/// Migration 11 (lan): `peer_records` as a rowid table. Its rows carry whole record bodies
/// (a sale's is about 1.1 kB); in a WITHOUT ROWID table such rows are stored in the primary
/// key's B-tree and each insert moved them about: a catch-up of 100 000 records spent most
/// of its time there (docs/PERFORMANCE.md). The same columns and keys; no index on the
/// business day, which no query of peers' records asks by.
/// `peers.address_from`: where the stored address came from, `invitation` (the pairing) or
/// `mdns` (found on the LAN since).
const V11: &str = r#"
ALTER TABLE peers ADD COLUMN address_from TEXT NOT NULL DEFAULT 'invitation';
CREATE TABLE peer_records_v11 (
    till      TEXT NOT NULL REFERENCES peers (till),
    pos       INTEGER NOT NULL,
    id        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    series    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    business_day TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    UNIQUE (till, pos)
) STRICT;
INSERT INTO peer_records_v11
    SELECT till, pos, id, kind, series, seq, business_day, body, prev_hash, hash
    FROM peer_records ORDER BY till, pos;
DROP TABLE peer_records;
ALTER TABLE peer_records_v11 RENAME TO peer_records;
CREATE UNIQUE INDEX peer_records_id ON peer_records (till, id);
CREATE INDEX peer_records_kind ON peer_records (kind);
"#;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up(V7),
        M::up(V8),
        M::up(V9),
        M::up(V10),
        M::up(V11),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
