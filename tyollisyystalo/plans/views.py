"""Plan pages: create on a path, view a version with its gaps and changes, edit, print."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.cases.selectors import case_get
from tyollisyystalo.catalogue.selectors import services_published
from tyollisyystalo.coaching.selectors import client_coaching
from tyollisyystalo.plans import selectors, services
from tyollisyystalo.plans.content import plan_diff
from tyollisyystalo.plans.forms import (
    RESPONSIBLE_LABELS,
    STATUS_LABELS,
    AcknowledgementForm,
    PlanCreateForm,
    PlanEditor,
    ReviewForm,
    Row,
    area_choices,
)
from tyollisyystalo.plans.pdf import plan_pdf
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.numbers import parse_int
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

PURPOSE = "plan"


def _coaching_choices(
    staff: StaffMember, client_id: uuid.UUID, case_id: uuid.UUID
) -> list[tuple[str, str]]:
    """The path's coaching periods the editor may read, for an action to point to."""
    summary = client_coaching(
        staff=staff, client_id=client_id, case_id=case_id, purpose="plan coaching"
    )
    if summary is None:
        return []
    return [
        (
            str(p.period.pk),
            f"{p.period.get_kind_display()}, {p.period.owner_organisation}, "
            f"{p.period.started_on:%d.%m.%Y}",
        )
        for p in summary.periods
    ]


def _editor_context(
    editor: PlanEditor,
    coaching_choices: list[tuple[str, str]] | None = None,
    organisation_choices: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "editor": editor,
        "organisation_choices": organisation_choices or [],
        "coaching_choices": coaching_choices or [],
        "service_choices": list(
            services_published().order_by("name_fi").values_list("id", "name_fi")[:500]
        ),
        "responsible_kinds": list(RESPONSIBLE_LABELS.items()),
        "action_statuses": list(STATUS_LABELS.items()),
        "areas": area_choices(),
    }


