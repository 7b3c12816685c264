//! Which rows each record gives, in which CSV file: the columns of every table (specified
//! in docs/EXPORT-FORMAT.md) and the rows of tickets, cash movements, events, day openings,
//! deposits and closures.

use crate::error::Result;
use crate::tables::{finish_all, Cell, Dialect, Table};
use crate::BundleFile;
use relais_core::record::{Body, Record};
use relais_core::Money;
use std::path::Path;

pub const SALES: &[&str] = &[
    "id",
    "number",
    "kind",
    "till",
    "business_day",
    "recorded_at_utc",
    "local_time",
    "operator",
    "total_ttc",
    "total_ht",
    "total_vat",
    "lines",
    "corrects",
    "reason",
    "late_sold_at_utc",
    "late_slip",
    "note",
    "hash",
];
pub const SALE_LINES: &[&str] = &[
    "sale_id",
    "number",
    "line",
    "label",
    "sku",
    "barcode",
    "department",
    "qty",
    "unit_price_ttc",
    "vat_rate",
    "gross_ttc",
    "discount",
    "ticket_discount",
    "total_ttc",
    "total_ht",
    "of_line",
];
pub const PAYMENTS: &[&str] = &[
    "sale_id",
    "number",
    "kind",
    "method",
    "amount",
    "tendered",
    "change",
    "reference",
];
pub const VAT: &[&str] = &["sale_id", "number", "kind", "vat_rate", "ht", "vat", "ttc"];
pub const CASH_MOVEMENTS: &[&str] = &[
    "id",
    "number",
    "business_day",
    "recorded_at_utc",
    "operator",
    "direction",
    "category",
    "amount",
    "reason",
];
pub const EVENTS: &[&str] = &[
    "id",
    "number",
    "recorded_at_utc",
    "local_time",
    "code",
    "name",
    "message",
    "operator",
];
pub const CLOSURES: &[&str] = &[
    "id",
    "number",
    "period",
    "first_day",
    "last_day",
    "automatic",
    "sales",
    "refunds",
    "voids",
    "total_ttc",
    "float",
    "cash_expected",
    "cash_counted",
    "cash_variance",
    "card_recorded",
    "card_terminal",
    "card_variance",
    "deposits_received",
    "deposits_refunded",
    "perpetual_total",
    "perpetual_abs_total",
    "signature",
];
pub const DEPOSITS: &[&str] = &[
    "id",
    "number",
    "order",
    "business_day",
    "recorded_at_utc",
    "operator",
    "amount",
    "methods",
];

/// Rows of the ticket tables (sales, lines, payments, VAT) for a sale, refund or void.
pub fn ticket_rows(
    record: &Record,
    hash: &str,
    local_time: &str,
    tables: &mut TicketTables,
) -> Result<()> {
    let Some(t) = record.body.ticket() else {
        return Ok(());
    };
    let id = record.id.to_string();
    let number = record.number();
    let ht = Money::sum(t.vat.iter().map(|v| v.ht_cents)).unwrap_or_default();
    let vat = Money::sum(t.vat.iter().map(|v| v.vat_cents)).unwrap_or_default();
    tables.sales.row(&[
        (&id).into(),
        (&number).into(),
        record.kind().code().into(),
        (&record.till).into(),
        (&record.business_day).into(),
        (&record.at).into(),
        Cell::local_time(local_time),
        (&record.operator).into(),
        t.total_cents.into(),
        ht.into(),
        vat.into(),
        Cell::Int(t.lines.len() as i64),
        t.corrects.as_ref().map_or("", |l| l.number.as_str()).into(),
        (&t.reason).into(),
        t.late.as_ref().map_or("", |l| l.sold_at.as_str()).into(),
        Cell::id(t.late.as_ref().map_or("", |l| l.slip.as_str())),
        (&t.note).into(),
        hash.into(),
    ])?;
    for (index, l) in t.lines.iter().enumerate() {
        tables.lines.row(&[
            (&id).into(),
            (&number).into(),
            Cell::Int(index as i64 + 1),
            (&l.label).into(),
            Cell::id(l.sku.as_deref().unwrap_or("")),
            Cell::id(l.barcode.as_deref().unwrap_or("")),
            (&l.department).into(),
            Cell::Qty(l.qty_milli),
            l.unit_price_cents.into(),
            Cell::Rate(l.vat_rate_bp),
            l.gross_cents.into(),
            l.discount_cents.into(),
            l.ticket_discount_cents.into(),
            l.total_cents.into(),
            l.ht_cents.into(),
            l.of_line.map(|i| (i + 1).to_string()).into(),
        ])?;
    }
    for p in &t.payments {
        tables.payments.row(&[
            (&id).into(),
            (&number).into(),
            record.kind().code().into(),
            p.method.code().into(),
            p.amount_cents.into(),
            p.tendered_cents
                .map(Cell::Money)
                .unwrap_or_else(|| "".into()),
            p.change_cents.map(Cell::Money).unwrap_or_else(|| "".into()),
            Cell::id(p.reference.as_deref().unwrap_or("")),
        ])?;
    }
    for v in &t.vat {
        tables.vat.row(&[
            (&id).into(),
            (&number).into(),
            record.kind().code().into(),
            Cell::Rate(v.rate_bp),
            v.ht_cents.into(),
            v.vat_cents.into(),
            v.ttc_cents.into(),
        ])?;
    }
    Ok(())
}

