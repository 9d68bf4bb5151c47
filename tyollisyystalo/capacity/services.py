"""The capacity simulator's runs: the backtest of the last six months and the what-ifs of the
next twelve, for a manager of the organisation whose history is read."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.capacity.history import (
    BACKTEST_MONTHS,
    Actual,
    History,
    actual,
    fit,
)
from tyollisyystalo.capacity.model import DAYS_PER_MONTH, Fitted, Outcome, WhatIf, simulate
from tyollisyystalo.management.access import management_scope
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.models import StaffMember

FORECAST_MONTHS = 12
MAX_COORDINATORS = 500
MAX_CAP = 200
MAX_GROWTH = 300  # percent
MAX_SERVICE_PLACES = 1000
MAX_SERVICE_DAYS = 730


def capacity_organisation(actor: StaffMember) -> Organisation:
    """The organisation whose history the actor may simulate, or ``PermissionDenied``."""
    scope = management_scope(actor)
    if not actor.can(Capability.MANAGEMENT_READ) or scope is None or scope.organisation is None:
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    return scope.organisation


def _number(data: Mapping[str, Any], name: str, default: float) -> float:
    raw = data.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(str(raw).replace(",", "."))
    except ValueError as error:
        raise ValidationError({name: [_("Anna luku.")]}) from error
    if not math.isfinite(value):
        raise ValidationError({name: [_("Anna luku.")]})
    return value


def whatif_clean(data: Mapping[str, Any], fitted: Fitted) -> WhatIf:
    """A what-if from the form's values (blank: as today), every value checked."""
    errors: dict[str, list[str]] = {}

    def take(name: str, default: float, low: float, high: float, message: str) -> float:
        try:
            value = _number(data, name, default)
        except ValidationError as error:
            errors.update(error.message_dict)
            return default
        if not low <= value <= high:
            errors[name] = [message]
        return value

    coordinators = take(
        "coordinators",
        fitted.coordinators,
        1,
        MAX_COORDINATORS,
        _("Koordinaattoreita on oltava 1–%(n)s.") % {"n": MAX_COORDINATORS},
    )
    cap = take(
        "cap",
        fitted.cap,
        1,
        MAX_CAP,
        _("Asiakasmäärän katon on oltava 1–%(n)s asiakasta.") % {"n": MAX_CAP},
    )
    growth = take(
        "growth",
        0,
        -100,
        MAX_GROWTH,
        _("Ohjausten muutoksen on oltava -100…+%(n)s %%.") % {"n": MAX_GROWTH},
    )
    places = take(
        "service_places",
        0,
        0,
        MAX_SERVICE_PLACES,
        _("Uuden palvelun paikkoja voi olla 0–%(n)s.") % {"n": MAX_SERVICE_PLACES},
    )
    share = take("service_share", 0, 0, 100, _("Palveluun ohjattavien osuuden on oltava 0–100 %."))
    days = take(
        "service_days",
        0,
        0,
        MAX_SERVICE_DAYS,
        _("Palvelun keston on oltava 0–%(n)s päivää.") % {"n": MAX_SERVICE_DAYS},
    )
    coaches = take(
        "coaches",
        fitted.coaches,
        0,
        MAX_COORDINATORS,
        _("Työhönvalmentajia voi olla 0–%(n)s.") % {"n": MAX_COORDINATORS},
    )
    coach_cap = take(
        "coach_cap",
        fitted.coach_cap,
        1,
        MAX_CAP,
        _("Valmennettavien katon on oltava 1–%(n)s.") % {"n": MAX_CAP},
    )
    for name, value in (
        ("coordinators", coordinators),
        ("cap", cap),
        ("service_places", places),
        ("coaches", coaches),
        ("coach_cap", coach_cap),
    ):
        if name not in errors and value != int(value):
            errors[name] = [_("Anna kokonaisluku.")]
    if places and not errors and (share <= 0 or days <= 0):
        errors["service_share"] = [_("Anna uudelle palvelulle sekä ohjattavien osuus että kesto.")]
    if errors:
        raise ValidationError(errors)
    return WhatIf(
        coordinators=int(coordinators),
        cap=int(cap),
        growth=growth / 100,
        service_share=share / 100,
        service_places=int(places),
        service_days=days,
        coaches=None if int(coaches) == fitted.coaches else int(coaches),
        coach_cap=None if int(coach_cap) == fitted.coach_cap else int(coach_cap),
    )


@dataclass(frozen=True)
class Backtest:
    start: dt.date
    fitted: Fitted
    simulated: Outcome
    actual: Actual


def backtest(history: History, today: dt.date, *, replications: int = 30) -> Backtest:
    """The last six months simulated from the state six months ago, beside what happened."""
    start = today - dt.timedelta(days=round(BACKTEST_MONTHS * DAYS_PER_MONTH))
    fitted = fit(history, start)
    simulated = simulate(
        fitted, WhatIf.baseline(fitted), months=BACKTEST_MONTHS, replications=replications
    )
    return Backtest(start, fitted, simulated, actual(history, start))


@dataclass(frozen=True)
class Forecast:
    fitted: Fitted
    baseline: Outcome
    what_if: Outcome | None


def forecast(fitted: Fitted, what: WhatIf | None, *, replications: int = 30) -> Forecast:
    """The next twelve months as today, and with the what-if when one was asked."""
    baseline = simulate(
        fitted, WhatIf.baseline(fitted), months=FORECAST_MONTHS, replications=replications
    )
    changed = (
        simulate(fitted, what, months=FORECAST_MONTHS, replications=replications)
        if what is not None and what != WhatIf.baseline(fitted)
        else None
    )
    return Forecast(fitted, baseline, changed)
