//! Recording sales, voiding them, and printing or reprinting their receipts.

use crate::dated::{append, NewRecord};
use crate::day::ensure_day;
use crate::error::{Result, StoreError};
use crate::late;
use crate::{Actor, Store};
use relais_core::receipt::ReceiptDoc;
use relais_core::record::ReceiptCopyData;
use relais_core::sale::{operator_of, Problem, SaleError};
use relais_core::text;
use relais_core::{
    price_sale, receipt, Body, EventData, EventType, Kind, Method, Money, Record, SaleInput,
    Sealed, Text,
};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

/// What a caller is told once a record is on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Recorded {
    pub id: String,
    pub number: String,
    #[ts(type = "number")]
    pub pos: u64,
    #[ts(type = "number")]
    pub total_cents: i64,
    pub hash: String,
    /// True when this exact sale had already been recorded under this id: nothing was added.
    pub duplicate: bool,
    /// Things the operator should know (clock went backwards…), in both languages.
    pub warnings: Vec<Text>,
}

impl Recorded {
    pub(crate) fn from_sealed(sealed: &[Sealed]) -> Recorded {
        let last = sealed
            .last()
            .expect("append returns the record it appended");
        let warnings = sealed[..sealed.len() - 1]
            .iter()
            .filter_map(|s| match &s.record.body {
                Body::Event(e) => Some(warning(e)),
                _ => None,
            })
            .collect();
        Recorded {
            id: last.record.id.to_string(),
            number: last.record.number(),
            pos: last.record.pos,
            total_cents: last.record.body.total().map(|m| m.0).unwrap_or(0),
            hash: last.hash.clone(),
            duplicate: false,
            warnings,
        }
    }

    fn existing(record: &Record, hash: String) -> Recorded {
        Recorded {
            id: record.id.to_string(),
            number: record.number(),
            pos: record.pos,
            total_cents: record.body.total().map(|m| m.0).unwrap_or(0),
            hash,
            duplicate: true,
            warnings: Vec::new(),
        }
    }
}

/// An event appended before the record, as a warning: its journal text (French, sealed in
/// the chain, never rewritten) and an English text made from its details.
fn warning(event: &EventData) -> Text {
    let english = match EventType::from_name(&event.name) {
        Some(EventType::ClockBackwards) => {
            let seconds = event.details["backwards_ms"].as_i64().unwrap_or(0) / 1000;
            let previous = event.details["previous_at"].as_str().unwrap_or("?");
            format!("The clock went back {seconds} s since the previous record ({previous})")
        }
        _ => event.message.clone(),
    };
    Text {
        fr: event.message.clone(),
        en: english,
    }
}

/// A business day opened by the ticket itself (after a Z, or on a fresh till): said to the
/// operator, with its float (none counted: 0,00 €), never silently.
fn day_opened(event: &EventData) -> Text {
    let day = event.details["business_day"].as_str().unwrap_or("");
    let french = match day.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => day.to_string(),
    };
    text!(
        fr: format!("Nouvelle journée du {french} ouverte par cette vente, fond de caisse 0,00 € : un responsable compte le fond dans Gestion › Journée"),
        en: format!("A new business day ({day}) opened with this sale, float €0.00: a manager counts the float in Management › Day"),
    )
}

/// The events appended in one transaction before its record, as warnings: a day closed or
/// opened first carries the clock's jump with it, and the operator must still hear of it.
fn warnings_between(tx: &Connection, start: u64, record_pos: u64) -> Result<Vec<Text>> {
    let mut statement = tx.prepare_cached(
        "SELECT body FROM ledger WHERE kind = 'event' AND pos > ?1 AND pos < ?2 ORDER BY pos",
    )?;
    let bodies = statement
        .query_map([start, record_pos], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut warnings = Vec::new();
    for body in bodies {
        let record: Record =
            serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if let Body::Event(event) = &record.body {
            if event.name == EventType::ClockBackwards.name() {
                warnings.push(warning(event));
            } else if event.name == EventType::DayOpened.name()
                && event.details["automatic"] == json!(true)
            {
                warnings.push(day_opened(event));
            }
        }
    }
    Ok(warnings)
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReprintResult {
    pub copy: Recorded,
    /// The receipt as text.
    pub receipt: String,
    /// The same receipt as data, for the app.
    pub doc: ReceiptDoc,
}

pub(crate) fn record_by_id(conn: &Connection, id: Uuid) -> Result<Option<(Record, String)>> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT body, hash FROM ledger WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(body, hash)| {
        serde_json::from_str(&body)
            .map(|record| (record, hash))
            .map_err(|e| StoreError::Corrupt(format!("{id}: {e}")))
    })
    .transpose()
}

