"""Indicator figures per organisation, municipality and period, read from the reporting database.

The one entry point for other apps (the demo history, the benchmark) is ``indicator_values``;
the management page reads several scopes at once through ``indicator_figures``. The counted
measures come from the reporting store while fresh (``indicator_counts``, ADR 0026); what is
missing is counted from the rows of the span of periods in a fixed number of queries (one to
four per indicator, one grouped query for a survey indicator), each period with the pure
functions of ``calculations``, for the total and every municipality with records, and kept.
Every view then applies the small-number rule of ``management.disclosure``: a rate with a
1–4 numerator or denominator, or a mean or median of fewer than five, is suppressed, and where
municipalities add up to the organisation's (or the region's) figure, one more municipality or
the total is suppressed so that no hidden figure can be worked back (secondary suppression).

Scopes: ``organisation_ids`` None is every organisation (the region); otherwise the records
whose owner (register keeper) is one of them. A municipality is the client's home municipality
(``ClientIdentity.municipality``); survey answers carry the municipality of their link.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from typing import Any, NamedTuple

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from tyollisyystalo.cases.models import Case, CaseDeadline, DeadlineKind
from tyollisyystalo.coaching.models import CoachingPeriod, Placement
from tyollisyystalo.indicators import calculations as calc
from tyollisyystalo.indicators.definitions import Indicator, indicator_get, indicators_all
from tyollisyystalo.indicators.models import IndicatorGoal, PublicIndicatorValue
from tyollisyystalo.indicators.periods import Period, PeriodKind
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.management.disclosure import MIN_COUNT, Figure, Line, is_small, suppressed_cells
from tyollisyystalo.management.snapshots import snapshot_key, snapshots_read, snapshots_write
from tyollisyystalo.organisations.models import Municipality, Organisation
from tyollisyystalo.referrals.models import Referral, ReferralStatus
from tyollisyystalo.subcontracting.models import Member
from tyollisyystalo.worktrials.models import FeedbackLink

REVIEW_KINDS = [DeadlineKind.INTERIM_REVIEW, DeadlineKind.FINAL_REVIEW, DeadlineKind.PLAN_REVIEW]
WORK_ABILITY_INSTRUMENT = "work_ability_score"
MUNICIPALITY = "client__identity__municipality__code"
TOTAL = None  # the scope key of the organisation's (or the region's) own figure


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator in one period and scope, as it may be shown: suppressed figures are None."""

    key: str
    period: Period
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    n: int | None
    goal: Decimal | None
    suppressed: bool
    decimals: int = 0
    small: bool = False  # suppressed because the people behind it are 1–4 (not only secondary)
    unit: str = ""
    source: str = ""  # public indicators: the import's source and the statistics' date
    source_date: dt.date | None = None

    @property
    def figure(self) -> Figure:
        """The value as shown: a hidden count of 1–4 people is "< 5"; any other hidden figure
        (a rate or mean of too few, or one hidden beside a small one) is "x"."""
        if self.suppressed:
            return Figure(1 if self.small and self.unit == "count" else None, True)
        return Figure(None if self.value is None else float(self.value), False, self.decimals)

    @property
    def goal_figure(self) -> Figure:
        return Figure(None if self.goal is None else float(self.goal), False, self.decimals)

    @property
    def n_figure(self) -> Figure:
        """The people behind the figure: "< 5" when they are 1–4, "x" when hidden beside."""
        if self.suppressed:
            return Figure(1 if self.small else None, True)
        return Figure(self.n)

    def goal_met(self, indicator: Indicator) -> bool | None:
        if self.value is None or self.goal is None:
            return None
        if indicator.higher_is_better:
            return self.value >= self.goal
        return self.value <= self.goal

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "period": self.period.code,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "value": _number(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "n": self.n,
            "goal": _number(self.goal),
            "suppressed": self.suppressed,
        }


def _number(value: Decimal | None) -> int | float | None:
    """A figure for JSON: an integer when it has no decimals (28, not 28.0)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# Fetching rows: one function per computed indicator ----------------------------------------


class Span(NamedTuple):
    organisation_ids: tuple[int, ...] | None
    first: dt.date
    last: dt.date
    using: str


class Rows(NamedTuple):
    """Rows tagged with the client's municipality, and rows joined to them by an id."""

    tagged: list[tuple[str | None, Any]]
    joined: list[Any]


