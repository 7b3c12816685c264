//! The day's closures by the CLI: opened, reported, closed, and the signature checked with
//! openssl.

use super::*;

/// A manager's day from the command line: open with a counted float, sell, take cash out,
/// X report, close with a variance; the Z's signature checks out with openssl and the
/// exported public key alone.
#[test]
fn a_day_is_opened_reported_closed_and_its_signature_checked_with_openssl() {
    let data = DataDir::new();
    init(&data);
    let with_pin = |pin: &str, args: &[&str]| {
        let output = Command::new(relais_bin())
            .args(args)
            .env("RELAIS_DATA_DIR", data.path())
            .env("RELAIS_PIN", pin)
            .env("RELAIS_MANAGER_PIN", pin)
            .env("LANG", "fr_FR.UTF-8")
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    assert!(with_pin("1234", &["staff", "add", "Marie", "--role", "manager"]).0);
    assert!(
        with_pin(
            "5678",
            &["staff", "add", "Paul", "--role", "cashier", "--by", "Marie"]
        )
        .0
    );
    relais_ok(
        &data,
        &[
            "day",
            "open",
            "--count",
            "20=5",
            "--count",
            "0,50=10",
            "--operator",
            "Paul",
        ],
        "",
    );
    let sale = r#"{"lines":[{"label":"Divers","unit_price_cents":1200,"vat_rate_bp":2000}],"payments":[{"method":"cash","tendered_cents":2000}],"operator":"Paul"}"#;
    relais_ok(&data, &["sale", "record", "-"], sale);
    let (ok, text) = with_pin(
        "0000",
        &[
            "day",
            "cash-out",
            "5",
            "--reason",
            "Timbres",
            "--category",
            "paid_out",
            "--operator",
            "Paul",
        ],
    );
    assert!(
        !ok && text.contains("responsable"),
        "a cashier alone may not take cash out: {text}"
    );
    assert!(
        with_pin(
            "1234",
            &[
                "day",
                "cash-out",
                "5",
                "--reason",
                "Timbres",
                "--category",
                "paid_out",
                "--operator",
                "Paul",
                "--manager",
                "Marie"
            ]
        )
        .0
    );
    let x = relais_ok(&data, &["day", "x"], "");
    // 100,00 + 5,00 float, + 12,00 cash, − 5,00 out
    assert!(x.contains("attendu 112,00"), "{x}");
    let (ok, z) = with_pin(
        "1234",
        &[
            "day",
            "close",
            "--count",
            "50=2",
            "--count",
            "10=1",
            "--operator",
            "Marie",
        ],
    );
    assert!(ok, "{z}");
    assert!(z.contains("T1-Z000001") && z.contains("écart -2,00"), "{z}");
    assert!(relais_ok(&data, &["verify"], "").starts_with("ok:"));

    let work = DataDir::new();
    std::fs::write(
        work.path().join("pub.pem"),
        relais_ok(&data, &["key", "--pem"], ""),
    )
    .unwrap();
    let closure: Value =
        stdout_lines(&relais_ok(&data, &["day", "closures", "--json"], ""))[0]["closure"].clone();
    let mut signed = closure.clone();
    let signature = signed.as_object_mut().unwrap().remove("signature").unwrap();
    // The signed bytes: canonical JSON (sorted keys, no spaces) of the data without "signature".
    let canonical = serde_json::to_string(&sorted(&signed)).unwrap();
    std::fs::write(work.path().join("z.bin"), &canonical).unwrap();
    let sig: Vec<u8> = (0..64)
        .map(|i| {
            u8::from_str_radix(&signature["value"].as_str().unwrap()[2 * i..2 * i + 2], 16).unwrap()
        })
        .collect();
    std::fs::write(work.path().join("z.sig"), sig).unwrap();
    let openssl = |file: &str| {
        Command::new("openssl")
            .current_dir(work.path())
            .args([
                "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", file,
                "-sigfile", "z.sig",
            ])
            .output()
            .expect("openssl is needed (cargo xtask test installs it)")
            .status
            .success()
    };
    assert!(
        openssl("z.bin"),
        "the closure's signature verifies with the public key alone"
    );
    std::fs::write(
        work.path().join("forged.bin"),
        canonical.replace("\"sales\":1", "\"sales\":2"),
    )
    .unwrap();
    assert!(!openssl("forged.bin"), "a changed closure does not");
}

/// A JSON value with every object's keys sorted, as the canonical form wants.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let ordered: std::collections::BTreeMap<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), sorted(v))).collect();
            Value::Object(ordered.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