pub(crate) fn count_links(conn: &Connection, kind: Kind, path: &str, id: Uuid) -> Result<u32> {
    Ok(conn.query_row(
        &format!(
            "SELECT COUNT(*) FROM ledger WHERE kind = ?1 AND json_extract(body, '{path}') = ?2"
        ),
        [kind.code(), &id.to_string()],
        |r| r.get(0),
    )?)
}

/// Fills lines that reference the catalogue (`barcode`, `sku`) or a department key with the
/// label, price and VAT rate they are sold at; what the input gives explicitly wins.
/// A barcode the catalogue does not hold may be a scale label (EAN-13 of prefix 2): the
/// product of its PLU, or the rule's department, at the label's price or weight.
pub(crate) fn resolve_lines(conn: &Connection, input: &SaleInput) -> Result<SaleInput> {
    let mut resolved = input.clone();
    let mut rules = None;
    for (index, line) in resolved.lines.iter_mut().enumerate() {
        let code = line.barcode.clone().or_else(|| line.sku.clone());
        if let Some(code) = code.filter(|c| !c.trim().is_empty()) {
            let field = if line.barcode.is_some() {
                "barcode"
            } else {
                "sku"
            };
            let found = crate::catalog::product_by_code(conn, &code)?;
            if let (None, Some(barcode)) = (&found, &line.barcode) {
                if rules.is_none() {
                    rules = Some(crate::catalog::scale_rules_of(conn)?);
                }
                let rules = rules.as_deref().unwrap_or_default();
                let barcode = barcode.clone();
                if crate::catalog::resolve_label(conn, rules, index, line, &barcode)? {
                    continue;
                }
            }
            let product = found.ok_or_else(|| {
                SaleError::at(format!("lines[{index}].{field}"), Problem::UnknownProduct)
            })?;
            line.label = line.label.take().or(Some(product.label));
            line.unit_price_cents = line.unit_price_cents.or(Some(product.price_cents));
            line.vat_rate_bp = line.vat_rate_bp.or(Some(product.vat_rate_bp));
            line.sku = line.sku.take().or(product.sku);
            line.department = line.department.take().or(product.department);
        } else if let Some(code) = line.department.clone() {
            let department = crate::catalog::department(conn, &code)?.ok_or_else(|| {
                SaleError::at(
                    format!("lines[{index}].department"),
                    Problem::UnknownDepartment,
                )
            })?;
            line.vat_rate_bp = line.vat_rate_bp.or(Some(department.vat_rate_bp.0));
            line.label = line
                .label
                .take()
                .filter(|l| !l.trim().is_empty())
                .or(Some(department.name));
            line.department = Some(department.code);
        }
    }
    Ok(resolved)
}

/// A manager's approval of a cashier's discount (JET 130, as the refunds' overrides).
fn discount_override(
    approved: &crate::sale_settings::DiscountApproved,
    operator: &str,
    number: &str,
) -> EventData {
    let manager = &approved.manager;
    EventData::new(
        EventType::RightsChange,
        format!(
            "{manager} autorise {} ({number}) pour {operator}",
            approved.what.fr
        ),
        json!({"override": true, "operator": operator, "manager": manager, "action": "discount", "record": number}),
    )
}

/// What the counter may add to a sale beyond its input.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct SaleOptions {
    /// A manager lets the sale's expired avoirs pay (named in each use, journaled).
    #[serde(default)]
    pub allow_expired: bool,
    /// The payments (by index) that are vouchers of the SaaS accepted blind: each becomes
    /// an « external voucher » use linked to the sale, approved above the shop's threshold.
    #[serde(default)]
    pub external_vouchers: Vec<usize>,
    /// A manager's approval, when a cashier sells: a discount above the shop's threshold,
    /// expired avoirs, vouchers of the SaaS above their threshold.
    #[serde(default)]
    pub approval: Option<crate::staff::Approval>,
}

impl SaleOptions {
    /// Nothing but a manager's approval (of discounts above the shop's threshold), if any.
    pub fn approved(approval: Option<&crate::staff::Approval>) -> SaleOptions {
        SaleOptions {
            approval: approval.cloned(),
            ..SaleOptions::default()
        }
    }
}

