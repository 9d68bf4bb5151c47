"""Multi-sector service (TYP) target group: 1369/2014 § 2 until 2024, 381/2023 § 3 from 2025."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from tyollisyystalo.rules.evaluation import (
    Condition,
    Evaluation,
    Trace,
    Tri,
    all3,
    any3,
    at_least,
    by_case,
)
from tyollisyystalo.rules.facts import Facts, age_on
from tyollisyystalo.rules.parameters import PERIOD_CACHE_SIZE, Params, params_on
from tyollisyystalo.rules.texts import gettext_noop

RULE = "multisector_service_target_group"


@dataclass(frozen=True, slots=True)
class _Conditions:
    p: Params
    lms: Condition
    unemployment: Condition
    need: Condition


@lru_cache(maxsize=PERIOD_CACHE_SIZE)
def _conditions(on: dt.date) -> _Conditions:
    p = params_on(RULE, on)
    need_text = (
        gettext_noop(
            "Työllistymisen edistäminen edellyttää työvoima-, sosiaali-, terveys- ja "
            "kuntoutuspalvelujen yhteensovittamista"
        )
        if p.time_thresholds_in_force
        else gettext_noop(
            "Työllistymisen esteenä on työ- tai toimintakyvyn rajoitteita tai elämänhallinnan "
            "ongelmia, jotka eivät ratkea viranomaisten välisellä konsultaatiolla"
        )
    )
    return _Conditions(
        p=p,
        lms=Condition(
            "labour_market_subsidy_days",
            gettext_noop("Työmarkkinatukea työttömyyden perusteella vähintään {days} päivältä"),
            (("days", p.lms_days_total),),
        ),
        unemployment=Condition(
            "continuous_unemployment",
            gettext_noop(
                "Yhtäjaksoisesti työttömänä vähintään {young_months} kuukautta (alle "
                "{age}-vuotias) tai {adult_months} kuukautta ({age} vuotta täyttänyt)"
            ),
            (
                ("age", p.youth_age_limit),
                ("young_months", p.youth_unemployment_months),
                ("adult_months", p.adult_unemployment_months),
            ),
        ),
        need=Condition("needs_coordinated_services", need_text),
    )


def evaluate(facts: Facts, on: dt.date, explain: bool = True) -> Evaluation:
    c = _conditions(on)
    p = c.p
    t = Trace(explain)
    parts: list[Tri] = []
    if p.time_thresholds_in_force:
        total = facts.labour_market_subsidy_days_total
        months = facts.continuous_unemployment_months
        birth = facts.birth_date
        young = Tri(
            None if birth is None else age_on(birth, on) < p.youth_age_limit,
            frozenset({"birth_date"}),
        )
        by_age = by_case(
            young,
            Tri(
                at_least(months, p.youth_unemployment_months),
                frozenset({"continuous_unemployment_months"}),
            ),
            Tri(
                at_least(months, p.adult_unemployment_months),
                frozenset({"continuous_unemployment_months"}),
            ),
        )
        lms = t.check(
            c.lms,
            at_least(total, p.lms_days_total),
            {"labour_market_subsidy_days_total": total},
        )
        t.check(
            c.unemployment,
            by_age.value,
            {"birth_date": birth, "continuous_unemployment_months": months},
        )
        parts.append(any3((lms, by_age)))
    need = facts.needs_coordinated_services
    parts.append(t.check(c.need, need, {"needs_coordinated_services": need}))
    result = all3(parts)
    return t.evaluation(RULE, on, result, p.sources)
