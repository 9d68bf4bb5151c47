"""Scoring a fidelity review: pure, on a definition and item scores (no database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tyollisyystalo.fidelity.definition import SCORES, Scale


class ScoreError(ValueError):
    """Item scores that cannot be scored: an unknown key, or a score that is not 1–5.

    ``errors`` maps each offending key to a code: ``unknown_item``, ``not_integer`` or
    ``out_of_range``.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(", ".join(f"{key}: {code}" for key, code in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Result:
    total: int
    band: str | None
    complete: bool
    missing: tuple[str, ...]


def scores_check(scale: Scale, items: Mapping[str, object]) -> dict[str, int]:
    """The scores as integers, or ScoreError naming every bad key (in the order given)."""
    errors: dict[str, str] = {}
    known = set(scale.keys)
    checked: dict[str, int] = {}
    for key, value in items.items():
        if key not in known:
            errors[key] = "unknown_item"
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[key] = "not_integer"
        elif value not in SCORES:
            errors[key] = "out_of_range"
        else:
            checked[key] = value
    if errors:
        raise ScoreError(errors)
    return checked


def score(scale: Scale, items: Mapping[str, object]) -> Result:
    """Total of the given item scores; the band only when every item is scored.

    An incomplete review has a total of what is scored so far, no band, and the keys still
    missing in the scale's order.
    """
    checked = scores_check(scale, items)
    total = sum(checked.values())
    missing = tuple(key for key in scale.keys if key not in checked)
    band = None
    if not missing:
        band = next(b.key for b in scale.bands if b.minimum <= total <= b.maximum)
    return Result(total=total, band=band, complete=not missing, missing=missing)
