"""The indicator table (``definitions.toml``), loaded and checked before anything runs.

Each indicator has a key, a name, a written definition (numerator, denominator, period rule,
which records count), unit, direction, source, all in fi/sv/en. ``indicators_all`` fails loudly
(``IndicatorTableError``) on an unknown kind, unit or direction, a computed indicator without its
calculation, a survey indicator without its survey item or a public one without its code, so a
broken table stops the process at start-up.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.http import Http404

from tyollisyystalo.instruments.definitions import Texts

TABLE_PATH = Path(__file__).resolve().parent / "definitions.toml"
LANGUAGES = ("fi", "sv", "en")
KINDS = ("computed", "survey", "public")
UNITS = ("percent", "score", "days", "points", "count")
DIRECTIONS = ("higher", "lower")
TEXT_FIELDS = ("name", "definition", "numerator", "denominator", "period_rule", "records", "source")
# Computed indicators: the keys indicators/calculations.py implements.
COMPUTED = (
    "placed_in_working_life",
    "client_activation",
    "median_days_to_first_meeting",
    "reviews_on_time",
    "referrals_closed_loop",
    "coaching_competitive_employment",
    "work_ability_change",
    "work_group_open_market",
)


class IndicatorTableError(ValueError):
    """The indicator table is malformed or names something the product does not compute."""


@dataclass(frozen=True)
class Indicator:
    key: str
    kind: str
    unit: str
    direction: str
    decimals: int
    scale: tuple[Decimal, Decimal]
    name: Texts
    definition: Texts
    numerator: Texts
    denominator: Texts
    period_rule: Texts
    records: Texts
    source: Texts
    survey: str = ""  # survey indicators: the survey and its item
    item: str = ""
    code: str = ""  # public indicators: the indicator's code in the imported CSV

    @property
    def is_rate(self) -> bool:
        """A share of counted people (numerator ÷ denominator), shown as a percent."""
        return self.kind == "computed" and self.unit == "percent"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"


def _texts(raw: Any, where: str) -> Texts:
    if not isinstance(raw, Mapping) or any(
        not isinstance(raw.get(lang), str) or not raw[lang].strip() for lang in LANGUAGES
    ):
        raise IndicatorTableError(f"{where}: texts in fi, sv and en are required")
    return Texts(*(str(raw[lang]) for lang in LANGUAGES))


def _choice(raw: Mapping[str, Any], field: str, allowed: tuple[str, ...], where: str) -> str:
    value = raw.get(field)
    if value not in allowed:
        raise IndicatorTableError(f"{where}: {field} must be one of {', '.join(allowed)}")
    return str(value)


def parse_indicator(raw: Mapping[str, Any]) -> Indicator:
    key = raw.get("key")
    if not isinstance(key, str) or not key.isidentifier():
        raise IndicatorTableError(f"indicator {key!r}: a key (a lower-case identifier) is required")
    where = f"indicator {key}"
    kind = _choice(raw, "kind", KINDS, where)
    scale = raw.get("scale")
    if (
        not isinstance(scale, list)
        or len(scale) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in scale)
        or scale[0] > scale[1]
    ):
        raise IndicatorTableError(f"{where}: scale must be [min, max]")
    decimals = raw.get("decimals")
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 2:
        raise IndicatorTableError(f"{where}: decimals must be 0, 1 or 2")
    indicator = Indicator(
        key=key,
        kind=kind,
        unit=_choice(raw, "unit", UNITS, where),
        direction=_choice(raw, "direction", DIRECTIONS, where),
        decimals=decimals,
        scale=(Decimal(str(scale[0])), Decimal(str(scale[1]))),
        **{field: _texts(raw.get(field), f"{where}.{field}") for field in TEXT_FIELDS},
        survey=str(raw.get("survey", "")),
        item=str(raw.get("item", "")),
        code=str(raw.get("code", "")),
    )
    if kind == "computed" and key not in COMPUTED:
        raise IndicatorTableError(f"{where}: no calculation for this computed indicator")
    if kind == "survey" and not (indicator.survey and indicator.item):
        raise IndicatorTableError(f"{where}: a survey indicator names its survey and item")
    if kind == "public" and not indicator.code:
        raise IndicatorTableError(f"{where}: a public indicator names its code in the CSV")
    return indicator


def parse_table(raw: Mapping[str, Any]) -> dict[str, Indicator]:
    rows = raw.get("indicator")
    if not isinstance(rows, list) or not rows:
        raise IndicatorTableError("the table has no [[indicator]] rows")
    table: dict[str, Indicator] = {}
    for row in rows:
        if not isinstance(row, Mapping):
            raise IndicatorTableError("an [[indicator]] row is not a table")
        indicator = parse_indicator(row)
        if indicator.key in table:
            raise IndicatorTableError(f"indicator {indicator.key}: key used twice")
        table[indicator.key] = indicator
    codes = [i.code for i in table.values() if i.code]
    if len(codes) != len(set(codes)):
        raise IndicatorTableError("a public indicator code is used twice")
    return table


@lru_cache(maxsize=1)
def indicators_all() -> dict[str, Indicator]:
    """Every indicator by key, in the table's order."""
    with TABLE_PATH.open("rb") as handle:
        return parse_table(tomllib.load(handle))


def indicator_get(key: str) -> Indicator:
    """The indicator, or 404 for a key the table does not have."""
    try:
        return indicators_all()[key]
    except KeyError:
        raise Http404 from None


def public_by_code() -> dict[str, Indicator]:
    return {i.code: i for i in indicators_all().values() if i.kind == "public"}
