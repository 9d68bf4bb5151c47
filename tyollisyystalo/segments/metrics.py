"""The seed's metrics per segment over time (INEEN, seed 004): clients, timely services,
statutory reviews on time, moves out of unemployment.

A client counts in a segment in a period when the newest segment a person decided for them by
the end of the period is that segment of the approved version (never by the rules alone). The
figures are the management pages' own indicators (``indicators.selectors.measures_by_group``)
and every one is shown under the small-number rule of the management pages: counts of 1–4 as
"< 5" with a second figure hidden where the total would give it away, rates and medians only
when at least five people are behind them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tyollisyystalo.cases.models import Case
from tyollisyystalo.indicators import calculations as calc
from tyollisyystalo.indicators.periods import Period, PeriodKind, period_of, trend
from tyollisyystalo.indicators.selectors import measures_by_group
from tyollisyystalo.management.disclosure import (
    MIN_COUNT,
    Figure,
    protect_counts,
    protect_rate,
)
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.segments.models import SegmentSuggestion, SegmentVersion, SuggestionState

PERIODS_SHOWN = 4  # half-years

# (indicator, heading, what the figure is)
METRICS: tuple[tuple[str, Promise, Promise], ...] = (
    (
        "median_days_to_first_meeting",
        _("Ajoissa palveluun"),
        _("Mediaani päivää ohjauksesta ensitapaamiseen niillä, jotka tavattiin ensi kertaa."),
    ),
    (
        "client_activation",
        _("Palvelussa"),
        _(
            "Osuus (%) avoimen palvelupolun asiakkaista, joilla oli palvelu käynnissä "
            "jakson lopussa."
        ),
    ),
    (
        "reviews_on_time",
        _("Määräaikaiset arvioinnit ajallaan"),
        _("Osuus (%) jakson aikana erääntyneistä suunnitelman arvioinneista."),
    ),
    (
        "placed_in_working_life",
        _("Siirtyminen pois työttömyydestä"),
        _(
            "Osuus (%) jaksolla päättyneistä palvelupoluista, jotka päättyivät työhön tai "
            "opiskeluun."
        ),
    ),
)
MEDIANS = frozenset({"median_days_to_first_meeting"})


@dataclass(frozen=True)
class MetricTable:
    key: str
    title: str
    description: str
    rows: tuple[tuple[str, tuple[Figure, ...]], ...]
    total: tuple[Figure, ...] | None = None


@dataclass(frozen=True)
class SegmentMetrics:
    periods: tuple[Period, ...]
    tables: tuple[MetricTable, ...]


def _membership(
    organisation: Organisation, version: SegmentVersion, using: str
) -> dict[uuid.UUID, tuple[list[dt.date], list[str | None]]]:
    """Each client's decisions in time order: the days and the segment chosen (the segment's
    id as text, None for a segment of another version or none)."""
    of_version = {s.pk for s in version.segments.all()}
    decided: dict[uuid.UUID, tuple[list[dt.date], list[str | None]]] = defaultdict(lambda: ([], []))
    for client_id, at, chosen in (
        SegmentSuggestion.objects.using(using)
        .filter(owner_organisation=organisation)
        .exclude(state=SuggestionState.OPEN)
        .order_by("decided_at", "id")
        .values_list("client_id", "decided_at", "chosen_id")
    ):
        days, chosen_list = decided[client_id]
        days.append(timezone.localdate(at))
        chosen_list.append(str(chosen) if chosen in of_version else None)
    return decided


def segment_metrics(
    organisation: Organisation, version: SegmentVersion, today: dt.date | None = None
) -> SegmentMetrics:
    today = today or timezone.localdate()
    using = reporting_db()
    periods = tuple(trend(period_of(PeriodKind.HALF, today), PERIODS_SHOWN))
    decided = _membership(organisation, version, using)

    def group_of(client_id: uuid.UUID, period: Period) -> str | None:
        found = decided.get(client_id)
        if found is None:
            return None
        days, chosen = found
        index = bisect_right(days, period.end) - 1
        return chosen[index] if index >= 0 else None

    segments = list(version.segments.order_by("position"))
    names = [(str(s.pk), s.name) for s in segments]
    tables = [_clients(organisation, periods, group_of, names, using)]
    for key, title, description in METRICS:
        measured = measures_by_group(
            key,
            organisation_id=organisation.pk,
            periods=periods,
            today=today,
            group_of=group_of,
            using=using,
        )
        empty = [calc.Measure(None, 0)] * len(periods)
        rows = tuple(
            (name, tuple(_figure(key, m) for m in measured.get(code, empty)))
            for code, name in names
        )
        tables.append(MetricTable(key, str(title), str(description), rows))
    return SegmentMetrics(periods, tuple(tables))


def _figure(key: str, measure: calc.Measure) -> Figure:
    if key in MEDIANS:
        if measure.n < MIN_COUNT or measure.value is None:
            return Figure(None, suppressed=measure.n > 0)
        return Figure(float(measure.value), decimals=0)
    return protect_rate(measure.numerator or 0, measure.denominator or 0)


def _clients(
    organisation: Organisation,
    periods: tuple[Period, ...],
    group_of: Callable[[uuid.UUID, Period], str | None],
    names: list[tuple[str, str]],
    using: str,
) -> MetricTable:
    """Clients with the organisation's path open on some day of the period, per segment."""
    first, last = periods[0].start, periods[-1].end
    paths = (
        Case.objects.using(using)
        .filter(owner_organisation=organisation, referred_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list("client_id", "referred_on", "closed_on")
    )
    inside: list[dict[str, set[uuid.UUID]]] = [defaultdict(set) for _ in periods]
    rows = list(paths)
    for index, period in enumerate(periods):
        for client_id, referred_on, closed_on in rows:
            if referred_on <= period.end and (closed_on is None or closed_on >= period.start):
                group = group_of(client_id, period)
                if group is not None:
                    inside[index][group].add(client_id)
    columns = []
    totals = []
    for per_group in inside:
        counts = {code: len(per_group.get(code, ())) for code, _name in names}
        shown, total = protect_counts(counts, total=sum(counts.values()))
        columns.append(shown)
        totals.append(total or Figure(0))
    return MetricTable(
        "clients",
        str(_("Asiakkaita")),
        str(
            _(
                "Asiakkaat, joiden palvelupolku oli avoinna jakson aikana, vahvistetun "
                "segmentin mukaan."
            )
        ),
        tuple((name, tuple(column[code] for column in columns)) for code, name in names),
        tuple(totals),
    )
