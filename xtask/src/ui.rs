//! The Svelte UI in ui/: dependencies, checks, tests and the build the app embeds.

use crate::process::{Cmd, TaskError};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

fn ui_dir(root: &Path) -> PathBuf {
    root.join("ui")
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
pub fn ensure_node_modules(root: &Path) -> Result<(), TaskError> {
    let ui = ui_dir(root);
    // npm rewrites node_modules/.package-lock.json on every install: its date is the date
    // of the last install, which a directory's own date is not.
    let installed = modified(&ui.join("node_modules/.package-lock.json"));
    let locked = modified(&ui.join("package-lock.json"));
    match (installed, locked) {
        (Some(installed), Some(locked)) if installed >= locked => {
            println!("ui/node_modules is up to date");
            Ok(())
        }
        _ => Cmd::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&ui)
            .run(),
    }
}

/// `npm run <script>` in ui/.
pub fn npm(root: &Path, script: &str) -> Result<(), TaskError> {
    Cmd::new("npm")
        .args(["run", script])
        .current_dir(&ui_dir(root))
        .run()
}

/// The generated TypeScript bindings (name and content of each file), to notice when the
/// Rust tests regenerate them.
pub fn bindings_snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = ui_dir(root).join("src/lib/bindings");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ts"))
        .map(|path| {
            let content = std::fs::read(&path).unwrap_or_default();
            (path, content)
        })
        .collect();
    files.sort();
    files
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
}
