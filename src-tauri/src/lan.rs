//! The shop's tills on the LAN in the app (issue 26): two background threads, each with its
//! own store connection and `relais-lan`'s current-thread runtime, doing what `relais shop
//! serve` and `relais shop sync` do (through `relais-shop`, the same wiring as the CLI's).
//! The window never waits for the network: the commands read what the threads last found.
//!
//! Where the till listens: `RELAIS_LAN_LISTEN` (tests run two apps on one PC), else the shop
//! setting (`Store::lan_listen`, 0.0.0.0:47300). A port already taken, or a till not yet
//! set up, is said in the status and tried again later: the till sells meanwhile.

use relais_core::{text, Text};
use relais_lan::PeerOutcome;
use relais_store::Store;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the paired tills are asked for their new records.
const SYNC_EVERY: Duration = Duration::from_secs(2);
/// How long before a server that could not listen tries again.
const SERVE_RETRY: Duration = Duration::from_secs(15);

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

/// What the background threads found, for the commands.
#[derive(Default)]
pub struct LanLink {
    found: Mutex<Found>,
    /// Set while the till's files are replaced (a restore): the sync lets go of its
    /// connection, and opens the till again once it is cleared.
    paused: std::sync::atomic::AtomicBool,
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

    /// The till's files are about to be replaced (`true`), or were (`false`).
    pub fn pause(&self, paused: bool) {
        self.paused
            .store(paused, std::sync::atomic::Ordering::SeqCst);
    }

    fn serve_loop(&self, dir: &std::path::Path) {
        loop {
            let ready = Store::open(dir).ok().filter(|s| s.config().is_some());
            let Some(store) = ready else {
                // Not set up yet: nothing to serve, and nothing to say.
                std::thread::sleep(SERVE_RETRY);
                continue;
            };
            let listen = std::env::var("RELAIS_LAN_LISTEN")
                .ok()
                .filter(|l| !l.trim().is_empty())
                .or_else(|| store.lan_listen().ok())
                .unwrap_or_else(|| relais_shop::DEFAULT_LISTEN.to_string());
            drop(store);
            let served = relais_shop::listen_address(&listen).and_then(|address| {
                relais_shop::serve(dir, address, |at| {
                    let mut found = self.found();
                    found.listening = Some(at.to_string());
                    found.listen_error = None;
                })
            });
            let said = match served {
                Ok(()) => text!(
                    fr: "le serveur du magasin s'est arrêté",
                    en: "the shop's server stopped",
                ),
                Err(e) => e.text(),
            };
            eprintln!("relais-app: shop network: {}", said.en);
            {
                let mut found = self.found();
                found.listening = None;
                found.listen_error = Some(said);
            }
            std::thread::sleep(SERVE_RETRY);
        }
    }

    fn sync_loop(&self, dir: &std::path::Path) {
        let mut store: Option<Store> = None;
        loop {
            std::thread::sleep(SYNC_EVERY);
            if self.paused.load(std::sync::atomic::Ordering::SeqCst) {
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
