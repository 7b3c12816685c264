//! The resident memory of a group of processes (the app and its WebKit processes), three ways.
//!
//! The three processes map the same WebKit, JavaScriptCore, ICU and Mesa libraries: the sum
//! of their VmRSS counts those pages once per process (about 390 MB for about 250 MB of
//! memory). The goal is judged on the physical pages resident in any of them, each counted
//! once (from `/proc/PID/pagemap`, which gives page frame numbers to root only); the sum
//! of PSS (shared pages split between every process that maps them, the app's or not) is
//! shown beside it.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};

pub struct Memory {
    rss_kb: u64,
    pss_kb: u64,
    /// None when the page frames cannot be read (not root).
    union_kb: Option<u64>,
    processes: usize,
}

impl Memory {
    pub fn of(pids: &[u32]) -> Memory {
        Memory {
            rss_kb: pids.iter().map(|pid| field(*pid, "status", "VmRSS:")).sum(),
            pss_kb: pids
                .iter()
                .map(|pid| field(*pid, "smaps_rollup", "Pss:"))
                .sum(),
            union_kb: resident_pages_kb(pids),
            processes: pids.len(),
        }
    }

    /// The pages resident in any of the processes, each counted once; without root, the
    /// VmRSS sum (an overestimate).
    pub fn resident_kb(&self) -> u64 {
        self.union_kb.unwrap_or(self.rss_kb)
    }
}

impl std::fmt::Display for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |kb: u64| kb as f64 / 1024.0;
        match self.union_kb {
            Some(kb) => write!(f, "{:.0} MB resident", mb(kb))?,
            None => write!(f, "resident pages unknown (not root)")?,
        }
        write!(
            f,
            " ({:.0} MB RSS sum, {:.0} MB PSS sum, {} processes)",
            mb(self.rss_kb),
            mb(self.pss_kb),
            self.processes
        )
    }
}

/// A `KEY: value kB` line of `/proc/PID/FILE`, 0 if absent.
fn field(pid: u32, file: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with(key))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

const PAGE: u64 = 4096;

/// The distinct page frames present in the processes' address spaces, in KiB.
fn resident_pages_kb(pids: &[u32]) -> Option<u64> {
    let mut frames = HashSet::new();
    for pid in pids {
        let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).ok()?;
        let mut pagemap = std::fs::File::open(format!("/proc/{pid}/pagemap")).ok()?;
        for line in maps.lines() {
            let (start, end) = line.split_whitespace().next()?.split_once('-')?;
            let start = u64::from_str_radix(start, 16).ok()?;
            let end = u64::from_str_radix(end, 16).ok()?;
            if start >= 0xffff_ffff_ff60_0000 {
                continue; // [vsyscall]: not in pagemap
            }
            frames_of(&mut pagemap, start / PAGE, end / PAGE, &mut frames)?;
        }
    }
    Some(frames.len() as u64 * PAGE / 1024)
}

/// Adds the frames of pages `first..end` present in memory; None if frames read as 0 (not
/// root: the kernel hides them).
fn frames_of(
    pagemap: &mut std::fs::File,
    first: u64,
    end: u64,
    frames: &mut HashSet<u64>,
) -> Option<()> {
    const CHUNK: u64 = 64 * 1024;
    let mut page = first;
    let mut bytes = Vec::new();
    while page < end {
        let count = CHUNK.min(end - page);
        bytes.resize(count as usize * 8, 0);
        pagemap.seek(SeekFrom::Start(page * 8)).ok()?;
        if pagemap.read_exact(&mut bytes).is_err() {
            return Some(()); // a mapping that went away meanwhile
        }
        for entry in bytes.chunks_exact(8) {
            let entry = u64::from_le_bytes(entry.try_into().expect("8 bytes"));
            if entry >> 63 == 1 {
                let frame = entry & ((1 << 55) - 1);
                if frame == 0 {
                    return None;
                }
                frames.insert(frame);
            }
        }
        page += count;
    }
    Some(())
}
