"""The situation picture's figures (issue 15 part 3): counted from the work itself.

One entry point, ``situation_figures``, reads the rows it needs in a fixed number of queries
(``.using(reporting_db())`` by the caller's choice of alias) and hands them to the pure
``situation_compute``, which returns plain data: raw counts per table, row and column (the
municipality the client lives in), and medians with the number of paths behind them. Nothing
here is protected yet: ``situation.tables`` applies the small-number rule before anything is
shown or exported, and the benchmark compares these raw figures with its own reference query.

What counts (also in docs/adr/0025-knowledge-based-management.md):

- a path is *in service* in a period when it was opened (``referred_on``) on or before the
  period's last day and not closed before its first day; each such path is either open at the
  period's end, in one status, or closed within it (``state``), and is counted once by the
  client's age group; *new* paths were opened within the period; the state *at the period's
  end* is read at its last day, or today for the running period (referred until
  ``started_on``, intake until the path's move to active, then active). Paths, not distinct
  clients, are counted here so that these tables add up exactly (in service = open at the
  end + closed = open at the previous end + new), which lets the small-number rule protect
  them together; a client has at most one open path per organisation;
- the column is the client's home municipality (``ClientIdentity.municipality``); clients
  living elsewhere, or whose municipality is not known, are one column of their own, so the
  columns always add up to the total;
- age is the client's age in whole years at the period's end, in ten-year groups;
- support needs and services used count distinct clients (rows overlap, nothing adds up);
- support needs are the items checked in the client's latest support-need checklist and the
  self-assessment areas scored below 7 in the latest self-assessment, answered on or before
  the period's end, among the clients in service; only answers the organisation keeps count;
- services used by area of life: clients in service with a referral sent in the period to a
  catalogue service (not declined or cancelled), or whose plan at the period's end has an action
  under way or done that uses a catalogue service, by the service's areas of life (a service may
  serve several areas, a client may use several);
- waiting: clients with a referral still unanswered at the period's end (cancelled referrals
  left out: when they were cancelled is not recorded), split by whether any of them is past its
  answer date; reviews (interim, final and plan reviews) due in the period, split into done by
  their due date and late (done later or not yet), and reviews overdue at the period's end;
- durations: days from opening to the first meeting (the move to intake), to the first plan and
  to closing for paths that reached that step in the period; for paths open at the period's end,
  days since opening, by status.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from tyollisyystalo.cases.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    CaseOutcome,
    CaseStatus,
    DeadlineKind,
    EntryRoute,
    EventKind,
)
from tyollisyystalo.catalogue.models import Attribute, TaxonomyTerm
from tyollisyystalo.catalogue.vocabularies import AREA
from tyollisyystalo.indicators.periods import Period, parse_period
from tyollisyystalo.instruments.models import InstrumentResponse
from tyollisyystalo.instruments.registry import instrument_get
from tyollisyystalo.management.snapshots import snapshot_key, snapshots_read, snapshots_write
from tyollisyystalo.plans.models import Plan, PlanVersion
from tyollisyystalo.referrals.models import Referral, ReferralStatus

OTHER = "_other"  # column: clients living outside the scope's municipalities, or not known
TOTAL = "_total"  # column of medians over every path (counts add their columns up instead)

CHECKLIST = "support_need_checklist"
SELF_ASSESSMENT = "self_assessment"
SELF_ASSESSMENT_BELOW = Decimal(7)
PLAN_ACTIONS_USING = ("ongoing", "done")  # a plan action that uses its service
REVIEW_KINDS = (DeadlineKind.INTERIM_REVIEW, DeadlineKind.FINAL_REVIEW, DeadlineKind.PLAN_REVIEW)

# Age groups: (key, lowest age, highest age or None); "unknown" when there is no birth date.
AGE_GROUPS: tuple[tuple[str, int, int | None], ...] = (
    ("under_25", 0, 24),
    ("25_34", 25, 34),
    ("35_44", 35, 44),
    ("45_54", 45, 54),
    ("55_64", 55, 64),
    ("65_over", 65, None),
)
AGE_UNKNOWN = "unknown"

OPEN_STATUSES = (CaseStatus.REFERRED.value, CaseStatus.INTAKE.value, CaseStatus.ACTIVE.value)
DURATION_ROWS = (
    "to_first_meeting",
    "to_first_plan",
    "to_closing",
    *(f"open_{status}" for status in OPEN_STATUSES),
)


# Rows as read from the database: plain tuples, so the computation can be tested without it.


@dataclass(frozen=True)
class PathRow:
    id: object
    client_id: object
    municipality: str | None
    birth_date: dt.date | None
    entry_route: str
    referred_on: dt.date
    started_on: dt.date | None
    active_on: dt.date | None
    first_plan_on: dt.date | None
    closed_on: dt.date | None
    outcome: str


@dataclass(frozen=True)
class ReferralRow:
    client_id: object
    municipality: str | None
    sent_on: dt.date
    answered_on: dt.date | None
    answer_due_on: dt.date
    status: str
    service_id: str | None


@dataclass(frozen=True)
class ReviewRow:
    """Reviews alike in municipality and dates, and how many there are (read grouped)."""

    municipality: str | None
    due_on: dt.date
    done_on: dt.date | None
    cancelled_on: dt.date | None
    count: int = 1


@dataclass(frozen=True)
class AnswerRow:
    """The latest answers of one client to one instrument at a period's end."""

    client_id: object
    instrument_key: str
    answered_on: dt.date
    id: int
    answers: dict[str, Decimal]


