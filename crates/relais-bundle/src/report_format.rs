//! How report.html writes numbers, dates and charts: French forms everywhere (`6 576,37 €`,
//! `28/11/2026`, `28/11/2026 15:16`), and bars that carry their values.

use relais_core::{Method, Money};
use std::fmt::Write;

/// The French thousands separator: a narrow no-break space.
const THOUSANDS: char = '\u{202f}';

pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Digits grouped by three: 6576 → "6 576".
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(THOUSANDS);
        }
        out.push(digit);
    }
    out
}

/// Cents in French: 657637 → "6 576,37 €", -5 → "-0,05 €".
pub fn eur(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}&nbsp;€", grouped(abs / 100), abs % 100)
}

/// An amount short enough to stand above a bar: exact under 1 000 €, whole euros from there
/// (657637 → "6 576 €", 110 → "1,10 €").
fn bar_eur(cents: i64) -> String {
    if cents.unsigned_abs() < 100_000 {
        return eur(cents);
    }
    let sign = if cents < 0 { "-" } else { "" };
    let euros = (cents.unsigned_abs() + 50) / 100;
    format!("{sign}{}&nbsp;€", grouped(euros))
}

/// An ISO day in French, "2026-11-28" → "28/11/2026"; any other text as it is.
pub fn day(iso: &str) -> String {
    let b = iso.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        format!("{}/{}/{}", &iso[8..10], &iso[5..7], &iso[0..4])
    } else {
        iso.to_string()
    }
}

/// A local time as the core displays it, "28/11/2026 15:16:09" → "28/11/2026 15:16": the
/// report's one form of a date and time.
pub fn local_minute(local: &str) -> String {
    match local.len() {
        19 if local.as_bytes()[16] == b':' => local[..16].to_string(),
        _ => local.to_string(),
    }
}

/// A bar chart of labelled values (cents) as an SVG element: each bar with its value above it
/// ([`bar_eur`]), and the exact amount in its tooltip.
pub fn bars(values: &[(String, i64)], height: u32) -> String {
    const STEP: u32 = 56;
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let width = values.len() as u32 * STEP + 12;
    let full = height + 54;
    let mut svg = format!(
        r#"<svg class="bars" width="{width}" height="{full}" viewBox="0 0 {width} {full}" role="img">"#
    );
    for (i, (label, value)) in values.iter().enumerate() {
        let h = ((*value).max(0) as f64 / max as f64 * f64::from(height)).round() as u32;
        let x = i as u32 * STEP + 6;
        let top = height - h + 24;
        let middle = x + STEP / 2 - 2;
        let _ = write!(
            svg,
            r##"<rect x="{}" y="{top}" width="{}" height="{h}" fill="#2f6f9f"><title>{} : {}</title></rect>"##,
            x + 4,
            STEP - 12,
            esc(label),
            Money(*value),
        );
        if *value != 0 {
            let _ = write!(
                svg,
                r#"<text x="{middle}" y="{}" font-size="10" text-anchor="middle" class="value">{}</text>"#,
                top - 4,
                bar_eur(*value)
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{middle}" y="{}" font-size="10" text-anchor="middle">{}</text>"#,
            height + 40,
            esc(label)
        );
    }
    svg + "</svg>"
}

/// The share of each tender, as one horizontal stacked bar with a legend.
pub fn tender_split(tenders: &[(Method, i64)]) -> String {
    let total: i64 = tenders.iter().map(|(_, v)| v.max(&0)).sum::<i64>().max(1);
    let colours = [
        "#2f6f9f", "#d08a2c", "#5a9c5a", "#9c5a8c", "#8c8c3a", "#6a6a6a", "#b04a4a",
    ];
    let mut svg = String::from(r#"<svg class="chart" viewBox="0 0 600 40" role="img">"#);
    let mut legend = String::from("<ul class=\"legend\">");
    let mut x = 0.0;
    for (i, (method, value)) in tenders.iter().enumerate() {
        let share = (*value).max(0) as f64 / total as f64;
        let colour = colours[i % colours.len()];
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="5" width="{:.1}" height="30" fill="{colour}"/>"#,
            share * 600.0
        );
        let _ = write!(
            legend,
            r#"<li><span class="swatch" style="background:{colour}"></span>{} : {} ({:.0}&nbsp;%)</li>"#,
            method.label_fr(),
            eur(*value),
            share * 100.0
        );
        x += share * 600.0;
    }
    svg + "</svg>" + &legend + "</ul>"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_are_written_the_french_way() {
        let n = THOUSANDS;
        let cases: Vec<(String, String)> = vec![
            (eur(657637), format!("6{n}576,37&nbsp;€")),
            (eur(-5), "-0,05&nbsp;€".into()),
            (eur(0), "0,00&nbsp;€".into()),
            (eur(99_999), "999,99&nbsp;€".into()),
            (eur(12_345_678_900), format!("123{n}456{n}789,00&nbsp;€")),
            (eur(-10_000_000), format!("-100{n}000,00&nbsp;€")),
            (bar_eur(657637), format!("6{n}576&nbsp;€")),
            (bar_eur(-350), "-3,50&nbsp;€".into()),
            (bar_eur(99_999), "999,99&nbsp;€".into()),
            (bar_eur(100_049), format!("1{n}000&nbsp;€")),
            (day("2026-11-28"), "28/11/2026".into()),
            (day("demain"), "demain".into()),
            (
                local_minute("28/11/2026 15:16:09"),
                "28/11/2026 15:16".into(),
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn every_bar_but_an_empty_one_carries_its_value() {
        let svg = bars(
            &[
                ("28/11".into(), 657637),
                ("29/11".into(), 0),
                ("30/11".into(), -1200),
            ],
            100,
        );
        let values: Vec<&str> = svg
            .split(r#"class="value">"#)
            .skip(1)
            .map(|s| s.split('<').next().unwrap())
            .collect();
        assert_eq!(
            values,
            [format!("6{THOUSANDS}576&nbsp;€"), "-12,00&nbsp;€".into()]
        );
        assert!(svg.contains("<title>28/11 : 6576,37</title>"), "{svg}");
    }
}
