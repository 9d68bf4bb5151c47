"""Plan deadlines: activation plan review and interruption, TYP mapping period and reviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tyollisyystalo.rules.calendar import add_months, next_working_day, non_working_day
from tyollisyystalo.rules.evaluation import NO, UNKNOWN, YES, Condition, Evaluation, Reason
from tyollisyystalo.rules.facts import Facts
from tyollisyystalo.rules.parameters import PERIOD_CACHE_SIZE, Params, params_on
from tyollisyystalo.rules.texts import gettext_noop

RULE = "plan_deadlines"
INPUTS = ("last_review_date", "work_or_studies_start_date", "mapping_start_date")


@dataclass(frozen=True, slots=True)
class _Conditions:
    p: Params
    activation_review: Condition
    interruption: Condition
    mapping: Condition
    multisector_review: Condition


@lru_cache(maxsize=PERIOD_CACHE_SIZE)
def _conditions(on: dt.date) -> _Conditions:
    p = params_on(RULE, on)
    return _Conditions(
        p=p,
        activation_review=Condition(
            "activation_plan_review_due",
            gettext_noop(
                "Aktivointisuunnitelma tarkistetaan vähintään {months} kuukauden välein "
                "(edellisestä tarkistuksesta tai laatimisesta)"
            ),
            (("months", p.activation_plan_review_months),),
        ),
        interruption=Condition(
            "earliest_interruption",
            gettext_noop(
                "Aktivointisuunnitelman voi katsoa keskeytyneeksi aikaisintaan {months} kuukauden "
                "kuluttua työn, yritystoiminnan tai päätoimisten opintojen alkamisesta, henkilöä "
                "kuultuaan"
            ),
            (("months", p.interruption_months),),
        ),
        mapping=Condition(
            "mapping_period_end",
            gettext_noop(
                "Monialaisen yhteispalvelun kartoitusjakso ja suunnitelma {months} kuukauden "
                "kuluessa palvelun alkamisesta"
            ),
            (("months", p.mapping_period_months),),
        ),
        multisector_review=Condition(
            "multisector_plan_review_due",
            gettext_noop(
                "Monialainen työllistymissuunnitelma tarkistetaan vähintään {months} kuukauden "
                "välein"
            ),
            (("months", p.multisector_plan_review_months),),
        ),
    )


def _deadline(values: dict[str, Any], key: str, day: dt.date) -> None:
    values[key] = day
    why = non_working_day(day)
    if why:
        values[f"{key}_falls_on"] = why
        values[f"{key}_next_working_day"] = next_working_day(day)


def evaluate(facts: Facts, on: dt.date, explain: bool = True) -> Evaluation:
    """``yes`` when no review or mapping deadline has passed on ``on``, ``no`` when one has.

    Each deadline's reason is met while the deadline is still ahead (or today); the interruption
    reason is met once the plan may be declared interrupted.
    """
    c = _conditions(on)
    p = c.p
    values: dict[str, Any] = {}
    reasons: list[Reason] = []
    review_base = facts.last_review_date or facts.plan_start_date
    base_facts: dict[str, Any] = {"last_review_date": facts.last_review_date}
    if facts.last_review_date is None:
        base_facts = {"plan_start_date": facts.plan_start_date}
    in_time: list[bool] = []

    def due(condition: Condition, key: str, day: dt.date, used: dict[str, Any]) -> None:
        _deadline(values, key, day)
        in_time.append(on <= day)
        reasons.append(Reason(condition, on <= day, used))

    if review_base is not None:
        months = p.activation_plan_review_months
        due(
            c.activation_review,
            "activation_plan_review_due",
            add_months(review_base, months),
            base_facts,
        )
        months = p.multisector_plan_review_months
        due(
            c.multisector_review,
            "multisector_plan_review_due",
            add_months(review_base, months),
            base_facts,
        )
    mapping = facts.mapping_start_date
    if mapping is not None:
        due(
            c.mapping,
            "mapping_period_end",
            add_months(mapping, p.mapping_period_months),
            {"mapping_start_date": mapping},
        )
    started = facts.work_or_studies_start_date
    if started is not None:
        earliest = add_months(started, p.interruption_months)
        _deadline(values, "earliest_interruption", earliest)
        reasons.append(
            Reason(c.interruption, on >= earliest, {"work_or_studies_start_date": started})
        )
    if not values:
        return Evaluation(RULE, on, UNKNOWN, INPUTS, (), p.sources, {})
    decision = YES if all(in_time) else NO
    return Evaluation(RULE, on, decision, (), tuple(reasons) if explain else (), p.sources, values)
