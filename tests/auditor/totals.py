# Part of the independent bundle verifier (see verify.py): written from docs/CHAIN.md,
# docs/EXPORT-FORMAT.md and docs/ARCHIVE.md alone. It must never read Relais's sources.
"""The `totals` object (EXPORT-FORMAT.md, « The `totals` object »), recomputed from records
(a day, a bundle) or from day closures (a month, a year)."""
import json

from shared import I64_LIMIT, TENDER_METHODS, TICKET_KINDS, number_of


class Totals:
    def __init__(self):
        self.sales_count = self.refunds_count = self.voids_count = 0
        self.sales_cents = self.refunds_cents = self.voids_cents = 0
        self.abs_cents = self.discounts_cents = 0
        self.vat_by_rate = {}  # rate_bp -> [ht, vat, ttc]
        # method -> [count, cents]
        self.tenders, self.deposit_tenders, self.voucher_tenders = {}, {}, {}
        self.cheques = []
        self.float_cents = self.cash_in_cents = self.cash_out_cents = 0
        self.deposits_received_cents = self.deposits_refunded_cents = 0
        self.late_count = self.late_cents = 0
        self.avoirs_issued_cents = self.vouchers_sold_cents = 0
        self.avoirs_redeemed_cents = self.external_vouchers_cents = 0
        self.drawer_openings = 0

    @staticmethod
    def _count_tenders(by_method, payments):
        for payment in payments:
            entry = by_method.setdefault(payment.get("method"), [0, 0])
            entry[0] += 1
            entry[1] += payment.get("amount_cents", 0)

    def add_record(self, record):
        kind, data = record["kind"], record["data"]
        if kind in TICKET_KINDS:
            total = data.get("total_cents", 0)
            if kind == "sale":
                self.sales_count += 1
                self.sales_cents += total
                for line in data.get("lines", []):
                    self.discounts_cents += line.get("discount_cents", 0) + line.get("ticket_discount_cents", 0)
            elif kind == "refund":
                self.refunds_count += 1
                self.refunds_cents += total
            else:
                self.voids_count += 1
                self.voids_cents += total
            self.abs_cents += abs(total)
            for vat in data.get("vat", []):
                entry = self.vat_by_rate.setdefault(vat["rate_bp"], [0, 0, 0])
                entry[0] += vat["ht_cents"]
                entry[1] += vat["vat_cents"]
                entry[2] += vat["ttc_cents"]
            self._count_tenders(self.tenders, data.get("payments", []))
            for payment in data.get("payments", []):
                if payment.get("method") == "cheque":
                    self.cheques.append({"amount_cents": payment["amount_cents"],
                                         "number": payment.get("reference"), "ticket": number_of(record)})
            if "late" in data:
                self.late_count += 1
                self.late_cents += total
        elif kind == "day_open":
            self.float_cents += data.get("float_cents", 0)
        elif kind == "cash_movement":
            if data.get("direction") == "in":
                self.cash_in_cents += data["amount_cents"]
            elif data.get("direction") == "out":
                self.cash_out_cents += data["amount_cents"]
        elif kind == "deposit":
            amount = data.get("amount_cents", 0)
            # A refunded deposit is a negative deposit record.
            if amount >= 0:
                self.deposits_received_cents += amount
            else:
                self.deposits_refunded_cents += amount
            self._count_tenders(self.deposit_tenders, data.get("payments", []))
        elif kind == "avoir":
            if data.get("origin") == "gift":
                self.vouchers_sold_cents += data.get("amount_cents", 0)
                self._count_tenders(self.voucher_tenders, data.get("payments", []))
            elif data.get("origin") in ("return", "deposit"):
                self.avoirs_issued_cents += data.get("amount_cents", 0)
        elif kind == "avoir_use":
            if data.get("source") == "avoir":
                self.avoirs_redeemed_cents += data.get("amount_cents", 0)
            elif data.get("source") == "external":
                self.external_vouchers_cents += data.get("amount_cents", 0)
        elif kind == "event" and data.get("name") == "drawer_opened":
            self.drawer_openings += 1

    def add_closure_totals(self, totals):
        """Adds a day closure's totals: a month or year adds up its days (CHAIN.md 6.1 step 13)."""
        self.sales_count += totals["sales"]
        self.refunds_count += totals["refunds"]
        self.voids_count += totals["voids"]
        self.sales_cents += totals["sales_cents"]
        self.refunds_cents += totals["refunds_cents"]
        self.voids_cents += totals["voids_cents"]
        self.abs_cents += totals["abs_total_cents"]
        self.discounts_cents += totals["discounts_cents"]
        for vat in totals["vat"]:
            entry = self.vat_by_rate.setdefault(vat["rate_bp"], [0, 0, 0])
            entry[0] += vat["ht_cents"]
            entry[1] += vat["vat_cents"]
            entry[2] += vat["ttc_cents"]
        for member, by_method in (("tenders", self.tenders), ("deposit_tenders", self.deposit_tenders),
                                  ("voucher_tenders", self.voucher_tenders)):
            for tender in totals.get(member, []):
                entry = by_method.setdefault(tender["method"], [0, 0])
                entry[0] += tender["count"]
                entry[1] += tender["amount_cents"]
        self.cheques += totals["cheques"]
        self.float_cents += totals["float_cents"]
        self.cash_in_cents += totals["cash_in_cents"]
        self.cash_out_cents += totals["cash_out_cents"]
        self.deposits_received_cents += totals["deposits_received_cents"]
        self.deposits_refunded_cents += totals["deposits_refunded_cents"]
        self.late_count += totals["late_entries"]
        self.late_cents += totals["late_total_cents"]
        # These members are left out when 0, hence .get.
        self.avoirs_issued_cents += totals.get("avoirs_issued_cents", 0)
        self.vouchers_sold_cents += totals.get("vouchers_sold_cents", 0)
        self.avoirs_redeemed_cents += totals.get("avoirs_redeemed_cents", 0)
        self.external_vouchers_cents += totals.get("external_vouchers_cents", 0)
        self.drawer_openings += totals.get("drawer_openings", 0)

    @staticmethod
    def _tender_list(by_method):
        documented = [m for m in TENDER_METHODS if m in by_method]
        others = [m for m in by_method if m not in TENDER_METHODS]
        return [{"amount_cents": by_method[m][1], "count": by_method[m][0], "method": m}
                for m in documented + others]

    def as_object(self):
        """The `totals` object as the documents lay it out, to compare with a closure's or a
        manifest's."""
        def cash(by_method):
            return by_method.get("cash", [0, 0])[1]
        totals = {
            "sales": self.sales_count, "refunds": self.refunds_count, "voids": self.voids_count,
            "sales_cents": self.sales_cents, "refunds_cents": self.refunds_cents, "voids_cents": self.voids_cents,
            "total_cents": self.sales_cents + self.refunds_cents + self.voids_cents,
            "abs_total_cents": self.abs_cents, "discounts_cents": self.discounts_cents,
            "vat": [{"ht_cents": e[0], "rate_bp": rate, "ttc_cents": e[2], "vat_cents": e[1]}
                    for rate, e in sorted(self.vat_by_rate.items(), key=lambda item: -item[0])],
            "tenders": self._tender_list(self.tenders), "cheques": list(self.cheques),
            "float_cents": self.float_cents, "cash_in_cents": self.cash_in_cents,
            "cash_out_cents": self.cash_out_cents,
            "deposits_received_cents": self.deposits_received_cents,
            "deposits_refunded_cents": self.deposits_refunded_cents,
            "deposit_tenders": self._tender_list(self.deposit_tenders),
            "expected_cash_cents": self.float_cents + cash(self.tenders) + cash(self.deposit_tenders)
            + cash(self.voucher_tenders) + self.cash_in_cents - self.cash_out_cents,
            "late_entries": self.late_count, "late_total_cents": self.late_cents}
        for member, value in (("avoirs_issued_cents", self.avoirs_issued_cents),
                              ("vouchers_sold_cents", self.vouchers_sold_cents),
                              ("avoirs_redeemed_cents", self.avoirs_redeemed_cents),
                              ("external_vouchers_cents", self.external_vouchers_cents),
                              ("drawer_openings", self.drawer_openings)):
            if value:
                totals[member] = value
        if self.voucher_tenders:
            totals["voucher_tenders"] = self._tender_list(self.voucher_tenders)
        return totals


def check_in_i64_range(totals, where, report):
    """Every integer of a closure's totals fits a signed 64-bit integer (CHAIN.md 4.1, « Bounds »)."""
    def walk(value, path):
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            if not -I64_LIMIT <= value < I64_LIMIT:
                report.defect(where, f"{path} out of range")
        elif isinstance(value, dict):
            for key, member in value.items():
                walk(member, f"{path}.{key}")
        elif isinstance(value, list):
            for index, member in enumerate(value):
                walk(member, f"{path}[{index}]")
    walk(totals, "totals")


def first_difference(got, want):
    """Names the first member (in sorted order) where the totals found differ from those
    recomputed, as `relais verify` does: one clear sentence instead of two JSON dumps."""
    for key in sorted(set(got) | set(want)):
        if got.get(key, "<absent>") != want.get(key, "<absent>"):
            return f"totals.{key} is {json.dumps(got.get(key, '<absent>'), ensure_ascii=False)}, " \
                   f"but the records give {json.dumps(want.get(key, '<absent>'), ensure_ascii=False)}"
    return None
