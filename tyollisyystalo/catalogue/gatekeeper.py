"""Who may edit a service: its provider's service editors, and catalogue administrators.

``may_edit`` decides one service; ``editable_filter`` is its SQL twin for lists.
"""

from __future__ import annotations

from django.db.models import Q

from tyollisyystalo.catalogue.models import Service
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.policy import Capability


def may_edit(staff: StaffMember, service: Service) -> bool:
    if not staff.can(Capability.CATALOGUE_EDIT):
        return False
    if staff.can(Capability.CATALOGUE_PUBLISH):
        return True
    return service.organization.network_organisation_id == staff.organisation_id


def editable_filter(staff: StaffMember) -> Q:
    if not staff.can(Capability.CATALOGUE_EDIT):
        return Q(pk__in=[])
    if staff.can(Capability.CATALOGUE_PUBLISH):
        return Q()
    return Q(organization__network_organisation_id=staff.organisation_id)
