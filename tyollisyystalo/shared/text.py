"""Text typed by people: NUL characters are refused before they reach the database.

PostgreSQL cannot store U+0000 in a text column and refuses the whole statement, so a NUL in any
field would be a 500 there and a silently different value on SQLite. Django's and DRF's
``CharField`` already refuse it; query parameters read by hand, JSON values and free-form
dictionaries go through ``no_nul`` here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# For OpenAPI: a string without U+0000 (ECMA 262 regex, as JSON Schema reads it).
NO_NUL_PATTERN = "^[^\\u0000]*$"


def no_nul(value: Any) -> None:
    """Raise ``ValidationError`` when ``value`` (or any string inside it) holds a NUL."""
    if _has_nul(value, depth=0):
        raise ValidationError(_("Tekstissä ei saa olla NUL-merkkiä."), code="null_characters")


def _has_nul(value: Any, *, depth: int) -> bool:
    if depth > 32:
        return False
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(
            _has_nul(k, depth=depth + 1) or _has_nul(v, depth=depth + 1) for k, v in value.items()
        )
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return any(_has_nul(item, depth=depth + 1) for item in value)
    return False


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet never runs as a formula (CSV and XLSX exports)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
