//! The shop's tills on the LAN (issue 26), wired to the store: `relais-lan`'s two traits
//! ([`relais_lan::Ledger`], [`relais_lan::PeerSink`]) over a [`Store`], and the two acts
//! built on them, [`serve`] and [`sync`]. The CLI (`relais shop serve|sync`) and the app (in
//! the background) both go through here, so a till serves and pulls the same way from both;
//! `relais-lan` stays the network only, the store knows no network.

use relais_core::{text, Text};
use relais_lan::{Ledger, Peer, PeerOutcome, PeerSink, Unreachable};
use relais_store::peers::PeerLines;
use relais_store::{Store, StoreError};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

/// The port a till listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 47300;
/// Where a till listens unless told otherwise: every interface, [`DEFAULT_PORT`].
pub const DEFAULT_LISTEN: &str = "0.0.0.0:47300";

/// The environment variable that turns mDNS off (`RELAIS_LAN_MDNS=0`): for shops or
/// networks where multicast is unwanted. The invitation's address (or the last one found)
/// is then all a till is dialled at.
pub const MDNS_ENV: &str = "RELAIS_LAN_MDNS";

/// Whether mDNS is on: unless `RELAIS_LAN_MDNS` says `0`, `off`, `no` or `false`.
pub fn mdns_on() -> bool {
    let said = std::env::var(MDNS_ENV).unwrap_or_default();
    !matches!(
        said.trim().to_ascii_lowercase().as_str(),
        "0" | "off" | "no" | "false"
    )
}

/// The mDNS service of the shop of `store`'s till (its tills advertise and look there), or
/// none when mDNS is off or the till is not set up.
pub fn mdns_service(store: &Store) -> Option<String> {
    let shop = &store.config()?.shop.name;
    mdns_on().then(|| relais_lan::mdns_service(shop))
}

/// The address of this PC on its LAN: the one a route to the outside would leave from (a
/// UDP socket's `connect` sends nothing); loopback when there is none.
pub fn lan_ip() -> std::net::IpAddr {
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").map(|_| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip())
        .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into())
}

/// `listen` as a socket address, or why not, in both languages.
pub fn listen_address(listen: &str) -> Result<SocketAddr, StoreError> {
    listen.parse().map_err(|_| {
        StoreError::Invalid(text!(
            fr: "« {listen} » n'est pas une adresse IP:port",
            en: "\"{listen}\" is not an IP:port address",
        ))
    })
}

/// What the transport said, as a store error in both languages. A port already taken says
/// so in words a manager acts on.
pub fn lan_error(e: relais_lan::LanError) -> StoreError {
    if let relais_lan::LanError::Bind { address, reason } = &e {
        let port = address.port();
        return StoreError::Invalid(text!(
            fr: "impossible d'écouter sur {address} (port {port} déjà pris ?) : les autres caisses ne lisent pas celle-ci",
            en: "cannot listen on {address} (port {port} already taken?): {reason}",
        ));
    }
    let said = e.to_string();
    StoreError::Invalid(text!(fr: "réseau du magasin : {said}", en: "shop network: {said}"))
}

/// The store as the transport serves it.
struct Served(Store);

impl Ledger for Served {
    fn records_after(&mut self, after: u64, limit: usize) -> Result<Vec<String>, String> {
        self.0
            .records_after(after, limit)
            .map_err(|e| e.to_string())
    }
    fn is_paired(&mut self, public_key: &str) -> bool {
        self.0.is_paired_key(public_key).unwrap_or(false)
    }
    fn price_list(&mut self) -> Result<Option<(serde_json::Value, Vec<u8>)>, String> {
        let offered = self.0.price_list_offered().map_err(|e| e.to_string())?;
        Ok(offered.map(|(offer, bytes)| (serde_json::json!(offer), bytes)))
    }
}

/// Serves the records of the till in `dir` to its paired tills, with a connection of its
/// own, until the process ends; `listening` is called once with the address bound. The
/// till advertises itself by mDNS under its shop's service unless mDNS is off.
pub fn serve(
    dir: &Path,
    listen: SocketAddr,
    listening: impl FnOnce(SocketAddr),
) -> Result<(), StoreError> {
    serve_until(dir, listen, listening, &relais_lan::Stop::default())
}

/// [`serve`] until `stop` is stopped (the app, when a manager changes the address or a
/// restore replaces the till's files): then its connection is closed and its port free.
pub fn serve_until(
    dir: &Path,
    listen: SocketAddr,
    listening: impl FnOnce(SocketAddr),
    stop: &relais_lan::Stop,
) -> Result<(), StoreError> {
    let store = Store::open(dir)?;
    let secret = store.lan_secret_key()?;
    let mdns = mdns_service(&store);
    relais_lan::serve_until(
        &secret,
        listen,
        mdns.as_deref(),
        Served(store),
        listening,
        stop,
    )
    .map_err(lan_error)
}

/// The store as a sync fills it; the defects as the store said them, in both languages, and
/// the time spent in the store (auditing and storing: the bench splits it off a catch-up).
pub struct Sink<'a> {
    store: &'a mut Store,
    pub defects: BTreeMap<String, Text>,
    pub in_store: std::time::Duration,
}