@dataclass(frozen=True)
class PlanServicesRow:
    """The catalogue services of the actions under way or done in one plan as it stood at a
    period's end (its latest version by then)."""

    client_id: object
    services: tuple[str, ...]


@dataclass(frozen=True)
class Median:
    n: int  # paths behind the median
    value: float | None  # days; None when n is 0


@dataclass
class PeriodFigures:
    """Raw figures of one period: count tables (table → row → column → count, every row and
    column present) and durations (row → column, with ``TOTAL``, → median)."""

    period: Period
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    durations: dict[str, dict[str, Median]] = field(default_factory=dict)


@dataclass
class SituationFigures:
    columns: tuple[str, ...]  # municipality codes in the scope's order, then OTHER
    current: PeriodFigures
    previous: PeriodFigures
    support_need_rows: tuple[str, ...]
    area_rows: tuple[str, ...]
    area_labels: dict[str, tuple[str, str, str]]  # code → names in fi, sv, en


def support_need_rows() -> tuple[str, ...]:
    """Checklist items, then the self-assessment's areas (``self:<area>``), in their order."""
    checklist = instrument_get(CHECKLIST)
    assessment = instrument_get(SELF_ASSESSMENT)
    return (
        *(item.code for item in checklist.items),
        *(f"self:{domain.code}" for domain in assessment.domains),
    )


def effective_end(period: Period, today: dt.date) -> dt.date:
    """The day the state "at the period's end" is read: its last day, or today if sooner."""
    return min(period.end, today)


def age_group(birth_date: dt.date | None, on: dt.date) -> str:
    if birth_date is None:
        return AGE_UNKNOWN
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    for key, lowest, highest in AGE_GROUPS:
        if age >= lowest and (highest is None or age <= highest):
            return key
    return AGE_UNKNOWN


def _within(period: Period, day: dt.date | None) -> bool:
    return day is not None and period.contains(day)


def _grid(rows: Iterable[str], columns: Sequence[str]) -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(columns, 0) for row in rows}


def _median(values: list[int]) -> Median:
    return Median(len(values), float(statistics.median(values)) if values else None)


