//! docs/HQ.md as a head office runs it: every fenced `sql` block of the page (each under its
//! `<!-- hq: NAME -->` marker, so the page and this test cannot drift apart) run in DuckDB's
//! Python wheel over the 50 bundles of `hq_chain`, laid out as the page says, and every row
//! of every answer compared with the figures computed here from the bundles' records.jsonl
//! and manifests (and, for the re-entry, from the tills themselves). Run when Python can
//! import DuckDB (`cargo xtask test` installs the pinned wheel under target/ and gives its
//! folder in `RELAIS_PYTHONPATH`), and said to be skipped otherwise.

use super::hq_chain::{write_chain, Chain};
use super::verify_bundle;
use relais_core::Record;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const PAGE: &str = include_str!("../../../../docs/HQ.md");

/// The page's blocks, in the order it gives them (the views first).
const BLOCKS: [&str; 8] = [
    "views",
    "bundles",
    "daily_sales",
    "vat_per_rate",
    "payments",
    "deposits",
    "avoirs_outstanding",
    "reentry",
];

/// Runs each block in one DuckDB connection, in the head office's folder; prints each query's
/// rows, every cell as text (`NULL` for a null), as JSON.
const RUN_BLOCKS: &str = r#"
import duckdb, json, sys
blocks = json.load(sys.stdin)
con = duckdb.connect()
out = {}
for name, sql in blocks:
    if name == "views":
        con.execute(sql)
        continue
    rows = con.sql(sql).fetchall()
    out[name] = [["NULL" if v is None else str(v) for v in row] for row in rows]
print(json.dumps(out))
"#;

/// The `sql` blocks of the page, by marker; every `sql` block must have one.
fn page_blocks(page: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut marker: Option<String> = None;
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if let Some(name) = line
            .strip_prefix("<!-- hq: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        {
            marker = Some(name.to_string());
        } else if line == "```sql" {
            let name = marker
                .take()
                .expect("an sql block of docs/HQ.md without its marker");
            let sql: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            blocks.push((name, sql.join("\n")));
        } else if !line.trim().is_empty() {
            marker = None;
        }
    }
    blocks
}

