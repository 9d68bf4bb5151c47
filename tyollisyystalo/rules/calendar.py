"""Time limits under the Act on calculating statutory time limits (150/1930) and Finnish holidays.

Pure functions, no Django. Holidays are computed from the rules of the calendar (Easter by the
Gregorian computus, Midsummer and All Saints' Day as the Saturday of their week), never listed
per year.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from functools import lru_cache

from tyollisyystalo.rules.texts import gettext_noop


def add_months(start: dt.date, months: int) -> dt.date:
    """The day with the same number ``months`` later, or the last day of that month if none."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _saturday_between(year: int, month: int, first_day: int) -> dt.date:
    start = dt.date(year, month, first_day)
    return start + dt.timedelta(days=(5 - start.weekday()) % 7)


@lru_cache(maxsize=256)
def finnish_holidays(year: int) -> dict[dt.date, str]:
    """Public holidays and the other days on which, under 150/1930 § 5, a time limit moves on."""
    easter = easter_sunday(year)
    midsummer_day = _saturday_between(year, 6, 20)
    days = {
        dt.date(year, 1, 1): gettext_noop("uudenvuodenpäivä"),
        dt.date(year, 1, 6): gettext_noop("loppiainen"),
        easter - dt.timedelta(days=2): gettext_noop("pitkäperjantai"),
        easter: gettext_noop("pääsiäispäivä"),
        easter + dt.timedelta(days=1): gettext_noop("toinen pääsiäispäivä"),
        dt.date(year, 5, 1): gettext_noop("vappu"),
        easter + dt.timedelta(days=39): gettext_noop("helatorstai"),
        easter + dt.timedelta(days=49): gettext_noop("helluntaipäivä"),
        midsummer_day - dt.timedelta(days=1): gettext_noop("juhannusaatto"),
        midsummer_day: gettext_noop("juhannuspäivä"),
        _saturday_between(year, 10, 31): gettext_noop("pyhäinpäivä"),
        dt.date(year, 12, 6): gettext_noop("itsenäisyyspäivä"),
        dt.date(year, 12, 24): gettext_noop("jouluaatto"),
        dt.date(year, 12, 25): gettext_noop("joulupäivä"),
        dt.date(year, 12, 26): gettext_noop("tapaninpäivä"),
    }
    return days


def non_working_day(day: dt.date) -> str | None:
    """Why a time limit cannot end on ``day`` (a holiday's name, Saturday or Sunday), or None."""
    holiday = finnish_holidays(day.year).get(day)
    if holiday:
        return holiday
    if day.weekday() == 5:
        return gettext_noop("lauantai")
    if day.weekday() == 6:
        return gettext_noop("sunnuntai")
    return None


def next_working_day(day: dt.date) -> dt.date:
    """The first day from ``day`` on which a time limit can end (150/1930 § 5)."""
    while non_working_day(day):
        day += dt.timedelta(days=1)
    return day
