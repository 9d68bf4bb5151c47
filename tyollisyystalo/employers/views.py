"""The shared employer register's pages: thin, access decided in selectors and services."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.employers import selectors, services
from tyollisyystalo.employers.access import may_write, register_teams
from tyollisyystalo.employers.csv_import import decode
from tyollisyystalo.employers.detail_parts import employer_parts
from tyollisyystalo.employers.forms import (
    ContactForm,
    ContactPersonForm,
    EmployerForm,
    ImportForm,
    MergeForm,
    OpeningForm,
    SearchForm,
)
from tyollisyystalo.employers.models import CoachingTeam, ContactPerson, Employer, JobOpening
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.numbers import parse_int
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


def _error_status(exc: ValidationError) -> int:
    codes = {e.code for e in exc.error_list} if not hasattr(exc, "error_dict") else set()
    if hasattr(exc, "error_dict"):
        codes = {e.code for errors in exc.error_dict.values() for e in errors}
    return 409 if services.CONFLICT in codes else 400


@staff_view()
def index(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    teams = list(register_teams(staff))
    if not teams:
        raise Http404
    if len(teams) == 1:
        return redirect("employers:team", pk=teams[0].pk)
    return render(request, "employers/index.html", {"teams": teams})


@staff_view()
def team(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    coaching_team = selectors.team_get(staff=staff, team_id=pk)
    form = SearchForm(request.GET or None, team=coaching_team)
    query = selectors.EmployerQuery()
    status = 200
    if form.is_bound:
        if form.is_valid():
            municipality = form.cleaned_data["municipality"]
            query = selectors.EmployerQuery(
                text=form.cleaned_data["q"],
                sector=form.cleaned_data["sector"],
                municipality=municipality.code if municipality else "",
            )
        else:
            status = 400
    notices = list(selectors.owner_notices(staff=staff, team=coaching_team))
    services.register_visit_record(staff=staff, team=coaching_team)
    number = parse_int(request.GET.get("sivu"), low=1) or 1  # nonsense: the first page
    page = selectors.register_page(team=coaching_team, query=query, number=number)
    return render(
        request,
        "employers/team.html",
        {
            "team": coaching_team,
            "form": form,
            "page": page,
            "count_cap": number_format(selectors.COUNT_CAP, force_grouping=True),
            "may_write": may_write(staff, coaching_team),
            "notices": notices,
            "reads_coaching_team": True,  # the navigation need not ask again
        },
        status=status,
    )


def _employer_data(cleaned: dict[str, object]) -> services.EmployerData:
    return services.EmployerData(
        name=str(cleaned["name"]),
        business_id=str(cleaned["business_id"]),
        sector=str(cleaned["sector"]),
        municipality=cleaned["municipality"],  # type: ignore[arg-type]
        size=str(cleaned["size"]),
        owner=cleaned["owner"],  # type: ignore[arg-type]
    )


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    save: Callable[[Any], Employer],
    template: str,
    context: Mapping[str, object],
) -> HttpResponse:
    """Every add and edit page of the register: on valid input ``save(form)`` and go to the
    employer it returns; else the form again with what was typed, 400 (409 for a conflict)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                employer = save(form)
            except ValidationError as exc:
                apply_errors(form, exc)
                status = _error_status(exc)
            else:
                return redirect("employers:detail", pk=employer.pk)
    return render(request, template, {**context, "form": form}, status=status)


