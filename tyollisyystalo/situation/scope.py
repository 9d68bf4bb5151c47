"""Whose situation picture a request asks for, within what the reader may see (ADR 0017, 0025).

A manager sees their own organisation, per municipality it serves; the regional view (managers
and the steering group) adds up every organisation's paths per municipality of the region and
never shows one organisation apart. A foreign organisation or municipality is 404, a role
without management figures 403 (``management.access``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from tyollisyystalo.indicators.forms import PeriodPickerForm
from tyollisyystalo.indicators.periods import Period, PeriodKind, period_of
from tyollisyystalo.management.access import (
    management_scope,
    municipality_for,
    organisation_for,
)
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember

REGION = "region"
PERIOD = "jakso"  # the period picker's parameter, as on the indicators page


class InvalidPeriod(ValueError):
    """A period the picker does not offer (unknown, malformed or not begun)."""


def period_default(today: dt.date) -> Period:
    """The last complete quarter: a whole period to look at when the page opens."""
    return period_of(PeriodKind.QUARTER, today).previous()


def period_chosen(params: Mapping[str, str], today: dt.date) -> Period:
    """The period asked for, one of the picker's (``InvalidPeriod`` otherwise)."""
    if not params.get(PERIOD):
        return period_default(today)
    form = PeriodPickerForm({PERIOD: params[PERIOD]}, today=today)
    if not form.is_valid():
        raise InvalidPeriod(params[PERIOD])
    period: Period = form.cleaned_data[PERIOD]
    return period


@dataclass(frozen=True)
class PictureScope:
    regional: bool  # the whole region in aggregate
    organisation: Organisation | None  # the organisation of an own view
    municipalities: tuple[Municipality, ...]  # the columns, in order
    may_choose_region: bool  # the reader sees both views
    focus: Municipality | None  # whose column the charts draw (None: the total)
    period: Period
    reader: Organisation | None = None  # the reader's own organisation, whose figures they see

    @property
    def name(self) -> str:
        if self.regional or self.organisation is None:
            return _("Koko alue")
        return self.organisation.name

    @property
    def organisation_ids(self) -> tuple[int, ...] | None:
        if self.regional or self.organisation is None:
            return None
        return (self.organisation.pk,)


def picture_scope(
    staff: StaffMember, params: Mapping[str, str], *, today: dt.date, using: str
) -> PictureScope:
    """The scope of one request; ``PermissionDenied``, ``Http404`` or ``InvalidPeriod``."""
    scope = management_scope(staff)
    if scope is None:
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    organisation = organisation_for(scope, params.get("organisation"))
    regional = organisation is None or (params.get("view") == REGION and scope.regional)
    if params.get("view") == REGION and not scope.regional:
        raise Http404
    municipalities: tuple[Municipality, ...]
    if regional:
        municipalities = tuple(Municipality.objects.using(using).order_by("name_fi"))
    else:
        municipalities = scope.municipalities
    focus = municipality_for(scope, params.get("municipality"))
    if focus is not None and focus.code not in {m.code for m in municipalities}:
        raise Http404
    period = period_chosen(params, today)
    return PictureScope(
        regional=regional,
        organisation=None if regional else organisation,
        municipalities=municipalities,
        may_choose_region=scope.regional and scope.organisation is not None,
        focus=focus,
        period=period,
        reader=scope.organisation,
    )