def _owned(
    model: type[models.Model], span: Span, owner: str = "owner_organisation_id"
) -> QuerySet[Any]:
    """The model's rows on the reporting database, of the span's organisations (by ``owner``)."""
    qs: QuerySet[Any] = model._default_manager.using(span.using)
    if span.organisation_ids is not None:
        qs = qs.filter(**{f"{owner}__in": span.organisation_ids})
    return qs


def _day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)


def _earliest(*days: dt.date | None) -> dt.date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _tagged(
    rows: QuerySet[Any],
    make: Callable[..., Any],
    *fields: str,
    municipality: str = MUNICIPALITY,
) -> list[tuple[str | None, Any]]:
    """``make(*fields)`` of every row, with the client's municipality."""
    return [(m, make(*values)) for m, *values in rows.values_list(municipality, *fields)]


def _placed_rows(span: Span) -> Rows:
    rows = _owned(Case, span).filter(closed_on__range=(span.first, span.last))
    return Rows(_tagged(rows, calc.ClosedPath, "client_id", "closed_on", "outcome"), [])


def _activation_rows(span: Span) -> Rows:
    open_in_span = Q(referred_on__lte=span.last) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=span.first)
    )
    paths = _owned(Case, span).filter(open_in_span)
    tagged = _tagged(paths, calc.OpenPath, "id", "client_id", "referred_on", "closed_on")
    path_q = Q(case__referred_on__lte=span.last) & (
        Q(case__closed_on__isnull=True) | Q(case__closed_on__gte=span.first)
    )
    services: list[calc.PathService] = []
    referrals = _owned(Referral, span, "case__owner_organisation_id").filter(
        path_q,
        status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED],
        answered_at__isnull=False,
    )
    for case_id, answered_at, completed_at in referrals.values_list(
        "case_id", "answered_at", "completed_at"
    ):
        services.append(
            calc.PathService(case_id, timezone.localdate(answered_at), _day(completed_at))
        )
    coaching = (
        CoachingPeriod.objects.using(span.using)
        .filter(started_on__lte=span.last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=span.first))
        .filter(Q(case__isnull=False) | Q(referral__isnull=False))
    )
    if span.organisation_ids is not None:
        coaching = coaching.filter(
            Q(case__owner_organisation_id__in=span.organisation_ids)
            | Q(referral__case__owner_organisation_id__in=span.organisation_ids)
        )
    for case_id, referral_case_id, started_on, ended_on in coaching.values_list(
        "case_id", "referral__case_id", "started_on", "ended_on"
    ):
        services.append(calc.PathService(case_id or referral_case_id, started_on, ended_on))
    trials = _owned(FeedbackLink, span, "case__owner_organisation_id").filter(
        path_q, subject_kind="work_trial", created_at__date__lte=span.last
    )
    for case_id, created_at, used_at, revoked_at, expires_at in trials.values_list(
        "case_id", "created_at", "used_at", "revoked_at", "expires_at"
    ):
        services.append(
            calc.PathService(
                case_id,
                timezone.localdate(created_at),
                _earliest(_day(used_at), _day(revoked_at), _day(expires_at)),
            )
        )
    return Rows(tagged, services)


def _first_meeting_rows(span: Span) -> Rows:
    rows = _owned(Case, span).filter(started_on__range=(span.first, span.last))
    return Rows(_tagged(rows, calc.FirstMeeting, "client_id", "referred_on", "started_on"), [])


def _review_rows(span: Span) -> Rows:
    rows = _owned(CaseDeadline, span, "case__owner_organisation_id").filter(
        kind__in=REVIEW_KINDS, due_on__range=(span.first, span.last)
    )
    return Rows(
        _tagged(
            rows,
            lambda client, due_on, done_on, cancelled_at: calc.Review(
                client, due_on, done_on, _day(cancelled_at)
            ),
            "case__client_id",
            "due_on",
            "done_on",
            "cancelled_at",
            municipality=f"case__{MUNICIPALITY}",
        ),
        [],
    )


def _referral_rows(span: Span) -> Rows:
    rows = _owned(Referral, span).filter(created_at__date__range=(span.first, span.last))
    return Rows(
        _tagged(
            rows,
            lambda client, created_at, status: calc.SentReferral(
                client, timezone.localdate(created_at), status
            ),
            "client_id",
            "created_at",
            "status",
        ),
        [],
    )


