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
import unicodedata
from collections.abc import Iterator
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


# What a henkilötunnus may look like in free text once normalised: spaces anywhere between its
# characters, the century sign left out. Digits must not run on before it.
_GAP = r"\s*"
_LOOSE = re.compile(
    r"(?<!\d)"
    + _GAP.join([r"(\d)"] * 6)
    + _GAP
    + r"(["
    + re.escape("".join(CENTURY_SIGNS))
    + r"]?)"
    + _GAP
    + _GAP.join([r"(\d)"] * 3)
    + _GAP
    + r"(["
    + CHECK_CHARACTERS
    + r"])",
    re.IGNORECASE,
)
# Dashes people (and word processors) type for the century sign "-".
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58"}


def normalise_for_scan(text: str) -> str:
    """Text as a filter should read it: NFKC (fullwidth and superscript forms become plain),
    invisible format characters (zero-width space, joiners, soft hyphen, BOM) removed, every
    dash a hyphen-minus and every decimal digit an ASCII digit."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        if category == "Pd":
            out.append("-")
        elif category == "Nd":
            out.append(str(unicodedata.decimal(char)))
        else:
            out.append(char)
    return "".join(out)


def _is_phone_number(digits: str) -> bool:
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, "FI"))
    except phonenumbers.NumberParseException:
        return False


def contains_hetu(text: str) -> bool:
    """Whether free text holds a valid henkilötunnus, however it is disguised: without the
    century sign, with spaces, an en dash or invisible characters inside, or glued to a word.

    Without the century sign a code is ten characters; when those are all digits and also a
    valid Finnish phone number, it is read as the phone number (a person leaving their number
    must not be refused): the only codes the filter lets through.
    """
    scanned = normalise_for_scan(text)
    for match in _candidates(scanned):
        *date_and_number, check = match.groups()
        sign = date_and_number[6]
        digits = "".join(date_and_number[:6] + date_and_number[7:])
        if check.isdigit() and scanned[match.end() : match.end() + 1].isdigit():
            continue  # part of a longer number
        if check_character(digits) != check.upper() or int(digits[6:]) < 2:
            continue
        # Without the sign the century is unknown: 2000 is a leap year, so no date is lost.
        century = CENTURY_SIGNS[sign.upper()] if sign else 2000
        try:
            dt.date(century + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
        except ValueError:
            continue
        if not sign and check.isdigit() and _only_digits_around(scanned, match, digits + check):
            continue
        return True
    return False


def _candidates(scanned: str) -> Iterator[re.Match[str]]:
    """Every place a code could start, overlapping: a near miss must not hide a code after it."""
    position = 0
    while (match := _LOOSE.search(scanned, position)) is not None:
        yield match
        position = match.start() + 1


def _only_digits_around(scanned: str, match: re.Match[str], digits: str) -> bool:
    """Ten digits and nothing else to tell them from a number: spaced apart from other digits,
    or a valid Finnish phone number, they are read as that number."""
    before = scanned[: match.start()].rstrip()[-1:]
    after = scanned[match.end() :].lstrip()[:1]
    return before.isdigit() or after.isdigit() or _is_phone_number(digits)


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


def validate_no_hetu(value: str) -> None:
    """Form validator for free text the public writes: a henkilötunnus is refused, not stored."""
    from django.core.exceptions import ValidationError

    if isinstance(value, str) and contains_hetu(value):
        raise ValidationError(
            _("Poista henkilötunnus. Koordinaattori kysyy sen tarvittaessa."), code="hetu"
        )
