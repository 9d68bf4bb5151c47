"""Coaching pages: the coach's own periods, starting a period, the period page and its forms.

Thin: authorise through the selectors and services (a denied reader gets a 404), validate the
form, call one service. Bad input re-renders the form with 400 and keeps what was typed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.gatekeeper import Decision
from tyollisyystalo.coaching import selectors, services
from tyollisyystalo.coaching.feedback import KIND as FEEDBACK_KIND
from tyollisyystalo.coaching.formdefs import form_current
from tyollisyystalo.coaching.forms import (
    DefinitionForm,
    EmployerMeetingForm,
    PlacementLinkForm,
    PlacementStartForm,
    StartForm,
    SupportContactForm,
    TransitionForm,
    initial_of,
)
from tyollisyystalo.coaching.models import CoachingFormAnswer, CoachingPeriod, Placement
from tyollisyystalo.employers.models import Employer
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view
from tyollisyystalo.worktrials.services import subject_feedback_link_create

PURPOSE = "coaching"


@staff_view()
def index(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    include_ended = request.GET.get("kaikki") == "1"
    rows = selectors.coach_periods(staff=staff, include_ended=include_ended)
    context = {
        "rows": rows,
        "include_ended": include_ended,
        "may_start": services.may_start_periods(staff),
    }
    return render(request, "coaching/index.html", context)


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@staff_view()
def start(request: HttpRequest, staff: StaffMember, client_id: uuid.UUID) -> HttpResponse:
    """Start a period for the client; ``?lahete=<id>`` starts it from an accepted referral."""
    referral_id = _uuid_or_none(request.GET.get("lahete") or request.POST.get("referral"))
    try:
        _client, referral, team = services.period_start_target(
            actor=staff, client_id=client_id, referral_id=referral_id
        )
    except ValidationError as exc:
        raise Http404(_("Asiakasta ei löytynyt.")) from exc
    form = StartForm(request.POST or None, coach=staff)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = services.period_start(
                    actor=staff,
                    client_id=client_id,
                    referral_id=referral_id,
                    kind=data["kind"],
                    intensity=data["intensity"],
                    started_on=data["started_on"],
                    deputy=data["deputy"],
                    note=data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Valmennusjakso aloitettiin."))
                return redirect("coaching:detail", period_id=period.pk)
    context = {"form": form, "referral": referral, "team": team, "client_id": client_id}
    return render(request, "coaching/start.html", context, status=status)


def _page(
    request: HttpRequest,
    staff: StaffMember,
    period_id: uuid.UUID,
    *,
    status: int = 200,
    **forms_: Any,
) -> HttpResponse:
    page = selectors.period_get(staff=staff, period_id=period_id, purpose=PURPOSE)
    context: dict[str, Any] = {"page": page, "period": page.period}
    if page.can_write:
        if page.next_statuses:
            context["transition_form"] = forms_.get("transition_form") or TransitionForm(
                allowed=page.next_statuses
            )
        context["contact_form"] = forms_.get("contact_form") or SupportContactForm()
    return render(request, "coaching/detail.html", context, status=status)


@staff_view()
def detail(request: HttpRequest, staff: StaffMember, period_id: uuid.UUID) -> HttpResponse:
    return _page(request, staff, period_id)


@require_POST
@staff_view()
def transition(request: HttpRequest, staff: StaffMember, period_id: uuid.UUID) -> HttpResponse:
    period, _decision = _writable(staff, period_id)
    form = TransitionForm(request.POST, allowed=services.period_next_statuses(period))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.period_transition(
                actor=staff,
                period_id=period_id,
                to_status=data["to_status"],
                on=data["effective_on"],
                ending_reason=data["ending_reason"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Valmennuksen tila muuttui."))
            return redirect("coaching:detail", period_id=period_id)
    return _page(request, staff, period_id, status=400, transition_form=form)


@require_POST
@staff_view()
def support_contact(request: HttpRequest, staff: StaffMember, period_id: uuid.UUID) -> HttpResponse:
    _writable(staff, period_id)
    form = SupportContactForm(request.POST)
    if form.is_valid():
        try:
            services.support_contact_add(actor=staff, period_id=period_id, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Yhteydenotto kirjattiin."))
            return redirect("coaching:detail", period_id=period_id)
    return _page(request, staff, period_id, status=400, contact_form=form)


def _writable(staff: StaffMember, period_id: uuid.UUID) -> tuple[CoachingPeriod, Decision]:
    """The period for a write, or a 404 (logged as denied) before any form is read."""
    try:
        return services.period_for_write(
            actor=staff, period_id=period_id, at=timezone.now(), purpose=PURPOSE
        )
    except ValidationError as exc:
        raise Http404(_("Valmennusjaksoa ei löytynyt.")) from exc


def _language() -> str:
    return (get_language() or "fi")[:2]


def _team_employers(period: CoachingPeriod) -> QuerySet[Employer]:
    return Employer.objects.filter(
        team__organisations=period.owner_organisation_id, merged_into__isnull=True
    ).order_by("name")


def _previous_version(
    period: CoachingPeriod,
    code: str,
    thread: uuid.UUID | None,
    *,
    placement: Placement | None = None,
) -> CoachingFormAnswer | None:
    """The latest version of the thread a new version is made of; 404 for a foreign thread."""
    if thread is None:
        return None
    rows = CoachingFormAnswer.objects.filter(period=period, form=code, thread=thread)
    if placement is not None:
        rows = rows.filter(placement=placement)
    previous = rows.order_by("-number").first()
    if previous is None:
        raise Http404
    return previous


def _definition_form_page(
    request: HttpRequest,
    form: DefinitionForm,
    save: Callable[[dict[str, Any]], object],
    *,
    done: str,
    context: dict[str, Any],
    language: str,
) -> HttpResponse:
    """A form of a definition: on a valid POST save and go back to the period; otherwise the
    page (400 after a refused POST, the typed values kept)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("coaching:detail", period_id=context["period"].pk)
    definition = context["definition"]
    page = {
        **context,
        "form": form,
        "title": definition.name.get(language),
        "description": definition.description.get(language),
    }
    return render(request, "coaching/form.html", page, status=status)


