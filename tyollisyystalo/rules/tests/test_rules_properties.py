"""Properties that must hold for every input (hypothesis)."""

import dataclasses
import datetime as dt

import msgspec
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from tyollisyystalo.rules import RULES, FactError, Facts, evaluate, facts_from_mapping, screening
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


@settings(max_examples=300, deadline=None)
@given(facts=FACTS, on=DATES, rule=st.sampled_from(sorted(RULES)))
def test_decisions_without_explanations_are_the_same(facts, on, rule):
    explained = RULES[rule].function(facts, on)
    quick = RULES[rule].function(facts, on, explain=False)
    assert quick.decision == explained.decision
    assert quick.missing_facts == explained.missing_facts
    assert quick.values == explained.values
    assert quick.reasons == ()


def _json_value(name):
    """Valid JSON values of a fact, and values that are wrong in the ways input goes wrong."""
    spec = FACT_SPECS[name]
    wrong = (
        st.text(max_size=12)
        | st.integers(min_value=-5, max_value=(spec.maximum or 100) + 5)
        | st.booleans()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.just("2024-02-30")
        | st.just("2024-W01-1")
    )
    valid = _value(name).map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    return st.none() | valid | wrong


JSON_FACTS = st.sets(st.sampled_from([*sorted(FACT_SPECS), "shoe_size"]), max_size=8).flatmap(
    lambda keys: st.fixed_dictionaries(
        {k: (_json_value(k) if k in FACT_SPECS else st.integers(0, 50)) for k in keys}
    )
)


@settings(max_examples=500, deadline=None)
@given(data=JSON_FACTS)
def test_the_batch_fast_parser_accepts_exactly_what_the_validator_accepts(data):
    """msgspec's fast path may only accept rows that ``facts_from_mapping`` accepts, as the same
    ``Facts``; anything it refuses goes to ``facts_from_mapping`` for the message."""
    line = orjson.dumps({"id": "x", "facts": data})
    try:
        expected = facts_from_mapping(orjson.loads(line)["facts"])
    except FactError:
        expected = None
    try:
        row = screening._row_decoder.decode(line)
    except msgspec.DecodeError:
        return  # the validator decides (and explains) this row
    assert expected is not None, f"fast path accepted what the validator refuses: {data}"
    assert screening._facts_of(row) == expected
