"""Appointments: booking from the path, one appointment's page, my coming appointments and my
calendar address (staff); the client's own appointments with cancel and ask-to-move (/omat/)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.appointments import selectors, services
from tyollisyystalo.appointments.calendar import calendar_ics
from tyollisyystalo.appointments.forms import BookForm, CancelForm, MoveForm
from tyollisyystalo.appointments.models import AppointmentStatus
from tyollisyystalo.cases.services import case_for_write
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.selfservice.permissions import client_view
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CASE_MANAGE)
def book(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    try:
        case, _basis = case_for_write(
            actor=staff, case_id=case_id, at=timezone.now(), purpose="appointment booking"
        )
    except ValidationError:
        raise Http404 from None
    colleagues = selectors.colleagues_for(staff, case.client_id)
    form = BookForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.appointment_book(
                actor=staff,
                case_id=case.pk,
                kind=data["kind"],
                starts_at=form.moment("start"),
                ends_at=form.moment("end"),
                place=data["place"],
                remote_url=data["remote_url"],
                purpose=data["purpose"],
                participants=data["participants"],
                others=data["others"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Tapaaminen varattiin. Asiakas saa siitä ilmoituksen."))
            return redirect("appointments:detail", appointment_id=appointment.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "appointments/book.html", {"form": form, "case": case}, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CASE_MANAGE)
def change(request: HttpRequest, staff: StaffMember, appointment_id: uuid.UUID) -> HttpResponse:
    """Change a booked appointment: who may write the path's records; the form shows what was
    read (decided and logged)."""
    view = selectors.appointment_for_staff(staff, appointment_id)
    appointment = view.appointment
    try:
        case_for_write(
            actor=staff,
            case_id=appointment.case_id,
            at=timezone.now(),
            purpose="appointment change",
        )
    except ValidationError:
        raise Http404 from None
    if appointment.status != AppointmentStatus.BOOKED:
        return refused(
            request,
            _("Vain varattua tapaamista voi muuttaa."),
            reverse("appointments:detail", kwargs={"appointment_id": appointment.pk}),
        )
    form = BookForm(
        request.POST or None,
        colleagues=selectors.colleagues_for(staff, appointment.client_id),
        initial=BookForm.initial_of(appointment, staff),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appointment_change(
                actor=staff,
                appointment_id=appointment.pk,
                kind=data["kind"],
                starts_at=form.moment("start"),
                ends_at=form.moment("end"),
                place=data["place"],
                remote_url=data["remote_url"],
                purpose=data["purpose"],
                participants=data["participants"],
                others=data["others"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Tapaaminen muutettiin. Asiakas saa siitä ilmoituksen."))
            return redirect("appointments:detail", appointment_id=appointment.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "case": appointment.case, "appointment": appointment}
    return render(request, "appointments/book.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_SEARCH)
def detail(request: HttpRequest, staff: StaffMember, appointment_id: uuid.UUID) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action", "")
        back = request.path
        try:
            if action == "cancel":
                form = CancelForm(request.POST)
                reason = form.cleaned_data["reason"] if form.is_valid() else ""
                services.appointment_cancel(
                    actor=staff, appointment_id=appointment_id, reason=reason
                )
                messages.success(request, _("Tapaaminen peruttiin."))
            elif action in (AppointmentStatus.DONE, AppointmentStatus.NO_SHOW):
                services.appointment_close(
                    actor=staff, appointment_id=appointment_id, status=action
                )
                messages.success(request, _("Tapaaminen kirjattiin."))
            elif action == "handled":
                services.move_requests_handled(actor=staff, appointment_id=appointment_id)
                messages.success(request, _("Siirtopyyntö merkittiin käsitellyksi."))
            else:
                return refused(request, _("Valitse toiminto."), back)
        except ValidationError as exc:
            return refused(request, exc.messages, back)
        return redirect("appointments:detail", appointment_id=appointment_id)
    view = selectors.appointment_for_staff(staff, appointment_id)
    context = {"view": view, "cancel_form": CancelForm(), "now": timezone.now()}
    return render(request, "appointments/detail.html", context)


@staff_view(Capability.CLIENT_SEARCH)
def mine(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    rows = selectors.my_appointments(staff)
    has_feed = hasattr(staff, "calendar_feed")
    return render(request, "appointments/mine.html", {"rows": rows, "has_feed": has_feed})


@require_POST
@staff_view(Capability.CLIENT_SEARCH)
def feed_renew(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    token = services.calendar_feed_renew(staff=staff)
    url = request.build_absolute_uri(f"/kalenteri/{token}.ics")
    rows = selectors.my_appointments(staff)
    context = {"rows": rows, "has_feed": True, "feed_url": url}
    return render(request, "appointments/mine.html", context)


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret calendar address: no login (calendar programs cannot log in), no client data."""
    staff = services.calendar_feed_staff(token)
    if staff is None:
        raise Http404
    body = calendar_ics(
        selectors.feed_appointments(staff),
        title=_("Työllisyystalo: tapaamiset"),
        prefix=_("Tapaaminen"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@client_view
def own_index(request: HttpRequest, account: ClientAccount) -> HttpResponse:
    appointments = selectors.own_appointments(account.client_id)
    now = timezone.now()
    coming = [
        a for a in appointments if a.starts_at >= now and a.status == AppointmentStatus.BOOKED
    ]
    past = [a for a in appointments if a not in coming]
    return render(request, "appointments/own_index.html", {"coming": coming[::-1], "past": past})


@require_http_methods(["GET", "POST"])
@client_view
def own_detail(
    request: HttpRequest, account: ClientAccount, appointment_id: uuid.UUID
) -> HttpResponse:
    appointment = selectors.own_appointment(account.client_id, appointment_id)
    cancel_form, move_form = CancelForm(), MoveForm()
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                cancel_form = CancelForm(request.POST)
                if cancel_form.is_valid():
                    services.appointment_cancel_by_client(
                        client_id=account.client_id,
                        appointment_id=appointment_id,
                        reason=cancel_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request, _("Tapaaminen peruttiin. Työntekijä saa siitä tiedon.")
                    )
                    return redirect("appointments:own_detail", appointment_id=appointment_id)
            else:
                move_form = MoveForm(request.POST)
                if move_form.is_valid():
                    services.appointment_move_request(
                        client_id=account.client_id,
                        appointment_id=appointment_id,
                        preferred=move_form.cleaned_data["preferred"],
                    )
                    messages.success(
                        request, _("Pyyntösi lähetettiin. Työntekijä ottaa sinuun yhteyttä.")
                    )
                    return redirect("appointments:own_detail", appointment_id=appointment_id)
        except ValidationError as exc:
            apply_errors(move_form, exc)
        status = 400
    coming = (
        appointment.status == AppointmentStatus.BOOKED and appointment.starts_at > timezone.now()
    )
    context = {
        "appointment": appointment,
        "coming": coming,
        "cancel_form": cancel_form,
        "move_form": move_form,
        "requested": appointment.move_requests.filter(handled_at__isnull=True).exists(),
    }
    return render(request, "appointments/own_detail.html", context, status=status)
