"""Rehabilitative work activity: who organises it and what may be bought from a company."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from tyollisyystalo.rules.evaluation import Condition, Evaluation, Trace, Tri
from tyollisyystalo.rules.facts import Facts
from tyollisyystalo.rules.parameters import PERIOD_CACHE_SIZE, Params, params_on
from tyollisyystalo.rules.texts import gettext_noop

RULE = "rehabilitative_work_activity_provider"


@dataclass(frozen=True, slots=True)
class _Conditions:
    p: Params
    provider_known: Condition
    not_company: Condition
    support_only: Condition


@lru_cache(maxsize=PERIOD_CACHE_SIZE)
def _conditions(on: dt.date) -> _Conditions:
    p = params_on(RULE, on)
    return _Conditions(
        p=p,
        provider_known=Condition(
            "provider_type_known", gettext_noop("Tuottajan organisaatiotyyppi on tiedossa")
        ),
        not_company=Condition(
            "provider_not_company",
            gettext_noop(
                "Tuottaja ei ole yritys (kuntouttavaa työtoimintaa ei saa hankkia yritykseltä)"
            ),
        ),
        support_only=Condition(
            "company_provides_support_only",
            gettext_noop(
                "Yritykseltä hankitaan vain kuntouttavaan työtoimintaan osallistuvan tukea ja "
                "ohjausta"
            ),
        ),
    )


def evaluate(facts: Facts, on: dt.date, explain: bool = True) -> Evaluation:
    c = _conditions(on)
    p = c.p
    provider = facts.employer_type
    t = Trace(explain)
    result: Tri
    if provider is None:
        result = t.check(c.provider_known, None, {"employer_type": None})
    elif provider != "company" or p.company_may_produce_activity:
        result = t.check(c.not_company, True, {"employer_type": provider})
    else:
        t.check(c.not_company, False, {"employer_type": provider})
        content = facts.purchased_content
        result = t.check(
            c.support_only,
            None if content is None else content == "support_and_guidance",
            {"purchased_content": content},
        )
    return t.evaluation(RULE, on, result, p.sources, {"organiser": p.organiser})
