//! report.html: the manager's printable summary of a bundle, in French, with its charts drawn
//! as inline SVG (no script, no network).

use crate::bundle::Manifest;
use relais_core::closure::ClosureData;
use relais_core::order::OrderStatus;
use relais_core::record::{Body, Record, Series};
use relais_core::time::{local_display, parse_instant, parse_zone};
use relais_core::OrderView;
use relais_core::{EventType, Method, Money};
use std::collections::BTreeMap;
use std::fmt::Write;

#[path = "report_format.rs"]
mod format;
use format::{bars, day, esc, eur, local_minute, tender_split};

#[derive(Default)]
pub struct DayFigures {
    sales: u64,
    total: i64,
    tenders: BTreeMap<Method, i64>,
}

/// What the report shows beyond the manifest, gathered during the pass over the ledger.
#[derive(Default)]
pub struct ReportData {
    days: BTreeMap<String, DayFigures>,
    hours: [i64; 24],
    late: Vec<(String, String, String, i64)>,
    anomalies: Vec<(String, String)>,
    /// Per till and series: the first and last numbers seen, and how many records.
    numbering: BTreeMap<(String, Series), Numbering>,
    gaps: u64,
    pub closures: Vec<(String, ClosureData)>,
    /// The till's time zone, to show UTC instants (the outage) in local time.
    zone: Option<String>,
    /// Avoirs and vouchers, for avoirs.csv and the liability.
    pub avoirs: crate::avoirs::AvoirBook,
}
impl ReportData {
    pub fn take(&mut self, record: &Record, local: &str) {
        self.zone.get_or_insert_with(|| record.tz.clone());
        self.number(record, local);
        self.avoirs.take(record, local);
        match &record.body {
            Body::Sale(t) | Body::Refund(t) | Body::Void(t) => {
                let day = self.days.entry(record.business_day.clone()).or_default();
                day.total += t.total_cents.0;
                if matches!(record.body, Body::Sale(_)) {
                    day.sales += 1;
                    // A paper sale counts at the hour it was really sold, not when it was keyed in.
                    let sold_local = match (&t.late, parse_zone(&record.tz)) {
                        (Some(late), Some(zone)) => {
                            parse_instant(&late.sold_at).map(|at| local_display(zone, at))
                        }
                        _ => None,
                    };
                    let hour: usize = sold_local
                        .as_deref()
                        .unwrap_or(local)
                        .get(11..13)
                        .and_then(|h| h.parse().ok())
                        .unwrap_or(0);
                    self.hours[hour.min(23)] += t.total_cents.0;
                }
                for p in &t.payments {
                    *day.tenders.entry(p.method).or_default() += p.amount_cents.0;
                }
                if let Some(late) = &t.late {
                    self.late.push((
                        record.number(),
                        late.slip.clone(),
                        record.business_day.clone(),
                        t.total_cents.0,
                    ));
                }
            }
            Body::Closure(c) => self.closures.push((record.number(), c.clone())),
            Body::Event(e) => {
                let anomaly = [
                    EventType::ClockBackwards,
                    EventType::IntegrityDefect,
                    EventType::DayAutoClosed,
                    EventType::LoginFailed,
                ]
                .iter()
                .any(|t| t.name() == e.name);
                if anomaly {
                    self.anomalies.push((local.to_string(), e.message.clone()));
                }
            }
            _ => {}
        }
    }
}

/// One numbering series of one till, as the export saw it.
struct Numbering {
    first: String,
    last: String,
    last_seq: u64,
    count: u64,
}

