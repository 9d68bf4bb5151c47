"""What the workshop shows of an analysis and a version: read from their stored results, with
the small-number protection of the management pages on every figure that counts people."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tyollisyystalo.management.disclosure import (
    MIN_COUNT,
    Figure,
    protect_counts,
    protect_rate,
    protect_table,
)
from tyollisyystalo.segments.criteria import ruleset_from_json
from tyollisyystalo.segments.discovery import SMALL
from tyollisyystalo.segments.features import Kind, feature_index, features

PROFILE_SHOWN = 8  # the features that set a segment most apart, before "all features"
MONTHS_SCALE = 60.0  # unemployment months compared on five years


@dataclass(frozen=True)
class ProfileLine:
    label: str
    segment: str
    whole: str
    difference: float  # on a 0–1 scale, for ordering


@dataclass(frozen=True)
class CandidateView:
    code: str
    size: Figure
    share: str
    small: bool
    criteria: tuple[str, ...]
    agreement: str
    profile: tuple[ProfileLine, ...]
    apart: tuple[ProfileLine, ...]


@dataclass(frozen=True)
class FitView:
    k: int
    bic: str
    smallest: Figure
    chosen: bool


@dataclass(frozen=True)
class AnalysisView:
    fits: tuple[FitView, ...]
    stability_mean: str
    stability_min: str
    agreement: str
    unmatched: Figure
    candidates: tuple[CandidateView, ...]
    total: Figure | None


def _percent(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{number_format(value * 100, decimal_pos=0, use_l10n=True)} %"


def _decimal(value: float | None, places: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return str(number_format(value, decimal_pos=places, use_l10n=True))


def _profile_lines(rows: Sequence[Sequence[Any]]) -> list[ProfileLine]:
    """A candidate's profile as shown. A category's shares add up to the whole, so its counts
    are protected as one line with their total: a hidden small share is not given away by the
    others (secondary suppression)."""
    columns, index = features(), feature_index()
    lines: list[ProfileLine] = []
    by_category: dict[str, list[Sequence[Any]]] = {}
    for row in rows:
        code, value, segment, whole, known = row
        if code not in index or segment is None or whole is None:
            continue
        feature = columns[index[code]]
        if feature.kind == Kind.CATEGORY:
            by_category.setdefault(code, []).append(row)
            continue
        if feature.kind == Kind.SCORE:
            scale = 10.0 if str(feature.unit) == "0–10" else MONTHS_SCALE
            unit = "" if str(feature.unit) == "0–10" else f" {feature.unit}"
            lines.append(
                ProfileLine(
                    feature.title(),
                    _decimal(segment, 1) + unit if known >= MIN_COUNT else "x",
                    _decimal(whole, 1) + unit,
                    min(abs(segment - whole) / scale, 1.0),
                )
            )
            continue
        shown = protect_rate(round(segment * known), known)
        lines.append(
            ProfileLine(feature.title(), _shown(shown), _percent(whole), abs(segment - whole))
        )
    for code, category_rows in by_category.items():
        feature = columns[index[code]]
        known = int(category_rows[0][4])
        counts = {row[1]: round(row[2] * known) for row in category_rows}
        protected, _total = protect_counts(counts, total=known)
        for _code, value, segment, whole, _known in category_rows:
            figure = protected[value]
            label = f"{feature.title()}: {feature.choice_label(feature.choices.index(value))}"
            text = str(figure) if figure.suppressed or known < MIN_COUNT else _percent(segment)
            lines.append(ProfileLine(label, text, _percent(whole), abs(segment - whole)))
    return lines


def _shown(figure: Figure) -> str:
    return str(figure) if figure.suppressed else f"{figure} %"


def analysis_view(results: Mapping[str, Any], chosen_k: int) -> AnalysisView:
    """An analysis' fits, stability, candidates with their profiles and fitted criteria."""
    candidates = results["candidates"]
    sizes, total = protect_counts(
        {c["code"]: c["size"] for c in candidates}, total=sum(c["size"] for c in candidates)
    )
    rules = {s.code: s for s in ruleset_from_json(results["rules"])}
    per_segment = results["agreement"]["per_segment"]
    shown = []
    for position, candidate in enumerate(candidates):
        lines = _profile_lines(candidate["profile"])
        segment_rules = rules.get(candidate["code"])
        shown.append(
            CandidateView(
                code=candidate["code"],
                size=sizes[candidate["code"]],
                share=_percent(candidate["share"]),
                small=candidate["size"] < SMALL,
                criteria=tuple(r.text() for r in segment_rules.rules) if segment_rules else (),
                agreement=_percent(per_segment[position] if position < len(per_segment) else None),
                profile=tuple(lines),
                apart=tuple(sorted(lines, key=lambda line: -line.difference)[:PROFILE_SHOWN]),
            )
        )
    stability = [float(a) for a in results["stability"]]
    return AnalysisView(
        fits=tuple(
            FitView(
                f["k"],
                _decimal(f["bic"], 0),
                protect_counts({0: f["smallest"]})[0][0],
                f["k"] == chosen_k,
            )
            for f in results["fits"]
        ),
        stability_mean=_decimal(sum(stability) / len(stability)) if stability else "–",
        stability_min=_decimal(min(stability)) if stability else "–",
        agreement=_percent(results["agreement"]["overall"]),
        unmatched=protect_counts({0: results["agreement"]["unmatched"]})[0][0],
        candidates=tuple(shown),
        total=total,
    )


@dataclass(frozen=True)
class FairnessTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Figure, ...]], ...]
    total: tuple[Figure, ...]


def fairness_tables(checks: Mapping[str, Any], names: Mapping[str, str]) -> list[FairnessTable]:
    """The version's segments by sex and by age group, counts protected across rows and
    columns; the last row is the people no criterion holds for."""
    by_code = {f.code: f for f in features()}
    tables = []
    for key, code in (("sex", "sex"), ("age", "age_group")):
        feature = by_code[code]
        keys = [*feature.choices, ""]
        labels = [
            *(feature.choice_label(i) for i in range(len(feature.choices))),
            _("ei tiedossa"),
        ]
        rows = {
            (row["code"] or "-"): {k: int(row[key].get(k, 0)) for k in keys}
            for row in checks.get("fairness", [])
        }
        table, total_row = protect_table(rows)
        order = [*keys, "total"]
        tables.append(
            FairnessTable(
                title=feature.title(),
                columns=(*labels, _("Yhteensä")),
                rows=tuple(
                    (
                        names.get(row_code, _("Ei mihinkään segmenttiin")),
                        tuple(cells[c] for c in order),
                    )
                    for row_code, cells in table.items()
                ),
                total=tuple(total_row[c] for c in order),
            )
        )
    return tables
