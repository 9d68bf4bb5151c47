"""Finnish personal identity code (henkilötunnus, HETU).

Format ``DDMMYYCZZZQ``: birth date, century sign, individual number and check character.
Century signs after the reform in force 1.1.2023 (Act 128/2010 as amended, Government Decree
on the population information system): 1800s ``+``; 1900s ``-`` and ``Y X W V U``;
2000s ``A`` and ``B C D E F``. Individual numbers 002–899 are ordinary, 900–999 temporary
(never given to real persons); odd numbers are men, even women. The check character is
``DDMMYYZZZ`` modulo 31 in ``0123456789ABCDEFHJKLMNPRSTUVWXY``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS: dict[str, int] = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
_SHAPE = re.compile(r"^(\d{6})(.)(\d{3})(.)$")
# Anything shaped like a henkilötunnus inside longer text (any case).
_IN_TEXT = re.compile(
    r"\b\d{6}[" + re.escape("".join(CENTURY_SIGNS)) + r"]\d{3}[" + CHECK_CHARACTERS + r"]\b",
    re.IGNORECASE,
)

Sex = Literal["female", "male"]


class InvalidHetu(ValueError):
    """The code is not a valid henkilötunnus; the message says why."""


@dataclass(frozen=True)
class Hetu:
    code: str
    birth_date: dt.date
    sex: Sex
    is_temporary: bool

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        # Never print the code itself, not even in tracebacks.
        return f"Hetu(birth_date={self.birth_date!r}, sex={self.sex!r}, ...)"


def check_character(digits: str) -> str:
    return CHECK_CHARACTERS[int(digits) % 31]


def parse_hetu(code: str) -> Hetu:
    if not isinstance(code, str):
        raise InvalidHetu(_("Henkilötunnuksen on oltava tekstiä."))
    normalised = code.strip().upper()
    if len(normalised) != 11:
        raise InvalidHetu(
            _("Henkilötunnuksessa on oltava 11 merkkiä, nyt %(count)d.")
            % {"count": len(normalised)}
        )
    match = _SHAPE.match(normalised)
    if match is None:
        raise InvalidHetu(_("Henkilötunnuksen muoto on PPKKVVXNNNT, esimerkiksi 010190-900P."))
    date_part, sign, individual, check = match.groups()
    if sign not in CENTURY_SIGNS:
        raise InvalidHetu(
            _("Vuosisadan merkki %(sign)s ei ole sallittu (sallitut: + - Y X W V U A B C D E F).")
            % {"sign": sign}
        )
    day, month, year = int(date_part[0:2]), int(date_part[2:4]), int(date_part[4:6])
    try:
        birth_date = dt.date(CENTURY_SIGNS[sign] + year, month, day)
    except ValueError as exc:
        raise InvalidHetu(_("Henkilötunnuksen alussa ei ole oikea päivämäärä.")) from exc
    number = int(individual)
    if number < 2:
        raise InvalidHetu(_("Yksilönumeron on oltava välillä 002–999."))
    expected = check_character(date_part + individual)
    if check != expected:
        raise InvalidHetu(_("Henkilötunnuksen tarkistusmerkki ei täsmää."))
    return Hetu(
        code=normalised,
        birth_date=birth_date,
        sex="male" if number % 2 else "female",
        is_temporary=number >= 900,
    )


def contains_hetu(text: str) -> bool:
    """Whether free text holds a valid henkilötunnus (e.g. typed into a message by mistake)."""
    for candidate in _IN_TEXT.findall(text):
        try:
            parse_hetu(candidate)
        except InvalidHetu:
            continue
        return True
    return False


def format_hetu(birth_date: dt.date, individual: int, *, sign: str | None = None) -> str:
    """Build a valid code; ``sign`` defaults to the classic sign of the century."""
    century = birth_date.year // 100 * 100
    if sign is None:
        sign = {1800: "+", 1900: "-", 2000: "A"}[century]
    if CENTURY_SIGNS.get(sign) != century:
        raise ValueError("The century sign does not match the birth year.")
    if not 2 <= individual <= 999:
        raise ValueError("The individual number must be 2–999.")
    digits = f"{birth_date:%d%m%y}{individual:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{check_character(digits)}"
