//! Avoirs (credit notes) and gift vouchers: a numbered record of their own series, a compact
//! code signed by the issuing till, checkable offline, and every use a record linked to it.
//!
//! A gift voucher sold is not turnover (a multi-purpose voucher: VAT is due when it is spent,
//! BOI-TVA-CHAMP-10-10-40-50): its record carries the payments, kept apart from sales as
//! deposits are. An avoir given on a return or a cancelled order's deposit carries none (the
//! refund or the deposit record says where the money went). Specified in docs/CHAIN.md,
//! section « Avoirs ».

use crate::i18n::Text;
use crate::money::Money;
use crate::text;
use crate::ticket::{Link, Payment};
use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The letter of the avoir series in numbers (`T1-V000001`; `record::Series::Avoir`).
pub const SERIES_LETTER: &str = "V";

/// The first member of every code, naming its format.
pub const CODE_VERSION: &str = "AV1";

/// Where an avoir comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AvoirOrigin {
    /// Given instead of money on a return (the refund's tender is `store_credit`).
    Return,
    /// A cancelled customer order's deposit kept as store credit.
    Deposit,
    /// A gift voucher (bon cadeau) sold: paid, not turnover.
    Gift,
}

impl AvoirOrigin {
    pub const ALL: [AvoirOrigin; 3] =
        [AvoirOrigin::Return, AvoirOrigin::Deposit, AvoirOrigin::Gift];

    pub fn code(self) -> &'static str {
        match self {
            AvoirOrigin::Return => "return",
            AvoirOrigin::Deposit => "deposit",
            AvoirOrigin::Gift => "gift",
        }
    }

    pub fn from_code(code: &str) -> Option<AvoirOrigin> {
        AvoirOrigin::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            AvoirOrigin::Return => "Avoir sur retour",
            AvoirOrigin::Deposit => "Avoir sur acompte",
            AvoirOrigin::Gift => "Bon cadeau",
        }
    }
}

/// The data of an `avoir` record (series `avoir`, numbers `T1-V000001`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AvoirData {
    pub origin: AvoirOrigin,
    /// The refund (return) or deposit (cancelled order) it stands for; none for a gift voucher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Link>,
    /// Positive: what the holder may spend.
    pub amount_cents: Money,
    /// Last day it may be spent, `YYYY-MM-DD`, in the shop's zone.
    pub expires: String,
    /// A gift voucher's payments (they add up to `amount_cents`); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<Payment>,
    /// The signed code printed on the slip ([`AvoirCode`]).
    pub code: String,
}

/// What was presented and spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UseSource {
    /// An avoir or gift voucher of a till of this shop, its code checked.
    Avoir,
    /// « Bon externe non vérifié »: a voucher sold by the SaaS, accepted blind.
    External,
}

/// The data of an `avoir_use` record (series `avoir_use`, numbers `T1-U000001`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AvoirUseData {
    pub source: UseSource,
    /// `avoir`: its number (`T1-V000001`, any till of the shop); `external`: the code as
    /// presented.
    pub voucher: String,
    /// What is spent, positive.
    pub amount_cents: Money,
    /// `avoir`: the amount it was issued for, as its code says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_cents: Option<Money>,
    /// `avoir`: its last day, as its code says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// `avoir`: what is left after this use, as this till knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_cents: Option<Money>,
    /// The sale it paid, when it paid one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale: Option<Link>,
    /// The manager who allowed it (an expired avoir, an external voucher above the threshold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// The facts a code carries; its text is
/// `AV1-<till>-V<6 digits>-<amount in cents>-<YYYYMMDD>-<signature, 128 hex digits>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvoirCode {
    pub till: String,
    pub seq: u64,
    pub amount_cents: Money,
    pub expires: NaiveDate,
}

/// Why a code or a use is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AvoirRefusal {
    #[error("this is not an avoir code")]
    Malformed,
    #[error("no key known for till {0}: import its public key")]
    UnknownTill(String),
    #[error("the code's signature is wrong: forged, altered, or from another shop")]
    BadSignature,
    #[error("the avoir {number} expired on {expires}")]
    Expired { number: String, expires: String },
    #[error("the avoir {0} is fully spent")]
    Spent(String),
    #[error("{asked} asked but {balance} left on the avoir {number}")]
    OverBalance {
        number: String,
        asked: Money,
        balance: Money,
    },
    #[error("the amount must be positive")]
    NotPositive,
}

