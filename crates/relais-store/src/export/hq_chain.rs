//! A small chain of shops for docs/HQ.md's test: five shops of two tills each, five business
//! days, every till exporting `--since-last` after each day's Z, laid out as the head office
//! lays the bundles out (`bundles/SHOP/relais-T1-000001-000012/`): 50 bundles, made with the
//! store's own API, holding sales at four VAT rates paid by card, cash and avoir, a void, a
//! refund to an avoir, a gift voucher, orders with deposits (one collected, one still open)
//! and re-entry marks (one by one and from a file).

use super::ExportOptions;
use crate::avoirs::{IssueAvoirInput, SellVoucherInput};
use crate::day::{CloseDayInput, OpenDayInput};
use crate::{InitOptions, RefundInput, RefundLineInput, Store};
use chrono::{TimeZone, Utc};
use relais_core::order::OrderInput;
use relais_core::sale::PaymentInput;
use relais_core::{SaleInput, Shop};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub(super) const SHOPS: [&str; 5] = ["lille", "lyon", "metz", "nantes", "rennes"];
pub(super) const TILLS: [&str; 2] = ["T1", "T2"];
pub(super) const DAYS: usize = 5;
const RATES: [u32; 4] = [2000, 1000, 550, 210];

fn till(dir: &Path, shop: &str, code: &str, now: &Arc<AtomicI64>) -> Store {
    let mut store = Store::open(dir).unwrap();
    let clock = now.clone();
    store.set_clock(move || Utc.timestamp_opt(clock.load(Ordering::SeqCst), 0).unwrap());
    store
        .init(&InitOptions {
            shop: Shop {
                name: format!("Librairie de {shop}"),
                ..Shop::default()
            },
            till: code.into(),
            ..InitOptions::default()
        })
        .unwrap();
    store
}

fn ticket(lines: &[(i64, u32)], method: &str, reference: Option<&str>) -> SaleInput {
    let total: i64 = lines.iter().map(|(price, _)| price).sum();
    let payment = match method {
        "cash" => json!({"method": "cash", "tendered_cents": total + 1000}),
        m => json!({"method": m, "amount_cents": total, "reference": reference}),
    };
    let lines: Vec<_> = lines
        .iter()
        .map(|(price, rate)| json!({"label": "Livre", "unit_price_cents": price, "vat_rate_bp": rate}))
        .collect();
    serde_json::from_value(json!({"lines": lines, "payments": [payment], "operator": "Marie"}))
        .unwrap()
}

fn pay(method: &str, cents: i64) -> PaymentInput {
    PaymentInput {
        method: method.into(),
        amount_cents: Some(cents),
        tendered_cents: None,
        reference: None,
    }
}

fn order(name: &str, price: i64, method: &str, deposit: i64) -> OrderInput {
    serde_json::from_value(json!({
        "customer": {"name": name, "phone": "0612345678"},
        "lines": [{"label": "Coffret", "unit_price_cents": price, "vat_rate_bp": 550}],
        "deposit": [{"method": method, "amount_cents": deposit}], "operator": "Marie"
    }))
    .unwrap()
}

