# Part of the independent bundle verifier (see verify.py): written from docs/CHAIN.md,
# docs/EXPORT-FORMAT.md and docs/ARCHIVE.md alone. It must never read Relais's sources.
"""One till's chain in a bundle, record by record: CHAIN.md §6 (steps 1 to 9: positions,
envelope, links, hashes, numbers, signatures), §6.1 (what the records say: tickets, closures,
perpetual totals, the avoirs' liability) and §6.2 (a bundle that starts mid-chain)."""
import hashlib
import re
import uuid

from shared import (DATE, FORBIDDEN_CHARACTERS, HEX128, RECORD_ENVELOPE, SERIES_OF_KIND, TICKET_KINDS,
                    UTC_INSTANT, UUID, all_texts, canonical_json, ed25519_verifies, has_no_floats, where_of)
from tickets import TicketChecks
from totals import Totals, check_in_i64_range, first_difference

# CHAIN.md §1: a paper slip keyed in later gets the UUIDv5 of « TILL|BUSINESS_DAY|SLIP » in
# this namespace, so that the same slip keyed in twice gets the same id.
PAPER_SLIP_NAMESPACE = uuid.UUID("6f1e2b1c-9a7d-4c1e-8f3a-52c0d1e4a7b9")


class OpenDay:
    """The business day being accumulated until its closure."""

    def __init__(self, date, first_pos):
        self.date, self.first_pos = date, first_pos
        self.totals = Totals()
        # Tickets of earlier days recorded while this day is open (paper slips):
        # business day -> [tickets, total, absolute total]
        self.earlier = {}