pub struct TicketTables {
    pub sales: Table,
    pub lines: Table,
    pub payments: Table,
    pub vat: Table,
}

impl TicketTables {
    pub fn create(folder: &Path, dialect: Dialect) -> Result<TicketTables> {
        let table = |name, headers| Table::create_in(folder, name, headers, &[dialect]);
        Ok(TicketTables {
            sales: table("sales.csv", SALES)?,
            lines: table("sale_lines.csv", SALE_LINES)?,
            payments: table("payments.csv", PAYMENTS)?,
            vat: table("sale_vat.csv", VAT)?,
        })
    }

    pub fn finish(self) -> Result<Vec<BundleFile>> {
        finish_all([self.sales, self.lines, self.payments, self.vat])
    }
}

/// The row of a record in the other tables, if it has one.
pub fn other_rows(record: &Record, local_time: &str, tables: &mut OtherTables) -> Result<()> {
    let id = record.id.to_string();
    let number = record.number();
    match &record.body {
        Body::CashMovement(m) => tables.cash_movements.row(&[
            id.into(),
            number.into(),
            (&record.business_day).into(),
            (&record.at).into(),
            (&record.operator).into(),
            serde_json::to_value(m.direction)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .into(),
            (&m.category).into(),
            m.amount_cents.into(),
            (&m.reason).into(),
        ]),
        Body::Event(e) => tables.events.row(&[
            id.into(),
            number.into(),
            (&record.at).into(),
            Cell::local_time(local_time),
            Cell::Int(i64::from(e.code)),
            (&e.name).into(),
            (&e.message).into(),
            (&record.operator).into(),
        ]),
        // Day openings share the events' numbers (T1-E…): listed here, there is no hole.
        Body::DayOpen(open) => tables.events.row(&[
            id.into(),
            number.into(),
            (&record.at).into(),
            Cell::local_time(local_time),
            "".into(),
            "day_open".into(),
            format!(
                "Ouverture de la journée {}, fond de caisse {} €{}",
                record.business_day,
                open.float_cents.decimal(','),
                if open.automatic { " (automatique)" } else { "" }
            )
            .into(),
            (&record.operator).into(),
        ]),
        Body::Deposit(d) => tables.deposits.row(&[
            id.into(),
            number.into(),
            (&d.order.number).into(),
            (&record.business_day).into(),
            (&record.at).into(),
            (&record.operator).into(),
            d.amount_cents.into(),
            d.payments
                .iter()
                .map(|p| p.method.code())
                .collect::<Vec<_>>()
                .join("+")
                .into(),
        ]),
        Body::Closure(c) => {
            let t = &c.totals;
            let money = |m: Option<Money>| m.map(Cell::Money).unwrap_or_else(|| "".into());
            tables.closures.row(&[
                id.into(),
                number.into(),
                c.period.code().into(),
                (&c.first_day).into(),
                (&c.last_day).into(),
                c.automatic.to_string().into(),
                Cell::Int(t.sales as i64),
                Cell::Int(t.refunds as i64),
                Cell::Int(t.voids as i64),
                t.total_cents.into(),
                t.float_cents.into(),
                t.expected_cash_cents.into(),
                money(c.cash_count.as_ref().map(|k| k.counted_cents)),
                money(c.cash_count.as_ref().map(|k| k.variance_cents)),
                t.tender(relais_core::Method::Card).into(),
                money(c.card_check.as_ref().map(|k| k.terminal_total_cents)),
                money(c.card_check.as_ref().map(|k| k.variance_cents)),
                t.deposits_received_cents.into(),
                t.deposits_refunded_cents.into(),
                c.perpetual_total_cents.into(),
                c.perpetual_abs_total_cents.into(),
                (&c.signature.value).into(),
            ])
        }
        _ => Ok(()),
    }
}

pub struct OtherTables {
    pub cash_movements: Table,
    pub events: Table,
    pub deposits: Table,
    pub closures: Table,
}

impl OtherTables {
    pub fn create(folder: &Path, dialect: Dialect) -> Result<OtherTables> {
        let table = |name, headers| Table::create_in(folder, name, headers, &[dialect]);
        Ok(OtherTables {
            cash_movements: table("cash_movements.csv", CASH_MOVEMENTS)?,
            events: table("events.csv", EVENTS)?,
            deposits: table("deposits.csv", DEPOSITS)?,
            closures: table("closures.csv", CLOSURES)?,
        })
    }

    pub fn finish(self) -> Result<Vec<BundleFile>> {
        finish_all([
            self.cash_movements,
            self.events,
            self.deposits,
            self.closures,
        ])
    }
}
