//! Backups: a consistent copy of the till (SQLite's online backup, while the till keeps
//! selling) with its signing key and chain head, in a folder of its own on a USB stick;
//! verified after writing, rotated, restorable on another PC where the chain goes on.
//! Automatic after each closure and every N sales when a backup folder is configured.

use crate::dated::{append, NewRecord};
use crate::error::{Result, StoreError};
use crate::journaled::Journal;
use crate::plural;
use crate::{keys, Actor, Manager, Store, DB_FILE, HEAD_FILE};
use relais_core::text;
use relais_core::{Body, EventData, EventType};
use rusqlite::OptionalExtension;
use serde::Serialize;
use serde_json::json;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// How many backups a folder keeps; older ones are removed.
pub const KEEP: usize = 10;
const DIR_KEY: &str = "backup_dir";
const EVERY_KEY: &str = "backup_every_sales";

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupReport {
    pub folder: String,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    pub head_hash: Option<String>,
    /// Older backups removed to keep the last ones.
    pub removed: Vec<String>,
}

/// Where automatic backups go, how often, and when the last one was made.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupSettings {
    pub folder: Option<String>,
    /// A backup after this many sales (0: only at each closure).
    #[ts(type = "number")]
    pub every_sales: u64,
    /// Local time of the last verified backup.
    pub last_backup: Option<String>,
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// What a write was, for [`Store::backup_if_due`]: a closure is always followed by a backup,
/// a sale only every N sales.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BackupAfter {
    Closure,
    Sale,
}

impl Store {
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Where automatic backups go, and after how many sales; journaled (JET 270).
    pub fn configure_backups(
        &mut self,
        folder: Option<&Path>,
        every_sales: u64,
        by: &Manager,
    ) -> Result<()> {
        self.require_config()?;
        let operator = by.name();
        let folder_text = folder.map(|f| f.display().to_string()).unwrap_or_default();
        self.write_journaled(
            Journal(
                EventType::SettingsChange,
                format!(
                    "Sauvegardes automatiques vers « {folder_text} », {} et à chaque clôture",
                    match every_sales {
                        1 => "après chaque vente".to_string(),
                        n => format!("toutes les {n} ventes"),
                    }
                ),
                json!({"backup_dir": folder_text, "backup_every_sales": every_sales}),
            ),
            operator,
            |tx| {
                for (key, value) in [
                    (DIR_KEY, folder_text.clone()),
                    (EVERY_KEY, every_sales.to_string()),
                ] {
                    crate::settings::put(tx, key, &value)?;
                }
                Ok(())
            },
        )?;
        Ok(())
    }

