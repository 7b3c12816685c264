//! `relais sale …`: recording a stream of sales, showing, reprinting and voiding them.

use crate::output::Out;
use crate::SaleCommand;
use relais_core::SaleInput;
use relais_store::{Store, StoreError};
use serde_json::Value;
use std::io::{BufReader, Read, Write};
use std::process::ExitCode;

pub fn run(command: SaleCommand, store: &mut Store, out: &Out) -> relais_store::Result<ExitCode> {
    match command {
        SaleCommand::Record { file, operator } => record(&file, operator.as_deref(), store, out),
        SaleCommand::Show { number } => {
            print!("{}", store.receipt(&number)?);
            Ok(ExitCode::SUCCESS)
        }
        SaleCommand::Reprint { number, operator } => {
            let result = store.reprint(&number, &operator)?;
            print!("{}", result.receipt);
            Ok(ExitCode::SUCCESS)
        }
        SaleCommand::Void {
            number,
            reason,
            operator,
        } => {
            store.start_session("relais")?;
            let recorded = store.void_sale(&number, &reason, &operator, None)?;
            out.recorded(&recorded);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn open_input(file: &str) -> relais_store::Result<Box<dyn Read>> {
    if file == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    std::fs::File::open(file)
        .map(|f| Box::new(f) as Box<dyn Read>)
        .map_err(|e| StoreError::Io {
            path: file.into(),
            source: e,
        })
}

/// Records sales one by one as they are read, printing each acknowledgement as soon as the
/// sale is committed, so that a caller (or a killed process) knows exactly what is on disk.
/// Stops at the first bad sale: those before it stay recorded; nothing of it is written.
fn record(
    file: &str,
    operator: Option<&str>,
    store: &mut Store,
    out: &Out,
) -> relais_store::Result<ExitCode> {
    let input = BufReader::new(open_input(file)?);
    let stream = serde_json::Deserializer::from_reader(input).into_iter::<Value>();
    let mut count = 0usize;
    for (index, value) in stream.enumerate() {
        let in_sale = |error: StoreError| StoreError::InSale {
            input: file.to_string(),
            index: index + 1,
            error: Box::new(error),
        };
        let value = value.map_err(|e| in_sale(StoreError::InvalidInput(format!("JSON: {e}"))))?;
        let sale: SaleInput = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            in_sale(StoreError::InvalidInput(format!(
                "{path}: {}",
                e.into_inner()
            )))
        })?;
        let recorded = store.record_sale(&sale, operator).map_err(in_sale)?;
        out.recorded(&recorded);
        std::io::stdout().flush().ok();
        count += 1;
    }
    if count == 0 {
        return Err(StoreError::InvalidInput(format!(
            "{file}: no sale in the input"
        )));
    }
    Ok(ExitCode::SUCCESS)
}
