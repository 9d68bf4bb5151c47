"""Reporting periods of the situation picture: a month, quarter, half-year or year. Pure.

A period is named by a short code that the page's picker and the exports share:
``2026-09`` (month), ``2026-Q3`` (quarter), ``2026-H2`` (half-year), ``2026`` (year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
KIND_LABELS = {
    PeriodKind.MONTH: gettext_lazy("Kuukausi"),
    PeriodKind.QUARTER: gettext_lazy("Vuosineljännes"),
    PeriodKind.HALF: gettext_lazy("Puolivuotiskausi"),
    PeriodKind.YEAR: gettext_lazy("Vuosi"),
}
_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<q>[1-4])|H(?P<h>[12])))?$")
FIRST_YEAR = 2000


class InvalidPeriod(ValueError):
    """The period code is not one the picker offers."""


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: dt.date  # first day
    end: dt.date  # last day, inclusive

    @property
    def code(self) -> str:
        year = self.start.year
        if self.kind == PeriodKind.MONTH:
            return f"{year}-{self.start.month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.HALF:
            return f"{year}-H{(self.start.month - 1) // 6 + 1}"
        return str(year)

    @property
    def label(self) -> str:
        year = self.start.year
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.month}/{year}"
        if self.kind == PeriodKind.QUARTER:
            return _("%(n)s. neljännes %(year)s") % {
                "n": (self.start.month - 1) // 3 + 1,
                "year": year,
            }
        if self.kind == PeriodKind.HALF:
            return _("%(n)s. vuosipuolisko %(year)s") % {
                "n": (self.start.month - 1) // 6 + 1,
                "year": year,
            }
        return str(year)

    def previous(self) -> Period:
        return period_starting(self.kind, _add_months(self.start, -MONTHS[self.kind]))

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_starting(kind: PeriodKind, start: dt.date) -> Period:
    return Period(kind, start, _add_months(start, MONTHS[kind]) - dt.timedelta(days=1))


def period_containing(kind: PeriodKind, day: dt.date) -> Period:
    size = MONTHS[kind]
    month = (day.month - 1) // size * size + 1
    return period_starting(kind, dt.date(day.year, month, 1))


def period_parse(code: str) -> Period:
    """The period a code names; ``InvalidPeriod`` for anything else."""
    match = _CODE.match(code.strip())
    if match is None:
        raise InvalidPeriod(code)
    year = int(match["year"])
    if year < FIRST_YEAR:
        raise InvalidPeriod(code)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise InvalidPeriod(code)
        return period_starting(PeriodKind.MONTH, dt.date(year, month, 1))
    if match["q"]:
        return period_starting(PeriodKind.QUARTER, dt.date(year, (int(match["q"]) - 1) * 3 + 1, 1))
    if match["h"]:
        return period_starting(PeriodKind.HALF, dt.date(year, (int(match["h"]) - 1) * 6 + 1, 1))
    return period_starting(PeriodKind.YEAR, dt.date(year, 1, 1))


# How many periods of each kind the picker offers, newest first (18 months of history).
PICKER_COUNTS = {
    PeriodKind.MONTH: 18,
    PeriodKind.QUARTER: 8,
    PeriodKind.HALF: 4,
    PeriodKind.YEAR: 3,
}


def periods_offered(today: dt.date) -> dict[PeriodKind, list[Period]]:
    """The picker's choices: the current period of each kind and those before it."""
    offered: dict[PeriodKind, list[Period]] = {}
    for kind, count in PICKER_COUNTS.items():
        period = period_containing(kind, today)
        choices = []
        for _n in range(count):
            choices.append(period)
            period = period.previous()
        offered[kind] = choices
    return offered


def period_default(today: dt.date) -> Period:
    """The last complete quarter: a whole period to look at when the page opens."""
    return period_containing(PeriodKind.QUARTER, today).previous()


def period_allowed(period: Period, today: dt.date) -> bool:
    """Periods that have begun (nothing to count in the future)."""
    return period.start <= today
