"""``run_scheduled``'s job for the reporting store (ADR 0026): keep the figures in use fresh.

Each run recounts the snapshots (indicators, situation pictures, survey results) read in the
last days that are older than half the allowed age or from another day, counts the views
managers open first (every organisation with a manager: the indicators of this quarter and the
four before it, the situation picture of the last whole quarter; the same for the region when
someone reads it) when they are missing or too old, and deletes snapshots nobody has read for a
month. Counting reads the reporting database; the store is written on the primary.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from tyollisyystalo.access.policy import Capability, roles_with
from tyollisyystalo.indicators import selectors as indicators
from tyollisyystalo.indicators.definitions import indicators_all
from tyollisyystalo.indicators.pages import TREND_PERIODS
from tyollisyystalo.indicators.periods import (
    Period,
    PeriodError,
    PeriodKind,
    parse_period,
    period_of,
    trend,
)
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.management.snapshots import snapshots_due, snapshots_purge
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.situation import selectors as situation
from tyollisyystalo.situation.scope import period_default
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.surveys import results as survey_results


def _readers() -> tuple[list[Organisation], bool]:
    """The organisations with an active reader of their own figures, and whether anyone reads
    the region's."""
    active = StaffMember.objects.filter(is_active=True)
    own = active.filter(role__in=roles_with(Capability.MANAGEMENT_READ))
    organisations = list(
        Organisation.objects.filter(pk__in=own.values("organisation_id")).order_by("pk")
    )
    regional = active.filter(role__in=roles_with(Capability.REGION_READ)).exists()
    return organisations, regional


def _indicators_refresh(
    due: list[dict[str, object]], scopes: list[int | None], today: dt.date, using: str
) -> int:
    """Recount the due indicator snapshots, each indicator for its own due periods (one count
    per organisation, indicator and kind of period), then count the default views where they
    are missing or old, kept as not yet read."""
    wanted: dict[tuple[int | None, str, PeriodKind], set[Period]] = defaultdict(set)
    for params in due:
        key = str(params["indicator"])
        organisation = params["organisation"]
        try:
            period = parse_period(str(params["period"]))
        except PeriodError:
            continue
        if key in indicators_all():
            owner = organisation if isinstance(organisation, int) else None
            wanted[(owner, key, period.kind)].add(period)
    for (organisation, key, _kind), periods in wanted.items():
        indicators.indicator_counts(
            [key],
            organisation_id=organisation,
            periods=sorted(periods),
            using=using,
            today=today,
            recount=True,
        )
    keys = [k for k, i in indicators_all().items() if i.kind != "public"]
    trend_periods = trend(period_of(PeriodKind.QUARTER, today), TREND_PERIODS)
    for organisation in scopes:
        indicators.indicator_counts(
            keys,
            organisation_id=organisation,
            periods=trend_periods,
            using=using,
            today=today,
            read=False,
        )
    return sum(len(periods) for periods in wanted.values())


def _situation_refresh(
    due: list[dict[str, object]],
    defaults: list[tuple[list[int] | None, list[str]]],
    today: dt.date,
    using: str,
) -> int:
    for params in due:
        organisations = params.get("organisations")
        codes = params.get("municipalities")
        try:
            period = parse_period(str(params.get("period")))
        except PeriodError:
            continue
        if not isinstance(codes, list):
            continue
        situation.situation_counted(
            organisation_ids=organisations if isinstance(organisations, list) else None,
            municipality_codes=[str(code) for code in codes],
            period=period,
            using=using,
            today=today,
            recount=True,
        )
    for organisation_ids, codes in defaults:
        situation.situation_counted(
            organisation_ids=organisation_ids,
            municipality_codes=codes,
            period=period_default(today),
            using=using,
            today=today,
            read=False,
        )
    return len(due)


def report_snapshots_refresh(today: dt.date | None = None) -> int:
    """The scheduled job: returns how many figure sets were recounted because they were due."""
    today = today or timezone.localdate()
    using = reporting_db()
    organisations, regional = _readers()
    scopes: list[int | None] = [o.pk for o in organisations] + ([None] if regional else [])
    counted = _indicators_refresh(
        snapshots_due(indicators.REPORT, today=today), scopes, today, using
    )
    defaults: list[tuple[list[int] | None, list[str]]] = [
        ([o.pk], list(o.municipalities.using(using).values_list("code", flat=True)))
        for o in organisations
    ]
    if regional:
        region = list(Municipality.objects.using(using).values_list("code", flat=True))
        defaults.append((None, region))
        # A manager's regional view also reads their own organisation in the region's columns
        # (to hide what differs from their own by a few: ADR 0025).
        defaults += [([o.pk], region) for o in organisations]
    counted += _situation_refresh(
        snapshots_due(situation.REPORT, today=today), defaults, today, using
    )
    counted += survey_results.survey_results_recount(
        snapshots_due(survey_results.REPORT, today=today), today=today, using=using
    )
    snapshots_purge(today=today)
    return counted