impl ReportData {
    /// Follows each series' numbers: a number that does not follow the one before is a gap,
    /// shown among the anomalies (a bundle that verifies has none; the report says so).
    fn number(&mut self, record: &Record, local: &str) {
        let key = (record.till.clone(), record.kind().series());
        let number = record.number();
        match self.numbering.get_mut(&key) {
            Some(n) => {
                if record.seq != n.last_seq + 1 {
                    self.gaps += 1;
                    self.anomalies.push((
                        local.to_string(),
                        format!("Trou de numérotation : {} est suivi de {number}", n.last),
                    ));
                }
                n.last = number;
                n.last_seq = record.seq;
                n.count += 1;
            }
            None => {
                self.numbering.insert(
                    key,
                    Numbering {
                        first: number.clone(),
                        last: number,
                        last_seq: record.seq,
                        count: 1,
                    },
                );
            }
        }
    }
}

/// The numbering of each till's series: first and last numbers and their count.
fn numbering_html(data: &ReportData) -> String {
    let mut h = String::from("<h2>Numérotation</h2><table><tr><th>Caisse</th><th>Série</th><th>Premier</th><th>Dernier</th><th class=\"n\">Nombre</th></tr>");
    for ((till, series), n) in &data.numbering {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(till),
            series_fr(*series),
            esc(&n.first),
            esc(&n.last),
            n.count
        );
    }
    h += "</table>";
    h += &match data.gaps {
        0 => {
            "<p class=\"ok\">Numérotation continue : aucun trou dans aucune série.</p>".to_string()
        }
        n => format!("<p class=\"bad\">{n} trou(s) de numérotation : voir les anomalies.</p>"),
    };
    h
}

fn series_fr(series: Series) -> &'static str {
    match series {
        Series::Ticket => "tickets (ventes, remboursements, annulations)",
        Series::Copy => "duplicata",
        Series::Closure => "clôtures",
        Series::Event => "événements (ouvertures de journée et suivis de commande compris)",
        Series::Movement => "mouvements de caisse",
        Series::Order => "commandes",
        Series::Deposit => "acomptes",
        Series::Avoir => "avoirs et bons cadeaux",
        Series::AvoirUse => "utilisations d'avoirs et bons externes",
    }
}

