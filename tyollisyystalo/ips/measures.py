"""IPS job development and outcome measures as pure functions over plain rows (issue 14 part 4).

Nothing here reads the database: the selectors fetch the rows and these functions count. The
outcome measures follow Bond, Campbell & Drake (2012), "Standardizing measures in four domains
of employment outcome for Individual Placement and Support", counted over competitive jobs
only and over a fixed follow-up from the start of coaching (12 or 18 months).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tyollisyystalo.rules.calendar import add_months

GOAL_FACE_TO_FACE_PER_WEEK = 6
GOAL_DAYS_TO_FIRST_CONTACT = 30
COHORT_MONTHS = (12, 18)
# The pages protect small numbers with the product's rule (``management.disclosure``); the
# functions here count everything.
TWENTY_HOURS = Decimal(20)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the day's ISO week."""
    return day - dt.timedelta(days=day.weekday())


def weeks_back(on: dt.date, count: int) -> list[dt.date]:
    """The Mondays of the ``count`` weeks up to and including the week of ``on``, oldest first."""
    last = week_start(on)
    return [last - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


@dataclass(frozen=True)
class WeekCount:
    week: dt.date
    contacts: int
    face_to_face: int

    @property
    def goal_met(self) -> bool:
        return self.face_to_face >= GOAL_FACE_TO_FACE_PER_WEEK


def contacts_by_week(
    rows: Iterable[tuple[dt.date, bool, int]], weeks: Sequence[dt.date]
) -> list[WeekCount]:
    """Employer contacts and face-to-face contacts per week; ``rows`` are (day, face to face,
    number of contacts). Weeks without contacts count as zero."""
    contacts = dict.fromkeys(weeks, 0)
    face = dict.fromkeys(weeks, 0)
    for day, face_to_face, number in rows:
        week = week_start(day)
        if week in contacts:
            contacts[week] += number
            if face_to_face:
                face[week] += number
    return [WeekCount(week, contacts[week], face[week]) for week in weeks]


def per_week(counts: Sequence[WeekCount]) -> tuple[Decimal | None, Decimal | None]:
    """Mean contacts and face-to-face contacts a week over the weeks given."""
    if not counts:
        return None, None
    n = Decimal(len(counts))
    return (
        _one_decimal(Decimal(sum(c.contacts for c in counts)) / n),
        _one_decimal(Decimal(sum(c.face_to_face for c in counts)) / n),
    )


@dataclass(frozen=True)
class FirstContact:
    """Days from the start of coaching to the first employer contact about the client."""

    periods: int  # started at least a month ago and counted
    within_goal: int  # first contact within 30 days
    without_contact: int  # no contact about the client yet
    median_days: Decimal | None  # over those with a contact

    @property
    def within_goal_percent(self) -> Decimal | None:
        return _percent(self.within_goal, self.periods) if self.periods else None


def first_contact_summary(rows: Iterable[tuple[dt.date, dt.date | None]]) -> FirstContact:
    """``rows``: (start of coaching, first employer contact about the client on or after it)."""
    days = []
    periods = without = within = 0
    for started_on, first in rows:
        periods += 1
        if first is None:
            without += 1
            continue
        delay = (first - started_on).days
        days.append(delay)
        if delay <= GOAL_DAYS_TO_FIRST_CONTACT:
            within += 1
    median = _one_decimal(Decimal(statistics.median(days))) if days else None
    return FirstContact(periods, within, without, median)


@dataclass(frozen=True)
class Job:
    started_on: dt.date
    ended_on: dt.date | None  # the last day worked; None while it goes on
    hours_per_week: Decimal
    competitive: bool
    hourly_wage: Decimal | None


@dataclass(frozen=True)
class CoachedPeriod:
    started_on: dt.date
    jobs: tuple[Job, ...]


def cohort_window(on: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The starts (first, last) of the ``months`` cohort on day ``on``: periods started in the
    twelve months up to ``months`` months before ``on``, so that each has been followed for the
    full ``months`` by ``on``."""
    last = add_months(on, -months)
    first = add_months(last, -12) + dt.timedelta(days=1)
    return first, last


def _clip(job: Job, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The job's days within [start, end) as a half-open interval, or None if none."""
    begin = max(job.started_on, start)
    finish = end if job.ended_on is None else min(job.ended_on + dt.timedelta(days=1), end)
    return (begin, finish) if finish > begin else None


def _union_days(intervals: list[tuple[dt.date, dt.date]]) -> int:
    total = 0
    current: tuple[dt.date, dt.date] | None = None
    for begin, finish in sorted(intervals):
        if current is None or begin > current[1]:
            if current is not None:
                total += (current[1] - current[0]).days
            current = (begin, finish)
        else:
            current = (current[0], max(current[1], finish))
    if current is not None:
        total += (current[1] - current[0]).days
    return total


@dataclass(frozen=True)
class Worked:
    """One coached client's competitive work within the follow-up."""

    weeks: Decimal
    longest_weeks: Decimal
    hours: Decimal
    days_to_first_job: int
    twenty_hours: bool
    wages: tuple[Decimal, ...]


def worked(period: CoachedPeriod, months: int) -> Worked | None:
    """The client's competitive work in the ``months`` after the start; None if none."""
    start = period.started_on
    end = add_months(start, months)
    spans = []
    for job in period.jobs:
        if not job.competitive:
            continue
        span = _clip(job, start, end)
        if span is not None:
            spans.append((job, span))
    if not spans:
        return None
    days = [(span[1] - span[0]).days for _, span in spans]
    hours = sum(
        (job.hours_per_week * Decimal(d) / 7 for (job, _), d in zip(spans, days, strict=True)),
        Decimal(0),
    )
    return Worked(
        weeks=Decimal(_union_days([span for _, span in spans])) / 7,
        longest_weeks=Decimal(max(days)) / 7,
        hours=hours,
        days_to_first_job=min((span[0] - start).days for _, span in spans),
        twenty_hours=any(job.hours_per_week >= TWENTY_HOURS for job, _ in spans),
        wages=tuple(job.hourly_wage for job, _ in spans if job.hourly_wage is not None),
    )


@dataclass(frozen=True)
class Outcomes:
    """The eight outcome measures of one cohort; worker means are over those who worked."""

    months: int
    clients: int
    workers: int
    employed_percent: Decimal | None
    weeks_worked: Decimal | None
    longest_job_weeks: Decimal | None
    total_hours: Decimal | None
    hours_per_week: Decimal | None
    hourly_wage: Decimal | None
    wage_jobs: int
    days_to_first_job: Decimal | None
    twenty_hours_percent: Decimal | None
    twenty_hours: int  # clients with a job of 20 hours a week or more


def outcomes(periods: Sequence[CoachedPeriod], months: int) -> Outcomes:
    work = [w for w in (worked(p, months) for p in periods) if w is not None]
    clients, workers = len(periods), len(work)
    wages = [wage for w in work for wage in w.wages]
    twenty_hours = sum(1 for w in work if w.twenty_hours)

    def mean(values: list[Decimal]) -> Decimal | None:
        if not values:
            return None
        return _one_decimal(sum(values, Decimal(0)) / len(values))

    return Outcomes(
        months=months,
        clients=clients,
        workers=workers,
        employed_percent=_percent(workers, clients) if clients else None,
        weeks_worked=mean([w.weeks for w in work]),
        longest_job_weeks=mean([w.longest_weeks for w in work]),
        total_hours=mean([w.hours for w in work]),
        hours_per_week=mean([w.hours / w.weeks for w in work if w.weeks]),
        hourly_wage=(
            (sum(wages, Decimal(0)) / len(wages)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if wages
            else None
        ),
        wage_jobs=len(wages),
        days_to_first_job=mean([Decimal(w.days_to_first_job) for w in work]),
        twenty_hours_percent=_percent(twenty_hours, clients) if clients else None,
        twenty_hours=twenty_hours,
    )


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def _percent(count: int, base: int) -> Decimal:
    return (Decimal(100 * count) / Decimal(base)).quantize(Decimal("1"), ROUND_HALF_UP)
