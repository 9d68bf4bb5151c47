"""Writes: goals for indicators, and imports of the ministry's open statistics.

Each service runs in one transaction and either saves everything or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyollisyystalo.access.policy import Capability
from tyollisyystalo.indicators.definitions import Indicator, indicators_all, public_by_code
from tyollisyystalo.indicators.models import (
    IndicatorGoal,
    PublicIndicatorImport,
    PublicIndicatorValue,
)
from tyollisyystalo.indicators.periods import Period
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.staff.models import StaffMember

TARGET_LIMIT = Decimal("1000000")
BASIS_LIMIT = 300  # IndicatorGoal.basis


def target_range(indicator: Indicator) -> tuple[Decimal, Decimal]:
    """The values a goal of the indicator may take."""
    if indicator.unit == "percent":
        return Decimal(0), Decimal(100)
    if indicator.unit in ("days", "count"):
        return Decimal(0), TARGET_LIMIT
    return indicator.scale


def _goal_check(indicator_key: str, target: Decimal) -> Indicator:
    indicator = indicators_all().get(indicator_key)
    if indicator is None:
        raise ValidationError({"indicator": [_("Tuntematon mittari.")]})
    low, high = target_range(indicator)
    if not target.is_finite() or not low <= target <= high:
        raise ValidationError(
            {
                "target": [
                    _("Tavoitteen pitää olla välillä %(low)s–%(high)s.")
                    % {"low": f"{low.normalize():f}", "high": f"{high.normalize():f}"}
                ]
            }
        )
    if target != target.quantize(Decimal("0.01")):
        raise ValidationError(
            {"target": [_("Anna tavoite enintään kahden desimaalin tarkkuudella.")]}
        )
    return indicator


def _goal_save(
    *,
    indicator_key: str,
    organisation: Organisation | None,
    municipality: Municipality | None,
    period: Period,
    target: Decimal,
    actor: StaffMember | None,
    basis: str,
) -> IndicatorGoal:
    _goal_check(indicator_key, target)
    with transaction.atomic():
        goal, _created = IndicatorGoal.objects.select_for_update().update_or_create(
            indicator=indicator_key,
            organisation=organisation,
            municipality=municipality,
            period_kind=period.kind.value,
            period_start=period.start,
            defaults={
                "target": target,
                "set_by": actor,
                "set_at": timezone.now(),
                "basis": basis,
            },
        )
    return goal


def indicator_goal_set(
    *,
    actor: StaffMember,
    indicator_key: str,
    municipality: Municipality | None,
    period: Period,
    target: Decimal,
) -> IndicatorGoal:
    """A manager sets (or changes) a goal of their own organisation, or of its figures in one
    of the municipalities it serves."""
    if not actor.can(Capability.MANAGEMENT_READ):
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    organisation = actor.organisation
    if (
        municipality is not None
        and not organisation.municipalities.filter(pk=municipality.pk).exists()
    ):
        raise ValidationError({"scope": [_("Organisaatiosi ei palvele tätä kuntaa.")]})
    return _goal_save(
        indicator_key=indicator_key,
        organisation=organisation,
        municipality=municipality,
        period=period,
        target=target,
        actor=actor,
        basis="",
    )


def indicator_goal_remove(*, actor: StaffMember, goal_id: int) -> None:
    """A manager removes a goal of their own organisation; another's is 404 (not found)."""
    if not actor.can(Capability.MANAGEMENT_READ):
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    with transaction.atomic():
        deleted, _rows = IndicatorGoal.objects.filter(
            pk=goal_id, organisation=actor.organisation
        ).delete()
    if not deleted:
        raise IndicatorGoal.DoesNotExist


def region_goal_set_by(
    *,
    actor: StaffMember,
    indicator_key: str,
    municipality: Municipality | None,
    period: Period,
    target: Decimal,
    basis: str = "",
) -> IndicatorGoal:
    """The regional steering group sets (or changes) a shared goal of the whole region, or of
    the region's figures in one municipality (seed 002: the cooperation's shared goals)."""
    if not actor.can(Capability.REGION_GOALS):
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    if len(basis) > BASIS_LIMIT:
        raise ValidationError({"basis": [_("Peruste on liian pitkä.")]})
    return _goal_save(
        indicator_key=indicator_key,
        organisation=None,
        municipality=municipality,
        period=period,
        target=target,
        actor=actor,
        basis=basis.strip(),
    )


def region_goal_remove(*, actor: StaffMember, goal_id: int) -> None:
    """The steering group removes a shared goal of the region; an organisation's is 404."""
    if not actor.can(Capability.REGION_GOALS):
        raise PermissionDenied(_("Roolisi ei salli tätä toimintoa."))
    with transaction.atomic():
        deleted, _rows = IndicatorGoal.objects.filter(
            pk=goal_id, organisation__isnull=True
        ).delete()
    if not deleted:
        raise IndicatorGoal.DoesNotExist