def situation_compute(
    *,
    period: Period,
    today: dt.date,
    columns: Sequence[str],
    paths: Sequence[PathRow],
    referrals: Sequence[ReferralRow],
    reviews: Sequence[ReviewRow],
    answers: Sequence[AnswerRow],
    plan_services: Sequence[PlanServicesRow] = (),
    service_areas: Mapping[str, Sequence[str]],
    need_rows: Sequence[str],
    area_rows: Sequence[str],
) -> PeriodFigures:
    """The figures of one period from the rows read for it. Pure."""
    known = set(columns)

    def column(municipality: str | None) -> str:
        return municipality if municipality in known else OTHER

    end = effective_end(period, today)
    figures = PeriodFigures(period)
    counts = figures.counts
    ages = counts["age_group"] = _grid([*(g[0] for g in AGE_GROUPS), AGE_UNKNOWN], columns)
    routes = counts["entry_route"] = _grid(EntryRoute.values, columns)
    outcomes = counts["outcome"] = _grid(CaseOutcome.values, columns)
    # Every path in service is open at the end in one status, or closed in the period.
    state = counts["state"] = _grid([*OPEN_STATUSES, CaseStatus.CLOSED.value], columns)
    needs = counts["support_need"] = _grid(need_rows, columns)
    areas = counts["service_area"] = _grid(area_rows, columns)
    waiting = counts["referrals_waiting"] = _grid(("not_due", "past_due"), columns)
    reviews_due = counts["reviews_due"] = _grid(("on_time", "late"), columns)
    overdue = counts["reviews_overdue"] = _grid(("overdue",), columns)
    spans: dict[str, dict[str, list[int]]] = {
        row: {c: [] for c in [*columns, TOTAL]} for row in DURATION_ROWS
    }

    def add_span(row: str, where: str, days: int) -> None:
        spans[row][where].append(days)
        spans[row][TOTAL].append(days)

    in_service: dict[object, str] = {}
    for path in paths:
        where = column(path.municipality)
        if path.referred_on > period.end or (
            path.closed_on is not None and path.closed_on < period.start
        ):
            continue
        in_service.setdefault(path.client_id, where)
        ages[age_group(path.birth_date, end)][where] += 1
        if _within(period, path.referred_on):
            routes[path.entry_route][where] += 1
        if _within(period, path.closed_on):
            outcomes[path.outcome][where] += 1
            state[CaseStatus.CLOSED.value][where] += 1
            assert path.closed_on is not None
            add_span("to_closing", where, (path.closed_on - path.referred_on).days)
        if _within(period, path.started_on):
            assert path.started_on is not None
            add_span("to_first_meeting", where, (path.started_on - path.referred_on).days)
        if _within(period, path.first_plan_on):
            assert path.first_plan_on is not None
            add_span("to_first_plan", where, (path.first_plan_on - path.referred_on).days)
        if path.referred_on <= end and (path.closed_on is None or path.closed_on > end):
            if path.started_on is None or path.started_on > end:
                status = CaseStatus.REFERRED.value
            elif path.active_on is None or path.active_on > end:
                status = CaseStatus.INTAKE.value
            else:
                status = CaseStatus.ACTIVE.value
            state[status][where] += 1
            add_span(f"open_{status}", where, (end - path.referred_on).days)

    for answer in answers:
        where_or_none = in_service.get(answer.client_id)
        if where_or_none is None:
            continue
        if answer.instrument_key == CHECKLIST:
            checked = [code for code, value in answer.answers.items() if value > 0]
        else:
            checked = [
                f"self:{code}"
                for code, value in answer.answers.items()
                if value < SELF_ASSESSMENT_BELOW
            ]
        for row in checked:
            if row in needs:
                needs[row][where_or_none] += 1

    used: set[tuple[object, str]] = set()

    def use(client_id: object, where: str, service_id: str) -> None:
        for area in service_areas.get(service_id, ()):
            if area in areas and (client_id, area) not in used:
                used.add((client_id, area))
                areas[area][where] += 1

    for plan in plan_services:
        if (where_or_none := in_service.get(plan.client_id)) is not None:
            for service_id in plan.services:
                use(plan.client_id, where_or_none, service_id)
    waiting_clients: dict[object, tuple[str, bool]] = {}  # client → (column, any past due)
    for referral in referrals:
        where = column(referral.municipality)
        if (
            _within(period, referral.sent_on)
            and referral.status not in (ReferralStatus.DECLINED, ReferralStatus.CANCELLED)
            and referral.service_id is not None
        ):
            use(referral.client_id, where, referral.service_id)
        unanswered = referral.answered_on is None or referral.answered_on > end
        if referral.status != ReferralStatus.CANCELLED and referral.sent_on <= end and unanswered:
            _held, past_due = waiting_clients.get(referral.client_id, (where, False))
            waiting_clients[referral.client_id] = (where, past_due or referral.answer_due_on < end)
    for where, past_due in waiting_clients.values():
        waiting["past_due" if past_due else "not_due"][where] += 1

    for review in reviews:
        where = column(review.municipality)
        cancelled_before_due = (
            review.done_on is None
            and review.cancelled_on is not None
            and review.cancelled_on <= review.due_on
        )
        if _within(period, review.due_on) and not cancelled_before_due:
            on_time = review.done_on is not None and review.done_on <= review.due_on
            reviews_due["on_time" if on_time else "late"][where] += review.count
        if (
            review.due_on < end
            and (review.done_on is None or review.done_on > end)
            and (review.cancelled_on is None or review.cancelled_on > end)
        ):
            overdue["overdue"][where] += review.count

    figures.durations = {
        row: {where: _median(days) for where, days in by_column.items()}
        for row, by_column in spans.items()
    }
    return figures


