//! The shop's tills on the LAN (issue 26): log shipping of ledger records between paired
//! tills over iroh (QUIC, authenticated and encrypted by the tills' Ed25519 keys).
//!
//! This crate is the network IO only. It knows no SQL and no store: a till's side is given
//! as two small traits the CLI (and later the app) wires to the store: [`Ledger`] (the own
//! records served to peers, and who is paired) and [`PeerSink`] (what is held of each peer,
//! and the peer's records received, which the store verifies and keeps apart).
//!
//! The endpoint's secret key is the till's own signing key, so a till's iroh node id is the
//! public key pinned at pairing: a connection is accepted only from a paired till's key, and
//! a dial reaches only the key it names (TLS checks it). No relay, no internet discovery:
//! peers are dialled by their node id at the `IP:port` stored for them (their invitation's,
//! or the last found) and, when the caller names the shop's mDNS service ([`mdns_service`]),
//! at whatever mDNS finds on the LAN for that id at the same time (the serving side
//! advertises itself there). Every connect is bounded by
//! [`CONNECT_TIMEOUT`], every read by [`READ_TIMEOUT`]: a till that is off never hangs a
//! sync.
//!
//! The protocol (ALPN [`ALPN`]): the client opens one bidirectional stream and writes one
//! JSON line `{"after":N}`; the server answers with its own records after position `N`, one
//! records.jsonl line each (docs/EXPORT-FORMAT.md), in order, without waiting for any
//! acknowledgement, then finishes the stream.
//!
//! A second request on the same ALPN, on a connection of its own: `{"price_list":true}`, the
//! price list the peer offers the shop (issue 26: a shop imports once). The answer is one JSON
//! line, `null` when it offers none, else [`PriceListHeader`] (`sha256`, `size`, and the offer
//! as the serving till describes it), then exactly `size` bytes: the file. The client checks
//! the size and the SHA-256 before handing it over.

mod mdns;
mod sync;
mod wire;

use iroh::endpoint::{presets, Connection};
use iroh::{Endpoint, EndpointAddr, EndpointId, RelayMode, SecretKey, TransportAddr};
use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, BufReader};

pub use mdns::service_name as mdns_service;
pub use sync::sync_once;
pub use wire::{request_line, Asked, PriceListHeader, Request, PRICE_LIST_REQUEST};

/// The protocol's name and version, agreed during the QUIC handshake.
pub const ALPN: &[u8] = b"relais/ledger-sync/0";
/// How long a dial may take: a till that is off fails here, not after QUIC's 30 s.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a peer may stay silent in the middle of an answer.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a sync waits for its endpoint to close gracefully.
pub const CLOSE_TIMEOUT: Duration = Duration::from_millis(300);
/// Records per batch, read from the ledger and handed to the sink.
pub const BATCH: usize = 2000;

/// The longest line either side reads (a request, a record): a record line is a few kB, a
/// sale of a thousand lines a few hundred. A peer sending a longer one is cut off there,
/// not buffered without end.
pub const MAX_LINE_BYTES: u64 = 8 * 1024 * 1024;

/// `read_line`, bounded by [`MAX_LINE_BYTES`].
async fn read_line_bounded(
    reader: &mut (impl AsyncBufRead + Unpin),
    line: &mut String,
) -> std::io::Result<usize> {
    let n = reader.take(MAX_LINE_BYTES).read_line(line).await?;
    if n as u64 == MAX_LINE_BYTES && !line.ends_with('\n') {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a line longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024)),
        ));
    }
    Ok(n)
}

/// A paired till as the transport needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub till: String,
    /// Its Ed25519 public key, 64 hex characters: its iroh node id.
    pub public_key: String,
    /// Where it was last reached (or its invitation's address): always dialled, mDNS or not.
    pub address: SocketAddr,
}

/// The own side served to peers.
pub trait Ledger {
    /// The own records after position `after`, at most `limit`, as records.jsonl lines
    /// (without their newline).
    fn records_after(&mut self, after: u64, limit: usize) -> Result<Vec<String>, String>;
    /// Whether the till of this public key (hex) is paired and not unpaired.
    fn is_paired(&mut self, public_key: &str) -> bool;
    /// The price list this till offers the shop: the offer (JSON, opaque to the transport)
    /// and the file's bytes. None by default.
    fn price_list(&mut self) -> Result<Option<(serde_json::Value, Vec<u8>)>, String> {
        Ok(None)
    }
}

