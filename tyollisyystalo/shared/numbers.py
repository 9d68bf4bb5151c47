"""Whole numbers typed by people into addresses and forms: ASCII digits only, and bounded.

``str.isdigit()`` is true for "²" and "٣", and ``int()`` accepts "٣", fullwidth digits, " 7 "
and "1_0", so neither is a check. A page or version number is read here, and a value that is not
plain digits within the bounds is ``None``: the page decides whether that is a 400 or the
default, never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The largest value a PostgreSQL integer column holds; no page or version number comes near it.
INT_MAX = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}", re.ASCII)


def parse_int(raw: object, *, low: int = 0, high: int = INT_MAX) -> int | None:
    """The number ``raw`` spells in ASCII digits if it lies in ``low..high``, else ``None``."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def parse_ints(raws: Iterable[object], *, low: int = 1, high: int = INT_MAX) -> list[int] | None:
    """Every value of a multiple choice as a number, or ``None`` when any of them is not one."""
    values = [parse_int(raw, low=low, high=high) for raw in raws]
    if any(value is None for value in values):
        return None
    return [value for value in values if value is not None]
