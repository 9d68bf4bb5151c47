"""The coaching period's status machine. Pure: no ORM.

started → job_search → employed → follow_along → ended, with the returns a job's end makes
(employed or follow_along → job_search) and a next job found during follow-along
(follow_along → employed). An ended period is never reopened: a new period is started.
"""

from __future__ import annotations

from tyollisyystalo.coaching.models import CoachingStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.STARTED: frozenset({S.JOB_SEARCH, S.EMPLOYED, S.ENDED}),
    S.JOB_SEARCH: frozenset({S.EMPLOYED, S.ENDED}),
    S.EMPLOYED: frozenset({S.FOLLOW_ALONG, S.JOB_SEARCH, S.ENDED}),
    S.FOLLOW_ALONG: frozenset({S.EMPLOYED, S.JOB_SEARCH, S.ENDED}),
    S.ENDED: frozenset(),
}
OPEN_STATUSES = frozenset(s for s in S.values if s != S.ENDED)
# Where form C (a job starts) may be recorded, and where form D (a job ends) leaves the period.
HIRING_STATUSES = frozenset({S.STARTED, S.JOB_SEARCH, S.EMPLOYED, S.FOLLOW_ALONG})


def may_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def next_statuses(current: str) -> list[str]:
    order = list(S.values)
    return sorted(TRANSITIONS.get(current, frozenset()), key=order.index)
