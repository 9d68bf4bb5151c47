"""How exact facts become coarse ones in the evaluation package (pure functions).

Dates become months, birth dates become five-year age groups (the youngest and the oldest
open-ended), and a home municipality is shown only when at least five clients of the package
live there (the product's small-number rule, ``management.disclosure.MIN_COUNT``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from tyollisyystalo.management.disclosure import MIN_COUNT

YOUNGEST = 20  # below it one group, "-19"
OLDEST = 65  # from it one group, "65-"
AGE_GROUPS: tuple[str, ...] = (
    f"-{YOUNGEST - 1}",
    *(f"{low}-{low + 4}" for low in range(YOUNGEST, OLDEST, 5)),
    f"{OLDEST}-",
)


def month(value: dt.date | dt.datetime | None) -> str:
    """YYYY-MM, or "" when there is no date. Aware datetimes are read in local time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _year_month(value.year, value.month)


@lru_cache(maxsize=4096)
def _year_month(year: int, month_number: int) -> str:
    """One shared string per month: a package of millions of rows holds each month once."""
    return f"{year:04d}-{month_number:02d}"


def quarter(value: dt.date) -> str:
    """YYYY-Qn: the survey answers' period (months would bring them too close to the paths)."""
    return f"{value.year:04d}-Q{(value.month - 1) // 3 + 1}"


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_group(birth_date: dt.date | None, on: dt.date | None) -> str:
    """The five-year group of the age on a date ("25-29"), "" when either is unknown."""
    if birth_date is None or on is None:
        return ""
    age = age_on(birth_date, on)
    if age < YOUNGEST:
        return AGE_GROUPS[0]
    if age >= OLDEST:
        return AGE_GROUPS[-1]
    low = YOUNGEST + (age - YOUNGEST) // 5 * 5
    return f"{low}-{low + 4}"


def common_values(values: Mapping[str, str]) -> dict[str, str]:
    """Each key's value, blanked where fewer than ``MIN_COUNT`` keys share it."""
    counts = Counter(v for v in values.values() if v)
    return {key: (v if counts[v] >= MIN_COUNT else "") for key, v in values.items()}