impl Store {
    /// Who sells: the input's `operator`, else `default_operator`, checked.
    pub fn sale_actor(&self, input: &SaleInput, default_operator: Option<&str>) -> Result<Actor> {
        self.actor(&operator_of(input, default_operator)?)
    }

    /// The sellers of a batch (`sale_actor` of each), an error naming the sale at fault.
    pub fn sale_actors(
        &self,
        inputs: &[SaleInput],
        default_operator: Option<&str>,
    ) -> Result<Vec<Actor>> {
        (inputs.iter().enumerate())
            .map(|(index, input)| {
                self.sale_actor(input, default_operator)
                    .map_err(|error| StoreError::InSale {
                        input: "batch".into(),
                        index: index + 1,
                        error: Box::new(error),
                    })
            })
            .collect()
    }

    /// Validates, prices and records one sale, sold by `by` (see `sale_actor`; the input's
    /// `operator` is not read). Recording the same `id` again with the same content returns
    /// the first recording (`duplicate: true`); different content is refused.
    /// A discount above the shop's threshold needs a manager: `record_sale_with`, with
    /// `SaleOptions::approved` (the approval journaled, JET 130, in the sale's transaction).
    pub fn record_sale(&mut self, input: &SaleInput, by: &Actor) -> Result<Recorded> {
        self.record_sale_with(input, by, &SaleOptions::default())
    }

    /// Records a sale with what the counter may add (`SaleOptions`): a manager's approval
    /// (of discounts above the shop's threshold, of expired avoirs let through), vouchers of
    /// the SaaS accepted blind in the same transaction.
    pub fn record_sale_with(
        &mut self,
        input: &SaleInput,
        by: &Actor,
        options: &SaleOptions,
    ) -> Result<Recorded> {
        self.record_sale_for(input, by, options, None)
    }

