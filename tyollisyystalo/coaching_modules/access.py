"""Who keeps peer coaches and their sessions, and who exports the fees for payroll.

Pure rules on the staff member, their organisation and the coaching teams: job coaches of the
paying organisation and the leaders of a coaching team that includes it record coaches and
sessions; the payroll CSV (names and fees) goes only to the organisation's managers and those
team leaders. Everyone else gets 404 and nothing is logged.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role


def _led(staff: StaffMember) -> Q:
    return Q(coaching_teams__leaders=staff)


def peer_organisations(staff: StaffMember) -> QuerySet[Organisation]:
    """Organisations whose peer coaches and sessions the staff member keeps."""
    own = (
        Q(pk=staff.organisation_id)
        if staff.role in (Role.JOB_COACH, Role.MANAGER)
        else Q(pk__in=[])
    )
    return Organisation.objects.filter(own | _led(staff)).distinct()


def may_record(staff: StaffMember, organisation_id: int) -> bool:
    if staff.role == Role.JOB_COACH and staff.organisation_id == organisation_id:
        return True
    return Organisation.objects.filter(_led(staff), pk=organisation_id).exists()


def may_export_payroll(staff: StaffMember, organisation_id: int) -> bool:
    """Team leaders and managers export the fees; a coach records sessions but does not."""
    if staff.role == Role.MANAGER and staff.organisation_id == organisation_id:
        return True
    return Organisation.objects.filter(_led(staff), pk=organisation_id).exists()
