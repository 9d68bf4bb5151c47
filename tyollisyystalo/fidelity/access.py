"""Who sees and runs a team's fidelity reviews (ADR 0023 decision 13).

The review is the team's: the team's leaders run reviews and write plans; the job coaches and
managers of the team's organisations read them, the same people who read the team's employer
register (``employers.access.register_teams``). Everyone else: 404, nothing logged.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tyollisyystalo.employers.access import register_teams
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.staff.models import StaffMember


def review_teams(staff: StaffMember) -> QuerySet[CoachingTeam]:
    """The teams whose reviews this staff member may read."""
    return register_teams(staff)


def may_review(staff: StaffMember, team: CoachingTeam) -> bool:
    """Only the team's leaders run reviews and write improvement plans."""
    return team.leaders.filter(pk=staff.pk).exists()
