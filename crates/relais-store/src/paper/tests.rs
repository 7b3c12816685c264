use super::*;
use crate::tests::init_store;

/// 200 slips over three past days, two lines for one slip in five: slip k is on day
/// 25/11 + (k mod 3 = 1), 26/11 (k mod 3 = 2) or 27/11 (k mod 3 = 0); it sells 1 + (k mod 2)
/// breads at 1,10 € (5,5 %), and one coffee at 2,00 € (10 %) when k is a multiple of 5.
fn template() -> String {
    let mut csv =
        String::from("Date;Heure;Bordereau;Libellé;Quantité;Prix TTC;TVA;Paiement;Vendeur\n");
    for k in 1..=200u32 {
        let day = match k % 3 {
            1 => "25/11/2026",
            2 => "26/11/2026",
            _ => "27/11/2026",
        };
        let time = format!("{:02}:{:02}", 9 + k % 9, k % 60);
        let method = ["Espèces", "CB", "Chèque"][(k % 3) as usize];
        csv += &format!(
            "{day};{time};{k};Pain;{};1,10;5,5;{method};Lucie\n",
            1 + k % 2
        );
        if k % 5 == 0 {
            csv += &format!("{day};{time};{k};Café;1;2,00;10;;\n");
        }
    }
    csv
}

#[test]
fn two_hundred_paper_slips_give_the_hand_computed_days_and_never_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let file = dir.path().join("papier.csv");
    std::fs::write(&file, template()).unwrap();
    let options = PaperOptions {
        operator: "Lucie".into(),
        ..PaperOptions::default()
    };
    let report = store.import_paper_as(&file, &options).unwrap();
    assert_eq!(
        (report.slips_recorded, report.slips_rejected),
        (200, 0),
        "{:?}",
        report.rejects.first()
    );
    // Computed by hand: 25/11 has k = 1, 4, … 199 (67 slips): 34 odd k × 2,20 + 33 even k ×
    // 1,10 + 13 coffees (k = 10, 25, … 190) × 2,00 = 74,80 + 36,30 + 26,00 = 137,10.
    let days: Vec<(String, u64, i64)> = report
        .days
        .iter()
        .map(|d| (d.business_day.clone(), d.slips, d.total_cents))
        .collect();
    assert_eq!(
        days,
        [
            ("2026-11-25".into(), 67, 13_710),
            ("2026-11-26".into(), 67, 13_800),
            ("2026-11-27".into(), 66, 13_490)
        ]
    );
    assert!(store.verify().unwrap().defect.is_none());
    let (first, _) = store.find("T1-000001").unwrap();
    assert_eq!(first.business_day, "2026-11-25");
    let late = first.body.ticket().unwrap().late.clone().unwrap();
    assert_eq!(
        (late.slip.as_str(), late.sold_at.as_str()),
        ("1", "2026-11-25T09:01:00.000Z"),
        "10:01 in Paris is 09:01 UTC"
    );
    assert_eq!(
        late.seller.as_deref(),
        Some("Lucie"),
        "the seller written on the slip"
    );
    assert_eq!(
        first.operator, "Lucie",
        "keyed in by the importer named in the options"
    );

    let again = store.import_paper_as(&file, &options).unwrap();
    assert_eq!(
        (again.slips_recorded, again.slips_already_entered),
        (0, 200),
        "re-importing doubles nothing"
    );
    assert_eq!(store.status().unwrap().sales, 200);
    assert!(
        store
            .journal(None)
            .unwrap()
            .iter()
            .filter(|e| e.name == "paper_import")
            .count()
            == 1
    );
}

#[test]
fn bad_slips_are_rejected_whole_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let file = dir.path().join("papier.csv");
    std::fs::write(
        &file,
        "Date;Bordereau;Libellé;Quantité;Prix TTC;TVA;Paiement\n\
         25/11/2026;1;Pain;1;1,10;5,5;Espèces\n\
         25/11/2026;2;Pain;1;1,10;5,5;Espèces\n\
         25/11/2026;2;Café;1;deux;10;\n\
         31/02/2026;3;Pain;1;1,10;5,5;Espèces\n\
         25/11/2026;4;Pain;1;1,10;19,6;Espèces\n\
         25/11/2026;5;Pain;1;1,10;5,5;\n",
    )
    .unwrap();
    let options = PaperOptions {
        operator: "Lucie".into(),
        ..PaperOptions::default()
    };
    let report = store.import_paper_as(&file, &options).unwrap();
    assert_eq!((report.slips_recorded, report.slips_rejected), (1, 4));
    let lines: Vec<(usize, Option<String>)> = report
        .rejects
        .iter()
        .map(|r| (r.line, r.column.clone()))
        .collect();
    assert_eq!(
        lines,
        [
            (3, None),
            (4, Some("prix".into())),
            (5, Some("date".into())),
            (6, Some("tva".into())),
            (7, Some("paiement".into()))
        ]
    );
    let strict = PaperOptions {
        strict: true,
        ..options
    };
    let dir2 = tempfile::tempdir().unwrap();
    let mut other = init_store(dir2.path());
    assert!(!other.import_paper_as(&file, &strict).unwrap().applied);
    assert_eq!(other.status().unwrap().sales, 0);
}