    /// SQLite's own check of the file (pages, indexes): what start-up runs so that a damaged
    /// disk is noticed before anyone sells on it. A damaged file is a `corrupt` error; the way
    /// back is the latest backup ([`restore`]).
    pub fn check_health(&mut self) -> Result<()> {
        let check: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(check))
        }
    }

    /// The configured backup folder, if any.
    pub fn backup_folder(&self) -> Result<Option<PathBuf>> {
        Ok(self
            .setting(DIR_KEY)?
            .filter(|d| !d.is_empty())
            .map(PathBuf::from))
    }

    /// The automatic backups' settings and the last backup's time.
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        Ok(BackupSettings {
            folder: self.backup_folder()?.map(|p| p.display().to_string()),
            every_sales: self
                .setting(EVERY_KEY)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            last_backup: self.last_backup()?,
        })
    }

    /// Writes a backup into `target` (a folder per backup inside it), verifies it, keeps the
    /// last [`KEEP`], and journals it.
    pub fn backup(&mut self, target: &Path, by: &Actor) -> Result<BackupReport> {
        self.backup_by(target, by.name())
    }

    /// `backup`, by the store itself (`system`, when one is due) or by an actor.
    fn backup_by(&mut self, target: &Path, operator: &str) -> Result<BackupReport> {
        let config = self.require_config()?.clone();
        let now = self.now();
        let stamp = relais_core::time::format_instant(now)
            .replace([':', '-', '.'], "")
            .replace('T', "-");
        let base = format!("relais-sauvegarde-{}-{}", config.till, &stamp[..18]);
        let mut folder = target.join(&base);
        for n in 2.. {
            if !folder.exists() {
                break;
            }
            folder = target.join(format!("{base}-{n}"));
        }
        std::fs::create_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
        let db = folder.join(DB_FILE);
        self.conn.backup(rusqlite::MAIN_DB, &db, None)?;
        // Opened for writing: Windows flushes a file (FlushFileBuffers) only through a handle
        // with write access, and refuses a read-only one with "access denied".
        std::fs::OpenOptions::new()
            .write(true)
            .open(&db)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::io(&db, e))?;
        for file in [keys::KEY_FILE, HEAD_FILE] {
            let from = self.dir.join(file);
            if from.exists() {
                std::fs::copy(&from, folder.join(file)).map_err(|e| StoreError::io(&from, e))?;
            }
        }
        let verified = verify_backup(&folder)?;
        let removed = rotate(target, &config.till)?;
        let bytes = dir_size(&folder);
        self.write(|tx| {
            let event = EventData::new(
                EventType::Backup,
                format!(
                    "Sauvegarde vérifiée : {} ({})",
                    folder.display(),
                    plural::fr(verified.0, "enregistrement", "enregistrements")
                ),
                json!({"folder": folder.display().to_string(), "records": verified.0, "head_hash": verified.1}),
            );
            append(tx, &config, now, NewRecord::new(Body::Event(event), operator))?;
            Ok(())
        })?;
        self.after_commit();
        Ok(BackupReport {
            folder: folder.display().to_string(),
            records: verified.0,
            bytes,
            head_hash: verified.1,
            removed,
        })
    }

    /// After a closure, or every N sales: a backup to the configured folder, if any. A backup
    /// that fails must not stop the sale that triggered it; it is journaled instead.
    pub(crate) fn backup_if_due(&mut self, after: BackupAfter) {
        let Ok(Some(folder)) = self.backup_folder() else {
            return;
        };
        let every: u64 = self
            .setting(EVERY_KEY)
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let due = after == BackupAfter::Closure
            || every > 0
                && {
                    let sales_since: u64 = self
                .conn
                .query_row(
                    "SELECT COUNT(*) FROM ledger WHERE kind = 'sale' AND pos > COALESCE((SELECT MAX(pos) FROM ledger
                     WHERE kind = 'event' AND json_extract(body, '$.data.name') = 'backup'), 0)",
                    [],
                    |r| r.get(0),
                )
                .unwrap_or(0);
                    sales_since >= every
                };
        if due {
            if let Err(error) = self.backup_by(&folder, "system") {
                let _ = self.journal_backup_failure(&folder, &error);
            }
        }
    }

    fn journal_backup_failure(&mut self, folder: &Path, error: &StoreError) -> Result<()> {
        let config = self.require_config()?.clone();
        let now = self.now();
        let message = format!(
            "Échec de la sauvegarde vers {} : {}",
            folder.display(),
            error.message(relais_core::Lang::Fr)
        );
        self.write(|tx| {
            let event = EventData::new(
                EventType::Backup,
                message,
                json!({"folder": folder.display().to_string(), "failed": true}),
            );
            append(
                tx,
                &config,
                now,
                NewRecord::new(Body::Event(event), "system"),
            )?;
            Ok(())
        })?;
        self.after_commit();
        Ok(())
    }

    /// The local time of the last successful backup.
    pub(crate) fn last_backup(&self) -> Result<Option<String>> {
        let at: Option<String> = self
            .conn
            .query_row(
                "SELECT at FROM ledger WHERE kind = 'event' AND json_extract(body, '$.data.name') = 'backup'
                 AND json_extract(body, '$.data.details.failed') IS NULL ORDER BY pos DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(at.map(|a| self.local_time(&a)))
    }
}