def region_goal_set(
    *, indicator_key: str, period: Period, target: Decimal, basis: str
) -> IndicatorGoal:
    """A goal of the whole region (the cooperation agreement's) loaded by the demo or an
    operator; the steering group sets them on the goals page (``region_goal_set_by``)."""
    return _goal_save(
        indicator_key=indicator_key,
        organisation=None,
        municipality=None,
        period=period,
        target=target,
        actor=None,
        basis=basis,
    )


# Public indicators ------------------------------------------------------------------------

COLUMNS = ("alue", "kuukausi", "tunnusluku", "arvo")
_MONTH = re.compile(r"^(\d{4})(?:M|-)(0[1-9]|1[0-2])$")
_AREA = re.compile(r"^(?:KU)?([0-9A-Z]{3})$")


@dataclass(frozen=True)
class PublicRow:
    line: int
    municipality: str
    month: dt.date
    indicator: str
    value: Decimal


class PublicImportError(ValueError):
    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


def public_csv_parse(text: str, *, municipality_codes: set[str]) -> list[PublicRow]:
    """Rows of a CSV in the shape of the ministry's open employment-service statistics: columns
    ``alue`` (municipality code, ``KU285`` or ``285``), ``kuukausi`` (``2026M05`` or
    ``2026-05``), ``tunnusluku`` (the indicator code of definitions.toml) and ``arvo`` (decimal
    comma or point), separated by ``;`` or ``,``. Every bad row is reported by its line;
    ``PublicImportError`` lists them all."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PublicImportError(
            [_("Sarakkeet puuttuvat: %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    at = {c: header.index(c) for c in COLUMNS}
    codes = public_by_code()
    rows: list[PublicRow] = []
    errors: list[str] = []
    seen: dict[tuple[str, dt.date, str], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            errors.append(_("Rivi %(line)s: sarakkeita on liian vähän.") % {"line": number})
            continue
        area, month, code, raw = (cells[at[c]].strip() for c in COLUMNS)
        problems = []
        area_match = _AREA.match(area)
        municipality = area_match.group(1) if area_match else ""
        if municipality not in municipality_codes:
            problems.append(_("tuntematon kunta ”%(value)s”") % {"value": area[:20]})
        month_match = _MONTH.match(month)
        if month_match is None:
            problems.append(_("kuukausi ”%(value)s” ei ole muotoa 2026M05") % {"value": month[:20]})
        indicator = codes.get(code.upper())
        if indicator is None:
            problems.append(_("tuntematon tunnusluku ”%(value)s”") % {"value": code[:40]})
        try:
            value = Decimal(raw.replace(",", ".").replace(" ", ""))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(_("arvo ”%(value)s” ei ole luku") % {"value": raw[:20]})
            value = None
        if value is not None and indicator is not None:
            high = Decimal(100) if indicator.unit == "percent" else TARGET_LIMIT * 100
            if not Decimal(0) <= value <= high:
                problems.append(
                    _("arvo %(value)s on sallitun alueen ulkopuolella") % {"value": raw}
                )
            elif indicator.unit == "count" and value != value.to_integral_value():
                problems.append(_("lukumäärän pitää olla kokonaisluku"))
            elif value != value.quantize(Decimal("0.01")):
                problems.append(_("arvossa saa olla enintään kaksi desimaalia"))
        if problems or month_match is None or indicator is None or value is None:
            errors.append(
                _("Rivi %(line)s: %(problems)s.")
                % {"line": number, "problems": "; ".join(problems)}
            )
            continue
        day = dt.date(int(month_match.group(1)), int(month_match.group(2)), 1)
        key = (municipality, day, indicator.key)
        if key in seen:
            errors.append(
                _("Rivi %(line)s: sama kunta, kuukausi ja tunnusluku kuin rivillä %(other)s.")
                % {"line": number, "other": seen[key]}
            )
            continue
        seen[key] = number
        rows.append(PublicRow(number, municipality, day, indicator.key, value))
    if errors:
        raise PublicImportError(errors)
    if not rows:
        raise PublicImportError([_("Tiedostossa ei ole yhtään tunnuslukuriviä.")])
    return rows


def public_indicators_import(
    *, text: str, source: str, published_on: dt.date, file_name: str
) -> PublicIndicatorImport:
    """Import the whole file or nothing: a figure already there for the same municipality,
    month and indicator is replaced by the new one."""
    source = source.strip()
    if not source:
        raise PublicImportError([_("Kerro tilaston lähde.")])
    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    rows = public_csv_parse(text, municipality_codes=set(municipalities))
    with transaction.atomic():
        batch = PublicIndicatorImport.objects.create(
            source=source[:300],
            published_on=published_on,
            file_name=file_name[:200],
            rows=len(rows),
        )
        for row in rows:
            PublicIndicatorValue.objects.filter(
                municipality_id=municipalities[row.municipality],
                indicator=row.indicator,
                month=row.month,
            ).delete()
        PublicIndicatorValue.objects.bulk_create(
            PublicIndicatorValue(
                source_import=batch,
                municipality_id=municipalities[row.municipality],
                indicator=row.indicator,
                month=row.month,
                value=row.value,
            )
            for row in rows
        )
    return batch
