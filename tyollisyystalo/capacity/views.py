"""The capacity simulator page: fitted values, the backtest and the what-ifs (404 to anyone
who is not a manager of the organisation; the URL names no client, so nothing is logged)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tyollisyystalo.capacity import presentation
from tyollisyystalo.capacity.forms import WhatIfForm
from tyollisyystalo.capacity.history import BACKTEST_MONTHS, fit, history_read
from tyollisyystalo.capacity.model import REPLICATIONS, WhatIf
from tyollisyystalo.capacity.services import (
    FORECAST_MONTHS,
    backtest,
    capacity_organisation,
    forecast,
    whatif_clean,
)
from tyollisyystalo.shared.forms import apply_errors
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.permissions import staff_view


@require_GET
@staff_view()
def simulator(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    try:
        organisation = capacity_organisation(staff)
    except PermissionDenied as error:
        raise Http404 from error
    today = timezone.localdate()
    history = history_read(organisation)
    tested = backtest(history, today)
    fitted = fit(history, today)
    form = WhatIfForm(request.GET if request.GET else None)
    what: WhatIf | None = None
    if form.is_bound and form.is_valid():
        try:
            what = whatif_clean(form.cleaned_data, fitted)
        except ValidationError as error:
            apply_errors(form, error)
    ahead = forecast(fitted, what)
    series = [(_("nykyinen henkilöstö"), [s.median for s in ahead.baseline.caseload])]
    if ahead.what_if is not None:
        series.append((_("muutos"), [s.median for s in ahead.what_if.caseload]))
    results = [
        (
            _("Ohjauksesta ensitapaamiseen, mediaani päivää"),
            lambda o: presentation.summary(o.first_meeting),
        ),
        (
            _("Ohjauksesta ensitapaamiseen, 90 %:lla enintään päivää"),
            lambda o: presentation.summary(o.first_meeting_p90),
        ),
        (
            _("Asiakkaita koordinaattoria kohden 12 kuukauden päästä"),
            lambda o: presentation.summary(o.caseload[-1], 1),
        ),
        (
            _("Paikkaa odottavia asiakkaita 12 kuukauden päästä"),
            lambda o: presentation.summary(o.waiting),
        ),
        (_("Arvioinnit ajallaan"), lambda o: presentation.summary(o.on_time, share=True)),
        (
            _("Odotus työhönvalmennukseen, mediaani päivää"),
            lambda o: presentation.summary(o.coaching_wait),
        ),
        (
            _("Valmennettavia valmentajaa kohden 12 kuukauden päästä"),
            lambda o: presentation.summary(o.coaching_load, 1),
        ),
        (
            _("Odotus uuteen palveluun, mediaani päivää"),
            lambda o: presentation.summary(o.service_wait),
        ),
    ]
    return render(
        request,
        "capacity/simulator.html",
        {
            "organisation": organisation,
            "fitted": presentation.fitted_rows(ahead.fitted),
            "backtest": tested,
            "backtest_fitted": presentation.fitted_rows(tested.fitted),
            "backtest_rows": presentation.backtest_rows(tested.simulated, tested.actual),
            "backtest_chart": presentation.chart(
                "backtest",
                _("Asiakkaita koordinaattoria kohden kuukauden lopussa: simuloitu ja toteutunut"),
                [
                    (_("simuloitu"), [s.median for s in tested.simulated.caseload]),
                    (_("toteutunut"), list(tested.actual.caseload)),
                ],
                BACKTEST_MONTHS,
            ),
            "form": form,
            "what_if": ahead.what_if,
            "results": [
                (
                    label,
                    show(ahead.baseline),
                    show(ahead.what_if) if ahead.what_if else "",
                )
                for label, show in results
            ],
            "forecast_chart": presentation.chart(
                "forecast",
                _("Asiakkaita koordinaattoria kohden kuukauden lopussa, mediaani"),
                series,
                FORECAST_MONTHS,
            ),
            "replications": REPLICATIONS,
        },
        status=400 if form.errors else 200,
    )
