//! The X and Z reports (`relais_core::report::ReportDoc`) sent to the fake printer over TCP at
//! each width and code page, then read back as the printer printed them.

use crate::codepage::CodePage;
use crate::deliver::Job;
use crate::fake::Event;
use crate::receipt_tests::shop;
use crate::tests::{printed_without_pulse, qr_codes};
use relais_core::closure::{PeriodTotals, TenderTotal};
use relais_core::report::ReportDoc;
use relais_core::{Method, Money};

fn totals() -> PeriodTotals {
    PeriodTotals {
        sales: 12,
        sales_cents: Money(18_450),
        total_cents: Money(18_450),
        tenders: vec![TenderTotal {
            method: Method::Cash,
            count: 12,
            amount_cents: Money(18_450),
        }],
        float_cents: Money(10_000),
        expected_cash_cents: Money(28_450),
        drawer_openings: 1,
        ..PeriodTotals::default()
    }
}

/// Printed as laid out: every figure, the € sign's page, accents right, the title and total
/// bold, a cut, and neither a QR code nor a drawer pulse, at 32, 42 and 48 columns.
#[test]
fn an_x_report_prints_at_every_width_without_pulse_or_qr() {
    let doc = ReportDoc::x(
        &shop(),
        "T1",
        Some("2026-12-07"),
        false,
        "07/12/2026 18:02:11",
        &totals(),
    );
    for (columns, page) in [
        (32, CodePage::Cp858),
        (42, CodePage::Wpc1252),
        (48, CodePage::Wpc1252),
    ] {
        let wanted = [
            "RAPPORT X",
            "Journée du 2026-12-07",
            "Édité le 07/12/2026 18:02:11",
            "Ventes (12)",
            "184,50",
            "184,50 EUR",
            "Espèces (12)",
            "Fond de caisse",
            "284,50",
            "Ouvertures du tiroir sans vente",
        ];
        let (events, bold) =
            printed_without_pulse(columns, page, Job::Report { doc: &doc }, &wanted);
        assert!(bold.iter().any(|l| l == "RAPPORT X"), "{columns}: {bold:?}");
        assert!(
            bold.iter().any(|l| l.starts_with("TOTAL NET TTC")),
            "{columns}: {bold:?}"
        );
        assert!(qr_codes(&events).is_empty(), "{columns}");
    }
}

/// An avoir's slip as the printer prints it: « AVOIR » or « BON CADEAU », the number, amount
/// and expiry in the printer's letters, the QR code holding the signed code (what another
/// till scans), a cut and never a pulse, at each width and code page.
#[test]
fn an_avoir_slip_prints_its_signed_code_as_a_qr_code() {
    use relais_core::avoir::AvoirOrigin;
    use relais_core::avoir_slip::AvoirSlipDoc;
    let code = "AV1-T1-V000001-2500-20271207-0123456789abcdef";
    for (origin, title, columns, page) in [
        (AvoirOrigin::Gift, "BON CADEAU", 32, CodePage::Cp858),
        (AvoirOrigin::Return, "AVOIR", 42, CodePage::Wpc1252),
        (AvoirOrigin::Deposit, "AVOIR", 48, CodePage::Wpc1252),
    ] {
        let doc = AvoirSlipDoc {
            shop: shop(),
            origin,
            number: "T1-V000001".into(),
            amount_cents: Money(2500),
            expires: "2027-12-07".into(),
            from: None,
            issued_at: "07/12/2026 10:00:00".into(),
            code: code.into(),
        };
        let wanted = [
            title,
            "T1-V000001",
            "25,00 EUR",
            "07/12/2027",
            "À conserver",
        ];
        let (events, _) =
            printed_without_pulse(columns, page, Job::AvoirSlip { doc: &doc }, &wanted);
        assert_eq!(qr_codes(&events), [&Event::Qr(code.into())], "{columns}");
    }
}
