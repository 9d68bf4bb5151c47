"""The table of legal record classes (``classes.toml``), loaded and checked before anything runs.

Each class names the models it covers, the owner organisations and categories it applies to,
the event its period starts from, the period, what happens when the period has passed (delete,
anonymise, erase_prefix for the access log's chains, or keep) and its legal source.
``load_table`` fails loudly (``RetentionTableError``) on
an unknown model, start event or action, a missing source or a period that does not fit the
start event, so a broken table stops the process at start-up, not at 3 a.m. in ``run_scheduled``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tyollisyystalo.rules.calendar import add_months

TABLE_PATH = Path(__file__).resolve().parent / "classes.toml"
LANGUAGES = ("fi", "sv", "en")
ACTIONS = ("delete", "anonymise", "erase_prefix", "keep")
# Start events implemented by retention/erasure.py; a class may only name one of these.
START_EVENTS = (
    "relationship_ended",
    "client_born",
    "handled",
    "created",
    "contents_erased",
    "planned",
)
# Start events whose period is in the table (the others follow their contents).
TIMED_STARTS = ("relationship_ended", "client_born", "handled", "created")
ORGANISATION_TYPES = (
    "employment_authority",
    "wellbeing_county",
    "kela",
    "typ",
    "ohjaamo",
    "ngo",
    "education",
    "private_provider",
    "employer",
)
CATEGORIES = (
    "identity",
    "social",
    "health",
    "education_work",
    "employment_services",
    "plan",
    "assessments",
    "notes",
)


class RetentionTableError(ValueError):
    """The record class table is malformed or names something the product does not have."""


@dataclass(frozen=True, slots=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def last_kept_day(self, start: dt.date) -> dt.date:
        """The last day the record is kept: ``start`` plus the period (calendar months)."""
        return add_months(start, self.years * 12 + self.months) + dt.timedelta(days=self.days)

    def cutoff(self, today: dt.date) -> dt.date:
        """The latest start date whose period has passed by ``today`` (last kept day < today)."""
        months = self.years * 12 + self.months
        candidate = add_months(today, -months) - dt.timedelta(days=self.days)
        # add_months clamps to a month's last day, so adjust by a bounded number of days.
        for _ in range(5):
            if self.last_kept_day(candidate) >= today:
                candidate -= dt.timedelta(days=1)
            elif self.last_kept_day(candidate + dt.timedelta(days=1)) < today:
                candidate += dt.timedelta(days=1)
            else:
                break
        return candidate

    def __str__(self) -> str:
        units = ((self.years, "y"), (self.months, "m"), (self.days, "d"))
        return " ".join(f"{n} {unit}" for n, unit in units if n) or "0 d"


@dataclass(frozen=True, slots=True)
class Source:
    act: str
    section: str
    also: str = ""

    def __str__(self) -> str:
        text = f"{self.act} {self.section}"
        return f"{text}; {self.also}" if self.also else text


@dataclass(frozen=True, slots=True)
class RecordClass:
    id: str
    name: dict[str, str]
    client_text: dict[str, str]
    models: tuple[str, ...]
    owner_types: tuple[str, ...]
    categories: tuple[str, ...]
    start: str
    period: Period | None
    period_setting: str
    action: str
    source: Source

    def text(self, field: str, language: str) -> str:
        texts: dict[str, str] = getattr(self, field)
        return texts.get(language) or texts["fi"]

    @property
    def erases(self) -> bool:
        return self.action != "keep"


@dataclass(frozen=True, slots=True)
class Table:
    version: str
    classes: tuple[RecordClass, ...]

    def get(self, class_id: str) -> RecordClass:
        for record_class in self.classes:
            if record_class.id == class_id:
                return record_class
        raise KeyError(class_id)

    def classes_for(self, model: str) -> tuple[RecordClass, ...]:
        """The classes listing ``model``, in precedence order."""
        return tuple(c for c in self.classes if model in c.models)

    def relationship_class(self, organisation_type: str) -> RecordClass | None:
        """The class of an organisation's records that starts when the relationship ends."""
        for record_class in self.classes:
            if (
                record_class.start == "relationship_ended"
                and not record_class.categories
                and (not record_class.owner_types or organisation_type in record_class.owner_types)
            ):
                return record_class
        return None


def _texts(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or any(not str(raw.get(lang, "")).strip() for lang in LANGUAGES):
        raise RetentionTableError(f"{where} needs a text in each of {', '.join(LANGUAGES)}")
    return {lang: str(raw[lang]) for lang in LANGUAGES}


def _period(raw: Any, where: str) -> Period | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw or set(raw) - {"years", "months", "days"}:
        raise RetentionTableError(f"{where}: period is a table of years, months and days")
    values = {k: raw[k] for k in ("years", "months", "days") if k in raw}
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in values.values()):
        raise RetentionTableError(f"{where}: period values are whole numbers of at least 0")
    return Period(**values)


