//! [`BundleWriter`]: records.jsonl and every CSV table, written as records come, while what
//! the manifest and the report need is gathered. Used by exports (from the ledger) and merges
//! (from bundles).
//!
//! A million sales are millions of rows in two dialects, and one core could not write them
//! in the time: the work is a pipeline. The caller reads the ledger; two threads parse the
//! bodies, a batch each in turn; a records thread takes the batches back in their order,
//! writes records.jsonl and gathers; each CSV dialect has a thread of its own for its
//! tables. Records travel in batches through bounded channels, so memory stays flat
//! whatever the ledger's size.

use crate::error::{BundleError, Result};
use crate::gathered::Gathered;
use crate::rows::{self, OtherTables, TicketTables};
use crate::tables::{Dialect, HashingFile};
use crate::BundleFile;
use relais_core::record::record_of;
use relais_core::record::Record;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Records per batch handed from stage to stage. Tests use tiny batches, so that even their
/// small ledgers go through every thread's turn many times.
const BATCH: usize = if cfg!(test) { 3 } else { 512 };
/// Batches waiting per table thread: what bounds the memory in flight.
const IN_FLIGHT: usize = 4;

/// What the tables need of one record.
struct Row {
    record: Record,
    hash: String,
    local: String,
}

type Batch = Arc<Vec<Row>>;

/// The tables of one dialect, written on their own thread.
struct DialectThread {
    sender: Option<SyncSender<Batch>>,
    handle: Option<JoinHandle<Result<Vec<BundleFile>>>>,
}

impl DialectThread {
    fn start(folder: &Path, dialect: Dialect) -> Result<DialectThread> {
        let mut tickets = TicketTables::create(folder, dialect)?;
        let mut others = OtherTables::create(folder, dialect)?;
        let (sender, batches) = sync_channel::<Batch>(IN_FLIGHT);
        let handle = std::thread::Builder::new()
            .name(format!("export-{}", dialect.folder()))
            .spawn(move || {
                for batch in batches {
                    for row in batch.iter() {
                        rows::ticket_rows(&row.record, &row.hash, &row.local, &mut tickets)?;
                        rows::other_rows(&row.record, &row.local, &mut others)?;
                    }
                }
                let mut files = tickets.finish()?;
                files.extend(others.finish()?);
                Ok(files)
            })
            .map_err(|e| BundleError::io(folder, e))?;
        Ok(DialectThread {
            sender: Some(sender),
            handle: Some(handle),
        })
    }

    /// Hands a batch over; a thread that stopped early says why.
    fn send(&mut self, batch: &Batch) -> Result<()> {
        let sent = match &self.sender {
            Some(sender) => sender.send(Arc::clone(batch)).is_ok(),
            None => false,
        };
        match sent {
            true => Ok(()),
            false => self.join().and(Err(BundleError::Corrupt(
                "an export thread stopped early".into(),
            ))),
        }
    }

    /// Waits for the thread to write and close its files.
    fn join(&mut self) -> Result<Vec<BundleFile>> {
        self.sender = None;
        match self.handle.take().map(JoinHandle::join) {
            Some(Ok(files)) => files,
            Some(Err(_)) => Err(BundleError::Corrupt("an export thread panicked".into())),
            None => Ok(Vec::new()),
        }
    }
}

impl Drop for DialectThread {
    /// An export that fails still waits for its threads before its folder is removed.
    fn drop(&mut self) {
        let _ = self.join();
    }
}

