"""The rows the IPS measures count, fetched in a fixed number of queries whatever the data.

Only aggregates leave this module for the pages: no client's name or identifier is read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from tyollisyystalo.coaching.models import CoachingPeriod, Placement
from tyollisyystalo.employers.models import CoachingTeam, EmployerContact
from tyollisyystalo.ips import measures
from tyollisyystalo.ips.access import measure_teams
from tyollisyystalo.ips.scope import active_on, team_periods
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

WEEKS_SHOWN = 8
FIRST_CONTACT_LOOKBACK_DAYS = 365


def team_get(*, staff: StaffMember, team_id: int) -> CoachingTeam:
    team = measure_teams(staff).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


def first_contacts(periods: QuerySet[CoachingPeriod]) -> list[tuple[int, dt.date, dt.date | None]]:
    """(coach, start, first employer contact about the client on or after the start)."""
    first = (
        EmployerContact.objects.filter(
            client=OuterRef("client"), contacted_on__gte=OuterRef("started_on")
        )
        .order_by()
        .values("client")
        .annotate(first=Min("contacted_on"))
        .values("first")[:1]
    )
    return list(
        periods.order_by()
        .annotate(first=Subquery(first))
        .values_list("coach_id", "started_on", "first")
    )


def contact_rows(
    contacts: QuerySet[EmployerContact], since: dt.date, until: dt.date
) -> list[tuple[int, dt.date, bool, int]]:
    """(coach, day, face to face, number of contacts), grouped in the database."""
    return list(
        contacts.filter(contacted_on__range=(since, until))
        .order_by()
        .values("coach_id", "contacted_on", "face_to_face")
        .annotate(n=Count("pk"))
        .values_list("coach_id", "contacted_on", "face_to_face", "n")
    )


def cohort_periods(
    periods: QuerySet[CoachingPeriod], on: dt.date, months: int
) -> list[tuple[int, measures.CoachedPeriod]]:
    """The cohort's periods with their jobs, in two queries."""
    first, last = measures.cohort_window(on, months)
    rows = list(
        periods.filter(started_on__range=(first, last))
        .order_by()
        .values_list("pk", "coach_id", "started_on")
    )
    jobs: dict[object, list[measures.Job]] = defaultdict(list)
    for period_id, started, ended, hours, competitive, wage in Placement.objects.filter(
        period__in=[pk for pk, _, _ in rows]
    ).values_list(
        "period_id", "started_on", "ended_on", "hours_per_week", "competitive", "hourly_wage"
    ):
        jobs[period_id].append(measures.Job(started, ended, hours, competitive, wage))
    return [
        (coach, measures.CoachedPeriod(started, tuple(jobs[pk]))) for pk, coach, started in rows
    ]


@dataclass
class CoachMeasures:
    """One coach's (or, with ``coach`` None, the whole team's) measures."""

    coach: StaffMember | None
    weeks: list[measures.WeekCount]
    caseload: int
    first_contact: measures.FirstContact
    outcomes: dict[int, measures.Outcomes] = field(default_factory=dict)

    @property
    def contacts_per_week(self) -> tuple[Decimal | None, Decimal | None]:
        return measures.per_week(self.weeks)


def _measures(
    *,
    coaches: list[StaffMember],
    periods: QuerySet[CoachingPeriod],
    contacts: QuerySet[EmployerContact],
    on: dt.date,
    with_total: bool,
) -> list[CoachMeasures]:
    weeks = measures.weeks_back(on, WEEKS_SHOWN)
    by_coach: dict[int | None, list[tuple[dt.date, bool, int]]] = defaultdict(list)
    for coach_id, day, face, n in contact_rows(contacts, weeks[0], on):
        by_coach[coach_id].append((day, face, n))
        by_coach[None].append((day, face, n))
    caseload: dict[int | None, int] = dict(
        active_on(periods, on)
        .order_by()
        .values("coach_id")
        .annotate(n=Count("pk"))
        .values_list("coach_id", "n")
    )
    caseload[None] = sum(v for k, v in caseload.items() if k is not None)
    delays: dict[int | None, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    counted = periods.filter(
        started_on__range=(
            on - dt.timedelta(days=FIRST_CONTACT_LOOKBACK_DAYS),
            on - dt.timedelta(days=measures.GOAL_DAYS_TO_FIRST_CONTACT),
        )
    )
    for coach_id, started, first in first_contacts(counted):
        delays[coach_id].append((started, first))
        delays[None].append((started, first))
    cohorts: dict[int, dict[int | None, list[measures.CoachedPeriod]]] = {}
    for months in measures.COHORT_MONTHS:
        grouped: dict[int | None, list[measures.CoachedPeriod]] = defaultdict(list)
        for coach_id, period in cohort_periods(periods, on, months):
            grouped[coach_id].append(period)
            grouped[None].append(period)
        cohorts[months] = grouped
    keys: list[tuple[int | None, StaffMember | None]] = [(c.pk, c) for c in coaches]
    if with_total:
        keys.append((None, None))
    return [
        CoachMeasures(
            coach=coach,
            weeks=measures.contacts_by_week(by_coach[key], weeks),
            caseload=caseload.get(key, 0),
            first_contact=measures.first_contact_summary(delays[key]),
            outcomes={
                months: measures.outcomes(grouped[key], months)
                for months, grouped in cohorts.items()
            },
        )
        for key, coach in keys
    ]


def own_measures(*, staff: StaffMember, on: dt.date) -> CoachMeasures:
    """The coach's own measures: their periods in any team and their own employer contacts."""
    return _measures(
        coaches=[staff],
        periods=CoachingPeriod.objects.filter(coach=staff),
        contacts=EmployerContact.objects.filter(coach=staff),
        on=on,
        with_total=False,
    )[0]


def team_coaches(team: CoachingTeam) -> list[StaffMember]:
    """Coaches of the team's periods and the active job coaches of its organisations."""
    return list(
        StaffMember.objects.filter(
            Q(pk__in=team_periods(team).values("coach"))
            | Q(organisation__coaching_teams=team, role=Role.JOB_COACH, is_active=True)
        )
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name", "pk")
    )


def team_measures(*, team: CoachingTeam, on: dt.date) -> list[CoachMeasures]:
    """Per coach of the team, then the team as a whole (last row, ``coach`` None)."""
    coaches = team_coaches(team)
    return _measures(
        coaches=coaches,
        periods=team_periods(team),
        contacts=EmployerContact.objects.filter(employer__team=team, coach__in=coaches),
        on=on,
        with_total=True,
    )
