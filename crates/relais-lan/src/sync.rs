//! A sync: every paired till pulled at once, the network, the reading of the lines and the
//! sink each on a thread of its own ([`sync_once`]).

use crate::{
    endpoint, mdns, node_id, read_line_bounded, request_line, runtime, LanError, Peer, PeerOutcome,
    PeerSink, Unreachable, BATCH, CLOSE_TIMEOUT, READ_TIMEOUT,
};
use iroh::endpoint::Connection;
use iroh::{EndpointAddr, TransportAddr};
use std::net::SocketAddr;
use std::time::Instant;
use tokio::io::BufReader;

enum Event<B> {
    Batch(usize, B),
    Done(usize, Option<SocketAddr>),
    Failed(usize, Unreachable),
}

/// Pulls every peer's records after what is held of it, from all peers at once; returns
/// one outcome per peer, in the order given. A peer that is off costs at most
/// [`crate::CONNECT_TIMEOUT`].
///
/// Three stages run at once, each on a thread of its own, a few batches apart: the network
/// receives the next batch (and the serving till goes on reading its ledger) while the one
/// before is prepared ([`PeerSink::prepare`]) and the one before that is received by the
/// sink on this thread, so a catch-up costs the slowest stage, not their sum.
pub fn sync_once<S: PeerSink>(
    secret: &[u8; 32],
    peers: &[Peer],
    mdns: Option<&str>,
    sink: &mut S,
) -> Result<Vec<PeerOutcome>, LanError> {
    let start = Instant::now();
    let mut outcomes: Vec<PeerOutcome> = peers
        .iter()
        .map(|p| PeerOutcome {
            till: p.till.clone(),
            received: 0,
            unreachable: None,
            defect: None,
            millis: 0,
            address: None,
        })
        .collect();
    let afters: Vec<u64> = peers.iter().map(|p| sink.held(&p.till)).collect();
    // A few batches ahead at most: beyond that the network waits for the sink.
    let (events, mut inbox) = tokio::sync::mpsc::channel::<Event<Vec<String>>>(AHEAD);
    let (prepared, ready) = std::sync::mpsc::sync_channel::<Event<S::Batch>>(AHEAD);
    let network = std::thread::scope(|scope| {
        let network = scope.spawn(|| pull_all(secret, peers, mdns, &afters, events));
        scope.spawn(move || {
            while let Some(event) = inbox.blocking_recv() {
                let event = match event {
                    Event::Batch(index, lines) => Event::Batch(index, S::prepare(lines)),
                    Event::Done(index, at) => Event::Done(index, at),
                    Event::Failed(index, why) => Event::Failed(index, why),
                };
                if prepared.send(event).is_err() {
                    break;
                }
            }
        });
        for event in ready {
            match event {
                Event::Batch(index, batch) => {
                    let outcome = &mut outcomes[index];
                    if outcome.defect.is_some() {
                        continue;
                    }
                    match sink.receive(&peers[index].till, batch) {
                        Ok(n) => outcome.received += n,
                        Err(defect) => outcome.defect = Some(defect),
                    }
                }
                Event::Done(index, at) => {
                    outcomes[index].millis = start.elapsed().as_millis() as u64;
                    outcomes[index].address = at;
                }
                Event::Failed(index, reason) => {
                    outcomes[index].millis = start.elapsed().as_millis() as u64;
                    outcomes[index].unreachable = Some(reason);
                }
            }
        }
        network.join()
    });
    match network {
        Ok(result) => result.map(|()| outcomes),
        Err(_) => Err(LanError::Io("the network thread panicked".into())),
    }
}

/// How many batches a stage of [`sync_once`] may run ahead of the next.
const AHEAD: usize = 2;

/// The network side of [`sync_once`]: one task per peer on a current-thread runtime, each
/// handing its batches, then its end, to `events`. Returns once every peer is done.
fn pull_all(
    secret: &[u8; 32],
    peers: &[Peer],
    mdns: Option<&str>,
    afters: &[u64],
    events: tokio::sync::mpsc::Sender<Event<Vec<String>>>,
) -> Result<(), LanError> {
    let rt = runtime()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        let ep = endpoint(secret, SocketAddr::from(([0, 0, 0, 0], 0)), false).await?;
        let finder = mdns.and_then(|service| mdns::Finder::start(service, ep.id()));
        let mut tasks = Vec::new();
        for (index, peer) in peers.iter().enumerate() {
            let id = match node_id(&peer.public_key) {
                Ok(id) => id,
                Err(e) => {
                    let failed = Unreachable::Failed(e.to_string());
                    let _ = events.send(Event::Failed(index, failed)).await;
                    continue;
                }
            };
            let after = afters[index];
            let addr = EndpointAddr::from_parts(id, [TransportAddr::Ip(peer.address)]);
            let (ep, events, finder) = (ep.clone(), events.clone(), finder.clone());
            tasks.push(tokio::task::spawn_local(async move {
                let dialled = mdns::dial(&ep, addr, finder.as_ref());
                let event = match pull(dialled, after, index, &events).await {
                    Ok(at) => Event::Done(index, at),
                    Err(e) => Event::Failed(index, e),
                };
                let _ = events.send(event).await;
            }));
        }
        drop(events);
        for task in tasks {
            let _ = task.await;
        }
        // A dial abandoned at its timeout would hold a graceful close for seconds more.
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, ep.close()).await;
        Ok::<(), LanError>(())
    })
}

/// The address the connection's selected path reaches (the one its handshake took).
fn answered_at(conn: &Connection) -> Option<SocketAddr> {
    let paths = conn.paths();
    let selected = paths.iter().find(|p| p.is_selected());
    match selected.as_ref().map(|p| p.remote_addr()) {
        Some(TransportAddr::Ip(at)) => Some(*at),
        _ => None,
    }
}

/// One peer: its dial (bounded, [`mdns::dial`]), ask, and hand its lines over in batches as they come; where it
/// answered.
async fn pull(
    dialled: impl std::future::Future<Output = Result<Connection, Unreachable>>,
    after: u64,
    index: usize,
    events: &tokio::sync::mpsc::Sender<Event<Vec<String>>>,
) -> Result<Option<SocketAddr>, Unreachable> {
    let failed = |e: &dyn std::fmt::Display| Unreachable::Failed(e.to_string());
    let conn = dialled.await?;
    let at = answered_at(&conn);
    let (mut send, recv) = conn.open_bi().await.map_err(|e| failed(&e))?;
    send.write_all(request_line(after).as_bytes())
        .await
        .map_err(|e| failed(&e))?;
    send.finish().map_err(|e| failed(&e))?;
    let mut reader = BufReader::new(recv);
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(READ_TIMEOUT, read_line_bounded(&mut reader, &mut line))
            .await
            .map_err(|_| Unreachable::Silent)?
            .map_err(|e| failed(&e))?;
        if n == 0 {
            break;
        }
        let text = line.trim_end_matches(['\n', '\r']);
        if !text.is_empty() {
            batch.push(text.to_string());
        }
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            events
                .send(Event::Batch(index, full))
                .await
                .map_err(|e| failed(&e))?;
        }
    }
    if !batch.is_empty() {
        events
            .send(Event::Batch(index, batch))
            .await
            .map_err(|e| failed(&e))?;
    }
    conn.close(0u32.into(), b"done");
    Ok(at)
}