def _coaching_rows(span: Span) -> Rows:
    under_way = Q(started_on__lte=span.last) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=span.first)
    )
    periods = _owned(CoachingPeriod, span).filter(under_way)
    tagged = _tagged(periods, calc.CoachingSpan, "id", "client_id", "started_on", "ended_on")
    jobs = (
        _owned(Placement, span, "period__owner_organisation_id")
        .filter(competitive=True, started_on__lte=span.last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=span.first))
    )
    return Rows(
        tagged,
        [
            calc.Job(period_id, started_on, ended_on, competitive)
            for period_id, started_on, ended_on, competitive in jobs.values_list(
                "period_id", "started_on", "ended_on", "competitive"
            )
        ],
    )


def _group_exit_rows(span: Span) -> Rows:
    """Work-group employments that ended in the span (the subcontracting model's members)."""
    rows = _owned(Member, span).filter(contract_end__range=(span.first, span.last))
    return Rows(_tagged(rows, calc.GroupExit, "client_id", "contract_end", "end_reason"), [])


def _score_rows(span: Span) -> Rows:
    rows = _owned(InstrumentResponse, span).filter(
        instrument_key=WORK_ABILITY_INSTRUMENT, answered_on__lte=span.last
    )
    tagged: list[tuple[str | None, Any]] = []
    for m, client, answered_on, created_at, result_json in rows.values_list(
        MUNICIPALITY, "client_id", "answered_on", "created_at", "result_json"
    ):
        total = json.loads(result_json).get("total")
        if total is not None:
            tagged.append((m, calc.Score(client, answered_on, created_at, Decimal(total))))
    return Rows(tagged, [])


COMPUTED: dict[
    str,
    tuple[
        Callable[[Span], Rows],
        Callable[[list[Any], list[Any], Period, dt.date], calc.Measure],
    ],
] = {
    "placed_in_working_life": (
        _placed_rows,
        lambda rows, _, period, today: calc.placed_in_working_life(rows, period),
    ),
    "client_activation": (
        _activation_rows,
        lambda rows, services, period, today: calc.client_activation(
            rows, services, min(period.end, today)
        ),
    ),
    "median_days_to_first_meeting": (
        _first_meeting_rows,
        lambda rows, _, period, today: calc.median_days_to_first_meeting(rows, period),
    ),
    "reviews_on_time": (
        _review_rows,
        lambda rows, _, period, today: calc.reviews_on_time(rows, period, today),
    ),
    "referrals_closed_loop": (
        _referral_rows,
        lambda rows, _, period, today: calc.referrals_closed_loop(rows, period),
    ),
    "coaching_competitive_employment": (
        _coaching_rows,
        lambda rows, jobs, period, today: calc.coaching_competitive_employment(rows, jobs, period),
    ),
    "work_ability_change": (
        _score_rows,
        lambda rows, _, period, today: calc.work_ability_change(rows, period),
    ),
    "work_group_open_market": (
        _group_exit_rows,
        # An end still to come is not an outcome yet.
        lambda rows, _, period, today: calc.work_group_open_market(
            [r for r in rows if r.ended_on <= today], period
        ),
    ),
}


# Measuring every scope of one indicator -----------------------------------------------------


# Indicators whose rows each fall in one period by one date: rows are sorted into their period
# first, so each period's count reads its own rows only (the functions still check the period).
DATED: dict[str, Callable[[Any], dt.date]] = {
    "placed_in_working_life": lambda row: row.closed_on,
    "median_days_to_first_meeting": lambda row: row.met_on,
    "reviews_on_time": lambda row: row.due_on,
    "referrals_closed_loop": lambda row: row.sent_on,
    "work_group_open_market": lambda row: row.ended_on,
}


def _by_period(
    rows: list[Any], periods: Sequence[Period], day: Callable[[Any], dt.date] | None
) -> list[list[Any]]:
    """The rows each period's count reads: all of them, or with ``day`` those of its dates."""
    if day is None:
        return [rows] * len(periods)
    starts = [p.start for p in periods]
    buckets: list[list[Any]] = [[] for _ in periods]
    for row in rows:
        on = day(row)
        index = bisect_right(starts, on) - 1
        if index >= 0 and on <= periods[index].end:
            buckets[index].append(row)
    return buckets