/// The largest price list a till accepts from a peer.
pub const PRICE_LIST_MAX_BYTES: u64 = 256 * 1024 * 1024;

/// A price list a peer offers, its size and SHA-256 checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedPriceList {
    pub offer: serde_json::Value,
    /// Lowercase hex.
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// What a sync does with what it receives.
pub trait PeerSink {
    /// A batch of lines as [`PeerSink::prepare`] leaves it for [`PeerSink::receive`].
    type Batch: Send;
    /// The work on a batch that needs nothing of the sink (reading its lines): done on a
    /// thread of its own while the sink receives the batch before, so that a catch-up
    /// costs the larger of the two, not their sum.
    fn prepare(lines: Vec<String>) -> Self::Batch;
    /// The last position held of `till`'s chain (0: nothing).
    fn held(&mut self, till: &str) -> u64;
    /// A batch of `till`'s records, in order. `Ok(n)`: `n` new records kept; `Err(reason)`:
    /// a defect (the batch does not extend what was held), nothing kept.
    fn receive(&mut self, till: &str, batch: Self::Batch) -> Result<u64, String>;
}

#[derive(Debug, thiserror::Error)]
pub enum LanError {
    #[error("cannot listen on {address}: {reason}")]
    Bind { address: SocketAddr, reason: String },
    #[error("bad key: {0}")]
    Key(String),
    #[error("{0}")]
    Io(String),
}

/// Why a peer gave nothing (or stopped) in a sync: partitions are normal, none is a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// No answer within [`CONNECT_TIMEOUT`]: switched off, or not at this address.
    NoAnswer,
    /// Answered, then silent for [`READ_TIMEOUT`].
    Silent,
    /// The connection failed or was closed (another key at this address, not paired
    /// there): what the transport said.
    Failed(String),
}

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreachable::NoAnswer => write!(f, "no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            Unreachable::Silent => write!(f, "silent for {} s", READ_TIMEOUT.as_secs()),
            Unreachable::Failed(why) => write!(f, "{why}"),
        }
    }
}

/// What one peer gave in a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerOutcome {
    pub till: String,
    /// New records kept.
    pub received: u64,
    /// Why the peer could not be reached or stopped answering, if it did.
    pub unreachable: Option<Unreachable>,
    /// A batch refused: the peer's chain does not extend what was held.
    pub defect: Option<String>,
    pub millis: u64,
    /// The address it answered at: [`Peer::address`], or one mDNS found for its node id.
    pub address: Option<SocketAddr>,
}

fn runtime() -> Result<tokio::runtime::Runtime, LanError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LanError::Io(e.to_string()))
}

/// An endpoint with the till's key, no relay, no address lookup.
async fn endpoint(secret: &[u8; 32], bind: SocketAddr, serve: bool) -> Result<Endpoint, LanError> {
    let builder = Endpoint::builder(presets::Minimal)
        .relay_mode(RelayMode::Disabled)
        .clear_address_lookup()
        .clear_ip_transports()
        .bind_addr(bind)
        .map_err(|e| LanError::Bind {
            address: bind,
            reason: e.to_string(),
        })?
        .secret_key(SecretKey::from_bytes(secret));
    let builder = if serve {
        builder.alpns(vec![ALPN.to_vec()])
    } else {
        builder
    };
    builder.bind().await.map_err(|e| LanError::Bind {
        address: bind,
        reason: e.to_string(),
    })
}

fn node_id(public_key: &str) -> Result<EndpointId, LanError> {
    public_key
        .parse::<EndpointId>()
        .map_err(|e| LanError::Key(format!("{public_key}: {e}")))
}

