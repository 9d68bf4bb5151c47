"""The public contact form and the coordinators' work queue."""

from __future__ import annotations

import uuid
from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.contact_requests import selectors, services
from tyollisyystalo.contact_requests.forms import (
    CloseForm,
    ContactedForm,
    ContactRequestForm,
    ConvertForm,
    QueueFilterForm,
    split_name,
)
from tyollisyystalo.contact_requests.models import Status
from tyollisyystalo.portal.instrument import ASSESSMENT_PREFIX
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

RECEIPT_SESSION_KEY = "contact_request_receipt"


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """The form; a POST from the self-assessment result only fills in the answers."""
    if request.method == "GET" or request.POST.get("step") == "prefill":
        initial: dict[str, Any] = {}
        if request.method == "POST":
            prefill = ContactRequestForm(
                {k: v for k, v in request.POST.items() if k.startswith(ASSESSMENT_PREFIX)}
            )
            prefill.is_valid()  # only the answers are read; other fields are not shown as errors
            answers = prefill.assessment()
            initial = {ASSESSMENT_PREFIX + code: score for code, score in answers.items()}
            initial["include_assessment"] = bool(answers)
        form = ContactRequestForm(initial=initial)
        return render(request, "contact_requests/contact.html", {"form": form})
    form = ContactRequestForm(request.POST)
    status = 400
    if form.is_spam():
        form.add_error(None, _("Lomaketta ei voitu lähettää. Tyhjennä piilotettu kenttä."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            item = services.contact_request_submit(
                data=services.ContactInput(
                    name=data["name"],
                    municipality=data["municipality"],
                    phone=data["phone"],
                    email=data["email"],
                    language=data["language"],
                    other_language=data["other_language"],
                    contact_time=data["contact_time"],
                    message=data["message"],
                    self_assessment=form.assessment() if data["include_assessment"] else {},
                    consent_contact=data["consent_contact"],
                    consent_store=data["consent_store"],
                ),
                source=get_client_ip_address(request) or "",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.RateLimited:
            form.add_error(
                None,
                _(
                    "Tästä osoitteesta on lähetetty juuri useita pyyntöjä. Yritä tunnin päästä "
                    "uudelleen tai soita kuntasi palveluneuvontaan."
                ),
            )
            status = 429
        else:
            request.session[RECEIPT_SESSION_KEY] = {
                "receipt": item.receipt,
                "municipality": item.municipality.name,
            }
            return redirect("contact_requests:receipt")
    return render(request, "contact_requests/contact.html", {"form": form}, status=status)


def receipt(request: HttpRequest) -> HttpResponse:
    sent = request.session.get(RECEIPT_SESSION_KEY)
    if not sent:
        return redirect("contact_requests:contact")
    return render(request, "contact_requests/receipt.html", {"sent": sent})


@staff_view(Capability.CONTACT_REQUEST_HANDLE)
def queue(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    served = selectors.served_municipalities(staff)
    form = QueueFilterForm(request.GET or None, municipalities=served)
    wanted_status, municipality_id = "", None
    status = 200
    if form.is_bound:
        if form.is_valid():
            wanted_status = form.cleaned_data["tila"]
            municipality_id = form.cleaned_data["kunta"]
        else:
            status = 400
    result = selectors.contact_request_queue(
        staff=staff, status=wanted_status, municipality_id=municipality_id
    )
    context = {
        "form": form,
        "queue": result,
        "wanted_status": wanted_status,
        "statuses": Status,
        "served": served,
    }
    return render(request, "contact_requests/queue.html", context, status=status)


def _detail(
    request: HttpRequest,
    staff: StaffMember,
    request_id: uuid.UUID,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    detail = selectors.contact_request_get(staff=staff, request_id=request_id)
    first, last = split_name(detail.item.name)
    context = {
        "detail": detail,
        "item": detail.item,
        "answers": services.assessment_rows(detail.item),
        "contacted_form": forms.get("contacted_form") or ContactedForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "convert_form": forms.get("convert_form")
        or ConvertForm(initial={"first_names": first, "last_name": last}),
    }
    return render(request, "contact_requests/detail.html", context, status=status)


@staff_view(Capability.CONTACT_REQUEST_HANDLE)
def detail(request: HttpRequest, staff: StaffMember, request_id: uuid.UUID) -> HttpResponse:
    return _detail(request, staff, request_id)


@require_POST
@staff_view(Capability.CONTACT_REQUEST_HANDLE)
def contacted(request: HttpRequest, staff: StaffMember, request_id: uuid.UUID) -> HttpResponse:
    form = ContactedForm(request.POST)
    if form.is_valid():
        try:
            services.contact_request_mark_contacted(
                actor=staff, request_id=request_id, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Pyyntö merkittiin: yhteydessä."))
            return redirect("contact_requests:detail", request_id=request_id)
    return _detail(request, staff, request_id, status=400, contacted_form=form)


@require_POST
@staff_view(Capability.CONTACT_REQUEST_HANDLE)
def close(request: HttpRequest, staff: StaffMember, request_id: uuid.UUID) -> HttpResponse:
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.contact_request_close(actor=staff, request_id=request_id, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Pyyntö suljettiin."))
            return redirect("contact_requests:queue")
    return _detail(request, staff, request_id, status=400, close_form=form)


@require_POST
@staff_view(Capability.CONTACT_REQUEST_HANDLE)
def convert(request: HttpRequest, staff: StaffMember, request_id: uuid.UUID) -> HttpResponse:
    form = ConvertForm(request.POST)
    if form.is_valid():
        try:
            client = services.contact_request_convert(
                actor=staff, request_id=request_id, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Henkilö rekisteröitiin asiakkaaksi ilman henkilötunnusta. Sinut merkittiin "
                    "vastuuhenkilöksi. Pyynnön tiedot kirjattiin asiakkaan tietoihin."
                ),
            )
            return redirect(client.get_absolute_url())
    return _detail(request, staff, request_id, status=400, convert_form=form)