impl<'a> Sink<'a> {
    pub fn new(store: &'a mut Store) -> Sink<'a> {
        Sink {
            store,
            defects: BTreeMap::new(),
            in_store: std::time::Duration::ZERO,
        }
    }
}

impl PeerSink for Sink<'_> {
    type Batch = PeerLines;
    fn prepare(lines: Vec<String>) -> PeerLines {
        PeerLines::read(&lines)
    }
    fn held(&mut self, till: &str) -> u64 {
        self.store.peer(till).map(|p| p.held).unwrap_or(0)
    }
    fn receive(&mut self, till: &str, lines: PeerLines) -> Result<u64, String> {
        let start = std::time::Instant::now();
        let received = self.store.receive_peer_lines(till, lines);
        self.in_store += start.elapsed();
        match received {
            Ok(batch) => match batch.defect {
                None => Ok(batch.kept),
                Some(defect) => {
                    let en = defect.en.clone();
                    self.defects.insert(till.to_string(), defect);
                    Err(en)
                }
            },
            Err(e) => Err(e.to_string()),
        }
    }
}

/// What one pull from every paired till gave.
#[derive(Debug, Default)]
pub struct Synced {
    /// One per paired till, in the store's order.
    pub outcomes: Vec<PeerOutcome>,
    /// The defects found, as the store said them (both languages), by till.
    pub defects: BTreeMap<String, Text>,
    /// The price lists the tills reached offered, imported here or refused.
    pub price_lists: Vec<PriceListOutcome>,
}

impl Synced {
    /// Whether a peer's records were refused.
    pub fn defect(&self) -> bool {
        self.outcomes.iter().any(|o| o.defect.is_some())
    }
}

/// One pull from every paired till (not unpaired) into `store`; each till reached is noted
/// as reached. No paired till: nothing is done (no endpoint is even bound). Each till is
/// dialled at its stored address and, unless mDNS is off, wherever mDNS finds it; a till
/// that answered elsewhere than its stored address is stored there (`Store::peer_found_at`),
/// so the next start finds it even without multicast.
pub fn sync(store: &mut Store) -> Result<Synced, StoreError> {
    let peers: Vec<Peer> = store
        .peers()?
        .into_iter()
        .filter(|p| p.unpaired_at.is_none())
        .filter_map(|p| {
            Some(Peer {
                address: p.address.parse().ok()?,
                till: p.till,
                public_key: p.public_key,
            })
        })
        .collect();
    if peers.is_empty() {
        return Ok(Synced::default());
    }
    let secret = store.lan_secret_key()?;
    let mdns = mdns_service(store);
    let mut sink = Sink::new(store);
    let outcomes =
        relais_lan::sync_once(&secret, &peers, mdns.as_deref(), &mut sink).map_err(lan_error)?;
    let defects = std::mem::take(&mut sink.defects);
    for outcome in outcomes.iter().filter(|o| o.unreachable.is_none()) {
        store.peer_reached(&outcome.till)?;
    }
    let mut reached = Vec::new();
    for (peer, outcome) in peers.into_iter().zip(&outcomes) {
        if outcome.unreachable.is_some() {
            continue;
        }
        let address = outcome.address.unwrap_or(peer.address);
        if address != peer.address {
            store.peer_found_at(&peer.till, &address.to_string())?;
        }
        if outcome.defect.is_none() {
            reached.push(Peer { address, ..peer });
        }
    }
    let price_lists = price_lists(store, &secret, &reached)?;
    Ok(Synced {
        outcomes,
        defects,
        price_lists,
    })
}

/// A price list offered by a peer and what became of it here.
#[derive(Debug)]
pub struct PriceListOutcome {
    /// The peer it was fetched from.
    pub till: String,
    pub offer: serde_json::Value,
    /// The import, or why it was refused.
    pub imported: Result<relais_store::catalog::ImportReport, StoreError>,
}

/// Fetches the price lists the reached peers offer; imports the newest if it is newer
/// than the one held here (docs/CLI.md, `relais catalog import --shop`).
fn price_lists(
    store: &mut Store,
    secret: &[u8; 32],
    peers: &[Peer],
) -> relais_store::Result<Vec<PriceListOutcome>> {
    if peers.is_empty() {
        return Ok(Vec::new());
    }
    let wanted = |offer: &serde_json::Value| store.wants_price_list(offer).unwrap_or(true);
    let answers = relais_lan::fetch_price_lists(secret, peers, &wanted).map_err(lan_error)?;
    let mut offered: Vec<(String, relais_lan::OfferedPriceList)> = answers
        .into_iter()
        .filter_map(|(till, answer)| Some((till, answer.ok()??)))
        .collect();
    // The newest first: once it is imported, none of the others is newer.
    let when = |o: &relais_lan::OfferedPriceList| {
        (
            o.offer["offered_at"].as_str().unwrap_or("").to_string(),
            o.sha256.clone(),
        )
    };
    offered.sort_by_key(|(_, o)| std::cmp::Reverse(when(o)));
    let mut outcomes = Vec::new();
    for (till, list) in offered {
        let imported = match store.receive_price_list(list.offer.clone(), &list.bytes) {
            Ok(None) => continue,
            Ok(Some((_, report))) => Ok(report),
            Err(e) => Err(e),
        };
        outcomes.push(PriceListOutcome {
            till,
            offer: list.offer,
            imported,
        });
    }
    Ok(outcomes)
}

/// Why a till was not reached, in both languages.
pub fn said_unreachable(why: &Unreachable) -> Text {
    let (connect, read) = (
        relais_lan::CONNECT_TIMEOUT.as_secs(),
        relais_lan::READ_TIMEOUT.as_secs(),
    );
    match why {
        Unreachable::NoAnswer => Text {
            fr: format!("pas de réponse en {connect} s : éteinte, ou pas à cette adresse"),
            en: why.to_string(),
        },
        Unreachable::Silent => Text {
            fr: format!("muette depuis {read} s"),
            en: why.to_string(),
        },
        Unreachable::Failed(said) => Text {
            fr: format!("connexion refusée ou coupée : {said}"),
            en: said.clone(),
        },
    }
}
