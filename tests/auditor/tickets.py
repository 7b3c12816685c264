# Part of the independent bundle verifier (see verify.py): written from docs/CHAIN.md,
# docs/EXPORT-FORMAT.md and docs/ARCHIVE.md alone. It must never read Relais's sources.
"""A ticket's arithmetic (CHAIN.md 6.1 step 10) and the stricter rules of CHAIN.md 4.1,
« Amounts »: lines, VAT, payments, the ticket discount's spread, and refunds and voids against
the sale they correct."""
from shared import number_of, round_half_away


def negated(line_or_vat):
    """A void repeats its sale negated: every amount and the quantity, not the unit price."""
    return {key: (-value if key.endswith("_cents") and key != "unit_price_cents" or key == "qty_milli" else value)
            for key, value in line_or_vat.items()}


class TicketChecks:
    def __init__(self, report, chain_starts_at_one):
        self.report = report
        # A bundle that starts mid-chain may correct a sale it does not hold (CHAIN.md 6.2).
        self.chain_starts_at_one = chain_starts_at_one
        # sale id -> (its lines, per line what refunds took back [qty, gross, discount, total], the sale)
        self.sales = {}

    def check(self, record, where):
        report, data, kind = self.report, record["data"], record["kind"]
        lines, vat, payments = data.get("lines", []), data.get("vat", []), data.get("payments", [])
        if sum(line["total_cents"] for line in lines) != data["total_cents"]:
            report.defect(where, "ticket does not add up: Σ lines.total_cents != total_cents")
        ttc_by_rate = {}
        for line in lines:
            ttc_by_rate[line["vat_rate_bp"]] = ttc_by_rate.get(line["vat_rate_bp"], 0) + line["total_cents"]
        want_vat = []
        for rate in sorted(ttc_by_rate, reverse=True):
            ht = round_half_away(ttc_by_rate[rate] * 10000, 10000 + rate)
            want_vat.append({"ht_cents": ht, "rate_bp": rate, "ttc_cents": ttc_by_rate[rate],
                             "vat_cents": ttc_by_rate[rate] - ht})
        # A void's VAT is its sale's negated, checked below, not recomputed.
        if kind != "void" and vat != want_vat:
            report.defect(where, f"ticket does not add up: vat {vat} but recomputed {want_vat}")
        if payments and sum(p["amount_cents"] for p in payments) != data["total_cents"]:
            report.defect(where, "ticket does not add up: Σ payments != total_cents")
        report.count("tickets arithmetic (step 10)")
        self._check_lines(kind, lines, where)
        if sum(line["ticket_discount_cents"] for line in lines) != data["ticket_discount_cents"]:
            report.defect(where, "ticket_discount_cents != Σ lines' shares")
        if kind == "sale":
            self._check_sale(record, lines, payments, where)
        else:
            self._check_correction(record, lines, vat, payments, where)

    def _check_lines(self, kind, lines, where):
        report = self.report
        for index, line in enumerate(lines):
            line_where = f"{where} line {index + 1}"
            if kind == "sale":
                gross = round_half_away(line["qty_milli"] * line["unit_price_cents"], 1000)
                if line["gross_cents"] != gross:
                    report.defect(line_where, f"gross_cents {line['gross_cents']} != round(qty×price/1000) {gross}")
            if line["gross_cents"] - line["discount_cents"] - line["ticket_discount_cents"] != line["total_cents"]:
                report.defect(line_where, "gross − discount − ticket_discount != total")
            if line["ht_cents"] != round_half_away(line["total_cents"] * 10000, 10000 + line["vat_rate_bp"]):
                report.defect(line_where, "ht_cents != round(total×10000/(10000+rate))")
            if kind == "sale" and not (0 <= line["discount_cents"] <= line["gross_cents"]):
                report.defect(line_where, "line discount out of 0..gross")
            if kind != "sale" and (line["qty_milli"] > 0 or line["gross_cents"] > 0 or line["total_cents"] > 0):
                report.defect(line_where, "refund/void line amounts must be negative")
            if kind == "refund" and "of_line" not in line:
                report.defect(line_where, "refund line without of_line")
            if kind == "void" and "of_line" in line:
                report.defect(line_where, "void line with of_line")

    def _check_sale(self, record, lines, payments, where):
        report, data = self.report, record["data"]
        # The ticket discount is spread over the lines in proportion to their net amounts, the
        # cents left over going to the largest remainders (ties: the first line).
        nets = [line["gross_cents"] - line["discount_cents"] for line in lines]
        ticket_discount, net_sum = data["ticket_discount_cents"], sum(nets)
        if net_sum > 0:
            shares = [ticket_discount * net // net_sum for net in nets]
            remainders = [ticket_discount * net % net_sum for net in nets]
            left = ticket_discount - sum(shares)
            for i in sorted(range(len(nets)), key=lambda i: (-remainders[i], i))[:left]:
                shares[i] += 1
            found = [line["ticket_discount_cents"] for line in lines]
            if shares != found:
                report.defect(where, f"ticket discount spread {found} != {shares}")
        for payment in payments:
            if "change_cents" in payment or "tendered_cents" in payment:
                if payment["method"] != "cash":
                    report.defect(where, "tendered/change on a non-cash payment")
                elif payment.get("tendered_cents", 0) - payment["amount_cents"] != payment.get("change_cents", 0):
                    report.defect(where, "change_cents != tendered − amount")
        self.sales[record["id"]] = ([dict(line) for line in lines], [[0, 0, 0, 0] for _ in lines], record)

    def _check_correction(self, record, lines, vat, payments, where):
        """A refund or a void, against the sale it corrects."""
        report, data, kind = self.report, record["data"], record["kind"]
        corrects = data.get("corrects") or {}
        if "reason" not in data:
            report.defect(where, "refund/void without reason")
        sale = self.sales.get(corrects.get("id"))
        if sale is None:
            if self.chain_starts_at_one:
                report.defect(where, f"corrects {corrects} not found before it in the chain")
            return
        sale_lines, taken_back, sale_record = sale
        if corrects.get("number") != number_of(sale_record):
            report.defect(where, f"corrects.number {corrects.get('number')} is not {number_of(sale_record)}")
        if kind == "void":
            self._check_void(data, sale_lines, sale_record, lines, vat, payments, where)
        else:
            self._check_refund(data, sale_lines, taken_back, lines, payments, where)

    def _check_void(self, data, sale_lines, sale_record, lines, vat, payments, where):
        report, sale_data = self.report, sale_record["data"]
        if [negated(line) for line in sale_lines] != lines:
            report.defect(where, "void lines are not the sale's lines negated")
        if [negated(v) for v in sale_data["vat"]] != vat:
            report.defect(where, "void vat is not the sale's vat negated")
        # Cash handed over and change given are the sale's, not the void's.
        want_payments = [{key: (-value if key == "amount_cents" else value) for key, value in p.items()
                          if key not in ("tendered_cents", "change_cents")} for p in sale_data["payments"]]
        if want_payments != payments:
            report.defect(where, "void payments are not the sale's negated (tendered/change removed)")
        if "note" in data or "late" in data:
            report.defect(where, "void with note or late")
        if data["total_cents"] != -sale_data["total_cents"]:
            report.defect(where, "void total is not the sale's negated")

    def _check_refund(self, data, sale_lines, taken_back, lines, payments, where):
        report = self.report
        if len(payments) != 1 or payments[0]["amount_cents"] != data["total_cents"] or \
                "tendered_cents" in payments[0] or "change_cents" in payments[0]:
            report.defect(where, "refund must have exactly one payment of total_cents, no tendered/change")
        for index, line in enumerate(lines):
            of_line = line.get("of_line")
            if not isinstance(of_line, int) or not 0 <= of_line < len(sale_lines):
                report.defect(where, f"of_line {of_line} not a line of the sale")
                continue
            sold, done = sale_lines[of_line], taken_back[of_line]
            quantity, sold_quantity, refunded_quantity = -line["qty_milli"], sold["qty_milli"], done[0]
            if quantity + refunded_quantity > sold_quantity:
                report.defect(where, f"line {index + 1} refunds more than what is left")
            # The last refund of a line takes back exactly what is left, so that the rounding
            # of partial refunds never leaves or takes a cent too many; earlier ones are in
            # proportion to the quantity.
            if quantity == sold_quantity - refunded_quantity:
                want = (sold["gross_cents"] - done[1], sold["discount_cents"] - done[2],
                        sold["total_cents"] - done[3])
            else:
                want = tuple(round_half_away(sold[member] * quantity, sold_quantity)
                             for member in ("gross_cents", "discount_cents", "total_cents"))
            got = (-line["gross_cents"], -line["discount_cents"], -line["total_cents"])
            if got != want:
                report.defect(where, f"line {index + 1}: refund amounts {got} != {want} (proportion rule)")
            for member in ("label", "unit_price_cents", "vat_rate_bp", "sku", "barcode", "department"):
                if sold.get(member) != line.get(member):
                    report.defect(where, f"line {index + 1}: {member} differs from the sale's")
            done[0] += quantity
            done[1] += got[0]
            done[2] += got[1]
            done[3] += got[2]
