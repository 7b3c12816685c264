//! A till's invitation: the short text a manager reads on one till and types or pastes on
//! another. `relais1/T1/<public key, 64 hex>/<IP:port>/<shop name, percent-encoded>`.

use crate::error::{Result, StoreError};
use relais_core::text;
use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

const PREFIX: &str = "relais1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub shop: String,
    pub till: String,
    /// The till's Ed25519 public key, lower-case hex: its identity on the LAN.
    pub public_key: String,
    pub address: SocketAddr,
}

impl fmt::Display for Invitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (till, key, address) = (&self.till, &self.public_key, &self.address);
        write!(f, "{PREFIX}/{till}/{key}/{address}/{}", encode(&self.shop))
    }
}

impl FromStr for Invitation {
    type Err = StoreError;

    fn from_str(text: &str) -> Result<Invitation> {
        parse(text.trim()).ok_or_else(|| {
            StoreError::Invalid(text!(
                fr: "ce n'est pas une invitation de caisse (relais shop invite sur l'autre caisse, par exemple relais1/T2/…/192.168.1.21:47300/Ma%20boutique)",
                en: "this is not a till's invitation (relais shop invite on the other till, e.g. relais1/T2/…/192.168.1.21:47300/My%20shop)",
            ))
        })
    }
}

fn parse(text: &str) -> Option<Invitation> {
    let mut parts = text.splitn(5, '/');
    if parts.next()? != PREFIX {
        return None;
    }
    let till = parts.next()?.to_ascii_uppercase();
    let public_key = parts.next()?.to_ascii_lowercase();
    let address = parts.next()?.parse().ok()?;
    let shop = decode(parts.next()?)?;
    let mut bytes = [0u8; 32];
    let valid_key = hex::decode_to_slice(&public_key, &mut bytes).is_ok()
        && ed25519_dalek::VerifyingKey::from_bytes(&bytes).is_ok();
    let valid_till =
        !till.is_empty() && till.len() <= 8 && till.bytes().all(|b| b.is_ascii_alphanumeric());
    (valid_key && valid_till && !shop.is_empty()).then_some(Invitation {
        shop,
        till,
        public_key,
        address,
    })
}

/// Every byte but ASCII letters, digits and `-._` as `%XX`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitations_read_back_and_bad_ones_are_refused() {
        let key = hex::encode(
            ed25519_dalek::SigningKey::from_bytes(&[7; 32])
                .verifying_key()
                .to_bytes(),
        );
        let invitation = Invitation {
            shop: "Librairie Œ/du Port 100%".into(),
            till: "T2".into(),
            public_key: key.clone(),
            address: "192.168.1.21:47300".parse().unwrap(),
        };
        let text = invitation.to_string();
        assert!(!text.contains(' '), "{text}");
        assert_eq!(text.parse::<Invitation>().unwrap(), invitation);
        let typed = format!("  {}\n", text.replacen("/T2/", "/t2/", 1));
        assert_eq!(typed.parse::<Invitation>().unwrap(), invitation);
        let bad = [
            String::new(),
            format!("relais2/T2/{key}/192.168.1.21:47300/Shop"),
            format!("relais1/T2/{key}/192.168.1.21/Shop"),
            format!("relais1/T2/{}/192.168.1.21:47300/Shop", &key[2..]),
            format!("relais1/T2 X/{key}/192.168.1.21:47300/Shop"),
            format!("relais1/T2/{key}/192.168.1.21:47300/"),
            format!("relais1/T2/{key}/192.168.1.21:47300/Sh%4"),
        ];
        for text in bad {
            assert!(text.parse::<Invitation>().is_err(), "{text}");
        }
    }
}