/// "journée du 28/11/2026", "mois 11/2026", "exercice 2026".
fn period_fr(c: &ClosureData) -> String {
    match c.period {
        relais_core::closure::ClosurePeriod::Day => {
            format!("journée du {}", esc(&day(&c.first_day)))
        }
        relais_core::closure::ClosurePeriod::Month => {
            format!("mois {}", esc(day(&c.first_day).get(3..).unwrap_or("")))
        }
        relais_core::closure::ClosurePeriod::Year => {
            format!("exercice {}", esc(c.first_day.get(..4).unwrap_or("")))
        }
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#1a1a1a}h1{margin-bottom:0}\
h2{border-bottom:2px solid #2f6f9f;padding-bottom:.2em;margin-top:2em}table{border-collapse:collapse;margin:.5em 0}\
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}td.n,th.n{text-align:right}\
.bad{color:#b00020;font-weight:bold}.ok{color:#1b6e2a}.chart{width:100%;max-width:800px;height:auto}\
.legend{list-style:none;padding:0}.legend li{display:inline-block;margin-right:1.5em}\
.swatch{display:inline-block;width:1em;height:1em;margin-right:.3em;vertical-align:middle}\
.meta{color:#555}.bars{max-width:100%;height:auto;display:block}@media print{body{margin:1cm}h2{page-break-after:avoid}}";

pub fn render(manifest: &Manifest, data: &ReportData, orders: &[OrderView]) -> String {
    let t = &manifest.totals;
    let tills: Vec<String> = manifest
        .tills
        .iter()
        .map(|c| format!("{} (positions {} à {})", c.till, c.from_pos, c.to_pos))
        .collect();
    let mut h = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Relais — rapport de reprise</title><style>{STYLE}</style></head><body>\
         <h1>{}</h1><p class=\"meta\">Caisse(s) : {} — journées du {} au {}</p>",
        esc(&manifest.shop.name),
        esc(&tills.join(", ")),
        esc(&day(manifest.first_business_day.as_deref().unwrap_or("—"))),
        esc(&day(manifest.last_business_day.as_deref().unwrap_or("—"))),
    );
    if let Some(outage) = &manifest.outage {
        let local = |at: &str| match (data.zone.as_deref().and_then(parse_zone), parse_instant(at))
        {
            (Some(zone), Some(instant)) => local_minute(&local_display(zone, instant)),
            _ => at.to_string(),
        };
        let _ = write!(
            h,
            "<p><strong>Panne du logiciel principal</strong> depuis le {} ({}) — {}</p>",
            esc(&local(&outage.started_at)),
            esc(&outage.reason),
            esc(&outage
                .ended_at
                .as_ref()
                .map(|e| format!("rétabli le {}", local(e)))
                .unwrap_or_else(|| "toujours en cours".into()))
        );
    }
    let _ = write!(
        h,
        "<h2>Synthèse</h2><table><tr><th>Ventes</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\
         <tr><th>Remboursements</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\
         <tr><th>Annulations</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\
         <tr><th>Total net TTC</th><td></td><td class=\"n\"><strong>{}</strong></td></tr>\
         <tr><th>Acomptes reçus / remboursés (hors chiffre d'affaires)</th><td></td><td class=\"n\">{} / {}</td></tr>\
         <tr><th>Saisies a posteriori (papier)</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr></table>",
        t.sales, eur(t.sales_cents.0), t.refunds, eur(t.refunds_cents.0), t.voids, eur(t.voids_cents.0),
        eur(t.total_cents.0), eur(t.deposits_received_cents.0), eur(t.deposits_refunded_cents.0), t.late_entries, eur(t.late_total_cents.0)
    );
    h += &avoirs_section(&data.avoirs);
    h += "<h2>Par journée et moyen de paiement</h2><table><tr><th>Journée</th><th class=\"n\">Ventes</th>";
    let methods: Vec<Method> = Method::ALL
        .into_iter()
        .filter(|m| data.days.values().any(|d| d.tenders.contains_key(m)))
        .collect();
    for m in &methods {
        let _ = write!(h, "<th class=\"n\">{}</th>", m.label_fr());
    }
    h += "<th class=\"n\">Total TTC</th></tr>";
    for (business_day, f) in &data.days {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td>",
            esc(&day(business_day)),
            f.sales
        );
        for m in &methods {
            let _ = write!(
                h,
                "<td class=\"n\">{}</td>",
                eur(f.tenders.get(m).copied().unwrap_or(0))
            );
        }
        let _ = write!(h, "<td class=\"n\">{}</td></tr>", eur(f.total));
    }
    h += "</table><h2>Par taux de TVA</h2><table><tr><th>Taux</th><th class=\"n\">HT</th><th class=\"n\">TVA</th><th class=\"n\">TTC</th></tr>";
    for v in &t.vat {
        let _ = write!(h, "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>", v.rate_bp, eur(v.ht_cents.0), eur(v.vat_cents.0), eur(v.ttc_cents.0));
    }
    h += "</table><h2>Rapprochement espèces, carte, chèques</h2>";
    if data.closures.is_empty() {
        h += "<p>Aucune clôture dans cet export.</p>";
    } else {
        h += "<table><tr><th>Clôture</th><th>Période</th><th class=\"n\">Espèces attendues</th><th class=\"n\">Comptées</th><th class=\"n\">Écart</th><th class=\"n\">Carte enregistrée</th><th class=\"n\">Terminal</th><th class=\"n\">Écart</th><th class=\"n\">Chèques</th></tr>";
        for (number, c) in &data.closures {
            let variance = |v: Option<Money>| match v {
                Some(m) if m.0 != 0 => format!("<span class=\"bad\">{}</span>", eur(m.0)),
                Some(m) => format!("<span class=\"ok\">{}</span>", eur(m.0)),
                None => "non compté".into(),
            };
            let cheques: i64 = c.totals.cheques.iter().map(|ch| ch.amount_cents.0).sum();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} ({})</td></tr>",
                esc(number), period_fr(c),
eur(c.totals.expected_cash_cents.0),
                c.cash_count.as_ref().map(|k| eur(k.counted_cents.0)).unwrap_or_else(|| "—".into()),
                variance(c.cash_count.as_ref().map(|k| k.variance_cents)),
                eur(c.totals.tender(Method::Card).0),
                c.card_check.as_ref().map(|k| eur(k.terminal_total_cents.0)).unwrap_or_else(|| "—".into()),
                variance(c.card_check.as_ref().map(|k| k.variance_cents)),
                eur(cheques), c.totals.cheques.len()
            );
        }
        h += "</table>";
    }
    h += "<h2>Saisies a posteriori</h2>";
    if data.late.is_empty() {
        h += "<p>Aucune.</p>";
    } else {
        h += "<table><tr><th>Ticket</th><th>Bordereau</th><th>Journée réelle</th><th class=\"n\">Montant</th></tr>";
        for (number, slip, business_day, total) in &data.late {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(number),
                esc(slip),
                esc(&day(business_day)),
                eur(*total)
            );
        }
        h += "</table>";
    }
    h += &numbering_html(data);
    h += "<h2>Anomalies</h2>";
    if data.anomalies.is_empty() {
        h += "<p class=\"ok\">Aucune : pas de trou de numérotation, de saut d'horloge, de défaut d'intégrité ni de clôture automatique.</p>";
    } else {
        h += "<ul>";
        for (at, message) in &data.anomalies {
            let _ = write!(h, "<li>{} — {}</li>", esc(&local_minute(at)), esc(message));
        }
        h += "</ul>";
    }
    h += "<h2>Commandes à recréer dans le logiciel principal</h2>";
    if orders.is_empty() {
        h += "<p>Aucune.</p>";
    } else {
        h += "<table><tr><th>Commande</th><th>Client</th><th>Téléphone</th><th>Pour le</th><th>État</th><th class=\"n\">Total</th><th class=\"n\">Acomptes</th><th class=\"n\">Reste</th></tr>";
        for o in orders {
            let status = if matches!(o.status, OrderStatus::Open | OrderStatus::Ready) {
                format!("<strong>{}</strong>", o.status.label_fr())
            } else {
                o.status.label_fr().to_string()
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{status}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&o.number), esc(&o.customer.name), esc(o.customer.phone.as_deref().unwrap_or("")),
                esc(&day(o.requested_date.as_deref().unwrap_or(""))), eur(o.total_cents), eur(o.deposits_cents), eur(o.balance_cents)
            );
        }
        h += "</table>";
    }
    h += "<h2>Graphiques</h2><h3>Ventes nettes par journée</h3>\
          <p class=\"meta\">Total TTC de la journée, remboursements et annulations déduits \
          (montant au-dessus de chaque barre, arrondi à l'euro à partir de 1 000 €).</p>";
    let per_day: Vec<(String, i64)> = data
        .days
        .iter()
        .map(|(d, f)| (day(d).get(..5).unwrap_or(d).to_string(), f.total))
        .collect();
    h += &bars(&per_day, 160);
    h += "<h3>Ventes brutes par heure</h3>\
          <p class=\"meta\">Total TTC des ventes de chaque heure (heure réelle pour les \
          bordereaux papier), avant remboursements et annulations.</p>";
    // The shop's usual hours, widened to any hour that sold (a night market, a late slip).
    let sold = |hour: &usize| data.hours[*hour] != 0;
    let first = (0..24).find(sold).unwrap_or(6).min(6);
    let last = (0..24).rev().find(sold).unwrap_or(22).max(22);
    let per_hour: Vec<(String, i64)> = (first..=last)
        .map(|hour| (format!("{hour}h"), data.hours[hour]))
        .collect();
    h += &bars(&per_hour, 120);
    h += "<h3>Moyens de paiement</h3>";
    let split: Vec<(Method, i64)> = t
        .tenders
        .iter()
        .map(|tt| (tt.method, tt.amount_cents.0))
        .collect();
    h += &tender_split(&split);
    h += "<p class=\"meta\">Établi par Relais à partir du journal inaltérable ; chaque fichier de l'export est scellé par manifest.json.</p></body></html>\n";
    h
}

