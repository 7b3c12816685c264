//! fec.txt (optional, `--fec`): the accountant's summary journal of each closed day, in the
//! layout of the French *fichier des écritures comptables* (18 tab-separated columns, dates
//! YYYYMMDD, decimal comma). One balanced entry per day closure: the tenders received are
//! debited (cash 530000, card 511500, cheques 511200, vouchers and store credit 419800, order
//! deposits used 419100, other 471000); sales are credited per VAT rate (70700x, HT) and VAT
//! collected (44571x). Order deposits received are debited by tender and credited to customer
//! advances (419100). The shop's accountant maps the accounts to their own chart.

use relais_core::closure::{ClosureData, PeriodTotals};
use relais_core::{Method, Money};
use std::collections::BTreeMap;
use std::fmt::Write;

pub const HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";

fn tender_account(method: Method) -> (&'static str, &'static str) {
    match method {
        Method::Cash => ("530000", "Caisse"),
        Method::Card => ("511500", "Cartes bancaires à encaisser"),
        Method::Cheque => ("511200", "Chèques à encaisser"),
        Method::Voucher | Method::StoreCredit => ("419800", "Bons d'achat et avoirs"),
        Method::Deposit => ("419100", "Clients - avances et acomptes"),
        Method::Other => ("471000", "Encaissements à classer"),
    }
}

/// 2000 → "20", 550 → "055", 210 → "021": an account suffix per VAT rate.
fn rate_suffix(rate_bp: u32) -> String {
    if rate_bp.is_multiple_of(100) {
        format!("{}", rate_bp / 100)
    } else {
        format!("{:03}", rate_bp / 10)
    }
}

fn amount(cents: i64) -> String {
    Money(cents).decimal(',')
}

/// The lines of one closure's entry.
fn entry(out: &mut String, number: &str, day: &str, label: &str, totals: &PeriodTotals) {
    let date = day.replace('-', "");
    let mut line = |account: &str, name: &str, cents: i64, debit_side: bool| {
        if cents == 0 {
            return;
        }
        // A negative amount on one side is a positive amount on the other.
        let (debit, credit) = match (debit_side, cents > 0) {
            (true, true) | (false, false) => (amount(cents.abs()), amount(0)),
            _ => (amount(0), amount(cents.abs())),
        };
        let _ = writeln!(out, "VE\tVentes\t{number}\t{date}\t{account}\t{name}\t\t\t{number}\t{date}\t{label}\t{debit}\t{credit}\t\t\t{date}\t\t");
    };
    for tender in &totals.tenders {
        let (account, name) = tender_account(tender.method);
        line(account, name, tender.amount_cents.0, true);
    }
    for v in &totals.vat {
        let suffix = rate_suffix(v.rate_bp.0);
        line(
            &format!("7070{suffix}"),
            &format!("Ventes de marchandises TVA {}", v.rate_bp),
            v.ht_cents.0,
            false,
        );
        line(
            &format!("44571{suffix}"),
            &format!("TVA collectée {}", v.rate_bp),
            v.vat_cents.0,
            false,
        );
    }
    for tender in &totals.deposit_tenders {
        let (account, name) = tender_account(tender.method);
        line(account, name, tender.amount_cents.0, true);
        line(
            "419100",
            "Clients - avances et acomptes",
            tender.amount_cents.0,
            false,
        );
    }
}

/// The whole file: one entry per day closure of the bundle, then one per earlier day whose
/// paper sales were keyed in after it (they are in no day closure's totals: a closure only
/// lists them among its `earlier_days`, without VAT or tenders).
pub fn render(closures: &[(String, ClosureData)], late: &BTreeMap<String, PeriodTotals>) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for (number, closure) in closures {
        if closure.period == relais_core::closure::ClosurePeriod::Day {
            let day = &closure.last_day;
            let label = format!("Ventes du {day} (clôture {number})");
            entry(&mut out, number, day, &label, &closure.totals);
        }
    }
    for (day, totals) in late {
        let number = format!("P{}", day.replace('-', ""));
        let label = format!("Ventes du {day} saisies a posteriori (bordereaux papier)");
        entry(&mut out, &number, day, &label, totals);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry balances: its debits equal its credits.
    #[test]
    fn entries_balance_and_have_eighteen_columns() {
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
            "at": "2026-11-28T14:16:09.123Z", "tz": "Europe/Paris", "utc_offset_min": 60,
            "business_day": "2026-11-28", "operator": "a", "training": false,
            "kind": "sale", "data": sale
        }))
        .unwrap();
        totals.add(&record).unwrap();
        let closure: ClosureData = serde_json::from_value(serde_json::json!({
            "period": "day", "first_day": "2026-11-28", "last_day": "2026-11-28",
            "totals": totals.finish().unwrap(), "earlier_days": [], "cash_count": null, "card_check": null,
            "automatic": false, "note": null, "perpetual_total_cents": 2255, "perpetual_abs_total_cents": 2255,
            "covers": {"last_pos": 1, "last_hash": "x"}, "signature": {"algorithm": "ed25519", "key": "", "value": ""}
        }))
        .unwrap();
        let text = render(&[("T1-Z000001".into(), closure)], &BTreeMap::new());
        let (mut debit, mut credit) = (0i64, 0i64);
        for line in text.lines().skip(1) {
            let columns: Vec<&str> = line.split('\t').collect();
            assert_eq!(columns.len(), 18, "{line}");
            debit += Money::parse(columns[11]).unwrap().0;
            credit += Money::parse(columns[12]).unwrap().0;
        }
        assert_eq!((debit, credit), (2255, 2255));
        assert!(text.contains("707020") && text.contains("7070055") && text.contains("4457120"));
    }
}
