# Part of the independent bundle verifier (see verify.py): written from docs/CHAIN.md,
# docs/EXPORT-FORMAT.md and docs/ARCHIVE.md alone. It must never read Relais's sources.
"""An archive of a closed month or fiscal year (ARCHIVE.md §2): every record belongs to the
period, and closures.jsonl holds the signed month and year closures that cover it."""
import hashlib
import json

from shared import TICKET_KINDS, canonical_json, ed25519_verifies, number_of, where_of
from totals import Totals, first_difference


def check_archive(manifest, files, lines, report):
    archive = manifest.get("archive") or {}
    if set(archive) != {"period", "name", "closures"}:
        report.defect("manifest.json", f"archive members {sorted(archive)}")
    period, name = archive.get("period"), str(archive.get("name"))
    if not ((period == "month" and len(name) == 7) or (period == "year" and len(name) == 4)):
        report.defect("manifest.json", f"archive period {period} name {name}")
    # ISO dates compare as text (ARCHIVE.md §2), so « -31 » bounds a month of 30 days too.
    first = name + "-01" if period == "month" else name + "-01-01"
    last = name + "-31" if period == "month" else name + "-12-31"

    def in_period(day):
        return day is not None and first <= day <= last

    day_closures = []
    for line in lines:
        record, data = line["record"], line["record"]["data"]
        where = where_of(record, "records.jsonl")
        if record["kind"] in TICKET_KINDS:
            # A paper slip of an earlier period keyed in during this one belongs here.
            if not (in_period(record["business_day"]) or (record["business_day"] < first and "late" in data)):
                report.defect(where, f"is of {record['business_day']}, outside the archived period {name}")
        elif record["kind"] == "day_open" and not in_period(record["business_day"]):
            report.defect(where, f"is of {record['business_day']}, outside the archived period {name}")
        elif record["kind"] == "closure" and data.get("period") == "day":
            if not in_period(data.get("first_day")):
                report.defect(where, f"day closure of {data.get('first_day')}, outside the archived period")
            day_closures.append(data)
    if not day_closures:
        report.defect("records.jsonl", "no day closure of the period")
    till = manifest["tills"][0]
    raw = files.get("closures.jsonl")
    if raw is None:
        report.defect("closures.jsonl", "missing")
        return
    numbers = []
    closure_lines = raw.split(b"\n")
    if closure_lines and closure_lines[-1] == b"":
        closure_lines = closure_lines[:-1]
    else:
        report.defect("closures.jsonl", "does not end with a newline")
    for line_no, raw_line in enumerate(closure_lines, 1):
        where = f"closures.jsonl line {line_no}"
        line = json.loads(raw_line)
        if canonical_json(line) != raw_line:
            report.defect(where, "not canonical")
        record = line["record"]
        # The period's closures are sealed after the range (ARCHIVE.md §1.1): each line is
        # checked by its own hash and signature, not linked to records.jsonl.
        if hashlib.sha256(bytes.fromhex(line["prev_hash"]) + canonical_json(record)).hexdigest() != line["hash"]:
            report.defect(where, "hash mismatch")
        if line["pos"] != record.get("pos") or line["till"] != record.get("till") or record.get("till") != till["till"]:
            report.defect(where, "pos/till mismatch")
        data = record["data"]
        if record.get("kind") != "closure" or data.get("period") not in ("month", "year"):
            report.defect(where, "not a month or year closure")
        signature = data.get("signature") or {}
        signed = dict(data)
        signed.pop("signature", None)
        if signature.get("key") != till["public_key"] or \
                not ed25519_verifies(till["public_key"], signature.get("value", ""), canonical_json(signed)):
            report.defect(where, "bad signature")
        if not in_period(data.get("first_day")):
            report.defect(where, f"first_day {data.get('first_day')} not in the period")
        if (data.get("covers") or {}).get("last_pos", 0) < till["to_pos"]:
            report.defect(where, "covers.last_pos before the range's to_pos")
        prefix = data.get("first_day", "")[:7 if data.get("period") == "month" else 4]
        totals = Totals()
        for day in day_closures:
            if day["first_day"].startswith(prefix):
                totals.add_closure_totals(day["totals"])
        difference = first_difference(data.get("totals", {}), totals.as_object())
        if difference:
            report.defect(where, difference)
        numbers.append(number_of(record))
    if numbers != archive.get("closures"):
        report.defect("closures.jsonl", f"closures {numbers} but manifest archive.closures {archive.get('closures')}")
    if closure_lines:
        last_closure = json.loads(closure_lines[-1])["record"]["data"]
        if last_closure.get("period") != period or not last_closure.get("first_day", "").startswith(name):
            report.defect("closures.jsonl", "last closure is not the period's own closure")
