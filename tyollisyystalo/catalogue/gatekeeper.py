"""Who may edit a service: its provider's service editors, and catalogue administrators.

``may_edit`` decides one service; ``editable_filter`` is its SQL twin for lists; the
``*_or_404`` helpers fetch one service or edit for pages and services alike, a service the staff
member may not edit looking the same as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.catalogue.models import Service, ServiceRevision
from tyollisyystalo.staff.models import StaffMember


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


def editable_service_or_404(staff: StaffMember, service_id: Any, *, lock: bool = False) -> Service:
    services = Service.objects.select_related("organization")
    if lock:
        services = services.select_for_update()
    service = services.filter(pk=service_id).first()
    if service is None or not may_edit(staff, service):
        raise Http404(_("Palvelua ei löytynyt."))
    return service


def editable_revision_or_404(
    staff: StaffMember, revision_id: int, *, lock: bool = False
) -> ServiceRevision:
    revisions = ServiceRevision.objects.select_related("service__organization")
    if lock:
        revisions = revisions.select_for_update()
    revision = revisions.filter(pk=revision_id).first()
    if revision is None or not may_edit(staff, revision.service):
        raise Http404(_("Palvelua ei löytynyt."))
    return revision
