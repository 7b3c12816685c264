//! poslog.xml (optional, `--poslog`): the sales, refunds, voids and order deposits of the
//! range as ARTS POSLog V6.0.0 transactions, for SaaS back-offices that import POSLog rather
//! than CSV. Every transaction carries the `OfflineFlag="true"` attribute (it was rung up
//! while the SaaS was down), the Relais number as `ReceiptNumber`, and the record's UUID as
//! `TransactionID` so an importer can deduplicate. A second streaming pass over the ledger:
//! memory stays flat.
//!
//! Written by hand and checked against NRF's V6.0.0 XSD, which is not distributed with
//! Relais: the tests check the rules relied on (see poslog_tests.rs and docs/EXPORT-FORMAT.md).

use crate::error::{BundleError, Result};
use crate::tables::HashingFile;
use crate::BundleFile;
use quick_xml::escape::escape;
use relais_core::order::DepositData;
use relais_core::record::{Body, Record};
use relais_core::ticket::{Method, Payment, Ticket};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILE: &str = "poslog.xml";

/// poslog.xml being written: the caller pushes the range's records in position order.
pub struct PoslogWriter {
    path: PathBuf,
    shop: String,
    out: HashingFile,
}

impl PoslogWriter {
    pub fn create(folder: &Path, shop: &str) -> Result<PoslogWriter> {
        let path = folder.join(FILE);
        let mut out = HashingFile::create(&path)?;
        out.write_all(HEADER.as_bytes())
            .map_err(|e| BundleError::io(&path, e))?;
        Ok(PoslogWriter {
            path,
            shop: shop.to_string(),
            out,
        })
    }

