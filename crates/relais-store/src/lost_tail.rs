//! Records lost after they were acknowledged: a database older than its `ledger.head` (an
//! older copy put back by hand, a deleted WAL, a disk that lost its last writes). Their
//! numbers were printed on receipts and Z tickets; issuing them again would give two sales
//! one number. So the till refuses every write until a manager has seen the defect, then
//! journals it (JET 90) and goes on past every number the lost records could have used.
//! docs/CHAIN.md, section 5.2.

use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::ledger::{current_head, read_head_file, LostTail, HEAD_FILE, SEQ_FLOOR};
use crate::{Manager, Store};
use relais_core::chain::SKIPPED_NUMBERS;
use relais_core::{text, Body, EventData, EventType, Series};
use rusqlite::Connection;
use serde_json::json;
use std::path::Path;

/// The lost tail, if the database ends before the position `ledger.head` vouches for.
pub(crate) fn detect(conn: &Connection, dir: &Path) -> Result<Option<LostTail>> {
    let (head_pos, _) = current_head(conn)?;
    Ok(read_head_file(dir)?
        .filter(|anchor| anchor.pos > head_pos)
        .map(|anchor| LostTail {
            head_pos,
            anchored_pos: anchor.pos,
            anchored_hash: anchor.hash,
        }))
}

impl Store {
    /// The lost tail found when the till was opened, until a manager acknowledges it.
    pub fn lost_tail(&self) -> Option<&LostTail> {
        self.config.as_ref()?.lost_tail.as_ref()
    }

    /// A manager has seen the defect: journals it (JET 90, with the lost positions, the
    /// anchor and the numbers skipped), raises every series past the numbers the lost records
    /// could have used, and moves `ledger.head` to the chain's real end.
    pub fn acknowledge_lost_tail(&mut self, by: &Manager) -> Result<LostTail> {
        let operator = by.name();
        let config = self.require_config()?.clone();
        let Some(lost) = config.lost_tail.clone() else {
            return Err(StoreError::Invalid(text!(
                fr: "aucun enregistrement perdu à constater",
                en: "no lost records to acknowledge",
            )));
        };
        let skipped = lost.lost();
        let (from, to) = (lost.head_pos + 1, lost.anchored_pos);
        let event = EventData::new(
            EventType::IntegrityDefect,
            format!(
                "Enregistrements perdus : positions {from} à {to} attestées par {HEAD_FILE} ; numérotation reprise {skipped} numéros plus loin dans chaque série"
            ),
            json!({"defect": "lost_tail", "lost_from_pos": from, "lost_to_pos": to,
                   "anchored_hash": lost.anchored_hash, SKIPPED_NUMBERS: skipped}),
        );
        let mut acknowledged = config.clone();
        acknowledged.lost_tail = None;
        let now = self.now();
        self.write(|tx| {
            for series in Series::ALL {
                let next: u64 = tx.query_row(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger WHERE series = ?1",
                    [series.code()],
                    |r| r.get(0),
                )?;
                crate::settings::put(
                    tx,
                    &format!("{SEQ_FLOOR}{}", series.code()),
                    &(next + skipped).to_string(),
                )?;
            }
            append(
                tx,
                &acknowledged,
                now,
                NewRecord::new(Body::Event(event), operator),
            )
        })?;
        self.config = Some(acknowledged);
        self.rewrite_head_file()?;
        Ok(lost)
    }
}

#[cfg(test)]
mod tests {
    use crate::export::ExportOptions;
    use crate::tests::{init_store, sale};
    use crate::{Store, DB_FILE};
    use relais_core::SaleInput;
    use std::path::Path;

    fn sold_by(operator: &str, price: i64) -> SaleInput {
        let mut input = sale(price);
        input.operator = Some(operator.into());
        input
    }

    /// Three sales, then two more that are lost: the database put back as it was after the
    /// third, `ledger.head` left as it was after the fifth.
    fn till_that_lost_two_sales(dir: &Path) -> (Store, u64) {
        let mut store = init_store(dir);
        crate::tests::hire_marie_and_paul(&mut store);
        for price in [100, 200, 300] {
            store.record_sale_as(&sold_by("Paul", price), None).unwrap();
        }
        drop(store);
        let older = dir.join("older.db");
        std::fs::copy(dir.join(DB_FILE), &older).unwrap();
        let mut store = Store::open(dir).unwrap();
        let mut last_seq = 0;
        for price in [400, 500] {
            let number = store
                .record_sale_as(&sold_by("Paul", price), None)
                .unwrap()
                .number;
            last_seq = store.find(&number).unwrap().0.seq;
        }
        drop(store);
        std::fs::copy(&older, dir.join(DB_FILE)).unwrap();
        (Store::open(dir).unwrap(), last_seq)
    }

    #[test]
    fn lost_records_stop_the_till_until_a_manager_acknowledges_and_no_number_is_issued_twice() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, last_issued) = till_that_lost_two_sales(dir.path());
        let lost = store
            .lost_tail()
            .cloned()
            .expect("the lost tail is found at opening");
        assert!(lost.lost() >= 2, "{lost:?}");
        assert!(store.verify().unwrap().defect.is_some());

        let refused = store
            .record_sale_as(&sold_by("Paul", 600), None)
            .unwrap_err();
        assert_eq!(refused.kind(), "integrity");
        assert!(
            refused.text().fr.contains("relais verify --acknowledge"),
            "{}",
            refused.text().fr
        );
        let cashier = store.acknowledge_lost_tail_as("Paul").unwrap_err();
        assert_eq!(cashier.kind(), "forbidden");

        store.acknowledge_lost_tail_as("Marie").unwrap();
        assert!(store.lost_tail().is_none());
        let journal = store.journal(None).unwrap();
        let defect = journal
            .iter()
            .rev()
            .find(|e| e.name == "integrity_defect")
            .expect("journaled");
        assert_eq!(defect.code, 90);

        let next = store
            .record_sale_as(&sold_by("Paul", 600), None)
            .unwrap()
            .number;
        let next_seq = store.find(&next).unwrap().0.seq;
        assert!(
            next_seq > last_issued,
            "{next} reuses a lost number (last issued: {last_issued})"
        );
        assert!(
            store.verify().unwrap().defect.is_none(),
            "the skip is documented in the chain"
        );

        let out = tempfile::tempdir().unwrap();
        let bundle = store
            .export_as(&ExportOptions {
                out: out.path().to_path_buf(),
                operator: "Marie".into(),
                ..ExportOptions::default()
            })
            .unwrap();
        let verdict = relais_bundle::verify_bundle(Path::new(&bundle.folder)).unwrap();
        assert!(verdict.ok, "{:?}", verdict.defect);

        drop(store);
        let reopened = Store::open(dir.path()).unwrap();
        assert!(
            reopened.lost_tail().is_none(),
            "ledger.head was moved to the real end"
        );
    }

    /// A skip is allowed only right after the event that documents it, and only as far as it
    /// says: a gap anywhere else is still a defect.
    #[test]
    fn a_gap_without_the_event_is_still_a_sequence_gap() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        store.record_sale_as(&sale(100), None).unwrap();
        store
            .conn
            .execute(
                "INSERT INTO settings (key, value) VALUES ('seq_floor.ticket', '7')",
                [],
            )
            .unwrap();
        store.record_sale_as(&sale(200), None).unwrap();
        let defect = store.verify().unwrap().defect.expect("a gap with no event");
        assert!(
            matches!(defect, relais_core::Defect::SequenceGap { .. }),
            "{defect}"
        );
    }
}
