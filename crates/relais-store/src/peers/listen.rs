//! Where this till listens for the shop's other tills (issue 26): the shop setting
//! `lan_listen`, an `IP:port` a manager sets (« Caisses du magasin », `relais shop listen`),
//! journaled like the other settings. The app's server moves there at once.

use crate::actor::Manager;
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::Store;
use relais_core::{text, EventType};
use serde_json::json;
use std::net::SocketAddr;

const KEY: &str = "lan_listen";
/// Where a till listens unless a manager said otherwise: every interface, port 47300.
pub const DEFAULT_LAN_LISTEN: &str = "0.0.0.0:47300";

/// `listen` as a till's listening address, or why not in both languages: `IP:port`, the
/// port from 1024 to 65535 (below are the system's, and 0 would change at every start).
pub fn valid_lan_listen(listen: &str) -> Result<SocketAddr> {
    let listen = listen.trim();
    let address: SocketAddr = listen.parse().map_err(|_| {
        StoreError::Invalid(text!(
            fr: "« {listen} » n'est pas une adresse IP:port : écrivez par exemple 0.0.0.0:47300 (toutes les cartes réseau) ou 192.168.1.20:47300",
            en: "\"{listen}\" is not an IP:port address: write for example 0.0.0.0:47300 (every network card) or 192.168.1.20:47300",
        ))
    })?;
    let port = address.port();
    if port < 1024 {
        return Err(StoreError::Invalid(text!(
            fr: "le port {port} est refusé : choisissez un port de 1024 à 65535 (47300 par défaut)",
            en: "port {port} is refused: choose a port from 1024 to 65535 (47300 by default)",
        )));
    }
    Ok(address)
}

impl Store {
    /// Where this till listens for the shop's other tills (the app's background server,
    /// `relais shop serve` without `--listen`): the shop setting `lan_listen`, else every
    /// interface on port 47300.
    pub fn lan_listen(&self) -> Result<String> {
        Ok(self
            .setting(KEY)?
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_LAN_LISTEN.to_string()))
    }

    /// Sets where this till listens (a manager's act, journaled as `settings_change`, 270).
    /// Refused unless `IP:port` with a port from 1024 to 65535; the same address again
    /// writes nothing. Returns the address as kept.
    pub fn set_lan_listen(&mut self, listen: &str, by: &Manager) -> Result<String> {
        self.require_config()?;
        let address = valid_lan_listen(listen)?.to_string();
        if self.lan_listen()? == address {
            return Ok(address);
        }
        self.put_setting_journaled(
            KEY,
            &address,
            Journal(
                EventType::SettingsChange,
                format!("Réseau du magasin : écoute sur {address}"),
                json!({ "lan_listen": address }),
            ),
            by.name(),
        )?;
        Ok(address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{hire_marie_and_paul, init_store};

    fn changes(store: &Store) -> Vec<String> {
        let journal = store.journal(None).unwrap();
        journal
            .into_iter()
            .filter(|e| e.name == "settings_change")
            .map(|e| e.message)
            .collect()
    }

    /// 0.0.0.0:47300 until a manager changes it; each change journaled; bad addresses, low
    /// ports and cashiers refused, changing nothing.
    #[test]
    fn the_listening_address_is_a_managers_checked_and_journaled_setting() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        hire_marie_and_paul(&mut store);
        assert_eq!(store.lan_listen().unwrap(), "0.0.0.0:47300");
        // The address kept, or the error's kind and French words.
        type Outcome = std::result::Result<&'static str, (&'static str, &'static str)>;
        // (operator, asked, outcome)
        let cases: [(&str, &str, Outcome); 8] = [
            ("Marie", " 0.0.0.0:47310 ", Ok("0.0.0.0:47310")),
            ("Marie", "127.0.0.1:65535", Ok("127.0.0.1:65535")),
            ("Marie", "0.0.0.0:1024", Ok("0.0.0.0:1024")),
            (
                "Marie",
                "0.0.0.0:80",
                Err(("invalid_input", "le port 80 est refusé")),
            ),
            (
                "Marie",
                "0.0.0.0:0",
                Err(("invalid_input", "le port 0 est refusé")),
            ),
            (
                "Marie",
                "0.0.0.0:70000",
                Err(("invalid_input", "n'est pas une adresse IP:port")),
            ),
            (
                "Marie",
                "caisse-2",
                Err((
                    "invalid_input",
                    "« caisse-2 » n'est pas une adresse IP:port",
                )),
            ),
            ("Paul", "0.0.0.0:47301", Err(("forbidden", ""))),
        ];
        let mut expected = "0.0.0.0:47300".to_string();
        for (operator, asked, outcome) in cases {
            let before = changes(&store);
            let result = store
                .manager_named(operator, None)
                .and_then(|by| store.set_lan_listen(asked, &by));
            let after = changes(&store);
            match (outcome, result) {
                (Ok(kept), Ok(said)) => {
                    assert_eq!(said, kept, "{asked}");
                    assert_eq!(after.len(), before.len() + 1, "{asked}");
                    let journaled = format!("Réseau du magasin : écoute sur {kept}");
                    assert_eq!(after.last(), Some(&journaled));
                    expected = kept.to_string();
                }
                (Err((kind, words)), Err(e)) => {
                    assert_eq!(e.kind().as_str(), kind, "{asked}: {e}");
                    assert!(
                        e.message(relais_core::Lang::Fr).contains(words),
                        "{asked}: {e}"
                    );
                    assert_eq!(after, before, "a refusal journals nothing");
                }
                (outcome, result) => panic!("{asked}: expected {outcome:?}, got {result:?}"),
            }
            assert_eq!(store.lan_listen().unwrap(), expected);
        }
        // The same address again: nothing written.
        let before = changes(&store);
        let by = store.manager_named("Marie", None).unwrap();
        store.set_lan_listen("0.0.0.0:1024", &by).unwrap();
        assert_eq!(changes(&store), before);
    }
}
