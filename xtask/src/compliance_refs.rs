//! docs/COMPLIANCE.md names, for each legal condition and data item, the record, the code and
//! the test that hold it. These tests keep it true: every file it names exists, every name
//! given after `::` is in that file (in a file of tests, as a function), every JET code it cites is in
//! docs/CHAIN.md's table.

use std::path::Path;

/// The extensions of the files the document may name.
const FILE_KINDS: [&str; 7] = [".rs", ".md", ".ts", ".svelte", ".html", ".toml", ".csv"];

/// Every `path` and `path::name` in backticks whose path is a workspace file.
fn references(text: &str) -> Vec<(String, Option<String>)> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|quoted| {
            let (path, name) = match quoted.split_once("::") {
                Some((path, name)) => (path, Some(name.to_string())),
                None => (quoted, None),
            };
            let is_file = path.contains('/')
                && !path.contains(' ')
                && FILE_KINDS.iter().any(|kind| path.ends_with(kind));
            is_file.then(|| (path.to_string(), name))
        })
        .collect()
}

/// The references that do not hold in the tree at `root`.
fn missing(root: &Path, references: &[(String, Option<String>)]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (path, name) in references {
        let Ok(text) = std::fs::read_to_string(root.join(path)) else {
            wrong.push(format!("{path}: no such file"));
            continue;
        };
        let Some(name) = name else { continue };
        // In a file of tests, a name is a test: it must be a function there. Elsewhere
        // (a type, a variant, a field, a trigger) it must appear in the file as a word.
        let tests_file = path.ends_with("tests.rs") || path.starts_with("tests/");
        let found = match tests_file {
            true => text.contains(&format!("fn {name}(")),
            false => text.match_indices(name.as_str()).any(|(at, _)| {
                let before = text[..at].chars().last();
                let after = text[at + name.len()..].chars().next();
                let word =
                    |c: Option<char>| !matches!(c, Some(c) if c.is_alphanumeric() || c == '_');
                word(before) && word(after)
            }),
        };
        if !found {
            wrong.push(format!("{path}::{name}: not in the file"));
        }
    }
    wrong
}

/// The JET codes the text cites (`JET 20`, `JET 280`) that docs/CHAIN.md's event table lacks.
fn unknown_codes(text: &str, chain: &str) -> Vec<String> {
    text.match_indices("JET ")
        .filter_map(|(at, _)| {
            let digits: String = text[at + 4..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            (!digits.is_empty()).then_some(digits)
        })
        .filter(|code| !chain.lines().any(|l| l.starts_with(&format!("| {code} "))))
        .collect()
}

#[test]
fn every_reference_of_the_compliance_document_exists() {
    let root = crate::workspace_root();
    let text = std::fs::read_to_string(root.join("docs/COMPLIANCE.md")).unwrap();
    let chain = std::fs::read_to_string(root.join("docs/CHAIN.md")).unwrap();
    let found = references(&text);
    assert!(found.len() >= 40, "only {} references", found.len());
    assert_eq!(missing(&root, &found), Vec::<String>::new());
    assert_eq!(unknown_codes(&text, &chain), Vec::<String>::new());
}

#[test]
fn the_reference_check_sees_what_it_must() {
    let root = crate::workspace_root();
    let cases = [
        ("`crates/relais-store/src/archive.rs::archive_scope`", 0),
        ("`crates/relais-store/src/archive.rs::no_such_function`", 1),
        ("`crates/relais-core/src/event.rs::PeriodArchived`", 0),
        ("`crates/relais-core/src/event.rs::PeriodArchive`", 1),
        ("`docs/NO-SUCH.md`", 1),
        (
            "`docs/ARCHIVE.md` and `relais archive --month` (a command, not a file)",
            0,
        ),
        (
            "`crates/relais-store/src/archive/tests.rs::a_record_of_another_month_is_refused`",
            0,
        ),
        (
            "`crates/relais-store/src/archive/tests.rs::november_closed_and_more`",
            1,
        ),
        ("`crates/relais-store/src/schema.rs::ledger_no_update`", 0),
    ];
    for (text, expected) in cases {
        assert_eq!(missing(&root, &references(text)).len(), expected, "{text}");
    }
    let chain = "| 20   | `period_archived` |\n| 280  | `tax_audit` |";
    assert_eq!(
        unknown_codes("JET 20, JET 280 and JET 21", chain),
        vec!["21"]
    );
}