    /// Writes the record's transaction, if it is a ticket (sale, refund, void) or a deposit.
    pub fn push(&mut self, record: &Record) -> Result<()> {
        if let Some(xml) = transaction(&self.shop, record) {
            self.out
                .write_all(xml.as_bytes())
                .map_err(|e| BundleError::io(&self.path, e))?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<BundleFile> {
        self.out
            .write_all(b"</POSLog>\n")
            .map_err(|e| BundleError::io(&self.path, e))?;
        let (sha256, bytes) = self.out.finish()?;
        Ok(BundleFile {
            path: FILE.into(),
            sha256,
            bytes,
        })
    }
}

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/" MajorVersion="6" MinorVersion="0">
"#;

/// One `<Transaction>`; None for records that are neither tickets nor deposits. V6 fixes the
/// order of the children (store, till, numbers, operator, currency, receipt, the retail
/// transaction, then the business day and times) and carries the offline and training flags
/// as attributes.
fn transaction(shop: &str, record: &Record) -> Option<String> {
    let (retail, begin) = match &record.body {
        Body::Sale(t) => (ticket(t, "Finished", None), t.late.as_ref()),
        Body::Refund(t) => (ticket(t, "Finished", Some(RETURN_LINK)), t.late.as_ref()),
        Body::Void(t) => (ticket(t, "PostVoided", Some(VOID_LINK)), t.late.as_ref()),
        Body::Deposit(d) => (deposit(d), None),
        _ => return None,
    };
    // A paper slip keyed in later begins when it was written, not when it was keyed in.
    let begin = begin.map_or(record.at.as_str(), |late| late.sold_at.as_str());
    let mut x = String::with_capacity(2048);
    x += &format!(
        "  <Transaction OfflineFlag=\"true\" TrainingModeFlag=\"{}\">\n",
        record.training
    );
    x += "    <BusinessUnit>\n";
    x += &element(6, "UnitID", shop);
    x += "    </BusinessUnit>\n";
    x += &element(4, "WorkstationID", &record.till);
    x += &element(4, "SequenceNumber", &record.pos.to_string());
    x += &element(4, "TransactionID", &record.id.to_string());
    x += &element(4, "OperatorID", &record.operator);
    x += &element(4, "CurrencyCode", "EUR");
    x += &element(4, "ReceiptNumber", &record.number());
    x += &retail;
    x += &element(4, "BusinessDayDate", &record.business_day);
    x += &element(4, "BeginDateTime", begin);
    x += &element(4, "EndDateTime", &record.at);
    x += "  </Transaction>\n";
    Some(x)
}

/// A sale, refund or void as a `<RetailTransaction>`: its lines, its tenders, its totals and
/// the link to the ticket it corrects.
fn ticket(ticket: &Ticket, status: &str, link: Option<&str>) -> String {
    let mut x = format!("    <RetailTransaction TransactionStatus=\"{status}\">\n");
    x += &items(ticket, link == Some(RETURN_LINK));
    x += &tenders(&ticket.payments, ticket.lines.len());
    let tax: i64 = ticket.vat.iter().map(|v| v.vat_cents.0).sum();
    x += &total(GRAND_TOTAL, ticket.total_cents.0);
    x += &total("TransactionTaxAmount", tax);
    if let (Some(reason), Some(original)) = (link, &ticket.corrects) {
        x += &format!("      <TransactionLink ReasonCode=\"{reason}\">\n");
        x += &element(8, "TransactionID", &original.id.to_string());
        x += "      </TransactionLink>\n";
    }
    x += "    </RetailTransaction>\n";
    x
}

/// A deposit taken (or given back) on a customer order: V6's `Deposit` line item, the order
/// number as its reference, then its tenders. Not turnover: no tax, and the sale that hands
/// the order over later is paid partly by a `Relais:Deposit` tender.
fn deposit(deposit: &DepositData) -> String {
    let mut x = String::from("    <RetailTransaction TransactionStatus=\"Finished\">\n");
    x += "      <LineItem>\n";
    let refund = deposit.amount_cents.0 < 0;
    x += &format!("        <Deposit Refund=\"{refund}\">\n");
    x += &element(10, "ReferenceNumber", &deposit.order.number);
    x += &element(10, "Amount", &amount(deposit.amount_cents.0.abs()));
    x += "        </Deposit>\n";
    x += &element(8, "SequenceNumber", "1");
    x += "      </LineItem>\n";
    x += &tenders(&deposit.payments, 1);
    x += &total(GRAND_TOTAL, deposit.amount_cents.0);
    x += "    </RetailTransaction>\n";
    x
}

const GRAND_TOTAL: &str = "TransactionGrandAmount";

fn total(kind: &str, cents: i64) -> String {
    format!(
        "      <Total TotalType=\"{kind}\">{}</Total>\n",
        amount(cents)
    )
}

/// V6's `TransactionLink@ReasonCode` for a refund and for a void (its list has no
/// "PostVoid"; the voided sale is "Voided", the void itself `TransactionStatus="PostVoided"`).
const RETURN_LINK: &str = "Return";
const VOID_LINK: &str = "Voided";

/// What stands in `ItemID` for a line typed at the counter without SKU nor barcode: V6
/// requires an identifier, and `ItemNotOnFileFlag` says it is not in any catalogue.
pub const FREE_TEXT_ITEM: &str = "NOT-ON-FILE";

/// The lines: `<Sale>` items, `<Return>` for a refund's. Prices are TTC, as on the receipt.
fn items(ticket: &Ticket, returned: bool) -> String {
    let tag = if returned { "Return" } else { "Sale" };
    let mut x = String::new();
    for (i, line) in ticket.lines.iter().enumerate() {
        x += "      <LineItem>\n";
        x += &format!("        <{tag} ItemType=\"Stock\">\n");
        if let Some(barcode) = &line.barcode {
            x += &format!(
                "          <POSIdentity><POSItemID>{}</POSItemID></POSIdentity>\n",
                escape(barcode)
            );
        }
        let id = line.sku.as_ref().or(line.barcode.as_ref());
        x += &element(10, "ItemID", id.map_or(FREE_TEXT_ITEM, |id| id.as_str()));
        if let Some(department) = &line.department {
            x += &element(10, "MerchandiseHierarchy", department);
        }
        x += &element(10, "Description", &line.label);
        x += &element(
            10,
            "RegularSalesUnitPrice",
            &amount(line.unit_price_cents.0),
        );
        x += &element(10, "ExtendedAmount", &amount(line.gross_cents.0.abs()));
        x += &element(
            10,
            "ExtendedDiscountAmount",
            &amount(line.total_cents.0.abs()),
        );
        x += &element(10, "Quantity", &quantity(line.qty_milli.0.abs()));
        let discount = line.discount_cents.0 + line.ticket_discount_cents.0;
        if discount != 0 {
            x += "          <RetailPriceModifier>\n";
            x += &element(12, "SequenceNumber", "1");
            x += &format!(
                "            <Amount Action=\"Subtract\">{}</Amount>\n",
                amount(discount.abs())
            );
            x += "          </RetailPriceModifier>\n";
        }
        x += "          <Tax TaxType=\"VAT\">\n";
        x += &element(12, "TaxableAmount", &amount(line.ht_cents.0.abs()));
        x += &element(
            12,
            "Amount",
            &amount((line.total_cents.0 - line.ht_cents.0).abs()),
        );
        x += &element(12, "Percent", &percent(line.vat_rate_bp.0));
        x += "          </Tax>\n";
        if id.is_none() {
            x += &element(10, "ItemNotOnFileFlag", "true");
        }
        x += &element(10, "TaxIncludedInPriceFlag", "true");
        x += &format!("        </{tag}>\n");
        x += &element(8, "SequenceNumber", &(i + 1).to_string());
        x += "      </LineItem>\n";
    }
    x
}

/// The payments, numbered after the lines.
fn tenders(payments: &[Payment], lines: usize) -> String {
    let mut x = String::new();
    for (i, payment) in payments.iter().enumerate() {
        x += "      <LineItem>\n";
        let kind = tender_type(payment.method);
        let refund = if payment.amount_cents.0 < 0 {
            " TypeCode=\"Refund\""
        } else {
            ""
        };
        x += &format!("        <Tender TenderType=\"{kind}\"{refund}>\n");
        x += &element(10, "Amount", &amount(payment.amount_cents.0.abs()));
        if let Some(change) = payment.change_cents.filter(|c| c.0 != 0) {
            x += "          <TenderChange>\n";
            x += &element(12, "Amount", &amount(change.0));
            x += "          </TenderChange>\n";
        }
        if let Some(reference) = &payment.reference {
            x += "          <Authorization>\n";
            x += &element(12, "AuthorizationCode", reference);
            x += "          </Authorization>\n";
        }
        x += "        </Tender>\n";
        x += &element(8, "SequenceNumber", &(lines + i + 1).to_string());
        x += "      </LineItem>\n";
    }
    x
}

/// V6's tender list has no deposit nor "other": its extension form (`prefix:code`) names them.
pub const DEPOSIT_TENDER: &str = "Relais:Deposit";
pub const OTHER_TENDER: &str = "Relais:Other";

fn tender_type(method: Method) -> &'static str {
    match method {
        Method::Cash => "Cash",
        Method::Card => "CreditDebit",
        Method::Cheque => "Check",
        Method::Voucher => "Voucher",
        Method::StoreCredit => "StoreAccount",
        Method::Deposit => DEPOSIT_TENDER,
        Method::Other => OTHER_TENDER,
    }
}

/// `<name>text</name>` indented, the text escaped.
fn element(indent: usize, name: &str, text: &str) -> String {
    format!("{:indent$}<{name}>{}</{name}>\n", "", escape(text))
}

/// Cents as a decimal amount with a dot: -1234 → "-12.34".
fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        cents.unsigned_abs() / 100,
        cents.unsigned_abs() % 100
    )
}

/// Thousandths as a decimal quantity: 350 → "0.35", 2000 → "2".
fn quantity(milli: i64) -> String {
    let text = format!("{}.{:03}", milli / 1000, milli % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Basis points as a percentage: 550 → "5.5".
fn percent(bp: u32) -> String {
    let text = format!("{}.{:02}", bp / 100, bp % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
#[path = "poslog_tests.rs"]
mod tests;
