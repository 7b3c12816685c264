# Part of the independent bundle verifier (see verify.py): written from docs/CHAIN.md,
# docs/EXPORT-FORMAT.md and docs/ARCHIVE.md alone. It must never read Relais's sources.
"""The CSV tables (EXPORT-FORMAT.md, « CSV tables »), in both dialects: csv/ (comma, dot,
ISO dates) and excel-fr/ (BOM, semicolon, decimal comma, French dates, U+2060 before a text
Excel would take for a formula or a number). Each row the records let us derive is rendered
and compared cell by cell."""
import csv
import datetime
import io
import re
from collections import namedtuple

from shared import TICKET_KINDS, number_of

# Values whose rendering depends on the dialect: kept as such until the dialect is known.
LocalTime = namedtuple("LocalTime", "at utc_offset_min")
Quantity = namedtuple("Quantity", "milli")
Rate = namedtuple("Rate", "bp")


def format_money(cents, excel_fr):
    if cents is None:
        return ""
    text = f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"
    return text.replace(".", ",") if excel_fr else text


def format_quantity(milli, excel_fr):
    text = f"{'-' if milli < 0 else ''}{abs(milli) // 1000}.{abs(milli) % 1000:03d}"
    return text.replace(".", ",") if excel_fr else text


def format_rate(bp, excel_fr):
    return format_money(bp, excel_fr)  # 2000 bp is 20.00 (%), as cents are euros


def format_local_time(at, utc_offset_min, excel_fr):
    # Local time is the instant plus the record's offset, to the second (milliseconds cut).
    local = datetime.datetime.strptime(at[:19], "%Y-%m-%dT%H:%M:%S") + datetime.timedelta(minutes=utc_offset_min)
    return local.strftime("%d/%m/%Y %H:%M:%S") if excel_fr else local.strftime("%Y-%m-%dT%H:%M:%S")


WORD_JOINER = "\u2060"
# Identifiers made of digits and punctuation that Excel would read as a number or a date.
ID_COLUMNS = {("sale_lines", "sku"), ("sale_lines", "barcode"), ("products_created", "sku"),
              ("products_created", "barcode"), ("sales", "late_slip"), ("payments", "reference"),
              ("orders", "phone")}
ID_PUNCTUATION = re.compile(r"^[0-9 .,+\-/()]+$")


def excel_fr_text(table, column, text):
    """The documented U+2060 rule for a text cell of excel-fr/: before a formula's first
    character, and before an identifier Excel would turn into a number."""
    if text == "":
        return text
    if text[0] in "=+-@\t\r":
        return WORD_JOINER + text
    if (table, column) in ID_COLUMNS and ID_PUNCTUATION.match(text) and re.search(r"\d", text):
        return WORD_JOINER + text
    return text


def read_csv_table(raw, excel_fr, where, report):
    if excel_fr:
        if not raw.startswith(b"\xef\xbb\xbf"):
            report.defect(where, "excel-fr file without UTF-8 BOM")
        raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    elif raw.startswith(b"\xef\xbb\xbf"):
        report.defect(where, "csv/ file with a BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        report.defect(where, "not UTF-8")
        return None
    # Lines end with CRLF: every LF outside quotes must follow a CR.
    in_quotes, previous = False, ""
    for character in text:
        if character == '"':
            in_quotes = not in_quotes
        elif character == "\n" and not in_quotes and previous != "\r":
            report.defect(where, "line not ended by CRLF")
            break
        previous = character
    if text and not text.endswith("\r\n"):
        report.defect(where, "file does not end with CRLF")
    if not excel_fr and WORD_JOINER in text:
        report.defect(where, "csv/ holds a U+2060")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel_fr else ","))


