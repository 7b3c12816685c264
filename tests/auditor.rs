//! The outside auditor's verifier, tests/auditor/verify.py, written from docs/CHAIN.md,
//! docs/EXPORT-FORMAT.md and docs/ARCHIVE.md alone, on the bundles a shop makes with the real
//! `relais`: it accepts every genuine one, and refuses each tampered copy as `relais verify`
//! does. So the documents stay a contract a third party can verify a bundle from: a change of
//! the format they do not follow fails here.

use crate::archive_window::a_till_with_last_month_closed_day;
use crate::support::{relais, relais_ok, workspace_root, DataDir};
use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A price list as a shop keeps it: French headers, decimal commas, two VAT rates.
const PRICE_LIST: &str = "Référence;Libellé;Prix;TVA\r\n\
    A1;Tasse;9,99;20\r\n\
    B2;Livre;19,90;5,5\r\n\
    C3;Pain;1,20;5,5\r\n\
    D4;Café moulu;4,50;5,5\r\n";

/// A day at the counter, each line a `relais` command run by Marie (the manager) on T1: the
/// JSON after `|` is its standard input. Tickets are numbered T1-000001, T1-000002… in this
/// order, refunds and voids included; avoirs T1-V000001…
const A_DAY_AT_THE_COUNTER: &[&str] = &[
    "day open --count 10=5 --count 2=5",
    // Catalogue lines, a line discount, a ticket discount, cash with change.
    r#"sale record - | {"lines":[{"sku":"A1","qty":3,"discount_percent":"10"},{"sku":"B2"}],"ticket_discount_cents":101,"payments":[{"method":"cash","tendered_cents":5000}]}"#,
    // A free-text line sold by weight, paid by card.
    r#"sale record - | {"lines":[{"label":"Divers \"spécial\"","unit_price_cents":1250,"vat_rate_bp":2000,"qty":"1.5"},{"sku":"C3","qty":"2"}],"payments":[{"method":"card","amount_cents":2115,"reference":"TPE 0012"}]}"#,
    // A cheque, and a note Excel would take for a formula.
    r#"sale record - | {"lines":[{"sku":"D4","qty":2}],"payments":[{"method":"cheque","amount_cents":900,"reference":"0001234"}],"note":"=SUM(A1)"}"#,
    "sale refund T1-000001 --line 1:1 --method cash --reason ébréchée",
    "sale void T1-000003 --reason erreur",
    r#"sale record - | {"lines":[{"sku":"A1","qty":2}],"payments":[{"method":"card","amount_cents":1998}]}"#,
    // Refunded as an avoir, part of it spent at once; a gift voucher sold.
    "sale refund T1-000006 --line 1:1 --method store_credit --reason retour --avoir",
    "avoir redeem T1-V000001 5,00",
    "avoir sell 30 --pay cash:30",
    r#"order create - | {"customer":{"name":"Mme Durand","phone":"06 12 34 56 78"},"lines":[{"label":"Gâteau 8 parts","unit_price_cents":3200,"vat_rate_bp":550}],"requested_date":"2030-12-20","fulfilment":"pickup","deposit":[{"method":"card","amount_cents":1000,"reference":"TPE 4512"}]}"#,
];

/// The rest of the day, after a first export: cash in and out of the drawer, a sale, the Z.
const THE_END_OF_THE_DAY: &[&str] = &[
    "day cash-in 20 --reason appoint --category float_top_up",
    "day cash-out 5,00 --reason timbres --category paid_out",
    r#"sale record - | {"lines":[{"sku":"B2","qty":2}],"payments":[{"method":"cash","amount_cents":3980}]}"#,
    "day close --count 50=1 --count 20=2 --count 10=1 --count 5=1 --card-total 41,13",
];

/// Runs one line of a script as Marie on `data`: her name in the JSON, else `--operator`.
fn run_as_marie(data: &DataDir, line: &str) {
    match line.split_once(" | ") {
        Some((command, json)) => {
            let mut input: Value = serde_json::from_str(json).expect("the script's JSON");
            input["operator"] = "Marie".into();
            let args: Vec<&str> = command.split(' ').collect();
            relais_ok(data, &args, &input.to_string());
        }
        None => {
            let args: Vec<&str> = line.split(' ').chain(["--operator", "Marie"]).collect();
            relais_ok(data, &args, "");
        }
    }
}

