"""The managers' page of legal holds: place one with a reason, release one, see their list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.retention import services
from tyollisyystalo.retention.forms import LegalHoldForm
from tyollisyystalo.retention.selectors import legal_holds_of_organisation
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@require_http_methods(["GET", "POST"])
@staff_view(Capability.LEGAL_HOLD)
def legal_holds(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    form = LegalHoldForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.legal_hold_place(
                    actor=staff,
                    client_id=form.cleaned_data["client_id"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except Http404:
                form.add_error(
                    "client_id", _("Organisaatiollasi ei ole asiakasta tällä tunnisteella.")
                )
            else:
                messages.success(
                    request, _("Säilytysvelvoite asetettiin. Asiakkaan tietoja ei poisteta.")
                )
                return redirect("retention:legal_holds")
    holds = legal_holds_of_organisation(staff=staff)[:500]
    return render(
        request, "retention/legal_holds.html", {"form": form, "holds": holds}, status=status
    )


@require_POST
@staff_view(Capability.LEGAL_HOLD)
def legal_hold_release(request: HttpRequest, staff: StaffMember, hold_id: int) -> HttpResponse:
    services.legal_hold_release(actor=staff, hold_id=hold_id)
    messages.success(
        request, _("Säilytysvelvoite purettiin. Tiedot poistetaan säilytysajan mukaan.")
    )
    return redirect("retention:legal_holds")
