"""The segment workshop: analyses, candidate segments, versions, editing and approval.

Only an analyst of the organisation (``SEGMENTS_ANALYSE``) sees these pages; anyone else gets
404, so that nothing tells another organisation's staff that an analysis exists. The URLs name
no client, so a refusal logs nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.client_access import client_access_decide
from tyollisyystalo.access.log import reads_log
from tyollisyystalo.access.policy import Capability
from tyollisyystalo.management.disclosure import MIN_COUNT
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.segments.discovery import MINIMUM_CLIENTS, SMALL
from tyollisyystalo.segments.forms import (
    AnalysisForm,
    ConditionFormSet,
    ProcessToPlanForm,
    SegmentForm,
    StepForm,
    StepFormSet,
    SuggestionForm,
    conditions_initial,
    rows_filled,
    rules_from,
    steps_initial,
)
from tyollisyystalo.segments.metrics import segment_metrics
from tyollisyystalo.segments.models import VersionStatus
from tyollisyystalo.segments.presentation import analysis_view, fairness_tables
from tyollisyystalo.segments.sections import segments_section_with
from tyollisyystalo.segments.selectors import analyses_of, version_segments, versions_of
from tyollisyystalo.segments.services import (
    analysis_get,
    analysis_organisation,
    segment_analysis_run,
    segment_get,
    segment_process_to_plan,
    segment_save,
    segment_suggestion_decide,
    segment_version_approve,
    segment_version_draft,
    version_get,
    version_ruleset,
)
from tyollisyystalo.segments.suggestions import approved_version
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

View = Callable[..., HttpResponse]


def analyst_view(view: View) -> View:
    """A page for the organisation's analysts only: 404 for everyone else, nothing logged."""

    @staff_view()
    @wraps(view)
    def wrapper(request: HttpRequest, staff: StaffMember, **kwargs: Any) -> HttpResponse:
        try:
            organisation = analysis_organisation(staff)
            return view(request, staff, organisation, **kwargs)
        except PermissionDenied as error:  # not an analyst, or another organisation's object
            raise Http404 from error

    return wrapper


