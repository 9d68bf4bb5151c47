"""Form definitions as data: versioned JSON files of items, read and checked once at start-up.

The instruments' loader (``instruments.definitions``) is built for scored scales; these are
record forms (text, dates, numbers, choices, yes/no) such as the job coaching forms A–E. A
definition names its items with every text in Finnish, Swedish and English, which items are
required, their ranges and options, and checks between items (one date not before another).
A change to a form is a new file with a new version, so stored answers keep the version they
were given in. Pure Python, no models: the app that stores the answers loads its directory.

File shape::

    {"key": "coaching_c", "version": "1", "name": {fi, sv, en}, "description": {fi, sv, en},
     "items": [{"code": "start_date", "kind": "date", "label": {...}, "help": {...},
                "required": true, "min": 1, "max": 60, "step": "0.5", "max_length": 4000,
                "options": [{"value": "x", "label": {...}}]}],
     "checks": [{"kind": "date_order", "earlier": "start_date", "later": "end_date",
                 "message": {...}}]}

``earlier`` and ``later`` may name a value the caller supplies (``@placement_start``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

LANGUAGES = ("fi", "sv", "en")
# Larger answers are no numbers a form asks for (and decimal arithmetic on them can fail).
NUMBER_LIMIT = Decimal(10) ** 9
KINDS = frozenset({"text", "textarea", "date", "number", "choice", "multichoice", "bool"})
CHECK_KINDS = frozenset({"date_order"})
DEFAULT_MAX_LENGTH = {"text": 300, "textarea": 4000}

# A JSON-able answer value: str (text, choice, ISO date, decimal as text), bool, list of str.
Value = str | bool | list[str]


class DefinitionError(ValueError):
    """A form file is malformed; raised at start-up, never at answer time."""


@dataclass(frozen=True)
class Texts:
    fi: str
    sv: str
    en: str

    def get(self, language: str) -> str:
        return str(getattr(self, (language or "fi")[:2], "") or self.fi)


@dataclass(frozen=True)
class Option:
    value: str
    label: Texts


@dataclass(frozen=True)
class Item:
    code: str
    kind: str
    label: Texts
    help: Texts | None
    required: bool
    minimum: Decimal | None
    maximum: Decimal | None
    step: Decimal | None
    max_length: int
    options: tuple[Option, ...]

    def option_label(self, value: str, language: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label.get(language)
        return value


@dataclass(frozen=True)
class Check:
    kind: str
    earlier: str
    later: str
    message: Texts


@dataclass(frozen=True)
class FormDefinition:
    key: str
    version: str
    name: Texts
    description: Texts
    items: tuple[Item, ...]
    checks: tuple[Check, ...]

    @property
    def ref(self) -> str:
        return f"{self.key}@{self.version}"

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


def _texts(raw: Any, where: str) -> Texts:
    if not isinstance(raw, Mapping) or any(not raw.get(lang) for lang in LANGUAGES):
        raise DefinitionError(f"{where}: texts in fi, sv and en are required")
    return Texts(*(str(raw[lang]) for lang in LANGUAGES))


def _number(raw: Any, where: str) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise DefinitionError(f"{where}: a number is required")
    try:
        return Decimal(str(raw))
    except InvalidOperation as exc:
        raise DefinitionError(f"{where}: a number is required") from exc


def _item(raw: Mapping[str, Any], where: str) -> Item:
    code = str(raw.get("code", ""))
    where = f"{where}.items.{code}"
    if not code.isidentifier():
        raise DefinitionError(f"{where}: 'code' must be an identifier")
    kind = str(raw.get("kind", ""))
    if kind not in KINDS:
        raise DefinitionError(f"{where}: kind must be one of {sorted(KINDS)}")
    options = tuple(
        Option(str(o["value"]), _texts(o["label"], f"{where}.{o['value']}"))
        for o in raw.get("options", ())
    )
    if kind in {"choice", "multichoice"} and not options:
        raise DefinitionError(f"{where}: a choice needs options")
    if kind not in {"choice", "multichoice"} and options:
        raise DefinitionError(f"{where}: only choices have options")
    if len({o.value for o in options}) != len(options):
        raise DefinitionError(f"{where}: option values must be unique")
    minimum, maximum = _number(raw.get("min"), where), _number(raw.get("max"), where)
    step = _number(raw.get("step"), where)
    if kind != "number" and (minimum is not None or maximum is not None or step is not None):
        raise DefinitionError(f"{where}: only numbers have min, max and step")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise DefinitionError(f"{where}: min must not be above max")
    if step is not None and step <= 0:
        raise DefinitionError(f"{where}: step must be positive")
    max_length = int(raw.get("max_length", DEFAULT_MAX_LENGTH.get(kind, 0)))
    return Item(
        code=code,
        kind=kind,
        label=_texts(raw.get("label"), f"{where}.label"),
        help=None if raw.get("help") is None else _texts(raw["help"], f"{where}.help"),
        required=bool(raw.get("required", False)),
        minimum=minimum,
        maximum=maximum,
        step=step,
        max_length=max_length,
        options=options,
    )


def parse_definition(raw: Mapping[str, Any]) -> FormDefinition:
    """Build and check one form definition; every error names where it is."""
    key = str(raw.get("key", ""))
    where = key or "form"
    if not key.isidentifier():
        raise DefinitionError(f"{where}: 'key' must be an identifier")
    version = str(raw.get("version", ""))
    if not version:
        raise DefinitionError(f"{where}: 'version' is required")
    items = tuple(_item(r, where) for r in raw.get("items", ()))
    codes = {i.code for i in items}
    if not items or len(codes) != len(items):
        raise DefinitionError(f"{where}: item codes must be unique and at least one is needed")
    kinds = {i.code: i.kind for i in items}
    checks: list[Check] = []
    for c in raw.get("checks", ()):
        c_where = f"{where}.checks.{c.get('earlier')}-{c.get('later')}"
        if c.get("kind") not in CHECK_KINDS:
            raise DefinitionError(f"{c_where}: kind must be one of {sorted(CHECK_KINDS)}")
        for side in ("earlier", "later"):
            name = str(c.get(side, ""))
            if not name.startswith("@") and kinds.get(name) != "date":
                raise DefinitionError(f"{c_where}: {side} must be a date item or @value")
        checks.append(
            Check(
                str(c["kind"]),
                str(c["earlier"]),
                str(c["later"]),
                _texts(c.get("message"), f"{c_where}.message"),
            )
        )
    return FormDefinition(
        key=key,
        version=version,
        name=_texts(raw.get("name"), f"{where}.name"),
        description=_texts(raw.get("description"), f"{where}.description"),
        items=items,
        checks=tuple(checks),
    )


@lru_cache(maxsize=8)
def load_directories(directories: tuple[str, ...]) -> dict[tuple[str, str], FormDefinition]:
    """Every form version of the JSON files in ``directories``; a broken file refuses to start."""
    found: dict[tuple[str, str], FormDefinition] = {}
    for path in (p for d in directories for p in sorted(Path(d).glob("*.json"))):
        try:
            definition = parse_definition(json.loads(path.read_text(encoding="utf-8")))
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, DefinitionError):
                raise DefinitionError(f"{path.name}: {exc}") from exc
            raise DefinitionError(f"{path.name}: {exc!r}") from exc
        if (definition.key, definition.version) in found:
            raise DefinitionError(f"{path.name}: {definition.ref} is defined twice")
        found[(definition.key, definition.version)] = definition
    return found


def latest(definitions: Iterable[FormDefinition], key: str) -> FormDefinition:
    """The newest version of ``key`` (versions compared as numbers where they are numbers)."""

    def order(d: FormDefinition) -> tuple[int, str]:
        return (int(d.version), "") if d.version.isdigit() else (0, d.version)

    matching = [d for d in definitions if d.key == key]
    if not matching:
        raise KeyError(key)
    return max(matching, key=order)


# --- answers ---------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"yes", "true", "1", "on"}:
        return True
    if text in {"no", "false", "0", "off"}:
        return False
    raise ValueError(text)


def _clean_item(item: Item, value: Any) -> Value:
    """One answer as a JSON value; ``ValueError`` with the user's message when wrong."""
    if item.kind in {"text", "textarea"}:
        text = str(value).replace("\x00", "").strip()
        if len(text) > item.max_length:
            raise ValueError(
                _("Enintään %(n)s merkkiä (nyt %(len)s).")
                % {"n": item.max_length, "len": len(text)}
            )
        return text
    if item.kind == "date":
        try:
            return _as_date(value).isoformat()
        except ValueError as exc:
            raise ValueError(_("Anna päivämäärä muodossa pp.kk.vvvv.")) from exc
    if item.kind == "number":
        try:
            number = Decimal(str(value).strip().replace(",", ".").replace("\u2212", "-"))
        except InvalidOperation as exc:
            raise ValueError(_("Anna luku.")) from exc
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            raise ValueError(_("Anna luku."))
        low, high = item.minimum, item.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(
                _("Anna luku väliltä %(min)s–%(max)s.")
                % {"min": _fmt(low) if low is not None else "", "max": _fmt(high) if high else ""}
            )
        if item.step is not None and (number - (low or Decimal(0))) % item.step != 0:
            raise ValueError(_("Anna luku %(step)s:n tarkkuudella.") % {"step": _fmt(item.step)})
        return _fmt(number).replace(",", ".")
    if item.kind == "choice":
        text = str(value)
        if text not in {o.value for o in item.options}:
            raise ValueError(_("Valitse jokin vaihtoehdoista."))
        return text
    if item.kind == "multichoice":
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        allowed = [o.value for o in item.options]
        if any(v not in allowed for v in values):
            raise ValueError(_("Valitse vaihtoehdoista."))
        return [v for v in allowed if v in values]
    try:
        return _as_bool(value)
    except ValueError as exc:
        raise ValueError(_("Valitse kyllä tai ei.")) from exc