#[test]
fn a_slip_typed_twice_at_the_counter_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    let slip = |allow: bool| -> SaleInput {
        let mut sale = crate::tests::sale(110);
        sale.late = Some(LateInput {
            sold_at: "2026-11-26 15:00".into(),
            slip: "A-17".into(),
            seller: None,
            allow_duplicate: allow,
        });
        sale.lines[0].unit_price_cents = Some(if allow { 120 } else { 110 });
        sale.payments[0].tendered_cents = Some(1000);
        sale
    };
    let first = store.record_sale_as(&slip(false), None).unwrap();
    assert_eq!(
        store.find(&first.number).unwrap().0.business_day,
        "2026-11-26"
    );
    assert!(store
        .journal(None)
        .unwrap()
        .iter()
        .any(|e| e.name == "late_entry"));
    let mut other_content = slip(false);
    other_content.lines[0].label = Some("Autre".into());
    let err = store.record_sale_as(&other_content, None).unwrap_err();
    assert_eq!(err.kind(), "duplicate_slip");
    assert!(
        err.message(relais_core::Lang::Fr)
            .contains("bordereau n° A-17"),
        "{}",
        err.message(relais_core::Lang::Fr)
    );
    assert!(
        store.record_sale_as(&slip(false), None).unwrap().duplicate,
        "the same slip again is the same sale"
    );
    assert!(
        !store.record_sale_as(&slip(true), None).unwrap().duplicate,
        "confirmed: entered again"
    );
}

/// Slips keyed in while no day is open (right after set-up, then between a Z and the next
/// opening) are in the next Z's earlier days and in the perpetual grand total, never in no Z.
#[test]
fn slips_keyed_in_with_no_day_open_are_in_the_next_z_and_the_perpetual_total() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = init_store(dir.path());
    store
        .add_staff_as("Marie", crate::staff::Role::Manager, "1234", "setup")
        .unwrap();
    let options = PaperOptions {
        operator: "Marie".into(),
        ..PaperOptions::default()
    };
    let close = crate::day::CloseDayInput {
        operator: "Marie".into(),
        ..Default::default()
    };
    let file = dir.path().join("papier.csv");
    let mut perpetual = 0;
    for round in ["right after set-up", "after a Z"] {
        // The second round's slips are the same with other numbers (B1, B2…): not duplicates.
        let prefix = if round == "after a Z" { "B" } else { "" };
        let csv: Vec<String> = template()
            .lines()
            .enumerate()
            .map(|(i, line)| match (i, line.split(';').collect::<Vec<_>>()) {
                (0, _) => line.to_string(),
                (_, mut cells) => {
                    let number = format!("{prefix}{}", cells[2]);
                    cells[2] = &number;
                    cells.join(";")
                }
            })
            .collect();
        std::fs::write(&file, csv.join("\n") + "\n").unwrap();
        let report = store.import_paper_as(&file, &options).unwrap();
        assert_eq!(
            report.slips_recorded,
            200,
            "{round}: {:?}",
            report.rejects.first()
        );
        let keyed: i64 = report.days.iter().map(|d| d.total_cents).sum();
        let z = store.close_day_as(&close).unwrap().closure;
        let earlier: i64 = z.earlier_days.iter().map(|d| d.total_cents.0).sum();
        assert_eq!(
            earlier, keyed,
            "{round}: the slips are in the Z's earlier days"
        );
        perpetual += keyed;
        assert_eq!(z.perpetual_total_cents.0, perpetual, "{round}");
    }
    assert!(store.verify().unwrap().defect.is_none());
}

/// A slip whose discount is above the shop's threshold (20 % by default) is a manager's to
/// key in: a cashier's file records the other slips and names that one; a manager's records
/// it. (operator, slips recorded, the rejected line's column)
#[test]
fn a_discount_above_the_threshold_waits_for_a_manager() {
    let csv = "Date;Heure;Bordereau;Libellé;Quantité;Prix TTC;TVA;Remise;Paiement\n\
               25/11/2026;10:00;1;Gâteau;1;30,00;5,5;15,00;Espèces\n\
               25/11/2026;10:05;2;Pain;1;1,10;5,5;0,10;Espèces\n";
    let cases: &[(&str, u64, Option<&str>)] = &[("Paul", 1, Some("remise")), ("Marie", 2, None)];
    for (operator, recorded, rejected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut store = init_store(dir.path());
        crate::tests::hire_marie_and_paul(&mut store);
        let file = dir.path().join("papier.csv");
        std::fs::write(&file, csv).unwrap();
        let options = PaperOptions {
            operator: operator.to_string(),
            ..PaperOptions::default()
        };
        let report = store.import_paper_as(&file, &options).unwrap();
        assert_eq!(report.slips_recorded, *recorded, "{operator}");
        let reject = report.rejects.first();
        assert_eq!(
            reject.and_then(|r| r.column.as_deref()),
            *rejected,
            "{operator}: {reject:?}"
        );
        if let Some(reject) = reject {
            assert_eq!(reject.line, 2, "{operator}");
            assert!(reject.reason.fr.contains("responsable"), "{reject:?}");
            assert!(reject.reason.fr.contains("15,00"), "{reject:?}");
        }
    }
}
