"""Who may handle a contact request: a case-owning role in an organisation serving its municipality.

``may_handle`` decides one request in Python; ``queue_filter`` is its SQL twin for the queue.
"""

from __future__ import annotations

from django.db.models import Q

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.contact_requests.models import ContactRequest
from tyollisyystalo.staff.models import StaffMember


def served_municipality_ids(staff: StaffMember) -> set[int]:
    return set(staff.organisation.municipalities.values_list("id", flat=True))


def may_handle(staff: StaffMember, request: ContactRequest) -> bool:
    return staff.can(Capability.CONTACT_REQUEST_HANDLE) and (
        request.municipality_id in served_municipality_ids(staff)
    )


def queue_filter(staff: StaffMember) -> Q:
    if not staff.can(Capability.CONTACT_REQUEST_HANDLE):
        return Q(pk__in=[])
    return Q(municipality__organisations=staff.organisation_id)