TABLE_COLUMNS = {
    "sales": "id,number,kind,till,business_day,recorded_at_utc,local_time,operator,total_ttc,total_ht,total_vat,lines,corrects,reason,late_sold_at_utc,late_slip,note,hash",
    "sale_lines": "sale_id,number,line,label,sku,barcode,department,qty,unit_price_ttc,vat_rate,gross_ttc,discount,ticket_discount,total_ttc,total_ht,of_line",
    "payments": "sale_id,number,kind,method,amount,tendered,change,reference",
    "sale_vat": "sale_id,number,kind,vat_rate,ht,vat,ttc",
    "orders": "id,number,created_local,status,customer,phone,email,address,requested_date,fulfilment,total_ttc,deposits,balance,sale,note",
    "order_lines": "order,line,label,qty,unit_price_ttc,total_ttc",
    "order_events": "order,number,local_time,operator,what",
    "deposits": "id,number,order,business_day,recorded_at_utc,operator,amount,methods",
    "closures": "id,number,period,first_day,last_day,automatic,sales,refunds,voids,total_ttc,float,cash_expected,cash_counted,cash_variance,card_recorded,card_terminal,card_variance,deposits_received,deposits_refunded,perpetual_total,perpetual_abs_total,signature",
    "cash_movements": "id,number,business_day,recorded_at_utc,operator,direction,category,amount,reason",
    "events": "id,number,recorded_at_utc,local_time,code,name,message,operator",
    "products_created": "event,barcode,sku,label,price_ttc,vat_rate,department",
    "avoirs": "number,origin,from,issued_local,amount,expires,redeemed,balance,uses,tills,overspent",
    "avoir_uses": "avoir,number,till,local_time,amount,sale",
    "external_vouchers": "number,till,local_time,code,amount,sale,approved_by",
}
# Columns holding an amount in cents, written as euros.
MONEY_COLUMNS = {"total_ttc", "total_ht", "total_vat", "unit_price_ttc", "gross_ttc", "discount",
                 "ticket_discount", "amount", "tendered", "change", "ht", "vat", "ttc", "deposits",
                 "balance", "float", "cash_expected", "cash_counted", "cash_variance", "card_recorded",
                 "card_terminal", "card_variance", "deposits_received", "deposits_refunded",
                 "perpetual_total", "perpetual_abs_total", "price_ttc", "redeemed"}
# Columns formatted otherwise than as plain text (a quantity, a rate, a local time): the
# U+2060 rule applies to text columns and to those with no particular format.
FORMATTED_COLUMNS = MONEY_COLUMNS | {"qty", "vat_rate", "local_time", "created_local", "issued_local"}
TEXT_COLUMNS = {"label", "reason", "note", "message", "customer", "email", "address", "what", "operator",
                "sku", "barcode", "late_slip", "reference", "phone", "department", "code", "name", "approved_by",
                "category", "from", "sale", "corrects", "order", "tills"}


def local_time_of(record):
    return LocalTime(record["at"], record["utc_offset_min"])


def ticket_rows(record, number, rows):
    kind, data = record["kind"], record["data"]
    late = data.get("late") or {}
    rows["sales"].append((record["id"], {
        "id": record["id"], "number": number, "kind": kind, "till": record["till"],
        "business_day": record["business_day"], "recorded_at_utc": record["at"],
        "local_time": local_time_of(record), "operator": record["operator"], "total_ttc": data["total_cents"],
        "total_ht": sum(v["ht_cents"] for v in data["vat"]), "total_vat": sum(v["vat_cents"] for v in data["vat"]),
        "lines": str(len(data["lines"])), "corrects": (data.get("corrects") or {}).get("number", ""),
        "reason": data.get("reason", ""), "late_sold_at_utc": late.get("sold_at", ""),
        "late_slip": late.get("slip", ""), "note": data.get("note", ""), "hash": record["_hash"]}))
    for i, line in enumerate(data["lines"]):
        rows["sale_lines"].append(((record["id"], i), {
            "sale_id": record["id"], "number": number, "line": str(i + 1), "label": line["label"],
            "sku": line.get("sku", ""), "barcode": line.get("barcode", ""), "department": line.get("department", ""),
            "qty": Quantity(line["qty_milli"]), "unit_price_ttc": line["unit_price_cents"],
            "vat_rate": Rate(line["vat_rate_bp"]), "gross_ttc": line["gross_cents"],
            "discount": line["discount_cents"], "ticket_discount": line["ticket_discount_cents"],
            "total_ttc": line["total_cents"], "total_ht": line["ht_cents"],
            "of_line": str(line["of_line"] + 1) if "of_line" in line else ""}))
    for i, payment in enumerate(data["payments"]):
        rows["payments"].append(((record["id"], i), {
            "sale_id": record["id"], "number": number, "kind": kind, "method": payment["method"],
            "amount": payment["amount_cents"], "tendered": payment.get("tendered_cents"),
            "change": payment.get("change_cents"), "reference": payment.get("reference", "")}))
    for i, vat in enumerate(data["vat"]):
        rows["sale_vat"].append(((record["id"], i), {
            "sale_id": record["id"], "number": number, "kind": kind, "vat_rate": Rate(vat["rate_bp"]),
            "ht": vat["ht_cents"], "vat": vat["vat_cents"], "ttc": vat["ttc_cents"]}))


