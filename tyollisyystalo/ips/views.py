"""The IPS measures' pages: the coach's own and the team's per coach. Aggregates only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tyollisyystalo.ips import definitions, measures, selectors
from tyollisyystalo.ips.access import has_own_measures, measure_teams
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


def _number(value: Decimal | None, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"{number_format(value)}{suffix}"


def _outcome_cell(outcome: measures.Outcomes, key: str) -> str:
    value = getattr(outcome, key)
    if key == "hourly_wage":
        return f"{_number(value)} ({outcome.wage_jobs})" if outcome.workers_shown else "–"
    return _number(value, " %" if key.endswith("_percent") else "")


@dataclass(frozen=True)
class OutcomeTable:
    months: int
    clients: list[str]  # per column: clients in the cohort (or "fewer than 3")
    workers: list[str]
    rows: list[tuple[definitions.Definition, list[str]]]


def _outcome_tables(rows: list[selectors.CoachMeasures]) -> list[OutcomeTable]:
    tables = []
    for months in measures.COHORT_MONTHS:
        cohort = [row.outcomes[months] for row in rows]
        tables.append(
            OutcomeTable(
                months=months,
                clients=[
                    str(o.clients) if o.shown else _("alle %(n)s") % {"n": measures.MIN_GROUP}
                    for o in cohort
                ],
                workers=[str(o.workers) if o.shown else "–" for o in cohort],
                rows=[
                    (definition, [_outcome_cell(o, definition.key) for o in cohort])
                    for definition in definitions.OUTCOMES
                ],
            )
        )
    return tables


def _context() -> dict[str, object]:
    return {
        "definitions": definitions,
        "cohort_months": measures.COHORT_MONTHS,
        "goal_face_to_face": measures.GOAL_FACE_TO_FACE_PER_WEEK,
        "min_group": measures.MIN_GROUP,
        "weeks": measures.weeks_back(timezone.localdate(), selectors.WEEKS_SHOWN),
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
            "rows": rows,
            "outcome_tables": _outcome_tables(rows) if rows else [],
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
            "rows": rows,
            "outcome_tables": _outcome_tables(rows),
            "teams": [],
            "team": coaching_team,
        },
    )
