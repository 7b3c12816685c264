//! PINs on the command line: never as arguments (they would show in `ps` and the shell
//! history) but from an environment variable, or typed on standard input.

use relais_store::{Approval, StoreError};
use std::io::BufRead;

/// A PIN from `variable`, else one line of standard input (asked on standard error).
pub fn read_pin(variable: &str, prompt: &str) -> relais_store::Result<String> {
    if let Ok(pin) = std::env::var(variable) {
        return Ok(pin.trim().to_string());
    }
    eprint!("{prompt} ");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| StoreError::io("stdin", e))?;
    Ok(line.trim().to_string())
}

/// The approval of `manager`, with the PIN from RELAIS_MANAGER_PIN or standard input.
pub fn approval(manager: Option<String>) -> relais_store::Result<Option<Approval>> {
    manager
        .map(|manager| {
            let pin = read_pin("RELAIS_MANAGER_PIN", &format!("Code PIN de {manager} :"))?;
            Ok(Approval { manager, pin })
        })
        .transpose()
}
