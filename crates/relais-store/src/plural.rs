//! A count and its noun, agreed: « 0 vente », « 1 vente », « 2 ventes »; "1 sale", "2 sales".
//! For the journal's messages and the CLI's sentences.

/// `n` and the French noun agreed with it: the singular below two (0 and 1), as French
/// writes counts.
pub fn fr(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", fr_word(n, singular, plural))
}

/// The French noun agreed with `n`, without `n`.
pub fn fr_word<'a>(n: u64, singular: &'a str, plural: &'a str) -> &'a str {
    if n < 2 {
        singular
    } else {
        plural
    }
}

/// `n` and the English noun agreed with it: the singular for one only.
pub fn en(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", en_word(n, singular, plural))
}

/// The English noun agreed with `n`, without `n`.
pub fn en_word<'a>(n: u64, singular: &'a str, plural: &'a str) -> &'a str {
    if n == 1 {
        singular
    } else {
        plural
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn french_agrees_up_to_one_english_at_one_only() {
        // (n, French, English)
        let cases = [
            (0, "0 vente", "0 sales"),
            (1, "1 vente", "1 sale"),
            (2, "2 ventes", "2 sales"),
            (1_000, "1000 ventes", "1000 sales"),
        ];
        for (n, french, english) in cases {
            assert_eq!(super::fr(n, "vente", "ventes"), french);
            assert_eq!(super::en(n, "sale", "sales"), english);
        }
    }
}
