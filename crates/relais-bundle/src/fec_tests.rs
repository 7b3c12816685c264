use super::*;
use relais_core::closure::CashCount;

/// A day's totals: two sales (20 % and 5.5 %) paid 20,00 by card and 2,55 in cash.
fn day_totals(day: &str) -> PeriodTotals {
    let mut totals = relais_core::Summarizer::default();
    let sale: relais_core::Ticket = relais_core::price_sale(
        &serde_json::from_value(serde_json::json!({
            "lines": [{"label": "A", "unit_price_cents": 1200, "vat_rate_bp": 2000},
                      {"label": "B", "unit_price_cents": 1055, "vat_rate_bp": 550}],
            "payments": [{"method": "card", "amount_cents": 2000}, {"method": "cash", "amount_cents": 255}]
        }))
        .unwrap(),
        &relais_core::DEFAULT_VAT_RATES,
    )
    .unwrap();
    let record: relais_core::Record = serde_json::from_value(serde_json::json!({
        "v": 1, "id": "019ac9a4-1f00-7000-8000-000000000001", "till": "T1", "pos": 1, "seq": 1,
        "at": format!("{day}T14:16:09.123Z"), "tz": "Europe/Paris", "utc_offset_min": 60,
        "business_day": day, "operator": "a", "training": false,
        "kind": "sale", "data": sale
    }))
    .unwrap();
    totals.add(&record).unwrap();
    totals.finish().unwrap()
}

/// A day closure of `day` whose cash count found `variance` cents more than expected.
fn closure(day: &str, variance: Option<i64>) -> ClosureData {
    let mut closure: ClosureData = serde_json::from_value(serde_json::json!({
        "period": "day", "first_day": day, "last_day": day,
        "totals": day_totals(day), "earlier_days": [], "cash_count": null, "card_check": null,
        "automatic": false, "note": null, "perpetual_total_cents": 2255, "perpetual_abs_total_cents": 2255,
        "covers": {"last_pos": 1, "last_hash": "x"}, "signature": {"algorithm": "ed25519", "key": "", "value": ""}
    }))
    .unwrap();
    closure.cash_count = variance.map(|v| CashCount {
        denominations: vec![],
        counted_cents: Money(255 + v),
        variance_cents: Money(v),
    });
    closure
}

fn movement(category: &str, direction: Direction, cents: i64) -> CashMovementData {
    CashMovementData {
        direction,
        amount_cents: Money(cents),
        category: category.into(),
        reason: "remise".into(),
    }
}

/// The columns of each line of the file.
fn lines(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect()
}

#[test]
fn the_file_is_named_as_the_administration_expects() {
    let cases = [
        ("12345678900012", "2026-12-04", "123456789FEC20261204.txt"),
        (
            "123 456 789 00012",
            "2026-12-04",
            "123456789FEC20261204.txt",
        ),
        ("", "2026-11-30", "000000000FEC20261130.txt"),
    ];
    for (siret, day, want) in cases {
        assert_eq!(file_name(siret, day), want, "{siret:?}");
    }
}

/// Whatever order the closures, movements and paper days come in, the journal is in date
/// order, numbered 1, 2, 3… without a gap, every entry balances, and the last day is the
/// file's date.
#[test]
fn entries_follow_their_dates_numbered_without_gaps_and_balance() {
    let closures = vec![
        ("T1-Z000001".to_string(), closure("2026-12-02", Some(-150))),
        ("T1-Z000002".to_string(), closure("2026-12-04", Some(40))),
    ];
    let movements = vec![
        (
            "T1-M000001".to_string(),
            "2026-12-04".to_string(),
            movement("bank_deposit", Direction::Out, 10000),
        ),
        (
            "T1-M000002".to_string(),
            "2026-12-03".to_string(),
            movement("float_top_up", Direction::In, 5000),
        ),
        (
            "T1-M000003".to_string(),
            "2026-12-02".to_string(),
            movement("paid_out", Direction::Out, 1250),
        ),
    ];
    let late: BTreeMap<String, PeriodTotals> = [
        ("2026-11-27".to_string(), day_totals("2026-11-27")),
        ("2026-12-02".to_string(), day_totals("2026-12-02")),
    ]
    .into();
    let (text, last_day) = render(&Journal {
        closures: &closures,
        movements: &movements,
        late: &late,
    });
    assert_eq!(last_day.as_deref(), Some("2026-12-04"));
    let rows = lines(&text);
    assert!(rows.iter().all(|r| r.len() == 18), "18 columns:\n{text}");
    // (EcritureNum, PieceRef) of each entry, in file order.
    let mut entries: Vec<(&str, &str, &str)> = vec![];
    let mut sums: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for row in &rows {
        if entries.last().map(|e| e.0) != Some(row[2]) {
            entries.push((row[2], row[8], row[3]));
        }
        assert_eq!(row[3], row[15], "ValidDate is the entry's date");
        let sum = sums.entry(row[2]).or_default();
        sum.0 += Money::parse(row[11]).unwrap().0;
        sum.1 += Money::parse(row[12]).unwrap().0;
    }
    let expected = [
        ("1", "P20261127", "20261127"),
        ("2", "T1-M000003", "20261202"),
        ("3", "T1-Z000001", "20261202"),
        ("4", "P20261202", "20261202"),
        ("5", "T1-M000002", "20261203"),
        ("6", "T1-M000001", "20261204"),
        ("7", "T1-Z000002", "20261204"),
    ];
    assert_eq!(entries, expected, "\n{text}");
    for (number, (debit, credit)) in &sums {
        assert_eq!(debit, credit, "entry {number} balances:\n{text}");
    }
    let cases: &[(&str, &str, &str, i64)] = &[
        // (piece, account, column, cents): where the money goes.
        ("T1-Z000001", "658000", "Debit", 150),
        ("T1-Z000001", "530000", "Credit", 150),
        ("T1-Z000002", "758000", "Credit", 40),
        ("T1-M000001", "580000", "Debit", 10000),
        ("T1-M000001", "530000", "Credit", 10000),
        ("T1-M000002", "530000", "Debit", 5000),
        ("T1-M000003", "471100", "Debit", 1250),
        ("P20261127", "707020", "Credit", 1000),
    ];
    for (piece, account, column, cents) in cases {
        let index = if *column == "Debit" { 11 } else { 12 };
        let found = rows.iter().any(|r| {
            r[8] == *piece && r[4] == *account && Money::parse(r[index]).unwrap().0 == *cents
        });
        assert!(found, "{piece}: {account} {column} {cents}\n{text}");
    }
}

#[test]
fn the_text_is_written_in_iso_8859_15() {
    let cases: &[(&str, &[u8])] = &[
        ("clôture", b"cl\xF4ture"),
        ("collectée 5,5 €", b"collect\xE9e 5,5 \xA4"),
        ("Œuf", b"\xBCuf"),
        ("Pain 🍞", b"Pain ?"),
        ("\u{A4}", b"?"),
    ];
    for (text, want) in cases {
        assert_eq!(latin9(text), *want, "{text}");
    }
}
