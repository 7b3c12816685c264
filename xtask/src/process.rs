//! Running programs: a small builder over `std::process::Command` that echoes what it runs
//! and turns every failure into a `TaskError` saying which program failed and how.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error("cannot start `{program}`: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("`{command}` failed ({status})")]
    Failed {
        command: String,
        status: std::process::ExitStatus,
    },
    #[error("{0}")]
    Setup(String),
    #[error("step \"{step}\" failed: {source}")]
    Step {
        step: String,
        source: Box<TaskError>,
    },
}

/// A command to run in the foreground, its output going straight to the terminal.
pub struct Cmd {
    command: Command,
    shown: String,
}

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Cmd {
        let program = program.as_ref();
        Cmd {
            command: Command::new(program),
            shown: program.to_string_lossy().into_owned(),
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self.shown.push(' ');
            self.shown.push_str(&arg.as_ref().to_string_lossy());
            self.command.arg(arg);
        }
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Cmd {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Cmd {
        self.command.env_remove(key);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Cmd {
        self.command.current_dir(dir);
        self
    }

    /// Runs to completion; an exit status other than 0 is an error.
    pub fn run(mut self) -> Result<(), TaskError> {
        println!("$ {}", self.shown);
        let status = self
            .command
            .status()
            .map_err(|source| self.spawn_error(source))?;
        if status.success() {
            Ok(())
        } else {
            Err(TaskError::Failed {
                command: self.shown.clone(),
                status,
            })
        }
    }

    /// Runs silently and tells whether it exited with 0 (for probes such as `dpkg -s`).
    pub fn succeeds_quietly(mut self) -> Result<bool, TaskError> {
        let output = self
            .command
            .output()
            .map_err(|source| self.spawn_error(source))?;
        Ok(output.status.success())
    }

    /// Runs silently and returns its standard output.
    pub fn stdout(mut self) -> Result<String, TaskError> {
        let output = self
            .command
            .output()
            .map_err(|source| self.spawn_error(source))?;
        if !output.status.success() {
            return Err(TaskError::Failed {
                command: self.shown.clone(),
                status: output.status,
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Runs with `input` on standard input; returns the exit code (None when killed by a
    /// signal), standard output and standard error as bytes, whatever the status.
    pub fn output_with_input(mut self, input: &[u8]) -> Result<Captured, TaskError> {
        use std::io::Write;
        use std::process::Stdio;
        println!("$ {}", self.shown);
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| self.spawn_error(source))?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin
            .write_all(input)
            .map_err(|source| self.spawn_error(source))?;
        drop(stdin);
        let output = child
            .wait_with_output()
            .map_err(|source| self.spawn_error(source))?;
        Ok(Captured {
            code: output.status.code(),
            stdout: output.stdout,
            stderr: output.stderr,
        })
    }

    fn spawn_error(&self, source: std::io::Error) -> TaskError {
        TaskError::Spawn {
            program: self.shown.clone(),
            source,
        }
    }
}

/// What a program printed, and how it ended.
pub struct Captured {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// The cargo that runs xtask (cargo sets `CARGO`), so the same toolchain builds everything.
pub fn cargo(root: &Path) -> Cmd {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Cmd::new(program).current_dir(root)
}

/// Looks `program` up in PATH.
pub fn find_in_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}
