//! Random price lists: the import never panics, and `--strict` never leaves a half-imported
//! catalogue. (More cases: PROPTEST_CASES=100000 cargo test -p relais-store fuzz.)

use super::*;
use crate::tests::init_store;
use proptest::prelude::*;

/// Text that looks enough like a price list to reach the row parser: a plausible header
/// half of the time, then cells from an alphabet of separators, quotes, digits and accents.
fn price_list() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        Just("EAN;Libellé;Prix TTC;TVA;Rayon;Unité\n".to_string()),
        Just("Référence,Libellé,Prix\n".to_string()),
        Just(String::new()),
    ];
    let body = proptest::collection::vec(
        prop_oneof![
            "[0-9]{1,14}",
            "[a-zA-Zéèàçœ€ ]{0,12}",
            Just(";".to_string()),
            Just(",".to_string()),
            Just("\t".to_string()),
            Just("\"".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("5,5".to_string()),
            Just("20 %".to_string()),
            Just("3017620422003".to_string()),
            Just("kg".to_string()),
        ],
        0..120,
    );
    let raw = proptest::collection::vec(any::<u8>(), 0..64);
    (header, body, raw, any::<bool>()).prop_map(|(header, body, raw, with_raw)| {
        let mut bytes = header.into_bytes();
        bytes.extend(body.concat().into_bytes());
        if with_raw {
            bytes.extend(raw);
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200),
        ..ProptestConfig::default()
    })]

    #[test]
    fn import_never_panics_and_strict_is_all_or_nothing(bytes in price_list(), strict in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        let file = dir.path().join("fuzz.csv");
        std::fs::write(&file, &bytes).unwrap();
        let options = ImportOptions { strict, operator: "fuzz".into(), ..ImportOptions::default() };
        match store.import_catalog_as(&file, &options) {
            Err(e) => {
                prop_assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
                prop_assert_eq!(store.catalog_size().unwrap(), 0);
            }
            Ok(report) => {
                let size = store.catalog_size().unwrap();
                if strict && report.rejected > 0 {
                    prop_assert!(!report.applied);
                    prop_assert_eq!(size, 0);
                } else {
                    prop_assert!(report.applied);
                    prop_assert_eq!(size, report.imported);
                }
            }
        }
        prop_assert!(store.verify().unwrap().defect.is_none());
    }
}
