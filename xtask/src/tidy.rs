//! Tidy tests (rust-analyzer's habit): rules of the code base that no compiler checks, run
//! by `cargo test` like any other test. Each reads the tree as it is committed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Source files may not grow past this many lines: split them before.
const MAX_LINES: usize = 600;

fn root() -> PathBuf {
    crate::workspace_root()
}

/// Every file under `dir` (recursively) whose name ends with one of `extensions`, skipping
/// build output and dependencies.
fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !["target", "node_modules", "dist", "gen", "corpus"].contains(&name.as_str()) {
                found.extend(files(&path, extensions));
            }
        } else if extensions.iter().any(|e| name.ends_with(e)) {
            found.push(path);
        }
    }
    found
}

/// The Rust sources of every crate of the workspace.
fn rust_sources() -> Vec<PathBuf> {
    let root = root();
    ["crates", "src-tauri/src", "tests", "xtask/src"]
        .iter()
        .flat_map(|dir| files(&root.join(dir), &[".rs"]))
        .collect()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name == "tests.rs" || name.ends_with("_tests.rs")
}

/// `name -> dependency names`, read from Cargo.lock (`"name version"` entries cut to the
/// name).
fn lock_graph() -> BTreeMap<String, Vec<String>> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in lock.split("[[package]]").skip(1) {
        let mut name = String::new();
        let mut dependencies = Vec::new();
        let mut in_dependencies = false;
        for line in package.lines() {
            let line = line.trim();
            if let Some(value) = line.strip_prefix("name = ") {
                name = value.trim_matches('"').to_string();
            } else if line.starts_with("dependencies = [") {
                in_dependencies = true;
            } else if in_dependencies && line.starts_with(']') {
                in_dependencies = false;
            } else if in_dependencies {
                let entry = line.trim_matches(|c| c == '"' || c == ',');
                let dependency = entry.split(' ').next().unwrap_or(entry);
                dependencies.push(dependency.to_string());
            }
        }
        graph.entry(name).or_default().extend(dependencies);
    }
    graph
}

/// Every package `package` depends on, directly or not (as Cargo.lock records them, which
/// over-approximates: dev-dependencies and other platforms' dependencies are included).
fn dependencies_of(package: &str) -> BTreeSet<String> {
    let graph = lock_graph();
    let mut seen = BTreeSet::new();
    let mut todo = vec![package.to_string()];
    while let Some(next) = todo.pop() {
        for dependency in graph.get(&next).into_iter().flatten() {
            if seen.insert(dependency.clone()) {
                todo.push(dependency.clone());
            }
        }
    }
    seen
}

#[test]
fn the_bundle_crate_never_depends_on_sqlite() {
    let dependencies = dependencies_of("relais-bundle");
    assert!(
        dependencies.contains("relais-core"),
        "the lock file was read: {dependencies:?}"
    );
    for sqlite in ["rusqlite", "libsqlite3-sys", "relais-store"] {
        assert!(
            !dependencies.contains(sqlite),
            "relais-bundle depends on {sqlite}: an auditor must be able to verify a bundle without the till's database"
        );
    }
}

#[test]
fn the_core_depends_on_no_other_relais_crate_and_no_io_library() {
    let dependencies = dependencies_of("relais-core");
    assert!(dependencies.contains("sha2"), "{dependencies:?}");
    for forbidden in ["relais-store", "relais-bundle", "rusqlite", "tauri", "clap"] {
        assert!(
            !dependencies.contains(forbidden),
            "relais-core depends on {forbidden}"
        );
    }
}

#[test]
fn only_the_ledger_touches_chain_head() {
    let allowed = [
        "crates/relais-store/src/ledger.rs",
        "crates/relais-store/src/schema.rs",
    ];
    let offenders: Vec<String> = rust_sources()
        .into_iter()
        .filter(|path| path.starts_with(root().join("crates")) && !is_test_file(path))
        .filter(|path| !allowed.contains(&relative(path).as_str()))
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            text.lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .any(|line| line.contains("chain_head"))
        })
        .map(|path| relative(&path))
        .collect();
    assert!(
        offenders.is_empty(),
        "only the ledger reads or moves chain_head: {offenders:?}"
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let root = root();
    let mut sources = rust_sources();
    sources.extend(files(&root.join("ui/src"), &[".ts", ".svelte"]));
    let long: Vec<String> = sources
        .iter()
        .filter(|path| !relative(path).starts_with("ui/src/lib/bindings"))
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", relative(path)))
        })
        .collect();
    assert!(
        sources.len() > 100,
        "the sources were found: {}",
        sources.len()
    );
    assert!(long.is_empty(), "split these files: {long:?}");
}