/// Opens the backup as a till and walks its whole chain; (records, head hash).
pub fn verify_backup(folder: &Path) -> Result<(u64, Option<String>)> {
    // Opening creates what is missing: a wrong folder must stay untouched, and an empty
    // database is no backup.
    if !folder.join(DB_FILE).is_file() {
        return Err(StoreError::Invalid(text!(
            fr: format!("{} : pas de sauvegarde ici ({DB_FILE} est absent)", folder.display()),
            en: format!("{}: no backup here ({DB_FILE} is missing)", folder.display()),
        )));
    }
    let store = Store::open(folder)?;
    store.require_config()?;
    let check: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Corrupt(format!(
            "{}: {check}",
            folder.display()
        )));
    }
    let report = store.verify()?;
    if let Some(defect) = report.defect {
        return Err(StoreError::Integrity(defect));
    }
    drop(store);
    // Opening in WAL mode leaves -wal and -shm beside it: fold them back into the file.
    let conn = rusqlite::Connection::open(folder.join(DB_FILE))?;
    conn.pragma_update(None, "journal_mode", "DELETE").ok();
    Ok((report.summary.records, report.summary.head_hash))
}

/// Removes all but the last [`KEEP`] backups of `till` in `target`; returns those removed.
fn rotate(target: &Path, till: &str) -> Result<Vec<String>> {
    let prefix = format!("relais-sauvegarde-{till}-");
    let mut backups: Vec<PathBuf> = std::fs::read_dir(target)
        .map_err(|e| StoreError::io(target, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .collect();
    backups.sort();
    let excess = backups.len().saturating_sub(KEEP);
    let mut removed = Vec::new();
    for old in backups.into_iter().take(excess) {
        std::fs::remove_dir_all(&old).map_err(|e| StoreError::io(&old, e))?;
        removed.push(old.display().to_string());
    }
    Ok(removed)
}

/// Restores a backup into `target`, an empty data directory (a new PC): the ledger goes on
/// where the backup ends, with the same till code and key. Journaled in the restored ledger.
pub fn restore(backup: &Path, target: &Path, operator: &str) -> Result<BackupReport> {
    if target.join(DB_FILE).exists() {
        let target = target.display();
        return Err(StoreError::Invalid(text!(
            fr: "{target} contient déjà une caisse : restaurez dans un dossier vide",
            en: "{target} already holds a till: restore into an empty folder",
        )));
    }
    let (records, head) = verify_backup(backup)?;
    std::fs::create_dir_all(target).map_err(|e| StoreError::io(target, e))?;
    for file in [DB_FILE, keys::KEY_FILE, HEAD_FILE] {
        let from = backup.join(file);
        if from.exists() {
            std::fs::copy(&from, target.join(file)).map_err(|e| StoreError::io(&from, e))?;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = target.join(keys::KEY_FILE);
        if key.exists() {
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| StoreError::io(&key, e))?;
        }
    }
    let mut store = Store::open(target)?;
    let config = store.require_config()?.clone();
    let now = store.now();
    store.write(|tx| {
        let event = EventData::new(
            EventType::Restore,
            format!(
                "Caisse restaurée depuis la sauvegarde {} ({})",
                backup.display(),
                plural::fr(records, "enregistrement", "enregistrements")
            ),
            json!({"backup": backup.display().to_string(), "records": records, "head_hash": head}),
        );
        append(
            tx,
            &config,
            now,
            NewRecord::new(Body::Event(event), operator),
        )?;
        Ok(())
    })?;
    store.after_commit();
    Ok(BackupReport {
        folder: target.display().to_string(),
        records,
        bytes: dir_size(target),
        head_hash: head,
        removed: Vec::new(),
    })
}

/// Restores a backup over a damaged till in `dir`: the damaged files are moved aside into
/// `dir/endommage-<stamp>/` (kept for the auditor, never deleted), then the backup is
/// verified and restored as into an empty folder. If the backup is bad, nothing is moved.
pub fn restore_over(backup: &Path, dir: &Path, operator: &str) -> Result<BackupReport> {
    verify_backup(backup)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = dir.join(format!("endommage-{stamp}"));
    let damaged: Vec<PathBuf> = [DB_FILE, "relais.db-wal", "relais.db-shm", HEAD_FILE]
        .iter()
        .map(|f| dir.join(f))
        .filter(|p| p.exists())
        .collect();
    if !damaged.is_empty() {
        std::fs::create_dir_all(&aside).map_err(|e| StoreError::io(&aside, e))?;
    }
    for file in damaged {
        let to = aside.join(file.file_name().expect("a file name"));
        std::fs::rename(&file, &to).map_err(|e| StoreError::io(&file, e))?;
    }
    restore(backup, dir, operator)
}

#[cfg(test)]
mod tests;
