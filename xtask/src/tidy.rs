//! Tidy tests (rust-analyzer's habit): rules of the code base that no compiler checks, run
//! by `cargo test` like any other test. Each reads the tree as it is committed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Source files may not grow past this many lines: split them before.
const MAX_LINES: usize = 600;

/// The workspace, or TIDY_ROOT (to try a rule on another checkout).
fn root() -> PathBuf {
    match std::env::var_os("TIDY_ROOT") {
        Some(dir) => PathBuf::from(dir),
        None => crate::workspace_root(),
    }
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
fn the_printer_crate_knows_no_store_no_sql_and_no_gui() {
    let dependencies = dependencies_of("relais-printer");
    assert!(
        dependencies.contains("relais-core") && dependencies.contains("encoding_rs"),
        "the lock file was read: {dependencies:?}"
    );
    for forbidden in [
        "relais-store",
        "relais-bundle",
        "rusqlite",
        "libsqlite3-sys",
        "tauri",
        "clap",
    ] {
        assert!(
            !dependencies.contains(forbidden),
            "relais-printer depends on {forbidden}: it turns a receipt into bytes for a printer, nothing more"
        );
    }
}

/// The shop's network IO (issue 26) knows no store and no SQL: a till's side comes through
/// its two traits, which `relais-shop` wires to the store for the CLI and the app.
#[test]
fn the_lan_crate_knows_no_store_no_sql_and_no_gui() {
    let dependencies = dependencies_of("relais-lan");
    assert!(
        dependencies.contains("iroh") && dependencies.contains("tokio"),
        "the lock file was read: {dependencies:?}"
    );
    for forbidden in [
        "relais-core",
        "relais-store",
        "relais-bundle",
        "relais-printer",
        "rusqlite",
        "libsqlite3-sys",
        "tauri",
        "clap",
    ] {
        assert!(
            !dependencies.contains(forbidden),
            "relais-lan depends on {forbidden}: it carries lines between tills, nothing more"
        );
    }
    // The CLI and the app carry iroh (through relais-shop, which serves and syncs a till the
    // same way for both); the store, the core, the bundle and the printer do not.
    for krate in ["relais-shop", "relais-cli", "relais-app"] {
        assert!(
            dependencies_of(krate).contains("iroh"),
            "{krate} no longer carries iroh: update this rule"
        );
    }
    for krate in [
        "relais-core",
        "relais-bundle",
        "relais-store",
        "relais-printer",
    ] {
        assert!(
            !dependencies_of(krate).contains("iroh"),
            "{krate} depends on iroh"
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

/// Constructors of the messages that had one language only, or two in an order a call could
/// swap: bad input is `Invalid(text!(fr: …, en: …))`, the CLI's words `out.text(text!(…))`.
const ONE_LANGUAGE_OR_SWAPPABLE: [&str; 4] = ["InvalidInput(", "::invalid(", "Invalid {", ".say("];

#[test]
fn messages_are_written_in_both_languages_by_name() {
    let root = root();
    let offenders: Vec<String> = [
        "relais-store",
        "relais-bundle",
        "relais-cli",
        "relais-bench",
    ]
    .iter()
    .flat_map(|krate| files(&root.join("crates").join(krate).join("src"), &[".rs"]))
    .flat_map(|path| {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim_start().starts_with("//"))
            .filter(|(_, line)| ONE_LANGUAGE_OR_SWAPPABLE.iter().any(|c| line.contains(c)))
            .map(|(n, line)| format!("{}:{}: {}", relative(&path), n + 1, line.trim()))
            .collect::<Vec<_>>()
    })
    .collect();
    assert!(
        offenders.is_empty(),
        "write bad input as Invalid(text!(fr: …, en: …)) and the CLI's words as \
         out.text(text!(fr: …, en: …)): {offenders:#?}"
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let root = root();
    let mut sources = rust_sources();
    sources.extend(files(&root.join("ui/src"), &[".ts", ".svelte"]));
    // The auditor's verifier (tests/auditor/) too: Python, but read and kept like the rest.
    sources.extend(files(&root.join("tests"), &[".py"]));
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

/// The crate's top-level modules and, for each, the others it names (`crate::other`), from
/// every non-test source file of `src`.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in files(src, &[".rs"]) {
        if is_test_file(&path) {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap_or(&path);
        let top = relative
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let names = graph.entry(top.clone()).or_default();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (index, _) in line.match_indices("crate::") {
                for name in named_after(&line[index + "crate::".len()..]) {
                    let is_module = name.starts_with(|c: char| c.is_ascii_lowercase());
                    if is_module && name != top {
                        names.insert(name);
                    }
                }
            }
        }
    }
    graph
}

/// The first path segments after `crate::`: `day::open` gives `day`, `{keys, day::x, Store}`
/// gives `keys`, `day` and `Store` (a group on one line).
fn named_after(rest: &str) -> Vec<String> {
    let word = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    match rest.strip_prefix('{') {
        Some(group) => group
            .split('}')
            .next()
            .unwrap_or_default()
            .split(',')
            .map(word)
            .filter(|w| !w.is_empty())
            .collect(),
        None => vec![word(rest)],
    }
}

/// A cycle of `graph`, if it has one, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            graph
                .entry(from.to_string())
                .or_default()
                .insert(to.to_string());
        }
        graph
    };
    let cases: [(&[(&str, &str)], bool); 4] = [
        (&[("a", "b"), ("b", "c")], false),
        (&[("a", "b"), ("b", "a")], true),
        (&[("a", "b"), ("b", "c"), ("c", "a")], true),
        (&[("a", "b"), ("a", "c"), ("c", "b")], false),
    ];
    for (edges, cyclic) in cases {
        assert_eq!(find_cycle(&graph(edges)).is_some(), cyclic, "{edges:?}");
    }
}

#[test]
fn no_crate_has_a_cycle_between_its_modules() {
    let root = root();
    let crates = [
        "crates/relais-core/src",
        "crates/relais-bundle/src",
        "crates/relais-store/src",
        "crates/relais-cli/src",
        "crates/relais-printer/src",
    ];
    for src in crates {
        let graph = module_graph(&root.join(src));
        assert!(graph.len() > 5, "{src}: the modules were read: {graph:?}");
        if let Some(cycle) = find_cycle(&graph) {
            panic!("{src}: modules in a cycle: {}", cycle.join(" → "));
        }
    }
}
