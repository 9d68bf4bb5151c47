"""The small-number rule, against tables whose hidden cells are worked out by hand."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence, Set
from typing import Any

import pytest
from django.utils import translation

from tyollisyystalo.management.disclosure import (
    Line,
    protect_counts,
    protect_mean,
    protect_rate,
    protect_table,
    suppressed_cells,
)


def test_counts_one_to_four_hidden_zero_and_five_shown() -> None:
    figures, total = protect_counts({"a": 0, "b": 5, "c": 4, "d": 1, "e": 12}, total=None)
    assert [f.suppressed for f in figures.values()] == [False, False, True, True, False]
    assert total is None
    with translation.override("fi"):
        assert str(figures["c"]) == "< 5"
    assert figures["c"].as_json() is None


def test_single_hidden_cell_beside_a_total_hides_the_next_smallest() -> None:
    # 3 hidden; with the total 3 + 7 + 20 = 30 shown, 3 = 30 - 7 - 20: hide 7 too.
    figures, total = protect_counts({"a": 3, "b": 7, "c": 20}, total=30)
    assert {k for k, f in figures.items() if f.suppressed} == {"a", "b"}
    assert total is not None
    assert not total.suppressed
    with translation.override("fi"):
        assert [str(figures[k]) for k in "abc"] == ["< 5", "x", "20"]


def test_two_hidden_cells_need_nothing_more() -> None:
    figures, _total = protect_counts({"a": 3, "b": 2, "c": 20}, total=25)
    assert {k for k, f in figures.items() if f.suppressed} == {"a", "b"}


def test_only_part_hidden_hides_the_total() -> None:
    figures, total = protect_counts({"a": 3}, total=3)
    assert figures["a"].suppressed
    assert total is not None
    assert total.suppressed


def test_hidden_part_with_zeros_beside_it_hides_the_total() -> None:
    figures, total = protect_counts({"a": 6, "b": 0}, total=6)
    assert not any(f.suppressed for f in figures.values())
    figures, total = protect_counts({"a": 2, "b": 0}, total=2)
    assert total is not None
    assert total.suppressed


def _recoverable(values: Mapping[Any, int], lines: Sequence[Line[Any]], hidden: Set[Any]) -> bool:
    """A second reading of the rule: can any hidden cell be worked out from one line?"""
    for line in lines:
        members = [*line.parts, line.total]
        unknown = [key for key in members if key in hidden]
        if len(unknown) == 1:
            return True
    return False


@pytest.mark.parametrize("seed", range(40))
def test_cross_tables_leave_no_line_with_a_single_hidden_figure(seed: int) -> None:
    import random

    rng = random.Random(seed)
    rows = {
        f"r{r}": {f"c{c}": rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 30]) for c in range(4)}
        for r in range(rng.randint(1, 5))
    }
    table, total_row = protect_table(rows)
    values: dict[object, int] = {}
    hidden: set[object] = set()
    for row, cells in [*table.items(), ("*", total_row)]:
        for column, figure in cells.items():
            assert isinstance(figure.value, int)
            values[(row, column)] = figure.value
            if figure.suppressed:
                hidden.add((row, column))
            elif 0 < figure.value < 5:
                pytest.fail(f"small figure shown at {row}/{column}")
    columns = [f"c{c}" for c in range(4)]
    lines: list[Line[object]] = [
        Line([(r, c) for c in columns], (r, "total")) for r in [*rows, "*"]
    ]
    lines += [Line([(r, c) for r in rows], ("*", c)) for c in [*columns, "total"]]
    assert not _recoverable(values, lines, hidden)


def test_suppression_across_a_hierarchy_of_municipalities() -> None:
    # Two municipalities add up to the organisation, which adds up with another to the region.
    values = {"m1": 3, "m2": 40, "org": 43, "other": 10, "region": 53}
    hidden = suppressed_cells(values, [Line(["m1", "m2"], "org"), Line(["org", "other"], "region")])
    assert "m1" in hidden
    assert "m2" in hidden
    assert not _recoverable(
        values, [Line(["m1", "m2"], "org"), Line(["org", "other"], "region")], hidden
    )


def test_rates_and_means() -> None:
    assert protect_rate(3, 40).suppressed
    assert protect_rate(10, 4).suppressed
    assert protect_rate(0, 0).value is None
    assert not protect_rate(0, 0).suppressed
    assert protect_rate(7, 20).value == 35
    assert protect_rate(0, 20).value == 0
    assert protect_mean([8, 9, 10, 7]).suppressed
    assert protect_mean([8, 9, 10, 7, 9]).value == 8.6
    assert protect_mean([]).value is None


def test_every_combination_of_a_short_list_protected() -> None:
    for counts in itertools.product([0, 1, 4, 5, 8], repeat=3):
        parts = dict(zip("abc", counts, strict=True))
        figures, total = protect_counts(parts, total=sum(counts))
        assert total is not None
        shown = {k: f.value for k, f in figures.items() if not f.suppressed}
        hidden = [k for k, f in figures.items() if f.suppressed]
        if not total.suppressed and len(hidden) == 1:
            pytest.fail(f"{parts}: {hidden[0]} = total - shown")
        assert all(not (0 < v < 5) for v in shown.values() if isinstance(v, int))


def test_a_mean_of_counted_answers_is_the_mean_of_the_answers():
    from tyollisyystalo.management.disclosure import protect_mean_of_counts

    assert protect_mean_of_counts({8: 1, 9: 2, 10: 1}).suppressed  # four answers
    assert protect_mean_of_counts({}) == protect_mean([])
    for counts in ({8: 1, 9: 2, 10: 1, 7: 1}, {4: 3, 10: 9}, {1: 250, 5: 4000, 3: 17}):
        answers = [value for value, n in counts.items() for _ in range(n)]
        assert protect_mean_of_counts(counts) == protect_mean(answers)


def test_a_line_with_no_parts_and_its_total_hidden_ends():
    """An organisation serving no municipality: its total alone, 1–4, is hidden and the rule
    stops (it used to loop for ever)."""
    from tyollisyystalo.management.disclosure import Line, suppressed_cells

    assert suppressed_cells({"total": 2}, [Line([], "total")]) == {"total"}
    assert suppressed_cells({"total": 7}, [Line([], "total")]) == set()