def _class(raw: dict[str, Any], known_models: frozenset[str] | None) -> RecordClass:
    class_id = str(raw.get("id", "")).strip()
    if not class_id:
        raise RetentionTableError("a class has no id")
    where = f"class {class_id!r}"
    source_raw = raw.get("source")
    if (
        not isinstance(source_raw, dict)
        or not str(source_raw.get("act", "")).strip()
        or not str(source_raw.get("section", "")).strip()
    ):
        raise RetentionTableError(f"{where} has no legal source (act and section)")
    source = Source(
        act=str(source_raw["act"]),
        section=str(source_raw["section"]),
        also=source_raw.get("also", ""),
    )
    models = tuple(str(m) for m in raw.get("models", []))
    if known_models is not None:
        for model in models:
            if model not in known_models:
                raise RetentionTableError(f"{where} names an unknown model {model!r}")
    start = raw.get("start")
    if start not in START_EVENTS:
        raise RetentionTableError(f"{where} has an unknown start event {start!r}")
    if not models and start != "planned":
        raise RetentionTableError(f"{where} covers no models; use start = 'planned' for later")
    action = raw.get("action")
    if action not in ACTIONS:
        raise RetentionTableError(f"{where} has an unknown action {action!r}")
    if action == "anonymise":
        from tyollisyystalo.retention.registry import ANONYMISABLE

        for model in models:
            if model not in ANONYMISABLE:
                raise RetentionTableError(f"{where}: {model} cannot be anonymised, only deleted")
    from tyollisyystalo.retention.registry import PREFIX_ERASABLE

    if action == "erase_prefix" and (start != "created" or not models):
        raise RetentionTableError(f"{where}: erase_prefix erases log chains from 'created'")
    for model in models:
        if (action == "erase_prefix") != (model in PREFIX_ERASABLE) and action != "keep":
            raise RetentionTableError(
                f"{where}: {model} can only be kept or erased as a chain prefix"
                if model in PREFIX_ERASABLE
                else f"{where}: {model} is not a log chain; erase_prefix cannot erase it"
            )
    if start == "created" and action not in ("keep", "erase_prefix"):
        raise RetentionTableError(f"{where}: a 'created' class is kept or erase_prefix")
    if start in ("relationship_ended", "client_born"):
        from tyollisyystalo.retention.registry import ERASE_ORDER

        for model in models:
            if model not in ERASE_ORDER:
                raise RetentionTableError(f"{where}: the eraser cannot delete {model} by client")
    period = _period(raw.get("period"), where)
    if action != "keep" and start in TIMED_STARTS and period is None:
        raise RetentionTableError(f"{where} erases but has no period")
    if start not in TIMED_STARTS and period is not None:
        raise RetentionTableError(f"{where}: a {start!r} class follows its contents, no period")
    owner_types = tuple(raw.get("owner_types", []))
    for owner_type in owner_types:
        if owner_type not in ORGANISATION_TYPES:
            raise RetentionTableError(f"{where} has an unknown organisation type {owner_type!r}")
    categories = tuple(raw.get("categories", []))
    for category in categories:
        if category not in CATEGORIES:
            raise RetentionTableError(f"{where} has an unknown category {category!r}")
    return RecordClass(
        id=class_id,
        name=_texts(raw.get("name"), f"{where} name"),
        client_text=_texts(raw.get("client_text"), f"{where} client_text"),
        models=models,
        owner_types=owner_types,
        categories=categories,
        start=str(start),
        period=period,
        period_setting=str(raw.get("period_setting", "")),
        action=str(action),
        source=source,
    )


def parse_table(text: str, *, known_models: frozenset[str] | None = None) -> Table:
    """Parse and check a table; ``known_models`` ("app_label.Model") refuses unknown models."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RetentionTableError(f"not valid TOML: {exc}") from exc
    version = str(data.get("meta", {}).get("version", "")).strip()
    if not version:
        raise RetentionTableError("[meta] version is missing")
    classes = tuple(_class(raw, known_models) for raw in data.get("class", []))
    ids = [c.id for c in classes]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RetentionTableError(f"class ids used twice: {', '.join(duplicates)}")
    return Table(version=version, classes=classes)


def installed_models() -> frozenset[str]:
    from django.apps import apps

    return frozenset(m._meta.label for m in apps.get_models())


@lru_cache(maxsize=1)
def load_table() -> Table:
    """The product's table, checked against the installed models (cached per process)."""
    return parse_table(TABLE_PATH.read_text(encoding="utf-8"), known_models=installed_models())
