from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.catalogue.selectors import editor_attention_count
from tyollisyystalo.contact_requests.selectors import new_request_count
from tyollisyystalo.staff.permissions import staff_member_for


def staff_member(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    staff = getattr(request, "staff", None) or staff_member_for(user)
    if staff is None:
        return {}
    return {
        "current_staff": staff,
        "can_view_staff_log": staff.can(Capability.ACCESS_LOG_STAFF),
        "can_review_emergency": staff.can(Capability.EMERGENCY_REVIEW),
        "can_manage_holds": staff.can(Capability.LEGAL_HOLD),
        "can_view_management": staff.can(Capability.MANAGEMENT_READ)
        or staff.can(Capability.REGION_READ),
        "can_register": staff.can(Capability.CLIENT_REGISTER),
        "can_search": staff.can(Capability.CLIENT_SEARCH),
        "can_manage_work_groups": staff.can(Capability.WORK_GROUP_MANAGE),
        "catalogue_attention": editor_attention_count(staff)
        if staff.can(Capability.CATALOGUE_EDIT)
        else None,
        "new_contact_requests": new_request_count(staff)
        if staff.can(Capability.CONTACT_REQUEST_HANDLE)
        else None,
    }
