"""Properties that must hold for every input (hypothesis)."""

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tyollisyystalo.rules import RULES, Facts, evaluate
from tyollisyystalo.rules.facts import EMPLOYER_TYPES, FACT_SPECS, PAY_SUBSIDY_GROUNDS

DATES = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2027, 12, 31))
ANY_DATE = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2027, 12, 31))


def maybe(strategy):
    return st.none() | strategy


def _value(name):
    spec = FACT_SPECS[name]
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "date":
        return ANY_DATE
    if spec.kind == "int":
        return st.integers(min_value=0, max_value=spec.maximum or 1000)
    return st.sampled_from(spec.choices)


FACTS = st.builds(Facts, **{name: maybe(_value(name)) for name in FACT_SPECS})


@settings(max_examples=400, deadline=None)
@given(facts=FACTS, on=DATES, rule=st.sampled_from(sorted(RULES)))
def test_unknown_only_when_a_deciding_fact_is_missing(facts, on, rule):
    evaluation = evaluate(rule, facts, on)
    if evaluation.decision == "unknown":
        assert evaluation.missing_facts
        for name in evaluation.missing_facts:
            assert getattr(facts, name) is None
    else:
        assert evaluation.missing_facts == ()
    # Every reason carries the facts it used and a known outcome or None.
    for reason in evaluation.reasons:
        assert reason.met in (True, False, None)


@settings(max_examples=300, deadline=None)
@given(facts=FACTS, on=DATES, rule=st.sampled_from(sorted(RULES)))
def test_filling_the_missing_facts_settles_the_decision(facts, on, rule):
    """Giving a value to every missing fact never leaves the answer unknown."""
    evaluation = evaluate(rule, facts, on)
    filled = facts
    for _ in range(5):
        if evaluation.decision != "unknown":
            break
        values = {}
        for name in evaluation.missing_facts:
            spec = FACT_SPECS[name]
            defaults = {"bool": False, "int": 0, "date": on}
            values[name] = defaults[spec.kind] if spec.kind in defaults else spec.choices[0]
        filled = dataclasses.replace(filled, **values)
        evaluation = evaluate(rule, filled, on)
    assert evaluation.decision != "unknown"


RANK = {"no": 0, "unknown": 1, "yes": 2}
DAY_FACTS = (
    "labour_market_subsidy_days_total",
    "labour_market_subsidy_days_last_12_months",
    "labour_market_subsidy_days_after_max_period",
)


@settings(max_examples=400, deadline=None)
@given(
    facts=FACTS,
    on=DATES,
    rule=st.sampled_from(["activation_plan_target_group", "multisector_service_target_group"]),
    field=st.sampled_from(DAY_FACTS),
    extra=st.integers(min_value=1, max_value=400),
)
def test_more_subsidy_days_never_remove_eligibility(facts, on, rule, field, extra):
    before = evaluate(rule, facts, on)
    current = getattr(facts, field)
    if current is None:
        return
    after = evaluate(rule, dataclasses.replace(facts, **{field: current + extra}), on)
    assert RANK[after.decision] >= RANK[before.decision]


@settings(max_examples=200, deadline=None)
@given(
    on=DATES,
    ground=st.sampled_from(PAY_SUBSIDY_GROUNDS),
    employer=st.sampled_from(EMPLOYER_TYPES),
)
def test_pay_subsidy_values_only_with_a_yes_or_unknown(on, ground, employer):
    evaluation = evaluate(
        "pay_subsidy",
        {
            "pay_subsidy_ground": ground,
            "employer_type": employer,
            "work_is_business_activity": False,
        },
        on,
    )
    if evaluation.decision == "no":
        assert evaluation.values == {}
    else:
        assert evaluation.values["rate_percent"] in {30, 40, 50, 70, 100}
