use super::*;
use crate::closure::{CardCheck, CashCount, ChequeLine, ClosureSignature, Covers, TenderTotal};
use crate::money::VatRate;
use crate::ticket::VatTotal;

fn shop() -> Shop {
    Shop {
        name: "Épicerie du Marché de la Place".into(),
        address: "3 rue Haute, 33000 Bordeaux".into(),
        siret: "12345678900012".into(),
        vat_number: "FR12345678900".into(),
    }
}

fn totals() -> PeriodTotals {
    PeriodTotals {
        sales: 3,
        refunds: 1,
        sales_cents: Money(2_640),
        refunds_cents: Money(-120),
        total_cents: Money(2_520),
        discounts_cents: Money(50),
        vat: vec![VatTotal {
            rate_bp: VatRate(550),
            ht_cents: Money(2_389),
            vat_cents: Money(131),
            ttc_cents: Money(2_520),
        }],
        tenders: vec![
            TenderTotal {
                method: Method::Cash,
                count: 2,
                amount_cents: Money(1_320),
            },
            TenderTotal {
                method: Method::Cheque,
                count: 1,
                amount_cents: Money(1_200),
            },
        ],
        float_cents: Money(15_000),
        cash_in_cents: Money(2_000),
        cash_out_cents: Money(500),
        expected_cash_cents: Money(17_820),
        cheques: vec![ChequeLine {
            ticket: "T1-000002".into(),
            number: Some("8812345".into()),
            amount_cents: Money(1_200),
        }],
        drawer_openings: 2,
        ..PeriodTotals::default()
    }
}

fn closure() -> ClosureData {
    ClosureData {
        period: ClosurePeriod::Day,
        first_day: "2026-12-07".into(),
        last_day: "2026-12-07".into(),
        totals: totals(),
        earlier_days: vec![],
        cash_count: Some(CashCount {
            denominations: vec![],
            counted_cents: Money(17_800),
            variance_cents: Money(-20),
        }),
        card_check: Some(CardCheck {
            terminal_total_cents: Money(0),
            variance_cents: Money(0),
        }),
        automatic: false,
        note: None,
        perpetual_total_cents: Money(1_234_567),
        perpetual_abs_total_cents: Money(1_250_000),
        avoirs: Some(crate::closure::AvoirLiability {
            opening_cents: Money(4_500),
            issued_cents: Money(1_200),
            sold_cents: Money(2_000),
            redeemed_cents: Money(700),
            expired_cents: Money(1_000),
            outstanding_cents: Money(6_000),
        }),
        covers: Covers {
            last_pos: 12,
            last_hash: "ab".repeat(32),
        },
        signature: ClosureSignature {
            algorithm: "ed25519".into(),
            key: "00".repeat(32),
            value: "0123456789abcdef".repeat(8),
        },
    }
}

/// Every report fits each printer's width, and carries its figures: (report, rows wanted,
/// in order).
#[test]
fn reports_fit_the_paper_and_carry_their_figures() {
    let x = ReportDoc::x(
        &shop(),
        "T1",
        Some("2026-12-07"),
        true,
        "07/12/2026 18:02:11",
        &totals(),
    );
    let z = ReportDoc::z(
        &shop(),
        "T1",
        "T1-Z000003",
        "07/12/2026 19:30:00",
        &closure(),
    );
    let none = ReportDoc::x(
        &shop(),
        "T1",
        None,
        false,
        "07/12/2026 08:00:00",
        &PeriodTotals::default(),
    );
    let cases: [(&ReportDoc, &[&str]); 3] = [
        (
            &x,
            &[
                "Caisse T1",
                "RAPPORT X",
                "Journée du 2026-12-07",
                "Édité le 07/12/2026 18:02:11",
                "premier",
                "Ventes (3)",
                "26,40",
                "Remboursements (1)",
                "-1,20",
                "TOTAL NET TTC",
                "25,20 EUR",
                "TVA 5,5 %",
                "Espèces (2)",
                "13,20",
                "Chèque",
                "n° 8812345",
                "Fond de caisse",
                "150,00",
                "Attendu",
                "178,20",
                "Ouvertures du tiroir sans vente",
            ],
        ),
        (
            &z,
            &[
                "CLÔTURE Z T1-Z000003",
                "Clôturé le 07/12/2026 19:30:00",
                "TOTAL NET TTC",
                "Espèces comptées",
                "178,00",
                "-0,20",
                "Terminal carte",
                "Grand total perpétuel",
                "12345,67",
                "Avoirs et bons de cette caisse",
                "Encours précédent",
                "45,00",
                "Avoirs émis",
                "12,00",
                "Bons cadeaux vendus",
                "20,00",
                "Utilisés ici",
                "7,00",
                "Expirés",
                "10,00",
                "Encours à la clôture",
                "60,00",
                "Signature Ed25519",
                "0123456789abcdef…",
            ],
        ),
        (&none, &["RAPPORT X", "Aucune journée ouverte", "0,00 EUR"]),
    ];
    for (doc, wanted) in cases {
        for width in [32, 42, 48] {
            let rows = layout(doc, width);
            for row in &rows {
                let limit = match row.style {
                    RowStyle::Heading => width / 2,
                    _ => width,
                };
                assert!(
                    row.text.chars().count() <= limit,
                    "{} at {width}: {:?} is {} long",
                    doc.title,
                    row.text,
                    row.text.chars().count()
                );
            }
            let text: String = rows.iter().map(|r| format!("{}\n", r.text)).collect();
            let mut from = 0;
            for piece in wanted {
                let Some(at) = text[from..].find(piece) else {
                    panic!(
                        "{} at {width}: no {piece:?} after byte {from}:\n{text}",
                        doc.title
                    );
                };
                from += at;
            }
            assert_eq!(
                text.contains("Espèces comptées"),
                doc.closure.is_some(),
                "only a Z has the drawer counted"
            );
        }
    }
}
