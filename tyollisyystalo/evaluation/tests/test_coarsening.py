"""Months, age groups, rare values and pseudonyms: expected answers worked out by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid

import pytest

from tyollisyystalo.evaluation.coarsening import AGE_GROUPS, age_group, common_values, month
from tyollisyystalo.evaluation.pseudonyms import Pseudonymiser


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (dt.date(2006, 1, 2), dt.date(2025, 6, 3), "-19"),  # 19
        (dt.date(2005, 6, 3), dt.date(2025, 6, 3), "20-24"),  # 20 on the birthday
        (dt.date(2005, 6, 4), dt.date(2025, 6, 3), "-19"),  # 19, a day short
        (dt.date(1995, 6, 4), dt.date(2025, 6, 3), "25-29"),
        (dt.date(1995, 6, 3), dt.date(2025, 6, 3), "30-34"),
        (dt.date(1961, 1, 1), dt.date(2025, 12, 31), "60-64"),  # 64
        (dt.date(1960, 2, 1), dt.date(2025, 6, 3), "65-"),
        (dt.date(1992, 2, 29), dt.date(2025, 2, 28), "30-34"),  # 32 (leap day born)
        (None, dt.date(2025, 1, 1), ""),
        (dt.date(1990, 1, 1), None, ""),
    ],
)
def test_age_groups(birth, on, expected):
    assert age_group(birth, on) == expected


def test_age_groups_listed_in_order():
    assert AGE_GROUPS == (
        "-19",
        "20-24",
        "25-29",
        "30-34",
        "35-39",
        "40-44",
        "45-49",
        "50-54",
        "55-59",
        "60-64",
        "65-",
    )


def test_month_of_dates_and_local_times(settings):
    assert month(dt.date(2025, 3, 9)) == "2025-03"
    assert month(None) == ""
    # 31.1. 23:30 UTC is already February in Helsinki.
    assert month(dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.UTC)) == "2025-02"


def test_rare_values_blanked():
    values = {f"a{i}": "991" for i in range(5)} | {"b": "992", "c": ""}
    shown = common_values(values)
    assert [shown[f"a{i}"] for i in range(5)] == ["991"] * 5
    assert shown["b"] == ""
    assert shown["c"] == ""
    assert common_values({f"a{i}": "991" for i in range(4)}) == {f"a{i}": "" for i in range(4)}


def test_pseudonym_is_the_keyed_hash_and_depends_on_the_key():
    key = b"k" * 32
    record = uuid.UUID("12345678-1234-5678-1234-567812345678")
    expected = hmac.new(key, f"client:{record}".encode(), hashlib.sha256).hexdigest()[:16]
    assert Pseudonymiser(key)("client", record) == expected
    assert Pseudonymiser(key)("path", record) != expected
    assert Pseudonymiser()("client", record) != Pseudonymiser()("client", record)
    assert "6b6b" not in repr(Pseudonymiser(key))  # the key never shows
