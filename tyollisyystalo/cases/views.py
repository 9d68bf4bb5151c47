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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.cases import caseload as caseload_mod
from tyollisyystalo.cases import consultations as meetings
from tyollisyystalo.cases import selectors, services, team
from tyollisyystalo.cases.forms import (
    AgendaForm,
    CaseloadForm,
    CaseOpenForm,
    ConsultationForm,
    CoordinatorForm,
    DecisionForm,
    InviteForm,
    OutcomeForm,
    ReviewForm,
    TaskForm,
    TransitionForm,
)
from tyollisyystalo.cases.models import CaseStatus
from tyollisyystalo.coaching.selectors import client_coaching
from tyollisyystalo.plans.selectors import case_plans
from tyollisyystalo.referrals.selectors import case_referrals, referrals_incoming
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.numbers import parse_int, parse_ints
from tyollisyystalo.shared.responses import refused
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view
from tyollisyystalo.worktrials.selectors import case_worktrials

PURPOSE = "service path"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view()
def worklist(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    page = parse_int(request.GET.get("sivu", "1"), low=1)
    if page is None:
        messages.warning(request, _("Sivunumero ei kelpaa; näytetään ensimmäinen sivu."))
    data = selectors.worklist_get(staff=staff, page=page or 1)
    context = {
        "worklist": data,
        "incoming": referrals_incoming(staff=staff),
        "tasks": meetings.tasks_open(staff=staff),
        "can_consult": staff.can(Capability.CASE_MANAGE),
    }
    return render(request, "cases/worklist.html", context)


@staff_view(Capability.CLIENT_SEARCH)
def caseload(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """My clients: the caseload, filtered, sorted and paged; ``muoto=csv|xlsx`` downloads every
    row of the same filters (each client listed is logged as read)."""
    municipalities = [
        (m.code, m.name) for m in staff.organisation.municipalities.order_by("name_fi")
    ]
    form = CaseloadForm(request.GET or None, municipalities=municipalities)
    status = 200
    f = caseload_mod.CaseloadFilter()
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            f = caseload_mod.CaseloadFilter(
                role=data["rooli"],
                status=data["tila"],
                municipality=data["kunta"],
                overdue=data["myohassa"],
                sort=data["jarjestys"] or "seuraava",
            )
        else:
            status = 400
    export = request.GET.get("muoto")
    if export in ("csv", "xlsx") and status == 200:
        rows = caseload_mod.caseload_export(staff=staff, f=f)
        if export == "csv":
            response = HttpResponse(
                caseload_mod.caseload_csv(rows), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(caseload_mod.caseload_xlsx(rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="asiakkaani.{export}"'
        return response
    page = parse_int(request.GET.get("sivu", "1"), low=1) or 1
    data_page = caseload_mod.caseload_get(
        staff=staff, f=f if status == 200 else caseload_mod.CaseloadFilter(), page=page
    )
    query = request.GET.copy()
    query.pop("sivu", None)
    query.pop("muoto", None)
    return render(
        request,
        "cases/caseload.html",
        {
            "form": form,
            "caseload": data_page,
            "rows_html": caseload_mod.caseload_rows_html(data_page.rows),
            "query": query.urlencode(),
        },
        status=status,
    )


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
    plans = case_plans(case)
    context: dict[str, Any] = {
        "page": page,
        "case": case,
        "plans": plans,
        # The page's main action: the newest plan when there is one, else making one.
        "latest_plan": max(plans, key=lambda p: (p.started_on, p.pk), default=None),
        "referrals": case_referrals(case),
        "worktrials": case_worktrials(staff=staff, case=case, purpose=PURPOSE),
        "coaching": client_coaching(
            staff=staff, client_id=case.client_id, case_id=case.pk, purpose=PURPOSE
        ),
        "agenda_items": list(
            case.consultations.select_related("consultation").prefetch_related(
                "tasks__responsible__user"
            )
        ),
        "upcoming": meetings.consultations_upcoming(staff) if page.can_manage else [],
        "can_plan": page.can_manage and case.is_open and staff.can(Capability.CLIENT_RECORD_WRITE),
    }
    if page.can_manage and case.is_open and staff.can(Capability.CASE_MANAGE):
        transition_form = forms_.get("transition_form") or TransitionForm()
        transition_form.offer(page.next_statuses)
        context["transition_form"] = transition_form
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
    results = list(selectors.invitable_staff(query)[:INVITE_RESULTS]) if query else []
    chosen = parse_int(request.POST.get("staff_member"), low=1)
    if chosen and all(person.pk != chosen for person in results):
        # Chosen in the searchable picker: offered again when the form comes back with errors.
        results = [*selectors.invitable_staff().filter(pk=chosen), *results]
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
        return refused(request, exc.messages, reverse("cases:worklist"))
    if accept and membership.case_id:
        messages.success(request, _("Liityit asiakkaan tiimiin."))
        return redirect("cases:detail", case_id=membership.case_id)
    messages.success(request, _("Kutsu hylättiin."))
    return redirect("cases:worklist")


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CASE_MANAGE)
def consultations(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = meetings.consultation_create(actor=staff, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Konsultaatio luotiin. Tuo polkuja sen asialistalle."))
            return redirect("cases:consultation", consultation_id=consultation.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "consultations": meetings.consultations_list(staff)}
    return render(request, "cases/consultations.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.CASE_MANAGE)
def consultation(request: HttpRequest, staff: StaffMember, consultation_id: int) -> HttpResponse:
    if request.method == "POST":
        ids = parse_ints(request.POST.getlist("attendees"))
        if ids is None:
            return refused(request, _("Valitse läsnäolijat listalta."), request.path)
        people = StaffMember.objects.filter(pk__in=ids, is_active=True)
        meetings.consultation_attendance_set(
            actor=staff, consultation_id=consultation_id, attendees=people
        )
        messages.success(request, _("Läsnäolijat tallennettiin."))
        return redirect("cases:consultation", consultation_id=consultation_id)
    page = meetings.consultation_get(staff=staff, consultation_id=consultation_id)
    return render(
        request,
        "cases/consultation.html",
        {"page": page, "attending": {p.pk for p in page.consultation.attendees.all()}},
    )


@require_POST
@staff_view(Capability.CASE_MANAGE)
def agenda_add(request: HttpRequest, staff: StaffMember, case_id: uuid.UUID) -> HttpResponse:
    form = AgendaForm(request.POST)
    if form.is_valid():
        try:
            meetings.consultation_item_add(
                actor=staff,
                consultation_id=form.cleaned_data["consultation"],
                case_id=case_id,
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            return refused(request, exc.messages, reverse("cases:detail", args=[case_id]))
        messages.success(request, _("Polku lisättiin konsultaation asialistalle."))
    else:
        return refused(request, _("Valitse konsultaatio."), reverse("cases:detail", args=[case_id]))
    return redirect("cases:detail", case_id=case_id)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def item_decisions(request: HttpRequest, staff: StaffMember, item_id: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    consultation_id = request.POST.get("consultation", "")
    if form.is_valid():
        try:
            meetings.consultation_decision_record(
                actor=staff, item_id=item_id, decisions=form.cleaned_data["decisions"]
            )
        except ValidationError as exc:
            return refused(request, exc.messages, _consultation_url(consultation_id))
        messages.success(request, _("Päätökset kirjattiin."))
    else:
        return refused(request, _("Kirjaa, mitä sovittiin."), _consultation_url(consultation_id))
    return _back_to(consultation_id)


@require_POST
@staff_view(Capability.CLIENT_RECORD_WRITE)
def item_task(request: HttpRequest, staff: StaffMember, item_id: int) -> HttpResponse:
    form = TaskForm(request.POST)
    consultation_id = request.POST.get("consultation", "")
    responsible = None
    if form.is_valid():
        responsible = StaffMember.objects.filter(
            pk=form.cleaned_data["responsible"], is_active=True
        ).first()
    if form.is_valid() and responsible is not None:
        try:
            meetings.followup_task_add(
                actor=staff,
                item_id=item_id,
                description=form.cleaned_data["description"],
                responsible=responsible,
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            return refused(request, exc.messages, _consultation_url(consultation_id))
        messages.success(request, _("Tehtävä lisättiin. Se näkyy vastuuhenkilön työlistalla."))
    else:
        return refused(
            request,
            _("Kirjoita tehtävä, valitse vastuuhenkilö ja määräpäivä."),
            _consultation_url(consultation_id),
        )
    return _back_to(consultation_id)


def _consultation_url(consultation_id: str) -> str:
    number = parse_int(consultation_id, low=1)
    if number is not None:
        return reverse("cases:consultation", kwargs={"consultation_id": number})
    return reverse("cases:consultations")


def _back_to(consultation_id: str) -> HttpResponse:
    return redirect(_consultation_url(consultation_id))


@require_POST
@staff_view()
def task_done(request: HttpRequest, staff: StaffMember, task_id: int) -> HttpResponse:
    try:
        meetings.followup_task_done(actor=staff, task_id=task_id)
    except ValidationError as exc:
        return refused(request, exc.messages, reverse("cases:worklist"))
    messages.success(request, _("Tehtävä merkittiin tehdyksi."))
    return redirect("cases:worklist")
