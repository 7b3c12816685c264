//! How much room the data directory's disk has left. SQLite reports a full disk as `SQLITE_FULL`
//! when a write fails, but as a plain I/O error when it cannot grow its shared-memory index
//! (the `-shm` file, opened by every connection, readers included): with a few kilobytes
//! left, opening the till failed with « disk I/O error ». The free space tells which it was.

use std::path::Path;

/// Below this, an I/O error from SQLite is taken for a full disk.
const NEARLY_FULL: u64 = 1 << 20;

/// Whether the disk holding `dir` has less than a megabyte left (false when unknown).
pub(crate) fn nearly_full(dir: &Path) -> bool {
    free_bytes(dir).is_some_and(|free| free < NEARLY_FULL)
}

#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a NUL-terminated string and `stats` a writable statvfs, as statvfs(3)
    // asks; nothing is kept after the call.
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    // fsblkcnt_t and c_ulong are u64 here but narrower on some Unix systems.
    #[allow(clippy::useless_conversion)]
    Some(u64::from(stats.f_bavail) * u64::from(stats.f_frsize))
}

#[cfg(windows)]
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::windows::ffi::OsStrExt;
    #[link(name = "kernel32")]
    extern "system" {
        fn GetDiskFreeSpaceExW(
            directory: *const u16,
            free_to_caller: *mut u64,
            total: *mut u64,
            total_free: *mut u64,
        ) -> i32;
    }
    let wide: Vec<u16> = dir.as_os_str().encode_wide().chain(Some(0)).collect();
    let mut free = 0u64;
    // SAFETY: a NUL-terminated UTF-16 path and one valid out-pointer; the others may be null.
    let ok = unsafe {
        GetDiskFreeSpaceExW(
            wide.as_ptr(),
            &mut free,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    (ok != 0).then_some(free)
}

#[cfg(not(any(unix, windows)))]
fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}
