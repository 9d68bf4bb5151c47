"""Instrument definitions: versioned data files, read and checked once, never written in code.

An instrument file (JSON, ``definitions/*.json`` and any directory in ``INSTRUMENT_DIRS``) names
its items, answer scales, domains, scoring, result bands, flags and suggestions, with every text
in Finnish, Swedish and English. A region adds its own instrument by adding a file; a change to
an instrument is a new file with a new version, so stored answers keep the version they were
given in. Pure Python, no Django models.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

BUILT_IN = Path(__file__).resolve().parent / "definitions"
LANGUAGES = ("fi", "sv", "en")
SCORE_METHODS = frozenset({"sum", "count", "none"})
OPERATORS = frozenset({"lt", "le", "ge", "gt"})


class DefinitionError(ValueError):
    """An instrument file is malformed; raised at start-up, never at answer time."""


@dataclass(frozen=True)
class Texts:
    fi: str
    sv: str
    en: str

    def get(self, language: str) -> str:
        return str(getattr(self, language[:2], "") or self.fi)


@dataclass(frozen=True)
class Option:
    value: Decimal
    label: Texts


@dataclass(frozen=True)
class Scale:
    code: str
    minimum: Decimal
    maximum: Decimal
    step: Decimal
    options: tuple[Option, ...]

    def allows(self, value: Decimal) -> bool:
        if self.options:
            return any(option.value == value for option in self.options)
        if not self.minimum <= value <= self.maximum:
            return False
        return (value - self.minimum) % self.step == 0

    def label_of(self, value: Decimal, language: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label.get(language)
        return format_score(value)


@dataclass(frozen=True)
class Domain:
    code: str
    name: Texts


@dataclass(frozen=True)
class Item:
    code: str
    domain: str
    scale: Scale
    text: Texts
    low: Texts | None
    high: Texts | None


@dataclass(frozen=True)
class Band:
    code: str
    minimum: Decimal
    label: Texts


@dataclass(frozen=True)
class Suggestion:
    """A result that a human should consider acting on; never an automatic decision."""

    code: str
    score: str  # "total" or a domain code
    op: str
    value: Decimal
    text: Texts

    def applies(self, score: Decimal | None) -> bool:
        if score is None:
            return False
        if self.op == "lt":
            return score < self.value
        if self.op == "le":
            return score <= self.value
        if self.op == "ge":
            return score >= self.value
        return score > self.value


@dataclass(frozen=True)
class Instrument:
    key: str
    version: str
    name: Texts
    description: Texts
    source: str
    category: str
    respondent: str  # "client", "professional" or "either"
    position: int  # order in lists: the client's path, identification first
    domains: tuple[Domain, ...]
    items: tuple[Item, ...]
    score_method: str
    requires_all: bool
    total_range: tuple[Decimal, Decimal] | None
    flag_below: Decimal | None
    bands: tuple[Band, ...]
    suggestions: tuple[Suggestion, ...]

    @property
    def ref(self) -> str:
        return f"{self.key}@{self.version}"

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def domain(self, code: str) -> Domain:
        for domain in self.domains:
            if domain.code == code:
                return domain
        raise KeyError(code)

    @property
    def domain_range(self) -> tuple[Decimal, Decimal]:
        """The common range of the domain scores (means of items), for charts."""
        return (
            min(item.scale.minimum for item in self.items),
            max(item.scale.maximum for item in self.items),
        )


def format_score(value: Decimal | None) -> str:
    if value is None:
        return ""
    normalised = value.quantize(Decimal("0.1")).normalize()
    return f"{normalised:f}".replace(".", ",")


def _texts(raw: Any, where: str) -> Texts:
    if not isinstance(raw, Mapping) or any(not raw.get(lang) for lang in LANGUAGES):
        raise DefinitionError(f"{where}: texts in fi, sv and en are required")
    return Texts(*(str(raw[lang]) for lang in LANGUAGES))


def _optional_texts(raw: Any, where: str) -> Texts | None:
    return None if raw is None else _texts(raw, where)


def _number(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool):
        raise DefinitionError(f"{where}: a number is required")
    try:
        return Decimal(str(raw))
    except InvalidOperation as exc:
        raise DefinitionError(f"{where}: a number is required") from exc


def _scale(code: str, raw: Mapping[str, Any], where: str) -> Scale:
    options = tuple(
        Option(_number(o["value"], where), _texts(o["label"], f"{where}.{o['value']}"))
        for o in raw.get("options", ())
    )
    if options:
        values = [o.value for o in options]
        return Scale(code, min(values), max(values), Decimal(1), options)
    minimum = _number(raw.get("min"), f"{where}.min")
    maximum = _number(raw.get("max"), f"{where}.max")
    step = _number(raw.get("step", 1), f"{where}.step")
    if minimum >= maximum or step <= 0:
        raise DefinitionError(f"{where}: min < max and a positive step are required")
    return Scale(code, minimum, maximum, step, ())


def parse_definition(raw: Mapping[str, Any]) -> Instrument:
    """Build and check one instrument; every error names where it is."""
    key = str(raw.get("key", ""))
    where = key or "instrument"
    if not key.isidentifier():
        raise DefinitionError(f"{where}: 'key' must be an identifier")
    version = str(raw.get("version", ""))
    if not version:
        raise DefinitionError(f"{where}: 'version' is required")
    scales = {code: _scale(code, s, f"{where}.scales.{code}") for code, s in raw["scales"].items()}
    domains = tuple(
        Domain(str(d["code"]), _texts(d["name"], f"{where}.domains.{d['code']}"))
        for d in raw["domains"]
    )
    domain_codes = {d.code for d in domains}
    items: list[Item] = []
    for r in raw["items"]:
        item_where = f"{where}.items.{r.get('code')}"
        if r.get("scale") not in scales:
            raise DefinitionError(f"{item_where}: unknown scale {r.get('scale')!r}")
        domain = str(r.get("domain", r["code"]))
        if domain not in domain_codes:
            raise DefinitionError(f"{item_where}: unknown domain {domain!r}")
        items.append(
            Item(
                code=str(r["code"]),
                domain=domain,
                scale=scales[r["scale"]],
                text=_texts(r["text"], item_where),
                low=_optional_texts(r.get("low"), f"{item_where}.low"),
                high=_optional_texts(r.get("high"), f"{item_where}.high"),
            )
        )
    if len({i.code for i in items}) != len(items) or not items:
        raise DefinitionError(f"{where}: item codes must be unique and at least one is needed")
    scoring = raw.get("scoring", {})
    method = str(scoring.get("total", "none"))
    if method not in SCORE_METHODS:
        raise DefinitionError(f"{where}.scoring.total: one of {sorted(SCORE_METHODS)}")
    total_range = None
    if method == "sum":
        total_range = (
            sum((i.scale.minimum for i in items), Decimal(0)),
            sum((i.scale.maximum for i in items), Decimal(0)),
        )
    elif method == "count":
        total_range = (Decimal(0), Decimal(len(items)))
    bands = tuple(
        sorted(
            (
                Band(str(b["code"]), _number(b["min"], where), _texts(b["label"], where))
                for b in raw.get("bands", ())
            ),
            key=lambda band: band.minimum,
        )
    )
    if bands and method == "none":
        raise DefinitionError(f"{where}: bands need a total score")
    suggestions: list[Suggestion] = []
    for s in raw.get("suggestions", ()):
        s_where = f"{where}.suggestions.{s.get('code')}"
        score = str(s.get("score", "total"))
        if score != "total" and score not in domain_codes:
            raise DefinitionError(f"{s_where}: unknown score {score!r}")
        if score == "total" and method == "none":
            raise DefinitionError(f"{s_where}: the instrument has no total score")
        if s.get("op") not in OPERATORS:
            raise DefinitionError(f"{s_where}: op must be one of {sorted(OPERATORS)}")
        suggestions.append(
            Suggestion(
                str(s["code"]),
                score,
                str(s["op"]),
                _number(s["value"], s_where),
                _texts(s["text"], s_where),
            )
        )
    respondent = str(raw.get("respondent", "either"))
    if respondent not in {"client", "professional", "either"}:
        raise DefinitionError(f"{where}.respondent: client, professional or either")
    flag_below = scoring.get("flag_below")
    return Instrument(
        key=key,
        version=version,
        name=_texts(raw["name"], f"{where}.name"),
        description=_texts(raw["description"], f"{where}.description"),
        source=str(raw.get("source", "")),
        category=str(raw.get("category", "assessments")),
        respondent=respondent,
        position=int(raw.get("position", 100)),
        domains=domains,
        items=tuple(items),
        score_method=method,
        requires_all=bool(scoring.get("requires_all", False)),
        total_range=total_range,
        flag_below=None if flag_below is None else _number(flag_below, where),
        bands=bands,
        suggestions=tuple(suggestions),
    )


def _files(directories: Iterable[Path]) -> list[Path]:
    return [path for d in directories for path in sorted(Path(d).glob("*.json"))]


@lru_cache(maxsize=8)
def load_all(extra_dirs: tuple[str, ...] = ()) -> dict[tuple[str, str], Instrument]:
    """Every instrument version from the built-in and the configured directories."""
    found: dict[tuple[str, str], Instrument] = {}
    for path in _files([BUILT_IN, *map(Path, extra_dirs)]):
        try:
            instrument = parse_definition(json.loads(path.read_text(encoding="utf-8")))
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise DefinitionError(f"{path.name}: {exc!r}") from exc
        if (instrument.key, instrument.version) in found:
            raise DefinitionError(f"{path.name}: {instrument.ref} is defined twice")
        found[(instrument.key, instrument.version)] = instrument
    return found
