//! The Windows `relais.exe` run under Wine through a shop's day, as a Windows PC would: a
//! data folder with spaces and accents (`C:\Users\Hélène\Relais données\caisse`), a price list
//! from Excel in Windows-1252, two sales, a Z, an export to a USB stick (`E:`), a backup and
//! its restore on a "new PC". Then the Linux `relais` checks what Windows wrote: the same
//! verdict on the bundle (intact and tampered), the same export redone byte for byte from the
//! same till, the same verdict on the restored ledger; a printer asked for by its name in the
//! Windows spooler. Every output is read as strict UTF-8:
//! French must come out readable, not as code-page mojibake.

use crate::process::{Cmd, TaskError};
use crate::windows::{io_error, WinePrefix};
use std::path::{Path, PathBuf};

/// The till's folder, as Windows names it and where it lies under the Wine prefix (Wine keeps
/// `C:\Users` as `drive_c/users`).
const TILL_WINDOWS: &str = r"C:\Users\Hélène\Relais données\caisse";
const TILL_IN_PREFIX: &str = "users/Hélène/Relais données/caisse";
const RESTORED_WINDOWS: &str = r"C:\Users\Hélène\Nouveau PC\caisse";
const RESTORED_IN_PREFIX: &str = "users/Hélène/Nouveau PC/caisse";
const PRICE_LIST_WINDOWS: &str = r"C:\Users\Hélène\Documents\tarifs épicerie.csv";
const PRICE_LIST_IN_PREFIX: &str = "users/Hélène/Documents/tarifs épicerie.csv";

/// One command of the day on the Windows till and what its output must say.
struct DayStep {
    args: &'static [&'static str],
    /// `RELAIS_PIN` (a new staff member's PIN), when the command reads one.
    pin: Option<&'static str>,
    stdin: &'static str,
    expect: &'static [&'static str],
}

const CARD_SALE: &str = r#"{"lines":[{"barcode":"3760000000017","qty":2}],"payments":[{"method":"card","amount_cents":470}],"operator":"Paul"}"#;
const CASH_SALE: &str = r#"{"lines":[{"barcode":"3760000000017","qty":1}],"payments":[{"method":"cash","tendered_cents":500}],"operator":"Paul"}"#;

