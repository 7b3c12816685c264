//! A till found again by mDNS (issue 26): T1 and T2 paired by invitation, T1's `shop serve`
//! restarted on another port (the app restarted elsewhere, DHCP, a PC swapped); T2's
//! `shop sync --once` still pulls T1's new sale, found at its new address by mDNS, and stores
//! that address. With `RELAIS_LAN_MDNS=0` the invitation's address is all there is.

use crate::shop::{json, pair, Till, SALE};
use crate::support::{relais_bin, DataDir};
use serde_json::Value;
use std::process::Command;

/// `shop sync --once --json` at `data`, with mDNS on or off; T1's line.
fn sync_t1(data: &DataDir, mdns: bool) -> Value {
    let output = Command::new(relais_bin())
        .args(["shop", "sync", "--once", "--json"])
        .env("RELAIS_DATA_DIR", data.path())
        .env("RELAIS_LAN_MDNS", if mdns { "1" } else { "0" })
        .output()
        .expect("cannot start relais");
    assert!(output.status.success(), "{output:?}");
    let said = json(&String::from_utf8_lossy(&output.stdout));
    said["peers"]
        .as_array()
        .and_then(|peers| peers.iter().find(|p| p["till"] == "T1"))
        .cloned()
        .unwrap_or_else(|| panic!("{said}"))
}

/// T1 as T2's `shop status --json` shows it: (address, address_from).
fn t1_at_t2(t2: &Till) -> (String, String) {
    let status = json(&t2.ok(&["shop", "status", "--json"], ""));
    let t1 = &status["peers"][0];
    assert_eq!(t1["till"], "T1", "{status}");
    let said = |k: &str| t1[k].as_str().unwrap_or_default().to_string();
    (said("address"), said("address_from"))
}

#[test]
fn a_till_restarted_on_another_port_is_found_by_mdns_and_its_new_address_kept() {
    // A shop of its own: its mDNS service is seen by no other test.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let shop = format!("Librairie mDNS {} {nanos}", std::process::id());
    let mut tills = [Till::in_shop("T1", &shop), Till::in_shop("T2", &shop)];
    pair(&tills);
    let invited = tills[0].address().to_string();
    tills[0].serve();
    let first = sync_t1(&tills[1].data, true);
    assert_eq!(first["reachable"], true, "{first}");
    assert_eq!(t1_at_t2(&tills[1]), (invited.clone(), "invitation".into()));

    // T1 restarted on another port, and sells.
    tills[0].kill();
    tills[0].move_to_another_port();
    let moved = tills[0].address().to_string();
    tills[0].serve();
    tills[0].ok(&["sale", "record", "-"], SALE);

    // Without mDNS, T2 dials the invitation's address only: no answer.
    let alone = sync_t1(&tills[1].data, false);
    assert_eq!(
        (&alone["reachable"], &alone["received"]),
        (&Value::Bool(false), &Value::from(0)),
        "{alone}"
    );
    assert_eq!(t1_at_t2(&tills[1]), (invited.clone(), "invitation".into()));

    // With it, T1 is found where it listens now, its sale pulled, its address kept.
    let found = sync_t1(&tills[1].data, true);
    assert_eq!(found["reachable"], true, "{found}");
    assert!(found["received"].as_u64() > Some(0), "{found}");
    let (address, from) = t1_at_t2(&tills[1]);
    let port = |a: &str| a.rsplit(':').next().unwrap_or_default().to_string();
    assert_eq!(
        (port(&address), from.as_str()),
        (port(&moved), "mdns"),
        "{address} for {moved}"
    );

    // The next sync needs no multicast: the address found is dialled first.
    tills[0].ok(&["sale", "record", "-"], SALE);
    let again = sync_t1(&tills[1].data, false);
    assert_eq!(again["reachable"], true, "{again}");
    assert!(again["received"].as_u64() > Some(0), "{again}");
}