def measures_by_group(
    key: str,
    *,
    organisation_id: int,
    periods: Sequence[Period],
    today: dt.date,
    group_of: Callable[[Any, Period], str | None],
    using: str,
) -> dict[str, list[calc.Measure]]:
    """A computed indicator per period for groups of one organisation's clients, from one read
    of its rows: ``group_of(client_id, period)`` names a client's group in the period (None: in
    none). Every group named gets a measure in every period (of no rows where it had none)."""
    fetch, compute = COMPUTED[key]
    rows = fetch(Span((organisation_id,), periods[0].start, periods[-1].end, using))
    day = DATED.get(key)
    buckets: list[dict[str, list[Any]]] = [{} for _ in periods]
    for index, period in enumerate(periods):
        for _municipality, row in rows.tagged:
            group = group_of(row.client_id, period)
            if group is not None:
                buckets[index].setdefault(group, []).append(row)
    groups = sorted({group for bucket in buckets for group in bucket})
    return {
        group: [
            compute(_by_period(bucket.get(group, []), [period], day)[0], rows.joined, period, today)
            for bucket, period in zip(buckets, periods, strict=True)
        ]
        for group in groups
    }


class Counted(NamedTuple):
    """One indicator in one period: the measure of the total (key ``TOTAL``) and of every
    municipality that has records, and the measure of a scope with none (``empty``)."""

    scopes: dict[str | None, calc.Measure]
    empty: calc.Measure

    def of(self, scope: str | None) -> calc.Measure:
        return self.scopes.get(scope, self.empty)


def _computed_counts(
    indicator: Indicator, span: Span, periods: Sequence[Period], today: dt.date
) -> list[Counted]:
    """Every scope of every period from one read of the span's rows (grouped by municipality
    once, so each scope's count reads its own rows only)."""
    fetch, compute = COMPUTED[indicator.key]
    rows = fetch(span)
    groups: dict[str | None, list[Any]] = {TOTAL: []}
    for municipality, row in rows.tagged:
        groups[TOTAL].append(row)
        if municipality is not None:
            groups.setdefault(municipality, []).append(row)
    day = DATED.get(indicator.key)
    measured = {
        scope: [
            compute(bucket, rows.joined, period, today)
            for bucket, period in zip(_by_period(own, periods, day), periods, strict=True)
        ]
        for scope, own in groups.items()
    }
    return [
        Counted(
            {scope: measures[index] for scope, measures in measured.items()},
            compute([], [], period, today),
        )
        for index, period in enumerate(periods)
    ]


def _scale_answer_counts() -> Callable[..., list[tuple[str | None, dt.date, int, int]]] | None:
    """The survey helper's selector (``surveys.selectors.scale_answer_counts``), None without
    the surveys app."""
    if not apps.is_installed("tyollisyystalo.surveys"):
        return None
    selector: Callable[..., list[tuple[str | None, dt.date, int, int]]] = import_module(
        "tyollisyystalo.surveys.selectors"
    ).scale_answer_counts
    return selector


def _frequency_mean(counts: Iterable[tuple[int, int]]) -> calc.Measure:
    """``calc.mean`` of answers given as (value, how many): the same figure, without the list."""
    total, n = Decimal(0), 0
    for value, count in counts:
        total += Decimal(value) * count
        n += count
    return calc.Measure(total / n if n else None, n)


def _survey_counts(
    indicator: Indicator, span: Span, periods: Sequence[Period]
) -> list[Counted] | None:
    """The mean of the survey item's answers per scope and period, from one grouped query (an
    answer counts in the periods its month begins in, as ``scale_answers``); None without the
    surveys app."""
    scale_answer_counts = _scale_answer_counts()
    if scale_answer_counts is None:
        return None
    answers = scale_answer_counts(
        survey=indicator.survey,
        item=indicator.item,
        organisation_ids=span.organisation_ids,
        start=span.first,
        end=span.last,
        using=span.using,
    )
    result = []
    for period in periods:
        first_month = period.start.replace(day=1)
        grouped: dict[str | None, list[tuple[int, int]]] = {TOTAL: []}
        for municipality, month, value, count in answers:
            if first_month <= month <= period.end:
                grouped[TOTAL].append((value, count))
                if municipality is not None:
                    grouped.setdefault(municipality, []).append((value, count))
        result.append(
            Counted(
                {scope: _frequency_mean(counts) for scope, counts in grouped.items()},
                _frequency_mean(()),
            )
        )
    return result


