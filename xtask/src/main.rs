//! `cargo xtask run [--demo] [--data-dir DIR]`, `cargo xtask test`, `bench`, `stress` and
//! `dist`: the whole set-up, build, test and packaging sequences in one command each, with
//! plain `std::process::Command`s (the Tauri CLI only for `dist`, from ui/node_modules).

#[cfg(test)]
mod compliance_refs;
mod deps;
mod dist;
mod dist_windows;
mod e2e;
mod pe;
mod process;
mod steps;
#[cfg(test)]
mod tidy;
mod ui;
mod windows;
mod wine_scenario;

use process::{cargo, Cmd, TaskError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use steps::Steps;

/// Builds the binaries (`relais`, `relais-app`) and every unit and integration test in one
/// go. Not `cargo build -p relais-cli -p relais-app` then `cargo test --workspace`: the test
/// dependencies (tempfile → rustix) turn on features (bitflags/std) that GTK and WebKit
/// depend on, so the two commands would each compile the whole Tauri stack (measured: +58 s
/// warm, minutes cold). Building everything with one feature set makes `cargo test` and
/// `cargo xtask run` reuse the same artifacts.
const BUILD: [&str; 5] = [
    "build",
    "--workspace",
    "--exclude",
    "relais-e2e",
    "--all-targets",
];

const FMT_CHECK: [&str; 3] = ["fmt", "--all", "--check"];
/// Every crate and target, warnings as errors. After the UI build: the app embeds ui/dist.
const CLIPPY: [&str; 6] = [
    "clippy",
    "--workspace",
    "--all-targets",
    "--",
    "-D",
    "warnings",
];

const USAGE: &str = "usage: cargo xtask run [--demo] [--data-dir DIR]
       cargo xtask test
       cargo xtask test-windows
       cargo xtask dist [--appimage]
       cargo xtask dist --windows
       cargo xtask bench [--quick]
       cargo xtask stress [--kills N]";
/// What was asked on the command line.
enum Task {
    Run {
        data_dir: Option<PathBuf>,
        /// A training till with a demo shop and catalogue (default folder: target/demo-till).
        demo: bool,
    },
    /// The installable packages, checked once unpacked.
    Dist {
        appimage: bool,
    },
    /// The Windows zip and installer, cross-built here.
    DistWindows,
    Test,
    /// Only the Windows part of `test`: `relais.exe` cross-built and run under Wine.
    TestWindows,
    /// The benchmark suite (release build), `--quick` for a CI-sized run.
    Bench {
        quick: bool,
    },
    /// Crash storm and full disk (release build); the full disk needs root.
    Stress {
        kills: Option<String>,
    },
}
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = parse(&args) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut steps = Steps::default();
    let outcome = match task {
        Task::Run { data_dir, demo } => run(&mut steps, data_dir, demo),
        Task::Dist { appimage } => dist::dist(&mut steps, &workspace_root(), appimage),
        Task::DistWindows => dist_windows::dist(&mut steps, &workspace_root()),
        Task::Test => test(&mut steps),
        Task::TestWindows => test_windows(&mut steps),
        Task::Bench { quick } => bench(&mut steps, quick),
        Task::Stress { kills } => stress(&mut steps, kills),
    };
    steps.print_summary();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: FAILED: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Option<Task> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["test"] => Some(Task::Test),
        ["test-windows"] => Some(Task::TestWindows),
        ["bench"] => Some(Task::Bench { quick: false }),
        ["bench", "--quick"] => Some(Task::Bench { quick: true }),
        ["stress"] => Some(Task::Stress { kills: None }),
        ["stress", "--kills", n] => Some(Task::Stress {
            kills: Some(n.to_string()),
        }),
        ["dist"] => Some(Task::Dist { appimage: false }),
        ["dist", "--appimage"] => Some(Task::Dist { appimage: true }),
        ["dist", "--windows"] => Some(Task::DistWindows),
        ["run", options @ ..] => parse_run(options),
        _ => None,
    }
}