class ChainAudit:
    def __init__(self, till, public_key, from_pos, from_prev_hash, first_seq, report, file_name="records.jsonl"):
        self.till, self.public_key, self.report, self.file_name = till, public_key, report, file_name
        self.first_pos = from_pos
        self.expected_pos = from_pos
        self.prev_hash = from_prev_hash
        self.hash_before_prev = None
        self.last_was_clock_backwards = False
        self.manifest_first_seq = first_seq
        self.last_seq = {}  # series -> last number seen
        # After an integrity defect event, each series may skip that many numbers once
        # (CHAIN.md 5.2: numbers of lost records are never issued again).
        self.skipped_numbers_allowed = None
        self.series_past_skip = set()
        self.setup_key = None
        self.lines = []  # every line of this till, for the totals and CSV checks
        self.records_by_id = {}
        self.open_day = None
        self.day_opened_in_bundle = False
        # Checks that need the chain from its start are skipped mid-chain (CHAIN.md 6.2).
        starts_at_one = from_pos == 1
        self.perpetual = (0, 0) if starts_at_one else None  # (total, absolute total)
        self.months_checkable = starts_at_one
        self.day_closures = []  # (pos, closure data)
        self.liability = Liability() if starts_at_one else None
        self.previous_outstanding = None
        self.avoirs_seen = False
        self.tickets = TicketChecks(report, starts_at_one)
        self.used_per_voucher = {}  # avoir number -> cents used at this till so far

    def feed(self, line_no, line):
        report = self.report
        record = line["record"]
        where = where_of(record, self.file_name, line_no)
        pos = line["pos"]
        # step 1: positions follow each other
        if pos != self.expected_pos or record.get("pos") != pos:
            report.defect(where, f"missing position: expected {self.expected_pos}, got {pos} (record pos {record.get('pos')})")
        self.expected_pos = pos + 1
        # step 2: a readable envelope, exactly its members
        missing = RECORD_ENVELOPE - set(record)
        extra = set(record) - RECORD_ENVELOPE
        if record.get("v") != 1 or missing or extra:
            report.defect(where, f"unreadable: v={record.get('v')} missing={sorted(missing)} extra={sorted(extra)}")
        if record.get("kind") not in SERIES_OF_KIND:
            report.defect(where, f"unreadable: unknown kind {record.get('kind')}")
            return
        self._check_envelope(record, where)
        # step 3: the hash is over the canonical bytes (the line's own canonical form is
        # checked by the caller)
        body = canonical_json(record)
        # step 4: the link
        if line["prev_hash"] != self.prev_hash:
            report.defect(where, f"broken link: prev_hash {line['prev_hash']} but previous hash is {self.prev_hash}")
        # step 5: the hash
        hash_ = hashlib.sha256(bytes.fromhex(self.prev_hash) + body).hexdigest()
        if line["hash"] != hash_:
            report.defect(where, f"hash mismatch: hash should be {hash_} but is {line['hash']}")
        report.count("records hashed")
        # step 6: the line's till repeats the record's
        if line["till"] != record["till"]:
            report.defect(where, "column mismatch: line till differs from record till")
        # step 7
        if record["till"] != self.till:
            report.defect(where, f"wrong till {record['till']} (expected {self.till})")
        # step 8
        self._check_number(record, where)
        self._check_setup_key(record, where)
        # step 9
        if record["kind"] == "closure":
            signature = record["data"].get("signature") or {}
            key = self.setup_key or self.public_key
            signed = dict(record["data"])
            signed.pop("signature", None)
            if signature.get("algorithm") != "ed25519" or signature.get("key") != key or \
                    not HEX128.match(str(signature.get("value"))) or \
                    not ed25519_verifies(key, signature["value"], canonical_json(signed)):
                report.defect(where, "bad signature")
            else:
                report.count("closure signatures")
        self._check_bounds_and_codes(record, where)
        self._check_what_records_say(record, where)
        self.hash_before_prev, self.prev_hash = self.prev_hash, line["hash"]
        self.last_was_clock_backwards = record["kind"] == "event" and record["data"].get("name") == "clock_backwards"
        self.lines.append(line)

    def _check_envelope(self, record, where):
        report = self.report
        if not has_no_floats(record):
            report.defect(where, "floating-point number in the record")
        if not UUID.match(str(record.get("id"))):
            report.defect(where, f"id {record.get('id')} is not a lower-case hyphenated UUID")
        if not UTC_INSTANT.match(str(record.get("at"))):
            report.defect(where, f"at {record.get('at')} not YYYY-MM-DDTHH:MM:SS.mmmZ")
        if not DATE.match(str(record.get("business_day"))):
            report.defect(where, f"business_day {record.get('business_day')} not YYYY-MM-DD")
        if not re.match(r"^[A-Z0-9]{1,8}$", str(record.get("till"))):
            report.defect(where, f"till code {record.get('till')} invalid")
        if record.get("training") is not False:
            report.defect(where, "training record in a bundle (a training till never exports)")
        for text in all_texts(record):
            if FORBIDDEN_CHARACTERS.search(text):
                report.defect(where, f"text holds a forbidden control/bidi character: {text!r}")
                break
        if record["id"] in self.records_by_id:
            report.defect(where, f"id {record['id']} not unique")
        self.records_by_id[record["id"]] = record

    def _check_number(self, record, where):
        """Each series numbers 1, 2, 3… without gaps, but for the one skip an integrity defect
        allows; a bundle's first number of a series is the manifest's first_seq."""
        report = self.report
        series = SERIES_OF_KIND[record["kind"]]
        if record["kind"] == "event" and record["data"].get("name") == "integrity_defect":
            self.skipped_numbers_allowed = record["data"].get("details", {}).get("skipped_numbers", 0)
            self.series_past_skip = set()
        seq = record.get("seq")
        if series not in self.last_seq:
            if self.first_pos == 1 and seq != 1:
                report.defect(where, f"sequence gap: first {series} seq is {seq}, expected 1")
            if self.manifest_first_seq.get(series) != seq:
                report.defect(where, f"manifest first_seq.{series} is {self.manifest_first_seq.get(series)}, "
                                     f"but the first record has seq {seq}")
        else:
            lowest = self.last_seq[series] + 1
            highest = lowest
            if self.skipped_numbers_allowed is not None and series not in self.series_past_skip:
                highest = lowest + self.skipped_numbers_allowed
            if not lowest <= seq <= highest:
                report.defect(where, f"sequence gap: {series} seq {seq}, expected {lowest}"
                                     + (f"..{highest}" if highest > lowest else ""))
        if self.skipped_numbers_allowed is not None:
            self.series_past_skip.add(series)
        self.last_seq[series] = seq

    def _check_setup_key(self, record, where):
        """Position 1 is the set-up event naming the till's key, the one the manifest gives."""
        report = self.report
        if record["kind"] == "event" and record["data"].get("name") == "till_initialised":
            key = record["data"].get("details", {}).get("public_key")
            if record["pos"] != 1:
                report.defect(where, "till_initialised is not at position 1")
            self.setup_key = key
            if key != self.public_key:
                report.defect(where, f"set-up public_key {key} differs from the manifest's {self.public_key}")
        elif record["pos"] == 1:
            report.defect(where, "first record is not the set-up event till_initialised")

    def _check_bounds_and_codes(self, record, where):
        """CHAIN.md 4.1 « Bounds », paper slips' ids, avoir codes and avoir uses (4.8)."""
        report, kind, data = self.report, record["kind"], record["data"]
        if kind not in ("closure", "event"):
            def walk(value, path):
                if isinstance(value, dict):
                    for key, member in value.items():
                        if key.endswith("_cents") and isinstance(member, int) and abs(member) > 100_000_000:
                            report.defect(where, f"bound: {path}.{key} = {member}")
                        if key == "qty_milli" and isinstance(member, int) and abs(member) > 99_999_999:
                            report.defect(where, f"bound: qty_milli {member}")
                        walk(member, f"{path}.{key}")
                elif isinstance(value, list):
                    for index, member in enumerate(value):
                        walk(member, f"{path}[{index}]")
            walk(data, "data")
        if record["pos"] >= 1_000_000_000:
            report.defect(where, "bound: pos")
        if kind in TICKET_KINDS:
            if sum(abs(line["gross_cents"]) for line in data["lines"]) > 100_000_000:
                report.defect(where, "bound: Σ|gross|")
            if sum(p.get("tendered_cents", p["amount_cents"]) for p in data["payments"]) > 100_000_000:
                report.defect(where, "bound: Σ payments")
            self._check_paper_slip(record, where)
        if kind == "avoir":
            self._check_avoir(record, where)
        if kind == "avoir_use":
            if not data.get("amount_cents", 0) > 0:
                report.defect(where, "avoir_use amount not positive")
            if data.get("source") == "avoir":
                used = self.used_per_voucher.get(data["voucher"], 0) + data["amount_cents"]
                self.used_per_voucher[data["voucher"]] = used
                # Only a chain from its start has seen every earlier use at this till.
                if self.first_pos == 1 and data.get("balance_cents") != data.get("issued_cents", 0) - used:
                    report.defect(where, f"balance_cents {data.get('balance_cents')} != issued − this till's uses "
                                         f"{data.get('issued_cents', 0) - used}")

    def _check_paper_slip(self, record, where):
        report, late = self.report, record["data"].get("late")
        if late is None:
            return
        if not UTC_INSTANT.match(str(late.get("sold_at"))) or not 1 <= len(str(late.get("slip", ""))) <= 40:
            report.defect(where, "late.sold_at/slip malformed")
        want = str(uuid.uuid5(PAPER_SLIP_NAMESPACE, f"{record['till']}|{record['business_day']}|{late.get('slip')}"))
        # A slip keyed in as a duplicate on purpose gets another UUID version: only a v5 id
        # must be the documented one.
        if record["id"][14] == "5" and record["id"] != want:
            report.defect(where, f"paper-slip UUIDv5 is {record['id']}, the docs' rule gives {want}")
        else:
            report.count("paper-slip UUIDv5 recomputed" if record["id"] == want else "paper-slip ids (not v5)")

    def _check_avoir(self, record, where):
        """The avoir code (CHAIN.md 4.8, « The avoir code »): its fields repeat the record, and
        its signature verifies with the till's key, so that another till can accept it offline."""
        report, data = self.report, record["data"]
        code = str(data.get("code", ""))
        parts = code.split("-")
        want = f"AV1-{record['till']}-V{record['seq']:06d}-{data.get('amount_cents')}-" \
               f"{str(data.get('expires', '')).replace('-', '')}"
        if len(parts) != 6 or "-".join(parts[:5]) != want or not re.match(r"^[0-9A-F]{128}$", parts[5]):
            report.defect(where, f"avoir code {code[:40]}... is not {want}-<128 upper-case hex>")
        elif not ed25519_verifies(self.setup_key or self.public_key, parts[5].lower(), want.encode("ascii")):
            report.defect(where, "avoir code signature does not verify with the till's key")
        else:
            report.count("avoir codes verified")
        if data.get("origin") == "gift":
            if sum(p["amount_cents"] for p in data.get("payments", [])) != data.get("amount_cents") or \
                    any(p["method"] in ("store_credit", "voucher", "deposit") for p in data.get("payments", [])):
                report.defect(where, "gift voucher payments do not add up / forbidden method")
        elif "payments" in data:
            report.defect(where, "payments on a non-gift avoir")
        if not data.get("amount_cents", 0) > 0:
            report.defect(where, "avoir amount not positive")

    # ---- CHAIN.md 6.1: what the records say
    def _check_what_records_say(self, record, where):
        report, kind, data = self.report, record["kind"], record["data"]
        if kind in TICKET_KINDS:
            self.tickets.check(record, where)
        if kind == "closure":
            self._check_closure(record, where)
            return
        if kind == "day_open" and self.open_day is None:
            self.open_day = OpenDay(record["business_day"], record["pos"])
            self.day_opened_in_bundle = True
        # A day opened before the bundle starts is not accumulated (CHAIN.md 6.2).
        if self.open_day is not None:
            if record["business_day"] == self.open_day.date:
                self.open_day.totals.add_record(record)
            elif kind in TICKET_KINDS and record["business_day"] < self.open_day.date and \
                    record["pos"] > self.open_day.first_pos:
                entry = self.open_day.earlier.setdefault(record["business_day"], [0, 0, 0])
                entry[0] += 1
                entry[1] += data["total_cents"]
                entry[2] += abs(data["total_cents"])
        if self.liability is not None:
            self.liability.feed(record)

    def _check_closure(self, record, where):
        report, data = self.report, record["data"]
        pos = record["pos"]
        covers = data.get("covers") or {}
        # A closure covers the record just before it, or the one before a clock_backwards
        # event written just before it; a bundle may start with a closure covering pos − 2.
        if covers.get("last_pos") == pos - 1:
            if covers.get("last_hash") != self.prev_hash:
                report.defect(where, "covers mismatch")
        elif covers.get("last_pos") == pos - 2 and self.last_was_clock_backwards:
            if self.hash_before_prev is not None and covers.get("last_hash") != self.hash_before_prev:
                report.defect(where, "covers mismatch")
        elif not (pos == self.first_pos and covers.get("last_pos") == pos - 2):
            report.defect(where, f"covers elsewhere: covers.last_pos {covers.get('last_pos')}")
        totals = data.get("totals", {})
        cash_count = data.get("cash_count")
        if cash_count is not None:
            counted = sum(x["value_cents"] * x["count"] for x in cash_count.get("denominations", []))
            if cash_count.get("counted_cents") != counted or \
                    cash_count.get("variance_cents") != counted - totals.get("expected_cash_cents"):
                report.defect(where, "cash_count does not add up")
        card_check = data.get("card_check")
        if card_check is not None:
            card = next((x["amount_cents"] for x in totals.get("tenders", []) if x["method"] == "card"), 0)
            if card_check.get("variance_cents") != card_check.get("terminal_total_cents", 0) - card:
                report.defect(where, "card_check variance does not add up")
        check_in_i64_range(totals, where, report)
        if data.get("period") == "day":
            self._close_day(record, where)
        elif data.get("period") in ("month", "year"):
            self._close_period(record, where)
        else:
            report.defect(where, f"unknown period {data.get('period')}")

    def _close_day(self, record, where):
        report, data = self.report, record["data"]
        totals = data.get("totals", {})
        if self.open_day is None:
            if self.day_opened_in_bundle or self.first_pos == 1:
                report.defect(where, "day not open")
            else:
                report.note(f"{where}: day opened before the bundle starts: totals not checked (6.2)")
        else:
            day = self.open_day.date
            if data.get("first_day") != day or data.get("last_day") != day or record["business_day"] != day:
                report.defect(where, f"dates {data.get('first_day')}/{data.get('last_day')}/{record['business_day']} "
                                     f"but the day is {day}")
            difference = first_difference(totals, self.open_day.totals.as_object())
            if difference:
                report.defect(where, difference.replace("the records give", "the day's records give"))
            else:
                report.count("day closure totals")
            earlier_days = [{"abs_total_cents": e[2], "business_day": business_day, "tickets": e[0],
                             "total_cents": e[1]}
                            for business_day, e in sorted(self.open_day.earlier.items())]
            if data.get("earlier_days") != earlier_days:
                report.defect(where, f"earlier_days {data.get('earlier_days')} but the records give {earlier_days}")
        self._check_perpetual(data, where)
        self._check_avoirs_liability(data, where)
        self.day_closures.append((record["pos"], data))
        self.open_day = None
        self.day_opened_in_bundle = True

    def _check_perpetual(self, data, where):
        """CHAIN.md 6.1 step 14: the grand totals carry on from the previous day closure."""
        report = self.report
        totals = data.get("totals", {})
        earlier_days = data.get("earlier_days") or []
        if self.perpetual is not None:
            total, abs_total = self.perpetual
            want_total = total + sum(e["total_cents"] for e in earlier_days) + totals.get("total_cents", 0)
            want_abs = abs_total + sum(e["abs_total_cents"] for e in earlier_days) + totals.get("abs_total_cents", 0)
            if data.get("perpetual_total_cents") != want_total:
                report.defect(where, f"perpetual mismatch: perpetual_total_cents {data.get('perpetual_total_cents')}, "
                                     f"expected {want_total}")
            if data.get("perpetual_abs_total_cents") != want_abs:
                report.defect(where, f"perpetual mismatch: perpetual_abs_total_cents "
                                     f"{data.get('perpetual_abs_total_cents')}, expected {want_abs}")
        # Mid-chain, the first closure's figures are taken as given and the next ones checked.
        self.perpetual = (data.get("perpetual_total_cents"), data.get("perpetual_abs_total_cents"))

    def _check_avoirs_liability(self, data, where):
        """CHAIN.md 6.1 step 15: a day closure's avoirs add up, and, from the chain's start,
        equal what this till's avoirs and their uses give."""
        report = self.report
        avoirs = data.get("avoirs")
        if avoirs is not None:
            if avoirs.get("outstanding_cents") != avoirs.get("opening_cents", 0) + avoirs.get("issued_cents", 0) + \
                    avoirs.get("sold_cents", 0) - avoirs.get("redeemed_cents", 0) - avoirs.get("expired_cents", 0):
                report.defect(where, "avoirs do not add up")
            if all(avoirs.get(x, 0) == 0 for x in Liability.FIGURES):
                report.defect(where, "avoirs present although all six figures are 0")
        if self.liability is not None:
            figures = self.liability.close(data.get("last_day"))
            if avoirs is None:
                if self.avoirs_seen and any(figures.values()):
                    report.defect(where, f"avoirs is null, but the till's avoirs give {figures}")
            else:
                for figure in Liability.FIGURES:
                    if avoirs.get(figure) != figures[figure]:
                        report.defect(where, f"avoirs.{figure} is {avoirs.get(figure)}, "
                                             f"but the till's avoirs give {figures[figure]}")
                        break
        else:
            # Mid-chain the liability cannot be recomputed, but each closure still opens with
            # the previous one's outstanding.
            if avoirs is not None and self.previous_outstanding is not None and \
                    avoirs.get("opening_cents") != self.previous_outstanding:
                report.defect(where, "avoirs.opening_cents is not the previous closure's outstanding")
            self.previous_outstanding = avoirs.get("outstanding_cents") if avoirs else 0
        if avoirs is not None:
            self.avoirs_seen = True

    def _close_period(self, record, where):
        """A month or year closure adds up the day closures of its period (CHAIN.md 6.1 step 13)."""
        report, data = self.report, record["data"]
        if self.perpetual is not None:
            found = (data.get("perpetual_total_cents"), data.get("perpetual_abs_total_cents"))
            if found != self.perpetual:
                report.defect(where, f"perpetual mismatch: month/year perpetual totals {found} "
                                     f"!= last day closure's {self.perpetual}")
        if data.get("earlier_days") != []:
            report.defect(where, "earlier_days of a month/year closure not empty")
        if data.get("cash_count") is not None or data.get("card_check") is not None:
            report.defect(where, "month/year closure with a cash count or card check")
        if not self.months_checkable:
            report.note(f"{where}: bundle starts mid-chain: month/year totals not checked (6.2)")
            return
        prefix_length = 7 if data.get("period") == "month" else 4
        period = (data.get("first_day") or "")[:prefix_length]
        days = [d for _, d in self.day_closures if (d.get("first_day") or "").startswith(period)]
        if not days:
            report.defect(where, "no day closed")
            return
        if data.get("first_day") != days[0]["first_day"] or data.get("last_day") != days[-1]["last_day"] or \
                record["business_day"] != days[-1]["last_day"]:
            report.defect(where, f"first_day/last_day/business_day {data.get('first_day')}/{data.get('last_day')}/"
                                 f"{record['business_day']} but its days give "
                                 f"{days[0]['first_day']}/{days[-1]['last_day']}")
        totals = Totals()
        for day in days:
            totals.add_closure_totals(day["totals"])
        difference = first_difference(data.get("totals", {}), totals.as_object())
        if difference:
            report.defect(where, difference.replace("the records give", "its day closures give"))
        else:
            report.count("month/year closure totals")

    def check_end(self, manifest_till):
        """EXPORT-FORMAT.md « Verifying a bundle » step 5: the chain ends where the manifest says."""
        report = self.report
        where = f"manifest tills[{self.till}]"
        if self.expected_pos - 1 != manifest_till["to_pos"]:
            report.defect(where, f"chain ends at {self.expected_pos - 1}, manifest to_pos {manifest_till['to_pos']}")
        if self.prev_hash != manifest_till["head_hash"]:
            report.defect(where, f"head_hash {manifest_till['head_hash']} but chain ends with {self.prev_hash}")
        if manifest_till["records"] != manifest_till["to_pos"] - manifest_till["from_pos"] + 1 or \
                manifest_till["records"] != len(self.lines):
            report.defect(where, f"records {manifest_till['records']} but {len(self.lines)} in records.jsonl")
        first_seq, last_seq = manifest_till["first_seq"], manifest_till["last_seq"]
        if set(first_seq) != set(last_seq) or set(last_seq) != set(self.last_seq):
            report.defect(where, f"first_seq/last_seq series {sorted(first_seq)}/{sorted(last_seq)} "
                                 f"but records have {sorted(self.last_seq)}")
        for series, seq in self.last_seq.items():
            if last_seq.get(series) != seq:
                report.defect(where, f"last_seq.{series} is {last_seq.get(series)}, but the last record has {seq}")


