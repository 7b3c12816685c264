//! Till settings: who the shop is, the till code, its time zone and VAT rates. Written once at
//! set-up, and recorded in the ledger by the set-up event so that they are chained too.

use crate::error::{Result, StoreError};
use crate::ledger::Stamp;
use crate::Store;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use relais_core::time::{local_date, parse_zone};
use relais_core::{text, Shop, Text, VatRate, DEFAULT_VAT_RATES};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

/// What the store knows of its till once set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TillConfig {
    pub shop: Shop,
    pub till: String,
    pub timezone: String,
    pub vat_rates: Vec<VatRate>,
    pub public_key: String,
    /// A training (demo) till: every record is marked as training, receipts say so, and
    /// nothing is exported.
    pub training: bool,
    /// `timezone`, parsed once when the settings are read.
    #[serde(skip)]
    #[ts(skip)]
    pub zone: Tz,
}

impl TillConfig {
    /// What the ledger stamps on every record of this till.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp {
            till: self.till.clone(),
            zone_name: self.timezone.clone(),
            zone: self.zone,
            training: self.training,
        }
    }

    /// The calendar date at `now` in the till's zone.
    pub(crate) fn local_day(&self, now: DateTime<Utc>) -> String {
        local_date(self.zone, now).to_string()
    }
}

/// What `relais init` and the set-up screen provide.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub shop: Shop,
    pub till: String,
    pub timezone: String,
    pub vat_rates: Vec<VatRate>,
    pub operator: String,
    pub training: bool,
}
impl Default for InitOptions {
    fn default() -> Self {
        InitOptions {
            shop: Shop::default(),
            till: String::new(),
            timezone: "Europe/Paris".into(),
            vat_rates: DEFAULT_VAT_RATES.to_vec(),
            operator: "admin".into(),
            training: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct InitReport {
    pub till: String,
    pub public_key: String,
    pub key_file: String,
}

pub(crate) fn invalid(field: &'static str, reason: Text) -> StoreError {
    StoreError::InvalidSetting { field, reason }
}

/// Checks and normalises the set-up values (upper-case till code, SIRET digits only).
pub(crate) fn validate(options: &InitOptions) -> Result<TillConfig> {
    let till = options.till.trim().to_ascii_uppercase();
    if till.is_empty() || till.len() > 8 || !till.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(invalid(
            "till",
            text!(fr: "1 à 8 lettres ou chiffres, par exemple T1", en: "1 to 8 letters or digits, e.g. T1"),
        ));
    }
    let name = options.shop.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(invalid(
            "shop",
            text!(fr: "un nom de 1 à 100 caractères est requis", en: "a name of 1 to 100 characters is required"),
        ));
    }
    let siret: String = options
        .shop
        .siret
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !siret.is_empty() && (siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit())) {
        return Err(invalid(
            "siret",
            text!(fr: "un SIRET a 14 chiffres", en: "a SIRET has 14 digits"),
        ));
    }
    let Some(zone) = parse_zone(&options.timezone) else {
        return Err(invalid(
            "timezone",
            text!(
                fr: format!("fuseau horaire inconnu « {} »", options.timezone),
                en: format!("unknown time zone {:?}", options.timezone),
            ),
        ));
    };
    if options.vat_rates.is_empty() || options.vat_rates.iter().any(|r| r.0 == 0 || r.0 >= 10_000) {
        return Err(invalid(
            "vat_rates",
            text!(
                fr: "des taux en points de base entre 1 et 9999",
                en: "rates in basis points between 1 and 9999",
            ),
        ));
    }
    Ok(TillConfig {
        shop: Shop {
            name: name.to_string(),
            address: options.shop.address.trim().to_string(),
            siret,
            vat_number: options.shop.vat_number.trim().to_string(),
        },
        till,
        timezone: options.timezone.clone(),
        vat_rates: options.vat_rates.clone(),
        public_key: String::new(),
        training: options.training,
        zone,
    })
}

const KEYS: [&str; 8] = [
    "shop_name",
    "shop_address",
    "shop_siret",
    "shop_vat_number",
    "till",
    "timezone",
    "vat_rates",
    "public_key",
];

/// The till's settings, or `None` before set-up.
pub(crate) fn load(conn: &Connection) -> Result<Option<TillConfig>> {
    let mut values = Vec::with_capacity(KEYS.len());
    for key in KEYS {
        let value: Option<String> = conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        match value {
            Some(v) => values.push(v),
            None => return Ok(None),
        }
    }
    let rates = values[6]
        .split(',')
        .map(|r| r.trim().parse().map(VatRate))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| StoreError::Corrupt(format!("vat_rates setting {:?}", values[6])))?;
    let zone = parse_zone(&values[5]).ok_or_else(|| StoreError::InvalidSetting {
        field: "timezone",
        reason: text!(
            fr: format!("fuseau horaire inconnu « {} »", values[5]),
            en: format!("unknown time zone {:?}", values[5]),
        ),
    })?;
    Ok(Some(TillConfig {
        zone,
        shop: Shop {
            name: values[0].clone(),
            address: values[1].clone(),
            siret: values[2].clone(),
            vat_number: values[3].clone(),
        },
        till: values[4].clone(),
        timezone: values[5].clone(),
        vat_rates: rates,
        public_key: values[7].clone(),
        training: conn
            .query_row(
                "SELECT value = '1' FROM settings WHERE key = 'training'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false),
    }))
}

pub(crate) fn save(tx: &Connection, config: &TillConfig) -> Result<()> {
    let rates = config
        .vat_rates
        .iter()
        .map(|r| r.0.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let values = [
        &config.shop.name,
        &config.shop.address,
        &config.shop.siret,
        &config.shop.vat_number,
        &config.till,
        &config.timezone,
        &rates,
        &config.public_key,
    ];
    for (key, value) in KEYS.iter().zip(values) {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
    }
    if config.training {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('training', '1')",
            [],
        )?;
    }
    Ok(())
}

impl Store {
    /// The VAT rates this till sells at, as set up: the only rates a line typed by hand may
    /// take (pricing refuses any other), so the rates the screens offer.
    pub fn vat_rates(&self) -> Result<Vec<VatRate>> {
        Ok(self.require_config()?.vat_rates.clone())
    }
}
