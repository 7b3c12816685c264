//! The rules of ARTS POSLog V6.0.0 that poslog.xml relies on, checked without the schema
//! (NRF's, not distributed): element order, where the flags live, required identifiers and
//! the code lists. The full XSD check is the store's test, run when POSLOG_XSD is set.

use super::*;
use quick_xml::events::Event;

/// Records of a busy till (sales with a catalogued and a free-text line, a discount, a paper
/// slip, a refund, a void, two deposits and the sale that collects an order), as exported.
const RECORDS: &str = include_str!("poslog_tests.jsonl");

struct Node {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn walk<'a>(&'a self, out: &mut Vec<&'a Node>) {
        out.push(self);
        for child in &self.children {
            child.walk(out);
        }
    }
}

/// The document as a tree, read with a plain XML reader.
fn parse(xml: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Node {
        name: String::new(),
        attributes: vec![],
        children: vec![],
        text: String::new(),
    }];
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(Node {
                name: e.name().into_inner().to_string(),
                attributes: e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let key = a.key.into_inner().to_string();
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned();
                        (key, value)
                    })
                    .collect(),
                children: vec![],
                text: String::new(),
            }),
            Event::Text(t) => stack.last_mut().unwrap().text += &t.xml10_content(),
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(node);
            }
            Event::Eof => return stack.pop().unwrap().children.remove(0),
            _ => {}
        }
    }
}

fn poslog() -> Node {
    let folder = tempfile::tempdir().unwrap();
    let mut writer = PoslogWriter::create(folder.path(), "Boulangerie Test").unwrap();
    for line in RECORDS.lines() {
        let record: Record = serde_json::from_str(line).unwrap();
        writer.push(&record).unwrap();
    }
    writer.finish().unwrap();
    parse(&std::fs::read_to_string(folder.path().join(FILE)).unwrap())
}

/// The children V6 allows each element we write, in the order its XSD sequence fixes (only
/// the ones Relais writes), and those it requires.
const ORDER: &[(&str, &[&str], &[&str])] = &[
    ("POSLog", &["Transaction"], &["Transaction"]),
    (
        "Transaction",
        &[
            "BusinessUnit",
            "WorkstationID",
            "SequenceNumber",
            "TransactionID",
            "OperatorID",
            "CurrencyCode",
            "ReceiptNumber",
            "RetailTransaction",
            "BusinessDayDate",
            "BeginDateTime",
            "EndDateTime",
        ],
        &["BusinessUnit", "TransactionID", "RetailTransaction"],
    ),
    ("BusinessUnit", &["UnitID"], &["UnitID"]),
    (
        "RetailTransaction",
        &["LineItem", "Total", "TransactionLink"],
        &["LineItem", "Total"],
    ),
    // A line item is its Sale, Return, Tender or Deposit, then its number.
    (
        "LineItem",
        &["Sale|Return|Tender|Deposit", "SequenceNumber"],
        &["SequenceNumber"],
    ),
    (
        "Sale|Return",
        &[
            "POSIdentity",
            "ItemID",
            "MerchandiseHierarchy",
            "Description",
            "RegularSalesUnitPrice",
            "ExtendedAmount",
            "ExtendedDiscountAmount",
            "Quantity",
            "RetailPriceModifier",
            "Tax",
            "ItemNotOnFileFlag",
            "TaxIncludedInPriceFlag",
        ],
        &["ItemID", "Description", "Quantity", "Tax"],
    ),
    (
        "RetailPriceModifier",
        &["SequenceNumber", "Amount"],
        &["SequenceNumber", "Amount"],
    ),
    ("Tax", &["TaxableAmount", "Amount", "Percent"], &["Amount"]),
    (
        "Tender",
        &["Amount", "TenderChange", "Authorization"],
        &["Amount"],
    ),
    ("Deposit", &["ReferenceNumber", "Amount"], &["Amount"]),
    ("TransactionLink", &["TransactionID"], &["TransactionID"]),
];

fn named(pattern: &str, name: &str) -> bool {
    pattern.split('|').any(|p| p == name)
}

