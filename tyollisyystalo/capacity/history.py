"""The organisation's own event history, read for the simulator: fitted inputs at a date, and
what actually happened after it (the backtest's truth).

Read on ``reporting_db()``: the organisation's paths (entry route and the dates of referral,
first meeting and end), their coordinators and their review deadlines. Only dates and counts
leave this module; no client is named. A fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Q
from django.utils import timezone

from tyollisyystalo.capacity.model import DAYS_PER_MONTH, Fitted
from tyollisyystalo.cases.models import Case, CaseDeadline
from tyollisyystalo.clients.models import TeamMembership
from tyollisyystalo.coaching.models import CoachingPeriod
from tyollisyystalo.indicators.selectors import REVIEW_KINDS
from tyollisyystalo.management.reporting import reporting_db
from tyollisyystalo.organisations.models import Organisation

FIT_MONTHS = 12
BACKTEST_MONTHS = 6
DEFAULT_REVIEW_INTERVAL = 90.0
MIN_REVIEWS = 20  # fewer reviews in the fitting window: no share of late ones is fitted


@dataclass(frozen=True)
class Path:
    route: str
    referred_on: dt.date
    started_on: dt.date | None
    closed_on: dt.date | None


@dataclass(frozen=True)
class Lead:
    """A coordinator leading a path, from when to when (None: still)."""

    staff_id: int
    case_id: object
    started: dt.date
    ended: dt.date | None


@dataclass(frozen=True)
class Review:
    case_id: object
    due_on: dt.date
    done_on: dt.date | None
    cancelled_on: dt.date | None


@dataclass(frozen=True)
class Coaching:
    """A job coaching period of one of the organisation's clients, by any provider."""

    coach_id: int
    started_on: dt.date
    ended_on: dt.date | None

    def under_way(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


@dataclass(frozen=True)
class History:
    paths: dict[object, Path]
    leads: tuple[Lead, ...]
    reviews: tuple[Review, ...]
    coaching: tuple[Coaching, ...] = ()


def history_read(organisation: Organisation) -> History:
    db = reporting_db()
    paths: dict[object, Path] = {
        pk: Path(route, referred, started, closed)
        for pk, route, referred, started, closed in Case.objects.using(db)
        .filter(owner_organisation=organisation)
        .values_list("id", "entry_route", "referred_on", "started_on", "closed_on")
    }
    leads = tuple(
        Lead(
            staff_id,
            case_id,
            timezone.localdate(started),
            timezone.localdate(ended) if ended else None,
        )
        for staff_id, case_id, started, ended in TeamMembership.objects.using(db)
        .filter(is_coordinator=True, case__owner_organisation=organisation)
        .filter(started_at__isnull=False)
        .values_list("staff_member_id", "case_id", "started_at", "ended_at")
    )
    reviews = tuple(
        Review(case_id, due, done, timezone.localdate(cancelled) if cancelled else None)
        for case_id, due, done, cancelled in CaseDeadline.objects.using(db)
        .filter(case__owner_organisation=organisation, kind__in=REVIEW_KINDS)
        .values_list("case_id", "due_on", "done_on", "cancelled_at")
    )
    coaching = tuple(
        Coaching(coach_id, started, ended)
        for coach_id, started, ended in CoachingPeriod.objects.using(db)
        .filter(
            Q(case__owner_organisation=organisation)
            | Q(referral__case__owner_organisation=organisation)
        )
        .values_list("coach_id", "started_on", "ended_on")
    )
    return History(paths, leads, reviews, coaching)


def _months_before(day: dt.date, months: int) -> dt.date:
    return day - dt.timedelta(days=round(months * DAYS_PER_MONTH))


def _open_on(path: Path, day: dt.date) -> bool:
    """On a path that day: met, and not yet ended."""
    return (
        path.started_on is not None
        and path.started_on <= day
        and (path.closed_on is None or path.closed_on > day)
    )


def coordinators_on(history: History, day: dt.date) -> dict[int, int]:
    """Coordinator → the open paths they led that day."""
    led: dict[int, int] = defaultdict(int)
    for lead in history.leads:
        path = history.paths.get(lead.case_id)
        if path is None or not _open_on(path, day):
            continue
        if lead.started <= day and (lead.ended is None or lead.ended > day):
            led[lead.staff_id] += 1
    return led


def fit(history: History, as_of: dt.date, *, months: int = FIT_MONTHS) -> Fitted:
    """The simulation's inputs from the ``months`` before ``as_of``, and the state that day."""
    first = _months_before(as_of, months)
    arrivals: dict[str, list[float]] = {}
    for path in history.paths.values():
        if first < path.referred_on <= as_of:
            index = min(int((path.referred_on - first).days / DAYS_PER_MONTH), months - 1)
            arrivals.setdefault(path.route, [0.0] * months)[index] += 1
    lags = [
        float((p.started_on - p.referred_on).days)
        for p in history.paths.values()
        if p.started_on is not None and first < p.started_on <= as_of
    ]
    closed = [
        p for p in history.paths.values() if p.started_on and p.closed_on and p.closed_on <= as_of
    ]
    recent = [p for p in closed if p.closed_on and p.closed_on > first]
    durations = [
        float(max((p.closed_on - p.started_on).days, 1))  # type: ignore[operator]
        for p in (recent if len(recent) >= 10 else closed)
    ]
    led = coordinators_on(history, as_of)
    elapsed = [
        float((as_of - p.started_on).days)  # type: ignore[operator]
        for p in history.paths.values()
        if _open_on(p, as_of)
    ]
    referred = sum(sum(counts) for counts in arrivals.values())
    started = [c for c in history.coaching if first < c.started_on <= as_of]
    ended = [c for c in history.coaching if c.ended_on is not None and c.ended_on <= as_of]
    recent_ended = [c for c in ended if c.ended_on and c.ended_on > first]
    coached: dict[int, int] = defaultdict(int)
    for period in history.coaching:
        if period.under_way(as_of):
            coached[period.coach_id] += 1
    return Fitted(
        arrivals={route: tuple(counts) for route, counts in sorted(arrivals.items())},
        lags=tuple(lags),
        durations=tuple(durations),
        review_interval=_review_interval(history, first, as_of),
        review_on_time=_on_time_share(history, first, as_of),
        coaching_share=min(len(started) / referred, 1.0) if referred else 0.0,
        coaching_durations=tuple(
            float(max((c.ended_on - c.started_on).days, 1))  # type: ignore[operator]
            for c in (recent_ended if len(recent_ended) >= 10 else ended)
        ),
        coaches=len(coached),
        coach_cap=max(coached.values(), default=1),
        coaching_elapsed=tuple(
            float((as_of - c.started_on).days) for c in history.coaching if c.under_way(as_of)
        ),
        coordinators=len(led),
        cap=max(led.values(), default=1),
        elapsed=tuple(elapsed),
    )


def _reviews_due(history: History, first: dt.date, last: dt.date) -> list[Review]:
    """Reviews due in (first, last], not cancelled before their due date."""
    return [
        r
        for r in history.reviews
        if first < r.due_on <= last
        and not (r.done_on is None and r.cancelled_on is not None and r.cancelled_on <= r.due_on)
    ]


def _on_time_share(history: History, first: dt.date, last: dt.date) -> float:
    due = _reviews_due(history, first, last)
    if len(due) < MIN_REVIEWS:
        return 1.0
    return sum(1 for r in due if r.done_on is not None and r.done_on <= r.due_on) / len(due)


def _review_interval(history: History, first: dt.date, last: dt.date) -> float:
    """The median days between a path's consecutive reviews due in the window."""
    dues: dict[object, list[dt.date]] = defaultdict(list)
    for review in history.reviews:
        if first <= review.due_on <= last:
            dues[review.case_id].append(review.due_on)
    gaps = [
        (b - a).days
        for days in dues.values()
        for a, b in zip(sorted(days), sorted(days)[1:], strict=False)
        if (b - a).days > 0
    ]
    return float(np.median(gaps)) if gaps else DEFAULT_REVIEW_INTERVAL


@dataclass(frozen=True)
class Actual:
    """What happened in the months after ``start`` (the backtest's truth)."""

    first_meeting: float  # median days, paths referred in the window and met
    caseload: tuple[float, ...]  # open paths per coordinator at each month's end
    on_time: float  # reviews done by their due date ÷ reviews due (and not cancelled before)
    met: int
    reviews_due: int


def actual(history: History, start: dt.date, *, months: int = BACKTEST_MONTHS) -> Actual:
    end = start + dt.timedelta(days=round(months * DAYS_PER_MONTH))
    waits = [
        float((p.started_on - p.referred_on).days)
        for p in history.paths.values()
        if start < p.referred_on <= end and p.started_on is not None and p.started_on <= end
    ]
    caseload = []
    for m in range(months):
        day = start + dt.timedelta(days=round((m + 1) * DAYS_PER_MONTH) - 1)
        led = coordinators_on(history, day)
        open_paths = sum(1 for p in history.paths.values() if _open_on(p, day))
        caseload.append(open_paths / len(led) if led else math.nan)
    due = _reviews_due(history, start, end)
    on_time = sum(1 for r in due if r.done_on is not None and r.done_on <= r.due_on)
    return Actual(
        first_meeting=float(np.median(waits)) if waits else math.nan,
        caseload=tuple(caseload),
        on_time=on_time / len(due) if due else math.nan,
        met=len(waits),
        reviews_due=len(due),
    )