@require_http_methods(["GET", "POST"])
@analyst_view
def workshop(request: HttpRequest, staff: StaffMember, organisation: Organisation) -> HttpResponse:
    form = AnalysisForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            analysis = segment_analysis_run(
                actor=staff,
                purpose=data["purpose"],
                ks=tuple(range(data["k_low"], data["k_high"] + 1)),
                resamples=data["resamples"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Analyysi on valmis."))
            return redirect("segments:analysis", analysis_id=analysis.pk)
    return render(
        request,
        "segments/workshop.html",
        {
            "organisation": organisation,
            "form": form,
            "analyses": analyses_of(organisation)[:20],
            "versions": versions_of(organisation)[:20],
            "minimum": MINIMUM_CLIENTS,
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@analyst_view
def analysis(
    request: HttpRequest, staff: StaffMember, organisation: Organisation, analysis_id: Any
) -> HttpResponse:
    found = analysis_get(staff, analysis_id)
    if request.method == "POST":
        version = segment_version_draft(actor=staff, analysis=found)
        messages.success(request, _("Luonnosversio tehtiin. Nimeä ja muokkaa segmentit."))
        return redirect("segments:version", version_id=version.pk)
    return render(
        request,
        "segments/analysis.html",
        {
            "analysis": found,
            "shown": analysis_view(found.results_json, found.k),
            "small": SMALL,
            "versions": found.versions.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@analyst_view
def version(
    request: HttpRequest, staff: StaffMember, organisation: Organisation, version_id: Any
) -> HttpResponse:
    found = version_get(staff, version_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            segment_version_approve(actor=staff, version=found)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(
                request, _("Versio hyväksyttiin. Sen kriteerit ehdottavat nyt segmentit.")
            )
            return redirect("segments:version", version_id=found.pk)
    segments = list(version_segments(found))
    rules = {s.code: s for s in version_ruleset(found)}
    checks = found.checks_json or {}
    agreement = checks.get("agreement", {})
    names = {s.code: s.name for s in segments}
    return render(
        request,
        "segments/version.html",
        {
            "version": found,
            "draft": found.status == VersionStatus.DRAFT,
            "segments": [(s, [r.text() for r in rules[s.code].rules]) for s in segments],
            "agreement": agreement,
            "fairness": fairness_tables(checks, names),
            "refers": checks.get("refers_to_sex_or_age", []),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@analyst_view
def segment_edit(
    request: HttpRequest, staff: StaffMember, organisation: Organisation, segment_id: Any
) -> HttpResponse:
    segment = segment_get(staff, segment_id)
    if segment.version.status != VersionStatus.DRAFT:
        messages.info(request, _("Hyväksyttyä versiota ei voi muuttaa. Tee uusi versio."))
        return redirect("segments:version", version_id=segment.version_id)
    if request.method == "POST":
        form = SegmentForm(request.POST)
        conditions = ConditionFormSet(request.POST, prefix="c")
        steps = StepFormSet(request.POST, prefix="s")
    else:
        form = SegmentForm(
            initial={
                "position": segment.position,
                **{
                    f"{field}_{language}": getattr(segment, f"{field}_{language}")
                    for field in ("name", "instructions")
                    for language in ("fi", "sv", "en")
                },
            }
        )
        conditions = ConditionFormSet(prefix="c", initial=conditions_initial(segment.rules_json))
        steps = StepFormSet(
            prefix="s", initial=steps_initial(segment.steps.prefetch_related("services"))
        )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid() and conditions.is_valid() and steps.is_valid():
        data = form.cleaned_data
        try:
            segment_save(
                actor=staff,
                segment=segment,
                names={lang: data[f"name_{lang}"] for lang in ("fi", "sv", "en")},
                instructions={lang: data[f"instructions_{lang}"] for lang in ("fi", "sv", "en")},
                rules=rules_from(conditions),
                steps=[f.step() for f in rows_filled(steps) if isinstance(f, StepForm)],
                position=data["position"],
            )
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, _("Segmentti tallennettiin."))
            return redirect("segments:version", version_id=segment.version_id)
    bound = request.method == "POST"
    invalid = bound and (
        bool(errors) or not (form.is_valid() and conditions.is_valid() and steps.is_valid())
    )
    return render(
        request,
        "segments/segment_edit.html",
        {
            "segment": segment,
            "form": form,
            "conditions": conditions,
            "steps": steps,
            "errors": errors,
            "invalid": invalid,
        },
        status=400 if invalid else 200,
    )


def _client_page(
    request: HttpRequest,
    staff: StaffMember,
    client_id: uuid.UUID,
    *,
    form: SuggestionForm | None = None,
    errors: Sequence[str] = (),
) -> HttpResponse:
    """The segment part of the card on its own page, shown again with the errors of a POST."""
    access = client_access_decide(staff=staff, client_id=client_id, purpose="client card")
    section = segments_section_with(access, form)
    if section is None:
        raise Http404
    reads_log(access, section.reads)
    if form is not None and form.errors and section.context.get("live") is None:
        # No form on the part to show them beside (no approved segments): say them on top.
        errors = [*errors, *(str(m) for messages in form.errors.values() for m in messages)]
    return render(
        request,
        "segments/client.html",
        {"part": section, "client_id": client_id, "errors": errors},
        status=400,
    )


def _back(client_id: uuid.UUID) -> HttpResponse:
    return redirect("casefile:section", client_id=client_id, key="segments")


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def decide(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    version = approved_version(staff.organisation_id)
    if version is None:
        return _client_page(
            request,
            staff,
            client_id,
            errors=[_("Organisaatiollasi ei ole hyväksyttyjä asiakassegmenttejä.")],
        )
    form = SuggestionForm(request.POST, segments=list(version.segments.order_by("position")))
    if form.is_valid():
        try:
            segment_suggestion_decide(
                actor=staff,
                client_id=client_id,
                segment_id=form.segment_id(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Asiakassegmentti tallennettiin."))
            return _back(client_id)
    return _client_page(request, staff, client_id, form=form)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def to_plan(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    form = ProcessToPlanForm(request.POST)
    if not form.is_valid():
        return _client_page(request, staff, client_id, errors=[_("Valitse suunnitelma.")])
    try:
        segment_process_to_plan(actor=staff, client_id=client_id, plan_id=form.cleaned_data["plan"])
    except ValidationError as error:
        return _client_page(request, staff, client_id, errors=error.messages)
    messages.success(
        request, _("Palveluprosessin vaiheet lisättiin suunnitelmaan uutena versiona.")
    )
    return _back(client_id)


@require_http_methods(["GET"])
@analyst_view
def metrics(request: HttpRequest, staff: StaffMember, organisation: Organisation) -> HttpResponse:
    """The seed's metrics per segment: of the approved version, or of an earlier one."""
    versions = list(versions_of(organisation).exclude(status=VersionStatus.DRAFT))
    version = approved_version(organisation.pk)
    wanted = request.GET.get("versio")
    if wanted:
        version = next((v for v in versions if str(v.number) == wanted), None)
        if version is None:
            raise Http404
    return render(
        request,
        "segments/metrics.html",
        {
            "organisation": organisation,
            "version": version,
            "versions": versions,
            "measured": segment_metrics(organisation, version) if version else None,
            "min_count": MIN_COUNT,
        },
    )
