//! The optional check of the usual software's status page: the one network use Relais ever
//! makes, off until a manager gives an address. A background thread asks the page every few
//! minutes, or at once when the address changes or a manager asks; when the page answers
//! again, the screens say the service is back and lead the manager to the export.

use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How often the page is asked: often enough to notice within minutes, rarely enough that a
/// shop's connection never notices.
const EVERY: Duration = Duration::from_secs(180);
/// A page that takes longer is as good as down.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What the last check found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SaasCheck {
    /// The address checked; `None`: the check is off.
    pub url: Option<String>,
    /// UTC instant of the last check, `None` before the first one.
    pub checked_at: Option<String>,
    /// Whether the page answered with a success (HTTP 2xx) at the last check.
    pub answered: Option<bool>,
    /// The HTTP status, or why there was none (in English: it is technical).
    pub detail: String,
    /// Whether an outage is recorded and not yet ended (filled in by the command).
    pub outage_open: bool,
}

#[derive(Default)]
pub struct SaasWatch {
    last: Mutex<SaasCheck>,
    /// Set to ask for a check now; the thread waits on `wake` for it.
    asked: Mutex<bool>,
    wake: Condvar,
}

impl SaasWatch {
    /// Starts the checking thread for the till in `dir`. It reads the address with its own
    /// connection each time, so the till's store is never locked for it.
    pub fn start(dir: PathBuf) -> Arc<SaasWatch> {
        let watch = Arc::new(SaasWatch::default());
        let worker = watch.clone();
        std::thread::spawn(move || loop {
            let url = relais_store::Store::open(&dir)
                .and_then(|store| store.saas_status_url())
                .ok()
                .flatten();
            let found = match url {
                None => SaasCheck::default(),
                Some(url) => check(url),
            };
            *worker.last.lock().unwrap_or_else(|p| p.into_inner()) = found;
            worker.wait();
        });
        watch
    }

    pub fn last(&self) -> SaasCheck {
        self.last.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Asks for a check now (the address changed, or a manager pressed "check now").
    pub fn check_now(&self) {
        *self.asked.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
    }

    fn wait(&self) {
        let asked = self.asked.lock().unwrap_or_else(|p| p.into_inner());
        let (mut asked, _) = self
            .wake
            .wait_timeout_while(asked, EVERY, |asked| !*asked)
            .unwrap_or_else(|p| p.into_inner());
        *asked = false;
    }
}

fn check(url: String) -> SaasCheck {
    let outcome = tauri::async_runtime::block_on(async {
        let client = reqwest::Client::builder().timeout(TIMEOUT).build()?;
        client
            .get(&url)
            .send()
            .await
            .map(|response| response.status())
    });
    let (answered, detail) = match outcome {
        Ok(status) => (status.is_success(), format!("HTTP {}", status.as_u16())),
        Err(error) if error.is_timeout() => {
            (false, format!("no answer within {} s", TIMEOUT.as_secs()))
        }
        Err(error) if error.is_connect() => (false, "cannot connect".into()),
        Err(error) => (false, error.to_string()),
    };
    SaasCheck {
        url: Some(url),
        checked_at: Some(relais_core::time::format_instant(chrono::Utc::now())),
        answered: Some(answered),
        detail,
        outage_open: false,
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A status page on loopback that answers every request with `status`.
    fn page(status: &'static str) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                );
            }
        });
        format!("http://{address}/status")
    }

    /// An address where nothing listens.
    fn nobody() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        format!("http://{address}/status")
    }

    #[test]
    fn only_a_success_counts_as_the_service_being_back() {
        let cases = [
            (page("200 OK"), true, "HTTP 200"),
            (page("204 No Content"), true, "HTTP 204"),
            (page("503 Service Unavailable"), false, "HTTP 503"),
            (page("404 Not Found"), false, "HTTP 404"),
            (nobody(), false, "cannot connect"),
        ];
        for (url, answered, detail) in cases {
            let found = check(url.clone());
            assert_eq!(found.url.as_deref(), Some(url.as_str()));
            assert_eq!(
                (found.answered, found.detail.as_str()),
                (Some(answered), detail),
                "{url}"
            );
            assert!(found.checked_at.is_some());
        }
    }
}
