//! `cargo xtask dist --windows`: the CLI and the desktop app cross-built for Windows (see
//! `windows`), their PE headers checked, then a portable zip (for a USB stick) and an installer
//! made with Debian's `makensis` from `src-tauri/windows/relais.nsi`. The app's window cannot
//! be run here (Wine has no WebView2); its `relais.exe` and the installer are run under Wine.

use crate::process::{Cmd, TaskError};
use crate::steps::Steps;
use crate::windows::{self, io_error, WinePrefix};
use crate::{deps, pe, ui};
use std::path::{Path, PathBuf};

/// What packaging adds to the cross build: NSIS, zip, and unzip to check the zip.
const PACKAGING: &[&str] = &["nsis", "zip", "unzip"];

/// The portable folder's files, as the zip and the installer carry them.
const PORTABLE: [&str; 4] = [
    "relais-app.exe",
    "relais.exe",
    "WebView2Loader.dll",
    "LISEZMOI.txt",
];

pub fn dist(steps: &mut Steps, root: &Path) -> Result<(), TaskError> {
    let packages = [windows::CROSS_PACKAGES, PACKAGING].concat();
    steps.run("system packages", || deps::ensure_apt(&packages))?;
    steps.run("npm ci", || ui::ensure_node_modules(root))?;
    steps.run("ui build", || ui::npm(root, "build"))?;
    // One build for both, so they share one feature set; custom-protocol embeds ui/dist
    // (without it the app would look for a dev server).
    let build = windows::cross_cargo(root, &["relais-cli", "relais-app"])
        .args(["--features", "tauri/custom-protocol"]);
    steps.run("cross build relais.exe, relais-app.exe", || build.run())?;
    let release = windows::windows_release_dir(root);
    steps.run("PE headers", || check_headers(&release))?;
    let out = windows::windows_target_dir(root).join("dist");
    let stage = steps.run("portable folder", || stage(root, &release, &out))?;
    let version = env!("CARGO_PKG_VERSION");
    let zip = out.join(format!("Relais-{version}-windows-x64.zip"));
    steps.run("zip", || make_zip(&stage, &zip))?;
    let installer = out.join(format!("Relais-{version}-installation.exe"));
    steps.run("makensis", || make_installer(root, &stage, &installer))?;
    steps.run("installer and zip under Wine", || {
        check_under_wine(root, &zip, &installer)
    })?;
    println!(
        "\nready to copy on a USB stick:\n  {}\n  {}",
        zip.display(),
        installer.display()
    );
    Ok(())
}

/// Each program's machine, subsystem and resources (the app's icon shows in Explorer and
/// the taskbar only when the resource is there).
fn check_headers(release: &Path) -> Result<(), TaskError> {
    let cases = [
        ("relais.exe", pe::SUBSYSTEM_CONSOLE, &[][..]),
        (
            "relais-app.exe",
            pe::SUBSYSTEM_GUI,
            &[pe::RT_ICON, pe::RT_GROUP_ICON, pe::RT_MANIFEST][..],
        ),
    ];
    for (name, subsystem, resources) in cases {
        let facts = pe::read(&release.join(name)).map_err(TaskError::Setup)?;
        println!("{name}: {facts:?}");
        let missing: Vec<&u32> = resources
            .iter()
            .filter(|kind| !facts.resource_types.contains(kind))
            .collect();
        if facts.machine != pe::MACHINE_X86_64
            || !facts.pe32_plus
            || facts.subsystem != subsystem
            || !missing.is_empty()
        {
            return Err(TaskError::Setup(format!(
                "{name}: expected x86-64 PE32+, subsystem {subsystem}, resources {resources:?}; \
                 found {facts:?}"
            )));
        }
    }
    Ok(())
}

/// `target/windows/dist/Relais/`: the programs, the loader DLL and the French README (UTF-8
/// with a BOM and CRLF line ends, as Notepad reads it best).
fn stage(root: &Path, release: &Path, out: &Path) -> Result<PathBuf, TaskError> {
    let stage = out.join("Relais");
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| io_error("empty", out, e))?;
    }
    std::fs::create_dir_all(&stage).map_err(|e| io_error("create", &stage, e))?;
    // The README is written below, converted.
    for name in &PORTABLE[..3] {
        let from = release.join(name);
        std::fs::copy(&from, stage.join(name)).map_err(|e| io_error("copy", &from, e))?;
    }
    let readme = root.join("src-tauri/windows/LISEZMOI.txt");
    let text = std::fs::read_to_string(&readme).map_err(|e| io_error("read", &readme, e))?;
    let windows_text = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let into = stage.join("LISEZMOI.txt");
    std::fs::write(&into, windows_text).map_err(|e| io_error("write", &into, e))?;
    Ok(stage)
}

