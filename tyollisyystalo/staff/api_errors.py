"""The API's exception handler: refusals for the role are logged like the pages' (rule R5).

Apart from ``api_auth`` because DRF imports the authentication classes while it loads its
views, which this module needs.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework import exceptions
from rest_framework.response import Response

from tyollisyystalo.shared.api import exception_handler as shared_exception_handler
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import capability_refusal_log, deactivated_staff_for


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """``shared.api``'s handler, after logging a refusal of a staff member for their role."""
    request = context.get("request")
    staff = getattr(request, "staff", None)
    refused = isinstance(exc, exceptions.PermissionDenied | DjangoPermissionDenied)
    if refused and staff is None and request is not None:
        staff = deactivated_staff_for(getattr(request, "user", None))
    if refused and isinstance(staff, StaffMember):
        capability_refusal_log(
            staff=staff,
            kwargs=context.get("kwargs") or {},
            method=getattr(request, "method", ""),
        )
    return shared_exception_handler(exc, context)