    /// `record_sale_with`, or, for `order`, the sale that collects it: its lines as the
    /// order priced them (not looked up again), its deposits paid by `deposit`, and the
    /// order's « collected » event after the sale and its uses, in the same transaction.
    pub(crate) fn record_sale_for(
        &mut self,
        input: &SaleInput,
        by: &Actor,
        options: &SaleOptions,
        order: Option<&Record>,
    ) -> Result<Recorded> {
        let config = self.require_config()?.clone();
        let operator = by.name().to_string();
        // Who lets expired avoirs pay: a manager at the till, or the one who approved.
        let expired_by = match options.allow_expired {
            false => None,
            true => {
                let manager = self.manager(by, options.approval.as_ref())?;
                Some(manager.approver().unwrap_or(by.name()).to_string())
            }
        };
        let externals =
            crate::avoirs::external_tenders(&input.payments, &options.external_vouchers)?;
        let deposit =
            |p: &relais_core::sale::PaymentInput| p.method.trim() == Method::Deposit.code();
        if order.is_none() && input.payments.iter().any(deposit) {
            return Err(StoreError::Invalid(text!(
                fr: "le moyen « acompte » ne sert qu'au retrait d'une commande client",
                en: "the deposit method is only used when a customer order is collected",
            )));
        }
        let mut input = match order {
            None => resolve_lines(&self.conn, input)?,
            Some(_) => input.clone(),
        };
        let avoirs = crate::avoirs::avoir_tenders(&self.conn, &config, &mut input.payments)?;
        let input = &input;
        let mut ticket = price_sale(input, &config.vat_rates)?;
        let approved = self.check_discounts(&ticket, by, options.approval.as_ref())?;
        let externals: Vec<(String, Money)> = externals
            .into_iter()
            .map(|(index, code)| (code, ticket.payments[index].amount_cents))
            .collect();
        let threshold = self.avoir_settings()?.external_approval_cents;
        let external_by = match externals.iter().any(|(_, amount)| amount.0 > threshold) {
            false => None,
            true => {
                let manager = self.manager(by, options.approval.as_ref())?;
                Some(manager.approver().unwrap_or(by.name()).to_string())
            }
        };
        let closer = self.closer()?;
        let now = closer.now;
        let late = input
            .late
            .as_ref()
            .map(|l| late::resolve(&config, l, input.id, now))
            .transpose()?;
        ticket.late = late.as_ref().map(|l| l.entry.clone());
        let id = late
            .as_ref()
            .map(|l| l.id)
            .or(input.id)
            .unwrap_or_else(Uuid::now_v7);
        let outcome = self.write(|tx| {
            if let Some((existing, hash)) = record_by_id(tx, id)? {
                let same =
                    existing.body == Body::Sale(ticket.clone()) && existing.operator == operator;
                return match (same, &late) {
                    (true, _) => Ok(Recorded::existing(&existing, hash)),
                    (false, Some(late)) => Err(StoreError::DuplicateSlip {
                        slip: late.entry.slip.clone(),
                        day: late.day.clone(),
                        existing: existing.number(),
                    }),
                    (false, None) => Err(StoreError::IdConflict(id.to_string())),
                };
            }
            let start = crate::ledger::current_head(tx)?.0;
            let day = match &late {
                Some(late) => {
                    if let (false, Some(existing)) = (late.allow_duplicate, late::existing_slip(tx, &late.day, &late.entry.slip)?) {
                        return Err(StoreError::DuplicateSlip { slip: late.entry.slip.clone(), day: late.day.clone(), existing });
                    }
                    // In the open day's Z (its earlier days), opening one if none is.
                    ensure_day(tx, &closer)?;
                    late.day.clone()
                }
                None => ensure_day(tx, &closer)?,
            };
            let paid_by_avoirs: Vec<_> = avoirs.iter().map(|(index, code)| (code, ticket.payments[*index].amount_cents)).collect();
            let new = NewRecord { id, operator: operator.clone(), body: Body::Sale(ticket), business_day: Some(day.clone()) };
            let sealed = append(tx, &config, now, new)?;
            let sale = sealed.last().map(|s| s.record.link());
            let mut recorded = Recorded::from_sealed(&sealed);
            let today = relais_core::time::local_date(config.zone, now);
            for (code, amount) in paid_by_avoirs {
                let approved_by = expired_by.clone().filter(|_| today > code.expires);
                let overridden = approved_by.clone().filter(|manager| *manager != operator);
                let spend = crate::avoirs::Spend { code, amount, sale: sale.clone(), approved_by, operator: &operator };
                crate::avoirs::spend(tx, &closer, spend)?;
                if let Some(manager) = overridden {
                    let number = code.number();
                    let event = crate::staff::override_event(&operator, &manager, "l'avoir expiré", &number);
                    append(tx, &config, now, NewRecord::new(Body::Event(event), &operator))?;
                }
            }
            for (code, amount) in &externals {
                let approved_by = external_by.clone().filter(|_| amount.0 > threshold);
                let external = crate::avoirs::External { code, amount: *amount, sale: sale.clone(), approved_by, operator: &operator };
                crate::avoirs::accept_external(tx, &closer, external)?;
            }
            recorded.warnings = warnings_between(tx, start, recorded.pos)?;
            if let Some(late) = &late {
                let event = EventData::new(
                    EventType::LateEntry,
                    format!("Saisie a posteriori du bordereau n° {} du {} : {}", late.entry.slip, late.day, recorded.number),
                    json!({"sale": recorded.number, "slip": late.entry.slip, "sold_at": late.entry.sold_at, "business_day": late.day}),
                );
                append(tx, &config, now, NewRecord::new(Body::Event(event), &operator))?;
            }
            if let Some(approved) = &approved {
                let event = discount_override(approved, &operator, &recorded.number);
                append(tx, &config, now, NewRecord::new(Body::Event(event), &operator))?;
            }
            if let (Some(order), Some(sale)) = (order, sale) {
                use relais_core::order::{OrderEventData, OrderStatus};
                let collected = OrderEventData { order: order.link(), status: OrderStatus::Collected, note: None, sale: Some(sale), deposit: None };
                append(tx, &config, now, NewRecord::new(Body::OrderEvent(collected), &operator))?;
            }
            Ok(recorded)
        })?;
        self.after_commit();
        self.backup_if_due(crate::backup::BackupAfter::Sale);
        Ok(outcome)
    }

    /// Prices a cart as the counter builds it (payments not checked): the backend is the
    /// authority on totals; the screen shows what this returns.
    pub fn price_preview(&self, input: &SaleInput) -> Result<relais_core::Ticket> {
        let config = self.require_config()?;
        let input = resolve_lines(&self.conn, input)?;
        Ok(relais_core::price_cart(&input, &config.vat_rates)?)
    }

