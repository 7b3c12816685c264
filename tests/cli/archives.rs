//! Archives, the tax-audit extract and the attestation by the CLI: a closed month archived,
//! checked with no till, refused once altered or while not closed.

use super::*;

/// Today's day sold and closed, its month closed: the day, `YYYY-MM-DD`.
fn a_closed_month(data: &DataDir) -> String {
    init(data);
    relais_ok(data, &["sale", "record", "-"], EXAMPLE_SALE);
    relais_ok(data, &["day", "close", "--operator", "alice"], "");
    let closures = relais_ok(data, &["day", "closures", "--json"], "");
    let z: Value = serde_json::from_str(closures.lines().next().unwrap()).unwrap();
    let day = z["closure"]["first_day"].as_str().unwrap().to_string();
    let month = day[..7].to_string();
    let refused = relais(
        data,
        &[
            "archive",
            "--month",
            &month,
            "--out",
            "/tmp",
            "--operator",
            "alice",
        ],
        "",
    );
    assert!(!refused.status.success(), "an open month is refused");
    relais_ok(
        data,
        &["day", "close-month", &month, "--operator", "alice"],
        "",
    );
    day
}

#[test]
fn a_closed_month_is_archived_verified_alone_and_refused_once_altered() {
    let data = DataDir::new();
    let month = a_closed_month(&data)[..7].to_string();
    let out = tempfile::tempdir().unwrap();
    let shown = out.path().to_str().unwrap();
    let report = relais_ok(
        &data,
        &[
            "archive",
            "--month",
            &month,
            "--out",
            shown,
            "--operator",
            "alice",
            "--json",
        ],
        "",
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    let folder = Path::new(report["folder"].as_str().unwrap()).to_path_buf();
    // Checked with no till at all: another data directory, empty.
    let elsewhere = DataDir::new();
    let verdict = relais(&elsewhere, &["verify", folder.to_str().unwrap()], "");
    assert!(
        String::from_utf8_lossy(&verdict.stdout).contains(&format!("period {month}"))
            || String::from_utf8_lossy(&verdict.stdout).contains(&format!("période {month}")),
        "the period is named"
    );
    assert!(
        verdict.status.success(),
        "{}",
        String::from_utf8_lossy(&verdict.stdout)
    );
    let journal = relais_ok(&data, &["journal", "--json"], "");
    assert!(journal
        .lines()
        .any(|l| l.contains("\"period_archived\"") && l.contains("\"code\":20")));
    let records = folder.join("records.jsonl");
    let mut bytes = std::fs::read(&records).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 1;
    std::fs::write(&records, bytes).unwrap();
    let verdict = relais(&elsewhere, &["verify", folder.to_str().unwrap()], "");
    assert!(!verdict.status.success(), "an altered archive is refused");
    let again = relais(
        &data,
        &[
            "archive",
            "--month",
            "2020-01",
            "--out",
            shown,
            "--operator",
            "alice",
        ],
        "",
    );
    assert!(!again.status.success(), "a month never closed is refused");
}

#[test]
fn an_audit_extract_and_the_attestation_are_written() {
    let data = DataDir::new();
    // The day and the month closure (sealed on that day) are both in the extract.
    let day = a_closed_month(&data);
    let out = tempfile::tempdir().unwrap();
    let (from, to) = (day.clone(), day);
    let report = relais_ok(
        &data,
        &[
            "audit",
            "--from",
            &from,
            "--to",
            &to,
            "--out",
            out.path().to_str().unwrap(),
            "--operator",
            "alice",
            "--json",
        ],
        "",
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["chain_intact"], json!(true));
    assert_eq!(report["closures_checked"], json!(2));
    let folder = Path::new(report["folder"].as_str().unwrap());
    assert!(std::fs::read_to_string(folder.join("verification.txt"))
        .unwrap()
        .contains("Conclusion : conforme"));
    let journal = relais_ok(&data, &["journal", "--json"], "");
    assert!(journal
        .lines()
        .any(|l| l.contains("\"tax_audit\"") && l.contains("\"code\":280")));
    let file = out.path().join("attestation.html");
    relais_ok(&data, &["attestation", "--out", file.to_str().unwrap()], "");
    let html = std::fs::read_to_string(file).unwrap();
    assert!(html.contains("Épicerie du Marché") && html.contains(env!("CARGO_PKG_VERSION")));
}
