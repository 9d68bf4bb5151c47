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

from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.situation.charts import comparison_chart, table_chart
from tyollisyystalo.situation.exports import picture_csv, picture_xlsx
from tyollisyystalo.situation.periods import (
    KIND_LABELS,
    InvalidPeriod,
    Period,
    period_default,
    periods_offered,
)
from tyollisyystalo.situation.scope import REGION, PictureScope, picture_scope
from tyollisyystalo.situation.selectors import situation_figures
from tyollisyystalo.situation.tables import HEADLINE_KEYS, Picture, situation_picture
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _picture(scope: PictureScope) -> Picture:
    figures = situation_figures(
        organisation_ids=scope.organisation_ids,
        municipality_codes=[m.code for m in scope.municipalities],
        period=scope.period,
        using=reporting_db(),
    )
    return situation_picture(
        figures,
        scope_name=scope.name,
        municipality_names={m.code: m.name for m in scope.municipalities},
    )


def _params(scope: PictureScope, **changes: str) -> str:
    params = {"period": scope.period.code}
    if scope.regional and scope.may_choose_region:
        params["view"] = REGION
    if scope.focus is not None:
        params["municipality"] = scope.focus.code
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v})


def _bad_period(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "error": _("Valitse jakso luettelosta: tuntematonta tai tulevaa jaksoa ei voi näyttää."),
        "offered": _offered(today),
        "selected": period_default(today).code,
    }
    return render(request, "situation/picture.html", context, status=400)


def _offered(today: dt.date) -> list[tuple[object, list[Period]]]:
    return [(KIND_LABELS[kind], periods) for kind, periods in periods_offered(today).items()]


@require_GET
@staff_view()
def picture(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    today = timezone.localdate()
    try:
        scope = picture_scope(staff, request.GET, today=today, using=reporting_db())
    except InvalidPeriod:
        return _bad_period(request)
    shown = _picture(scope)
    focus = -1
    if scope.focus is not None:
        focus = [m.code for m in scope.municipalities].index(scope.focus.code)
    context = {
        "scope": scope,
        "picture": shown,
        "offered": _offered(today),
        "selected": scope.period.code,
        "comparison_chart": comparison_chart(
            shown.comparison, shown.period_label, shown.previous_label, HEADLINE_KEYS
        ),
        "sections": [(table, table_chart(table, focus)) for table in shown.tables],
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
    shown = _picture(scope)
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
