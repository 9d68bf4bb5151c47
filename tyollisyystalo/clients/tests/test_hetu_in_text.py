"""The henkilötunnus filter of public free text: every disguise is caught, ordinary text is not.

Codes are generated from the temporary range (900–999), so none is a real person's.
"""

import datetime as dt

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tyollisyystalo.clients.hetu import CENTURY_SIGNS, contains_hetu, format_hetu

SIGNS_BY_CENTURY = {
    century: [sign for sign, c in CENTURY_SIGNS.items() if c == century]
    for century in (1800, 1900, 2000)
}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
DASHES = ["\u2013", "\u2014", "\u2010", "\u2011", "\u2212", "\ufe63", "\uff0d"]
WORDS = st.sampled_from(
    [
        "Hei",
        "olen",
        "Sari",
        "ja",
        "tarvitsen",
        "apua",
        "työnhakuun",
        "kiitos",
        "terveisin",
        "hetu:",
        "numeroni",
        "(",
        ")",
        ",",
        ".",
    ]
)
FILLER = st.lists(WORDS, max_size=6).map(" ".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def temporary_codes(draw, signs=None):
    born = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
    sign = draw(st.sampled_from(signs or SIGNS_BY_CENTURY[born.year // 100 * 100]))
    if CENTURY_SIGNS[sign] != born.year // 100 * 100:
        born = born.replace(year=CENTURY_SIGNS[sign] + born.year % 100, day=min(born.day, 28))
    return format_hetu(born, draw(st.integers(900, 999)), sign=sign)


def _spread(draw, code: str, fillers: list[str]) -> str:
    """Insert ``fillers`` at random places inside the code."""
    chars = list(code)
    for filler in fillers:
        chars.insert(draw(st.integers(1, len(chars) - 1)), filler)
    return "".join(chars)


@st.composite
def disguised(draw):
    code = draw(temporary_codes())
    kind = draw(
        st.sampled_from(
            ["plain", "lower", "no sign", "spaces", "dash", "invisible", "glued", "fullwidth"]
        )
    )
    if kind == "lower":
        code = code.lower()
    elif kind == "no sign":
        code = code[:6] + code[7:]
        # Ten bare digits that also make a valid phone number are read as the phone number.
        if code[-1].isdigit():
            assume(not phonenumbers.is_valid_number(phonenumbers.parse(code, "FI")))
    elif kind == "spaces":
        code = _spread(
            draw,
            code,
            draw(st.lists(st.sampled_from([" ", "  ", "\u00a0"]), min_size=1, max_size=4)),
        )
    elif kind == "dash":
        code = draw(temporary_codes(signs=["-"]))
        code = code[:6] + draw(st.sampled_from(DASHES)) + code[7:]
    elif kind == "invisible":
        code = _spread(
            draw, code, draw(st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=3))
        )
    elif kind == "glued":
        return draw(FILLER) + " hetu" + code + "kiitos " + draw(FILLER)
    elif kind == "fullwidth":
        code = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in code)
    return draw(FILLER) + " " + code + " " + draw(FILLER)


@SETTINGS
@given(text=disguised())
def test_a_disguised_temporary_code_in_text_is_found(text):
    assert contains_hetu(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hetuni on 010190900P.",
        "Hetuni on 010190 900P.",
        "Hetuni on 010190 - 900P.",
        "Hetuni on 010190\u2013900P.",
        "Hetuni on 0101\u200b90-900P.",
        "hetu010190-900Pkiitos",
        "Sari Esimerkki 010190-900P",
        "Syntynyt 1.1.1990 010190-900P",
    ],
)
def test_the_disguises_the_probe_used_are_found(text):
    assert contains_hetu(text)


def _phone(prefix: str, digits: str) -> str:
    return prefix + digits


@st.composite
def ordinary_text(draw):
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    mobile = draw(st.sampled_from(["040", "041", "044", "045", "046", "050"])) + draw(
        st.text("0123456789", min_size=7, max_size=7)
    )
    assume(phonenumbers.is_valid_number(phonenumbers.parse(mobile, "FI")))
    phone = draw(
        st.sampled_from(
            [
                f"{mobile[:3]} {mobile[3:6]} {mobile[6:]}",
                f"{mobile[:3]}-{mobile[3:]}",
                mobile,
                f"+358 {mobile[1:3]} {mobile[3:6]} {mobile[6:]}",
                f"+358{mobile[1:]}",
            ]
        )
    )
    postcode = draw(st.text("0123456789", min_size=5, max_size=5))
    parts = [
        f"Tapaaminen {day.day}.{day.month}.{day.year} klo {draw(st.integers(8, 17))}.{draw(st.sampled_from(['00', '15', '30']))}",
        f"soita numeroon {phone}",
        f"osoite Kotikatu {draw(st.integers(1, 99))} A {draw(st.integers(1, 40))}, {postcode} Esimerkkilä",
        f"päivä {day.isoformat()}",
        f"{day.strftime('%d.%m.%Y')}",
        f"maksoin {draw(st.integers(0, 100000))} euroa",
        f"viitenumero YP-{draw(st.text('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', min_size=4, max_size=4))}",
    ]
    return " ".join(draw(st.permutations(parts)))


@SETTINGS
@given(text=ordinary_text())
def test_ordinary_finnish_text_with_dates_phones_and_postcodes_is_not_flagged(text):
    assert not contains_hetu(text)
