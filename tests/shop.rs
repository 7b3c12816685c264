//! The shop's tills on the LAN (issue 26): three tills as separate `relais` processes on
//! 127.0.0.1, each serving its records with `relais shop serve` on a fixed port. Pairing by
//! invitation; an order with a deposit taken at T1, synced, collected at T2; T1 killed while
//! T2 and T3 go on, restarted and caught up; a gift voucher sold at T2 spent at T3, its
//! balance known at T1; the shop's X equal at every till and to the sum of the tills' own X;
//! an order collected at two tills in a partition, one conflict at each; a record altered in
//! a till's database refused by the others.

use crate::support::{relais, relais_ok, sqlite3, wait_within, DataDir};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SHOP: &str = "Librairie du Port";

pub(crate) fn json(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A port no one listens on now (UDP: QUIC's).
fn free_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free UDP port")
        .port()
}

/// A till and its `relais shop serve`, ended when dropped.
pub(crate) struct Till {
    pub code: &'static str,
    pub data: DataDir,
    address: String,
    server: Option<Child>,
}

impl Till {
    pub fn new(code: &'static str) -> Till {
        Till::in_shop(code, SHOP)
    }

    /// A till of `shop` (a shop of its own per test: its tills' mDNS service is its own).
    pub fn in_shop(code: &'static str, shop: &str) -> Till {
        let data = DataDir::new();
        relais_ok(&data, &["init", "--shop", shop, "--till", code], "");
        Till {
            code,
            data,
            address: format!("127.0.0.1:{}", free_port()),
            server: None,
        }
    }

    /// Starts serving; returns its first line, which says where it listens.
    pub fn serve(&mut self) -> String {
        let mut child = Command::new(crate::support::relais_bin())
            .args(["--lang", "en", "shop", "serve", "--listen", &self.address])
            .env("RELAIS_DATA_DIR", self.data.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start relais shop serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped"))
            .read_line(&mut first)
            .expect("the server's first line");
        self.server = Some(child);
        first
    }

    /// Where it serves (and its invitation says).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The next `serve` listens on another port (the app restarted elsewhere).
    pub fn move_to_another_port(&mut self) {
        let old = self.address.clone();
        while self.address == old {
            self.address = format!("127.0.0.1:{}", free_port());
        }
    }

    /// Kills the server, as a till switched off would be.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.server.take() {
            let _ = child.kill();
            let _ = wait_within(&mut child, Duration::from_secs(10));
        }
    }

    pub fn ok(&self, args: &[&str], stdin: &str) -> String {
        relais_ok(&self.data, args, stdin)
    }

    /// `shop sync --once --json`: per till, (received, reachable, defect).
    pub fn sync(&self) -> (bool, Vec<(String, u64, bool, bool)>) {
        let output = relais(&self.data, &["shop", "sync", "--once", "--json"], "");
        let said = json(&String::from_utf8_lossy(&output.stdout));
        let peers = said["peers"]
            .as_array()
            .unwrap_or_else(|| panic!("{said}"))
            .iter()
            .map(|p| {
                (
                    p["till"].as_str().unwrap_or_default().to_string(),
                    p["received"].as_u64().unwrap_or(0),
                    p["reachable"].as_bool().unwrap_or(false),
                    !p["defect"].is_null(),
                )
            })
            .collect();
        (output.status.success(), peers)
    }

    fn day_total(&self) -> i64 {
        json(&self.ok(&["day", "x", "--json"], ""))["totals"]["total_cents"]
            .as_i64()
            .unwrap_or(0)
    }
}

impl Drop for Till {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A sync's outcome for the given tills only, in their order: (received > 0, reachable, defect).
fn seen(sync: &(bool, Vec<(String, u64, bool, bool)>), tills: &[&str]) -> Vec<(bool, bool, bool)> {
    tills
        .iter()
        .map(|code| {
            let p = sync
                .1
                .iter()
                .find(|p| p.0 == *code)
                .unwrap_or_else(|| panic!("{code}: {sync:?}"));
            (p.1 > 0, p.2, p.3)
        })
        .collect()
}

pub(crate) const ORDER: &str = r#"{"customer": {"name": "Mme Durand", "phone": "06 12 34 56 78"},
 "lines": [{"label": "Coffret BD", "unit_price_cents": 3800, "vat_rate_bp": 550}],
 "deposit": [{"method": "card", "amount_cents": 1000}], "operator": "Marie"}"#;

