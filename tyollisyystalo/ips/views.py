"""The IPS measures' pages: the coach's own and the team's per coach. Aggregates only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format

from tyollisyystalo.ips import definitions, measures, selectors
from tyollisyystalo.ips.access import has_own_measures, measure_teams
from tyollisyystalo.management.disclosure import (
    MIN_COUNT,
    Figure,
    Line,
    is_small,
    suppressed_cells,
)
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


def _number(value: Decimal | None, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"{number_format(value)}{suffix}"


def _hidden_columns(counts: list[int], *, with_total: bool) -> set[int]:
    """Columns whose count of people is hidden: 1–4, and on the team page (coaches adding up to
    the team's total, the last column) one more where a single hidden one could be worked back."""
    values = dict(enumerate(counts))
    lines = [Line(list(range(len(counts) - 1)), len(counts) - 1)] if with_total else []
    return suppressed_cells(values, lines)


def _of_people(value: Decimal | None, people: int, suffix: str = "") -> str:
    """A mean or share over ``people``: shown only when they are not 1–4."""
    if is_small(people):
        return str(Figure(None, suppressed=True))
    return _number(value, suffix)


def _outcome_cell(outcome: measures.Outcomes, key: str) -> str:
    value = getattr(outcome, key)
    if key == "employed_percent":
        return _of_people(value, outcome.workers, " %")
    if key == "twenty_hours_percent":
        return _of_people(value, outcome.twenty_hours, " %")
    if key == "hourly_wage":
        if is_small(outcome.workers) or is_small(outcome.wage_jobs):
            return str(Figure(None, suppressed=True))
        return f"{_number(value)} ({outcome.wage_jobs})" if value is not None else "–"
    return _of_people(value, outcome.workers)


@dataclass(frozen=True)
class OutcomeTable:
    months: int
    clients: list[str]  # per column: clients in the cohort ("< 5" or "x" when hidden)
    workers: list[str]
    rows: list[tuple[definitions.Definition, list[str]]]


def _outcome_tables(rows: list[selectors.CoachMeasures], *, with_total: bool) -> list[OutcomeTable]:
    tables = []
    for months in measures.COHORT_MONTHS:
        cohort = [row.outcomes[months] for row in rows]
        hidden = _hidden_columns([o.clients for o in cohort], with_total=with_total)
        tables.append(
            OutcomeTable(
                months=months,
                clients=[str(Figure(o.clients, i in hidden)) for i, o in enumerate(cohort)],
                workers=[
                    "–" if i in hidden else str(Figure(o.workers, is_small(o.workers)))
                    for i, o in enumerate(cohort)
                ],
                rows=[
                    (
                        definition,
                        [
                            "–" if i in hidden else _outcome_cell(o, definition.key)
                            for i, o in enumerate(cohort)
                        ],
                    )
                    for definition in definitions.OUTCOMES
                ],
            )
        )
    return tables


@dataclass(frozen=True)
class FirstContactRow:
    periods: str
    within_goal: str  # count and share
    median_days: str
    without_contact: str


def _first_contact_rows(
    rows: list[selectors.CoachMeasures], *, with_total: bool
) -> list[FirstContactRow]:
    """Counts of clients per coach, each column protected with the team total as its line."""
    summaries = [row.first_contact for row in rows]
    hidden = {
        column: _hidden_columns([getattr(f, column) for f in summaries], with_total=with_total)
        for column in ("periods", "within_goal", "without_contact")
    }
    result = []
    for i, f in enumerate(summaries):
        if i in hidden["periods"]:
            cells = FirstContactRow(str(Figure(f.periods, True)), "–", "–", "–")
        else:
            within = Figure(f.within_goal, i in hidden["within_goal"])
            share = (
                ""
                if within.suppressed or f.within_goal_percent is None
                else f" ({number_format(f.within_goal_percent)} %)"
            )
            contacted = f.periods - f.without_contact
            cells = FirstContactRow(
                periods=str(Figure(f.periods)),
                within_goal=f"{within}{share}",
                median_days=_of_people(f.median_days, contacted),
                without_contact=str(Figure(f.without_contact, i in hidden["without_contact"])),
            )
        result.append(cells)
    return result


def _context() -> dict[str, object]:
    return {
        "definitions": definitions,
        "cohort_months": measures.COHORT_MONTHS,
        "goal_face_to_face": measures.GOAL_FACE_TO_FACE_PER_WEEK,
        "min_count": MIN_COUNT,
        "weeks": measures.weeks_back(timezone.localdate(), selectors.WEEKS_SHOWN),
    }


def _tables(rows: list[selectors.CoachMeasures], *, with_total: bool) -> dict[str, object]:
    return {
        "rows": rows,
        "outcome_tables": _outcome_tables(rows, with_total=with_total) if rows else [],
        "first_contact_rows": list(
            zip(rows, _first_contact_rows(rows, with_total=with_total), strict=True)
        ),
    }


@staff_view()
def own(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    teams = list(measure_teams(staff))
    if not has_own_measures(staff):
        if not teams:
            raise Http404
        if len(teams) == 1:
            return redirect("ips:team", pk=teams[0].pk)
    rows = []
    if has_own_measures(staff):
        rows = [selectors.own_measures(staff=staff, on=timezone.localdate())]
    return render(
        request,
        "ips/measures.html",
        {
            **_context(),
            **_tables(rows, with_total=False),
            "teams": teams,
            "team": None,
        },
    )


@staff_view()
def team(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    coaching_team = selectors.team_get(staff=staff, team_id=pk)
    rows = selectors.team_measures(team=coaching_team, on=timezone.localdate())
    return render(
        request,
        "ips/measures.html",
        {
            **_context(),
            **_tables(rows, with_total=True),
            "teams": [],
            "team": coaching_team,
        },
    )