/// The day up to the Z; `{price_list}` stands for the Windows path of the CSV.
const DAY: &[DayStep] = &[
    DayStep {
        args: &["init", "--shop", "Épicerie Hélène", "--till", "T1"],
        pin: None,
        stdin: "",
        expect: &["Caisse initialisée : T1", "Clé publique (Ed25519)"],
    },
    DayStep {
        args: &["staff", "add", "Marie", "--role", "manager"],
        pin: Some("1234"),
        stdin: "",
        expect: &["Marie (manager)"],
    },
    DayStep {
        args: &["staff", "add", "Paul", "--role", "cashier", "--by", "Marie"],
        pin: Some("5678"),
        stdin: "",
        expect: &["Paul (cashier)"],
    },
    DayStep {
        args: &["catalog", "import", "{price_list}", "--operator", "Marie"],
        pin: None,
        stdin: "",
        expect: &[
            "Windows-1252, séparateur « ; »",
            "Désignation → label",
            "importés 5, mis à jour 0, inchangés 0, rejetés 0",
            "Rayons créés : Crèmerie, Charcuterie, Boissons",
        ],
    },
    DayStep {
        args: &["sale", "record", "-"],
        pin: None,
        stdin: CARD_SALE,
        expect: &[r#""number":"T1-000001""#, r#""total_cents":470"#],
    },
    DayStep {
        args: &["sale", "record", "-"],
        pin: None,
        stdin: CASH_SALE,
        expect: &[r#""number":"T1-000002""#, r#""total_cents":235"#],
    },
    DayStep {
        args: &["sale", "show", "T1-000001"],
        pin: None,
        stdin: "",
        expect: &["Crème fraîche épaisse 20cl", "5,5 %"],
    },
    DayStep {
        args: &[
            "day",
            "close",
            "--count",
            "5=1",
            "--card-total",
            "4,70",
            "--operator",
            "Marie",
        ],
        pin: None,
        stdin: "",
        expect: &[
            "CLÔTURE Z T1-Z000001",
            "TOTAL NET TTC           7,05 €",
            "Espèces comptées 5,00 € — écart 2,65 €",
        ],
    },
];

/// The two programs under test and the prefix the Windows one runs in.
pub struct Scenario<'a> {
    pub wine: &'a WinePrefix,
    pub windows_exe: &'a Path,
    pub linux_bin: &'a Path,
    pub price_list: &'a Path,
    /// Scratch space on the Linux side (the Linux re-export, a tampered bundle).
    pub scratch: &'a Path,
}

/// What a run printed, read as strict UTF-8.
struct Printed {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Scenario<'_> {
    pub fn run(&self) -> Result<(), TaskError> {
        let price_list = self.wine.drive_c(PRICE_LIST_IN_PREFIX);
        copy_file(self.price_list, &price_list)?;
        let version = self.windows(&["--version"], None, "")?;
        expect(&version, 0, &["relais "], "relais.exe --version")?;
        for step in DAY {
            let args: Vec<&str> = step
                .args
                .iter()
                .map(|arg| match *arg {
                    "{price_list}" => PRICE_LIST_WINDOWS,
                    arg => arg,
                })
                .collect();
            let with_dir = [&["--data-dir", TILL_WINDOWS], args.as_slice()].concat();
            let printed = self.windows(&with_dir, step.pin, step.stdin)?;
            expect(&printed, 0, step.expect, &args.join(" "))?;
        }
        let archive = self.export_and_compare()?;
        self.tampered_bundle_refused_by_both(&archive)?;
        self.backup_restored_and_verified()?;
        self.spooler_printer_asked_by_name()?;
        self.default_folder_is_appdata()
    }

    /// A printer of the Windows spooler (`spool://NAME`) is really asked for: Wine's spooler
    /// has no printer of that name, and the till says so in French, the sale side untouched.
    fn spooler_printer_asked_by_name(&self) -> Result<(), TaskError> {
        let uri = "spool://Ticket absente";
        let set = ["--data-dir", TILL_WINDOWS, "printer", "set", uri];
        let set = [&set[..], &["--operator", "Marie"]].concat();
        expect(
            &self.windows(&set, None, "")?,
            0,
            &[uri],
            "printer set spool://",
        )?;
        let test = ["--data-dir", TILL_WINDOWS, "printer", "test"];
        let refused = self.windows(&test, None, "")?;
        let needles = [
            "Windows ne connaît pas d'imprimante de ce nom",
            "spool://Ticket absente",
            "[printer_unreachable]",
        ];
        expect(&refused, 1, &needles, "printer test (spool://)")
    }

    /// Exports to the stick, verifies the zip with both programs, and redoes the same range
    /// with the Linux `relais` from the same till: every file must be the same, byte for byte.
    /// Returns the Windows bundle's folder (Unix path).
    fn export_and_compare(&self) -> Result<PathBuf, TaskError> {
        let args = [
            "--data-dir",
            TILL_WINDOWS,
            "export",
            "--out",
            r"E:\",
            "--zip",
        ];
        let exported = self.windows(&[&args[..], &["--operator", "Marie"]].concat(), None, "")?;
        expect(
            &exported,
            0,
            &["Export écrit dans E:\\relais-T1-000001-"],
            "export",
        )?;
        let zip_windows = line_after(&exported.stdout, "Archive : ")?;
        let zip_name = zip_windows.trim_start_matches("E:\\").to_string();
        let bundle_name = zip_name.trim_end_matches(".zip").to_string();
        let range = bundle_name.trim_start_matches("relais-T1-").to_string();

        let on_windows = self.windows(&["verify", &zip_windows], None, "")?;
        expect(&on_windows, 0, &["ok: export intègre"], "verify (Windows)")?;
        let zip_unix = self.wine.usb.join(&zip_name);
        let on_linux = self.linux(&[os("verify"), zip_unix.as_os_str()], &[])?;
        expect(&on_linux, 0, &["ok: export intègre"], "verify (Linux)")?;
        same_verdict(&on_windows, &zip_windows, &on_linux, &zip_unix)?;

        let linux_out = self.scratch.join("linux-export");
        let till = self.wine.drive_c(TILL_IN_PREFIX);
        let redo = [
            os("--data-dir"),
            till.as_os_str(),
            os("export"),
            os("--out"),
            linux_out.as_os_str(),
            os("--range"),
            os(&range),
            os("--zip"),
            os("--operator"),
            os("Marie"),
        ];
        expect(
            &self.linux(&redo, &[])?,
            0,
            &["Export écrit dans"],
            "export --range (Linux)",
        )?;
        let windows_bundle = self.wine.usb.join(&bundle_name);
        same_tree(&windows_bundle, &linux_out.join(&bundle_name))?;
        same_file(&zip_unix, &linux_out.join(&zip_name))?;
        println!("the Linux export of {range} is byte for byte the Windows one");
        Ok(windows_bundle)
    }

    /// One changed byte in `records.jsonl` of a copy: both programs refuse it with the same
    /// defect.
    fn tampered_bundle_refused_by_both(&self, bundle: &Path) -> Result<(), TaskError> {
        let copy_unix = self.wine.usb.join("copie modifiée");
        copy_tree(bundle, &copy_unix)?;
        let records = copy_unix.join("records.jsonl");
        let mut bytes = std::fs::read(&records).map_err(|e| io_error("read", &records, e))?;
        let at = find(&bytes, b"\"total_cents\":470")
            .ok_or_else(|| TaskError::Setup("records.jsonl has no sale of 4,70 €".into()))?;
        bytes[at + "\"total_cents\":".len()] = b'9';
        std::fs::write(&records, bytes).map_err(|e| io_error("write", &records, e))?;
        let copy_windows = r"E:\copie modifiée";
        let on_windows = self.windows(&["verify", copy_windows], None, "")?;
        expect(
            &on_windows,
            1,
            &["records.jsonl"],
            "verify of a tampered bundle (Windows)",
        )?;
        let on_linux = self.linux(&[os("verify"), copy_unix.as_os_str()], &[])?;
        expect(
            &on_linux,
            1,
            &["records.jsonl"],
            "verify of a tampered bundle (Linux)",
        )?;
        same_verdict(&on_windows, copy_windows, &on_linux, &copy_unix)
    }

    /// A backup to the stick, restored into a new folder, verified there by both programs.
    fn backup_restored_and_verified(&self) -> Result<(), TaskError> {
        let args = [
            "--data-dir",
            TILL_WINDOWS,
            "backup",
            "--to",
            r"E:\Sauvegardes",
        ];
        let saved = self.windows(&[&args[..], &["--operator", "Marie"]].concat(), None, "")?;
        expect(
            &saved,
            0,
            &["Sauvegarde vérifiée : E:\\Sauvegardes\\relais-sauvegarde-T1-"],
            "backup",
        )?;
        let folder = line_after(&saved.stdout, "Sauvegarde vérifiée : ")?;
        let folder = folder.split(" (").next().unwrap_or_default().to_string();
        let restore = [
            "--data-dir",
            RESTORED_WINDOWS,
            "restore",
            &folder,
            "--operator",
            "Marie",
        ];
        expect(&self.windows(&restore, None, "")?, 0, &[], "restore")?;
        let on_windows = self.windows(&["--data-dir", RESTORED_WINDOWS, "verify"], None, "")?;
        expect(
            &on_windows,
            0,
            &["ok: caisse T1 — ", "enregistrements intègres"],
            "verify",
        )?;
        let restored = self.wine.drive_c(RESTORED_IN_PREFIX);
        let on_linux = self.linux(&[os("--data-dir"), restored.as_os_str(), os("verify")], &[])?;
        if on_linux.stdout != on_windows.stdout || on_linux.code != Some(0) {
            return Err(TaskError::Setup(format!(
                "the restored till: Windows says {:?}, Linux says {:?} {:?}",
                on_windows.stdout, on_linux.code, on_linux.stdout
            )));
        }
        Ok(())
    }

    /// With neither `--data-dir` nor `RELAIS_DATA_DIR`, the till goes to
    /// `%APPDATA%\Relais\relais\data`, as README.md says.
    fn default_folder_is_appdata(&self) -> Result<(), TaskError> {
        let init = self.windows(&["init", "--shop", "Essai", "--till", "T9"], None, "")?;
        expect(
            &init,
            0,
            &["Caisse initialisée : T9 — données dans C:\\"],
            "init (default folder)",
        )?;
        let users = self.wine.drive_c("users");
        let entries = std::fs::read_dir(&users).map_err(|e| io_error("list", &users, e))?;
        let found = entries.flatten().any(|user| {
            user.path()
                .join("AppData/Roaming/Relais/relais/data/relais.db")
                .is_file()
        });
        if found {
            Ok(())
        } else {
            Err(TaskError::Setup(format!(
                "no relais.db under {}/*/AppData/Roaming/Relais/relais/data; init said {:?}",
                users.display(),
                init.stdout
            )))
        }
    }

    fn windows(&self, args: &[&str], pin: Option<&str>, stdin: &str) -> Result<Printed, TaskError> {
        let mut cmd = self
            .wine
            .command(self.windows_exe)
            .args(args)
            .env_remove("RELAIS_DATA_DIR")
            .env_remove("RELAIS_PIN");
        if let Some(pin) = pin {
            cmd = cmd.env("RELAIS_PIN", pin);
        }
        printed(cmd.output_with_input(stdin.as_bytes())?)
    }

    fn linux(&self, args: &[&std::ffi::OsStr], env: &[(&str, &str)]) -> Result<Printed, TaskError> {
        let mut cmd = Cmd::new(self.linux_bin)
            .args(args)
            .env_remove("RELAIS_DATA_DIR");
        for (key, value) in env {
            cmd = cmd.env(key, value);
        }
        printed(cmd.output_with_input(b"")?)
    }
}

fn os(text: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(text)
}

/// Strict UTF-8: a Windows code page leaking into the output fails here.
fn printed(captured: crate::process::Captured) -> Result<Printed, TaskError> {
    let text = |bytes: Vec<u8>, which: &str| {
        String::from_utf8(bytes).map_err(|e| {
            TaskError::Setup(format!("the {which} is not UTF-8 (French unreadable): {e}"))
        })
    };
    let printed = Printed {
        code: captured.code,
        stdout: text(captured.stdout, "standard output")?,
        stderr: text(captured.stderr, "standard error")?,
    };
    print!("{}", printed.stdout);
    eprint!("{}", printed.stderr);
    Ok(printed)
}

fn expect(printed: &Printed, code: i32, needles: &[&str], what: &str) -> Result<(), TaskError> {
    let output = format!("{}{}", printed.stdout, printed.stderr);
    let missing: Vec<&&str> = needles.iter().filter(|n| !output.contains(**n)).collect();
    if printed.code == Some(code) && missing.is_empty() {
        return Ok(());
    }
    Err(TaskError::Setup(format!(
        "`{what}`: exit {:?} (expected {code}), missing {missing:?} in:\n{output}",
        printed.code
    )))
}

/// Both verdicts, with each program's own path of the bundle taken out, must be the same.
fn same_verdict(
    windows: &Printed,
    windows_path: &str,
    linux: &Printed,
    linux_path: &Path,
) -> Result<(), TaskError> {
    let of_windows =
        format!("{}{}", windows.stdout, windows.stderr).replace(windows_path, "BUNDLE");
    let of_linux = format!("{}{}", linux.stdout, linux.stderr)
        .replace(&linux_path.display().to_string(), "BUNDLE");
    if windows.code == linux.code && of_windows == of_linux {
        Ok(())
    } else {
        Err(TaskError::Setup(format!(
            "different verdicts: Windows {:?} {of_windows:?}, Linux {:?} {of_linux:?}",
            windows.code, linux.code
        )))
    }
}

fn line_after(text: &str, prefix: &str) -> Result<String, TaskError> {
    text.lines()
        .find_map(|line| line.strip_prefix(prefix))
        .map(str::to_string)
        .ok_or_else(|| TaskError::Setup(format!("no line starting with {prefix:?} in {text:?}")))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn copy_file(from: &Path, to: &Path) -> Result<(), TaskError> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
    }
    std::fs::copy(from, to).map_err(|e| io_error("copy to", to, e))?;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), TaskError> {
    for file in files_under(from)? {
        copy_file(&from.join(&file), &to.join(&file))?;
    }
    Ok(())
}

/// The files under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, TaskError> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let here = dir.join(&relative);
        for entry in std::fs::read_dir(&here).map_err(|e| io_error("list", &here, e))? {
            let entry = entry.map_err(|e| io_error("list", &here, e))?;
            let path = relative.join(entry.file_name());
            if entry.path().is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn same_tree(a: &Path, b: &Path) -> Result<(), TaskError> {
    let (files_a, files_b) = (files_under(a)?, files_under(b)?);
    if files_a != files_b {
        return Err(TaskError::Setup(format!(
            "{} and {} hold different files: {files_a:?} / {files_b:?}",
            a.display(),
            b.display()
        )));
    }
    files_a
        .iter()
        .try_for_each(|file| same_file(&a.join(file), &b.join(file)))
}

fn same_file(a: &Path, b: &Path) -> Result<(), TaskError> {
    let read = |path: &Path| std::fs::read(path).map_err(|e| io_error("read", path, e));
    if read(a)? == read(b)? {
        Ok(())
    } else {
        Err(TaskError::Setup(format!(
            "{} and {} differ",
            a.display(),
            b.display()
        )))
    }
}
