"""The page's protection read a second time: for random quarters of paths, the tables as shown
never hold a count of 1–4, and no line the page's figures obey — written out here from what the
tables mean, not taken from the code — can be worked back to a single hidden figure."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tyollisyystalo.cases.models import CaseOutcome, EntryRoute
from tyollisyystalo.indicators.periods import parse_period
from tyollisyystalo.management.disclosure import Figure
from tyollisyystalo.situation.selectors import OTHER, PathRow, situation_compute
from tyollisyystalo.situation.selectors import SituationFigures as Figures
from tyollisyystalo.situation.tables import Picture, Table, situation_picture

Q = parse_period("2026-Q1")
COLUMNS = ("A", "B", OTHER)
OUTCOMES = CaseOutcome.values


def _paths(rng: random.Random) -> list[PathRow]:
    rows = []
    # Skewed on purpose: most paths in one age group, entry route and municipality, so that
    # lines with one small figure beside large ones are common.
    years = [1990] * 8 + [rng.randint(1955, 2005) for _n in range(3)]
    routes = [EntryRoute.EMPLOYMENT_SERVICES.value] * 6 + EntryRoute.values
    places = ["A"] * 6 + ["B", None]
    for n in range(rng.randint(0, 80)):
        referred = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randint(0, 200))
        started = referred + dt.timedelta(days=rng.randint(0, 40)) if rng.random() < 0.7 else None
        active = (
            started + dt.timedelta(days=rng.randint(0, 30))
            if started and rng.random() < 0.6
            else None
        )
        closed = None
        if rng.random() < 0.4:
            closed = (active or started or referred) + dt.timedelta(days=rng.randint(0, 60))
        rows.append(
            PathRow(
                n,
                f"c{n}",
                rng.choice(places),
                dt.date(rng.choice(years), 6, 1) if rng.random() < 0.95 else None,
                rng.choice(routes),
                referred,
                started,
                active if active and (not closed or active <= closed) else None,
                None,
                closed,
                rng.choice(OUTCOMES) if closed else "",
            )
        )
    return rows


def _compute(period, paths: list[PathRow]):
    return situation_compute(
        period=period,
        today=dt.date(2026, 12, 4),
        columns=COLUMNS,
        paths=paths,
        referrals=[],
        reviews=[],
        answers=[],
        service_areas={},
        need_rows=(),
        area_rows=(),
    )


def _picture(paths: list[PathRow]) -> Picture:
    figures = Figures(COLUMNS, _compute(Q, paths), _compute(Q.previous(), paths), (), (), {})
    return situation_picture(figures, scope_name="Testi", municipality_names={"A": "A", "B": "B"})


def _table(picture: Picture, key: str) -> Table:
    if key == "headline":
        return picture.headline
    if key == "comparison":
        return picture.comparison
    return next(t for t in picture.tables if t.key == key)


def _cells(table: Table) -> dict[str, tuple[Figure, ...]]:
    cells = {row.key: row.cells for row in table.rows}
    if table.total_row is not None:
        cells["total"] = table.total_row.cells
    return cells


def _lines(picture: Picture) -> list[list[Figure]]:
    """Every line the figures obey, as [parts..., total]: one reading of the tables' meaning."""
    lines: list[list[Figure]] = []
    state = _cells(_table(picture, "state"))
    partitions = {
        "state": (["referred", "intake", "active", "closed"], state["total"]),
        "age_group": (None, state["total"]),
        "entry_route": (None, None),
        "outcome": (None, state["closed"]),
    }
    for key, (rows, total) in partitions.items():
        cells = _cells(_table(picture, key))
        parts = rows or [r for r in cells if r != "total"]
        whole = total or cells["total"]
        for row in [*parts, "total"]:  # municipalities add up to the total column
            figures = cells.get(row, whole)
            lines.append(list(figures))
        for column in range(len(COLUMNS) + 1):  # the rows add up to the whole
            lines.append([cells[r][column] for r in parts] + [whole[column]])
    for column in range(len(COLUMNS) + 1):  # open statuses add up to the open subtotal
        lines.append([state[s][column] for s in ("referred", "intake", "active", "open")])
        lines.append([state["open"][column], state["closed"][column], state["total"][column]])
    comparison = _cells(_table(picture, "comparison"))
    now, before = 0, 1
    # In service = open at the previous end + new; the previous period's own split.
    lines.append(
        [comparison["open"][before], comparison["new"][now], comparison["in_service"][now]]
    )
    lines.append(
        [comparison["open"][before], comparison["closed"][before], comparison["in_service"][before]]
    )
    return lines


@pytest.mark.parametrize("seed", range(60))
def test_no_small_count_shown_and_no_line_gives_one_back(seed: int) -> None:
    picture = _picture(_paths(random.Random(seed)))
    for table in (picture.headline, *picture.tables):
        for row in table.all_rows:
            if table.key == "durations" and not row.key.endswith(":n"):
                continue  # medians, not counts
            for figure in row.cells:
                assert not (
                    isinstance(figure.value, int) and 0 < figure.value < 5 and not figure.suppressed
                )
    for line in _lines(picture):
        hidden = [figure for figure in line if figure.suppressed]
        assert len(hidden) != 1, f"seed {seed}: a hidden figure is the total minus the rest"
        # A line's shown figures must add up exactly when nothing in it is hidden.
        if not hidden:
            *parts, total = line
            assert sum(p.value for p in parts) == total.value  # type: ignore[misc]


def test_the_previous_median_is_hidden_when_its_paths_differ_from_the_readers_own_by_a_few():
    """Region: 6 paths behind the previous quarter's median days to the first meeting (12.5);
    the manager's own: 5 (10). The one other path would be narrowed down: hidden ("x")."""
    import copy

    from tyollisyystalo.situation.selectors import TOTAL, Median, PeriodFigures

    def figures(n: int, median: float) -> Figures:
        previous: PeriodFigures = copy.deepcopy(_compute(Q.previous(), []))
        previous.durations["to_first_meeting"][TOTAL] = Median(n, median)
        return Figures(COLUMNS, _compute(Q, []), previous, (), (), {})

    def previous_median(own: Figures | None) -> str:
        picture = situation_picture(
            figures(6, 12.5), scope_name="Alue", municipality_names={}, own=own
        )
        row = next(r for r in picture.comparison.rows if r.key == "median_days_to_first_meeting")
        return str(row.cells[1])

    assert previous_median(None) == "12,5"  # the steering group: no own view
    assert previous_median(figures(5, 10.0)) == "x"
    assert previous_median(figures(0, 0.0)) == "12,5"  # the others are six
