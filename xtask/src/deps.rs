//! System set-up: the Debian packages Tauri needs to build and test, and tauri-driver.

use crate::process::{cargo, find_in_path, Cmd, TaskError};
use std::path::{Path, PathBuf};

/// What compiling a Tauri 2 app needs on Debian 12 (`libappindicator3-dev` does not exist
/// there: the ayatana one replaces it).
pub const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "file",
    "curl",
    "xdg-utils",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libxdo-dev",
];

/// What the end-to-end tests add: a virtual screen, WebKit's WebDriver, the sqlite3 tool the
/// CLI tests tamper with the ledger through, openssl, with which they check a closure's
/// signature as an auditor would, and LibreOffice Calc, which opens the bundle's `excel-fr/`
/// files as a French shop would (about 2 s of test time). `xauth` is only recommended by
/// `xvfb`, so it is named.
pub const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "sqlite3",
    "openssl",
    "libreoffice-calc-nogui",
];

const TAURI_DRIVER_VERSION: &str = "2.1.0";

/// Installs the packages that `dpkg` does not report as installed; touches nothing (and
/// needs no network or root) when all are there.
pub fn ensure_apt(packages: &[&str]) -> Result<(), TaskError> {
    if find_in_path("dpkg").is_none() {
        println!(
            "xtask: no dpkg here (not Debian): make sure these are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let mut missing = Vec::new();
    for package in packages {
        if !is_installed(package)? {
            missing.push(*package);
        }
    }
    if missing.is_empty() {
        println!("all {} packages installed", packages.len());
        return Ok(());
    }
    println!("missing packages: {}", missing.join(" "));
    as_root(&["apt-get", "update"])?.run()?;
    let install = ["apt-get", "install", "-y", "--no-install-recommends"];
    as_root(&install)?
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()
}

fn is_installed(package: &str) -> Result<bool, TaskError> {
    // `dpkg -s` also succeeds for removed packages whose configuration files remain: read
    // the status line rather than trusting the exit code.
    let probe = Cmd::new("dpkg").args(["-s", package]);
    Ok(probe
        .stdout()
        .map(|text| {
            text.lines()
                .any(|line| line == "Status: install ok installed")
        })
        .unwrap_or(false))
}

/// `apt-get …` directly when running as root, else through sudo.
fn as_root(command: &[&str]) -> Result<Cmd, TaskError> {
    let uid = Cmd::new("id").args(["-u"]).stdout()?;
    if uid.trim() == "0" {
        Ok(Cmd::new(command[0]).args(&command[1..]))
    } else if find_in_path("sudo").is_some() {
        Ok(Cmd::new("sudo").args(command))
    } else {
        Err(TaskError::Setup(format!(
            "packages are missing and neither root nor sudo is available: run `{}` as root",
            command.join(" ")
        )))
    }
}

/// The path of tauri-driver, installed with cargo when it is neither in PATH nor in
/// ~/.cargo/bin.
pub fn ensure_tauri_driver() -> Result<PathBuf, TaskError> {
    if let Some(found) = find_tauri_driver() {
        println!("using {}", found.display());
        return Ok(found);
    }
    cargo(&std::env::temp_dir())
        .args([
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
        ])
        .run()?;
    find_tauri_driver().ok_or_else(|| {
        TaskError::Setup(
            "tauri-driver was installed but cannot be found in PATH or ~/.cargo/bin".into(),
        )
    })
}

fn find_tauri_driver() -> Option<PathBuf> {
    find_in_path("tauri-driver").or_else(|| {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
        Some(cargo_home.join("bin/tauri-driver")).filter(|path| path.is_file())
    })
}

/// The Python readers the tests read the bundle with, pinned: DuckDB's wheel (`csv/`),
/// fec-parser (the FEC) and `cryptography` (Ed25519, for the auditor's verifier in
/// tests/auditor/), installed under the target folder (never in the system's Python);
/// returns the folder to put in `PYTHONPATH`. Installs Python's pip from Debian first if
/// `python3 -m pip` is missing. The folder's number changes with the wheels, so that a
/// folder of older wheels is never taken for the new one.
pub fn ensure_python_readers(target: &Path) -> Result<PathBuf, TaskError> {
    const WHEELS: [&str; 3] = ["duckdb==2.0.1", "fec-parser==1.0.1", "cryptography==48.0.0"];
    let folder = target.join("python-readers-2");
    let ready = || {
        Cmd::new("python3")
            .args(["-c", "import duckdb, fec_parser, cryptography"])
            .env("PYTHONPATH", &folder)
            .succeeds_quietly()
    };
    if folder.exists() && ready()? {
        println!("using {}", folder.display());
        return Ok(folder);
    }
    let pip = Cmd::new("python3").args(["-m", "pip", "--version"]);
    if !pip.succeeds_quietly().unwrap_or(false) {
        ensure_apt(&["python3", "python3-pip"])?;
    }
    Cmd::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(["--no-warn-script-location", "--upgrade", "--target"])
        .args([folder.as_os_str()])
        .args(WHEELS)
        .env("PIP_ROOT_USER_ACTION", "ignore")
        .run()?;
    match ready()? {
        true => Ok(folder),
        false => Err(TaskError::Setup(format!(
            "{WHEELS:?} were installed in {} but Python cannot import them",
            folder.display()
        ))),
    }
}
