"""Small numbers protected (issue 15 part 4; the rule and its source: docs/small-numbers.md).

Outside the case-owning staff's own lists no figure that counts people may show a count from
1 to 4: it is shown as "< 5" (primary suppression). Where a table also shows totals, a single
hidden cell could be worked back as the total minus the others, so every line (a set of parts
and the total they add up to) that holds exactly one hidden figure gets a second one: the
smallest remaining part, or the total when no part is left (secondary suppression, shown
"x" as in Statistics Finland's tables: the figure is hidden, not small). Lines are
given explicitly, so the same function serves a list with its total, a cross-table with row and
column totals, and municipalities that add up to an organisation.

A rate or mean is shown only when the people behind its numerator and its denominator are
both outside 1–4 (a mean of survey answers: at least 5 answers).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MIN_COUNT = 5

K = TypeVar("K", bound=Hashable)


def is_small(count: int | None) -> bool:
    """A count of people that may not be shown: 1–4 (zero reveals no one)."""
    return count is not None and 0 < count < MIN_COUNT


@dataclass(frozen=True)
class Line(Generic[K]):
    """Parts that add up to a total, both shown in the same table."""

    parts: Sequence[K]
    total: K | None = None


def differenced(shown: Mapping[K, int], known: Mapping[K, int]) -> set[K]:
    """The cells of a view whose difference from the same cell of a view the same reader also
    sees is 1–4: a manager who reads the region's figures and their own organisation's could
    subtract them and count the other organisations' people in a cell. Those cells are hidden
    too (shown "x"), before secondary suppression runs over the view's lines."""
    return {key for key, value in shown.items() if key in known and is_small(value - known[key])}


def suppressed_cells(
    values: Mapping[K, int], lines: Iterable[Line[K]], *, also: Iterable[K] = ()
) -> set[K]:
    """The cells to hide: primary (1–4, and ``also``: cells hidden for another reason, such as
    ``differenced``) and secondary, until no line can be worked back."""
    hidden = {key for key, value in values.items() if is_small(value)} | set(also)
    lines = list(lines)
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = list(line.parts) + ([line.total] if line.total is not None else [])
            if line.total is None or values.get(line.total) is None:
                continue  # no total shown: the parts alone reveal nothing more
            if sum(1 for key in members if key in hidden) != 1:
                continue
            candidates = [key for key in line.parts if key not in hidden and values[key] > 0]
            if not candidates:
                candidates = [key for key in line.parts if key not in hidden]
            if candidates:
                pick = min(candidates, key=lambda key: (values[key], str(key)))
            else:
                pick = line.total
            # A line with no parts and its total hidden gives nothing back: only a cell newly
            # hidden counts as a change (the loop ends).
            if pick not in hidden:
                hidden.add(pick)
                changed = True
    return hidden


@dataclass(frozen=True)
class Figure:
    """One figure as shown: its value, or hidden by the small-number rule."""

    value: int | float | None
    suppressed: bool = False
    decimals: int = 0

    @property
    def secondary(self) -> bool:
        """Hidden only so that a small figure beside it cannot be worked back (shown "x")."""
        return self.suppressed and isinstance(self.value, int) and not is_small(self.value)

    def __str__(self) -> str:
        if self.suppressed:
            if isinstance(self.value, int) and is_small(self.value):
                return _("< %(n)s") % {"n": MIN_COUNT}
            return "x"  # hidden beside a small figure, or a rate or mean of too few people
        if self.value is None:
            return "–"
        return str(number_format(self.value, decimal_pos=self.decimals, use_l10n=True))

    def as_json(self) -> int | float | None:
        return None if self.suppressed else self.value


def protect_counts(
    counts: Mapping[K, int],
    *,
    total: int | None = None,
    also: Iterable[K] = (),
    total_also: bool = False,
) -> tuple[dict[K, Figure], Figure | None]:
    """A list of counts and, when given, their total, with both suppressions applied (``also``
    and ``total_also``: parts and the total hidden for another reason, e.g. ``differenced``)."""
    values: dict[object, int] = dict(counts.items())
    total_key = object()
    if total is not None:
        values[total_key] = total
    hidden = suppressed_cells(
        values,
        [Line(list(counts), total_key if total is not None else None)],
        also=[*also, *([total_key] if total_also and total is not None else [])],
    )
    figures = {key: Figure(value, key in hidden) for key, value in counts.items()}
    shown_total = None if total is None else Figure(total, total_key in hidden)
    return figures, shown_total


def protect_table(
    rows: Mapping[K, Mapping[str, int]], *, totals: bool = True
) -> tuple[dict[K, dict[str, Figure]], dict[str, Figure]]:
    """A cross-table (row → column → count) with row totals under "total" and a total row,
    both suppressions applied over rows and columns alike."""
    columns: list[str] = sorted({c for cells in rows.values() for c in cells})
    values: dict[tuple[object, str], int] = {}
    for row, cells in rows.items():
        for column in columns:
            values[(row, column)] = cells.get(column, 0)
    lines: list[Line[tuple[object, str]]] = []
    if totals:
        for row in rows:
            values[(row, "total")] = sum(values[(row, c)] for c in columns)
            lines.append(Line([(row, c) for c in columns], (row, "total")))
        for column in [*columns, "total"]:
            values[("*", column)] = sum(values[(row, column)] for row in rows)
            lines.append(Line([(row, column) for row in rows], ("*", column)))
        lines.append(Line([("*", c) for c in columns], ("*", "total")))
    hidden = suppressed_cells(values, lines)
    table = {
        row: {
            column: Figure(values[(row, column)], (row, column) in hidden)
            for column in [*columns, *(["total"] if totals else [])]
        }
        for row in rows
    }
    total_row = (
        {
            column: Figure(values[("*", column)], ("*", column) in hidden)
            for column in [*columns, "total"]
        }
        if totals
        else {}
    )
    return table, total_row


def protect_rate(
    numerator: int, denominator: int, *, percent: bool = True, decimals: int = 0
) -> Figure:
    """A share of people: hidden when either count is 1–4, "–" when nobody is counted."""
    if is_small(numerator) or is_small(denominator):
        return Figure(None, suppressed=True)
    if denominator == 0:
        return Figure(None)
    value = numerator / denominator * (100 if percent else 1)
    return Figure(round(value, decimals), decimals=decimals)


def protect_mean(values: Sequence[float], *, decimals: int = 1) -> Figure:
    """A mean of answers: hidden below five answers."""
    if len(values) < MIN_COUNT:
        return Figure(None, suppressed=bool(values))
    return Figure(round(sum(values) / len(values), decimals), decimals=decimals)


def protect_mean_of_counts(counts: Mapping[int, int], *, decimals: int = 1) -> Figure:
    """``protect_mean`` of answers given as value → how many gave it (the same figure: whole
    values add up exactly either way)."""
    answered = sum(counts.values())
    if answered < MIN_COUNT:
        return Figure(None, suppressed=answered > 0)
    total = sum(value * n for value, n in counts.items())
    return Figure(round(total / answered, decimals), decimals=decimals)