#[test]
fn children_come_in_the_order_v6_fixes() {
    let root = poslog();
    let mut nodes = vec![];
    root.walk(&mut nodes);
    let mut checked = 0;
    for node in nodes {
        let Some((_, order, required)) = ORDER.iter().find(|(n, ..)| named(n, &node.name)) else {
            continue;
        };
        checked += 1;
        let ranks: Vec<usize> = node
            .children
            .iter()
            .map(|c| {
                order
                    .iter()
                    .position(|o| named(o, &c.name))
                    .unwrap_or_else(|| panic!("{} is not expected in {}", c.name, node.name))
            })
            .collect();
        assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "{}: children out of V6 order: {:?}",
            node.name,
            node.children.iter().map(|c| &c.name).collect::<Vec<_>>()
        );
        for name in *required {
            assert!(node.child(name).is_some(), "{} lacks its {name}", node.name);
        }
    }
    assert!(checked > 50, "the fixture exercises the writer ({checked})");
}

/// V6's code lists (TenderTypeCodeEnumeration, TransactionLinkReasonEnumeration,
/// TransactionStatusEnumeration, TaxTypeCodeEnumeration), the values Relais may write.
const V6_TENDER_TYPES: &[&str] = &["Cash", "Check", "CreditDebit", "StoreAccount", "Voucher"];
const V6_LINK_REASONS: &[&str] = &["Return", "Voided"];
const V6_STATUSES: &[&str] = &["Finished", "PostVoided"];

/// V6's `TypeCodeExtension`: `prefix:code`, letters and digits.
fn is_extension(code: &str) -> bool {
    let alnum = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
    code.split_once(':')
        .is_some_and(|(prefix, rest)| !prefix.is_empty() && alnum(prefix) && alnum(rest))
}

#[test]
fn codes_and_flags_are_the_ones_v6_knows() {
    let root = poslog();
    let mut nodes = vec![];
    root.walk(&mut nodes);
    let cases: &[(&str, &str, &[&str], bool)] = &[
        // (element, attribute, V6 values, extension allowed)
        ("Tender", "TenderType", V6_TENDER_TYPES, true),
        ("TransactionLink", "ReasonCode", V6_LINK_REASONS, false),
        ("RetailTransaction", "TransactionStatus", V6_STATUSES, false),
        ("Tax", "TaxType", &["VAT"], false),
        ("Transaction", "OfflineFlag", &["true"], false),
        ("Transaction", "TrainingModeFlag", &["false"], false),
    ];
    for (element, attribute, known, extension) in cases {
        let values: Vec<&str> = nodes
            .iter()
            .filter(|n| n.name == *element)
            .map(|n| {
                n.attribute(attribute)
                    .unwrap_or_else(|| panic!("{element} without {attribute}"))
            })
            .collect();
        assert!(!values.is_empty(), "the fixture has a {element}");
        for value in values {
            assert!(
                known.contains(&value) || (*extension && is_extension(value)),
                "{element}@{attribute}={value} is not in V6's list"
            );
        }
    }
    assert!(
        nodes
            .iter()
            .any(|n| n.attribute("TenderType") == Some(DEPOSIT_TENDER)),
        "the collected order is paid by its deposit"
    );
    for extension in [DEPOSIT_TENDER, OTHER_TENDER] {
        assert!(is_extension(extension), "{extension}");
    }
}

#[test]
fn free_text_lines_are_flagged_not_on_file_and_line_numbers_follow_on() {
    let root = poslog();
    for transaction in &root.children {
        let retail = transaction.child("RetailTransaction").unwrap();
        let numbers: Vec<String> = retail
            .children
            .iter()
            .filter(|c| c.name == "LineItem")
            .map(|l| l.child("SequenceNumber").unwrap().text.clone())
            .collect();
        let expected: Vec<String> = (1..=numbers.len()).map(|n| n.to_string()).collect();
        assert_eq!(numbers, expected);
        for item in retail.children.iter().flat_map(|l| &l.children) {
            if item.name != "Sale" && item.name != "Return" {
                continue;
            }
            let id = &item.child("ItemID").unwrap().text;
            assert_eq!(
                id == FREE_TEXT_ITEM,
                item.child("ItemNotOnFileFlag").is_some(),
                "{id}"
            );
        }
    }
}

#[test]
fn numbers_are_written_as_importers_read_them() {
    let cases: &[(&str, String, &str)] = &[
        ("amount", amount(-1234), "-12.34"),
        ("amount", amount(5), "0.05"),
        ("amount", amount(0), "0.00"),
        ("quantity", quantity(350), "0.35"),
        ("quantity", quantity(2000), "2"),
        ("quantity", quantity(1), "0.001"),
        ("percent", percent(550), "5.5"),
        ("percent", percent(2000), "20"),
        ("percent", percent(210), "2.1"),
    ];
    for (what, got, want) in cases {
        assert_eq!(got, want, "{what}");
    }
}