fn parse_run(mut options: &[&str]) -> Option<Task> {
    let (mut data_dir, mut demo) = (None, false);
    loop {
        match options {
            [] => return Some(Task::Run { data_dir, demo }),
            ["--demo", rest @ ..] => (demo, options) = (true, rest),
            // Made absolute here: the app does not run in the directory cargo xtask was
            // typed in.
            ["--data-dir", dir, rest @ ..] => {
                (data_dir, options) = (Some(std::path::absolute(dir).ok()?), rest)
            }
            _ => return None,
        }
    }
}

/// Builds the UI and the app, then starts it on the given (or default) data directory.
/// The binary is started directly rather than with `cargo run -p relais-app`, whose
/// narrower feature set would rebuild the Tauri stack after every `cargo xtask test`.
fn run(steps: &mut Steps, data_dir: Option<PathBuf>, demo: bool) -> Result<(), TaskError> {
    let root = workspace_root();
    steps.run("system packages", || deps::ensure_apt(deps::BUILD_PACKAGES))?;
    steps.run("npm ci", || ui::ensure_node_modules(&root))?;
    steps.run("ui build", || ui::npm(&root, "build"))?;
    steps.run("cargo build", || cargo(&root).args(BUILD).run())?;
    let data_dir = match (data_dir, demo) {
        (None, true) => Some(target_dir(&root).join("demo-till")),
        (dir, _) => dir,
    };
    if let (true, Some(dir)) = (demo, &data_dir) {
        if !dir.join("relais.db").exists() {
            let relais = Cmd::new(target_dir(&root).join("debug/relais"))
                .args([std::ffi::OsStr::new("--data-dir"), dir.as_os_str()])
                .args(["demo"]);
            steps.run("demo till", || relais.run())?;
        }
    }
    let mut app = Cmd::new(target_dir(&root).join("debug/relais-app"));
    if let Some(dir) = data_dir {
        app = app.env("RELAIS_DATA_DIR", dir);
    }
    steps.run("relais-app", || app.run())
}

/// Everything CI runs: UI checks and tests, Rust tests, the end-to-end tests, then the
/// package built and checked as `cargo xtask dist` does.
fn test(steps: &mut Steps) -> Result<(), TaskError> {
    let root = workspace_root();
    let tree_before = tracked_changes(&root);
    let packages = [
        deps::BUILD_PACKAGES,
        deps::TEST_PACKAGES,
        windows::CROSS_PACKAGES,
    ]
    .concat();
    steps.run("system packages", || deps::ensure_apt(&packages))?;
    let driver = steps.run("tauri-driver", deps::ensure_tauri_driver)?;
    steps.run("cargo fmt --check", || cargo(&root).args(FMT_CHECK).run())?;
    steps.run("npm ci", || ui::ensure_node_modules(&root))?;
    steps.run("ui check", || ui::npm(&root, "check"))?;
    steps.run("ui test", || ui::npm(&root, "test"))?;
    // The app embeds ui/dist at compile time: the UI is built before any cargo build.
    steps.run("ui build", || ui::npm(&root, "build"))?;

    steps.run("cargo build", || cargo(&root).args(BUILD).run())?;
    steps.run("cargo clippy", || cargo(&root).args(CLIPPY).run())?;

    let readers = steps.run("python readers", || {
        deps::ensure_python_readers(&target_dir(&root))
    })?;
    let bindings_before = ui::bindings_snapshot(&root);
    let unit = ["test", "--workspace", "--exclude", "relais-e2e"];
    let unit = cargo(&root).args(unit).env("RELAIS_PYTHONPATH", &readers);
    steps.run("cargo test", || unit.run())?;
    if ui::bindings_snapshot(&root) != bindings_before {
        // ts-rs rewrote ui/src/lib/bindings during the Rust tests: the UI was checked
        // against stale types, so check it again (and the new files should be committed).
        println!("xtask: the Rust types changed ui/src/lib/bindings; checking the UI again");
        steps.run("ui check (new bindings)", || ui::npm(&root, "check"))?;
    }

    let target = target_dir(&root);
    let display = steps.run("xvfb", e2e::Xvfb::start)?;
    let e2e = cargo(&root)
        .args(["test", "-p", "relais-e2e", "--", "--test-threads=1"])
        .env("RELAIS_BIN", target.join("debug/relais"))
        .env("RELAIS_APP_BIN", target.join("debug/relais-app"))
        .env("RELAIS_PYTHONPATH", &readers)
        .env("TAURI_DRIVER", &driver)
        .env("DISPLAY", display.name());
    let result = steps.run("e2e tests", || e2e.run());
    drop(display);
    result?;
    windows::test_cli(steps, &root)?;
    // Last, being the longest build (the release app): the .deb, unpacked and run.
    dist::package(steps, &root, &driver, false)?;
    steps.run("tree unchanged", || match tracked_changes(&root) {
        after if after == tree_before => Ok(()),
        after => Err(TaskError::Setup(format!(
            "the tests rewrote committed files (git status before: {tree_before:?}, after: {after:?})"
        ))),
    })
}

