//! The removable drives a file picker offers first: USB sticks mounted under
//! `/media/$USER/*` or `/run/media/$USER/*` (udisks, by distribution), and on Windows the
//! drive letters other than C:. `RELAIS_DRIVES_ROOT` puts a test's folder in place of `/`
//! (the window tests make a fake stick there).

use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// A drive as the pickers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Drive {
    /// Where it is mounted: `/media/marie/CLE-USB`, `E:\`.
    pub path: String,
    /// What people call it: the folder's name (`CLE-USB`), the letter (`E:`).
    pub name: String,
}

/// The removable drives seen now, the first the one a backup proposes.
pub fn removable_drives() -> Vec<Drive> {
    if let Some(root) = std::env::var_os("RELAIS_DRIVES_ROOT").filter(|r| !r.is_empty()) {
        return mounted_under(Path::new(&root), &user());
    }
    #[cfg(windows)]
    {
        windows_letters()
    }
    #[cfg(not(windows))]
    {
        mounted_under(Path::new("/"), &user())
    }
}

fn user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default()
}

/// The folders under `root/media/USER` then `root/run/media/USER`, by name; hidden ones and
/// files left out.
pub fn mounted_under(root: &Path, user: &str) -> Vec<Drive> {
    if user.is_empty() || user.contains(['/', '\\']) || user == ".." {
        return Vec::new();
    }
    let mut drives = Vec::new();
    for base in [
        root.join("media").join(user),
        root.join("run/media").join(user),
    ] {
        let Ok(entries) = std::fs::read_dir(&base) else {
            continue;
        };
        let mut found: Vec<(String, PathBuf)> = entries
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().is_dir())
            .filter_map(|entry| {
                let name = entry.file_name().to_str()?.to_string();
                (!name.starts_with('.')).then(|| (name, entry.path()))
            })
            .collect();
        found.sort();
        drives.extend(found.into_iter().map(|(name, path)| Drive {
            path: path.to_string_lossy().into_owned(),
            name,
        }));
    }
    drives
}

/// D: to Z: where a volume answers (A: and B: are floppies a probe would wait on; C: is the
/// system's).
#[cfg(windows)]
fn windows_letters() -> Vec<Drive> {
    (b'D'..=b'Z')
        .map(|letter| format!("{}:\\", letter as char))
        .filter(|root| Path::new(root).is_dir())
        .map(|root| Drive {
            name: root.trim_end_matches('\\').to_string(),
            path: root,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which folders are offered, in which order, from what is mounted where.
    #[test]
    fn sticks_under_media_then_run_media_by_name() {
        // (what exists under the root, the user, the names offered)
        let cases: &[(&[&str], &str, &[&str])] = &[
            (&[], "marie", &[]),
            (
                &["media/marie/KINGSTON/", "media/marie/CLE/"],
                "marie",
                &["CLE", "KINGSTON"],
            ),
            (
                &["run/media/marie/SANDISK/", "media/marie/ZZ/"],
                "marie",
                &["ZZ", "SANDISK"],
            ),
            (&["media/paul/CLE/"], "marie", &[]),
            (
                &["media/marie/.hidden/", "media/marie/note.txt"],
                "marie",
                &[],
            ),
            (&["media/marie/CLE/"], "", &[]),
            (&["media/CLE/"], "..", &[]),
        ];
        for (made, user, expected) in cases {
            let root = tempfile::tempdir().unwrap();
            for path in *made {
                let at = root.path().join(path);
                if path.ends_with('/') {
                    std::fs::create_dir_all(&at).unwrap();
                } else {
                    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
                    std::fs::write(&at, "x").unwrap();
                }
            }
            let drives = mounted_under(root.path(), user);
            let names: Vec<&str> = drives.iter().map(|d| d.name.as_str()).collect();
            assert_eq!(&names, expected, "{made:?} for {user:?}");
            for drive in &drives {
                assert!(Path::new(&drive.path).is_dir(), "{}", drive.path);
                assert!(drive.path.ends_with(&drive.name));
            }
        }
    }
}
