"""Referral pages: send from a path, the referral page for sender and receiver, answers."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.cases.selectors import CasePage, case_get
from tyollisyystalo.pickers.search import MAX_QUERY
from tyollisyystalo.referrals import selectors, services
from tyollisyystalo.referrals.forms import (
    SERVICE_SEARCH,
    AnswerForm,
    CompleteForm,
    ReferralForm,
)
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.numbers import parse_int
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

PURPOSE = "referral"


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_RECORD_WRITE)
def send(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    page = case_get(staff=staff, case_id=case_id, purpose=PURPOSE)
    exclude = page.case.owner_organisation_id
    if request.method == "POST" and SEARCH_BUTTON in request.POST:
        return _search_step(request, page, exclude)
    form = ReferralForm(request.POST or None, exclude_organisation=exclude)
    status = 200
    consent_missing = False
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                referral = services.referral_send(actor=staff, case_id=case_id, **form.cleaned_data)
            except ValidationError as exc:
                consent_missing = any(
                    e.code == "consent_missing"
                    for errors in getattr(exc, "error_dict", {}).values()
                    for e in errors
                )
                apply_errors(form, exc)
            else:
                messages.success(request, _("Lähete lähetettiin. Näet sen tilan palvelupolulla."))
                return redirect(referral.get_absolute_url())
    context = {
        "form": form,
        "case": page.case,
        "identity": page.identity,
        "consent_missing": consent_missing,
    }
    return render(request, "referrals/send.html", context, status=status)


SEARCH_BUTTON = "hae_palvelua"


def _search_step(request: HttpRequest, page: CasePage, exclude: int) -> HttpResponse:
    """Without JavaScript: the form again, as filled in, its services narrowed by the search
    (posted, so the reason written so far stays out of the address). Nothing is saved."""
    query = request.POST.get(SERVICE_SEARCH, "").strip()[:MAX_QUERY]
    initial: dict[str, Any] = {
        "reason": request.POST.get("reason", ""),
        "categories": request.POST.getlist("categories"),
        "receiving_organisation": parse_int(request.POST.get("receiving_organisation"), low=1),
        "service": _uuid_or_none(request.POST.get("service", "")),
    }
    form = ReferralForm(initial=initial, exclude_organisation=exclude)
    found = form.narrow_services(query) if query else None
    context = {
        "form": form,
        "case": page.case,
        "identity": page.identity,
        "consent_missing": False,
        "service_query": query,
        "services_found": found,
    }
    return render(request, "referrals/send.html", context)


def _uuid_or_none(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _page(
    request: HttpRequest,
    staff: StaffMember,
    referral_id: uuid.UUID,
    status: int = 200,
    **forms_: Any,
) -> HttpResponse:
    page = selectors.referral_get(staff=staff, referral_id=referral_id, purpose=PURPOSE)
    context: dict[str, Any] = {
        "page": page,
        "referral": page.referral,
        "today": timezone.localdate(),
    }
    if page.can_answer:
        context["answer_form"] = forms_.get("answer_form") or AnswerForm()
    if page.can_complete:
        context["complete_form"] = forms_.get("complete_form") or CompleteForm()
    return render(request, "referrals/detail.html", context, status=status)


@staff_view()
def detail(request: HttpRequest, staff: StaffMember, referral_id: uuid.UUID) -> HttpResponse:
    return _page(request, staff, referral_id)


@require_POST
@staff_view(Capability.REFERRAL_HANDLE)
def answer(request: HttpRequest, staff: StaffMember, referral_id: uuid.UUID) -> HttpResponse:
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.referral_answer(
                actor=staff,
                referral_id=referral_id,
                accept=form.cleaned_data["answer"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Vastaus tallennettiin. Lähettäjä näkee sen."))
            return redirect("referrals:detail", referral_id=referral_id)
    return _page(request, staff, referral_id, status=400, answer_form=form)


@require_POST
@staff_view(Capability.REFERRAL_HANDLE)
def complete(request: HttpRequest, staff: StaffMember, referral_id: uuid.UUID) -> HttpResponse:
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.referral_complete(
                actor=staff, referral_id=referral_id, result=form.cleaned_data["result"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Lähete merkittiin valmiiksi. Tulos välittyi lähettäjälle.")
            )
            return redirect("referrals:detail", referral_id=referral_id)
    return _page(request, staff, referral_id, status=400, complete_form=form)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def cancel(request: HttpRequest, staff: StaffMember, referral_id: uuid.UUID) -> HttpResponse:
    try:
        referral = services.referral_cancel(actor=staff, referral_id=referral_id)
    except ValidationError as exc:
        return refused(
            request, exc.messages, reverse("referrals:detail", kwargs={"referral_id": referral_id})
        )
    messages.success(request, _("Lähete peruttiin."))
    return redirect("cases:detail", case_id=referral.case_id)
