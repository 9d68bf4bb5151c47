"""Survey definitions as versioned data (issue 15 part 1): JSON files in ``definitions/``.

A survey file is a form definition (``shared.formdefs``: checked by the same loader, answers
cleaned by the same ``answers_clean``) with what a survey adds: who answers it (``audience``:
client, employer or staff), whether its answers are stored apart from identity
(``anonymous``), the item an indicator reads (``indicator_item``), end labels of every scale,
and easy-Finnish texts (``fi_easy``) for the surveys clients answer. A change to a survey is a
new file with a new version; stored answers keep the version they were given in.

File shape::

    {"key": "client_satisfaction", "version": "1", "audience": "client", "anonymous": true,
     "indicator_item": "overall", "name": {fi, sv, en, fi_easy}, "description": {...},
     "items": [{"key": "overall", "kind": "scale", "min": 4, "max": 10, "required": true,
                "label": {...}, "min_label": {...}, "max_label": {...}},
               {"key": "repeated_story", "kind": "yesno", ...}, {"key": "c", "kind": "text"}]}

Item kinds: ``scale`` (whole numbers min–max with end labels), ``yesno`` and ``text``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tyollisyystalo.shared.formdefs import (
    LANGUAGES,
    DefinitionError,
    FormDefinition,
    Item,
    parse_definition,
)

DIRECTORY = Path(__file__).resolve().parent / "definitions"
AUDIENCES = frozenset({"client", "employer", "staff"})
SURVEY_KINDS = {"scale": "number", "yesno": "bool", "text": "textarea"}
EASY = "fi_easy"


@dataclass(frozen=True)
class SurveyTexts:
    """Texts in fi, sv and en, and in easy Finnish where the survey is for clients."""

    fi: str
    sv: str
    en: str
    fi_easy: str = ""

    def get(self, language: str, *, easy: bool = False) -> str:
        if easy and self.fi_easy:
            return self.fi_easy
        return str(getattr(self, (language or "fi")[:2], "") or self.fi)


@dataclass(frozen=True)
class SurveyItem:
    key: str
    kind: str  # scale, yesno or text
    label: SurveyTexts
    required: bool
    minimum: int | None = None
    maximum: int | None = None
    min_label: SurveyTexts | None = None
    max_label: SurveyTexts | None = None

    @property
    def scale_values(self) -> list[int]:
        if self.minimum is None or self.maximum is None:
            return []
        return list(range(self.minimum, self.maximum + 1))

    @property
    def counted(self) -> bool:
        """Stored as a number (scale value, or yes 1 / no 0): means and distributions."""
        return self.kind in {"scale", "yesno"}


@dataclass(frozen=True)
class Survey:
    key: str
    version: str
    audience: str
    anonymous: bool
    indicator_item: str
    name: SurveyTexts
    description: SurveyTexts
    items: tuple[SurveyItem, ...]
    form: FormDefinition  # the same items as a form definition: cleaned by ``answers_clean``

    @property
    def ref(self) -> str:
        return f"{self.key}@{self.version}"

    @property
    def for_clients(self) -> bool:
        return self.audience == "client"

    def item(self, key: str) -> SurveyItem:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def form_item(self, key: str) -> Item:
        return self.form.item(key)


def _texts(raw: Any, where: str, *, easy: bool) -> SurveyTexts:
    if not isinstance(raw, Mapping) or any(not raw.get(lang) for lang in LANGUAGES):
        raise DefinitionError(f"{where}: texts in fi, sv and en are required")
    if easy and not raw.get(EASY):
        raise DefinitionError(f"{where}: a client survey needs easy Finnish ({EASY})")
    return SurveyTexts(
        fi=str(raw["fi"]), sv=str(raw["sv"]), en=str(raw["en"]), fi_easy=str(raw.get(EASY, ""))
    )


def _whole(raw: Any, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise DefinitionError(f"{where}: a scale's min and max are whole numbers")
    return raw


def _item(raw: Mapping[str, Any], where: str, *, easy: bool) -> SurveyItem:
    key = str(raw.get("key", ""))
    where = f"{where}.items.{key}"
    kind = str(raw.get("kind", ""))
    if kind not in SURVEY_KINDS:
        raise DefinitionError(f"{where}: kind must be one of {sorted(SURVEY_KINDS)}")
    item = SurveyItem(
        key=key,
        kind=kind,
        label=_texts(raw.get("label"), f"{where}.label", easy=easy),
        required=bool(raw.get("required", False)),
    )
    if kind != "scale":
        if any(name in raw for name in ("min", "max", "min_label", "max_label")):
            raise DefinitionError(f"{where}: only scales have min, max and end labels")
        return item
    minimum, maximum = _whole(raw.get("min"), where), _whole(raw.get("max"), where)
    if minimum >= maximum:
        raise DefinitionError(f"{where}: min must be below max")
    return SurveyItem(
        key=key,
        kind=kind,
        label=item.label,
        required=item.required,
        minimum=minimum,
        maximum=maximum,
        min_label=_texts(raw.get("min_label"), f"{where}.min_label", easy=easy),
        max_label=_texts(raw.get("max_label"), f"{where}.max_label", easy=easy),
    )


def _as_form(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The survey in the shape of a form definition, for the shared checker and cleaner."""
    items = []
    for item in raw.get("items", ()):
        kind = SURVEY_KINDS.get(str(item.get("kind", "")), "")
        converted: dict[str, Any] = {
            "code": item.get("key", ""),
            "kind": kind,
            "label": item.get("label"),
            "required": item.get("required", False),
        }
        if kind == "number":
            converted.update(min=item.get("min"), max=item.get("max"), step=1)
        items.append(converted)
    return {
        "key": raw.get("key", ""),
        "version": raw.get("version", ""),
        "name": raw.get("name"),
        "description": raw.get("description"),
        "items": items,
    }


