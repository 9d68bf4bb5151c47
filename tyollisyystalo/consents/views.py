from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.log import deny_and_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.audit.models import Action
from tyollisyystalo.clients.selectors import identity_decision_for
from tyollisyystalo.consents import selectors, services
from tyollisyystalo.consents.forms import ConsentForm, ReviewForm, WithdrawForm
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.numbers import parse_int
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CONSENT_RECORD)
def create(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    if request.method == "GET":
        now = timezone.now()
        _ctx, decision = identity_decision_for(staff=staff, client_id=client_id, at=now)
        if not decision.allowed:
            raise deny_and_log(
                staff=staff, client_id=client_id, action=Action.READ, at=now, purpose="consent"
            )
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_record(
                actor=staff, client_id=client_id, data=form.to_input()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Suostumus kirjattiin."))
            return redirect(consent.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "consents/form.html",
        {"form": form, "client_id": client_id, "consent": None},
        status=status,
    )


@staff_view()
def detail(request: HttpRequest, staff: StaffMember, consent_id: int) -> HttpResponse:
    consent = selectors.consent_get_for_user(staff=staff, consent_id=consent_id)
    now = timezone.now()
    versions = list(consent.versions.all())
    current = next(v for v in versions if v.is_current)
    return render(
        request,
        "consents/detail.html",
        {
            "consent": consent,
            "versions": versions,
            "current": current,
            "status": current.status_at(now),
            "withdraw_form": WithdrawForm() if staff.can(Capability.CONSENT_WITHDRAW) else None,
            "can_revise": staff.can(Capability.CONSENT_RECORD) and consent.withdrawn_at is None,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CONSENT_RECORD)
def revise(request: HttpRequest, staff: StaffMember, consent_id: int) -> HttpResponse:
    consent = selectors.consent_get_for_user(staff=staff, consent_id=consent_id)
    current = consent.versions.get(is_current=True)
    form = ConsentForm(request.POST or None, initial=ConsentForm.initial_from(current))
    changed_meanwhile = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.consent_revise(
                    actor=staff,
                    consent_id=consent.pk,
                    data=form.to_input(),
                    base_number=form.cleaned_data.get("base_number"),
                )
            except services.ConsentConflict as conflict:
                # Keep what this person typed, show what the other person saved, and base the
                # next save on it: saving again is a deliberate choice, never a silent overwrite.
                changed_meanwhile = consent.versions.get(number=conflict.current_number)
                data = request.POST.copy()
                data["base_number"] = str(conflict.current_number)
                form = ConsentForm(data, initial=ConsentForm.initial_from(current))
                form.is_valid()
                status = 409
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Suostumuksesta tallennettiin uusi versio."))
                return redirect(consent.get_absolute_url())
    return render(
        request,
        "consents/form.html",
        {
            "form": form,
            "client_id": consent.client_id,
            "consent": consent,
            "changed_meanwhile": changed_meanwhile,
        },
        status=status,
    )


@require_POST
@staff_view(Capability.CONSENT_WITHDRAW)
def withdraw(request: HttpRequest, staff: StaffMember, consent_id: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Valitse, miten asiakas perui suostumuksen."))
        return redirect("consents:detail", consent_id=consent_id)
    try:
        services.consent_withdraw(
            actor=staff, consent_id=consent_id, method=form.cleaned_data["method"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Suostumus peruttiin. Peruminen tuli voimaan heti."))
    return redirect("consents:detail", consent_id=consent_id)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.EMERGENCY_REVIEW)
def emergency_reviews(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    if request.method == "POST":
        form = ReviewForm(request.POST)
        access_id = parse_int(request.POST.get("access_id"), low=1)
        if form.is_valid() and access_id is not None:
            try:
                services.emergency_access_review(
                    actor=staff, access_id=access_id, outcome=form.cleaned_data["outcome"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Hätäkäyttö merkittiin tarkastetuksi."))
        else:
            messages.error(request, _("Valitse tarkastuksen tulos."))
        return redirect("consents:emergency_reviews")
    rows = [
        (access, ReviewForm(auto_id=f"id_%s_{access.pk}"))
        for access in selectors.emergency_accesses_to_review(staff=staff)[:200]
    ]
    return render(request, "consents/emergency_reviews.html", {"rows": rows, "me": staff})
