"""OpenFisca tax-benefit system: one person entity, one variable per rule decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from tyollisyystalo.rules.facts import EMPLOYER_TYPES, PAY_SUBSIDY_GROUNDS, PURCHASE_CONTENTS
from tyollisyystalo.rules.parameters import load_all

F, U, T = 0, 1, 2
DECISIONS = np.array(["no", "unknown", "yes"])
RULES = (
    "activation_plan_target_group",
    "multisector_service_target_group",
    "plan_deadlines",
    "pay_subsidy",
    "employment_support_55",
    "rehabilitative_work_activity_provider",
    "obligation_employment",
)
# Choice facts as codes: the position in the vocabulary's tuple (-1 = unknown).
CHOICES = {
    "pay_subsidy_ground": PAY_SUBSIDY_GROUNDS,
    "employer_type": EMPLOYER_TYPES,
    "purchased_content": PURCHASE_CONTENTS,
}
# Dates of the plan deadlines as yyyymmdd integers (-1 = unknown).
DATE_INPUTS = (
    "last_review_date",
    "plan_start_date",
    "work_or_studies_start_date",
    "mapping_start_date",
)

Person = build_entity(
    key="person",
    plural="persons",
    label="Person",
    is_person=True,
)

# Inputs: integers (-1 = unknown) and booleans as -1/0/1. Dates are split into ordinals.
INT_INPUTS = (
    "birth_year",
    "birth_month",
    "birth_day",
    "labour_market_subsidy_days_total",
    "labour_market_subsidy_days_last_12_months",
    "labour_market_subsidy_days_after_max_period",
    "social_assistance_main_income_months",
    "continuous_unemployment_months",
    "unemployed_months_last_14",
    "unemployed_months_last_15",
    "unemployed_months_last_28",
    "obligation_arose_ordinal",
    *CHOICES,
    *DATE_INPUTS,
)
BOOL_INPUTS = (
    "has_employment_plan",
    "job_search_interview_held",
    "earnings_related_max_period_reached",
    "needs_coordinated_services",
    "has_integration_plan",
    "in_multisector_service",
    "work_is_business_activity",
)


def _input(name: str) -> type[Variable]:
    return type(
        name,
        (Variable,),
        {
            "value_type": int,
            "entity": Person,
            "definition_period": DateUnit.ETERNITY,
            "default_value": -1,
            "label": name,
        },
    )


def tri(values: np.ndarray) -> np.ndarray:
    """-1/0/1 (unknown/false/true) to F/U/T."""
    return np.where(values < 0, U, np.where(values > 0, T, F)).astype(np.int8)


def at_least(values: np.ndarray, limit: int) -> np.ndarray:
    return np.where(values < 0, U, np.where(values >= limit, T, F)).astype(np.int8)


def by_case(case: np.ndarray, if_true: np.ndarray, if_false: np.ndarray) -> np.ndarray:
    agree = np.where((if_true == if_false) & (if_true != U), if_true, U)
    return np.where(case == T, if_true, np.where(case == F, if_false, agree)).astype(np.int8)


def _age(person: Any, period: Any) -> tuple[np.ndarray, np.ndarray]:
    """Completed years on the period's start, and whether the birth date is known."""
    year = person("birth_year", period)
    month = person("birth_month", period)
    day = person("birth_day", period)
    on = period.start
    years = on.year - year
    before = (on.month < month) | ((on.month == month) & (on.day < day))
    leap = on.year % 4 == 0 and (on.year % 100 != 0 or on.year % 400 == 0)
    feb29 = (month == 2) & (day == 29) & (on.month == 2) & (on.day == 28) & (not leap)
    years = years - (before & ~feb29)
    return years, year >= 0


