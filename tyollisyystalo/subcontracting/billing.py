"""Invoice arithmetic of the subcontracting model, as pure functions over dated parameters.

Amounts are integers in cents. A line's VAT is rounded half up to the cent; an invoice's totals
are the sums of its lines. The VAT treatment is never a literal rate: a sale exempt from VAT
(category E of EN 16931, with the exemption's reason) is not a 0 % rate (category Z), and a
county switches to the standard rate (category S) by adding a dated parameter period.

Finnish reference numbers (*viitenumero*) are written here: ``python-stdnum`` has no module for
them. Their international RF form (ISO 11649) is computed here and validated with
``stdnum.iso11649``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from stdnum import iso11649

from tyollisyystalo.subcontracting.parameters import HOUSEHOLD_DEDUCTION, INVOICING, params

LABOUR, MATERIALS, TRAVEL = "labour", "materials", "travel"
LINE_KINDS = (LABOUR, MATERIALS, TRAVEL)

# The exemption's reason as EN 16931 asks (BT-120/BT-121): the code of the VATEX list for
# Directive 2006/112/EC art. 132(1)(g), social welfare, which the Finnish Act's 37 § implements.
EXEMPTION_CODE = "VATEX-EU-132-1G"


class ReferenceNumberError(ValueError):
    """A reference number's base is not 3–19 digits."""


@dataclass(frozen=True)
class VatTreatment:
    category: str  # EN 16931 / UNCL5305: "E" exempt, "S" standard rate
    rate: Decimal  # percent; 0 when exempt
    exemption_code: str  # "" unless exempt

    @property
    def exempt(self) -> bool:
        return self.category == "E"


@dataclass(frozen=True)
class Line:
    kind: str  # one of LINE_KINDS
    quantity: Decimal  # hours for labour, pieces or kilometres otherwise
    unit_price_cents: int


@dataclass(frozen=True)
class LineAmounts:
    net_cents: int
    vat_cents: int

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineAmounts, ...]
    net_cents: int
    vat_cents: int
    gross_cents: int
    labour_gross_cents: int  # the household deduction's base: labour, VAT included


def parse_decimal(value: str) -> Decimal | None:
    """A number typed the Finnish way ("7,5") or with a point; None when it is not one."""
    try:
        parsed = Decimal((value or "").strip().replace(",", "."))
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def hour_price_cents(on: dt.date) -> int:
    return int(params(INVOICING, on).hour_price_cents)


def vat_treatment(on: dt.date) -> VatTreatment:
    """The VAT treatment of the work sold on ``on``."""
    values = params(INVOICING, on)
    if values.vat_treatment == "exempt":
        return VatTreatment("E", Decimal(0), EXEMPTION_CODE)
    if values.vat_treatment == "standard":
        return VatTreatment("S", Decimal(values.standard_vat_rate_percent), "")
    raise ValueError(f"unknown VAT treatment {values.vat_treatment!r} on {on.isoformat()}")


def line_amounts(line: Line, vat: VatTreatment) -> LineAmounts:
    if line.kind not in LINE_KINDS:
        raise ValueError(f"unknown line kind {line.kind!r}")
    net = _cents(line.quantity * line.unit_price_cents)
    return LineAmounts(net, _cents(net * vat.rate / 100))


def invoice_totals(lines: Iterable[Line], vat: VatTreatment) -> Totals:
    given = list(lines)
    amounts = tuple(line_amounts(line, vat) for line in given)
    labour = sum(
        a.gross_cents for line, a in zip(given, amounts, strict=True) if line.kind == LABOUR
    )
    net = sum(a.net_cents for a in amounts)
    tax = sum(a.vat_cents for a in amounts)
    return Totals(amounts, net, tax, net + tax, labour)


def due_date(issued_on: dt.date) -> dt.date:
    return issued_on + dt.timedelta(days=int(params(INVOICING, issued_on).payment_term_days))


def late_interest_margin(on: dt.date) -> Decimal:
    """Percentage points over the reference rate (Interest Act 633/1982 4 §)."""
    return Decimal(params(INVOICING, on).late_interest_margin_percent)


# The household deduction ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeductionEstimate:
    year: int
    labour_gross_cents: int
    deduction_cents: int
    percent: Decimal
    yearly_max_cents: int
    own_share_cents: int


def household_deduction_estimate(labour_gross_cents: int, year: int) -> DeductionEstimate:
    """The year's deduction for this much labour (VAT included): min(maximum, max(0,
    percent × labour - own share)), with the parameters of the year's last day."""
    values = params(HOUSEHOLD_DEDUCTION, dt.date(year, 12, 31))
    percent = Decimal(values.percent)
    raw = _cents(Decimal(labour_gross_cents) * percent / 100) - int(values.own_share_cents)
    deduction = min(int(values.yearly_max_cents), max(0, raw))
    return DeductionEstimate(
        year,
        labour_gross_cents,
        deduction,
        percent,
        int(values.yearly_max_cents),
        int(values.own_share_cents),
    )


def household_deduction_applies(on: dt.date) -> bool:
    """Whether the county's work is work for which the deduction may be claimed (to confirm
    with Vero; a dated switch)."""
    return bool(params(HOUSEHOLD_DEDUCTION, on).county_work_qualifies)


# Reference numbers ---------------------------------------------------------------------------

_WEIGHTS = (7, 3, 1)


def reference_check_digit(base: str) -> str:
    """The check digit of a Finnish reference number: the base's digits from the right times
    7, 3, 1, 7, 3, 1 …; the digit that takes the sum to the next multiple of ten."""
    if not (base.isascii() and base.isdigit() and 3 <= len(base) <= 19):
        raise ReferenceNumberError("the base of a reference number is 3 to 19 digits")
    total = sum(int(d) * _WEIGHTS[i % 3] for i, d in enumerate(reversed(base)))
    return str((10 - total % 10) % 10)


def reference_number(base: str) -> str:
    return base + reference_check_digit(base)


def reference_valid(reference: str) -> bool:
    compact = reference.replace(" ", "")
    if not (compact.isascii() and compact.isdigit() and 4 <= len(compact) <= 20):
        return False
    return reference_check_digit(compact[:-1]) == compact[-1]


def rf_reference(reference: str) -> str:
    """The international form (ISO 11649) of a Finnish reference number."""
    compact = reference.replace(" ", "")
    if not reference_valid(compact):
        raise ReferenceNumberError("not a valid Finnish reference number")
    return rf_of(compact)


def rf_of(reference: str) -> str:
    """``RF``, two check digits and the reference: the check digits are 98 - the number mod 97,
    read with letters as numbers (A = 10 … Z = 35) and ``RF00`` moved to the end. Validated
    with ``stdnum.iso11649``."""
    compact = reference.replace(" ", "").upper()
    numeric = int("".join(str(int(c, 36)) for c in compact + "RF00"))
    result = f"RF{98 - numeric % 97:02d}{compact}"
    iso11649.validate(result)
    return result


def rf_grouped(reference: str) -> str:
    """An RF reference in groups of four from the left (ISO 11649's printed form)."""
    compact = reference.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def grouped(reference: str) -> str:
    """A Finnish reference in groups of five from the right, as printed on invoices."""
    compact = reference.replace(" ", "")
    head = len(compact) % 5
    groups = [compact[:head]] if head else []
    groups += [compact[i : i + 5] for i in range(head, len(compact), 5)]
    return " ".join(groups)
