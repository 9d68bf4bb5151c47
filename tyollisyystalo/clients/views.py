"""Pages for finding a client, registering one, the client card, entries and the team."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.clients import selectors, services
from tyollisyystalo.clients.forms import (
    ClientEntryForm,
    ClientRegisterForm,
    ClientSearchForm,
    EmergencyAccessForm,
    FirstMeetingForm,
    RelationshipStartForm,
    StartReviewForm,
    TeamMemberForm,
)
from tyollisyystalo.clients.icf import categories as icf_categories
from tyollisyystalo.consents.services import emergency_access_open
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_SEARCH)
def search(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    # Searching is a POST so that no henkilötunnus ever lands in a URL or a server log.
    form = ClientSearchForm(request.POST or None)
    result = None
    start_hetu = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            hetu = form.cleaned_data["hetu"]
            try:
                result = selectors.client_search(
                    staff=staff, name=form.cleaned_data["name"], hetu=hetu
                )
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                # Show the results without echoing the henkilötunnus back on the screen.
                form = ClientSearchForm(initial={"name": form.cleaned_data["name"]})
                start_hetu = hetu if result.hetu_exists_elsewhere else ""
        else:
            status = 400
    template = (
        "clients/_results.html" if request.headers.get("HX-Request") else "clients/search.html"
    )
    context = {
        "form": form,
        "result": result,
        "start_hetu": start_hetu,
        "start_form": RelationshipStartForm(auto_id="start_%s"),
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_REGISTER)
def register(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    form = ClientRegisterForm(request.POST or None, initial={"language": "fi"})
    duplicate = False
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_register(
                actor=staff, data=services.IdentityInput(**form.cleaned_data)
            )
        except services.DuplicateClient as exc:
            apply_errors(form, exc)
            duplicate = True
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Asiakas rekisteröitiin. Sinut merkittiin vastuuhenkilöksi.")
            )
            return redirect(client.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    start_form = RelationshipStartForm(
        initial={"hetu": request.POST.get("hetu", "")}, auto_id="start_%s"
    )
    return render(
        request,
        "clients/register.html",
        {"form": form, "duplicate": duplicate, "start_form": start_form},
        status=status,
    )


@require_POST
@staff_view(Capability.CLIENT_REGISTER)
def relationship_start(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    form = RelationshipStartForm(request.POST, auto_id="start_%s")
    if form.is_valid():
        try:
            client = services.client_relationship_start(actor=staff, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Asiakkuus organisaatiossasi alkoi."))
            return redirect(client.get_absolute_url())
    return render(
        request,
        "clients/register.html",
        {"form": ClientRegisterForm(), "duplicate": True, "start_form": form},
        status=400,
    )


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def entry_create(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    form = ClientEntryForm(request.POST, staff=staff)
    if form.is_valid():
        try:
            services.client_entry_create(actor=staff, client_id=client_id, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Kirjaus tallennettiin."))
            return redirect("casefile:card", client_id=client_id)
    return render(
        request,
        "clients/entry_form.html",
        {"form": form, "client_id": client_id, "icf_categories": icf_choices()},
        status=400,
    )


def icf_choices() -> list[tuple[str, str, bool]]:
    language = get_language() or "fi"
    return [(c.code, c.title(language), c.vocational) for c in icf_categories()]


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_RECORD_WRITE)
def first_meeting(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    form = FirstMeetingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.first_meeting_record(
                    actor=staff,
                    client_id=client_id,
                    entry_date=form.cleaned_data["entry_date"],
                    sections=form.sections,
                    icf_codes=form.cleaned_data["icf_codes"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Kartoitus tallennettiin kirjauksena."))
                return redirect("casefile:card", client_id=client_id)
    context = {"form": form, "client_id": client_id, "icf_categories": icf_choices()}
    return render(request, "clients/first_meeting.html", context, status=status)


@require_POST
@staff_view(Capability.TEAM_MANAGE)
def team_add(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        try:
            services.team_member_add(
                actor=staff, client_id=client_id, staff_member=form.cleaned_data["staff_member"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Työntekijä lisättiin asiakkaan tiimiin."))
    else:
        messages.error(request, _("Valitse työntekijä."))
    return redirect("casefile:card", client_id=client_id)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.EMERGENCY_REVIEW)
def relationship_reviews(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """Relationships the organisation started with other organisations' clients, for review."""
    if request.method == "POST":
        form = StartReviewForm(request.POST)
        start_id = request.POST.get("start_id", "")
        if form.is_valid() and start_id.isascii() and start_id.isdigit():
            try:
                services.relationship_start_review(
                    actor=staff, start_id=int(start_id), outcome=form.cleaned_data["outcome"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Asiakkuuden aloitus merkittiin tarkastetuksi."))
        else:
            messages.error(request, _("Valitse tarkastuksen tulos."))
        return redirect("clients:relationship_reviews")
    rows = [
        (start, StartReviewForm(auto_id=f"id_%s_{start.pk}"))
        for start in selectors.relationship_starts_to_review(staff=staff)
    ]
    return render(request, "clients/relationship_reviews.html", {"rows": rows, "me": staff})


@require_http_methods(["GET", "POST"])
@staff_view(Capability.EMERGENCY_ACCESS)
def emergency(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            emergency_access_open(
                actor=staff, client_id=client_id, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.warning(
                request, _("Hätäkäyttö on voimassa neljä tuntia. Esihenkilö tarkastaa sen.")
            )
            return redirect("casefile:card", client_id=client_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "clients/emergency.html", {"form": form, "client_id": client_id}, status=status
    )
