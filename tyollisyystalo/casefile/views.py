"""The client card page."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.casefile.selectors import client_card_get
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@staff_view()
def card(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    client_card = client_card_get(staff=staff, client_id=client_id, purpose="client card")
    context = {
        "card": client_card,
        "client_id": client_id,
        "can_record_consent": staff.can(Capability.CONSENT_RECORD),
        "can_view_log": staff.can(Capability.ACCESS_LOG_CLIENT),
        "can_break_glass": staff.can(Capability.EMERGENCY_ACCESS),
    }
    return render(request, "casefile/card.html", context)
