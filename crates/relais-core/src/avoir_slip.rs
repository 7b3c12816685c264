//! The avoir's slip on paper (`AvoirSlipDoc`): the shop, « AVOIR » or « BON CADEAU », the
//! number, the amount, the expiry, what it stands for, and the QR code of its signed code
//! (which any till of the shop checks offline), laid out at a printer's width with the
//! receipt's own row rules (`receipt::Text`). The screen's slip shows the same.

use crate::avoir::AvoirOrigin;
use crate::money::Money;
use crate::receipt::{Row, RowStyle, Shop, Text};

/// Everything printed on an avoir's slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvoirSlipDoc {
    pub shop: Shop,
    pub origin: AvoirOrigin,
    /// `T1-V000001`.
    pub number: String,
    pub amount_cents: Money,
    /// `YYYY-MM-DD`.
    pub expires: String,
    /// The refund or order it stands for.
    pub from: Option<String>,
    /// When it was issued, in the till's zone: « 07/12/2026 10:00:00 ».
    pub issued_at: String,
    /// The signed code (`AV1-…`): what the QR code holds.
    pub code: String,
}

impl AvoirSlipDoc {
    pub fn title(&self) -> &'static str {
        match self.origin {
            AvoirOrigin::Gift => "BON CADEAU",
            AvoirOrigin::Return | AvoirOrigin::Deposit => "AVOIR",
        }
    }
}

/// `2027-12-07` as printed: `07/12/2027`.
fn french_date(iso: &str) -> String {
    let mut parts = iso.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// The slip laid out for a printer of `width` columns (32, 42, 48); the QR code follows the
/// rows (the printer draws it).
pub fn layout(doc: &AvoirSlipDoc, width: usize) -> Vec<Row> {
    use RowStyle::{Heading, Plain, Strong};
    let mut r = Text::wrapped(width);
    r.center(Heading, &doc.shop.name);
    for part in doc.shop.address.lines().flat_map(|l| l.split(", ")) {
        r.center(Plain, part.trim());
    }
    if !doc.shop.siret.is_empty() {
        r.center(Plain, &format!("SIRET {}", doc.shop.siret));
    }
    r.rule();
    r.center(Heading, doc.title());
    r.center(Strong, &doc.number);
    r.rule();
    r.pair(Strong, "Montant", &format!("{} EUR", doc.amount_cents));
    r.pair(Plain, "Valable jusqu'au", &french_date(&doc.expires));
    r.pair(Plain, "Émis le", &doc.issued_at);
    if let Some(from) = &doc.from {
        let what = match doc.origin {
            AvoirOrigin::Deposit => "Commande",
            _ => "Remboursement",
        };
        r.pair(Plain, what, from);
    }
    r.rule();
    r.line("À conserver : présentez ce bon (ou son numéro) lors d'un prochain achat.");
    if doc.origin == AvoirOrigin::Gift {
        r.line("Bon à usages multiples : la TVA est due lors de son utilisation.");
    }
    r.rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(origin: AvoirOrigin, from: Option<&str>) -> AvoirSlipDoc {
        AvoirSlipDoc {
            shop: Shop {
                name: "Épicerie du Marché".into(),
                address: "12 rue des Lilas, 69003 Lyon".into(),
                ..Shop::default()
            },
            origin,
            number: "T1-V000001".into(),
            amount_cents: Money(390),
            expires: "2027-12-07".into(),
            from: from.map(str::to_string),
            issued_at: "07/12/2026 10:00:00".into(),
            code: "AV1-T1-V000001".into(),
        }
    }

    /// Every row fits the width (a heading half of it), at each width, and the slip says
    /// what it is, its number, amount, expiry and origin.
    #[test]
    fn the_slip_fits_every_width_and_says_what_it_is() {
        let cases = [
            (
                AvoirOrigin::Return,
                Some("T1-000002"),
                "AVOIR",
                "Remboursement",
            ),
            (
                AvoirOrigin::Deposit,
                Some("T1-C000001"),
                "AVOIR",
                "Commande",
            ),
            (AvoirOrigin::Gift, None, "BON CADEAU", "TVA"),
        ];
        for (origin, from, title, words) in cases {
            for width in [32, 42, 48] {
                let rows = layout(&doc(origin, from), width);
                for row in &rows {
                    let limit = match row.style {
                        RowStyle::Heading => width / 2,
                        _ => width,
                    };
                    assert!(row.text.chars().count() <= limit, "{width}: {:?}", row.text);
                }
                let text: String = rows.iter().map(|r| format!("{}\n", r.text)).collect();
                for wanted in [title, "T1-V000001", "3,90 EUR", "07/12/2027", words] {
                    assert!(
                        text.contains(wanted),
                        "{width} {title}: {wanted} in\n{text}"
                    );
                }
            }
        }
    }
}