def _split_errors(
    exc: ValidationError, form: forms.Form | None, editor: PlanEditor, rows: Mapping[str, Row]
) -> list[str]:
    """Errors onto the form's fields and the editor's rows; the rest are returned."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    by_key = exc.message_dict
    if form is not None:
        mine = {k: v for k, v in by_key.items() if k in form.fields}
        if mine:
            apply_errors(form, ValidationError(mine))
    rest = {k: v for k, v in by_key.items() if form is None or k not in form.fields}
    general = editor.apply_errors(
        {k: v for k, v in rest.items() if k != NON_FIELD_ERRORS and k != "summary"}, rows
    )
    if "summary" in rest:
        editor.summary_error = " ".join(rest["summary"])
    return general + rest.get(NON_FIELD_ERRORS, [])


def _plan_url(plan_id: uuid.UUID) -> str:
    return reverse("plans:detail", kwargs={"plan_id": plan_id})


def _number(request: HttpRequest) -> tuple[bool, int | None]:
    """Whether ``?versio=`` is usable, and the version it names (``None``: the current one)."""
    raw = request.GET.get("versio", "")
    number = parse_int(raw, low=1) if raw else None
    return (not raw or number is not None), number


def _bad_number(request: HttpRequest, plan_id: uuid.UUID) -> HttpResponse:
    return refused(request, _("Versionumero ei kelpaa."), _plan_url(plan_id))


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_RECORD_WRITE)
def create(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    page = case_get(staff=staff, case_id=case_id, purpose=PURPOSE)
    language = page.identity.language if page.identity else "fi"
    form = PlanCreateForm(request.POST or None, initial={"language": language})
    editor = PlanEditor.from_content(None)
    status = 200
    general: list[str] = []
    if request.method == "POST":
        status = 400
        editor = PlanEditor.from_post(request.POST)
        raw, rows = editor.content_json()
        if form.is_valid():
            try:
                plan = services.plan_create(
                    actor=staff, case_id=case_id, content=raw, **form.cleaned_data
                )
            except ValidationError as exc:
                general = _split_errors(exc, form, editor, rows)
            else:
                messages.success(request, _("Suunnitelma tallennettiin."))
                return redirect(plan.get_absolute_url())
    context = {"form": form, "case": page.case, "identity": page.identity, "general": general}
    context.update(
        _editor_context(
            editor,
            _coaching_choices(staff, page.case.client_id, page.case.pk),
            selectors.party_organisation_choices(staff, page.case.client_id, editor),
        )
    )
    return render(request, "plans/plan_create.html", context, status=status)


@staff_view()
def detail(request: HttpRequest, staff: StaffMember, plan_id: uuid.UUID) -> HttpResponse:
    usable, number = _number(request)
    if not usable:
        return _bad_number(request, plan_id)
    page = selectors.plan_get(staff=staff, plan_id=plan_id, purpose=PURPOSE, number=number)
    can_write = page.can_write and staff.can(Capability.CLIENT_RECORD_WRITE)
    parties = page.parties.parties if page.parties else []
    # A professional of another organisation that is a party of the current version answers it.
    my_party = (
        page.parties.of(str(staff.organisation_id))
        if page.parties
        and page.is_current
        and staff.organisation_id != page.plan.owner_organisation_id
        and staff.can(Capability.CLIENT_RECORD_WRITE)
        else None
    )
    context = {
        "page": page,
        "plan": page.plan,
        "content": page.version.content,
        "my_party": my_party,
        "ack_form": AcknowledgementForm(
            initial={"number": page.version.number},
            organisations=[(p.key, p.name) for p in parties if not p.is_client],
        )
        if can_write
        else None,
        "review_form": ReviewForm() if can_write and page.is_current else None,
        "can_write": can_write,
        "coaching": client_coaching(
            staff=staff,
            client_id=page.plan.client_id,
            case_id=page.plan.case_id,
            purpose=PURPOSE,
        ),
    }
    return render(request, "plans/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CLIENT_RECORD_WRITE)
def edit(request: HttpRequest, staff: StaffMember, plan_id: uuid.UUID) -> HttpResponse:
    page = selectors.plan_get(staff=staff, plan_id=plan_id, purpose=PURPOSE)
    editor = PlanEditor.from_content(page.version.content)
    base = page.version.number
    status = 200
    general: list[str] = []
    conflict = None
    note = ""
    if request.method == "POST":
        status = 400
        editor = PlanEditor.from_post(request.POST)
        note = request.POST.get("note", "")
        raw, rows = editor.content_json()
        # A base that is not a version number can only be stale: the conflict page answers it.
        base = parse_int(request.POST.get("base_number"), low=1) or 0
        try:
            services.plan_revise(
                actor=staff, plan_id=plan_id, base_number=base, content=raw, note=note
            )
        except services.PlanConflict as exc:
            # Keep everything the user wrote; show what the other save changed, and let them
            # save again on top of it.
            status = 409
            # The page was loaded before the other save may have landed: read it again, or
            # the loser of two simultaneous saves would be shown "no changes".
            page = selectors.plan_get(staff=staff, plan_id=plan_id, purpose=PURPOSE)
            base_version = page.plan.versions.filter(number=exc.base_number).first()
            conflict = {
                "number": page.version.number,
                "by": page.version.created_by,
                "changes": plan_diff(base_version.content, page.version.content)
                if base_version
                else [],
            }
            base = page.version.number
        except ValidationError as exc:
            general = _split_errors(exc, None, editor, rows)
        else:
            messages.success(request, _("Uusi versio tallennettiin."))
            return redirect(page.plan.get_absolute_url())
    context = {
        "page": page,
        "plan": page.plan,
        "base_number": base,
        "general": general,
        "conflict": conflict,
        "note": note,
    }
    context.update(
        _editor_context(
            editor,
            _coaching_choices(staff, page.plan.client_id, page.plan.case_id),
            selectors.party_organisation_choices(staff, page.plan.client_id, editor),
        )
    )
    return render(request, "plans/plan_edit.html", context, status=status)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def acknowledge(request: HttpRequest, staff: StaffMember, plan_id: uuid.UUID) -> HttpResponse:
    form = AcknowledgementForm(request.POST)
    if form.is_valid():
        try:
            services.plan_acknowledge(actor=staff, plan_id=plan_id, **form.cleaned_data)
        except ValidationError as exc:
            return refused(request, exc.messages, _plan_url(plan_id))
        messages.success(request, _("Hyväksyntä kirjattiin."))
    else:
        return refused(request, _("Täytä osapuoli, tapa ja päivä."), _plan_url(plan_id))
    return redirect("plans:detail", plan_id=plan_id)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def review(request: HttpRequest, staff: StaffMember, plan_id: uuid.UUID) -> HttpResponse:
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.plan_review_record(
                actor=staff, plan_id=plan_id, reviewed_on=form.cleaned_data["reviewed_on"]
            )
        except ValidationError as exc:
            return refused(request, exc.messages, _plan_url(plan_id))
        messages.success(request, _("Tarkistus kirjattiin. Seuraava tarkistus ajoitettiin."))
    else:
        return refused(request, _("Anna tarkistuksen päivä."), _plan_url(plan_id))
    return redirect("plans:detail", plan_id=plan_id)


@staff_view()
def pdf(request: HttpRequest, staff: StaffMember, plan_id: uuid.UUID) -> HttpResponse:
    usable, number = _number(request)
    if not usable:
        return _bad_number(request, plan_id)
    page = selectors.plan_get(staff=staff, plan_id=plan_id, purpose="plan print", number=number)
    response = HttpResponse(plan_pdf(page), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="suunnitelma-{page.version.number}.pdf"'
    return response
