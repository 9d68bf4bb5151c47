"""The client's instruments page: answers over time, new answers, suggestions to decide."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.instruments import selectors, services
from tyollisyystalo.instruments.forms import InstrumentForm, SuggestionDecisionForm
from tyollisyystalo.instruments.registry import instrument_get
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

PURPOSE = "instruments"


@staff_view()
def client_instruments(
    request: HttpRequest, staff: StaffMember, client_id: uuid.UUID
) -> HttpResponse:
    data = selectors.client_instruments_get(staff=staff, client_id=client_id, purpose=PURPOSE)
    return render(
        request,
        "instruments/client_instruments.html",
        {
            "data": data,
            "client_id": client_id,
            "can_write": staff.can(Capability.CLIENT_RECORD_WRITE),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_RECORD_WRITE)
def response_create(
    request: HttpRequest, staff: StaffMember, client_id: uuid.UUID, key: str
) -> HttpResponse:
    try:
        instrument = instrument_get(key)
    except KeyError as exc:
        raise Http404(_("Mittaria ei löytynyt.")) from exc
    form = InstrumentForm(request.POST or None, instrument=instrument)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                response = services.instrument_response_record(
                    actor=staff,
                    client_id=client_id,
                    instrument_key=key,
                    answers=form.answers,
                    answered_on=form.cleaned_data["answered_on"],
                    respondent=form.respondent_value,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if response.suggestions.exists():
                    messages.info(request, _("Tuloksesta syntyi ehdotus. Päätä siitä alla."))
                else:
                    messages.success(request, _("Vastaukset tallennettiin."))
                return redirect("instruments:client_instruments", client_id=client_id)
    return render(
        request,
        "instruments/response_form.html",
        {"form": form, "instrument": instrument, "client_id": client_id},
        status=status,
    )


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def suggestion_decide(
    request: HttpRequest, staff: StaffMember, client_id: uuid.UUID, suggestion_id: int
) -> HttpResponse:
    form = SuggestionDecisionForm(request.POST)
    back = reverse("instruments:client_instruments", kwargs={"client_id": client_id})
    if not form.is_valid():
        return refused(request, _("Valitse, hyväksytkö vai hylkäätkö ehdotuksen."), back)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.suggestion_decide(
            actor=staff,
            suggestion_id=suggestion_id,
            client_id=client_id,
            accept=accept,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        return refused(request, exc.messages, back)
    if accept:
        messages.success(request, _("Ehdotus hyväksyttiin. Tee seuraava askel asiakkaan kanssa."))
    else:
        messages.success(request, _("Ehdotus hylättiin perustelun kanssa."))
    return redirect("instruments:client_instruments", client_id=client_id)