/// What records.jsonl keeps of a ledger row besides its record: all the export reads of it.
pub struct LedgerLine {
    pub pos: u64,
    /// The record's canonical JSON, as stored and hashed.
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// One record as the caller hands it over: already read, or still to be parsed.
struct Entry {
    till: String,
    stored: LedgerLine,
    record: Option<Record>,
}

/// One record ready to be written.
struct Parsed {
    till: String,
    stored: LedgerLine,
    record: Record,
}

/// Threads that parse bodies, in turns of one batch each: parsing is the caller's heaviest
/// work, and the records stage takes their batches back in the same turns, so in order.
const PARSERS: usize = 2;

/// What the writing leaves once every file is closed.
pub struct Written {
    pub files: Vec<BundleFile>,
    pub gathered: Gathered,
    /// Per till: (hash before its first record here, hash of its last).
    pub chains: BTreeMap<String, (String, String)>,
}

pub struct BundleWriter {
    parsers: Vec<SyncSender<Vec<Entry>>>,
    parser_handles: Vec<JoinHandle<()>>,
    records: Option<JoinHandle<Result<Written>>>,
    batch: Vec<Entry>,
    batches_sent: usize,
}

impl BundleWriter {
    pub fn create(folder: &Path) -> Result<BundleWriter> {
        let jsonl = HashingFile::create(&folder.join("records.jsonl"))?;
        let dialects = Dialect::ALL
            .iter()
            .map(|&dialect| DialectThread::start(folder, dialect))
            .collect::<Result<Vec<_>>>()?;
        let spawn_error = |e| BundleError::io(folder, e);
        let (mut parsers, mut parser_handles, mut parsed) = (Vec::new(), Vec::new(), Vec::new());
        for turn in 0..PARSERS {
            let (sender, batches) = sync_channel::<Vec<Entry>>(IN_FLIGHT);
            let (parsed_sender, parsed_batches) = sync_channel(IN_FLIGHT);
            parser_handles.push(
                std::thread::Builder::new()
                    .name(format!("export-parse-{turn}"))
                    .spawn(move || parse_batches(batches, parsed_sender))
                    .map_err(spawn_error)?,
            );
            parsers.push(sender);
            parsed.push(parsed_batches);
        }
        let records = std::thread::Builder::new()
            .name("export-records".into())
            .spawn(move || write_records(jsonl, dialects, parsed))
            .map_err(spawn_error)?;
        Ok(BundleWriter {
            parsers,
            parser_handles,
            records: Some(records),
            batch: Vec::with_capacity(BATCH),
            batches_sent: 0,
        })
    }

    /// Takes the next record of `till`'s chain, in chain order, as stored: its body is
    /// parsed on another thread.
    pub fn push_stored(&mut self, till: &str, stored: LedgerLine) -> Result<()> {
        self.take(till, stored, None)
    }

    /// Takes the next record of `till`'s chain, in chain order, already parsed.
    pub fn push(&mut self, till: &str, stored: LedgerLine, record: Record) -> Result<()> {
        self.take(till, stored, Some(record))
    }

    fn take(&mut self, till: &str, stored: LedgerLine, record: Option<Record>) -> Result<()> {
        self.batch.push(Entry {
            till: till.to_string(),
            stored,
            record,
        });
        match self.batch.len() == BATCH {
            true => self.send_batch(),
            false => Ok(()),
        }
    }

    fn send_batch(&mut self) -> Result<()> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let turn = self.batches_sent % PARSERS;
        self.batches_sent += 1;
        match self.parsers[turn].send(batch) {
            Ok(()) => Ok(()),
            // A thread down the line stopped on an error: the records stage knows which.
            Err(_) => self.join().and(Err(BundleError::Corrupt(
                "the export's writing threads stopped early".into(),
            ))),
        }
    }

    fn join(&mut self) -> Result<Written> {
        self.parsers.clear();
        for handle in self.parser_handles.drain(..) {
            let _ = handle.join();
        }
        match self.records.take().map(JoinHandle::join) {
            Some(Ok(written)) => written,
            Some(Err(_)) => Err(BundleError::Corrupt("an export thread panicked".into())),
            None => Err(BundleError::Corrupt(
                "the export was already finished".into(),
            )),
        }
    }

    /// Closes every file; returns their entries and what was gathered.
    pub fn finish(mut self) -> Result<Written> {
        if !self.batch.is_empty() {
            self.send_batch()?;
        }
        self.join()
    }
}

impl Drop for BundleWriter {
    /// An export that fails still waits for its threads before its folder is removed.
    fn drop(&mut self) {
        if self.records.is_some() {
            let _ = self.join();
        }
    }
}

