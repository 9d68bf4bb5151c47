"""Pages of the service path: the worklist, opening a path, the path page and its actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.cases import selectors, services, team
from tyollisyystalo.cases.forms import (
    CaseOpenForm,
    CoordinatorForm,
    InviteForm,
    OutcomeForm,
    ReviewForm,
    TransitionForm,
)
from tyollisyystalo.cases.models import CaseStatus
from tyollisyystalo.plans.selectors import case_plans
from tyollisyystalo.referrals.selectors import case_referrals, referrals_incoming
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view
from tyollisyystalo.staff.policy import Capability
from tyollisyystalo.worktrials.selectors import case_worktrials

PURPOSE = "service path"


@staff_view()
def worklist(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    raw_page = request.GET.get("sivu", "1")
    data = selectors.worklist_get(staff=staff, page=int(raw_page) if raw_page.isdigit() else 1)
    incoming = referrals_incoming(staff=staff)
    return render(request, "cases/worklist.html", {"worklist": data, "incoming": incoming})


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CASE_MANAGE)
def case_open(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    form = CaseOpenForm(request.POST or None, staff=staff)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                case = services.case_open(actor=staff, client_id=client_id, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Palvelupolku avattiin."))
                return redirect(case.get_absolute_url())
    return render(
        request, "cases/case_open.html", {"form": form, "client_id": client_id}, status=status
    )


def _page(
    request: HttpRequest, staff: StaffMember, case_id: uuid.UUID, status: int = 200, **forms_: Any
) -> HttpResponse:
    page = selectors.case_get(staff=staff, case_id=case_id, purpose=PURPOSE)
    case = page.case
    context: dict[str, Any] = {
        "page": page,
        "case": case,
        "plans": case_plans(case),
        "referrals": case_referrals(case),
        "worktrials": case_worktrials(staff=staff, case=case, purpose=PURPOSE),
        "can_plan": page.can_manage and case.is_open and staff.can(Capability.CLIENT_RECORD_WRITE),
    }
    if page.can_manage and case.is_open and staff.can(Capability.CASE_MANAGE):
        context["transition_form"] = forms_.get("transition_form") or TransitionForm(
            statuses=page.next_statuses
        )
        if case.status == CaseStatus.ACTIVE and not case.outcome:
            context["outcome_form"] = forms_.get("outcome_form") or OutcomeForm()
        context["can_change_coordinator"] = True
    context["can_invite"] = page.can_manage and case.is_open and staff.can(Capability.TEAM_MANAGE)
    if page.can_manage and case.is_open and staff.can(Capability.CLIENT_RECORD_WRITE):
        context["review_form"] = forms_.get("review_form")
        context["review_error_id"] = forms_.get("review_error_id")
    return render(request, "cases/case_detail.html", context, status=status)


@staff_view()
def detail(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    return _page(request, staff, case_id)


def _action(
    request: HttpRequest,
    staff: StaffMember,
    case_id: uuid.UUID,
    form: forms.Form,
    name: str,
    call: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate, call one service, and either go back to the page or show it with errors."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("cases:detail", case_id=case_id)
    extra: dict[str, Any] = {name: form}
    if name == "review_form":
        extra["review_error_id"] = form.data.get("deadline_id")
    return _page(request, staff, case_id, status=400, **extra)


@require_POST
@staff_view(Capability.CASE_MANAGE)
def transition(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    return _action(
        request,
        staff,
        case_id,
        TransitionForm(request.POST),
        "transition_form",
        lambda d: services.case_transition(actor=staff, case_id=case_id, **d),
        _("Palvelupolun tila muuttui."),
    )


@require_POST
@staff_view(Capability.CASE_MANAGE)
def outcome(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    return _action(
        request,
        staff,
        case_id,
        OutcomeForm(request.POST),
        "outcome_form",
        lambda d: services.case_outcome_record(actor=staff, case_id=case_id, **d),
        _("Työ- tai opiskelupaikka kirjattiin. Palvelu jatkuu seuraavaan väliarviointiin."),
    )


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def review(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    return _action(
        request,
        staff,
        case_id,
        ReviewForm(request.POST),
        "review_form",
        lambda d: services.case_review_record(actor=staff, case_id=case_id, **d),
        _("Arviointi kirjattiin."),
    )


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CASE_MANAGE)
def coordinator(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    page = selectors.case_get(staff=staff, case_id=case_id, purpose=PURPOSE)
    case = page.case
    form = CoordinatorForm(
        request.POST or None,
        organisation_id=case.owner_organisation_id,
        initial={"coordinator": case.coordinator_id, "deputy": case.deputy_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_coordinator_change(actor=staff, case_id=case_id, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Vastuuhenkilöt päivitettiin."))
            return redirect("cases:detail", case_id=case_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/coordinator.html", {"form": form, "page": page}, status=status)


INVITE_RESULTS = 20


@require_http_methods(["GET", "POST"])
@staff_view(Capability.TEAM_MANAGE)
def invite(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    """Find the professional by name (any organisation), give their role, send the invitation."""
    page = selectors.case_get(staff=staff, case_id=case_id, purpose=PURPOSE)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = selectors.invitable_staff().filter(pk=form.cleaned_data["staff_member"]).first()
        if member is None:
            form.add_error("staff_member", _("Valitse työntekijä hakutuloksista."))
        else:
            try:
                team.team_member_invite(
                    actor=staff,
                    case_id=case_id,
                    staff_member=member,
                    role_in_case=form.cleaned_data["role_in_case"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Kutsu lähetettiin. Kutsuttu näkee sen työlistallaan."))
                return redirect("cases:detail", case_id=case_id)
    results = selectors.invitable_staff(query)[:INVITE_RESULTS] if query else []
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/invite.html",
        {"form": form, "page": page, "q": query, "results": results},
        status=status,
    )


@require_POST
@staff_view()
def invitation_answer(request: HttpRequest, staff: StaffMember, membership_id: int) -> HttpResponse:
    accept = request.POST.get("answer") == "accept"
    try:
        membership = team.team_invitation_answer(
            actor=staff, membership_id=membership_id, accept=accept
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:worklist")
    if accept and membership.case_id:
        messages.success(request, _("Liityit asiakkaan tiimiin."))
        return redirect("cases:detail", case_id=membership.case_id)
    messages.success(request, _("Kutsu hylättiin."))
    return redirect("cases:worklist")
