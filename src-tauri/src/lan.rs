//! The shop's tills on the LAN in the app (issue 26): two background threads, each with its
//! own store connection and `relais-lan`'s current-thread runtime, doing what `relais shop
//! serve` and `relais shop sync` do (through `relais-shop`, the same wiring as the CLI's).
//! The window never waits for the network: the commands read what the threads last found.
//!
//! Where the till listens: `RELAIS_LAN_LISTEN` (tests run two apps on one PC), else the shop
//! setting (`Store::lan_listen`, 0.0.0.0:47300). A port already taken, or a till not yet
//! set up, is said in the status and tried again later: the till sells meanwhile. A manager
//! who changes the setting, and a restore, stop the server (`relais_lan::Stop`) and start it
//! again at once, with a connection opened anew.

use relais_core::{text, Text};
use relais_lan::PeerOutcome;
use relais_store::Store;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How often the paired tills are asked for their new records.
const SYNC_EVERY: Duration = Duration::from_secs(2);
/// How long before a server that could not listen tries again.
const SERVE_RETRY: Duration = Duration::from_secs(15);
/// How long a restore waits for the server to let go of the till's files.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// What the last sync found of one paired till.
#[derive(Debug, Clone)]
pub struct Reach {
    pub reachable: bool,
    /// Since when it has been in that state.
    pub since: Instant,
    /// Why it was not reached.
    pub why: Option<Text>,
}

#[derive(Default)]
struct Found {
    listening: Option<String>,
    listen_error: Option<Text>,
    reach: BTreeMap<String, Reach>,
}

/// The server's restart: bumped at each change of address or restore, waking its wait.
#[derive(Default)]
struct Restart {
    generation: Mutex<u64>,
    changed: Condvar,
    /// Stops the server running now, if one is.
    stop: Mutex<Option<relais_lan::Stop>>,
    /// Told when the server has ended (its connection closed).
    ended: Condvar,
}

/// What the background threads found, for the commands.
#[derive(Default)]
pub struct LanLink {
    found: Mutex<Found>,
    /// Set while the till's files are replaced (a restore): both threads let go of their
    /// connections, and open the till again once it is cleared.
    paused: AtomicBool,
    restart: Restart,
}

/// `RELAIS_LAN_LISTEN`, when set: it overrides the till's setting (tests run two apps on one
/// PC), and the screen says so.
pub fn listen_override() -> Option<String> {
    std::env::var("RELAIS_LAN_LISTEN")
        .ok()
        .filter(|l| !l.trim().is_empty())
}

impl LanLink {
    /// Starts serving and syncing the till in `dir`, in the background.
    pub fn start(dir: PathBuf) -> Arc<LanLink> {
        let link = Arc::new(LanLink::default());
        let (server, puller) = (link.clone(), link.clone());
        let serve_dir = dir.clone();
        std::thread::spawn(move || server.serve_loop(&serve_dir));
        std::thread::spawn(move || puller.sync_loop(&dir));
        link
    }

    fn found(&self) -> std::sync::MutexGuard<'_, Found> {
        self.found.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The address listened on, or why the till cannot be read by the others.
    pub fn listening(&self) -> (Option<String>, Option<Text>) {
        let found = self.found();
        (found.listening.clone(), found.listen_error.clone())
    }

    /// What the last sync found of each paired till.
    pub fn reach(&self) -> BTreeMap<String, Reach> {
        self.found().reach.clone()
    }

    /// The till's files are about to be replaced (`true`), or were (`false`): the server
    /// stops and lets go of its connection, then serves the till restored.
    pub fn pause(&self, paused: bool) {
        self.paused.store(paused, Ordering::SeqCst);
        self.restart_serve();
        if paused {
            // The files are moved only once the server has let go of them (at most a few
            // seconds: its endpoint closes its connections first).
            let stop = self.restart.stop.lock().unwrap_or_else(|p| p.into_inner());
            let _ = self
                .restart
                .ended
                .wait_timeout_while(stop, CLOSE_WAIT, |s| s.is_some());
        }
    }