/// A parser's turn: each batch parsed and passed on, or the first body that is unreadable.
fn parse_batches(batches: Receiver<Vec<Entry>>, parsed: SyncSender<Result<Vec<Parsed>>>) {
    for batch in batches {
        let result = batch
            .into_iter()
            .map(|entry| {
                let record = match entry.record {
                    Some(record) => record,
                    None => record_of(&entry.stored.body)
                        .map_err(|e| BundleError::Corrupt(e.to_string()))?,
                };
                Ok(Parsed {
                    till: entry.till,
                    stored: entry.stored,
                    record,
                })
            })
            .collect::<Result<Vec<_>>>();
        let failed = result.is_err();
        if parsed.send(result).is_err() || failed {
            return;
        }
    }
}

/// The records stage: records.jsonl, the chains, what the manifest and report gather; then
/// the rows go on to the dialects' threads.
fn write_records(
    mut jsonl: HashingFile,
    mut dialects: Vec<DialectThread>,
    parsed: Vec<Receiver<Result<Vec<Parsed>>>>,
) -> Result<Written> {
    let mut gathered = Gathered::default();
    let mut chains: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut line = Vec::with_capacity(4096);
    // The till's name as a JSON string, kept while the till stays the same.
    let mut till_json: (String, String) = Default::default();
    // Batches come back in the turns they were handed out; the first turn with nothing more
    // is the end (its parser has run dry and stopped).
    for turn in (0..parsed.len()).cycle() {
        let Ok(batch) = parsed[turn].recv() else {
            break;
        };
        let batch = batch?;
        let mut rows = Vec::with_capacity(batch.len());
        for Parsed {
            till,
            stored,
            record,
        } in batch
        {
            if till_json.0 != till {
                let quoted = serde_json::to_string(&till).expect("a string");
                till_json = (till.clone(), quoted);
            }
            write_line(&mut jsonl, &mut line, &till_json.1, &stored)?;
            let chain = chains
                .entry(till)
                .or_insert_with(|| (stored.prev_hash.clone(), String::new()));
            chain.1.clone_from(&stored.hash);
            let local = record.local_time();
            gathered.take(&record, &local)?;
            rows.push(Row {
                record,
                hash: stored.hash,
                local,
            });
        }
        let rows = Arc::new(rows);
        dialects.iter_mut().try_for_each(|d| d.send(&rows))?;
    }
    let (sha256, bytes) = jsonl.finish()?;
    let mut files = vec![BundleFile {
        path: "records.jsonl".into(),
        sha256,
        bytes,
    }];
    for dialect in &mut dialects {
        files.extend(dialect.join()?);
    }
    Ok(Written {
        files,
        gathered,
        chains,
    })
}

/// [`write_line`]'s line as text, without its newline.
pub(crate) fn line_text(till: &str, stored: &LedgerLine) -> String {
    let till_json = serde_json::to_string(till).unwrap_or_default();
    let mut line = Vec::with_capacity(stored.body.len() + 200);
    build_line(&mut line, &till_json, stored);
    line.pop();
    String::from_utf8(line).unwrap_or_default()
}

/// One line of records.jsonl, itself canonical JSON: keys in order, the record as stored.
/// Built in `line` and written at once (the file hashes what it is given).
fn write_line(
    jsonl: &mut HashingFile,
    line: &mut Vec<u8>,
    till_json: &str,
    stored: &LedgerLine,
) -> Result<()> {
    build_line(line, till_json, stored);
    jsonl
        .write_all(line)
        .map_err(|e| BundleError::Corrupt(format!("records.jsonl: {e}")))
}

fn build_line(line: &mut Vec<u8>, till_json: &str, stored: &LedgerLine) {
    line.clear();
    line.extend_from_slice(b"{\"hash\":\"");
    line.extend_from_slice(stored.hash.as_bytes());
    line.extend_from_slice(b"\",\"pos\":");
    line.extend_from_slice(itoa::Buffer::new().format(stored.pos).as_bytes());
    line.extend_from_slice(b",\"prev_hash\":\"");
    line.extend_from_slice(stored.prev_hash.as_bytes());
    line.extend_from_slice(b"\",\"record\":");
    line.extend_from_slice(stored.body.as_bytes());
    line.extend_from_slice(b",\"till\":");
    line.extend_from_slice(till_json.as_bytes());
    line.extend_from_slice(b"}\n");
}
