use super::*;
use crate::ticket::line_gross;

/// What a scanned code becomes with the French defaults.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Not a scale label: looked up as any other code.
    NotALabel,
    /// Refused; the French message contains this.
    Refused(&'static str),
    /// Sold: PLU, quantity in thousandths, unit price and line amount in cents.
    Sold {
        plu: &'static str,
        qty_milli: i64,
        unit_cents: i64,
        amount_cents: i64,
    },
}

fn outcome(code: &str, price_per_kg: Option<i64>) -> Outcome {
    let label = match read_label(code, &default_scale_rules()) {
        Ok(None) => return Outcome::NotALabel,
        Ok(Some(label)) => label,
        Err(text) => return refused(text),
    };
    match label_line(&label, price_per_kg.map(Money)) {
        Ok((qty, unit)) => Outcome::Sold {
            plu: Box::leak(label.plu.into_boxed_str()),
            qty_milli: qty.0,
            unit_cents: unit.0,
            amount_cents: line_gross(qty, unit).unwrap().0,
        },
        Err(text) => refused(text),
    }
}

fn refused(text: Text) -> Outcome {
    for needle in [
        "clé de contrôle fausse",
        "prix au kilo est inconnu",
        "poids nul",
    ] {
        if text.fr.contains(needle) {
            assert!(!text.en.is_empty());
            return Outcome::Refused(needle);
        }
    }
    panic!("unexpected message {text:?}")
}

#[test]
fn labels_read_with_the_french_defaults() {
    use Outcome::*;
    let sold = |plu, qty_milli, unit_cents, amount_cents| Sold {
        plu,
        qty_milli,
        unit_cents,
        amount_cents,
    };
    let cases: &[(&str, &str, Option<i64>, Outcome)] = &[
        (
            "price label, 12,50 €",
            "2212345012503",
            None,
            sold("12345", 1000, 1250, 1250),
        ),
        (
            "price label, product known: the label's price wins",
            "2212345012503",
            Some(999),
            sold("12345", 1000, 1250, 1250),
        ),
        (
            "price label, prefix 28, PLU 42",
            "2800042003995",
            None,
            sold("00042", 1000, 399, 399),
        ),
        (
            "price label, prefix 02",
            "0212345002506",
            None,
            sold("12345", 1000, 250, 250),
        ),
        (
            "weight label, 512 g at 24,90 €/kg = 12,7488 → 12,75",
            "2312345005120",
            Some(2490),
            sold("12345", 512, 2490, 1275),
        ),
        (
            "weight label, 750 g at 19,98 €/kg = 14,985 → 14,99 (half up)",
            "2900001007504",
            Some(1998),
            sold("00001", 750, 1998, 1499),
        ),
        (
            "weight label, prefix 25",
            "2500002005129",
            Some(1000),
            sold("00002", 512, 1000, 512),
        ),
        (
            "weight label, unknown PLU: no price per kg",
            "2312345005120",
            None,
            Refused("prix au kilo est inconnu"),
        ),
        (
            "weight label of zero grams",
            "2312345000002",
            Some(1000),
            Refused("poids nul"),
        ),
        (
            "bad check digit, price label",
            "2212345012504",
            None,
            Refused("clé de contrôle fausse"),
        ),
        (
            "bad check digit, weight label",
            "2312345005121",
            Some(2490),
            Refused("clé de contrôle fausse"),
        ),
        ("prefix 20 has no rule", "2000000000008", None, NotALabel),
        ("an ordinary EAN-13", "3017620422003", None, NotALabel),
        ("12 digits", "221234501250", None, NotALabel),
        ("letters", "22123450125A", None, NotALabel),
    ];
    for (name, code, price, expected) in cases {
        assert_eq!(&outcome(code, *price), expected, "{name}: {code}");
    }
}

#[test]
fn the_french_defaults() {
    let rules = default_scale_rules();
    let of = |carries| -> Vec<&str> {
        rules
            .iter()
            .filter(|r| r.carries == carries)
            .map(|r| r.prefix.as_str())
            .collect()
    };
    assert_eq!(of(Carries::Price), ["02", "22", "24", "26", "28"]);
    assert_eq!(of(Carries::Weight), ["21", "23", "25", "27", "29"]);
    assert!(rules.iter().all(|r| r.department == "ALIM"));
    assert_eq!(check_rules(&rules).unwrap(), rules);
}

#[test]
fn a_shop_rule_changes_what_a_prefix_carries() {
    let rules = parse_rules(
        "préfixe;contenu;rayon\n# la balance du rayon fromage\n20;poids;FROM\n22:prix\n",
    )
    .unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(
        (rules[0].carries, rules[0].department.as_str()),
        (Carries::Weight, "FROM")
    );
    assert_eq!(rules[1].department, "ALIM");
    let label = read_label("2000000000008", &rules);
    assert_eq!(label.unwrap().unwrap().carries, Carries::Weight);
    assert_eq!(read_label("2312345005120", &rules), Ok(None));
}

#[test]
fn bad_rules_and_plus_are_refused_in_both_languages() {
    let bad_rules: &[(&str, &str)] = &[
        ("2;prix", "ligne 1 : préfixe « 2 »"),
        ("22;prix\n22;poids", "le préfixe 22 figure deux fois"),
        ("22;kilo", "ligne 1 : « kilo » : prix ou poids attendu"),
        ("22", "ligne 1 : attendu PRÉFIXE"),
    ];
    for (file, message) in bad_rules {
        let error = parse_rules(file).unwrap_err();
        assert!(error.fr.starts_with(message), "{file}: {error:?}");
        assert!(!error.en.is_empty());
    }
    assert_eq!(normalize_plu(" 42 ").unwrap(), "00042");
    assert_eq!(normalize_plu("12345").unwrap(), "12345");
    for bad in ["", "123456", "12a"] {
        assert!(normalize_plu(bad).is_err(), "{bad}");
    }
}
