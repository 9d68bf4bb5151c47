"""The management pages' front page: what the reader's scope covers and where the figures are."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.management.access import management_scope
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@staff_view()
def index(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    scope = management_scope(staff)
    if scope is None:
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    return render(
        request,
        "management/index.html",
        {
            "scope": scope,
            "can_export": staff.can(Capability.EVALUATION_EXPORT),
            "can_simulate": scope.organisation is not None,
            "can_segments": (
                staff.can(Capability.SEGMENTS_ANALYSE) and scope.organisation is not None
            ),
        },
    )