class activation_plan_target_group(Variable):
    value_type = int
    entity = Person
    definition_period = DateUnit.DAY
    label = "189/2001 § 3"

    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        p = parameters(period).activation_plan_target_group
        g = lambda name: person(name, period)  # noqa: E731
        age, known = _age(person, period)
        young = np.where(~known, U, np.where(age < p.youth_age_limit, T, F)).astype(np.int8)
        plan = tri(g("has_employment_plan"))
        sa = g("social_assistance_main_income_months")
        benefits = bool(p.benefit_alternatives_in_force)
        young_alts = [
            np.minimum(
                tri(g("job_search_interview_held")), at_least(sa, p.youth_social_assistance_months)
            )
        ]
        adult_alts = [np.minimum(plan, at_least(sa, p.adult_social_assistance_months))]
        if benefits:
            young_alts += [
                np.minimum(
                    plan,
                    at_least(
                        g("labour_market_subsidy_days_last_12_months"),
                        p.youth_lms_days_last_12_months,
                    ),
                ),
                np.minimum(plan, tri(g("earnings_related_max_period_reached"))),
            ]
            adult_alts += [
                np.minimum(
                    plan, at_least(g("labour_market_subsidy_days_total"), p.adult_lms_days_total)
                ),
                np.minimum(
                    plan,
                    at_least(
                        g("labour_market_subsidy_days_after_max_period"),
                        p.adult_lms_days_after_max_period,
                    ),
                ),
            ]
        result = by_case(young, np.maximum.reduce(young_alts), np.maximum.reduce(adult_alts))
        if bool(p.exclusions_in_force):
            result = np.minimum(result, 2 - tri(g("has_integration_plan")))
            result = np.minimum(result, 2 - tri(g("in_multisector_service")))
        return result


class multisector_service_target_group(Variable):
    value_type = int
    entity = Person
    definition_period = DateUnit.DAY
    label = "1369/2014 § 2, 381/2023 § 3"

    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        p = parameters(period).multisector_service_target_group
        g = lambda name: person(name, period)  # noqa: E731
        need = tri(g("needs_coordinated_services"))
        if not bool(p.time_thresholds_in_force):
            return need
        age, known = _age(person, period)
        young = np.where(~known, U, np.where(age < p.youth_age_limit, T, F)).astype(np.int8)
        months = g("continuous_unemployment_months")
        by_age = by_case(
            young,
            at_least(months, p.youth_unemployment_months),
            at_least(months, p.adult_unemployment_months),
        )
        threshold = np.maximum(
            at_least(g("labour_market_subsidy_days_total"), p.lms_days_total), by_age
        )
        return np.minimum(threshold, need)


class employment_support_55(Variable):
    value_type = int
    entity = Person
    definition_period = DateUnit.DAY
    label = "916/2012 7 a luku (371/2023)"

    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        p = parameters(period).employment_support_55
        if not bool(p.in_force):
            return np.zeros(person.count, dtype=np.int8)
        age, known = _age(person, period)
        old = np.where(~known, U, np.where(age >= p.age_limit, T, F)).astype(np.int8)
        months = at_least(person("unemployed_months_last_28", period), p.unemployed_months)
        return np.minimum(old, months)


class obligation_employment(Variable):
    value_type = int
    entity = Person
    definition_period = DateUnit.DAY
    label = "916/2012 11 luku 1 §"

    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        p = parameters(period).obligation_employment
        arose = person("obligation_arose_ordinal", period)
        on = period.start.date.toordinal()
        last = dt.date.fromisoformat(str(p.last_day_to_arise_iso)).toordinal()
        ok = (arose <= on) & (arose <= last)
        return np.where(arose < 0, U, np.where(ok, T, F)).astype(np.int8)


def known(values: np.ndarray, condition: np.ndarray) -> np.ndarray:
    """F/T from ``condition`` where ``values`` is known (>= 0), else U."""
    return np.where(values < 0, U, np.where(condition, T, F)).astype(np.int8)


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def add_months(ymd: np.ndarray, months: int) -> np.ndarray:
    """150/1930 § 3 on yyyymmdd integers: the same day number, or the month's last day."""
    year, month, day = ymd // 10000, ymd // 100 % 100, ymd % 100
    total = year * 12 + (month - 1) + months
    year, month = total // 12, total % 12 + 1
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last = _MONTH_DAYS[month] + ((month == 2) & leap)
    return year * 10000 + month * 100 + np.minimum(day, last)


class plan_deadlines(Variable):
    value_type = int
    entity = Person
    definition_period = DateUnit.DAY
    label = "189/2001, 1369/2014, 381/2023; 150/1930 § 3"

    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        p = parameters(period).plan_deadlines
        g = lambda name: person(name, period)  # noqa: E731
        on = period.start
        today = on.year * 10000 + on.month * 100 + on.day
        last, start = g("last_review_date"), g("plan_start_date")
        base = np.where(last >= 0, last, start)
        mapping, started = g("mapping_start_date"), g("work_or_studies_start_date")
        reviews_in_time = (today <= add_months(base, p.activation_plan_review_months)) & (
            today <= add_months(base, p.multisector_plan_review_months)
        )
        in_time = np.where(base >= 0, reviews_in_time, True) & np.where(
            mapping >= 0, today <= add_months(mapping, p.mapping_period_months), True
        )
        anything = (base >= 0) | (mapping >= 0) | (started >= 0)
        return np.where(~anything, U, np.where(in_time, T, F)).astype(np.int8)


