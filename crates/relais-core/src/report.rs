//! The X and Z reports as paper documents: one `ReportDoc` per report (the X of the open day,
//! or a closure as it was signed), laid out at a receipt printer's width with the receipt's
//! own rules (`receipt::Text`: wrapped at spaces, amounts right-aligned). The thermal printer
//! prints these rows (relais-printer's `Job::Report`); the A4 route is the manager's screen.

use crate::closure::{ClosureData, ClosurePeriod, PeriodTotals};
use crate::money::Money;
use crate::receipt::{Row, RowStyle, Shop, Text};
use crate::Method;

/// An X or Z report, ready to lay out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDoc {
    pub shop: Shop,
    pub till: String,
    /// "RAPPORT X", "CLÔTURE Z T1-Z000003", "CLÔTURE MENSUELLE T1-Z000031"…
    pub title: String,
    /// "Journée du 2026-12-07", "Du 2026-12-01 au 2026-12-31", "Aucune journée ouverte".
    pub period: String,
    /// "Édité le 07/12/2026 18:02:11" (X) or "Clôturé le …" (Z), in the till's zone.
    pub when: String,
    /// Anything the reader must know first (a day opened by its first ticket).
    pub notice: Option<String>,
    pub totals: PeriodTotals,
    /// A Z's own figures: the drawer counted, the card terminal, the perpetual totals, the
    /// signature.
    pub closure: Option<ClosureData>,
}

impl ReportDoc {
    /// The X report of the open day (or of none), as of `local_time`.
    pub fn x(
        shop: &Shop,
        till: &str,
        business_day: Option<&str>,
        automatic_opening: bool,
        local_time: &str,
        totals: &PeriodTotals,
    ) -> ReportDoc {
        ReportDoc {
            shop: shop.clone(),
            till: till.to_string(),
            title: "RAPPORT X".into(),
            period: match business_day {
                Some(day) => format!("Journée du {day}"),
                None => "Aucune journée ouverte".into(),
            },
            when: format!("Édité le {local_time}"),
            notice: automatic_opening.then(|| {
                "Journée ouverte par son premier ticket : fond de caisse à compter".into()
            }),
            totals: totals.clone(),
            closure: None,
        }
    }

    /// A closure (day, month or year) as it was signed: `number` is its record's.
    pub fn z(
        shop: &Shop,
        till: &str,
        number: &str,
        local_time: &str,
        closure: &ClosureData,
    ) -> ReportDoc {
        let (title, period) = match closure.period {
            ClosurePeriod::Day => (
                format!("CLÔTURE Z {number}"),
                format!("Journée du {}", closure.first_day),
            ),
            ClosurePeriod::Month => (
                format!("CLÔTURE MENSUELLE {number}"),
                format!("Du {} au {}", closure.first_day, closure.last_day),
            ),
            ClosurePeriod::Year => (
                format!("CLÔTURE ANNUELLE {number}"),
                format!("Du {} au {}", closure.first_day, closure.last_day),
            ),
        };
        ReportDoc {
            shop: shop.clone(),
            till: till.to_string(),
            title,
            period,
            when: format!("Clôturé le {local_time}"),
            notice: closure.automatic.then(|| "Clôture automatique".to_string()),
            totals: closure.totals.clone(),
            closure: Some(closure.clone()),
        }
    }
}

/// The report laid out for a printer of `width` columns (32, 42, 48): every row fits, a
/// [`RowStyle::Heading`] row in `width / 2` (it prints double width).
pub fn layout(doc: &ReportDoc, width: usize) -> Vec<Row> {
    use RowStyle::{Heading, Plain, Strong};
    let mut r = Text::wrapped(width);
    r.center(Heading, &doc.shop.name);
    r.center(Plain, &format!("Caisse {}", doc.till));
    r.rule();
    r.center(Strong, &doc.title);
    r.center(Plain, &doc.period);
    r.center(Plain, &doc.when);
    if let Some(notice) = &doc.notice {
        r.line(notice);
    }
    r.rule();
    turnover(&mut r, &doc.totals);
    r.rule();
    tenders(&mut r, &doc.totals);
    r.rule();
    drawer(&mut r, &doc.totals);
    if let Some(closure) = &doc.closure {
        r.rule();
        closed(&mut r, closure);
    }
    r.rule();
    r.rows
}

fn amount(money: Money) -> String {
    money.to_string()
}

