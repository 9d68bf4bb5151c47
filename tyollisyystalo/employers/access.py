"""Who may see and change a coaching team's employer register (ADR 0023, decisions 2 and 7).

Pure rules: a staff member of one of the team's organisations reads the register when their
role is a coaching role (job coach) or a manager's, or when they lead the team; job coaches and
the team's leaders write. Everyone else gets nothing: the views answer 404 and log nothing.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

READ_ROLES = frozenset({Role.JOB_COACH, Role.MANAGER})
WRITE_ROLES = frozenset({Role.JOB_COACH})


def register_teams(staff: StaffMember) -> QuerySet[CoachingTeam]:
    """The teams whose register this staff member may read.

    Each team carries the facts ``may_write`` needs for this staff member, so a page decides
    reading and writing with one query.
    """
    member = Q(organisations=staff.organisation_id) if staff.role in READ_ROLES else Q(pk__in=[])
    leaders = CoachingTeam.leaders.through.objects.filter(
        coachingteam=OuterRef("pk"), staffmember=staff.pk
    )
    organisations = CoachingTeam.organisations.through.objects.filter(
        coachingteam=OuterRef("pk"), organisation=staff.organisation_id
    )
    return (
        CoachingTeam.objects.filter(member | Q(leaders=staff))
        .distinct()
        .annotate(
            facts_for_staff=Value(staff.pk),
            staff_leads=Exists(leaders),
            staff_organisation_in_team=Exists(organisations),
        )
    )


def _loaded_facts(staff: StaffMember, team: CoachingTeam) -> tuple[bool, bool] | None:
    """(leads, organisation in team) as ``register_teams`` loaded them for this staff member."""
    if getattr(team, "facts_for_staff", None) != staff.pk:
        return None
    return bool(team.staff_leads), bool(team.staff_organisation_in_team)  # type: ignore[attr-defined]


def leads(staff: StaffMember, team: CoachingTeam) -> bool:
    """Whether the staff member is one of the team's leaders."""
    facts = _loaded_facts(staff, team)
    return facts[0] if facts else team.leaders.filter(pk=staff.pk).exists()


def may_write(staff: StaffMember, team: CoachingTeam) -> bool:
    """Job coaches of a team organisation and the team's leaders add and change rows.

    A manager of a team organisation reads the register (caseloads and employer work are theirs
    to see) but does not keep its contacts.
    """
    if leads(staff, team):
        return True
    if staff.role not in WRITE_ROLES:
        return False
    facts = _loaded_facts(staff, team)
    return facts[1] if facts else team.organisations.filter(pk=staff.organisation_id).exists()