    /// Records many sales in one transaction: all of them or none (the first bad one is
    /// reported with its index). For bulk input such as paper catch-up, where one commit per
    /// batch is the durability unit: nothing of the batch is acknowledged before it commits.
    /// Each sale is sold by its actor (`sale_actors`).
    pub fn record_sales(&mut self, inputs: &[SaleInput], by: &[Actor]) -> Result<Vec<Recorded>> {
        let config = self.require_config()?.clone();
        if inputs.len() != by.len() {
            return Err(StoreError::Invalid(text!(
                fr: "il faut un vendeur par vente",
                en: "every sale needs its seller",
            )));
        }
        let mut priced = Vec::with_capacity(inputs.len());
        for (index, (input, by)) in inputs.iter().zip(by).enumerate() {
            let in_sale = |error: StoreError| StoreError::InSale {
                input: "batch".into(),
                index: index + 1,
                error: Box::new(error),
            };
            let operator = by.name().to_string();
            let resolved = resolve_lines(&self.conn, input).map_err(in_sale)?;
            let ticket = price_sale(&resolved, &config.vat_rates).map_err(|e| in_sale(e.into()))?;
            self.check_discounts(&ticket, by, None).map_err(in_sale)?;
            priced.push((input.id.unwrap_or_else(Uuid::now_v7), operator, ticket));
        }
        let closer = self.closer()?;
        let now = closer.now;
        let recorded = self.write(|tx| {
            let day = ensure_day(tx, &closer)?;
            priced
                .into_iter()
                .map(|(id, operator, ticket)| {
                    let new = NewRecord {
                        id,
                        operator,
                        body: Body::Sale(ticket),
                        business_day: Some(day.clone()),
                    };
                    Ok(Recorded::from_sealed(&append(tx, &config, now, new)?))
                })
                .collect::<Result<Vec<_>>>()
        })?;
        self.after_commit();
        self.backup_if_due(crate::backup::BackupAfter::Sale);
        Ok(recorded)
    }

    /// The receipt of a ticket as first printed.
    pub fn receipt(&self, reference: &str) -> Result<String> {
        self.receipt_doc(reference)?;
        let config = self.require_config()?;
        let (record, hash) = self.find(reference)?;
        if record.body.ticket().is_none() {
            return Err(StoreError::NotASale(record.number()));
        }
        Ok(receipt::text(&self.doc_of(
            &config.shop,
            &record,
            &hash,
            None,
        )?))
    }

    /// The receipt of a ticket as data, as first printed.
    pub fn receipt_doc(&self, reference: &str) -> Result<ReceiptDoc> {
        let config = self.require_config()?;
        let (record, hash) = self.find(reference)?;
        self.doc_of(&config.shop, &record, &hash, None)
    }

    /// A ticket's receipt, each payment by an avoir with what is left on it.
    fn doc_of(
        &self,
        shop: &relais_core::Shop,
        record: &Record,
        hash: &str,
        copy_no: Option<u32>,
    ) -> Result<ReceiptDoc> {
        let mut doc = ReceiptDoc::of(shop, record, hash, copy_no, crate::SOFTWARE_VERSION)
            .ok_or_else(|| StoreError::NotASale(record.number()))?;
        if let Some(ticket) = record.body.ticket() {
            for (payment, shown) in ticket.payments.iter().zip(doc.payments.iter_mut()) {
                if let (Method::StoreCredit, Some(avoir)) = (payment.method, &payment.reference) {
                    shown.balance_cents =
                        crate::avoirs::balance_after(&self.conn, avoir, record.id)?;
                }
            }
        }
        Ok(doc)
    }

    /// Records a receipt copy and returns the receipt marked "DUPLICATA n".
    pub fn reprint(&mut self, reference: &str, by: &Actor) -> Result<ReprintResult> {
        let operator = by.name();
        let config = self.require_config()?.clone();
        let (original, hash) = self.find(reference)?;
        if original.body.ticket().is_none() {
            return Err(StoreError::NotASale(original.number()));
        }
        let now = self.now();
        let (copy, copy_no) = self.write(|tx| {
            let copy_no = count_links(tx, Kind::ReceiptCopy, "$.data.of.id", original.id)? + 1;
            let data = ReceiptCopyData {
                of: original.link(),
                copy_no,
            };
            let sealed = append(
                tx,
                &config,
                now,
                NewRecord::new(Body::ReceiptCopy(data), operator),
            )?;
            Ok((Recorded::from_sealed(&sealed), copy_no))
        })?;
        self.after_commit();
        let doc = self.doc_of(&config.shop, &original, &hash, Some(copy_no))?;
        let receipt = receipt::text(&doc);
        Ok(ReprintResult { copy, receipt, doc })
    }
}
