"""Obligation employment (velvoitetyöllistäminen): only obligations arisen by 1.9.2024 continue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from tyollisyystalo.rules.evaluation import Condition, Evaluation, Trace, all3
from tyollisyystalo.rules.facts import Facts
from tyollisyystalo.rules.parameters import PERIOD_CACHE_SIZE, Params, params_on
from tyollisyystalo.rules.texts import gettext_noop

RULE = "obligation_employment"


@dataclass(frozen=True, slots=True)
class _Conditions:
    p: Params
    arose: Condition
    arose_in_time: Condition


@lru_cache(maxsize=PERIOD_CACHE_SIZE)
def _conditions(on: dt.date) -> _Conditions:
    p = params_on(RULE, on)
    text = (
        gettext_noop("Velvoite on syntynyt viimeistään {last_day} (myöhemmin syntyviä ei ole)")
        if not p.new_obligations_possible
        else gettext_noop("Velvoite on syntynyt (uusia velvoitteita voi syntyä arviointipäivänä)")
    )
    return _Conditions(
        p=p,
        arose=Condition(
            "obligation_arisen", gettext_noop("Velvoite on syntynyt viimeistään arviointipäivänä")
        ),
        arose_in_time=Condition(
            "arose_before_repeal", text, (("last_day", p.last_day_to_arise.strftime("%-d.%-m.%Y")),)
        ),
    )


def evaluate(facts: Facts, on: dt.date, explain: bool = True) -> Evaluation:
    """``yes``: the home municipality's obligation to arrange work is in force on ``on``."""
    c = _conditions(on)
    p = c.p
    arose = facts.obligation_arose_on
    values = {"work_months": p.work_months}
    t = Trace(explain)
    if arose is None:
        result = t.check(c.arose, None, {"obligation_arose_on": None})
    else:
        result = all3(
            (
                t.check(c.arose, arose <= on, {"obligation_arose_on": arose}),
                t.check(
                    c.arose_in_time, arose <= p.last_day_to_arise, {"obligation_arose_on": arose}
                ),
            )
        )
    return t.evaluation(RULE, on, result, p.sources, values)