class pay_subsidy(Variable):
    value_type = int
    entity = Person
    definition_period = DateUnit.DAY
    label = "916/2012 7 luku"

    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        p = parameters(period).pay_subsidy
        g = lambda name: person(name, period)  # noqa: E731
        ground = g("pay_subsidy_ground")
        code = PAY_SUBSIDY_GROUNDS.index
        employer = g("employer_type")
        non_profit = np.isin(
            employer,
            [EMPLOYER_TYPES.index(e) for e in ("association", "foundation", "religious_community")],
        )
        association = np.minimum(
            known(employer, non_profit), 2 - tri(g("work_is_business_activity"))
        )
        if bool(p.age_60_in_force):
            age, birth_known = _age(person, period)
            months = g(f"unemployed_months_last_{int(p.age_60_window_months)}")
            aged = np.where(~birth_known, U, np.where(age >= p.age_60_limit, T, F))
            age_60 = np.minimum(aged, at_least(months, p.age_60_unemployed_months))
        else:
            age_60 = np.full(person.count, F)
        result = np.full(person.count, T, dtype=np.int8)  # skills, reduced work ability, ...
        result = np.where(ground == code("association_100"), association, result)
        result = np.where(ground == code("age_60"), age_60, result)
        return np.where(ground < 0, U, result).astype(np.int8)


class rehabilitative_work_activity_provider(Variable):
    value_type = int
    entity = Person
    definition_period = DateUnit.DAY
    label = "189/2001 § 6, § 13"

    def formula(person: Any, period: Any, parameters: Any) -> np.ndarray:
        p = parameters(period).rehabilitative_work_activity_provider
        provider = person("employer_type", period)
        content = person("purchased_content", period)
        company = provider == EMPLOYER_TYPES.index("company")
        support = known(content, content == PURCHASE_CONTENTS.index("support_and_guidance"))
        if bool(p.company_may_produce_activity):
            company = np.zeros(person.count, dtype=bool)
        result = np.where(company, support, T)
        return np.where(provider < 0, U, result).astype(np.int8)


def _parameter_tree() -> ParameterNode:
    """Our TOML parameter files as an OpenFisca parameter tree (numbers and flags only)."""
    tree: dict[str, Any] = {}
    for rule in RULES:
        node: dict[str, Any] = {}
        for name, periods in load_all()[rule].parameters.items():
            values: dict[str, Any] = {}
            for period in periods:
                value = period.value
                if isinstance(value, bool):
                    value = int(value)
                elif isinstance(value, dt.date):
                    name_iso = f"{name}_iso"
                    node.setdefault(name_iso, {"values": {}})["values"][
                        period.start.isoformat()
                    ] = {"value": value.isoformat()}
                    continue
                elif not isinstance(value, int | float):
                    continue
                values[period.start.isoformat()] = {"value": value}
            if values:
                node[name] = {"values": values}
        tree[rule] = node
    return ParameterNode("", data=tree)


class ScreeningSystem(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__([Person])
        for name in INT_INPUTS + BOOL_INPUTS:
            self.add_variable(_input(name))
        for variable in (
            activation_plan_target_group,
            multisector_service_target_group,
            plan_deadlines,
            pay_subsidy,
            employment_support_55,
            rehabilitative_work_activity_provider,
            obligation_employment,
        ):
            self.add_variable(variable)
        self.parameters = _parameter_tree()


def decide(
    system: ScreeningSystem, rule: str, columns: dict[str, np.ndarray], on: dt.date
) -> np.ndarray:
    """The decisions ("yes"/"no"/"unknown") for every row of ``columns`` on ``on``."""
    count = len(next(iter(columns.values())))
    simulation = SimulationBuilder().build_default_simulation(system, count)
    for name, values in columns.items():
        simulation.set_input(name, "eternity", values)
    result = simulation.calculate(rule, on.isoformat())
    return DECISIONS[result.astype(np.int64)]
