//! Finding a shop's tills on the LAN by mDNS (`iroh-mdns-address-lookup`): a till whose IP or
//! port changed (DHCP, a PC swapped, the app restarted on another port) is still dialled by
//! its node id. Discovery only ever yields addresses: the key pinned at pairing is still the
//! only authority (TLS refuses an address that answers with another key, and the server
//! answers paired keys only).

use crate::{Unreachable, ALPN, CONNECT_TIMEOUT};
use iroh::address_lookup::AddressLookup;
use iroh::endpoint::Connection;
use iroh::{Endpoint, EndpointAddr, EndpointId, TransportAddr};
use iroh_mdns_address_lookup::MdnsAddressLookup;
use std::future::Future;
use std::time::Duration;
use tokio_stream::StreamExt;

/// How often a syncing till asks the LAN who is there while its dials are under way: a
/// sync lasts at most [`CONNECT_TIMEOUT`] for a till not found, so its first query must
/// not wait swarm-discovery's default 700 ms.
const QUERY_EVERY: Duration = Duration::from_millis(200);

/// The mDNS service the tills of `shop` advertise under: `relais-` and the first 8 hex
/// digits of the SHA-256 of the shop's name (a DNS-SD service name has at most 15
/// characters, letters, digits and hyphens), so that two shops on one LAN never see each
/// other's tills.
pub fn service_name(shop: &str) -> String {
    format!("relais-{}", &crate::sha256_hex(shop.as_bytes())[..8])
}

/// A serving endpoint advertises its addresses under `service`. Best effort: where no
/// multicast socket can be opened, the till serves without (it is still reached at the
/// address stored at the others).
pub(crate) fn advertise(ep: &Endpoint, service: &str) {
    let advertised = MdnsAddressLookup::builder()
        .service_name(service)
        .advertise(true)
        .build(ep.id());
    if let (Ok(advertised), Ok(lookups)) = (advertised, ep.address_lookup()) {
        lookups.add(advertised);
    }
}

/// A syncing till's look at the LAN: it advertises nothing, and is asked where a paired
/// till's node id was seen.
#[derive(Clone)]
pub(crate) struct Finder(MdnsAddressLookup);

impl Finder {
    /// Starts looking (in the current tokio runtime); none where no multicast socket can be
    /// opened: the sync dials the stored addresses only.
    pub(crate) fn start(service: &str, own: EndpointId) -> Option<Finder> {
        MdnsAddressLookup::builder()
            .service_name(service)
            .advertise(false)
            .discovery_cadence(QUERY_EVERY)
            .build(own)
            .map(Finder)
            .ok()
    }

    /// The addresses mDNS finds for `known`'s node id that `known` does not hold already;
    /// none when the lookup ends without any.
    async fn elsewhere(&self, known: &EndpointAddr) -> Option<EndpointAddr> {
        let mut found = self.0.resolve(known.id)?;
        while let Some(item) = found.next().await {
            let Ok(item) = item else { continue };
            let seen = item.into_endpoint_addr();
            let new: Vec<TransportAddr> = seen
                .ip_addrs()
                .filter(|at| !known.ip_addrs().any(|k| k == *at))
                .map(|at| TransportAddr::Ip(*at))
                .collect();
            if !new.is_empty() {
                return Some(EndpointAddr::from_parts(known.id, new));
            }
        }
        None
    }
}

/// Dials `addr` (a paired till's node id at its stored address), bounded by
/// [`CONNECT_TIMEOUT`]. With a `finder`, a second dial starts as soon as mDNS finds that
/// node id at another address, and the first connection made wins: a dial to an address
/// where nobody answers would only try a new one at QUIC's next retransmission (a second
/// later), and discovery never delays a till that answers where it is stored.
pub(crate) async fn dial(
    ep: &Endpoint,
    addr: EndpointAddr,
    finder: Option<&Finder>,
) -> Result<Connection, Unreachable> {
    let failed = |e: &dyn std::fmt::Display| Unreachable::Failed(e.to_string());
    let stored = ep.connect(addr.clone(), ALPN);
    let Some(finder) = finder else {
        return tokio::time::timeout(CONNECT_TIMEOUT, stored)
            .await
            .map_err(|_| Unreachable::NoAnswer)?
            .map_err(|e| failed(&e));
    };
    let found = async {
        match finder.elsewhere(&addr).await {
            Some(found) => ep.connect(found, ALPN).await.map_err(|e| e.to_string()),
            None => std::future::pending().await,
        }
    };
    first_connected(stored, found).await
}

/// The first of two dials to connect, within [`CONNECT_TIMEOUT`]; else why the stored
/// address failed, if it did, or no answer.
async fn first_connected<E: std::fmt::Display>(
    stored: impl Future<Output = Result<Connection, E>>,
    found: impl Future<Output = Result<Connection, String>>,
) -> Result<Connection, Unreachable> {
    tokio::pin!(stored, found);
    let deadline = tokio::time::sleep(CONNECT_TIMEOUT);
    tokio::pin!(deadline);
    let mut said: Option<String> = None;
    let mut found_failed = false;
    loop {
        tokio::select! {
            conn = &mut stored, if said.is_none() => match conn {
                Ok(conn) => return Ok(conn),
                Err(e) => said = Some(e.to_string()),
            },
            conn = &mut found, if !found_failed => match conn {
                Ok(conn) => return Ok(conn),
                Err(_) => found_failed = true,
            },
            () = &mut deadline => break,
        }
        if said.is_some() && found_failed {
            break;
        }
    }
    Err(said.map_or(Unreachable::NoAnswer, Unreachable::Failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_name_is_short_plain_and_the_shops_own() {
        let cases = [
            ("Librairie du Port", "Librairie du Port", true),
            ("Librairie du Port", "Librairie du port", false),
            ("Épicerie du Marché", "Epicerie du Marche", false),
        ];
        for (a, b, same) in cases {
            let (sa, sb) = (service_name(a), service_name(b));
            assert_eq!(sa == sb, same, "{a} / {b}");
            for s in [&sa, &sb] {
                assert_eq!(s.len(), 15, "{s}");
                assert!(
                    s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                    "{s}"
                );
            }
        }
    }
}