fn turnover(r: &mut Text, t: &PeriodTotals) {
    use RowStyle::{Plain, Strong};
    r.pair(
        Plain,
        &format!("Ventes ({})", t.sales),
        &amount(t.sales_cents),
    );
    r.pair(
        Plain,
        &format!("Remboursements ({})", t.refunds),
        &amount(t.refunds_cents),
    );
    r.pair(
        Plain,
        &format!("Annulations ({})", t.voids),
        &amount(t.voids_cents),
    );
    r.pair(Strong, "TOTAL NET TTC", &format!("{} EUR", t.total_cents));
    r.pair(Plain, "Remises accordées", &amount(t.discounts_cents));
    for v in &t.vat {
        r.line(&format!("TVA {}", v.rate_bp));
        r.pair(Plain, "  HT", &amount(v.ht_cents));
        r.pair(Plain, "  TVA", &amount(v.vat_cents));
        r.pair(Plain, "  TTC", &amount(v.ttc_cents));
    }
    if t.late_entries > 0 {
        r.line(&format!(
            "Dont saisies a posteriori (papier) : {} ticket(s), {} EUR",
            t.late_entries, t.late_total_cents
        ));
    }
}

fn tenders(r: &mut Text, t: &PeriodTotals) {
    use RowStyle::Plain;
    r.line("Moyens de paiement");
    for tender in &t.tenders {
        r.pair(
            Plain,
            &format!("  {} ({})", tender.method.label_fr(), tender.count),
            &amount(tender.amount_cents),
        );
    }
    if t.deposits_received_cents.0 != 0 || t.deposits_refunded_cents.0 != 0 {
        r.line("Acomptes (hors chiffre d'affaires)");
        r.pair(Plain, "  Reçus", &amount(t.deposits_received_cents));
        r.pair(Plain, "  Remboursés", &amount(t.deposits_refunded_cents));
        for tender in &t.deposit_tenders {
            r.pair(
                Plain,
                &format!("  {} ({})", tender.method.label_fr(), tender.count),
                &amount(tender.amount_cents),
            );
        }
    }
    if !t.cheques.is_empty() {
        r.line(&format!("Chèques ({})", t.cheques.len()));
        for c in &t.cheques {
            r.pair(
                Plain,
                &format!("  {} n° {}", c.ticket, c.number.as_deref().unwrap_or("?")),
                &amount(c.amount_cents),
            );
        }
    }
}

fn drawer(r: &mut Text, t: &PeriodTotals) {
    use RowStyle::{Plain, Strong};
    let cash = t
        .tender(Method::Cash)
        .checked_add(t.deposit_tender(Method::Cash))
        .unwrap_or_default();
    r.line("Caisse (espèces)");
    r.pair(Plain, "  Fond de caisse", &amount(t.float_cents));
    r.pair(Plain, "  Espèces encaissées", &amount(cash));
    r.pair(Plain, "  Entrées", &amount(t.cash_in_cents));
    r.pair(Plain, "  Sorties", &amount(t.cash_out_cents));
    r.pair(Strong, "  Attendu", &amount(t.expected_cash_cents));
    if t.drawer_openings > 0 {
        r.pair(
            Plain,
            "Ouvertures du tiroir sans vente",
            &t.drawer_openings.to_string(),
        );
    }
}

fn closed(r: &mut Text, c: &ClosureData) {
    use RowStyle::{Plain, Strong};
    for earlier in &c.earlier_days {
        r.line(&format!(
            "Saisies a posteriori pour le {} : {} ticket(s), {} EUR",
            earlier.business_day, earlier.tickets, earlier.total_cents
        ));
    }
    if let Some(count) = &c.cash_count {
        r.pair(Plain, "Espèces comptées", &amount(count.counted_cents));
        r.pair(Plain, "  Écart", &amount(count.variance_cents));
    }
    if let Some(card) = &c.card_check {
        r.pair(Plain, "Terminal carte", &amount(card.terminal_total_cents));
        r.pair(Plain, "  Écart", &amount(card.variance_cents));
    }
    if let Some(note) = &c.note {
        r.line(&format!("Note : {note}"));
    }
    r.pair(
        Strong,
        "Grand total perpétuel",
        &amount(c.perpetual_total_cents),
    );
    r.pair(
        Plain,
        "  en valeur absolue",
        &amount(c.perpetual_abs_total_cents),
    );
    if let Some(a) = &c.avoirs {
        r.line("Avoirs et bons de cette caisse (dû)");
        for (label, figure) in [
            ("  Encours précédent", a.opening_cents),
            ("  + Avoirs émis", a.issued_cents),
            ("  + Bons cadeaux vendus", a.sold_cents),
            ("  - Utilisés ici", a.redeemed_cents),
            ("  - Expirés", a.expired_cents),
        ] {
            r.pair(Plain, label, &amount(figure));
        }
        r.pair(
            Strong,
            "  Encours à la clôture",
            &amount(a.outstanding_cents),
        );
    }
    let signature: String = c.signature.value.chars().take(16).collect();
    r.line(&format!("Signature Ed25519 {signature}…"));
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