# The reporting store: what was counted, kept per indicator, organisation and period ----------

REPORT = "indicator"


def _snapshot_params(key: str, organisation_id: int | None, period: Period) -> dict[str, Any]:
    return {"indicator": key, "organisation": organisation_id, "period": period.code}


def _measure_encoded(m: calc.Measure) -> list[Any]:
    return [None if m.value is None else str(m.value), m.n, m.numerator, m.denominator]


def _measure_decoded(stored: list[Any]) -> calc.Measure:
    value, n, numerator, denominator = stored
    return calc.Measure(None if value is None else Decimal(value), n, numerator, denominator)


def _counted_encoded(counted: Counted) -> dict[str, Any]:
    return {
        "scopes": {
            "" if scope is TOTAL else scope: _measure_encoded(m)
            for scope, m in counted.scopes.items()
        },
        "empty": _measure_encoded(counted.empty),
    }


def _counted_decoded(payload: dict[str, Any]) -> Counted:
    return Counted(
        {
            (TOTAL if scope == "" else scope): _measure_decoded(m)
            for scope, m in payload["scopes"].items()
        },
        _measure_decoded(payload["empty"]),
    )


def _count(
    indicator: Indicator, span: Span, periods: Sequence[Period], today: dt.date
) -> list[Counted] | None:
    if indicator.kind == "survey":
        return _survey_counts(indicator, span, periods)
    return _computed_counts(indicator, span, periods, today)


def indicator_counts(
    keys: Sequence[str],
    *,
    organisation_id: int | None,
    periods: Sequence[Period],
    using: str,
    today: dt.date,
    recount: bool = False,
    read: bool = True,
) -> tuple[dict[str, list[Counted] | None], dt.datetime | None]:
    """The counted (unprotected) measures of each computed or survey indicator of ``keys`` per
    period (in the order given), and when the oldest of them was counted: from the reporting
    store where fresh, else counted from the records (one read per indicator and kind of period
    for the periods missing) and kept. ``recount`` counts them all again (``run_scheduled``);
    ``read`` False keeps new ones as not yet read (the job's warming)."""
    organisation_ids = None if organisation_id is None else (organisation_id,)
    wanted = {
        (key, period): _snapshot_params(key, organisation_id, period)
        for key in keys
        for period in periods
    }
    named = {at: snapshot_key(params) for at, params in wanted.items()}
    stored = {} if recount else snapshots_read(REPORT, wanted.values(), today=today, read=read)
    result: dict[str, list[Counted] | None] = {}
    counted_at: list[dt.datetime] = []
    for key in keys:
        indicator = indicator_get(key)
        missing: dict[PeriodKind, list[Period]] = {}
        for period in sorted(p for p in periods if named[(key, p)] not in stored):
            missing.setdefault(period.kind, []).append(period)  # rows sort into one kind's
        unavailable = False
        for same_kind in missing.values():
            span = Span(organisation_ids, same_kind[0].start, same_kind[-1].end, using)
            counted = _count(indicator, span, same_kind, today)
            if counted is None:  # the surveys are not installed: nothing to count
                unavailable = True
                break
            stored.update(
                snapshots_write(
                    REPORT,
                    [
                        (wanted[(key, period)], _counted_encoded(c))
                        for period, c in zip(same_kind, counted, strict=True)
                    ],
                    today=today,
                    read=read,
                )
            )
        if unavailable:
            result[key] = None
            continue
        shown = [stored[named[(key, p)]] for p in periods]
        counted_at += [s.computed_at for s in shown]
        result[key] = [_counted_decoded(s.payload) for s in shown]
    return result, min(counted_at, default=None)


def _small(m: calc.Measure) -> bool:
    """A figure about 1–4 people (counts) or fewer than five answers (a mean or median)."""
    return (
        is_small(m.numerator)
        or is_small(m.denominator)
        or is_small(m.n)
        or (not m.is_rate and 0 < m.n < MIN_COUNT)
    )


def _differs_by_few(shown: calc.Measure, own: calc.Measure) -> bool:
    """Would subtracting the reader's own organisation's figure from this one (the region's)
    leave the other organisations' people at 1–4 in the numerator, the denominator or n?"""
    pairs = (
        (shown.numerator, own.numerator),
        (shown.denominator, own.denominator),
        (shown.n, own.n),
    )
    return any(a is not None and b is not None and is_small(a - b) for a, b in pairs)


