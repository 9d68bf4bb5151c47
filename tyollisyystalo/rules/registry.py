"""The rules by id, and ``evaluate(rule_id, facts, on)``: the one entry point for every caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from tyollisyystalo.rules.definitions import (
    activation_plan,
    deadlines,
    multisector,
    obligation,
    pay_subsidy,
    providers,
)
from tyollisyystalo.rules.evaluation import Evaluation
from tyollisyystalo.rules.facts import Facts, facts_from_mapping
from tyollisyystalo.rules.parameters import load_all
from tyollisyystalo.rules.texts import gettext_noop


class RuleFunction(Protocol):
    def __call__(self, facts: Facts, on: dt.date, explain: bool = True) -> Evaluation: ...


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    question: str
    function: RuleFunction
    facts: tuple[str, ...]


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "activation_plan_target_group",
            gettext_noop("Aktivointisuunnitelma"),
            gettext_noop("Kuuluuko henkilö aktivointisuunnitelman kohderyhmään?"),
            activation_plan.evaluate,
            (
                "birth_date",
                "has_employment_plan",
                "job_search_interview_held",
                "labour_market_subsidy_days_last_12_months",
                "earnings_related_max_period_reached",
                "labour_market_subsidy_days_total",
                "labour_market_subsidy_days_after_max_period",
                "social_assistance_main_income_months",
                "has_integration_plan",
                "in_multisector_service",
            ),
        ),
        Rule(
            "multisector_service_target_group",
            gettext_noop("Monialainen yhteispalvelu (TYP)"),
            gettext_noop("Kuuluuko henkilö monialaisen yhteispalvelun kohderyhmään?"),
            multisector.evaluate,
            (
                "birth_date",
                "labour_market_subsidy_days_total",
                "continuous_unemployment_months",
                "needs_coordinated_services",
            ),
        ),
        Rule(
            "plan_deadlines",
            gettext_noop("Suunnitelmien määräajat"),
            gettext_noop("Ovatko suunnitelmien lakisääteiset määräajat ajallaan?"),
            deadlines.evaluate,
            (
                "last_review_date",
                "plan_start_date",
                "work_or_studies_start_date",
                "mapping_start_date",
            ),
        ),
        Rule(
            "pay_subsidy",
            gettext_noop("Palkkatuki"),
            gettext_noop("Voiko työnantajalle myöntää palkkatukea, ja kuinka paljon ja kauanko?"),
            pay_subsidy.evaluate,
            (
                "pay_subsidy_ground",
                "birth_date",
                "unemployed_months_last_14",
                "unemployed_months_last_15",
                "employer_type",
                "work_is_business_activity",
            ),
        ),
        Rule(
            "employment_support_55",
            gettext_noop("55 vuotta täyttäneiden työllistämistuki"),
            gettext_noop("Täyttyvätkö 55 vuotta täyttäneiden työllistämistuen edellytykset?"),
            pay_subsidy.evaluate_55,
            ("birth_date", "unemployed_months_last_28"),
        ),
        Rule(
            "rehabilitative_work_activity_provider",
            gettext_noop("Kuntouttavan työtoiminnan tuottaja"),
            gettext_noop("Voiko kuntouttavaa työtoimintaa hankkia tältä tuottajalta?"),
            providers.evaluate,
            ("employer_type", "purchased_content"),
        ),
        Rule(
            "obligation_employment",
            gettext_noop("Velvoitetyöllistäminen"),
            gettext_noop("Onko kotikunnan velvoite järjestää työtä voimassa?"),
            obligation.evaluate,
            ("obligation_arose_on",),
        ),
    )
}
assert set(RULES) == set(load_all()), "every rule needs a parameter file and vice versa"


class UnknownRule(KeyError):
    """No rule has that id."""


def evaluate(rule_id: str, facts: Mapping[str, Any] | Facts, on: dt.date) -> Evaluation:
    """Evaluate one rule on one date.

    Raises ``UnknownRule``, ``FactError`` (bad facts) or ``DateOutOfRange``.
    """
    rule = RULES.get(rule_id)
    if rule is None:
        raise UnknownRule(rule_id)
    if not isinstance(facts, Facts):
        facts = facts_from_mapping(facts)
    return rule.function(facts, on)
