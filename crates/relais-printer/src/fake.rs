//! A fake ESC/POS network printer for tests: it listens on 127.0.0.1, records every
//! connection's bytes, answers the real-time status requests (`DLE EOT n`, wherever they
//! occur in the stream, as a printer does) with the status it was given, or stays silent,
//! and decodes what it received as a printer would ([`decode`]): text by the selected code
//! page, bold, sizes, cuts, drawer pulses (five bytes: a shorter one eats what follows, as
//! on a real printer), QR codes.

use crate::codepage::CodePage;
use crate::escpos::{DLE, EOT, ESC, GS, LF};
use crate::status::Status;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

/// What the fake printer does when asked its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Status(Status),
    /// Never answers (a printer that hangs, or a port that is not a printer's).
    Silent,
}

/// One thing the printer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `ESC @`: modes reset, code page back to PC437.
    Init,
    CodePage(u8),
    /// Text as printed with the selected code page, line feeds included.
    Text(String),
    Bold(bool),
    Align(u8),
    Size {
        width: u8,
        height: u8,
    },
    Feed(u8),
    Cut {
        partial: bool,
    },
    Pulse {
        pin: u8,
        on_ms: u32,
        off_ms: u32,
    },
    /// A QR code printed (`GS ( k` fn 81), with the data stored before it (fn 80).
    Qr(String),
    StatusRequest(u8),
    Unknown(Vec<u8>),
}

/// A printed line, as wide as it came out on paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Columns used: each character counts its width multiple (`GS !`).
    pub columns: usize,
    pub bold: bool,
}

#[derive(Default)]
struct Shared {
    /// Each connection's bytes, and whether it has ended.
    connections: Mutex<Vec<(Vec<u8>, bool)>>,
    /// When each drawer pulse (`ESC p`) arrived, by the wall clock (the bench compares it
    /// with times taken in the app's page).
    pulses: Mutex<Vec<SystemTime>>,
    stop: AtomicBool,
}

pub struct FakePrinter {
    address: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl FakePrinter {
    /// Listens on 127.0.0.1 (a free port) until stopped or dropped.
    pub fn start(answer: Answer) -> std::io::Result<FakePrinter> {
        FakePrinter::start_at(SocketAddr::from(([127, 0, 0, 1], 0)), answer)
    }

    /// Listens on `address`: a printer switched back on at the address it had.
    pub fn start_at(address: SocketAddr, answer: Answer) -> std::io::Result<FakePrinter> {
        let listener = TcpListener::bind(address)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let thread = {
            let shared = shared.clone();
            std::thread::spawn(move || accept(listener, shared, answer))
        };
        Ok(FakePrinter {
            address,
            shared,
            thread: Some(thread),
        })
    }

    /// `tcp://127.0.0.1:PORT`
    pub fn uri(&self) -> String {
        format!("tcp://{}", self.address)
    }

    /// The bytes of the first `count` connections once they have ended (waits up to 5 s).
    pub fn received(&self, count: usize) -> Vec<Vec<u8>> {
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            {
                let connections = self.shared.connections.lock().expect("lock");
                let ended = connections.iter().filter(|(_, ended)| *ended).count();
                if ended >= count || Instant::now() > until {
                    return connections.iter().map(|(b, _)| b.clone()).collect();
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// What the printer did over its first `count` connections.
    pub fn events(&self, count: usize) -> Vec<Event> {
        self.received(count)
            .iter()
            .flat_map(|b| decode(b))
            .collect()
    }

    /// When each drawer pulse arrived, in order, by the wall clock.
    pub fn pulse_times(&self) -> Vec<SystemTime> {
        self.shared.pulses.lock().expect("lock").clone()
    }

    /// Stops listening and waits for every connection's thread.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for FakePrinter {
    fn drop(&mut self) {
        self.halt();
    }
}

fn accept(listener: TcpListener, shared: Arc<Shared>, answer: Answer) {
    let mut threads = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = shared.clone();
                let index = {
                    let mut connections = shared.connections.lock().expect("lock");
                    connections.push((Vec::new(), false));
                    connections.len() - 1
                };
                threads.push(std::thread::spawn(move || {
                    serve(stream, &shared, index, answer)
                }));
            }
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => break,
        }
    }
    for thread in threads {
        let _ = thread.join();
    }
}

/// Records one connection, answering `DLE EOT n` as the bytes arrive.
fn serve(mut stream: TcpStream, shared: &Shared, index: usize, answer: Answer) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(20)));
    let mut buffer = [0u8; 4096];
    let mut seen = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        let read = match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => break,
        };
        let arrived = SystemTime::now();
        let start = seen.len();
        seen.extend_from_slice(&buffer[..read]);
        shared.connections.lock().expect("lock")[index].0 = seen.clone();
        let pulses = seen
            .windows(2)
            .enumerate()
            .filter(|(at, pair)| *pair == [ESC, b'p'] && at + 2 > start)
            .count();
        shared
            .pulses
            .lock()
            .expect("lock")
            .extend(std::iter::repeat_n(arrived, pulses));
        // A request split across two reads is still seen: look back two bytes.
        for at in start.saturating_sub(2)..seen.len() {
            if let ([DLE, EOT, n], Answer::Status(status)) =
                (&seen[at..(at + 3).min(seen.len())], answer)
            {
                if (1..=4).contains(n) && at + 3 > start {
                    let byte = match n {
                        1 => status.answer()[0],
                        2 => status.answer()[1],
                        4 => status.answer()[2],
                        _ => crate::status::FIXED_BITS,
                    };
                    let _ = stream.write_all(&[byte]);
                }
            }
        }
    }
    shared.connections.lock().expect("lock")[index].1 = true;
}

