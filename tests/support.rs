//! Helpers shared by the end-to-end tests: where the binaries are, throw-away data
//! directories, running the CLI, and a tauri-driver per app test.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives one level below the workspace root")
        .to_path_buf()
}

pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

/// A binary from `env_var` (set by `cargo xtask test`), else `target/debug/<name>`.
fn binary(env_var: &str, name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os(env_var)
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug").join(name));
    assert!(
        path.is_file(),
        "{} not found: build it with `cargo build -p {package}` or set {env_var}",
        path.display()
    );
    path
}

/// The `relais` command-line program.
pub fn relais_bin() -> PathBuf {
    binary("RELAIS_BIN", "relais", "relais-cli")
}

/// The desktop app.
pub fn app_bin() -> PathBuf {
    binary("RELAIS_APP_BIN", "relais-app", "relais-app")
}

/// A fresh, empty data directory, deleted when dropped.
pub struct DataDir(tempfile::TempDir);

impl DataDir {
    pub fn new() -> DataDir {
        DataDir(tempfile::tempdir().expect("cannot create a temporary data directory"))
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

/// Longer than any command of the tests takes on a loaded machine: past it, the command
/// hangs, and the test fails naming it instead of hanging the whole run.
const COMMAND_WITHIN: Duration = Duration::from_secs(180);

/// Runs `relais ARGS` on `data`, with `stdin` as its standard input, and returns what it did.
pub fn relais(data: &DataDir, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(relais_bin())
        .args(args)
        .env("RELAIS_DATA_DIR", data.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start relais");
    // Written from another thread while this one reads the output: with a large input and a
    // chatty command, writing everything first would fill both pipes and deadlock.
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_owned();
    let writer = std::thread::spawn(move || match pipe.write_all(input.as_bytes()) {
        // The program may exit without reading all its input (an error, a command that reads
        // none): its exit status and output tell what happened, not this write.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    });
    let stdout = read_all(child.stdout.take().expect("stdout is piped"));
    let stderr = read_all(child.stderr.take().expect("stderr is piped"));
    let Some(status) = wait_within(&mut child, COMMAND_WITHIN) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "relais {} did not end within {COMMAND_WITHIN:?}:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&stderr.join().unwrap_or_default())
        )
    };
    writer
        .join()
        .expect("the stdin writer panicked")
        .expect("cannot write to relais's standard input");
    Output {
        status,
        stdout: stdout.join().expect("the stdout reader panicked"),
        stderr: stderr.join().expect("the stderr reader panicked"),
    }
}

fn read_all(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// The child's exit status, or None if it is still running after `within`.
pub fn wait_within(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("cannot wait for a child process") {
            return Some(status);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Like [`relais`], but the command must succeed; returns its standard output.
pub fn relais_ok(data: &DataDir, args: &[&str], stdin: &str) -> String {
    let output = relais(data, args, stdin);
    assert!(
        output.status.success(),
        "relais {} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs SQL on a database with the sqlite3 tool, as someone tampering with the file would.
pub fn sqlite3(db: &Path, sql: &str) {
    let output = Command::new("sqlite3").arg(db).arg(sql).output().expect(
        "the sqlite3 tool is needed (Debian package sqlite3; cargo xtask test installs it)",
    );
    assert!(
        output.status.success(),
        "sqlite3 {sql}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Sends SIGTERM to every app process running on `data` (found by its binary and its
/// RELAIS_DATA_DIR), as a session's logout or shutdown does.
pub fn terminate_apps_on(data: &DataDir) {
    let app = app_bin().canonicalize().unwrap_or_else(|_| app_bin());
    let wanted = format!("RELAIS_DATA_DIR={}", data.path().display()).into_bytes();
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return;
    };
    for process in processes.flatten() {
        let Some(pid) = process
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        let runs_app = std::fs::read_link(process.path().join("exe")).is_ok_and(|exe| exe == app);
        let on_data = std::fs::read(process.path().join("environ")).is_ok_and(|environ| {
            environ
                .split(|&b| b == 0)
                .any(|entry| entry == wanted.as_slice())
        });
        if runs_app && on_data {
            eprintln!("the app (pid {pid}) outlived its WebDriver session: terminated");
            // SAFETY: kill(2) on a pid just read from /proc; at worst it has ended meanwhile.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
    }
}

/// One app window at a time: WebKitWebDriver, Xvfb and the CPU are shared. An async lock,
/// held for a whole test across its awaits; unlike a std Mutex, a failed test does not
/// poison it for the next one.
pub async fn app_lock() -> tokio::sync::MutexGuard<'static, ()> {
    static APP: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    APP.lock().await
}

/// A tauri-driver listening on free ports; the app it starts inherits its environment, so
/// the data directory is passed as RELAIS_DATA_DIR. Stopped with SIGTERM when dropped.
pub struct TauriDriver {
    child: Child,
    port: u16,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl TauriDriver {
    /// The app it starts also gets `env`.
    pub fn start(data: &DataDir, env: &[(&str, &str)]) -> TauriDriver {
        let [port, native_port] = free_ports();
        let log_dir = tempfile::tempdir().expect("cannot create a directory for the driver's log");
        let log = log_dir.path().join("tauri-driver.log");
        let log_file = std::fs::File::create(&log).expect("cannot create the driver's log");
        let child = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("RELAIS_DATA_DIR", data.path())
            .envs(env.iter().copied())
            .stdout(log_file.try_clone().expect("cannot share the log file"))
            .stderr(log_file)
            .spawn()
            .expect("cannot start tauri-driver");
        let mut driver = TauriDriver {
            child,
            port,
            log,
            _log_dir: log_dir,
        };
        driver.wait_until_listening();
        driver
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops tauri-driver (and with it WebKitWebDriver); its log stays readable.
    pub fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // SIGTERM, not Child::kill's SIGKILL: tauri-driver then stops WebKitWebDriver, which
        // would otherwise be left running and holding its port.
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a pid we spawned and still own (not yet waited for).
        unsafe { libc::kill(pid, libc::SIGTERM) };
        if wait_within(&mut self.child, Duration::from_secs(10)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// What tauri-driver, WebKitWebDriver and the app wrote, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "tauri-driver exited at start-up ({status}):\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "tauri-driver did not listen on port {} within 20 s:\n{}",
            self.port,
            self.log()
        );
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// tauri-driver from TAURI_DRIVER (set by `cargo xtask test`), PATH or ~/.cargo/bin.
fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let in_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("tauri-driver"))
            .find(|candidate| candidate.is_file())
    });
    let in_cargo_home = || {
        let home = std::env::var_os("HOME").map(PathBuf::from)?;
        Some(home.join(".cargo/bin/tauri-driver")).filter(|path| path.is_file())
    };
    in_path.or_else(in_cargo_home).expect(
        "tauri-driver not found: `cargo install tauri-driver --locked --version 2.1.0` \
         (cargo xtask test does it)",
    )
}

/// Two distinct ports nobody listens on right now (the OS picks them; both listeners are
/// held until both are known so the OS cannot hand out the same one twice).
fn free_ports() -> [u16; 2] {
    let bind = || TcpListener::bind(("127.0.0.1", 0)).expect("cannot find a free port");
    let listeners = [bind(), bind()];
    listeners.map(|listener| {
        listener
            .local_addr()
            .expect("bound socket has an address")
            .port()
    })
}