/// Serves the own records to paired tills until the process ends (foreground). `listening`
/// is called once, with the address bound, before the first connection is taken. With
/// `mdns` (the shop's service, [`mdns_service`]), the till advertises itself on the LAN.
pub fn serve(
    secret: &[u8; 32],
    listen: SocketAddr,
    mdns: Option<&str>,
    ledger: impl Ledger + 'static,
    listening: impl FnOnce(SocketAddr),
) -> Result<(), LanError> {
    serve_until(secret, listen, mdns, ledger, listening, &Stop::default())
}

/// Ends a [`serve_until`] from another thread: its endpoint is closed and its port freed
/// (the app listens again elsewhere when a manager changes the address, without a restart).
/// Stopped before the server has bound, the server stops as soon as it has.
#[derive(Debug, Clone, Default)]
pub struct Stop(std::sync::Arc<tokio::sync::Notify>);

impl Stop {
    pub fn stop(&self) {
        self.0.notify_one();
    }
}

/// [`serve`], until `stop` is stopped: then `Ok(())`, the port free again.
pub fn serve_until(
    secret: &[u8; 32],
    listen: SocketAddr,
    mdns: Option<&str>,
    ledger: impl Ledger + 'static,
    listening: impl FnOnce(SocketAddr),
    stop: &Stop,
) -> Result<(), LanError> {
    let rt = runtime()?;
    let local = tokio::task::LocalSet::new();
    let stop = stop.0.clone();
    local.block_on(&rt, async move {
        let ep = endpoint(secret, listen, true).await?;
        if let Some(service) = mdns {
            mdns::advertise(&ep, service);
        }
        let bound = ep.bound_sockets().into_iter().next().unwrap_or(listen);
        listening(bound);
        let closing = ep.clone();
        tokio::task::spawn_local(async move {
            stop.notified().await;
            closing.close().await;
        });
        let ledger = Rc::new(RefCell::new(ledger));
        while let Some(incoming) = ep.accept().await {
            let ledger = ledger.clone();
            tokio::task::spawn_local(async move {
                let Ok(conn) = incoming.await else { return };
                let remote = hex::encode(conn.remote_id().as_bytes());
                if !ledger.borrow_mut().is_paired(&remote) {
                    conn.close(1u32.into(), b"not paired");
                    return;
                }
                let _ = answer(&conn, &ledger).await;
                let _ = tokio::time::timeout(READ_TIMEOUT, conn.closed()).await;
            });
        }
        ep.close().await;
        Ok(())
    })
}

/// One request on `conn`: the records after the position asked, streamed in batches.
async fn answer(conn: &Connection, ledger: &Rc<RefCell<impl Ledger>>) -> Result<(), String> {
    let (mut send, recv) = tokio::time::timeout(READ_TIMEOUT, conn.accept_bi())
        .await
        .map_err(|_| "no request".to_string())?
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(recv);
    let mut line = String::new();
    tokio::time::timeout(READ_TIMEOUT, read_line_bounded(&mut reader, &mut line))
        .await
        .map_err(|_| "no request".to_string())?
        .map_err(|e| e.to_string())?;
    let mut after = match Asked::parse(&line)? {
        Asked::Records(after) => after,
        Asked::PriceList => {
            let offered = ledger.borrow_mut().price_list()?;
            let bytes = match &offered {
                None => b"null\n".to_vec(),
                Some((offer, file)) => {
                    let header = PriceListHeader {
                        sha256: sha256_hex(file),
                        size: file.len() as u64,
                        offer: offer.clone(),
                    };
                    let mut bytes = serde_json::to_vec(&header).map_err(|e| e.to_string())?;
                    bytes.push(b'\n');
                    bytes.extend_from_slice(file);
                    bytes
                }
            };
            send.write_all(&bytes).await.map_err(|e| e.to_string())?;
            send.finish().map_err(|e| e.to_string())?;
            return Ok(());
        }
    };
    loop {
        let lines = ledger.borrow_mut().records_after(after, BATCH)?;
        let Some(last) = lines.last() else { break };
        after = wire::position_of(last).ok_or("a record line without its position")?;
        let mut bytes = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for l in &lines {
            bytes.extend_from_slice(l.as_bytes());
            bytes.push(b'\n');
        }
        send.write_all(&bytes).await.map_err(|e| e.to_string())?;
        if lines.len() < BATCH {
            break;
        }
    }
    send.finish().map_err(|e| e.to_string())?;
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Asks each peer for the price list it offers, one after the other; one answer per peer,
/// in the order given: `Ok(None)` when it offers none. A peer that is off costs at most
/// [`CONNECT_TIMEOUT`].
/// `wanted` sees each offer (the header's `offer`) before its file is read: a list the
/// caller holds already, or older than its own, is left unread (answered as none), so a
/// sync every few seconds does not carry the same file again and again.
#[allow(clippy::type_complexity)]
pub fn fetch_price_lists(
    secret: &[u8; 32],
    peers: &[Peer],
    wanted: &dyn Fn(&serde_json::Value) -> bool,
) -> Result<Vec<(String, Result<Option<OfferedPriceList>, Unreachable>)>, LanError> {
    let rt = runtime()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        let ep = endpoint(secret, SocketAddr::from(([0, 0, 0, 0], 0)), false).await?;
        // One after the other: the peers asked were reached a moment ago, and `wanted`
        // borrows the caller's store, which a spawned task could not.
        let mut answers = Vec::new();
        for peer in peers {
            let answer = match node_id(&peer.public_key) {
                Err(e) => Err(Unreachable::Failed(e.to_string())),
                Ok(id) => {
                    let addr = EndpointAddr::from_parts(id, [TransportAddr::Ip(peer.address)]);
                    pull_price_list(&ep, addr, wanted).await
                }
            };
            answers.push((peer.till.clone(), answer));
        }
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, ep.close()).await;
        Ok(answers)
    })
}