/// The Wine scenario alone, with the Linux `relais` it compares against.
fn test_windows(steps: &mut Steps) -> Result<(), TaskError> {
    let root = workspace_root();
    steps.run("system packages", || {
        deps::ensure_apt(windows::CROSS_PACKAGES)
    })?;
    let cli = ["build", "-p", "relais-cli"];
    steps.run("cargo build relais", || cargo(&root).args(cli).run())?;
    windows::test_cli(steps, &root)
}

/// `git status` of the committed files (None outside a git checkout): the tests must leave
/// them as they found them.
fn tracked_changes(root: &Path) -> Option<String> {
    Cmd::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .stdout()
        .ok()
}

/// The release binaries the bench and the stress scenarios run.
fn build_release(steps: &mut Steps, root: &Path) -> Result<PathBuf, TaskError> {
    let release = [
        "build",
        "--release",
        "-p",
        "relais-cli",
        "-p",
        "relais-bench",
    ];
    steps.run("cargo build --release", || cargo(root).args(release).run())?;
    Ok(target_dir(root).join("release"))
}

/// The full bench also measures the release app under Xvfb (start-up time, memory); the
/// quick one leaves the GUI out, and with it the long Tauri build.
fn bench(steps: &mut Steps, quick: bool) -> Result<(), TaskError> {
    let root = workspace_root();
    let bin = build_release(steps, &root)?;
    let mut bench = Cmd::new(bin.join("relais-bench")).args([
        std::ffi::OsString::from("--dir"),
        target_dir(&root).join("bench-data").into_os_string(),
    ]);
    if quick {
        bench = bench.args(["--quick"]);
        return steps.run("bench", || bench.run());
    }
    let packages = [deps::BUILD_PACKAGES, deps::TEST_PACKAGES].concat();
    steps.run("system packages", || deps::ensure_apt(&packages))?;
    let driver = steps.run("tauri-driver", deps::ensure_tauri_driver)?;
    steps.run("npm ci", || ui::ensure_node_modules(&root))?;
    steps.run("ui build", || ui::npm(&root, "build"))?;
    // Its own command: built with the bench, the app's feature set would rebuild the bench's
    // dependencies (see BUILD).
    let app = ["build", "--release", "-p", "relais-app"];
    steps.run("cargo build --release (app)", || {
        cargo(&root).args(app).run()
    })?;
    let display = steps.run("xvfb", e2e::Xvfb::start)?;
    let bench = bench
        .args([
            std::ffi::OsString::from("--app"),
            bin.join("relais-app").into_os_string(),
        ])
        .env("TAURI_DRIVER", &driver)
        .env("DISPLAY", display.name());
    let result = steps.run("bench", || bench.run());
    drop(display);
    result
}

fn stress(steps: &mut Steps, kills: Option<String>) -> Result<(), TaskError> {
    let root = workspace_root();
    let bin = build_release(steps, &root)?;
    let mut stress = Cmd::new(bin.join("relais-bench")).args(["--stress"]);
    if let Some(kills) = kills {
        stress = stress.args(["--kills", kills.as_str()]);
    }
    steps.run("stress", || stress.run())
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}