/// One till's business day: its sales, then what happens on that till that day.
fn day_of(store: &mut Store, s: usize, t: usize, d: usize, avoir_code: &mut Option<String>) {
    let i64_of = |n: usize| i64::try_from(n).unwrap();
    let count = 3 + (s + t + d) % 3;
    let mut numbers = Vec::new();
    for i in 0..count {
        let price = 150 + 100 * i64_of(s) + 37 * i64_of(i) + 11 * i64_of(d) + 5 * i64_of(t);
        let rate = RATES[(i + d + t) % RATES.len()];
        let method = if (i + s).is_multiple_of(2) {
            "card"
        } else {
            "cash"
        };
        let lines = match i {
            0 => vec![(price, rate), (price / 2 + 3, RATES[(d + 1) % RATES.len()])],
            _ => vec![(price, rate)],
        };
        let recorded = store
            .record_sale_as(&ticket(&lines, method, None), None)
            .unwrap();
        numbers.push(recorded.number);
    }
    match (t, d) {
        (0, 0) => {
            let first = order("Mme Durand", 4500, "card", 1000);
            store.create_order_as(&first, None).unwrap();
            let second = order("M. Martin", 2000 + 100 * i64_of(s), "cash", 500);
            store.create_order_as(&second, None).unwrap();
        }
        (0, 1) => {
            let refund = store
                .refund_as(&RefundInput {
                    sale: numbers[1].clone(),
                    lines: vec![RefundLineInput {
                        line: 0,
                        qty: "1".into(),
                    }],
                    method: "store_credit".into(),
                    reference: None,
                    reason: "abîmé".into(),
                    operator: "Marie".into(),
                    approval: None,
                })
                .unwrap();
            let avoir = store
                .issue_avoir_as(&IssueAvoirInput {
                    from: refund.number,
                    operator: "Marie".into(),
                    approval: None,
                })
                .unwrap();
            *avoir_code = avoir.code;
        }
        (0, 2) => {
            store
                .collect_order_as("T1-C000001", &[pay("cash", 3500)], "Marie")
                .unwrap();
        }
        (0, 3) => {
            store
                .mark_reentered_as("T1-000001", "VENTE-1", "Marie")
                .unwrap();
            store
                .mark_reentered_as("T1-000002", "VENTE-2", "Marie")
                .unwrap();
        }
        (1, 0) => {
            store
                .sell_voucher_as(&SellVoucherInput {
                    amount_cents: 3000,
                    payments: vec![pay("cash", 3000)],
                    operator: "Marie".into(),
                })
                .unwrap();
        }
        (1, 1) => {
            store
                .void_sale_as(&numbers[0], "erreur", "Marie", None)
                .unwrap();
        }
        (1, 3) => {
            let code = avoir_code.as_deref().expect("T1's avoir of day 1");
            let spent = ticket(&[(100, 550)], "store_credit", Some(code));
            store.record_sale_as(&spent, None).unwrap();
        }
        (1, 4) => {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("references-saas.csv");
            std::fs::write(&file, "T2-000001,V-1\r\nT2-000002,V-2\r\nT2-000003,V-3\r\n").unwrap();
            store.import_reentries_as(&file, "Marie").unwrap();
        }
        _ => {}
    }
}

/// What the chain wrote: every bundle's folder, and each till's re-entry status as the till
/// itself counts it (`relais reentry status`): (shop, till) → (records to re-enter, left).
pub(super) struct Chain {
    pub folders: Vec<PathBuf>,
    pub reentry: BTreeMap<(String, String), (u64, u64)>,
}

/// Writes the chain's 50 bundles under `root/bundles/SHOP/`.
pub(super) fn write_chain(root: &Path) -> Chain {
    let now = Arc::new(AtomicI64::new(
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
            .unwrap()
            .timestamp(),
    ));
    let dirs = tempfile::tempdir().unwrap();
    let mut tills: Vec<(usize, usize, Store)> = Vec::new();
    for (s, shop) in SHOPS.iter().enumerate() {
        for (t, code) in TILLS.iter().enumerate() {
            let dir = dirs.path().join(format!("{shop}-{code}"));
            tills.push((s, t, till(&dir, shop, code, &now)));
        }
    }
    // Each shop's T2 takes its T1's avoirs.
    for pair in tills.chunks_mut(2) {
        let key = pair[0].2.public_key().unwrap();
        pair[1].2.import_till_key_as("T1", &key, "Marie").unwrap();
    }
    let mut codes: Vec<Option<String>> = vec![None; SHOPS.len()];
    let mut folders = Vec::new();
    for d in 0..DAYS {
        for (s, t, store) in &mut tills {
            let open = OpenDayInput {
                business_day: None,
                denominations: vec![],
                operator: "Marie".into(),
            };
            store.open_day_as(&open).unwrap();
            day_of(store, *s, *t, d, &mut codes[*s]);
            let close = CloseDayInput {
                operator: "Marie".into(),
                ..CloseDayInput::default()
            };
            store.close_day_as(&close).unwrap();
            let report = store
                .export_as(&ExportOptions {
                    out: root.join("bundles").join(SHOPS[*s]),
                    since_last: true,
                    operator: "Marie".into(),
                    ..ExportOptions::default()
                })
                .unwrap();
            folders.push(PathBuf::from(report.folder));
        }
        now.fetch_add(24 * 3600, Ordering::SeqCst);
    }
    let mut reentry = BTreeMap::new();
    for (s, t, store) in &tills {
        let status = store.reentry_status().unwrap();
        let total = status.kinds.iter().map(|k| k.total).sum();
        let key = (SHOPS[*s].to_string(), TILLS[*t].to_string());
        reentry.insert(key, (total, status.left));
    }
    Chain { folders, reentry }
}
