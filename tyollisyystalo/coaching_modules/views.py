"""Pages of modular coaching and peer coaches: thin, access decided in selectors and services."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.coaching_modules import selectors, services
from tyollisyystalo.coaching_modules.access import (
    may_export_payroll,
    may_record,
    peer_organisations,
)
from tyollisyystalo.coaching_modules.forms import (
    AssessmentForm,
    ChoiceForm,
    ModuleForm,
    MonthForm,
    PeerCoachForm,
    SessionForm,
)
from tyollisyystalo.coaching_modules.models import CoachingModule, PeerCoach
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


def _period_page(
    request: HttpRequest,
    staff: StaffMember,
    period_id: uuid.UUID,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.period_modules(staff=staff, period_id=period_id)
    bound = bound or {}
    today = timezone.localdate()
    module_form = bound.get("module") or ModuleForm()
    session_form = bound.get("session") or SessionForm(
        organisation_ids=[page.period.owner_organisation_id], initial={"held_on": today}
    )
    rows = []
    for view in page.modules:
        key = str(view.module.pk)
        rows.append(
            {
                "view": view,
                "assessment_form": bound.get(f"assessment-{key}")
                or AssessmentForm(prefix=f"a-{key}", initial={"assessed_on": today}),
                "choice_form": bound.get(f"choice-{key}")
                or ChoiceForm(prefix=f"c-{key}", initial={"chosen_on": today}),
            }
        )
    return render(
        request,
        "coaching_modules/period.html",
        {
            "page": page,
            "rows": rows,
            "module_form": module_form,
            "session_form": session_form,
        },
        status=status,
    )


@require_GET
@staff_view()
def period(request: HttpRequest, staff: StaffMember, period_id: uuid.UUID) -> HttpResponse:
    return _period_page(request, staff, period_id)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def module_new(request: HttpRequest, staff: StaffMember, period_id: uuid.UUID) -> HttpResponse:
    form = ModuleForm(request.POST)
    if form.is_valid():
        data = services.ModuleData(**form.cleaned_data)
        try:
            services.module_add(staff=staff, period_id=period_id, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("coaching_modules:period", period_id=period_id)
    return _period_page(request, staff, period_id, bound={"module": form}, status=400)


def _module_period(module_id: uuid.UUID) -> uuid.UUID:
    period_id = (
        CoachingModule.objects.filter(pk=module_id).values_list("period_id", flat=True).first()
    )
    if period_id is None:
        raise Http404
    return period_id


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def assessment_new(request: HttpRequest, staff: StaffMember, module_id: uuid.UUID) -> HttpResponse:
    period_id = _module_period(module_id)
    form = AssessmentForm(request.POST, prefix=f"a-{module_id}")
    if form.is_valid():
        try:
            services.assessment_record(staff=staff, module_id=module_id, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("coaching_modules:period", period_id=period_id)
    bound: dict[str, Any] = {f"assessment-{module_id}": form}
    return _period_page(request, staff, period_id, bound=bound, status=400)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def choice_new(request: HttpRequest, staff: StaffMember, module_id: uuid.UUID) -> HttpResponse:
    period_id = _module_period(module_id)
    form = ChoiceForm(request.POST, prefix=f"c-{module_id}")
    if form.is_valid():
        try:
            services.choice_record(staff=staff, module_id=module_id, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("coaching_modules:period", period_id=period_id)
    bound: dict[str, Any] = {f"choice-{module_id}": form}
    return _period_page(request, staff, period_id, bound=bound, status=400)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def period_session_new(
    request: HttpRequest, staff: StaffMember, period_id: uuid.UUID
) -> HttpResponse:
    period, _access = selectors.period_access(staff=staff, period_id=period_id)
    form = SessionForm(request.POST, organisation_ids=[period.owner_organisation_id])
    if form.is_valid():
        try:
            _session_save(staff, form, period_id=period_id)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("coaching_modules:period", period_id=period_id)
    return _period_page(request, staff, period_id, bound={"session": form}, status=400)


def _session_save(
    staff: StaffMember, form: forms.Form, *, period_id: uuid.UUID | None = None
) -> None:
    data = form.cleaned_data
    services.peer_session_record(
        staff=staff,
        peer_coach=data["peer_coach"],
        data=services.SessionData(
            held_on=data["held_on"],
            duration_minutes=data["duration_minutes"],
            fee=data["fee"],
            period_id=period_id,
        ),
    )


# --- peer coaches ----------------------------------------------------------------------------


@require_GET
@staff_view()
def peers_index(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    organisation = peer_organisations(staff).order_by("name_fi").first()
    if organisation is None:
        raise Http404
    return redirect("coaching_modules:peers", organisation_id=organisation.pk)


def _peers_page(
    request: HttpRequest,
    staff: StaffMember,
    organisation_id: int,
    *,
    coach_form: PeerCoachForm | None = None,
    session_form: SessionForm | None = None,
    month_form: MonthForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = selectors.peer_organisation_get(staff=staff, organisation_id=organisation_id)
    today = timezone.localdate()
    return render(
        request,
        "coaching_modules/peers.html",
        {
            "organisation": organisation,
            "organisations": list(peer_organisations(staff).order_by("name_fi")),
            "coaches": list(selectors.peer_coaches(organisation=organisation)),
            "sessions": list(selectors.month_sessions(organisation=organisation, month=today)),
            "may_record": may_record(staff, organisation.pk),
            "may_export": may_export_payroll(staff, organisation.pk),
            "coach_form": coach_form or PeerCoachForm(),
            "session_form": session_form
            or SessionForm(organisation_ids=[organisation.pk], initial={"held_on": today}),
            "month_form": month_form or MonthForm(initial={"kuukausi": f"{today:%Y-%m}"}),
        },
        status=status,
    )


@require_GET
@staff_view()
def peers(request: HttpRequest, staff: StaffMember, organisation_id: int) -> HttpResponse:
    return _peers_page(request, staff, organisation_id)


@require_POST
@staff_view()
def peer_new(request: HttpRequest, staff: StaffMember, organisation_id: int) -> HttpResponse:
    organisation = selectors.peer_organisation_get(staff=staff, organisation_id=organisation_id)
    form = PeerCoachForm(request.POST)
    if form.is_valid():
        try:
            services.peer_coach_add(staff=staff, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("coaching_modules:peers", organisation_id=organisation.pk)
    return _peers_page(request, staff, organisation_id, coach_form=form, status=400)


@require_POST
@staff_view()
def session_new(request: HttpRequest, staff: StaffMember, organisation_id: int) -> HttpResponse:
    organisation = selectors.peer_organisation_get(staff=staff, organisation_id=organisation_id)
    form = SessionForm(request.POST, organisation_ids=[organisation.pk])
    if form.is_valid():
        try:
            _session_save(staff, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("coaching_modules:peers", organisation_id=organisation.pk)
    return _peers_page(request, staff, organisation_id, session_form=form, status=400)


@require_POST
@staff_view()
def peer_erase(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    peer = PeerCoach.objects.filter(pk=pk, organisation__in=peer_organisations(staff)).first()
    if peer is None:
        raise Http404
    services.peer_coach_erase(staff=staff, peer_coach=peer)
    return redirect("coaching_modules:peers", organisation_id=peer.organisation_id)


@require_http_methods(["GET"])
@staff_view()
def payroll(request: HttpRequest, staff: StaffMember, organisation_id: int) -> HttpResponse:
    organisation = selectors.peer_organisation_get(staff=staff, organisation_id=organisation_id)
    if not may_export_payroll(staff, organisation.pk):
        raise Http404
    form = MonthForm(request.GET)
    if not form.is_valid():
        return _peers_page(request, staff, organisation_id, month_form=form, status=400)
    month = dt.date.fromisoformat(f"{form.cleaned_data['kuukausi']}-01")
    body = selectors.payroll_csv(staff=staff, organisation=organisation, month=month)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="vertaisvalmennus-{organisation.pk}-{month:%Y-%m}.csv"'
    )
    return response
