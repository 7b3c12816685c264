//! The Windows build, made here with Debian's own Rust: rustup cannot download Windows
//! targets on the build machines, but Debian ships the standard library's source
//! (`rust-web-src`), which `-Zbuild-std` compiles for `x86_64-pc-windows-gnu` with mingw.
//! Only this build uses `/usr/bin/cargo` and `/usr/bin/rustc`, in its own target directory
//! (`target/windows`), so the rustup toolchain's artifacts are never mixed with it.
//! Also the Wine prefix the Windows `relais.exe` is tested in (see `wine_scenario`).

use crate::process::{Cmd, TaskError};
use crate::steps::Steps;
use crate::target_dir;
use crate::wine_scenario::Scenario;
use std::path::{Path, PathBuf};

pub const TARGET: &str = "x86_64-pc-windows-gnu";

/// Debian's Rust 1.96 with its std source, mingw, and Wine 8 to run the result.
pub const CROSS_PACKAGES: &[&str] = &[
    "rustc-web",
    "cargo-web",
    "rust-web-src",
    "gcc-mingw-w64-x86-64",
    "wine64",
];

/// The Debian-built Wine 8 loader (`wine64` on PATH is a wrapper script that may not exist).
const WINE: &str = "/usr/lib/wine/wine64";

/// Wine 8 lacks `ProcessPrng`, which Rust's std calls at start-up for its random seeds: without
/// this stand-in `relais.exe` exits at once with status 53. Windows 10 and 11 have it.
const PRNG_SHIM: &str = r#"#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) { return RtlGenRandom(data, (ULONG)len); }
"#;

/// `target/windows`: the cross build's own target directory.
pub fn windows_target_dir(root: &Path) -> PathBuf {
    target_dir(root).join("windows")
}

/// `/usr/bin/cargo build --release` for Windows of the given packages, extra arguments after.
pub fn cross_cargo(root: &Path, packages: &[&str]) -> Cmd {
    let mut cmd = Cmd::new("/usr/bin/cargo")
        .current_dir(root)
        .env("RUSTC", "/usr/bin/rustc")
        // -Zbuild-std is unstable: Debian's stable compiler accepts it with this switch.
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", windows_target_dir(root))
        // rustup's variables would make a proxied tool pick the host toolchain.
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTDOC")
        .args([
            "build",
            "--release",
            "-Zbuild-std=std,panic_abort",
            "--target",
        ])
        .args([TARGET]);
    for package in packages {
        cmd = cmd.args(["-p", package]);
    }
    cmd
}

/// The folder the Windows release binaries land in.
pub fn windows_release_dir(root: &Path) -> PathBuf {
    windows_target_dir(root).join(TARGET).join("release")
}

/// Builds `relais.exe` and returns its path.
pub fn build_cli(root: &Path) -> Result<PathBuf, TaskError> {
    // Without the shop's LAN (iroh): the scenario does not use it, and iroh's cross build
    // would add minutes to every CI run. `cargo xtask dist --windows` builds it with.
    cross_cargo(root, &["relais-cli"])
        .args(["--no-default-features"])
        .run()?;
    let exe = windows_release_dir(root).join("relais.exe");
    if exe.is_file() {
        Ok(exe)
    } else {
        Err(TaskError::Setup(format!(
            "the build made no {}",
            exe.display()
        )))
    }
}

/// `cargo xtask test`'s Windows part: `relais.exe` cross-built, then the Wine scenario
/// against the Linux `relais` already built in `target/debug`. The packages are installed by
/// the caller.
pub fn test_cli(steps: &mut Steps, root: &Path) -> Result<(), TaskError> {
    let exe = steps.run("cross build relais.exe", || build_cli(root))?;
    let wine = steps.run("wine prefix", || WinePrefix::create(root))?;
    let scratch = target_dir(root).join("wine/linux");
    let linux_bin = target_dir(root).join("debug/relais");
    let price_list = root.join("tests/corpus/catalog/epicerie-excel-fr.csv");
    let scenario = Scenario {
        wine: &wine,
        windows_exe: &exe,
        linux_bin: &linux_bin,
        price_list: &price_list,
        scratch: &scratch,
    };
    steps.run("wine scenario", || scenario.run())?;
    // 700 MB: kept only when the scenario fails, to look into.
    wine.discard()
}

/// A Wine prefix made fresh for one run (`target/wine/prefix`), with the PRNG shim in its
/// `system32` and an `E:` drive standing for a USB stick (`target/wine/usb`).
pub struct WinePrefix {
    pub prefix: PathBuf,
    pub usb: PathBuf,
}

impl WinePrefix {
    pub fn create(root: &Path) -> Result<WinePrefix, TaskError> {
        let base = target_dir(root).join("wine");
        if base.exists() {
            std::fs::remove_dir_all(&base).map_err(|e| io_error("empty", &base, e))?;
        }
        let prefix = base.join("prefix");
        let usb = base.join("usb");
        for dir in [&prefix, &usb] {
            std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
        }
        let shim_source = base.join("prng-shim.c");
        std::fs::write(&shim_source, PRNG_SHIM).map_err(|e| io_error("write", &shim_source, e))?;
        let shim = base.join("bcryptprimitives.dll");
        Cmd::new("x86_64-w64-mingw32-gcc")
            .args(["-shared", "-o"])
            .args([shim.as_os_str(), shim_source.as_os_str()])
            .args(["-ladvapi32"])
            .run()?;
        let wine = WinePrefix { prefix, usb };
        // The first start builds the prefix (about 10 s): done once, before the scenario.
        wine.command("wineboot").args(["--init"]).run()?;
        let system32 = wine.prefix.join("drive_c/windows/system32");
        let installed = system32.join("bcryptprimitives.dll");
        std::fs::copy(&shim, &installed).map_err(|e| io_error("copy to", &installed, e))?;
        let drive = wine.prefix.join("dosdevices/e:");
        std::os::unix::fs::symlink(&wine.usb, &drive).map_err(|e| io_error("link", &drive, e))?;
        Ok(wine)
    }

    /// Stops Wine and deletes the prefix and the stick.
    pub fn discard(self) -> Result<(), TaskError> {
        let base = self
            .usb
            .parent()
            .expect("the stick is in the base folder")
            .to_path_buf();
        drop(self);
        std::fs::remove_dir_all(&base).map_err(|e| io_error("delete", &base, e))
    }

    /// A Windows program (or Wine tool) run in this prefix, quiet and without a window.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Cmd {
        Cmd::new(WINE)
            .args([program])
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            // No Mono or Gecko installer dialogs: relais needs neither.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
    }

    /// The Unix path of `C:\…` in this prefix (`c_path("Users/Hélène")`).
    pub fn drive_c(&self, windows_relative: &str) -> PathBuf {
        self.prefix.join("drive_c").join(windows_relative)
    }
}

impl Drop for WinePrefix {
    fn drop(&mut self) {
        // wineserver lingers a few seconds after the last program: stop it now.
        let _ = Cmd::new("/usr/lib/wine/wineserver64")
            .args(["-k"])
            .env("WINEPREFIX", &self.prefix)
            .succeeds_quietly();
    }
}

pub fn io_error(action: &str, path: &Path, error: std::io::Error) -> TaskError {
    TaskError::Setup(format!("cannot {action} {}: {error}", path.display()))
}