def parse_survey(raw: Mapping[str, Any]) -> Survey:
    """Build and check one survey; every error names where it is."""
    audience = str(raw.get("audience", ""))
    where = str(raw.get("key", "")) or "survey"
    if audience not in AUDIENCES:
        raise DefinitionError(f"{where}: audience must be one of {sorted(AUDIENCES)}")
    easy = audience == "client"
    items = tuple(_item(r, where, easy=easy) for r in raw.get("items", ()))
    form = parse_definition(_as_form(raw))  # keys, uniqueness, texts, ranges
    indicator = str(raw.get("indicator_item", ""))
    if indicator not in {i.key for i in items if i.kind == "scale"}:
        raise DefinitionError(f"{where}: indicator_item must name a scale item")
    return Survey(
        key=form.key,
        version=form.version,
        audience=audience,
        anonymous=bool(raw.get("anonymous", True)),
        indicator_item=indicator,
        name=_texts(raw.get("name"), f"{where}.name", easy=easy),
        description=_texts(raw.get("description"), f"{where}.description", easy=easy),
        items=items,
        form=form,
    )


@lru_cache(maxsize=4)
def surveys_load(directory: str = str(DIRECTORY)) -> dict[tuple[str, str], Survey]:
    """Every survey version of the JSON files in ``directory``; a broken file refuses to start."""
    found: dict[tuple[str, str], Survey] = {}
    for path in sorted(Path(directory).glob("*.json")):
        try:
            survey = parse_survey(json.loads(path.read_text(encoding="utf-8")))
        except (KeyError, TypeError, ValueError) as exc:
            raise DefinitionError(f"{path.name}: {exc}") from exc
        if (survey.key, survey.version) in found:
            raise DefinitionError(f"{path.name}: {survey.ref} is defined twice")
        found[(survey.key, survey.version)] = survey
    return found


def survey_current(key: str) -> Survey:
    """The newest version of a survey (``KeyError`` when there is none)."""
    matching = [s for (k, _v), s in surveys_load().items() if k == key]
    if not matching:
        raise KeyError(key)
    return max(matching, key=lambda s: (int(s.version) if s.version.isdigit() else 0, s.version))


def survey_version(key: str, version: str) -> Survey:
    return surveys_load()[(key, version)]


def surveys_current() -> list[Survey]:
    keys = sorted({k for k, _v in surveys_load()})
    return [survey_current(k) for k in keys]
