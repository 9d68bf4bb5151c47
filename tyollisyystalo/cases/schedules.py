"""Review dates of the service path and plan deadlines. Pure functions over dates.

Interim reviews at 1, 3, 6 and 9 months and the final review at 12 months from the start of the
path (seed 001) are the service model, set in settings so a region can change them. Plan review
and TYP mapping deadlines are statutory and come from the rules module (``plan_deadlines``
and its dated parameters), so a change in law changes them in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tyollisyystalo.rules.calendar import add_months
from tyollisyystalo.rules.definitions import deadlines as plan_deadlines_rule
from tyollisyystalo.rules.facts import facts_from_mapping
from tyollisyystalo.rules.parameters import load_all, params_on


@dataclass(frozen=True)
class Due:
    kind: str
    due_on: dt.date
    months: int = 0
    source: str = ""


def review_schedule(
    started_on: dt.date, *, interim_months: Sequence[int], final_months: int
) -> list[Due]:
    """Interim reviews and the final review, counted from the start with calendar months.

    A start on the 31st gives the last day of a shorter month (31.1. + 1 month = 28./29.2.).
    """
    dues = [
        Due("interim_review", add_months(started_on, months), months) for months in interim_months
    ]
    dues.append(Due("final_review", add_months(started_on, final_months), final_months))
    return sorted(dues, key=lambda d: d.due_on)


# Plan types whose review the law sets: the value of ``plan_deadlines`` that dates it and the
# parameter behind it (whose statute section is shown with the date).
PLAN_REVIEW = {
    "activation": ("activation_plan_review_due", "activation_plan_review_months"),
    "multisector": ("multisector_plan_review_due", "multisector_plan_review_months"),
}


def plan_review_due(
    plan_type: str, *, plan_start: dt.date, last_review: dt.date | None
) -> Due | None:
    """The statutory review date of an activation or TYP plan (None for other plans).

    When the last day is not a working day the time limit moves to the next one (150/1930).
    """
    if plan_type not in PLAN_REVIEW:
        return None
    value, parameter = PLAN_REVIEW[plan_type]
    base = last_review or plan_start
    return _due(
        "plan_review",
        value,
        parameter,
        base,
        plan_start_date=plan_start,
        last_review_date=last_review,
    )


def mapping_period_end(mapping_start: dt.date) -> Due:
    """The end of the TYP mapping period, by which the multi-sector plan is drafted."""
    due = _due(
        "typ_mapping",
        "mapping_period_end",
        "mapping_period_months",
        mapping_start,
        mapping_start_date=mapping_start,
    )
    assert due is not None  # a mapping start always dates the period's end
    return due


def _due(
    kind: str, value: str, parameter: str, base: dt.date, **known: dt.date | None
) -> Due | None:
    facts = facts_from_mapping({k: v.isoformat() for k, v in known.items() if v is not None})
    evaluation = plan_deadlines_rule.evaluate(facts, base, explain=False)
    day = evaluation.values.get(f"{value}_next_working_day") or evaluation.values.get(value)
    if day is None:
        return None
    params = params_on(plan_deadlines_rule.RULE, base)
    months = int(getattr(params, parameter))
    return Due(kind, day, months, _source_of(parameter, base))


def _source_of(parameter: str, on: dt.date) -> str:
    for period in load_all()[plan_deadlines_rule.RULE].parameters[parameter]:
        if period.start <= on and (period.end is None or on <= period.end):
            return period.source.label()
    return ""
