"""Parameter files: every shipped file loads, and broken ones fail loudly."""

import datetime as dt
import re
import tokenize
from pathlib import Path

import pytest

from tyollisyystalo.rules import RULES, DateOutOfRange, evaluate
from tyollisyystalo.rules.parameters import (
    PARAMETER_DIR,
    ParameterFileError,
    load_all,
    params_on,
    parse_parameter_file,
)

GOOD = """
[meta]
rule = "x"
valid_from = 2020-01-01
[[parameters.days]]
from = 2020-01-01
to = 2022-12-31
value = 180
source = { act = "189/2001", section = "3 §" }
[[parameters.days]]
from = 2023-01-01
value = 200
source = { act = "189/2001", section = "3 §", amended_by = "1/2023" }
"""


def parse(text):
    return parse_parameter_file(text, Path("x.toml"))


def test_every_rule_has_a_valid_parameter_file():
    assert set(load_all()) == set(RULES)
    for definition in load_all().values():
        for periods in definition.parameters.values():
            assert periods[-1].end is None


def test_a_good_file_gives_the_value_in_force():
    parsed = parse(GOOD)
    assert parsed.boundaries() == [dt.date(2020, 1, 1), dt.date(2023, 1, 1)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("to = 2022-12-31", "to = 2023-01-05"), "overlap"),
        (("to = 2022-12-31", "to = 2022-12-30"), "gap"),
        (("from = 2020-01-01\nto", "from = 2020-02-01\nto"), "gap"),
        (('source = { act = "189/2001", section = "3 §" }', ""), "source"),
        (("value = 180\n", ""), "value is missing"),
        (("valid_from = 2020-01-01", "valid_from = 2020-13-01"), "x.toml"),
    ],
)
def test_broken_files_fail_loudly(change, message):
    text = GOOD.replace(*change)
    with pytest.raises(
        ParameterFileError, match=re.escape(message) if message != "x.toml" else "x.toml"
    ):
        parse(text)


def test_last_period_must_be_open_ended():
    text = GOOD.replace("value = 200", "to = 2030-01-01\nvalue = 200")
    with pytest.raises(ParameterFileError, match="open-ended"):
        parse(text)


def test_dates_before_the_rule_is_modelled_are_refused():
    with pytest.raises(DateOutOfRange):
        params_on("activation_plan_target_group", dt.date(2021, 12, 31))
    with pytest.raises(DateOutOfRange):
        evaluate("pay_subsidy", {}, dt.date(2000, 1, 1))


def test_no_legal_number_is_a_literal_in_rule_code():
    """Day, month, age and percentage limits come from the data files: the rule code holds no
    number literal at all (texts and docstrings aside)."""
    offenders = []
    for path in sorted((PARAMETER_DIR.parent / "definitions").glob("*.py")):
        with path.open("rb") as handle:
            for token in tokenize.tokenize(handle.readline):
                if token.type == tokenize.NUMBER:
                    offenders.append(f"{path.name}:{token.start[0]} {token.string}")
    assert offenders == []
