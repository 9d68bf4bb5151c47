"""The indicator pages (issue 15 part 2): figures against goals, and the manager's goals.

Thin: who sees which figures is decided by ``management.access``; the figures come from
``pages``/``selectors`` on the reporting database; goals are written by ``services``.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.indicators import services
from tyollisyystalo.indicators.access import view_municipality
from tyollisyystalo.indicators.definitions import indicators_all
from tyollisyystalo.indicators.forms import GoalForm, PeriodPickerForm
from tyollisyystalo.indicators.models import IndicatorGoal
from tyollisyystalo.indicators.pages import indicator_page
from tyollisyystalo.indicators.periods import PeriodKind, period_of
from tyollisyystalo.indicators.selectors import goals_listed, region_municipalities
from tyollisyystalo.management.access import (
    ManagementScope,
    management_scope,
    organisation_for,
)
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.management.snapshots import counted_every
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.shared.fragments import fragment_rendered
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


def _language() -> str:
    return (get_language() or "fi")[:2]


def _scope(staff: StaffMember) -> ManagementScope:
    scope = management_scope(staff)
    if scope is None:
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    return scope


@staff_view()
def indicators(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    scope = _scope(staff)
    regional = request.GET.get("alue") == "1" or scope.organisation is None
    if regional and not scope.regional:
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    requested = organisation_for(scope, request.GET.get("organisaatio"))  # 404: foreign
    organisation = None if regional else requested
    municipality = view_municipality(scope, request.GET.get("kunta"), regional=regional)
    today = timezone.localdate()
    picker = PeriodPickerForm(
        request.GET if "jakso" in request.GET else None,
        today=today,
        initial={"jakso": period_of(PeriodKind.QUARTER, today).code},
    )
    status = 200
    period = period_of(PeriodKind.QUARTER, today)
    if picker.is_bound:
        if picker.is_valid():
            period = picker.cleaned_data["jakso"]
        else:
            status = 400
    if regional:
        municipalities = region_municipalities(reporting_db())
        total_name = _("Koko alue")
    else:
        assert organisation is not None
        municipalities = list(scope.municipalities)
        total_name = organisation.name
    page = indicator_page(
        organisation_id=None if organisation is None else organisation.pk,
        total_name=total_name,
        municipalities=municipalities,
        selected=None if municipality is None else municipality.code,
        period=period,
        language=_language(),
        using=reporting_db(),
        today=today,
        # The region's figures hide what would differ from the reader's own by 1–4 people.
        reader_organisation_id=(
            scope.organisation.pk if regional and scope.organisation is not None else None
        ),
    )
    base = {"jakso": period.code, **({"alue": "1"} if regional and scope.organisation else {})}
    column_links = [
        (column, "?" + urlencode({**base, **({"kunta": column.code} if column.code else {})}))
        for column in page.columns
    ]
    return render(
        request,
        "indicators/indicators.html",
        {
            "scope": scope,
            "regional": regional,
            "picker": picker,
            "page": page,
            "figures": fragment_rendered(
                "indicators/_figures.html",
                # Not when counted: the part shows the figures, the frame says when.
                {"page": replace(page, counted_at=None), "column_links": column_links},
            ),
            "own_link": "?" + urlencode({"jakso": period.code}),
            "region_link": "?" + urlencode({"jakso": period.code, "alue": "1"}),
            "may_set_goals": scope.organisation is not None or staff.can(Capability.REGION_GOALS),
            "counted_at": page.counted_at,
            "counted_every": counted_every(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_view()
def goals(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """A manager's goals for their organisation; the steering group's shared goals of the
    region (a reader of the region without that right: 403)."""
    scope = _scope(staff)
    region = scope.organisation is None
    if region and not staff.can(Capability.REGION_GOALS):
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    municipalities = region_municipalities(reporting_db()) if region else list(scope.municipalities)
    name = _("Koko alue") if scope.organisation is None else scope.organisation.name
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        today=timezone.localdate(),
        organisation_name=name,
        municipalities=municipalities,
        language=_language(),
        region=region,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                goal = {
                    "actor": staff,
                    "indicator_key": form.cleaned_data["indicator"],
                    "municipality": form.municipality(),
                    "period": form.cleaned_data["period"],
                    "target": form.cleaned_data["target"],
                }
                if region:
                    services.region_goal_set_by(**goal, basis=form.cleaned_data["basis"])
                else:
                    services.indicator_goal_set(**goal)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect(reverse("indicators:goals") + "?tallennettu=1")
    names = {key: i.name.get(_language()) for key, i in indicators_all().items()}
    own, region_goals = goals_listed(None if region else scope.organisation)
    return render(
        request,
        "indicators/goals.html",
        {
            "form": form,
            "region": region,
            "scope_name": name,
            "own_goals": [(names.get(g.indicator, g.indicator), g) for g in own],
            "region_goals": [(names.get(g.indicator, g.indicator), g) for g in region_goals],
            "saved": request.GET.get("tallennettu") == "1",
        },
        status=status,
    )


@require_POST
@staff_view()
def goal_remove(request: HttpRequest, staff: StaffMember, pk: int) -> HttpResponse:
    scope = _scope(staff)
    try:
        if scope.organisation is None:
            services.region_goal_remove(actor=staff, goal_id=pk)
        else:
            services.indicator_goal_remove(actor=staff, goal_id=pk)
    except IndicatorGoal.DoesNotExist:
        raise Http404 from None
    return redirect("indicators:goals")
