//! One app per data directory. Two windows writing the same till would interleave two
//! operators' sessions and two clocks' views of "today"; SQLite would keep the file sound, but
//! staff would not know which window holds the cart. So the first app holds an exclusive lock
//! on `app.lock` in the data directory and listens on a loopback port written in `app.port`;
//! a second app started on the same directory asks the first to come to the front, and quits.
//! (The `relais` command line is not concerned: it writes in transactions beside the app.)
//!
//! An app that is closing still holds the lock for a moment (WebKit's processes take a while
//! to end on a loaded PC). Reopened in that moment, Relais must open, not hand over to a window
//! that is going away: the closing app no longer answers, and the new one waits for the lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager};

const LOCK_FILE: &str = "app.lock";
const PORT_FILE: &str = "app.port";
/// What a second instance sends, so a stray connection to the port does nothing.
const FOCUS_REQUEST: &[u8] = b"relais:focus\n";
/// The running app's answer: its window is (or is about to be) on screen.
const SHOWN: &[u8] = b"relais:shown\n";
/// How long a new app waits for a closing one to let go of the directory.
const HANDOVER_WAIT: Duration = Duration::from_secs(15);

/// What starting the app on a data directory found.
pub enum Claim {
    /// This app is the only one: it keeps the lock for as long as it runs.
    First(Instance),
    /// Another app already runs on this directory and was asked to come to the front.
    AlreadyRunning,
}

/// The one app running on a data directory. Its lock and listener live in a thread that
/// answers second apps from the moment the directory is claimed (before the window exists,
/// so a double click on the icon still opens one window), for as long as the process runs.
/// Without a lock (an odd filesystem), it does nothing.
pub struct Instance {
    shared: Option<Arc<Shared>>,
}

struct Shared {
    /// Held, never read, for as long as the process runs (the listener's thread keeps
    /// `Shared` alive).
    #[cfg_attr(not(test), allow(dead_code))]
    lock: std::sync::Mutex<Option<File>>,
    app: OnceLock<AppHandle>,
    closing: AtomicBool,
}

/// Takes the data directory for this app, or hands over to the app that already has it.
/// Any failure to lock (an odd filesystem), or an app that holds the lock but neither answers
/// nor lets go, lets the app start: refusing to open a till during an outage would be worse
/// than two windows.
pub fn claim(dir: &Path) -> Claim {
    claim_within(dir, HANDOVER_WAIT)
}

fn claim_within(dir: &Path, wait: Duration) -> Claim {
    let deadline = Instant::now() + wait;
    let mut waiting = false;
    loop {
        match try_claim(dir) {
            Ok(Some(instance)) => {
                if waiting {
                    eprintln!("relais-app: the other app has closed; this one opens");
                }
                return Claim::First(instance);
            }
            Ok(None) => {
                let answer = ask_to_focus(dir);
                if matches!(answer, Ok(true)) {
                    return Claim::AlreadyRunning;
                }
                if Instant::now() > deadline {
                    eprintln!(
                        "relais-app: the app holding {} does not answer; starting anyway",
                        dir.display()
                    );
                    return Claim::First(Instance { shared: None });
                }
                if !waiting {
                    let why = match answer {
                        Err(error) => error.to_string(),
                        Ok(_) => "no answer: it is closing".into(),
                    };
                    eprintln!(
                        "relais-app: the app holding {} does not hand over ({why}); waiting for its lock",
                        dir.display()
                    );
                    waiting = true;
                }
                // An app that is closing lets go of its lock in a moment.
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(error) => {
                eprintln!(
                    "relais-app: cannot lock {}: {error}; starting anyway",
                    dir.display()
                );
                return Claim::First(Instance { shared: None });
            }
        }
    }
}

fn try_claim(dir: &Path) -> std::io::Result<Option<Instance>> {
    std::fs::create_dir_all(dir)?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
        Err(std::fs::TryLockError::Error(error)) => return Err(error),
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    std::fs::write(port_file(dir), listener.local_addr()?.port().to_string())?;
    let shared = Arc::new(Shared {
        lock: std::sync::Mutex::new(Some(lock)),
        app: OnceLock::new(),
        closing: AtomicBool::new(false),
    });
    serve(listener, shared.clone());
    Ok(Some(Instance {
        shared: Some(shared),
    }))
}

fn port_file(dir: &Path) -> PathBuf {
    dir.join(PORT_FILE)
}

/// Asks the app holding `dir` to come to the front; true when it answered that it did.
fn ask_to_focus(dir: &Path) -> std::io::Result<bool> {
    let port: u16 = std::fs::read_to_string(port_file(dir))?
        .trim()
        .parse()
        .map_err(|_| std::io::Error::other("app.port does not hold a port number"))?;
    let mut stream =
        TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(FOCUS_REQUEST)?;
    let mut answer = [0u8; SHOWN.len()];
    Ok(stream.read_exact(&mut answer).is_ok() && answer == SHOWN)
}

/// Answers second apps until the process ends.
fn serve(listener: TcpListener, shared: Arc<Shared>) {
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            if !is_focus_request(&mut stream) || shared.closing.load(Ordering::SeqCst) {
                continue;
            }
            if let Some(app) = shared.app.get() {
                bring_to_front(app);
            }
            let _ = stream.write_all(SHOWN);
        }
    });
}

impl Instance {
    /// The window exists: second apps now bring it to the front.
    pub fn attach(&self, app: AppHandle) {
        if let Some(shared) = &self.shared {
            let _ = shared.app.set(app);
        }
    }

    /// The app is closing: second apps stop handing over to it and wait for the lock.
    pub fn closing(&self) {
        if let Some(shared) = &self.shared {
            shared.closing.store(true, Ordering::SeqCst);
        }
    }

    /// What the end of the process does to the lock.
    #[cfg(test)]
    fn exit(self) {
        if let Some(shared) = self.shared {
            shared.lock.lock().unwrap_or_else(|p| p.into_inner()).take();
        }
    }
}

fn is_focus_request(stream: &mut TcpStream) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut request = [0u8; FOCUS_REQUEST.len()];
    stream.read_exact(&mut request).is_ok() && request == FOCUS_REQUEST
}

fn bring_to_front(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    eprintln!("relais-app: a second window was asked for; this one is brought to the front");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("relais-single-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn claimed(claim: Claim) -> Option<Instance> {
        match claim {
            Claim::First(instance) => Some(instance),
            Claim::AlreadyRunning => None,
        }
    }

    #[test]
    fn a_second_app_hands_over_to_a_running_one_and_waits_for_a_closing_one() {
        let dir = fresh_dir("handover");
        let first =
            claimed(claim_within(&dir, Duration::ZERO)).expect("the first claim gets the lock");
        assert!(first.shared.is_some(), "the first app holds the lock");

        // Running (even before its window exists): the second app hands over.
        assert!(
            claimed(claim_within(&dir, Duration::from_secs(5))).is_none(),
            "a running app is handed over to"
        );

        // Closing: the second app waits, and starts once the first lets go.
        first.closing();
        let second = std::thread::spawn({
            let dir = dir.clone();
            move || claimed(claim_within(&dir, Duration::from_secs(10)))
        });
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            !second.is_finished(),
            "the second app waits while the first is closing"
        );
        first.exit();
        let second = second
            .join()
            .expect("second")
            .expect("the second app starts once the first has closed");
        assert!(second.shared.is_some(), "and holds the lock in its turn");

        // One holding the lock without answering: after the wait, the app starts anyway.
        second.closing();
        let third = claimed(claim_within(&dir, Duration::from_millis(300))).expect("starts anyway");
        assert!(third.shared.is_none(), "without the lock");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