fn make_zip(stage: &Path, zip: &Path) -> Result<(), TaskError> {
    let parent = stage.parent().expect("the stage is in the dist folder");
    // -X: no Unix extra fields, so the zip holds the same bytes whoever builds it.
    Cmd::new("zip")
        .args(["-r", "-X", "-q"])
        .args([zip.as_os_str(), std::ffi::OsStr::new("Relais")])
        .current_dir(parent)
        .run()
}

fn make_installer(root: &Path, stage: &Path, installer: &Path) -> Result<(), TaskError> {
    let define = |name: &str, value: &Path| format!("-D{name}={}", value.display());
    Cmd::new("makensis")
        .args(["-V2", "-INPUTCHARSET", "UTF8"])
        .args([format!("-DVERSION={}", env!("CARGO_PKG_VERSION"))])
        .args([
            define("STAGE", stage),
            define("ICON", &root.join("src-tauri/icons/icon.ico")),
            define("OUTFILE", installer),
        ])
        .args([root.join("src-tauri/windows/relais.nsi")])
        .run()?;
    let facts = pe::read(installer).map_err(TaskError::Setup)?;
    if facts.subsystem != pe::SUBSYSTEM_GUI || !facts.resource_types.contains(&pe::RT_ICON) {
        return Err(TaskError::Setup(format!(
            "the installer is not a GUI program with an icon: {facts:?}"
        )));
    }
    Ok(())
}

/// The installer run silently in a fresh Wine prefix: the files in Program Files, the
/// Start-menu entry, `relais` on the machine's PATH (run by its bare name), the uninstaller
/// removing them again; and the zip's `relais.exe` run from the unpacked stick.
fn check_under_wine(root: &Path, zip: &Path, installer: &Path) -> Result<(), TaskError> {
    let wine = WinePrefix::create(root)?;
    let unzipped = wine.usb.clone();
    Cmd::new("unzip")
        .args(["-q"])
        .args([
            zip.as_os_str(),
            std::ffi::OsStr::new("-d"),
            unzipped.as_os_str(),
        ])
        .run()?;
    for name in PORTABLE {
        let file = unzipped.join("Relais").join(name);
        if !file.is_file() {
            return Err(TaskError::Setup(format!("the zip has no Relais/{name}")));
        }
    }
    let version = wine
        .command(r"E:\Relais\relais.exe")
        .args(["--version"])
        .stdout()?;
    println!("relais.exe from the zip: {}", version.trim());

    let copied = wine.drive_c("setup.exe");
    std::fs::copy(installer, &copied).map_err(|e| io_error("copy to", &copied, e))?;
    wine.command(r"C:\setup.exe").args(["/S"]).run()?;
    let installed = wine.drive_c("Program Files/Relais");
    let shortcut = wine.drive_c("ProgramData/Microsoft/Windows/Start Menu/Programs/Relais.lnk");
    let expected = PORTABLE
        .iter()
        .map(|name| installed.join(name))
        .chain([installed.join("desinstaller-relais.exe"), shortcut.clone()]);
    for file in expected {
        if !file.is_file() {
            return Err(TaskError::Setup(format!(
                "the installer left no {}",
                file.display()
            )));
        }
    }
    // A new process sees the machine's PATH: `relais` by its bare name.
    let on_path = wine
        .command("cmd")
        .args(["/c", "relais", "--version"])
        .stdout()?;
    if !on_path.contains("relais ") {
        return Err(TaskError::Setup(format!(
            "`relais --version` through PATH said {on_path:?}"
        )));
    }
    // NSIS's uninstaller copies itself to a temporary folder and goes on from there, after
    // the process started here has returned: wait for it (it takes a second or two).
    wine.command(r"C:\Program Files\Relais\desinstaller-relais.exe")
        .args(["/S"])
        .run()?;
    let remaining = || -> Vec<PathBuf> {
        [installed.join("relais.exe"), shortcut.clone()]
            .into_iter()
            .filter(|file| file.exists())
            .collect()
    };
    let give_up = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !remaining().is_empty() && std::time::Instant::now() < give_up {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let left = remaining();
    if left.is_empty() {
        wine.discard()
    } else {
        Err(TaskError::Setup(format!("the uninstaller left {left:?}")))
    }
}
