//! `cargo xtask dist`: the installable packages, built by the Tauri bundler (the npm
//! `@tauri-apps/cli`, a prebuilt binary: `cargo install tauri-cli` takes minutes), then the
//! `.deb` checked as a shop PC would get it: unpacked into a fresh directory, its `relais`
//! run, its app started under Xvfb on an empty till.

use crate::process::{cargo, Cmd, TaskError};
use crate::steps::Steps;
use crate::{deps, e2e, target_dir, ui};
use std::path::{Path, PathBuf};

/// Builds the `.deb` (and the AppImage when `appimage` is asked: its tools are downloaded
/// from GitHub by the bundler), then checks the `.deb`.
pub fn dist(steps: &mut Steps, root: &Path, appimage: bool) -> Result<(), TaskError> {
    let packages = [deps::BUILD_PACKAGES, deps::TEST_PACKAGES].concat();
    steps.run("system packages", || deps::ensure_apt(&packages))?;
    let driver = steps.run("tauri-driver", deps::ensure_tauri_driver)?;
    steps.run("npm ci", || ui::ensure_node_modules(root))?;
    steps.run("ui build", || ui::npm(root, "build"))?;
    package(steps, root, &driver, appimage)
}

/// Bundles and checks the packages; the UI must be built already (`cargo xtask test` calls
/// this last, after its own set-up and UI build).
pub fn package(
    steps: &mut Steps,
    root: &Path,
    driver: &Path,
    appimage: bool,
) -> Result<(), TaskError> {
    // The .deb carries target/release/relais (tauri.conf.json, bundle.linux.deb.files): the
    // bundler's cargo builds it with the app, in one invocation, so that both share one
    // resolution of features. Built apart, the app's features (tauri's serde, tokio, reqwest
    // and proc-macro2 ones) differ from the CLI's and every shared crate, iroh's stack
    // included, was compiled twice: about 5 minutes of a CI run.
    let bundles = if appimage { "deb,appimage" } else { "deb" };
    let tauri = Cmd::new(root.join("ui/node_modules/.bin/tauri"))
        .args(["build", "--ci", "--bundles", bundles])
        .args(["--", "-p", "relais-app", "-p", "relais-cli"])
        .current_dir(&root.join("src-tauri"));
    steps.run("tauri build", || tauri.run())?;
    let deb = find_deb(root)?;
    println!("package: {}", deb.display());
    let unpacked = steps.run("dpkg-deb -x", || unpack(&deb, root))?;
    let display = steps.run("xvfb", e2e::Xvfb::start)?;
    let check = cargo(root)
        .args(["test", "-p", "relais-e2e", "--", "--ignored", "--exact"])
        .args(["package::installed_package_runs_the_cli_and_sets_up_a_till_in_the_app"])
        .env("RELAIS_INSTALLED_ROOT", &unpacked)
        .env("RELAIS_BIN", unpacked.join("usr/bin/relais"))
        .env("RELAIS_APP_BIN", unpacked.join("usr/bin/relais-app"))
        .env("TAURI_DRIVER", driver)
        .env("DISPLAY", display.name());
    let result = steps.run("installed package test", || check.run());
    drop(display);
    result?;
    println!("\nready to copy on a USB stick: {}", deb.display());
    Ok(())
}

fn find_deb(root: &Path) -> Result<PathBuf, TaskError> {
    let dir = target_dir(root).join("release/bundle/deb");
    let version = env!("CARGO_PKG_VERSION");
    let deb = dir.join(format!("Relais_{version}_amd64.deb"));
    if deb.is_file() {
        Ok(deb)
    } else {
        Err(TaskError::Setup(format!(
            "the bundler made no {}",
            deb.display()
        )))
    }
}

/// Unpacks the `.deb` into a fresh `target/dist-check/root` and checks it holds both
/// programs, the menu entry and the icon.
fn unpack(deb: &Path, root: &Path) -> Result<PathBuf, TaskError> {
    let into = target_dir(root).join("dist-check/root");
    if into.exists() {
        std::fs::remove_dir_all(&into)
            .map_err(|e| TaskError::Setup(format!("cannot empty {}: {e}", into.display())))?;
    }
    std::fs::create_dir_all(&into)
        .map_err(|e| TaskError::Setup(format!("cannot create {}: {e}", into.display())))?;
    Cmd::new("dpkg-deb")
        .args([
            std::ffi::OsStr::new("-x"),
            deb.as_os_str(),
            into.as_os_str(),
        ])
        .run()?;
    for file in [
        "usr/bin/relais",
        "usr/bin/relais-app",
        "usr/share/applications/Relais.desktop",
        "usr/share/icons/hicolor/128x128/apps/relais-app.png",
    ] {
        if !into.join(file).is_file() {
            return Err(TaskError::Setup(format!("the package has no /{file}")));
        }
    }
    Ok(into)
}