async fn pull_price_list(
    ep: &Endpoint,
    addr: EndpointAddr,
    wanted: &dyn Fn(&serde_json::Value) -> bool,
) -> Result<Option<OfferedPriceList>, Unreachable> {
    use tokio::io::AsyncReadExt;
    let failed = |e: &dyn std::fmt::Display| Unreachable::Failed(e.to_string());
    let conn = tokio::time::timeout(CONNECT_TIMEOUT, ep.connect(addr, ALPN))
        .await
        .map_err(|_| Unreachable::NoAnswer)?
        .map_err(|e| failed(&e))?;
    let (mut send, recv) = conn.open_bi().await.map_err(|e| failed(&e))?;
    send.write_all(PRICE_LIST_REQUEST.as_bytes())
        .await
        .map_err(|e| failed(&e))?;
    send.finish().map_err(|e| failed(&e))?;
    let mut reader = BufReader::new(recv);
    let mut line = String::new();
    tokio::time::timeout(READ_TIMEOUT, read_line_bounded(&mut reader, &mut line))
        .await
        .map_err(|_| Unreachable::Silent)?
        .map_err(|e| failed(&e))?;
    let header: Option<PriceListHeader> =
        serde_json::from_str(line.trim()).map_err(|e| failed(&format!("bad answer: {e}")))?;
    let Some(header) = header else {
        conn.close(0u32.into(), b"done");
        return Ok(None);
    };
    if !wanted(&header.offer) {
        conn.close(0u32.into(), b"held");
        return Ok(None);
    }
    if header.size > PRICE_LIST_MAX_BYTES {
        return Err(failed(&format!("a price list of {} bytes", header.size)));
    }
    let mut bytes = vec![0u8; header.size as usize];
    let mut read = 0;
    while read < bytes.len() {
        let n = tokio::time::timeout(READ_TIMEOUT, reader.read(&mut bytes[read..]))
            .await
            .map_err(|_| Unreachable::Silent)?
            .map_err(|e| failed(&e))?;
        if n == 0 {
            return Err(failed(&"the price list ended early"));
        }
        read += n;
    }
    conn.close(0u32.into(), b"done");
    if sha256_hex(&bytes) != header.sha256.to_ascii_lowercase() {
        return Err(failed(
            &"the price list's SHA-256 differs from the one announced",
        ));
    }
    Ok(Some(OfferedPriceList {
        offer: header.offer,
        sha256: header.sha256.to_ascii_lowercase(),
        bytes,
    }))
}

#[cfg(test)]
mod tests;
