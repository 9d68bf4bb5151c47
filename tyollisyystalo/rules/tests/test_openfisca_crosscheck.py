"""Our rules and the OpenFisca model agree on every one of 10,000 records (issue 4 part 6)."""

import pytest

from bench.openfisca_model.model import RULES, ScreeningSystem, decide
from bench.openfisca_model.population import EVALUATION_DATES, columns, records
from tyollisyystalo.rules import evaluate, facts_from_mapping


@pytest.fixture(scope="module")
def system():
    return ScreeningSystem()


@pytest.mark.parametrize("on", EVALUATION_DATES, ids=str)
def test_identical_decisions_on_10000_records(system, on):
    rows = list(records(10_000 // len(EVALUATION_DATES), seed=on.toordinal(), on=on))
    facts_rows = [row["facts"] for row in rows]
    cols = columns(facts_rows)
    for rule in RULES:
        theirs = decide(system, rule, cols, on)
        ours = [evaluate(rule, facts_from_mapping(f), on).decision for f in facts_rows]
        mismatches = [
            (rows[i]["id"], ours[i], theirs[i], facts_rows[i])
            for i in range(len(rows))
            if ours[i] != theirs[i]
        ]
        assert mismatches == [], (rule, on, mismatches[:3])
        if rule == "activation_plan_target_group":
            assert set(ours) == {"yes", "no", "unknown"}  # the records reach every outcome
