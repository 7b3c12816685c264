//! The till's Ed25519 signing key: created at set-up, kept in the data directory, readable
//! only by its owner. Closures and export manifests are signed with it; the public key is
//! written into the ledger at set-up and exported with every bundle.

use crate::error::{Result, StoreError};
use ed25519_dalek::SigningKey;
use std::io::Write;
use std::path::Path;

pub const KEY_FILE: &str = "till.key";

/// Loads the key of `dir`, creating it if there is none yet.
pub fn load_or_create(dir: &Path) -> Result<SigningKey> {
    let path = dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            parse(&text).ok_or_else(|| StoreError::Key(format!("{} is not a key", path.display())))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(e) => Err(StoreError::io(&path, e)),
    }
}

/// Loads the key of `dir`, if there is one.
pub fn load(dir: &Path) -> Result<Option<SigningKey>> {
    let path = dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text)
            .map(Some)
            .ok_or_else(|| StoreError::Key(format!("{} is not a key", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(&path, e)),
    }
}

fn parse(text: &str) -> Option<SigningKey> {
    let mut secret = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut secret).ok()?;
    Some(SigningKey::from_bytes(&secret))
}

fn create(path: &Path) -> Result<SigningKey> {
    let key = SigningKey::generate(&mut rand_core::OsRng);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| StoreError::io(path, e))?;
    file.write_all(hex::encode(key.to_bytes()).as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| StoreError::io(path, e))?;
    Ok(key)
}

pub fn public_hex(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().to_bytes())
}
