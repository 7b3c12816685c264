use super::price_list::PriceListOffer;
use super::tests::{till, SHOP};
use crate::catalog::ImportOptions;
use crate::Store;

/// (SKU, label, price in cents) of what a search for `query` finds.
fn found(store: &Store, query: &str) -> Vec<(Option<String>, String, i64)> {
    let mut products: Vec<_> = store
        .search_products(query, 10)
        .unwrap()
        .into_iter()
        .map(|p| (p.sku, p.label, p.price_cents))
        .collect();
    products.sort();
    products
}

/// A list whose columns were mapped by hand at T1 (headers no till recognises) is imported
/// at T2 with the same map; an offer of an older version, with no map, still reads.
#[test]
fn a_price_list_mapped_by_hand_is_imported_alike_at_every_till() {
    let work = tempfile::tempdir().unwrap();
    let mut t1 = till(&work.path().join("t1"), SHOP, "T1");
    let mut t2 = till(&work.path().join("t2"), SHOP, "T2");
    let file = work.path().join("export-saas.csv");
    let bytes = "Col A;Col B;Col C;Col D\nBAG01;Baguette tradition;1,20;5,5\nTAR02;Tarte aux pommes;18,50;5,5\n";
    std::fs::write(&file, bytes).unwrap();
    let options = ImportOptions {
        map: ["Col A=sku", "Col B=label", "Col C=price", "Col D=vat"]
            .map(String::from)
            .to_vec(),
        sheet: None,
        strict: false,
        dry_run: false,
        preview_rows: 0,
        operator: "admin".into(),
    };
    let by = t1.own_manager("admin").unwrap();
    let report = t1.import_catalog(&file, &options, &by).unwrap();
    assert!(report.applied && report.rejects.is_empty(), "{report:?}");
    let offer = t1.offer_price_list(&file, &options, &by).unwrap();

    let wire = serde_json::to_value(&offer).unwrap();
    let received = t2.receive_price_list(wire, bytes.as_bytes()).unwrap();
    let (_, imported) = received.expect("a newer list is imported");
    assert!(imported.rejects.is_empty(), "{imported:?}");
    let want = [
        (Some("BAG01".into()), "Baguette tradition".into(), 120),
        (Some("TAR02".into()), "Tarte aux pommes".into(), 1850),
    ];
    assert_eq!(found(&t1, "baguette")[..], want[..1]);
    assert_eq!(found(&t2, "baguette")[..], want[..1]);
    assert_eq!(found(&t2, "tarte")[..], want[1..]);

    let older = serde_json::json!({
        "name": "prix.csv", "sha256": offer.sha256, "size": offer.size, "from_till": "T1",
        "offered_by": "admin", "offered_at": offer.offered_at,
    });
    let older: PriceListOffer = serde_json::from_value(older).unwrap();
    assert_eq!((older.map.len(), older.sheet), (0, None));
}