def _employer_form_page(
    request: HttpRequest,
    *,
    team: CoachingTeam,
    employer: Employer | None,
    save: Callable[[services.EmployerData], Employer],
    initial: Mapping[str, object] | None = None,
) -> HttpResponse:
    return _form_page(
        request,
        form=EmployerForm(request.POST or None, initial=initial, team=team),
        save=lambda form: save(_employer_data(form.cleaned_data)),
        template="employers/employer_form.html",
        context={"team": team, "employer": employer},
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def employer_new(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    coaching_team = selectors.team_get(staff=staff, team_id=pk)
    if not may_write(staff, coaching_team):
        raise Http404
    return _employer_form_page(
        request,
        team=coaching_team,
        employer=None,
        save=lambda data: services.employer_create(staff=staff, team=coaching_team, data=data),
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def employer_edit(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    employer = selectors.employer_get(staff=staff, employer_id=pk)
    if not may_write(staff, employer.team) or employer.merged_into_id is not None:
        raise Http404
    initial = {
        "name": employer.name,
        "business_id": employer.business_id,
        "sector": employer.sector,
        "municipality": employer.municipality,
        "size": employer.size,
        "owner": employer.owner,
    }
    return _employer_form_page(
        request,
        team=employer.team,
        employer=employer,
        initial=initial,
        save=lambda data: services.employer_update(staff=staff, employer=employer, data=data),
    )


def _detail_page(
    request: HttpRequest,
    staff: StaffMember,
    employer: Employer,
    *,
    may_change: bool,
    merge_form: MergeForm | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "employers/detail.html",
        {
            "employer": employer,
            "persons": employer.contact_persons.all(),
            "merged_from": employer.merged_from.all(),
            "openings": employer.openings.all(),
            "may_write": may_change,
            "merge_form": merge_form,
            "contacts": selectors.contact_rows(
                staff=staff,
                contacts=selectors.employer_contacts(employer=employer),
                purpose="employer register",
            ),
            "parts": employer_parts(staff, employer),
        },
        status=status,
    )


@staff_view()
def detail(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    employer = selectors.employer_get(staff=staff, employer_id=pk)
    writable = may_write(staff, employer.team) and employer.merged_into_id is None
    return _detail_page(
        request,
        staff,
        employer,
        may_change=writable,
        merge_form=MergeForm(employer=employer) if writable else None,
    )


@require_POST
@staff_view()
def merge(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    duplicate = selectors.employer_get(staff=staff, employer_id=pk)
    if not may_write(staff, duplicate.team):
        raise Http404
    form = MergeForm(request.POST, employer=duplicate)
    status = 400
    if form.is_valid():
        try:
            target = services.employer_merge(
                staff=staff, duplicate=duplicate, target=form.cleaned_data["target"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            status = _error_status(exc)
        else:
            return redirect("employers:detail", pk=target.pk)
    return _detail_page(request, staff, duplicate, may_change=True, merge_form=form, status=status)


@require_POST
@staff_view()
def person_erase(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    person = _writable_row(staff, ContactPerson, pk)
    services.contact_person_erase(staff=staff, person=person)
    return redirect("employers:detail", pk=person.employer_id)


@require_http_methods(["GET", "POST"])
@staff_view()
def contact_new(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    employer = _writable_employer(staff, pk)
    initial = {"contacted_on": timezone.localdate(), "client": request.GET.get("asiakas") or None}

    def save(form: ContactForm) -> Employer:
        data = form.cleaned_data
        services.contact_log(
            staff=staff,
            employer=employer,
            data=services.ContactData(
                contacted_on=data["contacted_on"],
                kind=data["kind"],
                face_to_face=data["face_to_face"],
                contact_person=data["contact_person"],
                notes=data["notes"],
                next_step=data["next_step"],
                next_step_on=data["next_step_on"],
                client_id=data["client"],
            ),
        )
        return employer

    return _form_page(
        request,
        form=ContactForm(request.POST or None, initial=initial, employer=employer),
        save=save,
        template="employers/contact_form.html",
        context={"employer": employer},
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def import_csv(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    """Upload → preview with a per-row error report → confirm; all rows or none."""
    coaching_team = selectors.team_get(staff=staff, team_id=pk)
    if not may_write(staff, coaching_team):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "team": coaching_team, "rows": None}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                text = decode(upload.read()) if upload else form.cleaned_data["text"]
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                rows = services.import_rows_check(team=coaching_team, text=text)
                context.update(
                    rows=rows,
                    text=text,
                    has_errors=any(row.errors for row in rows),
                )
                if "confirm" in request.POST and not context["has_errors"]:
                    try:
                        services.employers_import(staff=staff, team=coaching_team, text=text)
                    except ValidationError as exc:
                        apply_errors(form, exc)
                    else:
                        messages.success(
                            request,
                            ngettext(
                                "%(n)s työnantaja tuotiin.", "%(n)s työnantajaa tuotiin.", len(rows)
                            )
                            % {"n": len(rows)},
                        )
                        return redirect("employers:team", pk=coaching_team.pk)
                elif not context["has_errors"]:
                    status = 200
    return render(request, "employers/import.html", context, status=status)


RowT = TypeVar("RowT", ContactPerson, JobOpening)


def _writable_row(staff: StaffMember, model: type[RowT], pk: int) -> RowT:
    """A contact person or an opening of an employer the staff member may change; else 404."""
    row = (
        model.objects.select_related("employer__team")
        .filter(pk=pk, employer__team__in=register_teams(staff))
        .first()
    )
    if row is None or not may_write(staff, row.employer.team):
        raise Http404
    return row


def _writable_employer(staff: StaffMember, pk: int) -> Employer:
    employer = selectors.employer_get(staff=staff, employer_id=pk)
    if not may_write(staff, employer.team) or employer.merged_into_id is not None:
        raise Http404
    return employer


def _row_form_page(
    request: HttpRequest,
    *,
    employer: Employer,
    form: ContactPersonForm | OpeningForm,
    title: str,
    save: Callable[[Any], object],
) -> HttpResponse:
    """A page adding one row (a contact person or an opening) to an employer."""

    def save_row(bound: ContactPersonForm | OpeningForm) -> Employer:
        save(bound.save(commit=False))
        return employer

    return _form_page(
        request,
        form=form,
        save=save_row,
        template="employers/row_form.html",
        context={"employer": employer, "title": title},
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def person_new(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    employer = _writable_employer(staff, pk)
    return _row_form_page(
        request,
        employer=employer,
        form=ContactPersonForm(request.POST or None),
        title=_("Lisää yhteyshenkilö"),
        save=lambda person: services.contact_person_add(
            staff=staff, employer=employer, person=person
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def opening_new(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    employer = _writable_employer(staff, pk)
    return _row_form_page(
        request,
        employer=employer,
        form=OpeningForm(request.POST or None),
        title=_("Lisää työpaikka tai työkokeilupaikka"),
        save=lambda opening: services.opening_add(staff=staff, employer=employer, opening=opening),
    )


@require_POST
@staff_view()
def opening_close(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    opening = _writable_row(staff, JobOpening, pk)
    services.opening_close(staff=staff, opening=opening)
    return redirect("employers:detail", pk=opening.employer_id)
