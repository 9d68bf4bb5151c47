"""Each computed indicator as a pure function over plain rows (issue 15 part 2).

Nothing here reads the database: ``selectors`` fetches the rows of a whole span of periods in a
fixed number of queries and these functions count one period. Each returns a ``Measure``: the
numerator and denominator of a rate (None for a mean or a median), the values a mean or a
median is taken of, and ``n``, the number of people behind the figure. The small-number rule is
applied afterwards (``selectors``), never here. Definitions in words: ``definitions.toml``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypeAlias

from tyollisyystalo.indicators.periods import Period

# A client's or a record's identity (the selectors pass the UUIDs as read; tests may use ints).
Key: TypeAlias = uuid.UUID | int
JOB_OR_STUDY = "job_or_study"  # cases.CaseOutcome.JOB_OR_STUDY
RESULT_BACK = frozenset({"completed", "declined"})  # referrals: the receiver answered for good
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Measure:
    """What one indicator counted in one period, before the small-number rule."""

    value: Decimal | None
    n: int  # people behind the figure
    numerator: int | None = None  # rates only
    denominator: int | None = None
    values: tuple[Decimal, ...] = field(default=(), repr=False)  # means and medians

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


def rate(numerator: int, denominator: int, n: int) -> Measure:
    value = Decimal(100 * numerator) / Decimal(denominator) if denominator else None
    return Measure(value, n, numerator, denominator)


def median(values: Sequence[Decimal], n: int) -> Measure:
    value = Decimal(statistics.median(values)) if values else None
    return Measure(value, n, values=tuple(values))


def mean(values: Sequence[Decimal]) -> Measure:
    value = sum(values, Decimal(0)) / len(values) if values else None
    return Measure(value, len(values), values=tuple(values))


def client_share(links: Iterable[tuple[Key, Key]], hits: set[Key]) -> Measure:
    """Of the distinct clients of ``links`` (client, record), the share with a record in
    ``hits``; the people behind it are the clients counted."""
    links = list(links)
    clients = {client for client, _ in links}
    with_hit = {client for client, record in links if record in hits}
    return rate(len(with_hit), len(clients), len(clients))


def _overlaps(start: dt.date, end: dt.date | None, period: Period) -> bool:
    """Under way on at least one day of the period (``end`` is the last day, None: goes on)."""
    return start <= period.end and (end is None or end >= period.start)


# placed_in_working_life -------------------------------------------------------------------


class ClosedPath(NamedTuple):
    client_id: Key
    closed_on: dt.date
    outcome: str


def placed_in_working_life(paths: Iterable[ClosedPath], period: Period) -> Measure:
    """Paths closed in the period with outcome job or study ÷ paths closed in the period."""
    start, end = period.start, period.end
    closed = [p for p in paths if start <= p.closed_on <= end]
    placed = sum(1 for p in closed if p.outcome == JOB_OR_STUDY)
    return rate(placed, len(closed), len({p.client_id for p in closed}))


# work_group_open_market -------------------------------------------------------------------

OPEN_MARKET = "open_market"  # subcontracting.EndReason.OPEN_MARKET


class GroupExit(NamedTuple):
    client_id: Key
    ended_on: dt.date
    reason: str  # "" when the supervisor has not recorded where the person went


def work_group_open_market(exits: Iterable[GroupExit], period: Period) -> Measure:
    """Work-group employments that ended in the period in work on the open labour market ÷
    employments that ended in the period."""
    ended = [e for e in exits if period.start <= e.ended_on <= period.end]
    moved = sum(1 for e in ended if e.reason == OPEN_MARKET)
    return rate(moved, len(ended), len({e.client_id for e in ended}))


# client_activation ------------------------------------------------------------------------


class OpenPath(NamedTuple):
    case_id: Key
    client_id: Key
    referred_on: dt.date
    closed_on: dt.date | None


class PathService(NamedTuple):
    """An accepted referral, a coaching period or a work trial of a path, from start to end."""

    case_id: Key
    start: dt.date
    end: dt.date | None  # the day it was completed, ended, used or expired; None: goes on


def client_activation(
    paths: Iterable[OpenPath], services: Iterable[PathService], as_of: dt.date
) -> Measure:
    """Clients with an open path at the end of ``as_of`` who had a service of that path under
    way then ÷ clients with an open path then."""
    # Inlined "not ended by the end of as_of" (end None or after as_of): this runs per row.
    open_paths = [
        p for p in paths if p.referred_on <= as_of and (p.closed_on is None or p.closed_on > as_of)
    ]
    running = {s.case_id for s in services if s.start <= as_of and (s.end is None or s.end > as_of)}
    return client_share([(p.client_id, p.case_id) for p in open_paths], running)


# median_days_to_first_meeting -------------------------------------------------------------


class FirstMeeting(NamedTuple):
    client_id: Key
    referred_on: dt.date
    met_on: dt.date  # the day the path moved to intake (its started_on)


def median_days_to_first_meeting(paths: Iterable[FirstMeeting], period: Period) -> Measure:
    """The median of (first meeting - referral) days over paths first met in the period."""
    start, end = period.start, period.end
    met = [p for p in paths if start <= p.met_on <= end]
    days = sorted(Decimal((p.met_on - p.referred_on).days) for p in met)
    return median(days, len({p.client_id for p in met}))


# reviews_on_time --------------------------------------------------------------------------


class Review(NamedTuple):
    client_id: Key
    due_on: dt.date
    done_on: dt.date | None
    cancelled_on: dt.date | None


def reviews_on_time(reviews: Iterable[Review], period: Period, today: dt.date) -> Measure:
    """Reviews done by their due date ÷ reviews due in the period (due date passed or done;
    cancelled before the due date: not due)."""
    start, end = period.start, period.end
    due = [
        r
        for r in reviews
        if start <= r.due_on <= end
        and (r.due_on < today or r.done_on is not None)
        and not (r.done_on is None and r.cancelled_on is not None and r.cancelled_on <= r.due_on)
    ]
    on_time = sum(1 for r in due if r.done_on is not None and r.done_on <= r.due_on)
    return rate(on_time, len(due), len({r.client_id for r in due}))


# referrals_closed_loop --------------------------------------------------------------------


class SentReferral(NamedTuple):
    client_id: Key
    sent_on: dt.date
    status: str


def referrals_closed_loop(referrals: Iterable[SentReferral], period: Period) -> Measure:
    """Referrals with a result back (completed or declined) ÷ referrals sent in the period
    (not counting those the sender cancelled)."""
    start, end = period.start, period.end
    sent = [r for r in referrals if start <= r.sent_on <= end and r.status != CANCELLED]
    back = sum(1 for r in sent if r.status in RESULT_BACK)
    return rate(back, len(sent), len({r.client_id for r in sent}))


# coaching_competitive_employment ----------------------------------------------------------


class CoachingSpan(NamedTuple):
    period_id: Key
    client_id: Key
    started_on: dt.date
    ended_on: dt.date | None


class Job(NamedTuple):
    period_id: Key  # the coaching period the job was recorded in
    started_on: dt.date
    ended_on: dt.date | None
    competitive: bool


def coaching_competitive_employment(
    spans: Iterable[CoachingSpan], jobs: Iterable[Job], period: Period
) -> Measure:
    """Clients in coaching during the period who held a competitive job during it ÷ clients
    in coaching during the period."""
    coached = [s for s in spans if _overlaps(s.started_on, s.ended_on, period)]
    working_periods = {
        j.period_id for j in jobs if j.competitive and _overlaps(j.started_on, j.ended_on, period)
    }
    return client_share([(s.client_id, s.period_id) for s in coached], working_periods)


# work_ability_change ----------------------------------------------------------------------


class Score(NamedTuple):
    client_id: Key
    answered_on: dt.date
    recorded_at: dt.datetime  # orders two answers of the same day
    total: Decimal


def work_ability_change(scores: Iterable[Score], period: Period) -> Measure:
    """The median over clients of (latest - first score), for clients with at least two scores
    by the period's end whose latest was answered in the period."""
    by_client: dict[Key, list[Score]] = {}
    for score in scores:
        if score.answered_on <= period.end:
            by_client.setdefault(score.client_id, []).append(score)
    changes = []
    for answers in by_client.values():
        answers.sort(key=lambda s: (s.answered_on, s.recorded_at))
        if len(answers) >= 2 and period.contains(answers[-1].answered_on):
            changes.append(answers[-1].total - answers[0].total)
    return median(sorted(changes), len(changes))


# public indicators ------------------------------------------------------------------------


class PublicFigure(NamedTuple):
    municipality: str
    month: dt.date
    value: Decimal


def public_latest(
    figures: Iterable[PublicFigure], period: Period, municipalities: Sequence[str]
) -> dict[str, Decimal]:
    """Each municipality's figure of the period's last month that has one."""
    latest: dict[str, PublicFigure] = {}
    wanted = set(municipalities)
    for figure in figures:
        if figure.municipality in wanted and period.contains(figure.month):
            known = latest.get(figure.municipality)
            if known is None or known.month < figure.month:
                latest[figure.municipality] = figure
    return {code: figure.value for code, figure in latest.items()}