def _fmt(number: Decimal) -> str:
    normalised = number.normalize()
    return f"{normalised:f}"


def answers_clean(
    definition: FormDefinition,
    raw: Mapping[str, Any],
    *,
    language: str = "fi",
    context: Mapping[str, dt.date | None] | None = None,
) -> tuple[dict[str, Value], dict[str, list[str]]]:
    """The answers as JSON values, and the errors per item (empty when all is well).

    Unknown keys are ignored; an empty optional item is left out; every message is in the
    active language, the checks' messages in ``language``.
    """
    cleaned: dict[str, Value] = {}
    errors: dict[str, list[str]] = {}
    for item in definition.items:
        value = raw.get(item.code)
        if _empty(value):
            if item.required:
                errors[item.code] = [_("Tämä tieto on pakollinen.")]
            continue
        try:
            cleaned[item.code] = _clean_item(item, value)
        except ValueError as exc:
            errors[item.code] = [str(exc)]
    given = dict(context or {})
    for check in definition.checks:
        earlier = _lookup(check.earlier, cleaned, given)
        later = _lookup(check.later, cleaned, given)
        if earlier is not None and later is not None and later < earlier:
            target = check.later if not check.later.startswith("@") else check.earlier
            errors.setdefault(target, []).append(check.message.get(language))
    return cleaned, errors


def _lookup(
    name: str, cleaned: Mapping[str, Value], given: Mapping[str, dt.date | None]
) -> dt.date | None:
    if name.startswith("@"):
        return given.get(name[1:])
    value = cleaned.get(name)
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def answer_display(item: Item, value: Value | None, language: str) -> str:
    """An answer as text for a page, in ``language``."""
    if value is None or value == "" or value == []:
        return ""
    if item.kind == "bool":
        return {True: _("Kyllä"), False: _("Ei")}[bool(value)]
    if item.kind == "choice":
        return item.option_label(str(value), language)
    if item.kind == "multichoice" and isinstance(value, list):
        return ", ".join(item.option_label(v, language) for v in value)
    if item.kind == "date" and isinstance(value, str):
        day = dt.date.fromisoformat(value)
        return f"{day.day}.{day.month}.{day.year}"
    if item.kind == "number":
        return str(value).replace(".", ",") if language[:2] in {"fi", "sv"} else str(value)
    return str(value)
