use super::*;
use ed25519_dalek::SigningKey;

fn key(byte: u8) -> SigningKey {
    SigningKey::from_bytes(&[byte; 32])
}

fn public(byte: u8) -> String {
    hex::encode(key(byte).verifying_key().to_bytes())
}

fn code() -> AvoirCode {
    AvoirCode {
        till: "T1".into(),
        seq: 7,
        amount_cents: Money(2500),
        expires: NaiveDate::from_ymd_opt(2027, 12, 7).unwrap(),
    }
}

/// The shop knows T1's key (byte 1) and T2's (byte 2); another shop's T1 signs with byte 9.
fn shop_key(till: &str) -> Option<String> {
    match till {
        "T1" => Some(public(1)),
        "T2" => Some(public(2)),
        _ => None,
    }
}

#[test]
fn the_code_is_the_number_the_amount_the_expiry_and_the_signature() {
    let text = code().sign(&key(1));
    assert!(text.starts_with("AV1-T1-V000007-2500-20271207-"), "{text}");
    assert_eq!(text.len(), "AV1-T1-V000007-2500-20271207-".len() + 128);
    assert_eq!(AvoirCode::verify(&text, shop_key), Ok(code()));
}

#[test]
fn codes_are_checked_offline_and_refused_with_a_reason() {
    let good = code().sign(&key(1));
    let altered_amount = good.replace("-2500-", "-9500-");
    let altered_expiry = good.replace("-20271207-", "-20291207-");
    let other_shop = code().sign(&key(9));
    let signed_by_t2 = code().sign(&key(2));
    let unknown_till = AvoirCode {
        till: "T9".into(),
        ..code()
    }
    .sign(&key(1));
    let cases: Vec<(&str, String, Result<AvoirCode, AvoirRefusal>)> = vec![
        ("good", good.clone(), Ok(code())),
        (
            "typed in lower case with spaces",
            format!(" {} ", good.to_lowercase()),
            Ok(code()),
        ),
        (
            "amount altered",
            altered_amount,
            Err(AvoirRefusal::BadSignature),
        ),
        (
            "expiry altered",
            altered_expiry,
            Err(AvoirRefusal::BadSignature),
        ),
        (
            "another shop's till T1",
            other_shop,
            Err(AvoirRefusal::BadSignature),
        ),
        (
            "T1's avoir signed by T2",
            signed_by_t2,
            Err(AvoirRefusal::BadSignature),
        ),
        (
            "unknown till",
            unknown_till,
            Err(AvoirRefusal::UnknownTill("T9".into())),
        ),
        (
            "truncated",
            good[..good.len() - 2].to_string(),
            Err(AvoirRefusal::Malformed),
        ),
        (
            "not a code",
            "T1-000042".into(),
            Err(AvoirRefusal::Malformed),
        ),
        (
            "bad date",
            good.replace("20271207", "20271307"),
            Err(AvoirRefusal::Malformed),
        ),
        (
            "negative amount",
            good.replace("-2500-", "--2500-"),
            Err(AvoirRefusal::Malformed),
        ),
        (
            "other version",
            good.replacen("AV1", "AV2", 1),
            Err(AvoirRefusal::Malformed),
        ),
    ];
    for (name, text, expected) in cases {
        assert_eq!(AvoirCode::verify(&text, shop_key), expected, "{name}");
    }
}

#[test]
fn a_use_is_checked_against_balance_and_expiry() {
    let day = |d| NaiveDate::from_ymd_opt(2027, 12, d).unwrap();
    let over = AvoirRefusal::OverBalance {
        number: "T1-V000007".into(),
        asked: Money(1001),
        balance: Money(1000),
    };
    let expired = AvoirRefusal::Expired {
        number: "T1-V000007".into(),
        expires: "2027-12-07".into(),
    };
    let cases = [
        ("part of it", 2500, 1000, day(7), false, Ok(())),
        ("all of it", 1000, 1000, day(7), false, Ok(())),
        ("over the balance", 1000, 1001, day(1), false, Err(over)),
        (
            "spent",
            0,
            1,
            day(1),
            false,
            Err(AvoirRefusal::Spent("T1-V000007".into())),
        ),
        (
            "nothing",
            2500,
            0,
            day(1),
            false,
            Err(AvoirRefusal::NotPositive),
        ),
        ("expired", 2500, 100, day(8), false, Err(expired)),
        ("expired, a manager allows", 2500, 100, day(8), true, Ok(())),
    ];
    for (name, balance, amount, today, allowed, expected) in cases {
        let outcome = check_use(&code(), Money(balance), Money(amount), today, allowed);
        assert_eq!(outcome, expected, "{name}");
    }
}

#[test]
fn every_refusal_says_why_in_french_and_english() {
    let refusals = [
        AvoirRefusal::Malformed,
        AvoirRefusal::UnknownTill("T9".into()),
        AvoirRefusal::BadSignature,
        AvoirRefusal::Spent("T1-V000001".into()),
        AvoirRefusal::NotPositive,
    ];
    for refusal in refusals {
        let text = refusal.text();
        assert!(!text.fr.is_empty() && !text.en.is_empty() && text.fr != text.en);
    }
    assert!(AvoirRefusal::BadSignature
        .text()
        .fr
        .contains("autre magasin"));
}
