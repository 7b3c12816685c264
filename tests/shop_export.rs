//! `relais export --shop` (issue 26): the shop's bundle from one till after a sync equals
//! `relais merge` of every till's own bundle (the same records.jsonl, totals, counts and avoir
//! conflicts), and verifies. The tills include an avoir overspent in a partition (sold at T2,
//! spent at T2 and at T3 before they heard of each other): one conflict in `shop status` at
//! every till, in the shop export and in the merge.

use crate::shop::{json, pair, Till, ORDER, SALE};
use crate::support::{relais, relais_ok, DataDir};
use serde_json::Value;

fn redeem(till: &Till, euros: &str) {
    till.ok(
        &["avoir", "redeem", "T2-V000001", euros, "--operator", "Paul"],
        "",
    );
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_shop_export_from_one_till_equals_the_merge_of_every_tills_bundle() {
    let mut tills = [Till::new("T1"), Till::new("T2"), Till::new("T3")];
    pair(&tills);
    for till in &mut tills {
        till.serve();
    }
    tills[0].ok(&["order", "create", "-"], ORDER);
    tills[2].ok(&["sale", "record", "-"], SALE);
    tills[1].ok(
        &[
            "avoir",
            "sell",
            "30",
            "--pay",
            "cash:30",
            "--operator",
            "Paul",
        ],
        "",
    );
    tills[2].sync();
    // A partition: T2 and T3 each spend 20 € of the 30 € avoir, neither hearing of the other.
    redeem(&tills[1], "20");
    redeem(&tills[2], "20");
    for till in &tills {
        till.sync();
    }
    for till in &tills {
        let status = json(&till.ok(&["shop", "status", "--json"], ""));
        let avoirs = status["avoir_conflicts"]
            .as_array()
            .expect("avoir_conflicts");
        assert_eq!(avoirs.len(), 1, "{}: {status}", till.code);
        assert_eq!(avoirs[0]["avoir"], "T2-V000001", "{status}");
        assert_eq!(avoirs[0]["spent_cents"], 4000, "{status}");
    }

    // The shop's bundle from T1.
    let out = DataDir::new();
    let shop_dir = out.path().join("shop");
    let shop = json(&tills[0].ok(
        &[
            "export",
            "--shop",
            "--out",
            shop_dir.to_str().unwrap(),
            "--operator",
            "Marie",
            "--json",
        ],
        "",
    ));
    let folder = std::path::PathBuf::from(shop["folder"].as_str().expect("a folder"));
    assert_eq!(
        shop["tills"],
        serde_json::json!(["T1", "T2", "T3"]),
        "{shop}"
    );
    assert_eq!(shop["avoir_conflicts"].as_array().map(Vec::len), Some(1));
    let verified = relais(&tills[0].data, &["verify", folder.to_str().unwrap()], "");
    assert!(
        verified.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );
    let manifest: Value = json(&read(&folder.join("manifest.json")));
    let journal = tills[0].ok(&["journal", "--json"], "");
    assert!(journal.contains("shop_export"), "{journal}");

    // Each till's own bundle of the positions the shop's bundle holds, merged.
    let mut bundles = Vec::new();
    for (till, chain) in tills.iter().zip(manifest["tills"].as_array().unwrap()) {
        assert_eq!(chain["till"], till.code);
        let range = format!("1-{}", chain["to_pos"]);
        let dir = out.path().join(till.code);
        let report = json(&till.ok(
            &[
                "export",
                "--range",
                &range,
                "--out",
                dir.to_str().unwrap(),
                "--operator",
                "Marie",
                "--json",
            ],
            "",
        ));
        bundles.push(report["folder"].as_str().unwrap().to_string());
    }
    let merged_dir = out.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(bundles.iter().map(String::as_str));
    args.extend(["--out", merged_dir.to_str().unwrap(), "--json"]);
    let merged = json(&relais_ok(&DataDir::new(), &args, ""));
    let merged_folder = std::path::PathBuf::from(merged["folder"].as_str().unwrap());
    let merged_manifest: Value = json(&read(&merged_folder.join("manifest.json")));

    assert_eq!(
        read(&folder.join("records.jsonl")),
        read(&merged_folder.join("records.jsonl")),
        "the same records, in the same lines"
    );
    for member in ["totals", "counts", "tills", "scope"] {
        assert_eq!(manifest[member], merged_manifest[member], "{member}");
    }
    for member in ["records", "avoir_conflicts", "conflicts", "tills"] {
        assert_eq!(shop[member], merged[member], "{member}");
    }
    assert!(manifest["totals"]["total_cents"].as_i64().unwrap_or(0) > 0);
}

/// `catalog find`'s products at a till, as (SKU, price in cents).
fn prices(till: &Till, query: &str) -> Vec<(String, i64)> {
    till.ok(&["catalog", "find", query, "--json"], "")
        .lines()
        .map(|l| {
            let p = json(l);
            (
                p["sku"].as_str().unwrap_or_default().to_string(),
                p["price_cents"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

/// `shop sync --once --json`'s price lists: (till fetched from, from_till, name, imported).
fn synced_lists(till: &Till) -> Vec<(String, String, String, Option<u64>)> {
    let said = json(&till.ok(&["shop", "sync", "--once", "--json"], ""));
    said["price_lists"]
        .as_array()
        .unwrap_or_else(|| panic!("{said}"))
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (s("till"), s("from_till"), s("name"), p["imported"].as_u64())
        })
        .collect()
}

#[test]
fn a_price_list_imported_at_one_till_is_imported_by_the_others_at_their_sync() {
    let mut tills = [Till::new("T1"), Till::new("T2"), Till::new("T3")];
    pair(&tills);
    for till in &mut tills[..2] {
        till.serve();
    }
    let work = DataDir::new();
    let file = work.path().join("prix.csv");
    std::fs::write(
        &file,
        "Référence;Libellé;Prix;TVA\nBAG01;Baguette tradition;1,20;5,5\nTAR02;Tarte aux pommes;18,50;5,5\n",
    )
    .unwrap();
    let said = tills[0].ok(
        &[
            "--lang",
            "en",
            "catalog",
            "import",
            file.to_str().unwrap(),
            "--shop",
            "--operator",
            "Marie",
        ],
        "",
    );
    assert!(said.contains("offered to the shop's tills"), "{said}");
    assert!(prices(&tills[1], "baguette").is_empty());

    // T2 fetches it from T1 and imports it with the same code; a second sync does nothing.
    let got = synced_lists(&tills[1]);
    assert_eq!(
        got,
        [("T1".into(), "T1".into(), "prix.csv".into(), Some(2))],
        "{got:?}"
    );
    assert_eq!(prices(&tills[1], "baguette"), [("BAG01".into(), 120)]);
    assert_eq!(synced_lists(&tills[1]), []);
    let journal = tills[1].ok(&["journal", "--json"], "");
    let import = journal
        .lines()
        .map(json)
        .find(|e| e.to_string().contains("catalog_import"))
        .unwrap_or_else(|| panic!("{journal}"));
    let message = import["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("(liste de prix reçue de la caisse T1)"),
        "{import}"
    );

    // T1 switched off: T3 gets it from T2, which offers it in turn.
    tills[0].kill();
    tills[1].kill();
    tills[1].serve();
    let got = synced_lists(&tills[2]);
    assert_eq!(
        got,
        [("T2".into(), "T1".into(), "prix.csv".into(), Some(2))],
        "{got:?}"
    );

    // A newer list at T3 (a new price) reaches T2; T2's own older offer does not go back.
    tills[2].serve();
    std::fs::write(
        &file,
        "Référence;Libellé;Prix;TVA\nBAG01;Baguette tradition;1,30;5,5\n",
    )
    .unwrap();
    tills[2].ok(
        &[
            "catalog",
            "import",
            file.to_str().unwrap(),
            "--shop",
            "--operator",
            "Marie",
        ],
        "",
    );
    let got = synced_lists(&tills[1]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].3), ("T3", Some(0)), "{got:?}");
    assert_eq!(prices(&tills[1], "baguette"), [("BAG01".into(), 130)]);
    assert_eq!(synced_lists(&tills[2]), [], "T3 holds the newest");
}