def _hidden_scopes(
    measures: dict[str | None, calc.Measure],
    parts: Sequence[str | None],
    own: dict[str | None, calc.Measure] | None = None,
) -> set[str | None]:
    """Scopes whose figure is suppressed in one period: primary (a count of 1–4 people, a
    mean or median of fewer than five; in the region's view of a reader who also sees their
    own organisation's, a figure that differs from it by 1–4 people), then secondary over the
    line "municipalities → total" for each count shown (numerator, denominator, n), repeated
    until nothing can be worked back.
    """
    hidden = {scope for scope, m in measures.items() if _small(m)}
    if own is not None:
        hidden |= {scope for scope, m in measures.items() if _differs_by_few(m, own[scope])}
    counts = ("numerator", "denominator", "n")
    while True:
        values: dict[tuple[str, str | None], int] = {}
        for scope, m in measures.items():
            for kind in counts:
                count = getattr(m, kind)
                if count is not None:
                    values[(kind, scope)] = 1 if scope in hidden else count
        lines = [
            Line([(kind, p) for p in parts if (kind, p) in values], (kind, TOTAL))
            for kind in counts
            if (kind, TOTAL) in values
        ]
        more = {scope for _, scope in suppressed_cells(values, lines)} - hidden
        if not more:
            return hidden
        hidden |= more


