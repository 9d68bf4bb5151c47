"""The situation picture page and its CSV and XLSX (issue 15 parts 3 and 4). Thin: the scope
is read by ``scope``, the figures by ``selectors``, what is shown by ``tables``."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tyollisyystalo.indicators.forms import PeriodPickerForm
from tyollisyystalo.indicators.selectors import goal_for, goal_rows
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.management.snapshots import counted_every
from tyollisyystalo.shared.fragments import fragment_rendered
from tyollisyystalo.situation.charts import comparison_chart, table_chart
from tyollisyystalo.situation.exports import picture_csv, picture_xlsx
from tyollisyystalo.situation.scope import (
    PERIOD,
    REGION,
    InvalidPeriod,
    PictureScope,
    period_default,
    picture_scope,
)
from tyollisyystalo.situation.selectors import situation_counted
from tyollisyystalo.situation.tables import (
    HEADLINE_KEYS,
    RATE_LABELS,
    Picture,
    situation_picture,
)
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _goals(scope: PictureScope) -> dict[str, float]:
    """The indicator goals for the figures that are indicators: the organisation's own, else
    the region's (the regional view: the region's)."""
    organisation_id = None if scope.organisation is None else scope.organisation.pk
    goals = goal_rows(RATE_LABELS, scope.organisation_ids or (), reporting_db())
    found = {key: goal_for(goals, key, organisation_id, None, scope.period) for key in RATE_LABELS}
    return {key: float(goal) for key, goal in found.items() if goal is not None}


def _picture(scope: PictureScope) -> tuple[Picture, dt.datetime]:
    """The protected picture, and when its figures were counted (the reporting store)."""
    codes = [m.code for m in scope.municipalities]
    figures, counted_at = situation_counted(
        organisation_ids=scope.organisation_ids,
        municipality_codes=codes,
        period=scope.period,
        using=reporting_db(),
    )
    own = None
    if scope.organisation_ids is None and scope.reader is not None:
        # The reader also sees their own organisation's picture: counts of the region that
        # differ from theirs by 1–4 people are hidden (ADR 0025, differencing).
        own, _own_at = situation_counted(
            organisation_ids=[scope.reader.pk],
            municipality_codes=codes,
            period=scope.period,
            using=reporting_db(),
        )
    picture = situation_picture(
        figures,
        scope_name=scope.name,
        municipality_names={m.code: m.name for m in scope.municipalities},
        goals=_goals(scope),
        own=own,
    )
    return picture, counted_at


def _params(scope: PictureScope, **changes: str) -> str:
    params = {PERIOD: scope.period.code}
    if scope.regional and scope.may_choose_region:
        params["view"] = REGION
    if scope.focus is not None:
        params["municipality"] = scope.focus.code
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v})


def _picker(today: dt.date, code: str) -> PeriodPickerForm:
    return PeriodPickerForm(initial={PERIOD: code}, today=today)


def _bad_period(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "error": _("Valitse kausi luettelosta."),
        "picker": _picker(today, period_default(today).code),
    }
    return render(request, "situation/picture.html", context, status=400)


@require_GET
@staff_view()
def picture(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    today = timezone.localdate()
    try:
        scope = picture_scope(staff, request.GET, today=today, using=reporting_db())
    except InvalidPeriod:
        return _bad_period(request)
    shown, counted_at = _picture(scope)
    focus = -1
    if scope.focus is not None:
        focus = [m.code for m in scope.municipalities].index(scope.focus.code)
    context = {
        "scope": scope,
        "picture": shown,
        "counted_at": counted_at,
        "counted_every": counted_every(),
        "picker": _picker(today, scope.period.code),
        "figures": fragment_rendered(
            "situation/_figures.html",
            {
                "picture": shown,
                "comparison_chart": comparison_chart(
                    shown.comparison, shown.period_label, shown.previous_label, HEADLINE_KEYS
                ),
                "sections": [(table, table_chart(table, focus)) for table in shown.tables],
            },
        ),
        "csv_query": _params(scope),
        "own_query": _params(scope, view=""),
        "region_query": _params(scope, view=REGION, municipality=""),
    }
    return render(request, "situation/picture.html", context)


def _download(request: HttpRequest, staff: StaffMember, extension: str) -> HttpResponse:
    today = timezone.localdate()
    try:
        scope = picture_scope(staff, request.GET, today=today, using=reporting_db())
    except InvalidPeriod:
        return _bad_period(request)
    shown, _counted_at = _picture(scope)
    if extension == "csv":
        response = HttpResponse(picture_csv(shown), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(picture_xlsx(shown), content_type=XLSX)
    who = "alue" if scope.organisation is None else scope.organisation.code
    response["Content-Disposition"] = (
        f'attachment; filename="tilannekuva-{who}-{scope.period.code}.{extension}"'
    )
    return response


@require_GET
@staff_view()
def picture_csv_download(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    return _download(request, staff, "csv")


@require_GET
@staff_view()
def picture_xlsx_download(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    return _download(request, staff, "xlsx")