class Liability:
    """The avoirs' liability of one till (CHAIN.md 4.3, « The avoirs' liability »), carried from
    day closure to day closure."""
    FIGURES = ["opening_cents", "issued_cents", "sold_cents", "redeemed_cents", "expired_cents",
               "outstanding_cents"]

    def __init__(self):
        self.outstanding = {}  # avoir number -> [cents left, expires]
        self.opening = self.issued = self.sold = self.redeemed = 0

    def feed(self, record):
        data = record["data"]
        if record["kind"] == "avoir":
            if data.get("origin") == "gift":
                self.sold += data["amount_cents"]
            else:
                self.issued += data["amount_cents"]
            if data["amount_cents"] > 0:
                self.outstanding[f"{record['till']}-V{record['seq']:06d}"] = [data["amount_cents"], data.get("expires")]
        elif record["kind"] == "avoir_use" and data.get("source") == "avoir" and data.get("voucher") in self.outstanding:
            # Only this till's own avoirs count, and an avoir overspent across tills counts
            # down to 0, not below.
            entry = self.outstanding[data["voucher"]]
            spent = max(0, min(data["amount_cents"], entry[0]))
            entry[0] -= spent
            self.redeemed += spent
            if entry[0] == 0:
                del self.outstanding[data["voucher"]]

    def close(self, day):
        """The six figures at a day closure of `day`; avoirs whose expiry date is before it expire."""
        expired = 0
        for number in list(self.outstanding):
            if self.outstanding[number][1] < day:
                expired += self.outstanding[number][0]
                del self.outstanding[number]
        outstanding = sum(e[0] for e in self.outstanding.values())
        figures = {"opening_cents": self.opening, "issued_cents": self.issued, "sold_cents": self.sold,
                   "redeemed_cents": self.redeemed, "expired_cents": expired, "outstanding_cents": outstanding}
        self.opening, self.issued, self.sold, self.redeemed = outstanding, 0, 0, 0
        return figures