/// `bytes` as a printer executes them.
pub fn decode(bytes: &[u8]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut page: Option<CodePage> = None;
    let mut text = Vec::new();
    let mut qr = String::new();
    let mut i = 0;
    let flush = |text: &mut Vec<u8>, events: &mut Vec<Event>, page: Option<CodePage>| {
        if text.is_empty() {
            return;
        }
        let printed = match page {
            Some(page) => page.decode(text),
            // PC437 or a page we do not know: only ASCII is certain.
            None => text
                .iter()
                .map(|&b| if b < 0x80 { char::from(b) } else { '\u{FFFD}' })
                .collect(),
        };
        events.push(Event::Text(printed));
        text.clear();
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b == LF || (b >= 0x20 && b != 0x7F) {
            text.push(b);
            i += 1;
            continue;
        }
        flush(&mut text, &mut events, page);
        let arg = |k: usize| bytes.get(i + k).copied();
        let (event, used) = match (b, arg(1)) {
            (ESC, Some(b'@')) => {
                page = None;
                (Some(Event::Init), 2)
            }
            (ESC, Some(b't')) => {
                let n = arg(2).unwrap_or(0);
                page = CodePage::from_number(n);
                (Some(Event::CodePage(n)), 3)
            }
            (ESC, Some(b'E')) => (Some(Event::Bold(arg(2).unwrap_or(0) & 1 == 1)), 3),
            (ESC, Some(b'a')) => (Some(Event::Align(arg(2).unwrap_or(0) % 48)), 3),
            (ESC, Some(b'd')) => (Some(Event::Feed(arg(2).unwrap_or(0))), 3),
            (ESC, Some(b'p')) => {
                let pin = if arg(2).unwrap_or(0) & 1 == 0 { 2 } else { 5 };
                let on_ms = u32::from(arg(3).unwrap_or(0)) * 2;
                let off_ms = u32::from(arg(4).unwrap_or(0)) * 2;
                (Some(Event::Pulse { pin, on_ms, off_ms }), 5)
            }
            (GS, Some(b'!')) => {
                let n = arg(2).unwrap_or(0);
                let (width, height) = ((n >> 4) + 1, (n & 0x0F) + 1);
                (Some(Event::Size { width, height }), 3)
            }
            (GS, Some(b'V')) => match arg(2) {
                Some(m @ (0 | 1 | 48 | 49)) => (
                    Some(Event::Cut {
                        partial: m & 1 == 1,
                    }),
                    3,
                ),
                Some(m @ (65 | 66)) => (Some(Event::Cut { partial: m == 66 }), 4),
                _ => (
                    Some(Event::Unknown(
                        bytes[i..i + 3.min(bytes.len() - i)].to_vec(),
                    )),
                    3,
                ),
            },
            (GS, Some(b'(')) if arg(2) == Some(b'k') => {
                let len = usize::from(arg(3).unwrap_or(0)) + 256 * usize::from(arg(4).unwrap_or(0));
                let body = &bytes[(i + 5).min(bytes.len())..(i + 5 + len).min(bytes.len())];
                let event = match body {
                    [49, 80, 48, data @ ..] => {
                        qr = String::from_utf8_lossy(data).into_owned();
                        None
                    }
                    [49, 81, 48] => Some(Event::Qr(qr.clone())),
                    [49, 65 | 67 | 69, ..] => None,
                    _ => Some(Event::Unknown(bytes[i..i + 5 + body.len()].to_vec())),
                };
                (event, 5 + len)
            }
            (DLE, Some(EOT)) => (Some(Event::StatusRequest(arg(2).unwrap_or(0))), 3),
            _ => (Some(Event::Unknown(vec![b])), 1),
        };
        events.extend(event);
        i += used;
    }
    flush(&mut text, &mut events, page);
    events
}

/// The printed lines, with the columns each used and whether any of it was bold.
pub fn lines(events: &[Event]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current = Line {
        text: String::new(),
        columns: 0,
        bold: false,
    };
    let (mut bold, mut width) = (false, 1usize);
    for event in events {
        match event {
            Event::Text(text) => {
                for c in text.chars() {
                    if c == '\n' {
                        lines.push(std::mem::replace(
                            &mut current,
                            Line {
                                text: String::new(),
                                columns: 0,
                                bold: false,
                            },
                        ));
                    } else {
                        current.text.push(c);
                        current.columns += width;
                        current.bold |= bold;
                    }
                }
            }
            Event::Bold(on) => bold = *on,
            Event::Size { width: w, .. } => width = usize::from(*w),
            Event::Init => (bold, width) = (false, 1),
            _ => {}
        }
    }
    if !current.text.is_empty() {
        lines.push(current);
    }
    lines
}

/// Every text printed, joined.
pub fn text(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}
