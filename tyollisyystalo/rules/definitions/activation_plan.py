"""Activation plan target group: 189/2001 § 3 as in force on the evaluation date."""

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

RULE = "activation_plan_target_group"


@dataclass(frozen=True, slots=True)
class _Conditions:
    p: Params
    young: Condition
    young_lms: Condition
    young_max_period: Condition
    young_social_assistance: Condition
    adult_lms: Condition
    adult_after_max: Condition
    adult_social_assistance: Condition
    benefit_alternatives_repealed: Condition
    integration_plan: Condition
    multisector: Condition


@lru_cache(maxsize=PERIOD_CACHE_SIZE)
def _conditions(on: dt.date) -> _Conditions:
    p = params_on(RULE, on)
    return _Conditions(
        p=p,
        young=Condition(
            "age_under_limit",
            gettext_noop("Alle {age}-vuotias arviointipäivänä"),
            (("age", p.youth_age_limit),),
        ),
        young_lms=Condition(
            "young_labour_market_subsidy",
            gettext_noop(
                "Alle {age}-vuotias: työllistymissuunnitelma ja työmarkkinatukea työttömyyden "
                "perusteella vähintään {days} päivältä viimeisen 12 kalenterikuukauden aikana"
            ),
            (("age", p.youth_age_limit), ("days", p.youth_lms_days_last_12_months)),
        ),
        young_max_period=Condition(
            "young_earnings_related_max_period",
            gettext_noop(
                "Alle {age}-vuotias: työllistymissuunnitelma ja työttömyyspäivärahaa saatu "
                "enimmäisajan"
            ),
            (("age", p.youth_age_limit),),
        ),
        young_social_assistance=Condition(
            "young_social_assistance",
            gettext_noop(
                "Alle {age}-vuotias: työnhakukeskustelu käyty ja pääasiallinen toimeentulo "
                "viimeisen {months} kuukauden aikana työttömyyden vuoksi maksettu toimeentulotuki"
            ),
            (("age", p.youth_age_limit), ("months", p.youth_social_assistance_months)),
        ),
        adult_lms=Condition(
            "adult_labour_market_subsidy",
            gettext_noop(
                "{age} vuotta täyttänyt: työllistymissuunnitelma ja työmarkkinatukea "
                "työttömyyden perusteella vähintään {days} päivältä"
            ),
            (("age", p.youth_age_limit), ("days", p.adult_lms_days_total)),
        ),
        adult_after_max=Condition(
            "adult_after_max_period",
            gettext_noop(
                "{age} vuotta täyttänyt: työllistymissuunnitelma ja työttömyyspäivärahan "
                "enimmäisajan jälkeen työmarkkinatukea vähintään {days} päivältä"
            ),
            (("age", p.youth_age_limit), ("days", p.adult_lms_days_after_max_period)),
        ),
        adult_social_assistance=Condition(
            "adult_social_assistance",
            gettext_noop(
                "{age} vuotta täyttänyt: työllistymissuunnitelma ja pääasiallinen toimeentulo "
                "viimeisen {months} kuukauden aikana työttömyyden vuoksi maksettu toimeentulotuki"
            ),
            (("age", p.youth_age_limit), ("months", p.adult_social_assistance_months)),
        ),
        benefit_alternatives_repealed=Condition(
            "benefit_alternatives_repealed",
            gettext_noop(
                "Työttömyysetuuteen perustuvat vaihtoehdot eivät ole voimassa arviointipäivänä: "
                "aktivointisuunnitelma laaditaan vain työttömyyden vuoksi toimeentulotukea "
                "saavalle"
            ),
        ),
        integration_plan=Condition(
            "no_integration_plan",
            gettext_noop("Henkilöllä ei ole kotoutumissuunnitelmaa"),
        ),
        multisector=Condition(
            "not_in_multisector_service",
            gettext_noop(
                "Henkilö ei ole monialaisen yhteispalvelun asiakas (hänelle laaditaan monialainen "
                "työllistymissuunnitelma)"
            ),
        ),
    )


def evaluate(facts: Facts, on: dt.date, explain: bool = True) -> Evaluation:
    c = _conditions(on)
    p = c.p
    t = Trace(explain)
    birth = facts.birth_date
    young = t.check(
        c.young,
        None if birth is None else age_on(birth, on) < p.youth_age_limit,
        {"birth_date": birth},
    )
    plan = facts.has_employment_plan
    sa = facts.social_assistance_main_income_months
    benefits = p.benefit_alternatives_in_force
    young_alt = adult_alt = Tri(False)
    if young.value is not False:
        alternatives = []
        if benefits:
            lms = facts.labour_market_subsidy_days_last_12_months
            alternatives.append(
                t.check(
                    c.young_lms,
                    _and(plan, at_least(lms, p.youth_lms_days_last_12_months)),
                    {"has_employment_plan": plan, "labour_market_subsidy_days_last_12_months": lms},
                )
            )
            maxed = facts.earnings_related_max_period_reached
            alternatives.append(
                t.check(
                    c.young_max_period,
                    _and(plan, maxed),
                    {"has_employment_plan": plan, "earnings_related_max_period_reached": maxed},
                )
            )
        interview = facts.job_search_interview_held
        alternatives.append(
            t.check(
                c.young_social_assistance,
                _and(interview, at_least(sa, p.youth_social_assistance_months)),
                {
                    "job_search_interview_held": interview,
                    "social_assistance_main_income_months": sa,
                },
            )
        )
        young_alt = any3(alternatives)
    if young.value is not True:
        alternatives = []
        if benefits:
            total = facts.labour_market_subsidy_days_total
            alternatives.append(
                t.check(
                    c.adult_lms,
                    _and(plan, at_least(total, p.adult_lms_days_total)),
                    {"has_employment_plan": plan, "labour_market_subsidy_days_total": total},
                )
            )
            after = facts.labour_market_subsidy_days_after_max_period
            alternatives.append(
                t.check(
                    c.adult_after_max,
                    _and(plan, at_least(after, p.adult_lms_days_after_max_period)),
                    {
                        "has_employment_plan": plan,
                        "labour_market_subsidy_days_after_max_period": after,
                    },
                )
            )
        alternatives.append(
            t.check(
                c.adult_social_assistance,
                _and(plan, at_least(sa, p.adult_social_assistance_months)),
                {"has_employment_plan": plan, "social_assistance_main_income_months": sa},
            )
        )
        adult_alt = any3(alternatives)
    if not benefits:
        t.check(c.benefit_alternatives_repealed, True, {})
    parts = [by_case(young, young_alt, adult_alt)]
    if p.exclusions_in_force:
        integration = facts.has_integration_plan
        multisector = facts.in_multisector_service
        parts.append(
            t.check(
                c.integration_plan,
                None if integration is None else not integration,
                {"has_integration_plan": integration},
            )
        )
        parts.append(
            t.check(
                c.multisector,
                None if multisector is None else not multisector,
                {"in_multisector_service": multisector},
            )
        )
    result = all3(parts)
    return t.evaluation(RULE, on, result, p.sources)


def _and(a: bool | None, b: bool | None) -> bool | None:
    """Kleene AND of two plain values (one condition's two requirements)."""
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True