def closure_row(record, number):
    data = record["data"]
    totals = data["totals"]
    cash_count, card_check = data.get("cash_count"), data.get("card_check")
    card = next((x["amount_cents"] for x in totals["tenders"] if x["method"] == "card"), 0)
    return (record["id"], {
        "id": record["id"], "number": number, "period": data["period"], "first_day": data["first_day"],
        "last_day": data["last_day"], "automatic": "true" if data["automatic"] else "false",
        "sales": str(totals["sales"]), "refunds": str(totals["refunds"]), "voids": str(totals["voids"]),
        "total_ttc": totals["total_cents"], "float": totals["float_cents"],
        "cash_expected": totals["expected_cash_cents"],
        "cash_counted": cash_count["counted_cents"] if cash_count else None,
        "cash_variance": cash_count["variance_cents"] if cash_count else None,
        "card_recorded": card, "card_terminal": card_check["terminal_total_cents"] if card_check else None,
        "card_variance": card_check["variance_cents"] if card_check else None,
        "deposits_received": totals["deposits_received_cents"],
        "deposits_refunded": totals["deposits_refunded_cents"],
        "perpetual_total": data["perpetual_total_cents"], "perpetual_abs_total": data["perpetual_abs_total_cents"],
        "signature": data["signature"]["value"]})


def expected_rows(lines):
    """The rows the documents let us derive from the records: table -> [(key, {column: value})].
    Columns the documents leave unspecified (an event's message for a day opening, an order
    event's French sentence) are left out, hence not compared."""
    records = [line["record"] | {"_hash": line["hash"]} for line in lines]
    rows = {table: [] for table in TABLE_COLUMNS}
    for record in records:
        kind, data = record["kind"], record["data"]
        number = number_of(record)
        if kind in TICKET_KINDS:
            ticket_rows(record, number, rows)
        elif kind == "closure":
            rows["closures"].append(closure_row(record, number))
        elif kind == "cash_movement":
            rows["cash_movements"].append((record["id"], {
                "id": record["id"], "number": number, "business_day": record["business_day"],
                "recorded_at_utc": record["at"], "operator": record["operator"], "direction": data["direction"],
                "category": data["category"], "amount": data["amount_cents"], "reason": data.get("reason", "")}))
        elif kind == "deposit":
            rows["deposits"].append((record["id"], {
                "id": record["id"], "number": number, "order": data["order"]["number"],
                "business_day": record["business_day"], "recorded_at_utc": record["at"],
                "operator": record["operator"], "amount": data["amount_cents"],
                "methods": "+".join(p["method"] for p in data.get("payments", []))}))
        elif kind in ("event", "day_open"):
            row = {"id": record["id"], "number": number, "recorded_at_utc": record["at"],
                   "local_time": local_time_of(record), "operator": record["operator"]}
            if kind == "event":
                row.update(code=str(data["code"]), name=data["name"], message=data["message"])
            else:
                row.update(code="", name="day_open")  # its message: « the float in the message », form unspecified
            rows["events"].append((record["id"], row))
        elif kind == "order":
            for i, line in enumerate(data.get("lines", [])):
                rows["order_lines"].append(((record["id"], i), {
                    "order": number, "line": str(i + 1), "label": line["label"], "qty": Quantity(line["qty_milli"]),
                    "unit_price_ttc": line["unit_price_cents"], "total_ttc": line["total_cents"]}))
            customer = data.get("customer", {})
            rows["orders"].append((record["id"], {
                "id": record["id"], "number": number, "created_local": local_time_of(record),
                "customer": customer.get("name", ""), "phone": customer.get("phone", ""),
                "email": customer.get("email", ""), "address": customer.get("address", ""),
                "requested_date": data.get("requested_date", ""), "fulfilment": data.get("fulfilment", ""),
                "total_ttc": data["total_cents"], "note": data.get("note", "")}))
        elif kind == "avoir_use":
            if data.get("source") == "avoir":
                rows["avoir_uses"].append(((data["voucher"], record["till"], record["pos"]), {
                    "avoir": data["voucher"], "number": number, "till": record["till"],
                    "local_time": local_time_of(record), "amount": data["amount_cents"],
                    "sale": (data.get("sale") or {}).get("number", "")}))
            else:
                rows["external_vouchers"].append((record["id"], {
                    "number": number, "till": record["till"], "local_time": local_time_of(record),
                    "code": data["voucher"], "amount": data["amount_cents"],
                    "sale": (data.get("sale") or {}).get("number", ""), "approved_by": data.get("approved_by", "")}))
    order_history_rows(records, rows)
    complete_orders(records, rows)
    avoir_rows(records, rows)
    return rows


def order_history_rows(records, rows):
    """order_events.csv holds « each order's full history »: the order, its deposits, its events."""
    history = {}
    for record in records:
        if record["kind"] == "order":
            order = number_of(record)
        elif record["kind"] in ("deposit", "order_event"):
            order = record["data"]["order"]["number"]
        else:
            order = None
        if order:
            history.setdefault(order, []).append(record)
    for order, records_of_order in history.items():
        for record in records_of_order:
            rows["order_events"].append(((order, record["id"]), {
                "order": order, "number": number_of(record), "local_time": local_time_of(record),
                "operator": record["operator"]}))  # "what": a French sentence, form unspecified


