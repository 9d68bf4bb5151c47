"""Reporting periods: a month, a quarter, a half-year or a year. Pure, no database.

A period is written as a code in addresses and the API: ``2026`` (year), ``2026-H1`` (half),
``2026-Q3`` (quarter), ``2026-05`` (month). The trend of a period is the periods before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.utils import formats
from django.utils.translation import gettext as _

from tyollisyystalo.rules.calendar import add_months


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF: 6,
    PeriodKind.YEAR: 12,
}
# The most periods one request may ask for (ten years of months).
MAX_PERIODS = 120
_CODE = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$")


class PeriodError(ValueError):
    """A period code or range that does not name periods."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    kind: PeriodKind

    @property
    def months(self) -> int:
        return MONTHS[self.kind]

    @cached_property
    def end(self) -> dt.date:
        """The last day of the period."""
        return add_months(self.start, self.months) - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        year, month = self.start.year, self.start.month
        if self.kind == PeriodKind.YEAR:
            return f"{year}"
        if self.kind == PeriodKind.HALF:
            return f"{year}-H{1 + (month - 1) // 6}"
        if self.kind == PeriodKind.QUARTER:
            return f"{year}-Q{1 + (month - 1) // 3}"
        return f"{year}-{month:02d}"

    @property
    def label(self) -> str:
        year, month = self.start.year, self.start.month
        if self.kind == PeriodKind.YEAR:
            return str(year)
        if self.kind == PeriodKind.HALF:
            return _("%(n)s. vuosipuolisko %(year)s") % {"n": 1 + (month - 1) // 6, "year": year}
        if self.kind == PeriodKind.QUARTER:
            return _("%(n)s. neljännes %(year)s") % {"n": 1 + (month - 1) // 3, "year": year}
        return str(formats.date_format(self.start, "YEAR_MONTH_FORMAT"))

    @property
    def short_label(self) -> str:
        """For the chart's axis: 2026, H1/26, Q3/26, 5/26."""
        year = self.start.year % 100
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.month}/{year:02d}"
        return f"{self.code[5:]}/{year:02d}"

    def previous(self, count: int = 1) -> Period:
        return Period(add_months(self.start, -self.months * count), self.kind)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def covers(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


def period_of(kind: PeriodKind | str, day: dt.date) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    kind = PeriodKind(kind)
    months = MONTHS[kind]
    first_month = (day.month - 1) // months * months + 1
    return Period(dt.date(day.year, first_month, 1), kind)


def parse_period(code: str) -> Period:
    match = _CODE.match(code.strip())
    if match is None:
        raise PeriodError(code)
    year = int(match.group(1))
    if year < 2000 or year > 2100:
        raise PeriodError(code)
    month, quarter, half = match.group(2), match.group(3), match.group(4)
    if month:
        return Period(dt.date(year, int(month), 1), PeriodKind.MONTH)
    if quarter:
        return Period(dt.date(year, 3 * int(quarter) - 2, 1), PeriodKind.QUARTER)
    if half:
        return Period(dt.date(year, 6 * int(half) - 5, 1), PeriodKind.HALF)
    return Period(dt.date(year, 1, 1), PeriodKind.YEAR)


def trend(period: Period, count: int) -> list[Period]:
    """``count`` periods ending with ``period``, oldest first."""
    return [period.previous(n) for n in range(count - 1, -1, -1)]


def periods_between(kind: PeriodKind | str, first: dt.date, last: dt.date) -> list[Period]:
    """The periods of ``kind`` from the one holding ``first`` to the one holding ``last``."""
    if last < first:
        raise PeriodError("order")
    start, stop = period_of(kind, first), period_of(kind, last)
    count = (
        (stop.start.year - start.start.year) * 12 + stop.start.month - start.start.month
    ) // start.months + 1
    if count > MAX_PERIODS:
        raise PeriodError("too many")
    return [start.previous(-n) for n in range(count)]


def picker_periods(today: dt.date, *, ahead: int = 0) -> list[tuple[PeriodKind, list[Period]]]:
    """The periods a picker offers, newest first per kind: three years, four half-years, eight
    quarters, eighteen months back from today's (and ``ahead`` years forward, for goals)."""
    counts = {
        PeriodKind.YEAR: 3,
        PeriodKind.HALF: 4,
        PeriodKind.QUARTER: 8,
        PeriodKind.MONTH: 18,
    }
    choices = []
    for kind, count in counts.items():
        current = period_of(kind, today)
        forward = ahead * 12 // MONTHS[kind]
        choices.append((kind, [current.previous(n) for n in range(-forward, count)]))
    return choices
