//! The installed package, as a shop PC gets it. `cargo xtask dist` builds the `.deb`, unpacks
//! it into a fresh directory with `dpkg-deb -x` and runs the ignored test below against the
//! unpacked files (RELAIS_BIN and RELAIS_APP_BIN point into that directory).
//!
//! The offline check runs with every `cargo xtask test`: the UI the app embeds fetches
//! nothing from the network.

use crate::support::{app_bin, relais_bin, relais_ok, workspace_root, DataDir};
use crate::window::{expect_eq, test_id, with_app, Window, APPEAR_WITHIN};
use std::process::Command;

#[tokio::test]
#[ignore = "run by `cargo xtask dist` on the unpacked .deb"]
async fn installed_package_runs_the_cli_and_sets_up_a_till_in_the_app() {
    let _one_window = crate::support::app_lock().await;
    let installed = std::env::var_os("RELAIS_INSTALLED_ROOT")
        .expect("RELAIS_INSTALLED_ROOT: the directory the .deb was unpacked into");
    for binary in [relais_bin(), app_bin()] {
        assert!(
            binary.starts_with(&installed),
            "{} is not from the package",
            binary.display()
        );
    }
    let version = Command::new(relais_bin())
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("relais {}", env!("CARGO_PKG_VERSION"))
    );

    let data = DataDir::new();
    with_app("installed", &data, |app| async move {
        let w = Window(app);
        w.css(&test_id("setup"), APPEAR_WITHIN).await?;
        expect_eq(
            "set-up title",
            w.text_of("setup")
                .await?
                .contains("Mise en service de la caisse"),
            true,
        )?;
        // docs/screens has the committed one: a test run must leave the tree as it was.
        let dir = match std::env::var_os("RELAIS_SCREENSHOTS") {
            Some(_) => workspace_root().join("docs/screens"),
            None => crate::support::target_dir().join("e2e-screenshots"),
        };
        w.screenshot(&dir.join("installed-setup.png")).await?;
        w.fill("setup-shop", "Fromagerie Test").await?;
        w.fill("setup-manager", "Marie").await?;
        w.fill("setup-pin", "2468").await?;
        w.fill("setup-pin2", "2468").await?;
        w.click("setup-submit").await?;
        w.css(&test_id("shop-name"), APPEAR_WITHIN).await?;
        Ok(())
    })
    .await;
    let status = relais_ok(&data, &["status", "--json"], "");
    assert!(
        status.contains(r#""initialised":true"#) && status.contains("Fromagerie Test"),
        "the installed CLI reads the till the installed app set up: {status}"
    );
}

/// URLs the embedded UI may name without fetching: XML namespaces are identifiers, and
/// Svelte's runtime puts a link to the explanation in the text of the errors it throws (only
/// ever shown, in the console). The CSP (`connect-src 'self' ipc:`) forbids fetching them anyway.
const NAMESPACES: &[&str] = &[
    "https://svelte.dev/e/",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
];

/// No CDN, no web font, no remote script: every URL in the built UI is a namespace or an
/// error message's link.
#[test]
fn the_embedded_ui_fetches_nothing_from_the_network() {
    let dist = workspace_root().join("ui/dist");
    let mut files = vec![dist.clone()];
    let mut urls = Vec::new();
    let mut scanned = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // images and fonts
        };
        scanned += 1;
        for (at, _) in text.match_indices("://") {
            let start = text[..at]
                .rfind(|c: char| !c.is_ascii_alphanumeric())
                .map_or(0, |i| i + 1);
            let end = text[at + 3..]
                .find(|c: char| c == '"' || c == '\'' || c == '`' || c == ')' || c.is_whitespace())
                .map_or(text.len(), |i| at + 3 + i);
            let url = &text[start..end];
            let scheme = &text[start..at];
            let remote = matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp");
            if remote && !NAMESPACES.iter().any(|ns| url.starts_with(ns)) {
                urls.push(format!("{}: {url}", path.display()));
            }
        }
    }
    assert!(scanned >= 2, "ui/dist is not built: `npm run build` in ui/");
    assert!(
        urls.is_empty(),
        "remote URLs in the UI:\n{}",
        urls.join("\n")
    );
}