/// Avoirs and vouchers: issued, spent, accepted blind, the liability left, and any avoir spent
/// beyond its amount; nothing when the bundle holds none.
fn avoirs_section(book: &crate::avoirs::AvoirBook) -> String {
    let (issued, spent, external) = book.totals();
    if issued.0 == 0 && spent.0 == 0 && external.0 == 0 {
        return String::new();
    }
    let mut h = format!(
        "<h2>Avoirs et bons cadeaux</h2><table><tr><th>Émis (avoirs et bons vendus)</th><td class=\"n\">{}</td></tr>\
         <tr><th>Utilisés</th><td class=\"n\">{}</td></tr>\
         <tr><th>Bons externes non vérifiés acceptés</th><td class=\"n\">{}</td></tr>\
         <tr><th>Encours (dû aux clients)</th><td class=\"n\"><strong>{}</strong></td></tr></table>",
        eur(issued.0),
        eur(spent.0),
        eur(external.0),
        eur(book.outstanding().0)
    );
    for conflict in book.conflicts() {
        let _ = write!(h, "<p class=\"bad\">{}</p>", esc(&conflict.what_fr));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ticket of till `till` numbered `seq`.
    fn ticket(till: &str, seq: u64) -> Record {
        let sale: relais_core::Ticket = relais_core::price_sale(
            &serde_json::from_value(serde_json::json!({
                "lines": [{"label": "A", "unit_price_cents": 100, "vat_rate_bp": 550}],
                "payments": [{"method": "card", "amount_cents": 100}]
            }))
            .unwrap(),
            &relais_core::DEFAULT_VAT_RATES,
        )
        .unwrap();
        serde_json::from_value(serde_json::json!({
            "v": 1, "id": uuid::Uuid::now_v7().to_string(), "till": till, "pos": seq, "seq": seq,
            "at": "2026-11-28T14:16:09.123Z", "tz": "Europe/Paris", "utc_offset_min": 60,
            "business_day": "2026-11-28", "operator": "a", "training": false,
            "kind": "sale", "data": sale
        }))
        .unwrap()
    }

    /// Each series of each till is followed on its own; a number that skips is an anomaly.
    #[test]
    fn a_numbering_gap_is_an_anomaly_and_each_till_counts_apart() {
        // (till and numbers seen, gaps expected)
        let cases: [(&[(&str, u64)], u64); 4] = [
            (&[("T1", 1), ("T1", 2), ("T1", 3)], 0),
            (&[("T1", 5), ("T1", 6)], 0),
            (&[("T1", 1), ("T1", 3)], 1),
            (&[("T1", 1), ("T2", 1), ("T1", 2), ("T2", 3)], 1),
        ];
        for (seen, gaps) in cases {
            let mut data = ReportData::default();
            for (till, seq) in seen {
                data.take(&ticket(till, *seq), "28/11/2026 15:16:09");
            }
            assert_eq!(data.gaps, gaps, "{seen:?}");
            let listed = data
                .anomalies
                .iter()
                .filter(|(_, m)| m.starts_with("Trou de numérotation"))
                .count() as u64;
            assert_eq!(listed, gaps, "{seen:?}");
            let html = numbering_html(&data);
            assert_eq!(html.contains("aucun trou"), gaps == 0, "{html}");
        }
        let mut data = ReportData::default();
        data.take(&ticket("T1", 1), "");
        data.take(&ticket("T1", 3), "");
        assert_eq!(
            data.anomalies[0].1,
            "Trou de numérotation : T1-000001 est suivi de T1-000003"
        );
    }
}
