//! One app per data directory. Two windows writing the same till would interleave two
//! operators' sessions and two clocks' views of "today"; SQLite would keep the file sound, but
//! staff would not know which window holds the cart. So the first app holds an exclusive lock
//! on `app.lock` in the data directory and listens on a loopback port written in `app.port`;
//! a second app started on the same directory asks the first to come to the front, and quits.
//! (The `relais` command line is not concerned: it writes in transactions beside the app.)

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tauri::{AppHandle, Manager};

const LOCK_FILE: &str = "app.lock";
const PORT_FILE: &str = "app.port";
/// What a second instance sends, so a stray connection to the port does nothing.
const FOCUS_REQUEST: &[u8] = b"relais:focus\n";

/// What starting the app on a data directory found.
pub enum Claim {
    /// This app is the only one: it keeps the lock for as long as it runs.
    First(Instance),
    /// Another app already runs on this directory and was asked to come to the front.
    AlreadyRunning,
}

/// The lock and the listener of the one app running on a data directory.
/// Both are `None` when the directory could not be locked.
pub struct Instance {
    lock: Option<File>,
    listener: Option<TcpListener>,
}

/// Takes the data directory for this app, or hands over to the app that already has it.
/// Any failure to lock (an odd filesystem) lets the app start: refusing to open a till
/// during an outage would be worse than two windows.
pub fn claim(dir: &Path) -> Claim {
    match try_claim(dir) {
        Ok(Some(instance)) => Claim::First(instance),
        Ok(None) => {
            if let Err(error) = ask_to_focus(dir) {
                eprintln!("relais-app: the other window could not be brought to the front: {error}");
            }
            Claim::AlreadyRunning
        }
        Err(error) => {
            eprintln!("relais-app: cannot lock {}: {error}; starting anyway", dir.display());
            Claim::First(Instance { lock: None, listener: None })
        }
    }
}

fn try_claim(dir: &Path) -> std::io::Result<Option<Instance>> {
    std::fs::create_dir_all(dir)?;
    let lock = OpenOptions::new().create(true).truncate(false).write(true).open(dir.join(LOCK_FILE))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
        Err(std::fs::TryLockError::Error(error)) => return Err(error),
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    std::fs::write(port_file(dir), listener.local_addr()?.port().to_string())?;
    Ok(Some(Instance { lock: Some(lock), listener: Some(listener) }))
}

fn port_file(dir: &Path) -> PathBuf {
    dir.join(PORT_FILE)
}

fn ask_to_focus(dir: &Path) -> std::io::Result<()> {
    let port: u16 = std::fs::read_to_string(port_file(dir))?
        .trim()
        .parse()
        .map_err(|_| std::io::Error::other("app.port does not hold a port number"))?;
    let mut stream = TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_secs(2))?;
    stream.write_all(FOCUS_REQUEST)
}

impl Instance {
    /// Brings the main window to the front whenever a second app asks; the lock lives as long
    /// as this thread, that is as long as the app.
    pub fn serve(self, app: AppHandle) {
        let Instance { lock, listener: Some(listener) } = self else {
            return;
        };
        std::thread::spawn(move || {
            let _held = lock;
            for stream in listener.incoming().flatten() {
                if is_focus_request(stream) {
                    bring_to_front(&app);
                }
            }
        });
    }
}

fn is_focus_request(mut stream: TcpStream) -> bool {
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

    #[test]
    fn a_second_claim_on_the_same_directory_hands_over_and_a_released_one_is_free_again() {
        let dir = std::env::temp_dir().join(format!("relais-single-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = try_claim(&dir).expect("claim").expect("the first claim gets the lock");
        assert!(try_claim(&dir).expect("claim").is_none(), "a second claim must not get the lock");

        // The second app's request reaches the first one's listener.
        ask_to_focus(&dir).expect("the request is sent");
        let (stream, _) = first.listener.as_ref().expect("a listener").accept().expect("the first app is asked");
        assert!(is_focus_request(stream));

        drop(first);
        assert!(try_claim(&dir).expect("claim").is_some(), "the lock dies with the app");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