pub(crate) const SALE: &str = r#"{"lines":[{"label":"Marque-page","unit_price_cents":250,"vat_rate_bp":2000,"qty":2}],
 "payments":[{"method":"cash","tendered_cents":500}],"operator":"Paul"}"#;

/// Pairing: each till joins the others with their invitations; returns the invitations.
pub(crate) fn pair(tills: &[Till]) -> Vec<String> {
    let invitations: Vec<String> = tills
        .iter()
        .map(|t| {
            t.ok(&["shop", "invite", "--address", &t.address], "")
                .trim()
                .to_string()
        })
        .collect();
    for (i, till) in tills.iter().enumerate() {
        for (j, invitation) in invitations.iter().enumerate() {
            if i != j {
                till.ok(&["shop", "join", invitation, "--operator", "Marie"], "");
            }
        }
    }
    invitations
}

#[test]
fn three_tills_share_an_order_the_shops_x_and_refuse_an_altered_record() {
    let mut tills = [Till::new("T1"), Till::new("T2"), Till::new("T3")];
    let invitations = pair(&tills);
    let own = relais(
        &tills[0].data,
        &["shop", "join", &invitations[0], "--operator", "Marie"],
        "",
    );
    assert!(!own.status.success(), "a till cannot pair with itself");
    for till in &mut tills {
        let first = till.serve();
        assert!(
            first.contains(&format!("Till {} listening on {}", till.code, till.address)),
            "{first}"
        );
    }

    // An order with a deposit at T1, seen at T2 after a sync, collected there.
    let order = json(&tills[0].ok(&["order", "create", "-"], ORDER));
    assert_eq!(order["number"], "T1-C000001", "{order}");
    let sync = tills[1].sync();
    assert_eq!(
        seen(&sync, &["T1", "T3"]),
        [(true, true, false), (true, true, false)],
        "{sync:?}"
    );
    let shown = json(&tills[1].ok(&["order", "show", "T1-C000001", "--json"], ""));
    assert_eq!(
        (shown["status"].as_str(), shown["balance_cents"].as_i64()),
        (Some("open"), Some(2800)),
        "{shown}"
    );
    tills[1].ok(
        &[
            "order",
            "status",
            "T1-C000001",
            "collected",
            "--pay",
            "cash:28,00",
            "--operator",
            "Paul",
        ],
        "",
    );

    // T1 switched off; T2 and T3 go on, and see it unreachable.
    tills[0].kill();
    tills[2].ok(&["sale", "record", "-"], SALE);
    for (i, other) in [(1, "T3"), (2, "T2")] {
        let sync = tills[i].sync();
        assert!(sync.0, "unreachable is no failure: {sync:?}");
        assert_eq!(
            seen(&sync, &["T1", other])[0],
            (false, false, false),
            "{sync:?}"
        );
        assert_eq!(seen(&sync, &[other])[0], (true, true, false), "{sync:?}");
    }

    // T1 back on the same port: it catches up, and sees its order collected at T2.
    tills[0].serve();
    let sync = tills[0].sync();
    assert_eq!(
        seen(&sync, &["T2", "T3"]),
        [(true, true, false), (true, true, false)],
        "{sync:?}"
    );
    let shown = json(&tills[0].ok(&["order", "show", "T1-C000001", "--json"], ""));
    assert_eq!(shown["status"], "collected", "{shown}");
    for till in &tills[1..] {
        till.sync();
    }

    // A gift voucher sold at T2, spent in part at T3 by its number, known at T1 with its
    // balance once synced; T1 cannot spend more than is left.
    let voucher = json(&tills[1].ok(
        &[
            "avoir",
            "sell",
            "30",
            "--pay",
            "cash:30",
            "--operator",
            "Paul",
            "--json",
        ],
        "",
    ));
    assert_eq!(voucher["number"], "T2-V000001", "{voucher}");
    tills[2].sync();
    let spent = json(&tills[2].ok(
        &[
            "avoir",
            "redeem",
            "T2-V000001",
            "20",
            "--operator",
            "Paul",
            "--json",
        ],
        "",
    ));
    assert_eq!(spent["balance_cents"], 1000, "{spent}");
    tills[0].sync();
    let known = json(&tills[0].ok(&["avoir", "show", "T2-V000001", "--json"], ""));
    assert_eq!(known["balance_cents"], 1000, "{known}");
    let over = relais(
        &tills[0].data,
        &["avoir", "redeem", "T2-V000001", "15", "--operator", "Paul"],
        "",
    );
    assert!(!over.status.success(), "15 € of the 10 € left");
    for till in &tills[1..] {
        till.sync();
    }

    // The shop's X: the same at every till, the sum of the tills' own X.
    let sum: i64 = tills.iter().map(Till::day_total).sum();
    assert_eq!(sum, 3800 + 500);
    for till in &tills {
        let x = json(&till.ok(&["shop", "x", "--json"], ""));
        assert_eq!(
            x["totals"]["total_cents"].as_i64(),
            Some(sum),
            "{}: {x}",
            till.code
        );
        assert_eq!(
            x["totals"]["deposits_received_cents"].as_i64(),
            Some(1000),
            "{x}"
        );
        assert_eq!(x["tills"].as_array().map(Vec::len), Some(3), "{x}");
        assert_eq!(x["conflicts"].as_array().map(Vec::len), Some(0), "{x}");
    }

    // A partition: T2 and T3 both hand over a second order before hearing of each other;
    // once they meet again, every till shows one conflict, with who, where and when.
    let second = json(&tills[0].ok(&["order", "create", "-"], ORDER));
    let number = second["number"].as_str().expect("a number").to_string();
    // T2 cut off from T3 (its server down) while each hands the order over.
    let collect = |till: &Till, pay: &str| {
        till.sync();
        till.ok(
            &[
                "order",
                "status",
                &number,
                "collected",
                "--pay",
                pay,
                "--operator",
                "Paul",
            ],
            "",
        );
    };
    collect(&tills[1], "cash:28,00");
    tills[1].kill();
    collect(&tills[2], "card:28,00");
    tills[1].serve();
    for till in &tills {
        till.sync();
    }
    for till in &tills {
        let status = json(&till.ok(&["shop", "status", "--json"], ""));
        let conflicts = status["conflicts"].as_array().expect("conflicts");
        assert_eq!(conflicts.len(), 1, "{}: {status}", till.code);
        assert_eq!(conflicts[0]["order"], number.as_str());
        let at: Vec<&str> = conflicts[0]["collections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["till"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(at, ["T2", "T3"], "{status}");
        let x = till.ok(&["shop", "x"], "");
        assert!(
            x.contains(&format!(
                "CONFLIT : la commande {number} a été remise 2 fois"
            )),
            "{x}"
        );
    }

    // A record altered in T3's database after it was written: T1 refuses the batch, keeps
    // nothing of it, says so in its status, and its own chain is untouched.
    tills[2].ok(&["sale", "record", "-"], SALE);
    let held = |till: &Till, code: &str| {
        let status = json(&till.ok(&["shop", "status", "--json"], ""));
        let peer = status["peers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["till"] == code)
            .cloned();
        peer.unwrap_or_else(|| panic!("{status}"))
    };
    let before = held(&tills[0], "T3")["held"].as_u64();
    sqlite3(
        &tills[2].data.path().join("relais.db"),
        "DROP TRIGGER ledger_no_update; UPDATE ledger SET body = replace(body, '\"unit_price_cents\":250', '\"unit_price_cents\":25') WHERE pos = (SELECT MAX(pos) FROM ledger WHERE kind = 'sale');",
    );
    let sync = tills[0].sync();
    assert!(!sync.0, "a defect fails the sync: {sync:?}");
    assert_eq!(
        seen(&sync, &["T2", "T3"])[1],
        (false, true, true),
        "{sync:?}"
    );
    let t3 = held(&tills[0], "T3");
    assert_eq!(t3["held"].as_u64(), before, "{t3}");
    assert!(t3["defect"].as_str().is_some_and(|d| !d.is_empty()), "{t3}");
    let status = tills[0].ok(&["shop", "status"], "");
    assert!(status.contains("DÉFAUT"), "{status}");
    assert!(relais(&tills[0].data, &["verify"], "").status.success());

    // The shop's bundle is refused while T3's chain held may stop short: nothing written.
    let out = DataDir::new();
    let shop_dir = out.path().join("shop");
    let refused = relais(
        &tills[0].data,
        &[
            "export",
            "--shop",
            "--out",
            shop_dir.to_str().unwrap(),
            "--operator",
            "Marie",
        ],
        "",
    );
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{said}");
    assert!(said.contains("caisse T3 ont été refusés"), "{said}");
    assert!(!shop_dir.exists(), "{}", shop_dir.display());
}
