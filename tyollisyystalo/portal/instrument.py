"""The portal's anonymous self-assessment: the ``self_assessment`` instrument of ``instruments``.

The same definition serves the public page (nothing stored) and the client record, so the
areas, texts and threshold live in one file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from tyollisyystalo.instruments.definitions import Instrument
from tyollisyystalo.instruments.registry import instrument_get

INSTRUMENT_KEY = "self_assessment"
# Form field names that carry the answers from the result page to the contact form.
ASSESSMENT_PREFIX = "sa_"


@dataclass(frozen=True)
class AreaQuestion:
    code: str
    question: str
    low: str
    high: str


def _instrument() -> Instrument:
    return instrument_get(INSTRUMENT_KEY)


def threshold() -> int:
    limit = _instrument().flag_below
    assert limit is not None, "the self-assessment flags areas below a threshold"
    return int(limit)


def area_questions() -> list[AreaQuestion]:
    language = get_language() or "fi"
    return [
        AreaQuestion(
            item.code,
            item.text.get(language),
            item.low.get(language) if item.low else "",
            item.high.get(language) if item.high else "",
        )
        for item in _instrument().items
    ]


def instrument_version() -> str:
    return _instrument().version