    /// Stops the server and starts it again at once, at the address set now (a manager
    /// changed it): no app restart.
    pub fn restart_serve(&self) {
        let mut generation = self
            .restart
            .generation
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        *generation += 1;
        if let Some(stop) = self
            .restart
            .stop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            stop.stop();
        }
        self.restart.changed.notify_all();
    }

    fn generation(&self) -> u64 {
        *self
            .restart
            .generation
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Waits `at_most`, or until the server is to restart (generation past `seen`).
    fn wait_restart(&self, seen: u64, at_most: Duration) {
        let generation = self
            .restart
            .generation
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let _ = self
            .restart
            .changed
            .wait_timeout_while(generation, at_most, |g| *g == seen);
    }

    fn serve_loop(&self, dir: &std::path::Path) {
        loop {
            let seen = self.generation();
            if self.paused.load(Ordering::SeqCst) {
                self.wait_restart(seen, SERVE_RETRY);
                continue;
            }
            let ready = Store::open(dir).ok().filter(|s| s.config().is_some());
            let Some(store) = ready else {
                // Not set up yet: nothing to serve, and nothing to say.
                self.wait_restart(seen, SERVE_RETRY);
                continue;
            };
            let listen = listen_override()
                .or_else(|| store.lan_listen().ok())
                .unwrap_or_else(|| relais_shop::DEFAULT_LISTEN.to_string());
            drop(store);
            let stop = relais_lan::Stop::default();
            *self.restart.stop.lock().unwrap_or_else(|p| p.into_inner()) = Some(stop.clone());
            if self.generation() != seen {
                // Asked to restart before this stop was in place: start again.
                continue;
            }
            let served = relais_shop::listen_address(&listen).and_then(|address| {
                relais_shop::serve_until(
                    dir,
                    address,
                    |at| {
                        let mut found = self.found();
                        found.listening = Some(at.to_string());
                        found.listen_error = None;
                    },
                    &stop,
                )
            });
            {
                let mut found = self.found();
                found.listening = None;
                found.listen_error = None;
            }
            *self.restart.stop.lock().unwrap_or_else(|p| p.into_inner()) = None;
            self.restart.ended.notify_all();
            if served.is_ok() && self.generation() != seen {
                // Stopped to move or to let a restore replace the files: again at once.
                continue;
            }
            let said = match served {
                Ok(()) => text!(
                    fr: "le serveur du magasin s'est arrêté",
                    en: "the shop's server stopped",
                ),
                Err(e) => e.text(),
            };
            eprintln!("relais-app: shop network: {}", said.en);
            self.found().listen_error = Some(said);
            self.wait_restart(seen, SERVE_RETRY);
        }
    }

    fn sync_loop(&self, dir: &std::path::Path) {
        let mut store: Option<Store> = None;
        loop {
            std::thread::sleep(SYNC_EVERY);
            if self.paused.load(Ordering::SeqCst) {
                store = None;
                continue;
            }
            if store.is_none() {
                store = Store::open(dir).ok().filter(|s| s.config().is_some());
            }
            let Some(open) = store.as_mut() else { continue };
            match relais_shop::sync(open) {
                Ok(synced) => self.note(&synced.outcomes),
                Err(e) => {
                    eprintln!("relais-app: shop sync: {e}");
                    // Opened again at the next round (a restore may have moved the file).
                    store = None;
                }
            }
        }
    }

    fn note(&self, outcomes: &[PeerOutcome]) {
        let now = Instant::now();
        let mut found = self.found();
        found
            .reach
            .retain(|till, _| outcomes.iter().any(|o| &o.till == till));
        for o in outcomes {
            let reachable = o.unreachable.is_none();
            let why = o.unreachable.as_ref().map(relais_shop::said_unreachable);
            let since = match found.reach.get(&o.till) {
                Some(r) if r.reachable == reachable => r.since,
                _ => now,
            };
            found.reach.insert(
                o.till.clone(),
                Reach {
                    reachable,
                    since,
                    why,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais_core::Shop;
    use relais_store::InitOptions;

    fn free_port() -> u16 {
        std::net::UdpSocket::bind("127.0.0.1:0")
            .and_then(|s| s.local_addr())
            .expect("a free UDP port")
            .port()
    }

    /// The address listened on once it is `want` (the server binds on its own thread), or
    /// what it is after a generous bound.
    fn listening_at(link: &LanLink, want: &str) -> Option<String> {
        for _ in 0..1200 {
            if link.listening().0.as_deref() == Some(want) {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        link.listening().0
    }

    /// The setting moves the server at once (the old port freed); a restore's pause ends it
    /// (port free, no connection kept) before it returns, and it serves again after.
    #[test]
    fn the_server_moves_with_the_setting_and_lets_go_during_a_restore() {
        std::env::remove_var("RELAIS_LAN_LISTEN");
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store
            .init(&InitOptions {
                shop: Shop {
                    name: "Librairie du Port".into(),
                    ..Shop::default()
                },
                till: "T1".into(),
                ..InitOptions::default()
            })
            .unwrap();
        let by = store.own_manager("admin").unwrap();
        let (first, second) = (
            format!("127.0.0.1:{}", free_port()),
            format!("127.0.0.1:{}", free_port()),
        );
        store.set_lan_listen(&first, &by).unwrap();
        let link = LanLink::start(dir.path().to_path_buf());
        assert_eq!(listening_at(&link, &first).as_deref(), Some(first.as_str()));

        store.set_lan_listen(&second, &by).unwrap();
        link.restart_serve();
        assert_eq!(
            listening_at(&link, &second).as_deref(),
            Some(second.as_str())
        );
        assert!(std::net::UdpSocket::bind(&first).is_ok(), "{first} freed");

        link.pause(true);
        assert_eq!(
            link.listening(),
            (None, None),
            "stopped before the files move"
        );
        drop(std::net::UdpSocket::bind(&second).expect("its port freed during the restore"));
        link.pause(false);
        assert_eq!(
            listening_at(&link, &second).as_deref(),
            Some(second.as_str())
        );
    }
}