@require_http_methods(["GET", "POST"])
@staff_view()
def form_answer(
    request: HttpRequest, staff: StaffMember, period_id: uuid.UUID, code: str
) -> HttpResponse:
    """A new answer to form A, C or E, or (``?vastaus=<thread>``) a new version of one."""
    if code not in {"A", "C", "E"}:
        raise Http404
    period, _decision = _writable(staff, period_id)
    thread = _uuid_or_none(request.GET.get("vastaus"))
    definition = form_current(code)
    language = _language()
    initial: dict[str, Any] = {}
    previous = _previous_version(period, code, thread)
    if previous is not None:
        initial = initial_of(definition, selectors.answer_values(previous))
        if code == "C" and previous.placement is not None:
            initial["employer"] = previous.placement.employer_id
    elif code in {"C", "E"}:
        initial = {"start_date" if code == "C" else "declined_on": timezone.localdate()}
    data = request.POST or None
    form: DefinitionForm
    if code == "C":
        form = PlacementStartForm(
            data,
            definition=definition,
            language=language,
            employers=_team_employers(period),
            initial=initial,
        )
    else:
        form = DefinitionForm(data, definition=definition, language=language, initial=initial)

    def save(cleaned: dict[str, Any]) -> None:
        employer = cleaned.get("employer")
        services.form_answer_save(
            actor=staff,
            period_id=period.pk,
            form=code,
            answers=form.answers(),
            thread=thread,
            employer_id=employer.pk if employer is not None else None,
            language=language,
        )

    return _definition_form_page(
        request,
        form,
        save,
        done=_("Lomake tallennettiin."),
        context={"period": period, "definition": definition, "previous": previous},
        language=language,
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def placement_end(
    request: HttpRequest, staff: StaffMember, period_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    """Form D for one placement: a new answer, or (``?vastaus=<thread>``) a new version."""
    period, _decision = _writable(staff, period_id)
    placement = Placement.objects.filter(pk=placement_id, period=period).first()
    if placement is None:
        raise Http404
    thread = _uuid_or_none(request.GET.get("vastaus"))
    definition = form_current("D")
    language = _language()
    initial: dict[str, Any] = {"end_date": timezone.localdate()}
    previous = _previous_version(period, "D", thread, placement=placement)
    if previous is not None:
        initial = initial_of(definition, selectors.answer_values(previous))
    form = DefinitionForm(
        request.POST or None, definition=definition, language=language, initial=initial
    )

    def save(_cleaned: dict[str, Any]) -> None:
        services.form_answer_save(
            actor=staff,
            period_id=period.pk,
            form="D",
            answers=form.answers(),
            thread=thread,
            placement_id=placement.pk,
            language=language,
        )

    return _definition_form_page(
        request,
        form,
        save,
        done=_("Työsuhteen päättyminen kirjattiin."),
        context={
            "period": period,
            "placement": placement,
            "definition": definition,
            "previous": previous,
        },
        language=language,
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def employer_meeting(
    request: HttpRequest, staff: StaffMember, period_id: uuid.UUID
) -> HttpResponse:
    """Form B from the period page: the client is preselected as the subject of the meeting."""
    period, _decision = _writable(staff, period_id)
    definition = form_current("B")
    language = _language()
    form = EmployerMeetingForm(
        request.POST or None,
        definition=definition,
        language=language,
        employers=_team_employers(period),
        initial={"met_on": timezone.localdate(), "about_client": True},
    )

    def save(cleaned: dict[str, Any]) -> None:
        try:
            services.employer_meeting_log(
                actor=staff,
                period_id=period.pk,
                employer_id=cleaned["employer"].pk,
                answers=form.answers(),
                about_client=cleaned["about_client"],
                language=language,
            )
        except PermissionDenied as exc:
            raise ValidationError(_("Roolisi ei salli rekisterin muuttamista.")) from exc

    return _definition_form_page(
        request,
        form,
        save,
        done=_("Työnantajatapaaminen kirjattiin rekisteriin."),
        context={"period": period, "definition": definition, "previous": None},
        language=language,
    )


def _private(response: HttpResponse) -> HttpResponse:
    # The page shows a token: keep it out of caches and of other sites' referrer logs.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
@staff_view()
def placement_feedback_link(
    request: HttpRequest, staff: StaffMember, period_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    """Ask the employer for feedback on a placement through a single-use link."""
    period, _decision = _writable(staff, period_id)
    placement = Placement.objects.filter(pk=placement_id, period=period).first()
    if placement is None:
        raise Http404
    label = f"{placement.job_title}, {placement.started_on:%d.%m.%Y}"
    form = PlacementLinkForm(
        request.POST or None,
        initial={"trial_label": label, "host_name": placement.employer_name},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                link, token = subject_feedback_link_create(
                    actor=staff,
                    subject_kind=FEEDBACK_KIND,
                    subject_id=str(placement.pk),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                # The only time the address is shown: it is not stored anywhere.
                url = request.build_absolute_uri(
                    reverse("worktrials:answer", kwargs={"token": token})
                )
                back = reverse("coaching:detail", kwargs={"period_id": period.pk})
                context = {"link": link, "url": url, "case": None, "back_url": back}
                return _private(render(request, "worktrials/link_created.html", context))
    context = {"form": form, "period": period, "placement": placement}
    return render(request, "coaching/feedback_link.html", context, status=status)
