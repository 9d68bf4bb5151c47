"""Reads of the employer register, always within the teams the reader may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from tyollisyystalo.employers.access import register_teams
from tyollisyystalo.employers.models import CoachingTeam, Employer
from tyollisyystalo.staff.models import StaffMember


def team_get(*, staff: StaffMember, team_id: int) -> CoachingTeam:
    """The team if the staff member may read its register; otherwise 404 (nothing is told)."""
    team = register_teams(staff).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


@dataclass(frozen=True)
class EmployerQuery:
    text: str = ""
    sector: str = ""
    municipality: str = ""


def employer_search(*, team: CoachingTeam, query: EmployerQuery) -> QuerySet[Employer]:
    """Current (not merged) employers of a team matching the query, with the last contact date.

    A constant number of queries whatever the size of the register: owner and municipality are
    joined, the last contact date is one aggregate.
    """
    rows = Employer.objects.filter(team=team, merged_into__isnull=True)
    text = query.text.strip()
    if text:
        rows = rows.filter(Q(name__icontains=text) | Q(business_id__startswith=text))
    if query.sector:
        rows = rows.filter(sector=query.sector)
    if query.municipality:
        rows = rows.filter(municipality__code=query.municipality)
    return (
        rows.select_related("owner__user", "municipality")
        .annotate(last_contact_on=Max("contacts__contacted_on"))
        .order_by("name", "pk")
    )


def employer_get(*, staff: StaffMember, employer_id: int) -> Employer:
    """An employer of a team the staff member may read (merged ones too); otherwise 404."""
    employer = (
        Employer.objects.select_related("team", "owner__user", "municipality", "merged_into")
        .filter(pk=employer_id, team__in=register_teams(staff))
        .annotate(last_contact_on=Max("contacts__contacted_on"))
        .first()
    )
    if employer is None:
        raise Http404
    return employer
