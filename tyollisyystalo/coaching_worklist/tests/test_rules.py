import datetime as dt

import pytest

from tyollisyystalo.coaching_worklist.rules import (
    caseload_score,
    employer_contact_due_on,
    follow_along_due_on,
)

D = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("n", "score"),
    [(0, 5), (20, 5), (21, 4), (25, 4), (26, 3), (30, 3), (31, 2), (40, 2), (41, 1), (99, 1)],
)
def test_caseload_bands_of_the_issue(n, score):
    assert caseload_score(n) == score


def test_follow_along_weekly_in_first_month_then_monthly():
    start = D
    job = D + dt.timedelta(days=40)
    assert follow_along_due_on(
        period_started_on=start, job_started_on=job, last_contact_on=None
    ) == job + dt.timedelta(days=7)
    last = job + dt.timedelta(days=10)
    assert follow_along_due_on(
        period_started_on=start, job_started_on=job, last_contact_on=last
    ) == last + dt.timedelta(days=7)
    late = job + dt.timedelta(days=45)
    assert follow_along_due_on(
        period_started_on=start, job_started_on=job, last_contact_on=late
    ) == late + dt.timedelta(days=30)
    assert follow_along_due_on(
        period_started_on=start, job_started_on=None, last_contact_on=None
    ) == start + dt.timedelta(days=30)


def test_employer_contact_within_a_month():
    assert employer_contact_due_on(period_started_on=D, last_contact_on=None) == D + dt.timedelta(
        days=30
    )
    later = D + dt.timedelta(days=12)
    assert employer_contact_due_on(
        period_started_on=D, last_contact_on=later
    ) == later + dt.timedelta(days=30)
    # A contact before the period started does not count as the period's first contact.
    earlier = D - dt.timedelta(days=12)
    assert employer_contact_due_on(
        period_started_on=D, last_contact_on=earlier
    ) == D + dt.timedelta(days=30)
