"""The generic form definition loader: malformed files refuse to load, answers are checked."""

import datetime as dt

import pytest

from tyollisyystalo.shared.formdefs import DefinitionError, answers_clean, parse_definition

T = {"fi": "x", "sv": "y", "en": "z"}


def definition(**changes):
    raw = {
        "key": "f",
        "version": "1",
        "name": T,
        "description": T,
        "items": [
            {"code": "start", "kind": "date", "label": T, "required": True},
            {"code": "end", "kind": "date", "label": T},
            {"code": "hours", "kind": "number", "label": T, "min": 1, "max": 60, "step": "0.5"},
            {"code": "ok", "kind": "bool", "label": T},
            {"code": "pick", "kind": "choice", "label": T, "options": [{"value": "a", "label": T}]},
        ],
        "checks": [{"kind": "date_order", "earlier": "start", "later": "end", "message": T}],
    }
    raw.update(changes)
    return parse_definition(raw)


@pytest.mark.parametrize(
    "changes",
    [
        {"key": "not an identifier"},
        {"version": ""},
        {"name": {"fi": "vain suomeksi"}},
        {"items": []},
        {"items": [{"code": "a", "kind": "colour", "label": T}]},
        {"items": [{"code": "a", "kind": "choice", "label": T}]},
        {"items": [{"code": "a", "kind": "text", "label": T, "min": 1}]},
        {"items": [{"code": "a", "kind": "number", "label": T, "min": 5, "max": 1}]},
        {"checks": [{"kind": "date_order", "earlier": "hours", "later": "end", "message": T}]},
    ],
)
def test_malformed_definitions_are_refused(changes):
    with pytest.raises(DefinitionError):
        definition(**changes)


def test_answers_are_cleaned_to_json_values():
    cleaned, errors = answers_clean(
        definition(),
        {"start": dt.date(2026, 1, 2), "hours": "12,5", "ok": "no", "pick": "a", "x": "ignored"},
    )
    assert errors == {}
    assert cleaned == {"start": "2026-01-02", "hours": "12.5", "ok": False, "pick": "a"}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "start"),
        ({"start": "2026-01-02", "end": "2026-01-01"}, "end"),
        ({"start": "2026-01-02", "hours": "0.5"}, "hours"),
        ({"start": "2026-01-02", "hours": "61"}, "hours"),
        ({"start": "2026-01-02", "hours": "1.2"}, "hours"),
        ({"start": "2026-01-02", "pick": "b"}, "pick"),
        ({"start": "2026-13-02"}, "start"),
        ({"start": "2026-01-02", "ok": "maybe"}, "ok"),
    ],
)
def test_bad_answers_name_the_item(answers, field):
    _cleaned, errors = answers_clean(definition(), answers)
    assert field in errors


def test_a_check_may_compare_with_a_given_date():
    raw = {
        "key": "d",
        "version": "1",
        "name": T,
        "description": T,
        "items": [{"code": "end", "kind": "date", "label": T}],
        "checks": [{"kind": "date_order", "earlier": "@start", "later": "end", "message": T}],
    }
    _cleaned, errors = answers_clean(
        parse_definition(raw), {"end": "2026-01-01"}, context={"start": dt.date(2026, 2, 1)}
    )
    assert errors == {"end": ["x"]}