/// `relais … --json` and the folder it wrote (`folder` in its report).
fn written(data: &DataDir, args: &[&str]) -> (Value, PathBuf) {
    let report: Value = serde_json::from_str(&relais_ok(data, args, "")).expect("a JSON report");
    let folder = PathBuf::from(report["folder"].as_str().expect("the folder written"));
    (report, folder)
}

fn export(data: &DataDir, usb: &Path, more: &[&str]) -> (Value, PathBuf) {
    let mut args = vec!["export", "--out", usb.to_str().unwrap()];
    args.extend(["--operator", "Marie", "--json"]);
    args.extend_from_slice(more);
    written(data, &args)
}

/// What a shop writes in a month: T1's bundles (a whole export, the rest of the day with
/// `--since-last`, everything again zipped, the closed last month archived, folder and zip),
/// T2's export and the shop's bundle merged from both. Returns the plain export's folder too.
fn a_shop_s_bundles(usb: &Path) -> (Vec<PathBuf>, PathBuf) {
    let t1 = DataDir::new();
    let (last_month, _) = a_till_with_last_month_closed_day(&t1);
    relais_ok(
        &t1,
        &["day", "close-month", &last_month, "--operator", "Marie"],
        "",
    );
    let price_list = t1.path().join("tarifs.csv");
    std::fs::write(&price_list, PRICE_LIST).unwrap();
    let price_list = price_list.to_str().unwrap();
    relais_ok(
        &t1,
        &["catalog", "import", price_list, "--operator", "Marie"],
        "",
    );
    for line in A_DAY_AT_THE_COUNTER {
        run_as_marie(&t1, line);
    }
    let (_, plain) = export(&t1, usb, &[]);
    for line in THE_END_OF_THE_DAY {
        run_as_marie(&t1, line);
    }
    let (_, since_last) = export(&t1, usb, &["--since-last"]);
    let (zipped, whole) = export(&t1, usb, &["--zip"]);
    let zip = PathBuf::from(zipped["zip"].as_str().expect("the zip written"));
    let out = usb.to_str().unwrap();
    let archive_args = [
        "archive",
        "--month",
        last_month.as_str(),
        "--out",
        out,
        "--operator",
        "Marie",
        "--zip",
        "--json",
    ];
    let (archived, archive) = written(&t1, &archive_args);
    let archive_zip = PathBuf::from(archived["zip"].as_str().expect("the archive's zip"));

    let t2 = DataDir::new();
    relais_ok(
        &t2,
        &["init", "--shop", "Épicerie du Marché", "--till", "T2"],
        "",
    );
    let sale = r#"{"lines":[{"label":"Confiture","unit_price_cents":450,"vat_rate_bp":550,"qty":2}],"payments":[{"method":"cash","amount_cents":900,"tendered_cents":1000}],"operator":"Paul"}"#;
    relais_ok(&t2, &["sale", "record", "-"], sale);
    let (_, t2_export) = export(&t2, usb, &[]);
    let nowhere = DataDir::new();
    let merge_args = [
        "merge",
        whole.to_str().unwrap(),
        t2_export.to_str().unwrap(),
        "--out",
        out,
        "--json",
    ];
    let (_, merged) = written(&nowhere, &merge_args);
    let bundles = vec![
        plain.clone(),
        since_last,
        whole,
        zip,
        archive,
        archive_zip,
        t2_export,
        merged,
    ];
    (bundles, plain)
}

/// The folder of the pinned wheels `cargo xtask test` installs (`RELAIS_PYTHONPATH`), checked
/// before anything is built: without `cryptography` every bundle would look refused.
fn pinned_wheels() -> OsString {
    let wheels = std::env::var_os("RELAIS_PYTHONPATH").expect(
        "RELAIS_PYTHONPATH is not set: the auditor's verifier needs Python's `cryptography`. \
         `cargo xtask test` installs the pinned wheels and sets it (target/python-readers-2); \
         by hand, set it to that folder or to one where `pip install --target` put them",
    );
    let probe = python(&wheels)
        .args(["-c", "import cryptography"])
        .output()
        .expect("python3 is needed (cargo xtask test installs it)");
    assert!(
        probe.status.success(),
        "RELAIS_PYTHONPATH is set but Python cannot import cryptography: {}",
        String::from_utf8_lossy(&probe.stderr)
    );
    wheels
}

