//! Just enough of the W3C WebDriver protocol to drive the app window through tauri-driver:
//! plain HTTP/1.1 over a local `TcpStream` and JSON, no client library (the bench stays free
//! of an async runtime and of the Tauri stack).

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// One WebDriver session (one app window).
pub struct Session {
    port: u16,
    id: String,
}

/// One HTTP request to the driver; the JSON `value` of its answer, or the driver's error.
fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect :{port}: {e}"))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{method} {path}: no HTTP header in the answer"))?;
    let header = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let mut payload = raw[split + 4..].to_vec();
    if header.contains("transfer-encoding: chunked") {
        payload = dechunk(&payload);
    }
    let answer: Value = serde_json::from_slice(&payload).map_err(|e| {
        format!(
            "{method} {path}: {e}: {}",
            String::from_utf8_lossy(&payload)
        )
    })?;
    let value = answer.get("value").cloned().unwrap_or(Value::Null);
    let status_ok = header.starts_with("http/1.1 200") || header.starts_with("http/1.0 200");
    if status_ok {
        Ok(value)
    } else {
        Err(format!("{method} {path}: {value}"))
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        let stop = (start + size).min(data.len());
        out.extend_from_slice(&data[start..stop]);
        data = &data[(stop + 2).min(data.len())..];
    }
    out
}

/// tauri-driver answers at once but forwards to the WebKitWebDriver it has just spawned, which
/// may not listen yet (the forwarded request then dies without an answer). Asking for /status
/// until it answers keeps that wait out of the app's measured start.
fn wait_for_native_driver(port: u16) -> Result<(), String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match request(port, "GET", "/status", None) {
            Ok(_) => return Ok(()),
            Err(e) if std::time::Instant::now() > deadline => {
                return Err(format!("the driver never got ready: {e}"))
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
        }
    }
}

impl Session {
    /// Asks the driver for a window of `application` (tauri-driver starts it).
    pub fn start(port: u16, application: &str) -> Result<Session, String> {
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": { "application": application }
                }
            }
        });
        wait_for_native_driver(port)?;
        let value = request(port, "POST", "/session", Some(&capabilities))?;
        let id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("no sessionId in {value}"))?
            .to_string();
        Ok(Session { port, id })
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        request(
            self.port,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
    }

    /// The id of the first element matching `css`, or an error if none is there now.
    pub fn find(&self, css: &str) -> Result<String, String> {
        let found = self.call(
            "POST",
            "/element",
            Some(&json!({"using": "css selector", "value": css})),
        )?;
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("odd element reference {found}"))
    }

    /// Polls every 10 ms until `css` is in the page.
    pub fn wait_for(&self, css: &str, within: Duration) -> Result<String, String> {
        let deadline = Instant::now() + within;
        loop {
            match self.find(css) {
                Ok(element) => return Ok(element),
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("{css} not there within {within:?}: {e}"))
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    pub fn click(&self, element: &str) -> Result<(), String> {
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(&json!({})),
        )
        .map(drop)
    }

    pub fn type_into(&self, element: &str, text: &str) -> Result<(), String> {
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(&json!({ "text": text })),
        )
        .map(drop)
    }

    /// Runs an asynchronous script in the page (its last argument is the callback).
    pub fn execute_async(&self, script: &str, args: Value) -> Result<Value, String> {
        self.call(
            "POST",
            "/execute/async",
            Some(&json!({ "script": script, "args": args })),
        )
    }

    pub fn set_script_timeout(&self, timeout: Duration) -> Result<(), String> {
        self.call(
            "POST",
            "/timeouts",
            Some(&json!({ "script": timeout.as_millis() as u64 })),
        )
        .map(drop)
    }

    /// Closes the window (the driver stops the app).
    pub fn end(self) -> Result<(), String> {
        self.call("DELETE", "", None).map(drop)
    }
}