# Reading the rows: a fixed number of queries whatever the amount of data.


def _paths(
    db: str, organisation_ids: Sequence[int] | None, first: dt.date, end: dt.date
) -> QuerySet[Case]:
    cases = Case.objects.using(db).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=first), referred_on__lte=end
    )
    if organisation_ids is not None:
        cases = cases.filter(owner_organisation_id__in=organisation_ids)
    return cases.order_by()


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _after(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` (local time)."""
    return _start_of(day + dt.timedelta(days=1))


@dataclass(frozen=True)
class Rows:
    paths: list[PathRow]
    referrals: list[ReferralRow]
    reviews: list[ReviewRow]
    answers: dict[dt.date, list[AnswerRow]]  # the latest at each end day
    plan_services: dict[dt.date, list[PlanServicesRow]]  # plans as they stood at each end day


def situation_rows(
    *,
    organisation_ids: Sequence[int] | None,
    first: dt.date,
    end: dt.date,
    ends: Sequence[dt.date],
    using: str,
) -> Rows:
    """Every row the periods from ``first`` to ``end`` need. Five queries."""
    cases = _paths(using, organisation_ids, first, end)
    active_on = CaseEvent.objects.filter(
        case=OuterRef("pk"), kind=EventKind.STATUS, to_status=CaseStatus.ACTIVE
    ).values("effective_on")[:1]
    first_plan = (
        Plan.objects.filter(case=OuterRef("pk")).order_by("started_on").values("started_on")[:1]
    )
    paths = [
        PathRow(*row)
        for row in cases.annotate(
            active_on=Subquery(active_on), first_plan_on=Subquery(first_plan)
        ).values_list(
            "id",
            "client_id",
            "client__identity__municipality__code",
            "client__identity__birth_date",
            "entry_route",
            "referred_on",
            "started_on",
            "active_on",
            "first_plan_on",
            "closed_on",
            "outcome",
        )
    ]
    first_moment = _start_of(first)
    after_end = _after(end)
    referral_rows = (
        Referral.objects.using(using)
        .filter(case__in=cases.values("pk"), created_at__lt=after_end)
        .filter(
            Q(created_at__gte=first_moment)
            | Q(answered_at__isnull=True)
            | Q(answered_at__gte=first_moment)
        )
        .exclude(status=ReferralStatus.CANCELLED)
        .order_by()
        .values_list(
            "case__client_id",
            "case__client__identity__municipality__code",
            "created_at",
            "answered_at",
            "answer_due_on",
            "status",
            "service_id",
        )
    )
    referrals = [
        ReferralRow(
            client,
            where,
            timezone.localdate(sent),
            _local_day(answered),
            due,
            status,
            None if service is None else str(service),
        )
        for client, where, sent, answered, due, status, service in referral_rows
    ]
    # Grouped by municipality and dates: reviews that are alike are read as one row with
    # their count (most reviews of a period share a handful of due and done dates).
    review_rows = (
        CaseDeadline.objects.using(using)
        .filter(case__in=cases.values("pk"), kind__in=REVIEW_KINDS, due_on__lte=end)
        .filter(Q(due_on__gte=first) | Q(done_on__isnull=True) | Q(done_on__gte=first))
        .order_by()
        .values_list(
            "case__client__identity__municipality__code",
            "due_on",
            "done_on",
            TruncDate("cancelled_at"),
        )
        .annotate(count=Count("id"))
    )
    reviews = [
        ReviewRow(where, due, done, cancelled, count)
        for where, due, done, cancelled, count in review_rows
    ]
    return Rows(
        paths,
        referrals,
        reviews,
        _latest_answers(using, organisation_ids, cases, ends),
        _plan_services(using, cases, ends),
    )


def _plan_services(
    db: str, cases: QuerySet[Case], ends: Sequence[dt.date]
) -> dict[dt.date, list[PlanServicesRow]]:
    """The services of the actions under way or done in each plan's latest version at each end
    day; only those versions are read and decrypted."""
    latest_at = Q()
    for day in ends:
        later = PlanVersion.objects.filter(
            plan=OuterRef("plan"), number__gt=OuterRef("number"), created_at__lt=_after(day)
        )
        latest_at |= Q(Q(created_at__lt=_after(day)), ~Exists(later))
    versions = (
        PlanVersion.objects.using(db)
        .filter(latest_at, plan__case__in=cases.values("pk"))
        .order_by()
        .values_list("plan_id", "number", "created_at", "plan__client_id", "content_json")
    )
    rows = []
    for plan_id, number, created, client_id, content in versions:
        actions = json.loads(content).get("actions", ())
        services = tuple(
            str(a["service_id"])
            for a in actions
            if a.get("service_id") and a.get("status") in PLAN_ACTIONS_USING
        )
        rows.append((plan_id, number, timezone.localdate(created), client_id, services))
    by_end: dict[dt.date, list[PlanServicesRow]] = {}
    for day in ends:
        newest: dict[object, tuple[int, object, tuple[str, ...]]] = {}
        for plan_id, number, created_on, client_id, services in rows:
            if created_on <= day and (plan_id not in newest or number > newest[plan_id][0]):
                newest[plan_id] = (number, client_id, services)
        by_end[day] = [
            PlanServicesRow(client_id, services)
            for _number, client_id, services in newest.values()
            if services
        ]
    return by_end


def _latest_answers(
    db: str, organisation_ids: Sequence[int] | None, cases: QuerySet[Case], ends: Sequence[dt.date]
) -> dict[dt.date, list[AnswerRow]]:
    """The latest checklist and self-assessment of each client at each end day; only those
    answers are read and decrypted."""
    latest_at = Q()
    for day in ends:
        later = InstrumentResponse.objects.filter(
            Q(answered_on__gt=OuterRef("answered_on"))
            | Q(answered_on=OuterRef("answered_on"), id__gt=OuterRef("id")),
            client_id=OuterRef("client_id"),
            instrument_key=OuterRef("instrument_key"),
            answered_on__lte=day,
        )
        if organisation_ids is not None:
            later = later.filter(owner_organisation_id__in=organisation_ids)
        latest_at |= Q(Q(answered_on__lte=day), ~Exists(later))
    responses = InstrumentResponse.objects.using(db).filter(
        latest_at,
        instrument_key__in=(CHECKLIST, SELF_ASSESSMENT),
        client_id__in=cases.values("client_id"),
    )
    if organisation_ids is not None:
        responses = responses.filter(owner_organisation_id__in=organisation_ids)
    rows = [
        AnswerRow(client, key, answered, pk, {k: Decimal(v) for k, v in json.loads(data).items()})
        for pk, client, key, answered, data in responses.order_by().values_list(
            "id", "client_id", "instrument_key", "answered_on", "answers_json"
        )
    ]
    by_end: dict[dt.date, list[AnswerRow]] = {}
    for day in ends:
        newest: dict[tuple[object, str], AnswerRow] = {}
        for row in rows:
            if row.answered_on > day:
                continue
            held = newest.get((row.client_id, row.instrument_key))
            if held is None or (row.answered_on, row.id) > (held.answered_on, held.id):
                newest[(row.client_id, row.instrument_key)] = row
        by_end[day] = list(newest.values())
    return by_end


AreaNames = dict[str, tuple[str, str, str]]


def service_areas(using: str) -> tuple[dict[str, list[str]], tuple[str, ...], AreaNames]:
    """Each catalogue service's areas of life (by the service's id as text), the areas in order
    and their names. Two queries."""
    mapping: dict[str, list[str]] = defaultdict(list)
    for service_id, code in (
        Attribute.objects.using(using)
        .filter(taxonomy_term__taxonomy__code=AREA)
        .values_list("service_id", "taxonomy_term__code")
    ):
        mapping[str(service_id)].append(code)
    terms = list(
        TaxonomyTerm.objects.using(using)
        .filter(taxonomy__code=AREA)
        .order_by("position", "code")
        .values_list("code", "name_fi", "name_sv", "name_en")
    )
    return (
        dict(mapping),
        tuple(code for code, *_names in terms),
        {code: (fi, sv, en) for code, fi, sv, en in terms},
    )


def situation_figures(
    *,
    organisation_ids: Sequence[int] | None,
    municipality_codes: Sequence[str],
    period: Period,
    using: str,
    today: dt.date | None = None,
) -> SituationFigures:
    """THE entry point: the raw figures of ``period`` and the period before it, per
    municipality (``municipality_codes`` in order, then ``OTHER``), for the paths of the given
    organisations (``None``: every organisation, the regional aggregate). Seven queries."""
    today = today or timezone.localdate()
    previous = period.previous()
    ends = (effective_end(period, today), effective_end(previous, today))
    rows = situation_rows(
        organisation_ids=organisation_ids,
        first=previous.start,
        end=ends[0],
        ends=ends,
        using=using,
    )
    areas_of, area_rows, area_labels = service_areas(using)
    need_rows = support_need_rows()
    columns = (*municipality_codes, OTHER)

    def compute(which: Period, end: dt.date) -> PeriodFigures:
        return situation_compute(
            period=which,
            today=today,
            columns=columns,
            paths=rows.paths,
            referrals=rows.referrals,
            reviews=rows.reviews,
            answers=rows.answers[end],
            plan_services=rows.plan_services[end],
            service_areas=areas_of,
            need_rows=need_rows,
            area_rows=area_rows,
        )

    return SituationFigures(
        columns=columns,
        current=compute(period, ends[0]),
        previous=compute(previous, ends[1]),
        support_need_rows=need_rows,
        area_rows=area_rows,
        area_labels=area_labels,
    )


# The reporting store: the figures as counted, kept per scope and period (ADR 0026) ----------

REPORT = "situation"


# Stored as lists, never as objects whose key order matters: PostgreSQL's jsonb reorders keys.


def _period_encoded(figures: PeriodFigures, columns: Sequence[str]) -> dict[str, Any]:
    return {
        "period": figures.period.code,
        "counts": [
            [table, [[row, [cells[c] for c in columns]] for row, cells in rows.items()]]
            for table, rows in figures.counts.items()
        ],
        "durations": [
            [row, [[c, m.n, m.value] for c, m in cells.items()]]
            for row, cells in figures.durations.items()
        ],
    }


def _ordered(cells: dict[str, int], columns: Sequence[str]) -> dict[str, int]:
    return {c: cells[c] for c in columns}


def _period_decoded(
    payload: dict[str, Any], stored_columns: Sequence[str], columns: Sequence[str]
) -> PeriodFigures:
    return PeriodFigures(
        period=parse_period(payload["period"]),
        counts={
            table: {
                row: _ordered(dict(zip(stored_columns, cells, strict=True)), columns)
                for row, cells in rows
            }
            for table, rows in payload["counts"]
        },
        durations={
            row: {c: Median(n, value) for c, n, value in cells}
            for row, cells in payload["durations"]
        },
    )


def _figures_encoded(figures: SituationFigures) -> dict[str, Any]:
    columns = list(figures.columns)
    return {
        "columns": columns,
        "current": _period_encoded(figures.current, columns),
        "previous": _period_encoded(figures.previous, columns),
        "support_need_rows": list(figures.support_need_rows),
        "area_rows": list(figures.area_rows),
        "area_labels": [[code, *names] for code, names in figures.area_labels.items()],
    }


def _figures_decoded(payload: dict[str, Any], columns: tuple[str, ...]) -> SituationFigures:
    stored = payload["columns"]
    return SituationFigures(
        columns=columns,
        current=_period_decoded(payload["current"], stored, columns),
        previous=_period_decoded(payload["previous"], stored, columns),
        support_need_rows=tuple(payload["support_need_rows"]),
        area_rows=tuple(payload["area_rows"]),
        area_labels={code: (fi, sv, en) for code, fi, sv, en in payload["area_labels"]},
    )


def situation_counted(
    *,
    organisation_ids: Sequence[int] | None,
    municipality_codes: Sequence[str],
    period: Period,
    using: str,
    today: dt.date | None = None,
    recount: bool = False,
    read: bool = True,
) -> tuple[SituationFigures, dt.datetime]:
    """``situation_figures`` through the reporting store: the kept figures while fresh, else
    counted and kept; and when they were counted. ``recount`` counts again (``run_scheduled``);
    ``read`` False keeps a new one as not yet read (the job's warming).
    The scope's municipalities are a set here (their order only orders the columns)."""
    today = today or timezone.localdate()
    params = {
        "organisations": None if organisation_ids is None else sorted(organisation_ids),
        "municipalities": sorted(municipality_codes),
        "period": period.code,
    }
    key = snapshot_key(params)
    stored = {} if recount else snapshots_read(REPORT, [params], today=today, read=read)
    if key not in stored:
        figures = situation_figures(
            organisation_ids=organisation_ids,
            municipality_codes=municipality_codes,
            period=period,
            using=using,
            today=today,
        )
        stored = snapshots_write(
            REPORT, [(params, _figures_encoded(figures))], today=today, read=read
        )
    columns = (*municipality_codes, OTHER)
    return _figures_decoded(stored[key].payload, columns), stored[key].computed_at
