"""The client card page: a summary of what matters now, each part behind a disclosure and on a
page of its own."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.casefile.selectors import (
    client_card_get,
    client_card_section_get,
    team_membership_for_removal,
)
from tyollisyystalo.clients.services import team_member_end
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

# The parts' names in the card's disclosures and on their own pages.
TITLES = {
    "identity": _("Henkilö- ja yhteystiedot"),
    "relationships": _("Asiakkuudet"),
    "team": _("Asiakkaan tiimi"),
    "consents": _("Suostumukset"),
    "cases": _("Palvelupolut"),
    "appointments": _("Tulevat tapaamiset"),
    "entries": _("Kirjaukset"),
    "documents": _("Asiakirjat"),
    "instruments": _("Arvioinnit ja mittarit"),
    "rules": _("Lakisääteiset määräajat ja etuudet"),
    "segments": _("Asiakassegmentti"),
    "coaching": _("Työhönvalmennus"),
    "work_groups": _("Työryhmät"),
    "coaching_modules": _("Valmennusmoduulit"),
    "surveys": _("Kyselyt"),
}
# Open at first: who the client is and their paths; the rest a click away.
OPEN = frozenset({"identity", "cases", "appointments"})


def _capabilities(staff: StaffMember) -> dict[str, bool]:
    return {
        "can_record_consent": staff.can(Capability.CONSENT_RECORD),
        "can_view_log": staff.can(Capability.ACCESS_LOG_CLIENT),
        "can_break_glass": staff.can(Capability.EMERGENCY_ACCESS),
    }


@staff_view()
def card(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    client_card = client_card_get(staff=staff, client_id=client_id, purpose="client card")
    parts = [
        (section, TITLES.get(section.key, section.key), section.key in OPEN)
        for section in client_card.drawn
    ]
    context = {"card": client_card, "client_id": client_id, "parts": parts}
    return render(request, "casefile/card.html", context | _capabilities(staff))


@staff_view()
def section(
    request: HttpRequest, staff: StaffMember, client_id: uuid.UUID, key: str
) -> HttpResponse:
    client_card = client_card_section_get(
        staff=staff, client_id=client_id, key=key, purpose="client card"
    )
    context = {
        "card": client_card,
        "client_id": client_id,
        "part": client_card.drawn[0],
        "title": TITLES.get(key, key),
    }
    return render(request, "casefile/section.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.TEAM_MANAGE)
def team_end_confirm(
    request: HttpRequest, staff: StaffMember, client_id: uuid.UUID, membership_id: int
) -> HttpResponse:
    """Removing a team member asks first, naming them as the card's team part shows them; the
    POST removes them. A member the reader is not shown is a 404 either way."""
    member = team_membership_for_removal(
        staff=staff, client_id=client_id, membership_id=membership_id
    )
    if request.method == "POST":
        try:
            team_member_end(actor=staff, client_id=client_id, membership_id=member.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Työntekijä poistettiin asiakkaan tiimistä."))
        return redirect("casefile:card", client_id=client_id)
    context = {"member": member, "client_id": client_id}
    return render(request, "casefile/team_end_confirm.html", context)
