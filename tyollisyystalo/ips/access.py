"""Who sees which IPS measures (ADR 0023 decision 14).

A job coach sees their own measures. A team's measures per coach are seen by the team's leaders
and by the managers of the team's organisations (who oversee caseloads and outcomes); the
coaches of the team see their own page, not each other's figures. Everyone else: 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tyollisyystalo.employers.access import register_teams
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role


def measure_teams(staff: StaffMember) -> QuerySet[CoachingTeam]:
    """The teams whose per-coach measures this staff member may see: of the teams whose
    register they read, those they lead or, as a manager, whose organisation they belong to."""
    oversees = Q(leaders=staff)
    if staff.role == Role.MANAGER:
        oversees |= Q(organisations=staff.organisation_id)
    return register_teams(staff).filter(oversees).distinct()


def has_own_measures(staff: StaffMember) -> bool:
    return staff.role == Role.JOB_COACH