def complete_orders(records, rows):
    """An order's row carries what came after it: net deposits, balance, status, the sale."""
    orders = {row["number"]: row for _, row in rows["orders"]}
    for record in records:
        if record["kind"] == "deposit" and record["data"]["order"]["number"] in orders:
            order = orders[record["data"]["order"]["number"]]
            order["deposits"] = order.get("deposits", 0) + record["data"]["amount_cents"]
        if record["kind"] == "order_event" and record["data"]["order"]["number"] in orders:
            order = orders[record["data"]["order"]["number"]]
            order["status"] = record["data"]["status"]
            if record["data"].get("sale"):
                order["sale"] = record["data"]["sale"]["number"]
    for order in orders.values():
        order.setdefault("deposits", 0)
        order.setdefault("status", "open")
        order.setdefault("sale", "")
        order["balance"] = order["total_ttc"] - order["deposits"]


def avoir_rows(records, rows):
    """avoirs.csv: one row per avoir, in number order, with what every till used of it (an
    avoir of another till is known only by its uses)."""
    avoirs = {}
    for record in records:
        if record["kind"] == "avoir":
            data = record["data"]
            avoirs[number_of(record)] = {
                "number": number_of(record), "origin": data["origin"],
                "from": (data.get("from") or {}).get("number", ""), "issued_local": local_time_of(record),
                "amount": data["amount_cents"], "expires": data["expires"], "_uses": []}
    for record in records:
        if record["kind"] == "avoir_use" and record["data"].get("source") == "avoir":
            data = record["data"]
            avoir = avoirs.setdefault(data["voucher"], {
                "number": data["voucher"], "origin": "", "from": "", "issued_local": "",
                "amount": data.get("issued_cents"), "expires": data.get("expires"), "_uses": []})
            avoir["_uses"].append((record["till"], data["amount_cents"]))
    for number in sorted(avoirs):
        avoir = avoirs[number]
        redeemed = sum(amount for _, amount in avoir["_uses"])
        tills = []
        for till, _ in avoir["_uses"]:
            if not tills or tills[-1] != till:
                tills.append(till)
        row = {key: value for key, value in avoir.items() if key != "_uses"}
        row.update(redeemed=redeemed, balance=avoir["amount"] - redeemed, uses=str(len(avoir["_uses"])),
                   tills="+".join(tills), overspent="true" if avoir["amount"] - redeemed < 0 else "false")
        rows["avoirs"].append((number, row))


def render_cell(value, column, excel_fr):
    if isinstance(value, LocalTime):
        return format_local_time(value.at, value.utc_offset_min, excel_fr)
    if isinstance(value, Quantity):
        return format_quantity(value.milli, excel_fr)
    if isinstance(value, Rate):
        return format_rate(value.bp, excel_fr)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and column in MONEY_COLUMNS:
        return format_money(value, excel_fr)
    return str(value)


def check_csv_tables(files, lines, report):
    """Every table in both dialects: its header, its number of rows, and each row in the
    records' order, cell by cell (the first cell that differs is named)."""
    rows_wanted = expected_rows(lines)
    for table, columns in TABLE_COLUMNS.items():
        columns = columns.split(",")
        for excel_fr in (False, True):
            path = f"{'excel-fr' if excel_fr else 'csv'}/{table}.csv"
            if path not in files:
                report.defect(path, "missing table")
                continue
            rows = read_csv_table(files[path], excel_fr, path, report)
            if rows is None:
                continue
            if not rows or rows[0] != columns:
                report.defect(path, f"header {rows[0] if rows else None} != {columns}")
                continue
            body = rows[1:]
            wanted = rows_wanted[table]
            if len(body) != len(wanted):
                report.defect(path, f"{len(body)} rows but the records give {len(wanted)}")
            for i, (_, want) in enumerate(wanted):
                if i >= len(body):
                    break
                row = dict(zip(columns, body[i]))
                if len(body[i]) != len(columns):
                    report.defect(f"{path} row {i + 2}", f"{len(body[i])} cells for {len(columns)} columns")
                    continue
                for column in columns:
                    if column not in want:
                        continue
                    expected = render_cell(want[column], column, excel_fr)
                    if excel_fr and (column in TEXT_COLUMNS or column not in FORMATTED_COLUMNS) and \
                            column not in ("business_day", "id", "hash"):
                        expected = excel_fr_text(table, column, expected)
                    if row[column] != expected:
                        report.defect(f"{path} row {i + 2}", f"{column} is {row[column]!r}, the records give {expected!r}")
                        break
            report.count("CSV tables checked")