/// Text outside backtick spans: what a doc comment says in prose.
fn outside_backticks(line: &str) -> String {
    line.split('`').step_by(2).collect()
}

#[test]
fn no_attribute_is_swallowed_into_a_doc_comment() {
    let swallowed: Vec<String> = rust_sources()
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            text.lines()
                .enumerate()
                .filter(|(_, line)| {
                    let line = line.trim_start();
                    (line.starts_with("///") || line.starts_with("//!"))
                        && outside_backticks(line).contains("#[")
                })
                .map(|(index, _)| format!("{}:{}", relative(path), index + 1))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        swallowed.is_empty(),
        "an attribute at the end of a doc comment is ignored: {swallowed:?}"
    );
}

#[test]
fn the_attribute_check_sees_what_it_must() {
    let cases = [
        ("/// Options.#[derive(Debug)]", true),
        ("/// Uses `#[serde(flatten)]` on purpose.", false),
        ("//! Crate docs. #[cfg(test)]", true),
        ("// #[derive(Debug)] in a plain comment", false),
    ];
    for (line, swallowed) in cases {
        let doc = line.starts_with("///") || line.starts_with("//!");
        assert_eq!(
            doc && outside_backticks(line).contains("#["),
            swallowed,
            "{line}"
        );
    }
}

/// The code map's sections: a heading naming a folder, and the paths its text names.
fn code_map() -> Vec<(String, Vec<String>)> {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in map.lines() {
        if let Some(heading) = line.strip_prefix("### `") {
            let folder = heading.split('`').next().unwrap_or_default().to_string();
            sections.push((folder, Vec::new()));
        } else if line.starts_with("## ") {
            sections.push((String::new(), Vec::new()));
        } else if let Some((_, paths)) = sections.last_mut() {
            for (index, span) in line.split('`').enumerate() {
                let is_path = span.ends_with(".rs")
                    || span.ends_with(".svelte")
                    || (span.ends_with('/') && !span.contains(' '));
                if index % 2 == 1 && is_path && !span.contains('<') {
                    paths.push(span.to_string());
                }
            }
        }
    }
    sections.retain(|(folder, _)| !folder.is_empty());
    sections
}

/// Whether some folder under `dir` has a path ending with `suffix`.
fn folder_ends_with(dir: &Path, suffix: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        path.is_dir()
            && (path.to_string_lossy().ends_with(suffix) || folder_ends_with(&path, suffix))
    })
}

#[test]
fn every_module_the_code_map_names_exists() {
    let root = root();
    let sections = code_map();
    assert!(sections.len() >= 7, "the code map was read: {sections:?}");
    let mut missing = Vec::new();
    let mut named = 0;
    for (folder, paths) in &sections {
        let base = root.join(folder);
        for path in paths {
            named += 1;
            let candidates = [
                base.join("src").join(path),
                base.join(path),
                root.join(path),
            ];
            // Or a path relative to a folder the text named before (`catalog/` then
            // `import.rs`): some file or folder of the section ends with it.
            let suffix = format!("/{}", path.trim_end_matches('/'));
            let nested = files(
                &base,
                &[path.rsplit('/').find(|p| !p.is_empty()).unwrap_or(path)],
            )
            .iter()
            .any(|f| f.to_string_lossy().ends_with(&suffix))
                || (path.ends_with('/') && folder_ends_with(&base, &suffix));
            if !candidates.iter().any(|c| c.exists()) && !nested {
                missing.push(format!("{folder}: {path}"));
            }
        }
    }
    assert!(named > 40, "the code map names modules: {named}");
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names modules that do not exist: {missing:?}"
    );
}