impl AvoirRefusal {
    pub fn text(&self) -> Text {
        match self {
            AvoirRefusal::Malformed => text!(
                fr: "ce n'est pas un code d'avoir (attendu : AV1-…, ou un numéro T1-V000001 de cette caisse)",
                en: "this is not an avoir code (expected AV1-…, or a number T1-V000001 of this till)",
            ),
            AvoirRefusal::UnknownTill(till) => text!(
                fr: format!("caisse {till} inconnue : importez sa clé publique (relais avoir key-import) avant d'accepter ses avoirs"),
                en: format!("unknown till {till}: import its public key (relais avoir key-import) before accepting its avoirs"),
            ),
            AvoirRefusal::BadSignature => text!(
                fr: "avoir refusé : la signature ne correspond pas (code falsifié, modifié, ou d'un autre magasin)",
                en: "avoir refused: the signature does not match (forged, altered, or from another shop)",
            ),
            AvoirRefusal::Expired { number, expires } => text!(
                fr: format!("avoir {number} expiré le {expires} : seul un responsable peut l'accepter"),
                en: format!("avoir {number} expired on {expires}: only a manager may accept it"),
            ),
            AvoirRefusal::Spent(number) => text!(
                fr: format!("avoir {number} déjà entièrement utilisé"),
                en: format!("avoir {number} already fully spent"),
            ),
            AvoirRefusal::OverBalance {
                number,
                asked,
                balance,
            } => text!(
                fr: format!("{asked} € demandés mais il reste {balance} € sur l'avoir {number}"),
                en: format!("{} asked but {} left on the avoir {number}", asked.decimal('.'), balance.decimal('.')),
            ),
            AvoirRefusal::NotPositive => text!(
                fr: "le montant doit être positif",
                en: "the amount must be positive",
            ),
        }
    }
}

impl AvoirCode {
    /// The avoir's number, `T1-V000001`.
    pub fn number(&self) -> String {
        format!("{}-{SERIES_LETTER}{:06}", self.till, self.seq)
    }

    /// The bytes signed: the code's text without its signature.
    pub fn message(&self) -> String {
        format!(
            "{CODE_VERSION}-{}-{}-{}",
            self.number(),
            self.amount_cents.0,
            self.expires.format("%Y%m%d")
        )
    }

    /// The full code, signed with the issuing till's key.
    pub fn sign(&self, key: &SigningKey) -> String {
        let signature = key.sign(self.message().as_bytes());
        format!(
            "{}-{}",
            self.message(),
            hex::encode_upper(signature.to_bytes())
        )
    }

    /// Reads a code's text (spaces and case forgiven, as scanners and fingers give them);
    /// the signature is not checked here.
    pub fn parse(text: &str) -> Result<(AvoirCode, [u8; 64]), AvoirRefusal> {
        let text: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let parts: Vec<&str> = text.split('-').collect();
        let [version, till, number, amount, expires, signature] = parts[..] else {
            return Err(AvoirRefusal::Malformed);
        };
        let seq = number
            .strip_prefix('V')
            .filter(|digits| digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse::<u64>().ok())
            .filter(|seq| *seq >= 1);
        let amount = amount
            .parse::<i64>()
            .ok()
            .filter(|_| amount.bytes().all(|b| b.is_ascii_digit()));
        let expires = NaiveDate::parse_from_str(expires, "%Y%m%d")
            .ok()
            .filter(|_| expires.len() == 8);
        let till_ok =
            !till.is_empty() && till.len() <= 8 && till.bytes().all(|b| b.is_ascii_alphanumeric());
        let mut bytes = [0u8; 64];
        let signature_ok = hex::decode_to_slice(signature, &mut bytes).is_ok();
        match (
            version == CODE_VERSION && till_ok && signature_ok,
            seq,
            amount,
            expires,
        ) {
            (true, Some(seq), Some(amount), Some(expires)) => Ok((
                AvoirCode {
                    till: till.to_string(),
                    seq,
                    amount_cents: Money(amount),
                    expires,
                },
                bytes,
            )),
            _ => Err(AvoirRefusal::Malformed),
        }
    }

    /// Reads a code and checks its signature with the public key (hex) that `key_of` gives
    /// for its till: the one check every till makes, with no network.
    pub fn verify(
        text: &str,
        key_of: impl Fn(&str) -> Option<String>,
    ) -> Result<AvoirCode, AvoirRefusal> {
        let (code, signature) = AvoirCode::parse(text)?;
        let public =
            key_of(&code.till).ok_or_else(|| AvoirRefusal::UnknownTill(code.till.clone()))?;
        let mut key = [0u8; 32];
        hex::decode_to_slice(public.trim(), &mut key).map_err(|_| AvoirRefusal::BadSignature)?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| AvoirRefusal::BadSignature)?;
        key.verify_strict(
            code.message().as_bytes(),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| AvoirRefusal::BadSignature)?;
        Ok(code)
    }
}

/// Whether `amount` may be spent from an avoir with `balance` left, on `today`: refused
/// when not positive, spent, over the balance, or expired unless `expired_allowed` (a
/// manager's override).
pub fn check_use(
    code: &AvoirCode,
    balance: Money,
    amount: Money,
    today: NaiveDate,
    expired_allowed: bool,
) -> Result<(), AvoirRefusal> {
    if amount.0 <= 0 {
        return Err(AvoirRefusal::NotPositive);
    }
    if balance.0 <= 0 {
        return Err(AvoirRefusal::Spent(code.number()));
    }
    if amount > balance {
        return Err(AvoirRefusal::OverBalance {
            number: code.number(),
            asked: amount,
            balance,
        });
    }
    if today > code.expires && !expired_allowed {
        return Err(AvoirRefusal::Expired {
            number: code.number(),
            expires: code.expires.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
#[path = "avoir_tests.rs"]
mod tests;
