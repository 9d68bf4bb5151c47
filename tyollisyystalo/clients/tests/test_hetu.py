import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tyollisyystalo.clients.hetu import CENTURY_SIGNS, InvalidHetu, format_hetu, parse_hetu


@pytest.mark.parametrize(
    ("code", "birth_date", "sex", "temporary"),
    [
        ("131052-308T", dt.date(1952, 10, 13), "female", False),  # DVV's own example
        ("010594Y9032", dt.date(1994, 5, 1), "male", True),
        ("010594Y9021", dt.date(1994, 5, 1), "female", True),
        ("020594X903P", dt.date(1994, 5, 2), "male", True),
        ("020594W903P", dt.date(1994, 5, 2), "male", True),
        ("020594V903P", dt.date(1994, 5, 2), "male", True),
        ("020594U903P", dt.date(1994, 5, 2), "male", True),
        ("010101A900R", dt.date(2001, 1, 1), "female", True),
        ("020516C903K", dt.date(2016, 5, 2), "male", True),  # python-validators' vector
        ("010101B900R", dt.date(2001, 1, 1), "female", True),
        ("010101F900R", dt.date(2001, 1, 1), "female", True),
        ("010190+900P", dt.date(1890, 1, 1), "female", True),
        ("311299-0029", dt.date(1999, 12, 31), "female", False),
        ("290200A899A", dt.date(2000, 2, 29), "male", False),
    ],
)
def test_valid_codes_give_birth_date_sex_and_temporariness(code, birth_date, sex, temporary):
    parsed = parse_hetu(code)
    assert (parsed.birth_date, parsed.sex, parsed.is_temporary) == (birth_date, sex, temporary)


def test_lower_case_and_surrounding_space_are_normalised():
    assert parse_hetu("  010101a900r\n").code == "010101A900R"


@pytest.mark.parametrize(
    ("code", "message_part"),
    [
        ("131052-308", "11 merkkiä"),
        ("131052-308U", "tarkistusmerkki"),
        ("131052Z308T", "Vuosisadan merkki"),
        ("310252-308T", "päivämäärä"),
        ("290201A900A", "päivämäärä"),  # 2001 is no leap year
        ("010101A0012", "002–999"),
        ("010101A0000", "002–999"),
        ("13105X-308T", "muoto"),
    ],
)
def test_invalid_codes_say_what_is_wrong(code, message_part):
    with pytest.raises(InvalidHetu, match=message_part):
        parse_hetu(code)


def test_invalid_hetu_is_a_value_error():
    assert issubclass(InvalidHetu, ValueError)


def test_check_character_table_covers_every_remainder():
    # The 31 check characters leave out G, I, O, Q and Z.
    seen = {format_hetu(dt.date(1990, 1, 1), n)[-1] for n in range(2, 999)}
    assert seen == set("0123456789ABCDEFHJKLMNPRSTUVWXY")


def test_repr_never_shows_the_code():
    assert "900" not in repr(parse_hetu("010101A900R"))


@given(
    birth=st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)),
    individual=st.integers(min_value=2, max_value=999),
    data=st.data(),
)
def test_every_generated_valid_code_round_trips(birth, individual, data):
    century = birth.year // 100 * 100
    sign = data.draw(st.sampled_from([s for s, c in CENTURY_SIGNS.items() if c == century]))
    code = format_hetu(birth, individual, sign=sign)
    parsed = parse_hetu(code)
    assert parsed.code == code
    assert parsed.birth_date == birth
    assert parsed.sex == ("male" if individual % 2 else "female")
    assert parsed.is_temporary == (individual >= 900)
    assert parse_hetu(code.lower()).code == code
