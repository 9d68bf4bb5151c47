"""The IPS Fidelity Scale as a versioned definition: data in ``definitions/*.json``, read and
checked once at start-up (ADR 0023 decision 12, in the manner of the instruments of ADR 0011).

A file names the scale's sections, its 25 items in the scale's order with their Finnish, Swedish
and English titles and the five anchor texts of each item, the total's bands and which items the
product can pre-fill from its own records. A new edition of the scale is a new file with a new
version; a stored review keeps the version it was scored on. Pure Python, no Django models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

BUILT_IN = Path(__file__).resolve().parent / "definitions"
LANGUAGES = ("fi", "sv", "en")
SCORES = (1, 2, 3, 4, 5)
CURRENT_VERSION = "ips25-v1"


class DefinitionError(ValueError):
    """A fidelity definition file is malformed; raised at start-up, never when scoring."""


@dataclass(frozen=True)
class Texts:
    fi: str
    sv: str
    en: str

    def get(self, language: str) -> str:
        return str(getattr(self, (language or "fi")[:2], "") or self.fi)


@dataclass(frozen=True)
class Section:
    key: str
    name: Texts


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    number: int
    title: Texts
    anchors: tuple[Texts, Texts, Texts, Texts, Texts]  # for scores 1..5
    prefill: str | None

    def anchor(self, score: int, language: str) -> str:
        return self.anchors[score - 1].get(language)


@dataclass(frozen=True)
class Band:
    key: str
    minimum: int
    maximum: int
    name: Texts


@dataclass(frozen=True)
class Scale:
    key: str
    version: str
    name: Texts
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    bands: tuple[Band, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def band(self, key: str) -> Band:
        for band in self.bands:
            if band.key == key:
                return band
        raise KeyError(key)

    @property
    def minimum(self) -> int:
        return len(self.items) * SCORES[0]

    @property
    def maximum(self) -> int:
        return len(self.items) * SCORES[-1]


def _texts(raw: Any, where: str) -> Texts:
    if not isinstance(raw, dict) or set(raw) != set(LANGUAGES):
        raise DefinitionError(f"{where}: texts must be given in exactly {', '.join(LANGUAGES)}")
    for language in LANGUAGES:
        if not isinstance(raw[language], str) or not raw[language].strip():
            raise DefinitionError(f"{where}: empty {language} text")
    return Texts(raw["fi"], raw["sv"], raw["en"])


def _require(raw: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(raw, dict) or not isinstance(raw.get(key), kind):
        raise DefinitionError(f"{where}: '{key}' missing or not a {kind.__name__}")
    return raw[key]


def scale_parse(raw: Any) -> Scale:
    """Check one definition document and build the scale; every fault raises DefinitionError."""
    key = _require(raw, "key", str, "scale")
    version = _require(raw, "version", str, "scale")
    where = f"{key} {version}"
    name = _texts(raw.get("name"), where)
    sections = tuple(
        Section(_require(s, "key", str, where), _texts(s.get("name"), f"{where} section"))
        for s in _require(raw, "sections", list, where)
    )
    section_keys = {s.key for s in sections}
    if len(section_keys) != len(sections) or not sections:
        raise DefinitionError(f"{where}: section keys must be unique and present")
    items: list[Item] = []
    for number, entry in enumerate(_require(raw, "items", list, where), start=1):
        item_key = _require(entry, "key", str, where)
        item_where = f"{where} item {item_key}"
        section = _require(entry, "section", str, item_where)
        if section not in section_keys:
            raise DefinitionError(f"{item_where}: unknown section {section}")
        anchors = _require(entry, "anchors", dict, item_where)
        if set(anchors) != {str(score) for score in SCORES}:
            raise DefinitionError(f"{item_where}: anchors must be given for scores 1 to 5")
        prefill = entry.get("prefill")
        if prefill is not None and not isinstance(prefill, str):
            raise DefinitionError(f"{item_where}: prefill must be a name or null")
        a1, a2, a3, a4, a5 = (
            _texts(anchors[str(score)], f"{item_where} anchor {score}") for score in SCORES
        )
        items.append(
            Item(
                key=item_key,
                section=section,
                number=number,
                title=_texts(entry.get("title"), item_where),
                anchors=(a1, a2, a3, a4, a5),
                prefill=prefill,
            )
        )
    if not items or len({item.key for item in items}) != len(items):
        raise DefinitionError(f"{where}: item keys must be unique and present")
    bands = tuple(
        Band(
            _require(b, "key", str, where),
            _require(b, "min", int, where),
            _require(b, "max", int, where),
            _texts(b.get("name"), f"{where} band"),
        )
        for b in _require(raw, "bands", list, where)
    )
    covered = sorted(total for band in bands for total in range(band.minimum, band.maximum + 1))
    lowest, highest = len(items) * SCORES[0], len(items) * SCORES[-1]
    if covered != list(range(lowest, highest + 1)):
        raise DefinitionError(
            f"{where}: bands must cover every total {lowest}–{highest} exactly once"
        )
    return Scale(key, version, name, sections, tuple(items), bands)


@lru_cache(maxsize=1)
def all_scales() -> dict[str, Scale]:
    """Every definition file by version; a duplicate version is an error."""
    scales: dict[str, Scale] = {}
    for path in sorted(BUILT_IN.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DefinitionError(f"{path.name}: not JSON ({exc})") from exc
        scale = scale_parse(raw)
        if scale.version in scales:
            raise DefinitionError(f"{path.name}: version {scale.version} given twice")
        scales[scale.version] = scale
    if CURRENT_VERSION not in scales:
        raise DefinitionError(f"the current fidelity scale {CURRENT_VERSION} is missing")
    return scales


def scale_get(version: str = CURRENT_VERSION) -> Scale:
    return all_scales()[version]
