//! Setting a till up: its settings, its signing key, and the set-up event that opens its
//! chain, in one transaction.

use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::settings::{save, validate, InitOptions, InitReport};
use crate::{keys, Store};
use relais_core::{Body, EventData, EventType};
use serde_json::json;

impl Store {
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
            "public_key": config.public_key,
            "signature_algorithm": "ed25519",
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
        // The sidecar exists before the first record: from then on a missing or empty one
        // is a defect, never a crash between a commit and its first write.
        self.write_genesis_head(&config.till)?;
        self.write(|tx| {
            save(tx, &record_config)?;
            append(
                tx,
                &record_config,
                now,
                NewRecord::new(Body::Event(event), &operator),
            )?;
            Ok(())
        })?;
        self.verifier = relais_core::RecordAudit::new(Some(config.till.clone()));
        self.config = Some(config.clone());
        // After the config is known: the sidecar names its till from the first record on.
        self.after_commit();
        Ok(InitReport {
            till: config.till,
            public_key: config.public_key,
            key_file: self.dir.join(keys::KEY_FILE).display().to_string(),
        })
    }
}
