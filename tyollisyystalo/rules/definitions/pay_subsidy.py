"""Pay subsidy (palkkatuki) and the employment support for people aged 55 or over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tyollisyystalo.rules.evaluation import (
    Condition,
    Evaluation,
    Trace,
    Tri,
    all3,
    at_least,
)
from tyollisyystalo.rules.facts import Facts, age_on
from tyollisyystalo.rules.parameters import PERIOD_CACHE_SIZE, Params, params_on
from tyollisyystalo.rules.texts import gettext_noop

RULE = "pay_subsidy"
RULE_55 = "employment_support_55"
NON_PROFIT_EMPLOYERS = frozenset({"association", "foundation", "religious_community"})


@dataclass(frozen=True, slots=True)
class _Conditions:
    p: Params
    ground: Condition
    long_unemployed: Condition
    non_profit: Condition
    not_business: Condition
    age_60_repealed: Condition
    age_60: Condition
    age_60_unemployed: Condition


@lru_cache(maxsize=PERIOD_CACHE_SIZE)
def _conditions(on: dt.date) -> _Conditions:
    p = params_on(RULE, on)
    return _Conditions(
        p=p,
        ground=Condition("ground_given", gettext_noop("Palkkatuen peruste on tiedossa")),
        long_unemployed=Condition(
            "long_unemployed",
            gettext_noop(
                "Työttömänä vähintään {months} kuukautta viimeisten {window} kuukauden aikana "
                "(pidempi tuki)"
            ),
            (("months", p.long_unemployment_months), ("window", p.long_unemployment_window_months)),
        ),
        non_profit=Condition(
            "non_profit_employer",
            gettext_noop(
                "Työnantaja on yhdistys, säätiö tai rekisteröity uskonnollinen yhdyskunta"
            ),
        ),
        not_business=Condition(
            "not_business_activity",
            gettext_noop("Työ ei ole elinkeinotoimintaa (tuki enintään {percent} %:n työajalle)"),
            (("percent", p.association_max_working_time_percent),),
        ),
        age_60_repealed=Condition(
            "age_60_in_force",
            gettext_noop("60 vuotta täyttäneen palkkatuki on voimassa arviointipäivänä"),
        ),
        age_60=Condition(
            "age_at_least_60",
            gettext_noop("{age} vuotta täyttänyt arviointipäivänä"),
            (("age", p.age_60_limit),),
        ),
        age_60_unemployed=Condition(
            "age_60_unemployed",
            gettext_noop(
                "Työttömänä vähintään {months} kuukautta viimeisten {window} kuukauden aikana"
            ),
            (("months", p.age_60_unemployed_months), ("window", p.age_60_window_months)),
        ),
    )


def evaluate(facts: Facts, on: dt.date, explain: bool = True) -> Evaluation:
    c = _conditions(on)
    p = c.p
    t = Trace(explain)
    values: dict[str, Any] = {}
    ground = facts.pay_subsidy_ground
    result: Tri
    if ground is None:
        result = t.check(c.ground, None, {"pay_subsidy_ground": None})
    elif ground == "skills":
        window = p.long_unemployment_window_months
        name = f"unemployed_months_last_{window}"
        months = getattr(facts, name)
        long = t.check(
            c.long_unemployed, at_least(months, p.long_unemployment_months), {name: months}
        )
        result = Tri(True)
        if long.value is None:
            # Eligible either way; only the length and (before 7/2023) the rate depend on it.
            values["rate_percent"] = p.skills_rate_percent
            values["max_months"] = p.skills_max_months
            values["max_months_if_long_unemployed"] = p.skills_long_unemployed_max_months
        else:
            values["rate_percent"] = (
                p.skills_long_unemployed_rate_percent if long.value else p.skills_rate_percent
            )
            values["max_months"] = (
                p.skills_long_unemployed_max_months if long.value else p.skills_max_months
            )
        values["monthly_cap_eur"] = p.monthly_cap_eur
    elif ground == "reduced_work_ability":
        result = Tri(True)
        values["rate_percent"] = p.reduced_work_ability_rate_percent
        values["max_months"] = p.reduced_work_ability_max_months
        values["extension_max_months"] = p.reduced_work_ability_extension_months
        values["monthly_cap_eur"] = p.high_rate_monthly_cap_eur
    elif ground == "association_100":
        employer = facts.employer_type
        business = facts.work_is_business_activity
        result = all3(
            (
                t.check(
                    c.non_profit,
                    None if employer is None else employer in NON_PROFIT_EMPLOYERS,
                    {"employer_type": employer},
                ),
                t.check(
                    c.not_business,
                    None if business is None else not business,
                    {"work_is_business_activity": business},
                ),
            )
        )
        values["rate_percent"] = p.association_rate_percent
        values["max_months"] = p.association_max_months
        values["max_working_time_percent"] = p.association_max_working_time_percent
        values["monthly_cap_eur"] = p.high_rate_monthly_cap_eur
    elif ground == "age_60":
        if not p.age_60_in_force:
            result = t.check(c.age_60_repealed, False, {"pay_subsidy_ground": ground})
        else:
            birth = facts.birth_date
            name = f"unemployed_months_last_{p.age_60_window_months}"
            months = getattr(facts, name)
            result = all3(
                (
                    t.check(
                        c.age_60,
                        None if birth is None else age_on(birth, on) >= p.age_60_limit,
                        {"birth_date": birth},
                    ),
                    t.check(
                        c.age_60_unemployed,
                        at_least(months, p.age_60_unemployed_months),
                        {name: months},
                    ),
                )
            )
            values["rate_percent"] = p.age_60_rate_percent
            values["max_months"] = None
            values["monthly_cap_eur"] = p.monthly_cap_eur
    else:  # apprenticeship: for the duration of the training
        result = Tri(True)
        values["rate_percent"] = p.apprenticeship_rate_percent
        values["max_months"] = None
        values["monthly_cap_eur"] = p.monthly_cap_eur
    if result.value is False:
        values = {}
    return t.evaluation(RULE, on, result, p.sources, values)


@dataclass(frozen=True, slots=True)
class _Conditions55:
    p: Params
    in_force: Condition
    age: Condition
    unemployed: Condition


@lru_cache(maxsize=PERIOD_CACHE_SIZE)
def _conditions_55(on: dt.date) -> _Conditions55:
    p = params_on(RULE_55, on)
    return _Conditions55(
        p=p,
        in_force=Condition(
            "in_force",
            gettext_noop("{age} vuotta täyttäneiden työllistämistuki on voimassa arviointipäivänä"),
            (("age", p.age_limit),),
        ),
        age=Condition(
            "age_at_least",
            gettext_noop("{age} vuotta täyttänyt arviointipäivänä"),
            (("age", p.age_limit),),
        ),
        unemployed=Condition(
            "unemployed_months_last_28",
            gettext_noop("Työttömänä vähintään {months} kuukautta viimeisten 28 kuukauden aikana"),
            (("months", p.unemployed_months),),
        ),
    )


def evaluate_55(facts: Facts, on: dt.date, explain: bool = True) -> Evaluation:
    c = _conditions_55(on)
    p = c.p
    t = Trace(explain)
    if not p.in_force:
        t.check(c.in_force, False, {})
        return Evaluation(RULE_55, on, "no", (), tuple(t.reasons), p.sources, {})
    t.check(c.in_force, True, {})
    birth = facts.birth_date
    months = facts.unemployed_months_last_28
    result = all3(
        (
            t.check(
                c.age,
                None if birth is None else age_on(birth, on) >= p.age_limit,
                {"birth_date": birth},
            ),
            t.check(
                c.unemployed,
                at_least(months, p.unemployed_months),
                {"unemployed_months_last_28": months},
            ),
        )
    )
    values: dict[str, Any] = {}
    if result.value is not False:
        values = {
            "rate_percent": p.rate_percent,
            "max_months": p.max_months,
            "monthly_cap_eur": p.monthly_cap_eur,
        }
    return t.evaluation(RULE_55, on, result, p.sources, values)
