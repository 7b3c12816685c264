# Part of the independent bundle verifier (see verify.py): written from docs/CHAIN.md,
# docs/EXPORT-FORMAT.md and docs/ARCHIVE.md alone. It must never read Relais's sources: it
# exists to prove that those documents are enough to check a bundle.
"""What every part of the verifier shares: the documents' constants, the defect report, the
canonical JSON form, integer rounding and Ed25519."""
import json
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# The hash a chain starts from (CHAIN.md: prev_hash of position 1).
ZERO_HASH = "0" * 64

# Each record kind numbers in one series (CHAIN.md §1); a series' letter comes
# after the till code in a number (T1-000001 a ticket, T1-Z000001 a closure...).
SERIES_OF_KIND = {"sale": "ticket", "refund": "ticket", "void": "ticket", "receipt_copy": "copy",
                  "closure": "closure", "event": "event", "day_open": "event", "order_event": "event",
                  "cash_movement": "movement", "order": "order", "deposit": "deposit", "avoir": "avoir",
                  "avoir_use": "avoir_use"}
SERIES_LETTER = {"ticket": "", "copy": "D", "closure": "Z", "event": "E", "movement": "M", "order": "C",
                 "deposit": "A", "avoir": "V", "avoir_use": "U"}
# The documented order of tender lists in totals; a method the docs do not name goes after.
TENDER_METHODS = ["cash", "card", "cheque", "voucher", "store_credit", "other", "deposit"]
TICKET_KINDS = ("sale", "refund", "void")
MANIFEST_MEMBERS = {"format", "format_version", "software_version", "scope", "shop", "tills",
                    "first_business_day", "last_business_day", "outage", "counts", "totals",
                    "files", "sources", "signature"}
MANIFEST_TILL_MEMBERS = {"till", "public_key", "from_pos", "to_pos", "from_prev_hash", "head_hash",
                         "first_seq", "last_seq", "records"}
RECORD_ENVELOPE = {"v", "id", "till", "pos", "seq", "at", "tz", "utc_offset_min", "business_day",
                   "operator", "training", "kind", "data"}
HEX64 = re.compile(r"^[0-9a-f]{64}$")
HEX128 = re.compile(r"^[0-9a-f]{128}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
UTC_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
# Control characters and bidirectional overrides (CHAIN.md §4.1, « Text »): they drive
# terminals and printers or make a label read otherwise than it is.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Amounts are signed 64-bit integers.
I64_LIMIT = 2 ** 63


class Report:
    """Every defect found (not only the first, so one run tells an auditor everything), notes
    on what the docs left unchecked, and how many of each thing were checked."""

    def __init__(self):
        self.defects, self.notes, self.checked = [], [], {}

    def defect(self, where, message):
        self.defects.append(f"{where}: {message}")

    def note(self, message):
        self.notes.append(message)

    def count(self, what, n=1):
        self.checked[what] = self.checked.get(what, 0) + n


def canonical_json(value):
    """The documents' canonical form: sorted keys, no spaces, UTF-8 unescaped."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def has_no_floats(value):
    """Records hold integers only (amounts in cents, quantities in thousandths)."""
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(has_no_floats(v) for v in value.values())
    if isinstance(value, list):
        return all(has_no_floats(v) for v in value)
    return True


def all_texts(value):
    """Every string of a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, member in value.items():
            yield key
            yield from all_texts(member)
    elif isinstance(value, list):
        for member in value:
            yield from all_texts(member)


def round_half_away(numerator, denominator):
    """round(numerator / denominator), halves away from zero, in integers only: the docs'
    rounding, which floating point would get wrong on large amounts."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def ed25519_verifies(key_hex, signature_hex, message):
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(bytes.fromhex(signature_hex), message)
        return True
    except (InvalidSignature, ValueError):
        return False


def number_of(record):
    """The record's number as the docs print it: till, series letter, six digits."""
    series = SERIES_OF_KIND.get(record.get("kind"), "?")
    return f"{record.get('till')}-{SERIES_LETTER.get(series, '?')}{record.get('seq', 0):06d}"


def where_of(record, file_name="records.jsonl", line=None):
    """Names a record in a defect as a person looks for it: file, line, number, kind, position."""
    place = f"{file_name}" + (f" line {line}" if line else "")
    return f"{place} {number_of(record)} ({record.get('kind')}, position {record.get('pos')})"
