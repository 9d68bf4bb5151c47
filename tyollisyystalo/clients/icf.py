"""ICF codes on notes (WHO's International Classification of Functioning), checked and named.

A code is a component letter (b body functions, d activities and participation, e environmental
factors), a category number and a qualifier: ``d850.2`` (moderate difficulty in remunerative
employment). Qualifiers 0-4 grade the problem, 8 is "not specified" and 9 "not applicable";
environmental factors may be facilitators, written with ``+`` (``e310+3``). The categories of the
ICF Core Set for vocational rehabilitation are offered first. Pure Python.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_noop

DATA = Path(__file__).resolve().parent / "data" / "icf_categories.json"
PATTERN = re.compile(r"^(?P<component>[bde])(?P<category>\d{3,5})(?P<sign>[.+])(?P<qualifier>\d)$")
QUALIFIERS = frozenset({0, 1, 2, 3, 4, 8, 9})

MSG_FORMAT = gettext_noop(
    "ICF-koodi ”{code}” ei kelpaa. Kirjoita esimerkiksi d850.2: osa-alue (b, d tai e), "
    "luokan numero ja tarkenne 0–4, 8 tai 9."
)
MSG_FACILITATOR = gettext_noop("Vain ympäristötekijä (e) voi olla edistävä (+): ”{code}”.")


@dataclass(frozen=True)
class IcfCode:
    component: str
    category: str
    qualifier: int
    facilitator: bool = False

    @property
    def code(self) -> str:
        return f"{self.component}{self.category}"

    def __str__(self) -> str:
        return f"{self.code}{'+' if self.facilitator else '.'}{self.qualifier}"


class IcfError(ValueError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message.format(code=code))
        self.template = message
        self.code = code


def parse_icf(text: str) -> IcfCode:
    raw = text.strip().lower()
    match = PATTERN.match(raw)
    if match is None or int(match["qualifier"]) not in QUALIFIERS:
        raise IcfError(MSG_FORMAT, text.strip())
    facilitator = match["sign"] == "+"
    if facilitator and match["component"] != "e":
        raise IcfError(MSG_FACILITATOR, text.strip())
    return IcfCode(match["component"], match["category"], int(match["qualifier"]), facilitator)


def parse_icf_list(text: str) -> list[IcfCode]:
    """Codes separated by spaces, commas or semicolons, each once, in the order given."""
    codes: dict[str, IcfCode] = {}
    for part in re.split(r"[\s,;]+", text.strip()):
        if part:
            parsed = parse_icf(part)
            codes.setdefault(str(parsed), parsed)
    return list(codes.values())


@dataclass(frozen=True)
class Category:
    code: str
    fi: str
    sv: str
    en: str
    vocational: bool

    def title(self, language: str) -> str:
        return str(getattr(self, language[:2], "") or self.fi)


@lru_cache(maxsize=1)
def categories() -> tuple[Category, ...]:
    """Known categories, the vocational rehabilitation core set first."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    found = [Category(**item) for item in data["categories"]]
    return tuple(sorted(found, key=lambda c: (not c.vocational, c.code)))


def title_of(code: str, language: str) -> str:
    for category in categories():
        if category.code == code:
            return category.title(language)
    return ""
