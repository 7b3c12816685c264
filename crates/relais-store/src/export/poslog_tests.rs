use super::tests::{busy_till, cents, sale};
use super::*;
use crate::day::OpenDayInput;
use relais_core::order::OrderInput;
use relais_core::sale::PaymentInput;
use serde_json::json;

const TRICKY: &str = r#"Pain <b>"bio"</b> & co"#;

/// A realistic POSLog: the busy till's sales, refund, void, deposit and paper slip, then a
/// label full of markup and an order collected against its deposit. Returns the bundle folder
/// (and the temporary folders that hold it).
pub(super) fn poslog_bundle() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = busy_till(dir.path());
    store
        .open_day_as(&OpenDayInput {
            business_day: None,
            denominations: vec![],
            operator: "Marie".into(),
        })
        .unwrap();
    store
        .record_sale_as(&sale(TRICKY, 480, 550, "cash"), None)
        .unwrap();
    store
        .set_department_as("EPI", "Epicerie", 550, "Marie")
        .unwrap();
    let product = crate::catalog::NewProduct {
        barcode: Some("0012345678905".into()),
        sku: Some("CONF-01".into()),
        label: "Confiture".into(),
        price_cents: 450,
        vat_rate_bp: Some(550),
        department: Some("EPI".into()),
        ..crate::catalog::NewProduct::default()
    };
    store.create_product_as(&product, "Marie").unwrap();
    let catalogued: relais_core::SaleInput = serde_json::from_value(json!({
        "lines": [
            {"barcode": "0012345678905", "qty": "2", "discount_cents": 90},
            {"label": "Sac", "unit_price_cents": 10, "vat_rate_bp": 2000}
        ],
        "payments": [{"method": "other", "amount_cents": 820, "reference": "Lydia"}], "operator": "Marie"
    }))
    .unwrap();
    store.record_sale_as(&catalogued, None).unwrap();
    let order: OrderInput = serde_json::from_value(json!({
        "customer": {"name": "M. Petit", "phone": "0600000000"},
        "lines": [{"label": "Tarte", "unit_price_cents": 1800, "vat_rate_bp": 550}],
        "deposit": [{"method": "cash", "amount_cents": 500}], "operator": "Marie"
    }))
    .unwrap();
    let taken = store.create_order_as(&order, None).unwrap();
    store.order_ready_as(&taken.number, None, "Marie").unwrap();
    let balance = PaymentInput {
        method: "card".into(),
        amount_cents: Some(1300),
        tendered_cents: None,
        reference: Some("AUTH42".into()),
    };
    store
        .collect_order_as(&taken.number, &[balance], "Marie")
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = store
        .export_as(&ExportOptions {
            out: out.path().to_path_buf(),
            poslog: true,
            operator: "Marie".into(),
            ..ExportOptions::default()
        })
        .unwrap();
    let folder = PathBuf::from(&report.folder);
    (dir, out, folder)
}

/// With POSLOG_XSD naming a copy of the ARTS POSLog V6.0.0 schema (NRF's, not distributed
/// with Relais), xmllint must find the realistic bundle's poslog.xml valid.
#[test]
fn poslog_is_valid_against_the_arts_v6_schema_when_given() {
    let Some(xsd) = std::env::var_os("POSLOG_XSD") else {
        eprintln!("POSLOG_XSD not set: poslog.xml not validated against the ARTS V6 schema");
        return;
    };
    let (_dir, _out, folder) = poslog_bundle();
    let xml = folder.join("poslog.xml");
    if let Some(keep) = std::env::var_os("POSLOG_KEEP") {
        std::fs::copy(&xml, &keep).unwrap();
    }
    let run = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&xml)
        .output()
        .expect("xmllint (apt libxml2-utils) runs");
    let errors = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "poslog.xml is not valid POSLog V6:\n{errors}"
    );
}

/// Every text of an XML document with the path of its element: ("POSLog/Transaction/…", text),
/// and attribute values as ("…/Element@Attr", value), read with a plain XML reader.
fn xml_texts(xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut path, mut texts): (Vec<String>, Vec<(String, String)>) = (Vec::new(), Vec::new());
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                path.push(e.name().into_inner().to_string());
                for attr in e.attributes() {
                    let attr = attr.unwrap();
                    let key = attr.key.into_inner().to_string();
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned();
                    texts.push((format!("{}@{key}", path.join("/")), value));
                }
                text.clear();
            }
            Event::Text(t) => text += &t.xml10_content(),
            Event::GeneralRef(r) => {
                text += &quick_xml::escape::unescape(&format!("&{};", r.xml10_content())).unwrap()
            }
            Event::End(_) => {
                if !text.trim().is_empty() {
                    texts.push((path.join("/"), std::mem::take(&mut text)));
                }
                text.clear();
                path.pop();
            }
            Event::Eof => return texts,
            _ => {}
        }
    }
}

/// The POSLog file, read back with a plain XML reader: one transaction per ticket or deposit,
/// every total and tender adds up, labels come back exactly, paper sales keep their real time.
#[test]
fn poslog_carries_every_ticket_and_deposit_offline_flagged_and_adding_up() {
    let (_dir, _out, folder) = poslog_bundle();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    let xml = std::fs::read_to_string(folder.join("poslog.xml")).unwrap();
    let texts = xml_texts(&xml);
    let all = |suffix: &str| -> Vec<&str> {
        texts
            .iter()
            .filter(|(p, _)| p.ends_with(suffix))
            .map(|(_, t)| t.as_str())
            .collect()
    };
    let counts = &manifest["counts"];
    let tickets = ["sale", "refund", "void", "deposit"]
        .iter()
        .map(|k| counts[k].as_u64().unwrap_or(0))
        .sum::<u64>();
    assert_eq!(all("Transaction/TransactionID").len() as u64, tickets);
    let offline = all("Transaction@OfflineFlag");
    assert_eq!(
        offline.len() as u64,
        tickets,
        "every transaction says offline"
    );
    assert!(offline.iter().all(|f| *f == "true"));
    assert!(all("Transaction@TrainingModeFlag")
        .iter()
        .all(|f| *f == "false"));
    let grand: Vec<i64> = texts
        .windows(2)
        .filter(|w| w[0].0.ends_with("Total@TotalType") && w[0].1 == "TransactionGrandAmount")
        .map(|w| cents(&w[1].1))
        .collect();
    assert_eq!(grand.len() as u64, tickets);
    let deposits: i64 = all("Deposit/Amount").iter().map(|a| cents(a)).sum();
    assert_eq!(
        all("Deposit/Amount").len() as u64,
        counts["deposit"].as_u64().unwrap()
    );
    assert_eq!(
        grand.iter().sum::<i64>() - deposits,
        manifest["totals"]["total_cents"].as_i64().unwrap(),
        "the tickets add up to the turnover, deposits apart"
    );
    let tendered: i64 = all("Tender/Amount").iter().map(|a| cents(a)).sum();
    let absolute: i64 = grand.iter().map(|g| g.abs()).sum();
    assert_eq!(tendered, absolute, "tenders cover every ticket");
    assert!(
        all("Sale/Description").contains(&TRICKY),
        "the label comes back exactly"
    );
    assert_eq!(all("TransactionLink@ReasonCode"), ["Voided", "Return"]);
    assert!(
        all("Transaction/BeginDateTime")
            .iter()
            .any(|t| t.starts_with("2026-11-27T09:00")),
        "the paper sale keeps the time on its slip"
    );
    assert!(manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "poslog.xml"));
    let verdict = verify_bundle(&folder).unwrap();
    assert!(verdict.ok, "{:?}", verdict.defect);
}