def _quantize(value: Decimal | None, decimals: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


# Goals --------------------------------------------------------------------------------------


class GoalRow(NamedTuple):
    indicator: str
    organisation_id: int | None
    municipality: str | None
    period: Period
    target: Decimal


def goal_rows(keys: Collection[str], organisation_ids: Iterable[int], using: str) -> list[GoalRow]:
    """The goals that may apply to these organisations' figures (theirs and the region's)."""
    goals = (
        IndicatorGoal.objects.using(using)
        .filter(indicator__in=list(keys))
        .filter(Q(organisation__isnull=True) | Q(organisation_id__in=list(organisation_ids)))
    )
    return [
        GoalRow(key, org, muni, Period(start, kind), target)  # type: ignore[arg-type]
        for key, org, muni, kind, start, target in goals.values_list(
            "indicator",
            "organisation_id",
            "municipality__code",
            "period_kind",
            "period_start",
            "target",
        )
    ]


def goal_for(
    goals: Iterable[GoalRow],
    key: str,
    organisation_id: int | None,
    municipality: str | None,
    period: Period,
) -> Decimal | None:
    """The goal of the figure's own scope, else the organisation's, else the region's for the
    municipality, else the region's; within a scope the narrowest goal period covering it."""
    order = [
        (organisation_id, municipality),
        (organisation_id, None),
        (None, municipality),
        (None, None),
    ]
    candidates = [g for g in goals if g.indicator == key and g.period.covers(period)]
    for org, muni in order:
        matching = [g for g in candidates if g.organisation_id == org and g.municipality == muni]
        if matching:
            return min(matching, key=lambda g: g.period.months).target
    return None


def indicator_goal(
    key: str,
    *,
    organisation_id: int | None,
    municipality_code: str | None,
    period: Period,
    using: str,
) -> Decimal | None:
    """The goal a figure of the indicator is compared with (``goal_for``), in one query; for
    other pages that show an indicator's headline figure (the situation picture)."""
    organisation_ids = () if organisation_id is None else (organisation_id,)
    goals = goal_rows([key], organisation_ids, using)
    return goal_for(goals, key, organisation_id, municipality_code, period)


# Public indicators --------------------------------------------------------------------------


GoalOf = Callable[[str | None, Period], Decimal | None]  # a figure's goal by scope and period
PublicRow = tuple[str, dt.date, Decimal, str, dt.date]  # municipality, month, value, source, day


def _public_rows(
    keys: Sequence[str], span: Span, parts: Sequence[str]
) -> dict[str, list[PublicRow]]:
    """The imported figures of the public indicators ``keys`` in the span, in one query."""
    rows: dict[str, list[PublicRow]] = {key: [] for key in keys}
    if not keys:
        return rows
    for key, *row in (
        PublicIndicatorValue.objects.using(span.using)
        .filter(
            indicator__in=list(keys),
            month__range=(span.first, span.last),
            municipality__code__in=list(parts),
        )
        .values_list(
            "indicator",
            "municipality__code",
            "month",
            "value",
            "source_import__source",
            "source_import__published_on",
        )
    ):
        rows[key].append(tuple(row))  # type: ignore[arg-type]
    return rows


def _public_values(
    indicator: Indicator,
    rows: list[PublicRow],
    scopes: Sequence[str | None],
    parts: Sequence[str],
    periods: Sequence[Period],
    goal_of: GoalOf,
) -> dict[str | None, list[IndicatorValue]]:
    figures = [calc.PublicFigure(m, month, value) for m, month, value, _, _ in rows]
    sources = {(m, month): (source, day) for m, month, _, source, day in rows}
    result: dict[str | None, list[IndicatorValue]] = {scope: [] for scope in scopes}
    for period in periods:
        latest = calc.public_latest(figures, period, parts)
        used = [
            sources[(m, month)]
            for m, month, _, _, _ in rows
            if m in latest and period.contains(month)
        ]
        source, day = max(used, key=lambda s: s[1]) if used else ("", None)
        for scope in scopes:
            if scope is TOTAL:
                summable = indicator.unit == "count" and latest
                value = sum(latest.values(), Decimal(0)) if summable else None
            else:
                value = latest.get(scope)
            small = indicator.unit == "count" and value is not None and is_small(int(value))
            result[scope].append(
                IndicatorValue(
                    key=indicator.key,
                    period=period,
                    value=None if small else _quantize(value, indicator.decimals),
                    numerator=None,
                    denominator=None,
                    n=None,
                    goal=goal_of(scope, period),
                    suppressed=small,
                    decimals=indicator.decimals,
                    small=small,
                    unit=indicator.unit,
                    source=source,
                    source_date=day,
                )
            )
    return result


# The entry points ---------------------------------------------------------------------------


def _by_scope(
    counted: list[Counted] | None, scopes: Sequence[str | None]
) -> dict[str | None, list[calc.Measure]] | None:
    return None if counted is None else {scope: [c.of(scope) for c in counted] for scope in scopes}


class IndicatorFigures(NamedTuple):
    table: dict[str, dict[str | None, list[IndicatorValue]]]
    counted_at: dt.datetime | None  # when the oldest counted figure was counted (None: none)


def indicator_figures(
    keys: Sequence[str],
    *,
    organisation_id: int | None,
    municipality_codes: Sequence[str],
    periods: Sequence[Period],
    using: str,
    today: dt.date | None = None,
    reader_organisation_id: int | None = None,
) -> IndicatorFigures:
    """Every indicator of ``keys`` for the organisation's own figure (key None) and for each
    municipality of ``municipality_codes``, per period (oldest first). ``organisation_id``
    None is the whole region. Suppression is applied across the municipalities and the total
    together, so the figures of one table never reveal a hidden one; in the region's view,
    ``reader_organisation_id`` (the reader's own organisation, whose figures they also see)
    hides the region's figures that differ from their own by 1–4 people."""
    today = today or timezone.localdate()
    periods = sorted(periods)
    if not periods:
        return IndicatorFigures({key: {} for key in keys}, None)
    organisation_ids = None if organisation_id is None else (organisation_id,)
    parts: list[str] = list(dict.fromkeys(municipality_codes))
    scopes: list[str | None] = [TOTAL, *parts]
    goals = goal_rows(keys, organisation_ids or (), using)
    counted_keys = [key for key in keys if indicator_get(key).kind != "public"]
    span = Span(organisation_ids, periods[0].start, periods[-1].end, using)
    public = _public_rows([key for key in keys if key not in counted_keys], span, parts)
    counts, counted_at = indicator_counts(
        counted_keys, organisation_id=organisation_id, periods=periods, using=using, today=today
    )
    own_counts: dict[str, list[Counted] | None] = {}
    if organisation_id is None and reader_organisation_id is not None:
        own_counts, _own_at = indicator_counts(
            counted_keys,
            organisation_id=reader_organisation_id,
            periods=periods,
            using=using,
            today=today,
        )
    table: dict[str, dict[str | None, list[IndicatorValue]]] = {}
    for key in keys:
        indicator = indicator_get(key)

        def goal_of(scope: str | None, period: Period, key: str = key) -> Decimal | None:
            return goal_for(goals, key, organisation_id, scope, period)

        if indicator.kind == "public":
            values = _public_values(indicator, public[key], scopes, parts, periods, goal_of)
        else:
            measured = _by_scope(counts[key], scopes)
            own = _by_scope(own_counts.get(key), scopes)
            values = _protected(indicator, measured, scopes, parts, periods, goal_of, own)
        table[key] = values
    return IndicatorFigures(table, counted_at)


def _protected(
    indicator: Indicator,
    measured: dict[str | None, list[calc.Measure]] | None,
    scopes: Sequence[str | None],
    parts: Sequence[str],
    periods: Sequence[Period],
    goal_of: GoalOf,
    own: dict[str | None, list[calc.Measure]] | None = None,
) -> dict[str | None, list[IndicatorValue]]:
    result: dict[str | None, list[IndicatorValue]] = {scope: [] for scope in scopes}
    for index, period in enumerate(periods):
        if measured is None:  # the surveys are not installed: nothing to show
            for scope in scopes:
                result[scope].append(
                    IndicatorValue(
                        indicator.key,
                        period,
                        None,
                        None,
                        None,
                        None,
                        goal_of(scope, period),
                        False,
                        decimals=indicator.decimals,
                        unit=indicator.unit,
                    )
                )
            continue
        in_period = {scope: measured[scope][index] for scope in scopes}
        own_in_period = None if own is None else {scope: own[scope][index] for scope in scopes}
        hidden = _hidden_scopes(in_period, parts, own_in_period)
        for scope in scopes:
            m = in_period[scope]
            suppressed = scope in hidden
            result[scope].append(
                IndicatorValue(
                    key=indicator.key,
                    period=period,
                    value=None if suppressed else _quantize(m.value, indicator.decimals),
                    numerator=None if suppressed else m.numerator,
                    denominator=None if suppressed else m.denominator,
                    n=None if suppressed else m.n,
                    goal=goal_of(scope, period),
                    suppressed=suppressed,
                    decimals=indicator.decimals,
                    small=suppressed and _small(m),
                    unit=indicator.unit,
                )
            )
    return result


def region_municipalities(using: str) -> list[Municipality]:
    """Every municipality of the region, by name (the regional view's columns)."""
    return list(Municipality.objects.using(using).order_by("name_fi"))


def goals_listed(
    organisation: Organisation | None,
) -> tuple[list[IndicatorGoal], list[IndicatorGoal]]:
    """The goals page's lists (on the primary: the reader is about to change them): the
    organisation's own goals and the region's shared ones; ``organisation`` None (the
    steering group) lists the region's goals, also those of one municipality, as its own."""
    region = IndicatorGoal.objects.filter(organisation__isnull=True).select_related("municipality")
    if organisation is None:
        return list(region.order_by("indicator", "municipality__name_fi", "-period_start")), []
    own = (
        IndicatorGoal.objects.filter(organisation=organisation)
        .select_related("municipality")
        .order_by("indicator", "municipality__name_fi", "-period_start")
    )
    shared = region.filter(municipality__isnull=True).order_by("indicator", "-period_start")
    return list(own), list(shared)


def municipalities_of(organisation_id: int | None, using: str) -> list[str]:
    """The municipalities a figure of the organisation (None: the region) is split into."""
    if organisation_id is None:
        return list(Municipality.objects.using(using).values_list("code", flat=True))
    return list(
        Organisation.objects.using(using)
        .get(pk=organisation_id)
        .municipalities.values_list("code", flat=True)
    )


def indicator_values(
    key: str,
    *,
    organisation_id: int | None,
    municipality_code: str | None,
    periods: Sequence[Period],
    using: str,
    today: dt.date | None = None,
    reader_organisation_id: int | None = None,
) -> list[IndicatorValue]:
    """THE entry point: one indicator's figures per period, oldest first, for one organisation
    (None: the whole region; ``reader_organisation_id`` as in ``indicator_figures``) and
    optionally one municipality, as the management page and the API show them (small-number
    rule applied with the same municipalities as on the page, goal attached). A fixed number
    of queries whatever the number of records."""
    siblings = municipalities_of(organisation_id, using)
    if municipality_code is not None and municipality_code not in siblings:
        siblings.append(municipality_code)
    table = indicator_figures(
        [key],
        organisation_id=organisation_id,
        municipality_codes=siblings,
        periods=periods,
        using=using,
        today=today,
        reader_organisation_id=reader_organisation_id,
    ).table
    return table[key][municipality_code]


def indicator_keys() -> list[str]:
    return list(indicators_all())
