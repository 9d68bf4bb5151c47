"""Seeded synthetic person records that cover the rules' boundaries, and their column form."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import numpy as np

from .model import BOOL_INPUTS, CHOICES, DATE_INPUTS, INT_INPUTS

EVALUATION_DATES = (
    dt.date(2023, 6, 30),
    dt.date(2023, 7, 1),
    dt.date(2024, 9, 1),
    dt.date(2024, 9, 2),
    dt.date(2024, 12, 31),
    dt.date(2025, 1, 1),
    dt.date(2025, 2, 28),
    dt.date(2026, 1, 1),
)
# Values on both sides of every limit in the parameter files, plus unknown (None).
DAYS = (None, 0, 179, 180, 181, 299, 300, 301, 499, 500, 501, 900)
MONTHS = (None, 0, 3, 4, 5, 6, 11, 12, 13, 23, 24, 25)
MONTHS_28 = (None, 0, 23, 24, 25, 28)
FLAGS = (None, False, True)


def _birth(rng: random.Random, on: dt.date) -> dt.date | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.35:  # around the 25th and 55th birthdays on the evaluation date
        years = rng.choice((25, 55))
        delta = rng.choice((-1, 0, 1))
        try:
            return dt.date(on.year - years, on.month, on.day) + dt.timedelta(days=delta)
        except ValueError:
            return dt.date(on.year - years, on.month, 28)
    if roll < 0.40:
        return dt.date(rng.choice((1968, 1972, 2000, 2004)), 2, 29)
    return dt.date(rng.randint(1958, 2007), rng.randint(1, 12), rng.randint(1, 28))


def _deadline_input(rng: random.Random, on: dt.date) -> dt.date | None:
    """A plan date around three months or one month before ``on`` (a deadline on either side of
    the evaluation date), at a month's end, or unknown."""
    roll = rng.random()
    if roll < 0.4:
        return None
    if roll < 0.55:  # month ends: 31 → 30/28/29, 29 February
        return rng.choice((dt.date(2024, 11, 30), dt.date(2023, 11, 30), dt.date(2024, 2, 29)))
    months = rng.choice((1, 3))
    total = on.year * 12 + on.month - 1 - months
    year, month = divmod(total, 12)
    day = min(on.day, _calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day) + dt.timedelta(days=rng.choice((-1, 0, 1)))


def records(count: int, *, seed: int, on: dt.date) -> Iterator[dict[str, Any]]:
    """``{"id", "facts"}`` records; facts left out when unknown, as real data arrives."""
    rng = random.Random(seed)
    obligation_days = (dt.date(2024, 9, 1), dt.date(2024, 9, 2), dt.date(2023, 1, 1), on)
    for index in range(count):
        facts: dict[str, Any] = {}
        birth = _birth(rng, on)
        if birth is not None:
            facts["birth_date"] = birth.isoformat()
        for name in (
            "labour_market_subsidy_days_total",
            "labour_market_subsidy_days_after_max_period",
        ):
            value = rng.choice(DAYS)
            if value is not None:
                facts[name] = value
        value = rng.choice(DAYS)
        if value is not None:
            facts["labour_market_subsidy_days_last_12_months"] = min(value, 366)
        for name in ("social_assistance_main_income_months", "continuous_unemployment_months"):
            value = rng.choice(MONTHS)
            if value is not None:
                facts[name] = value
        value = rng.choice(MONTHS_28)
        if value is not None:
            facts["unemployed_months_last_28"] = value
        for name in BOOL_INPUTS:
            flag = rng.choice(FLAGS)
            if flag is not None:
                facts[name] = flag
        if rng.random() < 0.7:
            facts["obligation_arose_on"] = rng.choice(obligation_days).isoformat()
        for name, limit in (("unemployed_months_last_14", 14), ("unemployed_months_last_15", 15)):
            value = rng.choice(MONTHS)
            if value is not None:
                facts[name] = min(value, limit)
        for name, choices in CHOICES.items():
            choice = rng.choice((None, *choices))
            if choice is not None:
                facts[name] = choice
        for name in DATE_INPUTS:
            day = _deadline_input(rng, on)
            if day is not None:
                facts[name] = day.isoformat()
        yield {"id": f"p{index}", "facts": facts}


def columns(facts_rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Facts dicts to the OpenFisca model's input columns (-1 for unknown)."""
    count = len(facts_rows)
    out = {name: np.full(count, -1, dtype=np.int64) for name in INT_INPUTS + BOOL_INPUTS}
    year, month, day = out["birth_year"], out["birth_month"], out["birth_day"]
    arose = out["obligation_arose_ordinal"]
    special = {"birth_year", "birth_month", "birth_day", "obligation_arose_ordinal"}
    special |= set(CHOICES) | set(DATE_INPUTS)
    plain = [n for n in INT_INPUTS + BOOL_INPUTS if n not in special]
    for i, facts in enumerate(facts_rows):
        birth = facts.get("birth_date")
        if birth:
            year[i], month[i], day[i] = int(birth[:4]), int(birth[5:7]), int(birth[8:10])
        when = facts.get("obligation_arose_on")
        if when:
            arose[i] = dt.date.fromisoformat(when).toordinal()
        for name in plain:
            value = facts.get(name)
            if value is not None:
                out[name][i] = int(value)
        for name, choices in CHOICES.items():
            value = facts.get(name)
            if value is not None:
                out[name][i] = choices.index(value)
        for name in DATE_INPUTS:
            value = facts.get(name)
            if value:
                out[name][i] = int(value.replace("-", ""))
    return out
