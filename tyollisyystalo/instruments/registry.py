"""The instruments in use: built-in files plus the directories named in ``INSTRUMENT_DIRS``."""

from __future__ import annotations

import re

from django.conf import settings

from tyollisyystalo.instruments.definitions import Instrument, load_all


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"[.\-]", version))


def all_versions() -> dict[tuple[str, str], Instrument]:
    return load_all(tuple(str(d) for d in getattr(settings, "INSTRUMENT_DIRS", ())))


def instruments_current() -> list[Instrument]:
    """The newest version of each instrument, in a stable order (by key)."""
    newest: dict[str, Instrument] = {}
    for (key, version), instrument in all_versions().items():
        held = newest.get(key)
        if held is None or _version_key(version) > _version_key(held.version):
            newest[key] = instrument
    return sorted(newest.values(), key=lambda i: (i.position, i.key))


def instrument_get(key: str, version: str | None = None) -> Instrument:
    """One instrument version (the newest if none is named). ``KeyError`` when unknown."""
    if version is not None:
        return all_versions()[(key, version)]
    for instrument in instruments_current():
        if instrument.key == key:
            return instrument
    raise KeyError(key)
