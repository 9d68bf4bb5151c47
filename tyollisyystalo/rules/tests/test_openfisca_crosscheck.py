"""Our rules and the OpenFisca model agree on every one of 10,000 records (issue 4 part 6)."""

import importlib

import pytest

from tyollisyystalo.rules import evaluate, facts_from_mapping

# Imported by name: the model lives beside the benchmarks, outside the product packages.
model = importlib.import_module("bench.openfisca_model.model")
population = importlib.import_module("bench.openfisca_model.population")
RULES, ScreeningSystem, decide = model.RULES, model.ScreeningSystem, model.decide
EVALUATION_DATES = population.EVALUATION_DATES
columns, records = population.columns, population.records


@pytest.fixture(scope="module")
def system():
    return ScreeningSystem()


def test_identical_decisions_on_10000_records_for_every_rule(system):
    reached: dict[str, set[str]] = {rule: set() for rule in RULES}
    for on in EVALUATION_DATES:
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
            reached[rule] |= set(ours)
    # The records reach every outcome of every rule, so agreement means something.
    assert reached == {rule: {"yes", "no", "unknown"} for rule in RULES}
