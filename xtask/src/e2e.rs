//! The virtual screen the end-to-end tests open the app window on.

use crate::process::{Cmd, TaskError};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An Xvfb server started on a free display number; stopped when dropped.
pub struct Xvfb {
    child: Child,
    display: u32,
}

impl Xvfb {
    pub fn start() -> Result<Xvfb, TaskError> {
        let display = (99..200).find(|n| is_free(*n)).ok_or_else(|| {
            TaskError::Setup("no free X display number between :99 and :199".into())
        })?;
        let name = format!(":{display}");
        println!("$ Xvfb {name} -screen 0 1366x768x24 -nolisten tcp");
        let child = Command::new("Xvfb")
            .args([
                name.as_str(),
                "-screen",
                "0",
                "1366x768x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|source| TaskError::Spawn {
                program: "Xvfb".into(),
                source,
            })?;
        let mut xvfb = Xvfb { child, display };
        xvfb.wait_until_ready()?;
        Ok(xvfb)
    }

    /// The value for `DISPLAY`.
    pub fn name(&self) -> String {
        format!(":{}", self.display)
    }

    fn wait_until_ready(&mut self) -> Result<(), TaskError> {
        let socket = format!("/tmp/.X11-unix/X{}", self.display);
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if Path::new(&socket).exists() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(TaskError::Setup(format!(
                    "Xvfb {} exited at start-up ({status})",
                    self.name()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(TaskError::Setup(format!(
            "Xvfb {} did not open {socket} within 15 s",
            self.name()
        )))
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM lets Xvfb remove its lock file and socket; SIGKILL only if that fails.
        let terminated = Cmd::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .succeeds_quietly()
            .unwrap_or(false);
        if !terminated {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// A display is free when neither its lock file nor its socket exists.
fn is_free(display: u32) -> bool {
    !Path::new(&format!("/tmp/.X{display}-lock")).exists()
        && !Path::new(&format!("/tmp/.X11-unix/X{display}")).exists()
}
