"""Who may see and change a coaching team's employer register (ADR 0023, decisions 2 and 7).

Pure rules: a staff member of one of the team's organisations reads the register when their
role is a coaching role (job coach) or a manager's, or when they lead the team; job coaches and
the team's leaders write. Everyone else gets nothing: the views answer 404 and log nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

READ_ROLES = frozenset({Role.JOB_COACH, Role.MANAGER})
WRITE_ROLES = frozenset({Role.JOB_COACH})


def register_teams(staff: StaffMember) -> QuerySet[CoachingTeam]:
    """The teams whose register this staff member may read."""
    member = Q(organisations=staff.organisation_id) if staff.role in READ_ROLES else Q(pk__in=[])
    return CoachingTeam.objects.filter(member | Q(leaders=staff)).distinct()


def may_write(staff: StaffMember, team: CoachingTeam) -> bool:
    """Job coaches of a team organisation and the team's leaders add and change rows.

    A manager of a team organisation reads the register (caseloads and employer work are theirs
    to see) but does not keep its contacts.
    """
    if team.leaders.filter(pk=staff.pk).exists():
        return True
    return (
        staff.role in WRITE_ROLES and team.organisations.filter(pk=staff.organisation_id).exists()
    )
