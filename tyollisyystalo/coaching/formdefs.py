"""The coaching forms A–E as versioned definitions (data, not code: ADR 0011, ADR 0023 d. 5).

Built-in files are in ``form_definitions/``; a region adds a version by adding a file to a
directory named in ``COACHING_FORM_DIRS``. Loaded and checked at start-up (``CoachingConfig``).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tyollisyystalo.shared.formdefs import (
    DefinitionError,
    FormDefinition,
    latest,
    load_directories,
)

BUILT_IN = Path(__file__).resolve().parent / "form_definitions"
KEYS = {
    "A": "coaching_a",
    "B": "coaching_b",
    "C": "coaching_c",
    "D": "coaching_d",
    "E": "coaching_e",
}


def all_versions() -> dict[tuple[str, str], FormDefinition]:
    extra = tuple(str(d) for d in getattr(settings, "COACHING_FORM_DIRS", ()))
    found = load_directories((str(BUILT_IN), *extra))
    missing = [key for key in KEYS.values() if not any(k == key for k, _v in found)]
    if missing:
        raise DefinitionError(f"coaching forms missing: {', '.join(missing)}")
    return found


def form_current(code: str) -> FormDefinition:
    """The newest version of form ``code`` (A–E)."""
    return latest(all_versions().values(), KEYS[code])


def form_version(code: str, version: str) -> FormDefinition:
    """The version an answer was given in (falls back to the newest if it is gone)."""
    return all_versions().get((KEYS[code], version)) or form_current(code)
