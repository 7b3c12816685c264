//! Files and USB sticks: the removable drives the file pickers open on first.

use crate::drives::{removable_drives as drives_now, Drive};

/// The removable drives seen now (`drives.rs`); the first is the one a backup proposes.
#[tauri::command(async)]
pub fn removable_drives() -> Vec<Drive> {
    drives_now()
}