fn python(wheels: &OsStr) -> Command {
    let mut python = Command::new("python3");
    // No __pycache__ left in tests/auditor/: the tests leave the tree as they found it.
    python
        .env("PYTHONPATH", wheels)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    python
}

/// `python3 tests/auditor/verify.py BUNDLE…`.
fn auditor(wheels: &OsStr, bundles: &[PathBuf]) -> Output {
    python(wheels)
        .arg(workspace_root().join("tests/auditor/verify.py"))
        .args(bundles)
        .output()
        .expect("cannot run python3")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A copy of the folder `from` under `into`, with its name (which the verifiers check).
fn copy_bundle(from: &Path, into: &Path) -> PathBuf {
    let to = into.join(from.file_name().unwrap());
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            copy_bundle(&path, &to);
        } else {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
    to
}

/// The first sale's first payment, one cent more, in records.jsonl: hashes left as they were.
fn one_amount_changed(bundle: &Path) {
    let path = bundle.join("records.jsonl");
    let records = std::fs::read_to_string(&path).unwrap();
    let sale = records
        .find(r#""kind":"sale""#)
        .expect("a sale in the bundle");
    let line_start = records[..sale].rfind('\n').map_or(0, |n| n + 1);
    let key = r#""amount_cents":"#;
    let at = line_start + records[line_start..].find(key).unwrap() + key.len();
    let digits = records[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
    let amount: u64 = records[at..at + digits].parse().unwrap();
    let changed = format!(
        "{}{}{}",
        &records[..at],
        amount + 1,
        &records[at + digits..]
    );
    std::fs::write(&path, changed).unwrap();
}

fn one_csv_byte_changed(bundle: &Path) {
    let path = bundle.join("csv/sales.csv");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(&path, bytes).unwrap();
}

fn a_record_removed(bundle: &Path) {
    let path = bundle.join("records.jsonl");
    let records = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = records.lines().collect();
    lines.remove(lines.len() / 2);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

fn an_unlisted_file_added(bundle: &Path) {
    std::fs::write(bundle.join("notes.txt"), "payé en liquide\n").unwrap();
}

#[test]
fn the_auditors_verifier_accepts_every_genuine_bundle_and_refuses_tampered_copies() {
    let wheels = pinned_wheels();
    let usb = DataDir::new();
    let (bundles, plain) = a_shop_s_bundles(usb.path());
    let verdict = auditor(&wheels, &bundles);
    assert!(
        verdict.status.success(),
        "the auditor's verifier, written from the docs, refuses genuine bundles: the docs and \
         the program disagree (fix the one that is wrong, never the verifier by reading the \
         sources):\n{}",
        said(&verdict)
    );
    let verdicts = String::from_utf8_lossy(&verdict.stdout).into_owned();
    assert_eq!(
        verdicts.lines().filter(|l| l.starts_with("ok ")).count(),
        bundles.len(),
        "one verdict per bundle:\n{verdicts}"
    );
    let nowhere = DataDir::new();
    let plain_shown = plain.to_str().unwrap();
    relais_ok(&nowhere, &["verify", plain_shown], "");

    type Tamper = fn(&Path);
    let cases: [(&str, Tamper, &str); 4] = [
        ("an amount changed", one_amount_changed, "hash mismatch"),
        (
            "a byte of a CSV changed",
            one_csv_byte_changed,
            "csv/sales.csv: altered",
        ),
        ("a record removed", a_record_removed, "missing position"),
        (
            "an unlisted file added",
            an_unlisted_file_added,
            "notes.txt: unlisted file",
        ),
    ];
    for (what, tamper, defect) in cases {
        let case = usb.path().join("tampered").join(what.replace(' ', "-"));
        let copy = copy_bundle(&plain, &case);
        tamper(&copy);
        let verdict = auditor(&wheels, std::slice::from_ref(&copy));
        let report = said(&verdict);
        assert_eq!(verdict.status.code(), Some(1), "{what}: {report}");
        assert!(
            report.starts_with("DEFECT ") && report.contains(defect),
            "{what}: the auditor's verifier should name « {defect} »:\n{report}"
        );
        let refused = relais(&nowhere, &["verify", copy.to_str().unwrap()], "");
        assert_eq!(
            refused.status.code(),
            Some(1),
            "{what}: relais verify accepts it:\n{}",
            said(&refused)
        );
    }
}
