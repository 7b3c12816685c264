//! Where the bytes go: `tcp://HOST:9100`, `file:///dev/usb/lp0`, `serial:///dev/ttyUSB0?baud=9600`
//! (8 data bits, no parity, 1 stop bit, no flow control: the printers' factory setting), and on
//! Windows `spool://NAME` (one raw print job through the spooler, see `spooler.rs`). Every operation runs on a thread of its own against one
//! deadline (2 s by default): connecting, writing and reading each get what is left of it,
//! and the caller gets an answer at the deadline even if the thread is stuck in the kernel
//! (a write to a device file has no timeout of its own). One connection per operation; the
//! bytes go in one write.

use crate::error::PrinterError;
use crate::status::{Status, REQUEST};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a printer has to answer, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// What the caller waits beyond the deadline for the worker's own, more precise error.
const GRACE: Duration = Duration::from_millis(250);

pub use relais_core::printer_uri::{DEFAULT_BAUD, DEFAULT_PORT};
/// A printer's address: parsed in the core, where the store checks the settings with it too.
pub use relais_core::PrinterUri as Uri;

/// A printer at an address, with its deadline.
#[derive(Debug, Clone)]
pub struct Printer {
    uri: Uri,
    timeout: Duration,
}

impl Printer {
    pub fn new(uri: &str) -> Result<Printer, PrinterError> {
        let parsed = Uri::parse(uri).map_err(|reason| PrinterError::BadUri {
            uri: uri.trim().to_string(),
            reason,
        })?;
        Ok(Printer {
            uri: parsed,
            timeout: TIMEOUT,
        })
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Printer {
        self.timeout = timeout;
        self
    }

    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// Sends `bytes` as they are, in one write, asking nothing.
    pub fn send(&self, bytes: &[u8]) -> Result<(), PrinterError> {
        let bytes = bytes.to_vec();
        self.within(move |mut link| link.write(&bytes))
    }

    /// Asks the printer's status (`DLE EOT 1, 2, 4`).
    pub fn status(&self) -> Result<Status, PrinterError> {
        self.within(|mut link| link.status())
    }

    /// Prints `bytes` on a printer able to: over the network, asks its status first on the
    /// same connection and refuses to send to a printer out of paper, with its cover open or
    /// offline (the error says which). A device file or a serial port is written without
    /// asking: a USB printer class device, or a serial cable with no return wire, may never
    /// answer, and the receipt must not wait for it.
    pub fn print(&self, bytes: &[u8]) -> Result<Option<Status>, PrinterError> {
        let bytes = bytes.to_vec();
        self.within(move |mut link| {
            let status = match link.stream {
                Stream::Tcp(_) => Some(link.status()?),
                Stream::File(_) | Stream::Serial(_) => None,
                #[cfg(windows)]
                Stream::Spooler(_) => None,
            };
            if let Some(problem) = status.as_ref().and_then(Status::problem) {
                return Err(problem);
            }
            link.write(&bytes)?;
            Ok(status)
        })
    }

    /// Runs `job` on a connection opened on a thread of its own; answers by the deadline.
    fn within<T: Send + 'static>(
        &self,
        job: impl FnOnce(Link) -> Result<T, PrinterError> + Send + 'static,
    ) -> Result<T, PrinterError> {
        let uri = self.uri.clone();
        let deadline = Instant::now() + self.timeout;
        let timeout = self.timeout;
        let (sender, receiver) = mpsc::channel();
        std::thread::Builder::new()
            .name("relais-printer".into())
            .spawn(move || {
                let result = Link::open(&uri, deadline, timeout).and_then(job);
                let _ = sender.send(result);
            })
            .map_err(|source| PrinterError::Io {
                target: self.uri.to_string(),
                source,
            })?;
        match receiver.recv_timeout(self.timeout + GRACE) {
            Ok(result) => result,
            Err(_) => Err(self.timed_out()),
        }
    }

    fn timed_out(&self) -> PrinterError {
        timeout_error(&self.uri, self.timeout)
    }
}

fn timeout_error(uri: &Uri, timeout: Duration) -> PrinterError {
    PrinterError::Timeout {
        target: uri.to_string(),
        seconds: timeout.as_secs_f64().ceil() as u64,
    }
}

enum Stream {
    Tcp(TcpStream),
    File(std::fs::File),
    Serial(Box<dyn serialport::SerialPort>),
    #[cfg(windows)]
    Spooler(crate::spooler::SpoolPrinter),
}

/// One open connection and what is left of the deadline.
struct Link {
    stream: Stream,
    uri: Uri,
    deadline: Instant,
    timeout: Duration,
}