/// The blocks' answers, or None (and a note) when Python has no DuckDB.
fn run_in_duckdb(root: &Path, blocks: &[(String, String)]) -> Option<BTreeMap<String, Rows>> {
    let python = || {
        let mut python = Command::new("python3");
        if let Some(path) = std::env::var_os("RELAIS_PYTHONPATH") {
            python.env("PYTHONPATH", path);
        }
        python
    };
    let probe = python().args(["-c", "import duckdb"]).output().ok()?;
    if !probe.status.success() {
        assert!(
            std::env::var_os("RELAIS_PYTHONPATH").is_none(),
            "RELAIS_PYTHONPATH is set but Python cannot import duckdb"
        );
        eprintln!("Python's duckdb not installed: docs/HQ.md's queries are not run");
        return None;
    }
    let mut child = python()
        .args(["-c", RUN_BLOCKS])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(blocks).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let run = child.wait_with_output().unwrap();
    assert!(
        run.status.success(),
        "docs/HQ.md in DuckDB: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    Some(serde_json::from_slice(&run.stdout).unwrap())
}

type Rows = Vec<Vec<String>>;

/// Cents as DuckDB prints a DECIMAL(18,2): `-0.98`, `15.00`.
fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn int(value: &Value) -> i64 {
    value.as_i64().unwrap_or(0)
}

/// A till's bundles, from their manifests.
struct TillBundles {
    count: i64,
    first_pos: i64,
    last_pos: i64,
    total_cents: i64,
    shop_name: String,
}

/// What the page's queries must answer, computed from the bundles' files without DuckDB.
#[derive(Default)]
struct Expected {
    bundles: BTreeMap<(String, String), TillBundles>,
    /// (shop, day) → sales, refunds and voids, net TTC, net HT.
    daily: BTreeMap<(String, String), [i64; 4]>,
    /// (shop, −rate) → HT, VAT, TTC.
    vat: BTreeMap<(String, i64), [i64; 3]>,
    /// (shop, method) → count, amount.
    payments: BTreeMap<(String, String), [i64; 2]>,
    /// shop → received, refunded; order id → (Σ deposits, still pending).
    deposits: BTreeMap<String, [i64; 2]>,
    orders: BTreeMap<(String, String), (i64, bool)>,
    /// (shop, avoir number) → origin, amount, expires; (shop, avoir number) → spent.
    avoirs: BTreeMap<(String, String), (String, i64, String)>,
    spent: BTreeMap<(String, String), i64>,
    /// (shop, till) → Σ marked.
    marked: BTreeMap<(String, String), i64>,
}

impl Expected {
    fn add_bundle(&mut self, shop: &str, folder: &Path) {
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
        let till = &manifest["tills"][0];
        let key = (shop.to_string(), till["till"].as_str().unwrap().to_string());
        let name = manifest["shop"]["name"].as_str().unwrap().to_string();
        let entry = self.bundles.entry(key).or_insert(TillBundles {
            count: 0,
            first_pos: i64::MAX,
            last_pos: 0,
            total_cents: 0,
            shop_name: name,
        });
        entry.count += 1;
        entry.first_pos = entry.first_pos.min(int(&till["from_pos"]));
        entry.last_pos = entry.last_pos.max(int(&till["to_pos"]));
        entry.total_cents += int(&manifest["totals"]["total_cents"]);
        let records = std::fs::read_to_string(folder.join("records.jsonl")).unwrap();
        for line in records.lines() {
            let line: Value = serde_json::from_str(line).unwrap();
            self.add_record(shop, &line["record"]);
        }
    }

    fn add_record(&mut self, shop: &str, record: &Value) {
        let s = shop.to_string();
        let data = &record["data"];
        let kind = record["kind"].as_str().unwrap();
        match kind {
            "sale" | "refund" | "void" => {
                let day = record["business_day"].as_str().unwrap().to_string();
                let daily = self.daily.entry((s.clone(), day)).or_default();
                daily[usize::from(kind != "sale")] += 1;
                daily[2] += int(&data["total_cents"]);
                for row in data["vat"].as_array().unwrap() {
                    daily[3] += int(&row["ht_cents"]);
                    let vat = self
                        .vat
                        .entry((s.clone(), -int(&row["rate_bp"])))
                        .or_default();
                    vat[0] += int(&row["ht_cents"]);
                    vat[1] += int(&row["vat_cents"]);
                    vat[2] += int(&row["ttc_cents"]);
                }
                for payment in data["payments"].as_array().unwrap() {
                    let method = payment["method"].as_str().unwrap().to_string();
                    let paid = self.payments.entry((s.clone(), method)).or_default();
                    paid[0] += 1;
                    paid[1] += int(&payment["amount_cents"]);
                }
            }
            "deposit" => {
                let amount = int(&data["amount_cents"]);
                self.deposits.entry(s.clone()).or_default()[usize::from(amount < 0)] += amount;
                let order = data["order"]["id"].as_str().unwrap().to_string();
                self.orders.entry((s, order)).or_insert((0, true)).0 += amount;
            }
            "order" => {
                let id = record["id"].as_str().unwrap().to_string();
                self.orders.entry((s, id)).or_insert((0, true));
            }
            "order_event" => {
                let order = data["order"]["id"].as_str().unwrap().to_string();
                let status = data["status"].as_str().unwrap();
                self.orders.entry((s, order)).or_insert((0, true)).1 =
                    !matches!(status, "collected" | "cancelled");
            }
            "avoir" => {
                let number = serde_json::from_value::<Record>(record.clone())
                    .unwrap()
                    .number();
                let origin = data["origin"].as_str().unwrap().to_string();
                let expires = data["expires"].as_str().unwrap().to_string();
                let amount = int(&data["amount_cents"]);
                self.avoirs.insert((s, number), (origin, amount, expires));
            }
            "avoir_use" if data["source"] == "avoir" => {
                let number = data["voucher"].as_str().unwrap().to_string();
                *self.spent.entry((s, number)).or_default() += int(&data["amount_cents"]);
            }
            "event" if data["name"] == "reentry_marked" => {
                let till = record["till"].as_str().unwrap().to_string();
                let marked = data["details"]["marked"].as_i64().unwrap_or(1);
                *self.marked.entry((s, till)).or_default() += marked;
            }
            _ => {}
        }
    }

    /// Each query's rows, as DuckDB prints them.
    fn answers(&self, chain: &Chain) -> BTreeMap<String, Rows> {
        let mut answers = BTreeMap::new();
        let bundles = self.bundles.iter().map(|((shop, till), b)| {
            let positions = [b.count, b.first_pos, b.last_pos, 0].map(|n| n.to_string());
            let mut row = vec![shop.clone(), till.clone()];
            row.extend(positions);
            row.extend([euros(b.total_cents), b.shop_name.clone()]);
            row
        });
        answers.insert("bundles".into(), bundles.collect());
        let daily = self.daily.iter().map(|((shop, day), d)| {
            let counts = [d[0].to_string(), d[1].to_string()];
            let mut row = vec![shop.clone(), day.clone()];
            row.extend(counts);
            row.extend([euros(d[2]), euros(d[3])]);
            row
        });
        answers.insert("daily_sales".into(), daily.collect());
        let vat = self.vat.iter().map(|((shop, rate), v)| {
            vec![
                shop.clone(),
                euros(-rate),
                euros(v[0]),
                euros(v[1]),
                euros(v[2]),
            ]
        });
        answers.insert("vat_per_rate".into(), vat.collect());
        let payments = self.payments.iter().map(|((shop, method), p)| {
            vec![shop.clone(), method.clone(), p[0].to_string(), euros(p[1])]
        });
        answers.insert("payments".into(), payments.collect());
        let deposits = self.deposits.iter().map(|(shop, [received, refunded])| {
            let pending: Vec<i64> = self
                .orders
                .iter()
                .filter(|((s, _), (_, open))| s == shop && *open)
                .map(|(_, (held, _))| *held)
                .collect();
            let count = pending.len().to_string();
            let held = euros(pending.iter().sum());
            vec![
                shop.clone(),
                euros(*received),
                euros(*refunded),
                count,
                held,
            ]
        });
        answers.insert("deposits".into(), deposits.collect());
        answers.insert("avoirs_outstanding".into(), self.avoir_rows());
        let reentry = chain.reentry.iter().map(|((shop, till), (total, left))| {
            let marked = self.marked.get(&(shop.clone(), till.clone())).copied();
            let marked = marked.unwrap_or(0);
            assert_eq!(
                *total as i64 - marked,
                *left as i64,
                "{shop} {till}: the till's own count"
            );
            let cells = [total.to_string(), marked.to_string(), left.to_string()];
            let mut row = vec![shop.clone(), till.clone()];
            row.extend(cells);
            row
        });
        answers.insert("reentry".into(), reentry.collect());
        answers
    }

    fn avoir_rows(&self) -> Rows {
        // (shop, origin) → issued, amount, spent, outstanding, overspent, first expiry.
        let mut by_origin: BTreeMap<(String, String), ([i64; 5], Option<String>)> = BTreeMap::new();
        for ((shop, number), (origin, amount, expires)) in &self.avoirs {
            let spent = self.spent.get(&(shop.clone(), number.clone())).copied();
            let spent = spent.unwrap_or(0);
            let (sums, first) = by_origin.entry((shop.clone(), origin.clone())).or_default();
            sums[0] += 1;
            sums[1] += amount;
            sums[2] += spent;
            sums[3] += (amount - spent).max(0);
            sums[4] += i64::from(spent > *amount);
            if amount > &spent && first.as_ref().is_none_or(|f| expires < f) {
                *first = Some(expires.clone());
            }
        }
        by_origin
            .into_iter()
            .map(|((shop, origin), (s, first))| {
                let money = [euros(s[1]), euros(s[2]), euros(s[3])];
                let mut row = vec![shop, origin, s[0].to_string()];
                row.extend(money);
                row.extend([s[4].to_string(), first.unwrap_or_else(|| "NULL".into())]);
                row
            })
            .collect()
    }
}

#[test]
fn every_query_of_the_head_office_page_runs_and_gives_the_bundles_figures() {
    let blocks = page_blocks(PAGE);
    let names: Vec<&str> = blocks.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, BLOCKS, "docs/HQ.md's queries, in order");
    let root = tempfile::tempdir().unwrap();
    let chain = write_chain(root.path());
    assert_eq!(chain.folders.len(), 50);
    let mut expected = Expected::default();
    for folder in &chain.folders {
        let verdict = verify_bundle(folder).unwrap();
        assert!(verdict.ok, "{}: {:?}", folder.display(), verdict.defect);
        let shop = folder.parent().unwrap().file_name().unwrap();
        expected.add_bundle(shop.to_str().unwrap(), folder);
    }
    // What the chain holds, so that every query has something to add up.
    assert_eq!(expected.vat.len(), 5 * 4, "four VAT rates in each shop");
    let methods: Vec<&str> = expected.payments.keys().map(|(_, m)| m.as_str()).collect();
    for method in ["card", "cash", "deposit", "store_credit"] {
        assert!(methods.contains(&method), "{method} in {methods:?}");
    }
    let orders = expected.orders.values();
    assert!(orders.clone().any(|(held, pending)| *pending && *held > 0));
    assert!(
        orders.clone().any(|(_, pending)| !pending),
        "an order collected"
    );
    assert_eq!(
        expected.spent.len(),
        5,
        "an avoir of T1 spent at T2 in each shop"
    );
    let marks: i64 = expected.marked.values().sum();
    assert_eq!(
        marks,
        5 * (2 + 3),
        "two marks at T1 and a file of three at T2"
    );
    let net: i64 = expected.daily.values().map(|d| d[2]).sum();
    let bundled: i64 = expected.bundles.values().map(|b| b.total_cents).sum();
    assert_eq!(net, bundled, "the records add up to the manifests' totals");
    let Some(answers) = run_in_duckdb(root.path(), &blocks) else {
        return;
    };
    for (name, rows) in expected.answers(&chain) {
        assert!(!rows.is_empty(), "{name}: nothing expected");
        assert_eq!(answers[&name], rows, "{name}");
    }
}
