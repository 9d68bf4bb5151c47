"""The portal's anonymous self-assessment instrument, read from ``data/self_assessment.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

SELF_ASSESSMENT = Path(__file__).resolve().parent / "data" / "self_assessment.json"
# Form field names that carry the answers from the result page to the contact form.
ASSESSMENT_PREFIX = "sa_"


@dataclass(frozen=True)
class AreaQuestion:
    code: str
    question: str
    low: str
    high: str


@lru_cache(maxsize=1)
def _instrument() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SELF_ASSESSMENT.read_text(encoding="utf-8"))
    return data


def threshold() -> int:
    return int(_instrument()["threshold"])


def area_questions() -> list[AreaQuestion]:
    language = (get_language() or "fi")[:2]

    def text(item: dict[str, str]) -> str:
        return item.get(language) or item["fi"]

    return [
        AreaQuestion(a["code"], text(a["question"]), text(a["low"]), text(a["high"]))
        for a in _instrument()["areas"]
    ]


def instrument_version() -> str:
    return str(_instrument()["version"])
