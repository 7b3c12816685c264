//! Till settings: who the shop is, the till code, its time zone and VAT rates. Written once at
//! set-up, and recorded in the ledger by the set-up event so that they are chained too.

use crate::error::{Result, StoreError};
use crate::ledger::NewRecord;
use crate::{keys, Store};
use relais_core::{Body, EventData, EventType, Shop, VatRate, DEFAULT_VAT_RATES};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;
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

fn invalid(field: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::InvalidSetting {
        field,
        reason: reason.into(),
    }
}

/// Checks and normalises the set-up values (upper-case till code, SIRET digits only).
fn validate(options: &InitOptions) -> Result<TillConfig> {
    let till = options.till.trim().to_ascii_uppercase();
    if till.is_empty() || till.len() > 8 || !till.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(invalid("till", "1 to 8 letters or digits, e.g. T1"));
    }
    let name = options.shop.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(invalid("shop", "a name of 1 to 100 characters is required"));
    }
    let siret: String = options
        .shop
        .siret
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !siret.is_empty() && (siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit())) {
        return Err(invalid("siret", "a SIRET has 14 digits"));
    }
    if relais_core::time::parse_zone(&options.timezone).is_none() {
        return Err(invalid(
            "timezone",
            format!("unknown time zone {:?}", options.timezone),
        ));
    }
    if options.vat_rates.is_empty() || options.vat_rates.iter().any(|r| r.0 == 0 || r.0 >= 10_000) {
        return Err(invalid(
            "vat_rates",
            "rates in basis points between 1 and 9999",
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
    Ok(Some(TillConfig {
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

fn save(tx: &Connection, config: &TillConfig) -> Result<()> {
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

    /// Sets the till up: settings, signing key, and the set-up event that opens the chain.
    pub fn init(&mut self, options: &InitOptions) -> Result<InitReport> {
        if let Some(config) = &self.config {
            return Err(StoreError::AlreadyInitialised(config.till.clone()));
        }
        let mut config = validate(options)?;
        let key = keys::load_or_create(&self.dir)?;
        config.public_key = keys::public_hex(&key);
        let details = json!({
            "shop": config.shop,
            "till": config.till,
            "timezone": config.timezone,
            "vat_rates_bp": config.vat_rates.iter().map(|r| r.0).collect::<Vec<_>>(),
            "public_key": config.public_key,            "signature_algorithm": "ed25519",
            "software_version": crate::SOFTWARE_VERSION,
            "training": config.training,
        });
        let event = EventData::new(
            EventType::TillInitialised,
            format!(
                "Initialisation de la caisse {} ({})",
                config.till, config.shop.name
            ),
            details,
        );
        let now = self.now();
        let operator = options.operator.trim().to_string();
        let record_config = config.clone();
        self.write(|tx| {
            save(tx, &record_config)?;
            crate::ledger::append(
                tx,
                &record_config,
                now,
                NewRecord::new(Body::Event(event), &operator),
            )?;
            Ok(())
        })?;
        self.after_commit();
        self.verifier = relais_core::ChainVerifier::new(Some(config.till.clone()));
        self.config = Some(config.clone());
        Ok(InitReport {
            till: config.till,
            public_key: config.public_key,
            key_file: self.dir.join(keys::KEY_FILE).display().to_string(),
        })
    }
}
