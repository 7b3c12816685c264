//! The last gate before the ledger: a record's amounts, quantities and texts checked against
//! [`crate::bounds`], whatever way it was made (a sale priced here, an order, a float, an
//! import).

use crate::bounds::{is_forbidden, OutOfBounds, MAX_AMOUNT_CENTS, MAX_QTY_MILLI};
use crate::record::Body;
use serde_json::Value;

/// Checks a record before it is written: its amounts and quantities within the bounds, its
/// ticket's sums too, and no forbidden character in any of its texts. Closures and events
/// carry totals over many records, computed by the till: only their texts are checked.
pub fn check_body(body: &Body) -> Result<(), OutOfBounds> {
    let value = serde_json::to_value(body).unwrap_or(Value::Null);
    let amounts = !matches!(body, Body::Closure(_) | Body::Event(_));
    // A body is `{"kind": …, "data": {…}}`: paths are named from inside its data.
    let data = value.get("data").unwrap_or(&value);
    walk(data, &mut String::new(), amounts)?;
    if let Some(ticket) = body.ticket() {
        let gross = ticket.lines.iter().map(|l| l.gross_cents.0.unsigned_abs());
        within("lines[*].gross_cents (sum)", gross.sum())?;
        let tendered = ticket
            .payments
            .iter()
            .map(|p| p.tendered_cents.unwrap_or(p.amount_cents).0.unsigned_abs());
        within("payments[*].tendered_cents (sum)", tendered.sum())?;
    }
    Ok(())
}

fn within(path: &str, magnitude: u64) -> Result<(), OutOfBounds> {
    if magnitude > MAX_AMOUNT_CENTS as u64 {
        return Err(OutOfBounds::Amount {
            path: path.to_string(),
            value: i64::try_from(magnitude).unwrap_or(i64::MAX),
            limit: MAX_AMOUNT_CENTS,
        });
    }
    Ok(())
}

fn walk(value: &Value, path: &mut String, amounts: bool) -> Result<(), OutOfBounds> {
    match value {
        Value::String(text) => match text.chars().find(|c| is_forbidden(*c)) {
            Some(c) => Err(OutOfBounds::Character {
                path: path.clone(),
                code: u32::from(c),
            }),
            None => Ok(()),
        },
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{index}]"));
                walk(item, path, amounts)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(members) => {
            for (key, member) in members {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if amounts {
                    check_number(key, member, path)?;
                }
                walk(member, path, amounts)?;
                path.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn check_number(key: &str, value: &Value, path: &str) -> Result<(), OutOfBounds> {
    let limit = if key.ends_with("_cents") {
        MAX_AMOUNT_CENTS
    } else if key == "qty_milli" {
        MAX_QTY_MILLI
    } else {
        return Ok(());
    };
    let Value::Number(number) = value else {
        return Ok(());
    };
    // A number beyond i64 cannot come from our own types, but a record is checked as data.
    let value = number.as_i64().unwrap_or(i64::MAX);
    if value.unsigned_abs() > limit as u64 {
        return Err(OutOfBounds::Amount {
            path: path.to_string(),
            value,
            limit,
        });
    }
    Ok(())
}