impl Link {
    fn open(uri: &Uri, deadline: Instant, timeout: Duration) -> Result<Link, PrinterError> {
        let unreachable = |source| PrinterError::Unreachable {
            target: uri.to_string(),
            source,
        };
        let stream = match uri {
            Uri::Tcp { host, port } => {
                let addresses = (host.as_str(), *port)
                    .to_socket_addrs()
                    .map_err(unreachable)?;
                let mut last = io::Error::new(ErrorKind::NotFound, "no address for this host");
                let mut connected = None;
                for address in addresses {
                    let left = left(deadline).ok_or_else(|| timeout_error(uri, timeout))?;
                    match TcpStream::connect_timeout(&address, left) {
                        Ok(stream) => {
                            connected = Some(stream);
                            break;
                        }
                        Err(error) => last = error,
                    }
                }
                match connected {
                    Some(stream) => {
                        let _ = stream.set_nodelay(true);
                        Stream::Tcp(stream)
                    }
                    None if is_timeout(&last) => return Err(timeout_error(uri, timeout)),
                    None => return Err(unreachable(last)),
                }
            }
            Uri::File(path) => std::fs::OpenOptions::new()
                .read(true)
                .append(true)
                .open(path)
                .map(Stream::File)
                .map_err(unreachable)?,
            Uri::Serial { path, baud } => {
                let left = left(deadline).ok_or_else(|| timeout_error(uri, timeout))?;
                serialport::new(path.to_string_lossy(), *baud)
                    .timeout(left)
                    .open()
                    .map(Stream::Serial)
                    .map_err(|error| unreachable(io::Error::from(error)))?
            }
            #[cfg(windows)]
            Uri::Spooler { name } => crate::spooler::SpoolPrinter::open(name)
                .map(Stream::Spooler)
                .map_err(unreachable)?,
            #[cfg(not(windows))]
            Uri::Spooler { .. } => {
                return Err(PrinterError::SpoolerOnlyOnWindows {
                    target: uri.to_string(),
                })
            }
        };
        Ok(Link {
            stream,
            uri: uri.clone(),
            deadline,
            timeout,
        })
    }

    fn fail(&self, error: io::Error) -> PrinterError {
        match is_timeout(&error) {
            true => timeout_error(&self.uri, self.timeout),
            false => PrinterError::Io {
                target: self.uri.to_string(),
                source: error,
            },
        }
    }

    fn left(&self) -> Result<Duration, PrinterError> {
        left(self.deadline).ok_or_else(|| timeout_error(&self.uri, self.timeout))
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        let result = match &mut self.stream {
            Stream::Tcp(stream) => {
                let left = left(self.deadline).unwrap_or(Duration::from_millis(1));
                stream
                    .set_write_timeout(Some(left))
                    .and_then(|()| stream.write_all(bytes))
                    .and_then(|()| stream.flush())
                    .and_then(|()| stream.shutdown(Shutdown::Write))
            }
            Stream::File(file) => file.write_all(bytes).and_then(|()| file.flush()),
            Stream::Serial(port) => {
                let left = left(self.deadline).unwrap_or(Duration::from_millis(1));
                port.set_timeout(left)
                    .map_err(io::Error::from)
                    .and_then(|()| port.write_all(bytes))
                    .and_then(|()| port.flush())
            }
            #[cfg(windows)]
            Stream::Spooler(printer) => printer.write_job(bytes),
        };
        result.map_err(|error| self.fail(error))
    }

    fn status(&mut self) -> Result<Status, PrinterError> {
        let mut answer = [0u8; 3];
        let mut got = 0;
        match &mut self.stream {
            Stream::Tcp(stream) => stream.write_all(&REQUEST),
            Stream::File(file) => file.write_all(&REQUEST),
            Stream::Serial(port) => port.write_all(&REQUEST),
            #[cfg(windows)]
            Stream::Spooler(_) => Err(io::Error::new(
                ErrorKind::Unsupported,
                "the Windows spooler does not pass a printer's status answer",
            )),
        }
        .map_err(|error| self.fail(error))?;
        while got < answer.len() {
            let left = self.left()?;
            let read = match &mut self.stream {
                Stream::Tcp(stream) => stream
                    .set_read_timeout(Some(left))
                    .and_then(|()| stream.read(&mut answer[got..])),
                Stream::File(file) => file.read(&mut answer[got..]),
                Stream::Serial(port) => port
                    .set_timeout(left)
                    .map_err(io::Error::from)
                    .and_then(|()| port.read(&mut answer[got..])),
                #[cfg(windows)]
                Stream::Spooler(_) => unreachable!("no status request went through the spooler"),
            };
            match read {
                Ok(0) => {
                    return Err(self.fail(io::Error::new(
                        ErrorKind::UnexpectedEof,
                        "connection closed before the status answer",
                    )))
                }
                Ok(n) => got += n,
                Err(error) if error.kind() == ErrorKind::Interrupted => {}
                Err(error) => return Err(self.fail(error)),
            }
        }
        Status::parse(&answer).ok_or_else(|| PrinterError::BadStatus {
            target: self.uri.to_string(),
            answer: answer.to_vec(),
        })
    }
}

/// What is left before `deadline`, if anything.
fn left(deadline: Instant) -> Option<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    (left >= Duration::from_millis(1)).then_some(left)
}

fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock)
}
