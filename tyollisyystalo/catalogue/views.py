"""Staff pages for keeping services up to date: providers edit, catalogue administrators publish."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.catalogue import revisions, selectors, services
from tyollisyystalo.catalogue.forms import (
    NeedExpressionForm,
    PublishForm,
    ReturnForm,
    ServiceEditForm,
)
from tyollisyystalo.catalogue.gatekeeper import editable_revision_or_404, editable_service_or_404
from tyollisyystalo.catalogue.models import NeedExpression, Service, ServiceRevision
from tyollisyystalo.catalogue.search.query import catalogue_search
from tyollisyystalo.shared.forms import apply_errors, form_saved
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

SHOW = {"": "", "vanhentuneet": "stale", "odottaa": "pending", "luonnokset": "drafts"}


@staff_view(Capability.CATALOGUE_EDIT)
def dashboard(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    wanted = request.GET.get("nayta", "")
    if wanted not in SHOW:
        wanted = ""
    rows = selectors.services_for_editor(staff, show=SHOW[wanted])
    context = {
        "rows": rows,
        "wanted": wanted,
        "stale_months": settings.CATALOGUE_STALE_MONTHS,
        "can_publish": staff.can(Capability.CATALOGUE_PUBLISH),
    }
    return render(request, "catalogue/editor_dashboard.html", context)


def _service_page(
    request: HttpRequest, staff: StaffMember, service: Service, *, status: int = 200, **forms: Any
) -> HttpResponse:
    draft = revisions.open_revision(service)
    live = revisions.service_snapshot(service)
    history = [
        (revision, revisions.snapshot_diff(revision.base, revision.data))
        for revision in selectors.service_history(service)
    ]
    context = {
        "service": service,
        "draft": draft,
        "changes": revisions.snapshot_diff(live, draft.data) if draft else [],
        "history": history,
        "stale": service.reviewed_at < revisions.stale_before(),
        "can_publish": staff.can(Capability.CATALOGUE_PUBLISH),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "action_errors": forms.get("action_errors", []),
    }
    return render(request, "catalogue/editor_service.html", context, status=status)


@staff_view(Capability.CATALOGUE_EDIT)
def service_page(request: HttpRequest, staff: StaffMember, service_id: uuid.UUID) -> HttpResponse:
    return _service_page(request, staff, editable_service_or_404(staff, service_id))


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CATALOGUE_EDIT)
def edit(request: HttpRequest, staff: StaffMember, service_id: uuid.UUID) -> HttpResponse:
    service = editable_service_or_404(staff, service_id)
    draft = revisions.open_revision(service)
    snapshot = draft.data if draft else revisions.service_snapshot(service)
    if request.method == "GET":
        form = ServiceEditForm(initial=ServiceEditForm.initial_from(snapshot))
        context = {"service": service, "form": form, "draft": draft}
        return render(request, "catalogue/editor_edit.html", context)
    form = ServiceEditForm(request.POST)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            revisions.service_draft_save(
                actor=staff, service_id=service.pk, data=form.snapshot(), submit=submit
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError({form.error_field(k): v for k, v in exc.message_dict.items()})
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Muutos lähetettiin julkaistavaksi. Ylläpitäjä tarkistaa ja julkaisee sen.")
                if submit
                else _("Luonnos tallennettiin. Se ei näy asiakkaille ennen julkaisua."),
            )
            return redirect("catalogue:editor_service", service_id=service.pk)
    context = {"service": service, "form": form, "draft": draft}
    return render(request, "catalogue/editor_edit.html", context, status=400)


@require_POST
@staff_view(Capability.CATALOGUE_EDIT)
def confirm(request: HttpRequest, staff: StaffMember, service_id: uuid.UUID) -> HttpResponse:
    service = editable_service_or_404(staff, service_id)
    try:
        revisions.service_confirm_current(actor=staff, service_id=service.pk)
    except ValidationError as exc:
        return _service_page(request, staff, service, status=400, action_errors=exc.messages)
    messages.success(request, _("Tiedot merkittiin ajantasaisiksi."))
    return redirect("catalogue:editor_service", service_id=service.pk)


def _decide(
    request: HttpRequest,
    staff: StaffMember,
    revision_id: int,
    form: PublishForm | ReturnForm,
    decide: Callable[..., ServiceRevision],
    done: str,
    form_key: str,
) -> HttpResponse:
    """An administrator's decision on a submitted edit: publish it or send it back."""
    revision = editable_revision_or_404(staff, revision_id)
    if form.is_valid():
        try:
            decide(actor=staff, revision_id=revision.pk, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("catalogue:editor_service", service_id=revision.service_id)
    return _service_page(request, staff, revision.service, status=400, **{form_key: form})


@require_POST
@staff_view(Capability.CATALOGUE_PUBLISH)
def publish(request: HttpRequest, staff: StaffMember, revision_id: int) -> HttpResponse:
    return _decide(
        request,
        staff,
        revision_id,
        PublishForm(request.POST),
        revisions.service_draft_publish,
        _("Muutos julkaistiin. Asiakkaat näkevät sen nyt."),
        "publish_form",
    )


@require_POST
@staff_view(Capability.CATALOGUE_PUBLISH)
def send_back(request: HttpRequest, staff: StaffMember, revision_id: int) -> HttpResponse:
    return _decide(
        request,
        staff,
        revision_id,
        ReturnForm(request.POST),
        revisions.service_draft_return,
        _("Muutos palautettiin muokkaajalle."),
        "return_form",
    )


@require_POST
@staff_view(Capability.CATALOGUE_EDIT)
def discard(request: HttpRequest, staff: StaffMember, revision_id: int) -> HttpResponse:
    revision = editable_revision_or_404(staff, revision_id)
    try:
        revisions.service_draft_discard(actor=staff, revision_id=revision.pk)
    except ValidationError as exc:
        return _service_page(
            request, staff, revision.service, status=400, action_errors=exc.messages
        )
    messages.success(request, _("Luonnos hylättiin. Julkaistut tiedot eivät muuttuneet."))
    return redirect("catalogue:editor_service", service_id=revision.service_id)


# --- The need vocabulary (region editors) ----------------------------------------------------


def _need_initial(expression: NeedExpression) -> dict[str, Any]:
    return {
        "language": expression.language,
        "says": expression.says,
        "means": expression.means,
        "areas": expression.areas_list(),
        "groups": expression.groups_list(),
        "reason": expression.reason,
        "is_active": expression.is_active,
    }


@staff_view(Capability.CATALOGUE_PUBLISH)
def needs(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    trial = request.GET.get("kokeile", "").strip()[:200]
    context: dict[str, Any] = {
        "expressions": NeedExpression.objects.select_related("created_by__user"),
        "reviewed": selectors.reviewed_need_counts(),
        "trial": trial,
    }
    if trial:
        context["trial_results"] = catalogue_search(q=trial, language="fi", limit=5)
    return render(request, "catalogue/needs.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CATALOGUE_PUBLISH)
def need_edit(request: HttpRequest, staff: StaffMember, need_id: int | None = None) -> HttpResponse:
    expression = None
    if need_id is not None:
        expression = NeedExpression.objects.filter(pk=need_id).first()
        if expression is None:
            raise Http404(_("Ilmausta ei löytynyt."))
    if request.method == "POST":
        form = NeedExpressionForm(request.POST)
        saved = form_saved(
            request,
            form,
            lambda data: services.need_expression_save(staff, data, expression),
            _("Tarvesanasto tallennettu. Haku käyttää sitä heti."),
        )
        if saved is not None:
            return redirect("catalogue:needs")
    else:
        form = NeedExpressionForm(initial=_need_initial(expression) if expression else None)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "catalogue/need_form.html", {"form": form, "expression": expression}, status=status
    )
