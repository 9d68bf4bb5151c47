"""The measures on hand-built rows; every expected number is worked out by hand below."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tyollisyystalo.ips import measures as m
from tyollisyystalo.ips import selectors
from tyollisyystalo.ips.tests import builders as b

S = dt.date(2025, 1, 1)  # start of coaching; the 12-month follow-up ends 2026-01-01 (365 days)
ON = dt.date(2026, 6, 1)  # a Monday


def d(days):
    return S + dt.timedelta(days=days)


def job(start, days, hours, *, competitive=True, wage=None, ongoing=False):
    """A job of ``days`` days from day ``start`` after S (ended_on is the last day worked)."""
    return m.Job(
        d(start),
        None if ongoing else d(start + days - 1),
        Decimal(hours),
        competitive,
        None if wage is None else Decimal(wage),
    )


COHORT = [
    # 6 weeks at 20 h (wage 12) and 10 weeks at 10 h: 16 weeks, longest 10, 220 h, from day 28.
    m.CoachedPeriod(S, (job(28, 42, 20, wage="12.00"), job(98, 70, 10))),
    # 20 weeks at 30 h (wage 15) from day 14; a sheltered job does not count.
    m.CoachedPeriod(S, (job(14, 140, 30, wage="15.00"), job(200, 70, 35, competitive=False))),
    # From day 337 and still going: 28 days counted (to day 365), 4 weeks at 15 h, wage 13.50.
    m.CoachedPeriod(S, (job(337, 0, 15, wage="13.50", ongoing=True),)),
    m.CoachedPeriod(S, ()),  # no job
]


def test_outcomes_of_a_hand_built_cohort():
    out = m.outcomes(COHORT, 12)
    assert (out.clients, out.workers) == (4, 3)
    assert out.employed_percent == Decimal(75)  # 3 / 4
    assert out.weeks_worked == Decimal("13.3")  # (16 + 20 + 4) / 3
    assert out.longest_job_weeks == Decimal("11.3")  # (10 + 20 + 4) / 3
    assert out.total_hours == Decimal("293.3")  # (220 + 600 + 60) / 3
    assert out.hours_per_week == Decimal("19.6")  # (220/16 + 30 + 15) / 3 = 58.75 / 3
    assert out.hourly_wage == Decimal("13.50")  # (12 + 15 + 13.50) / 3
    assert out.wage_jobs == 3
    assert out.days_to_first_job == Decimal("126.3")  # (28 + 14 + 337) / 3
    assert out.twenty_hours_percent == Decimal(50)  # 2 of 4 had a job of 20 h or more


def test_eighteen_months_follow_up_counts_longer():
    # Follow-up to 2026-07-01 (546 days): the third job now runs from day 337 to 546 = 209 days.
    third = m.worked(COHORT[2], 18)
    assert third is not None
    assert third.weeks == Decimal(209) / 7


def test_overlapping_jobs_count_weeks_once_and_earlier_jobs_from_the_start():
    period = m.CoachedPeriod(S, (job(-30, 44, 10), job(7, 14, 10)))  # days 0–13 and 7–20
    work = m.worked(period, 12)
    assert work is not None
    assert work.weeks == Decimal(21) / 7  # days 0–20
    assert work.longest_weeks == Decimal(14) / 7
    assert work.days_to_first_job == 0
    assert work.hours == Decimal(10) * 14 / 7 + Decimal(10) * 14 / 7


def test_small_groups_are_counted_here_and_protected_on_the_pages():
    two = m.outcomes(COHORT[:2], 12)
    assert (two.clients, two.workers, two.twenty_hours) == (2, 2, 2)
    assert two.employed_percent == Decimal(100)
    assert m.outcomes([], 12).employed_percent is None


def test_cohort_window():
    assert m.cohort_window(ON, 12) == (dt.date(2024, 6, 2), dt.date(2025, 6, 1))
    assert m.cohort_window(ON, 18) == (dt.date(2023, 12, 2), dt.date(2024, 12, 1))


def test_contacts_by_week():
    weeks = m.weeks_back(ON, 8)
    assert weeks[0] == dt.date(2026, 4, 13)
    assert weeks[-1] == ON
    rows = [
        (dt.date(2026, 5, 26), True, 3),
        (dt.date(2026, 5, 27), False, 1),
        (dt.date(2026, 6, 1), True, 6),
        (dt.date(2026, 4, 12), True, 9),  # the Sunday before the first week: not counted
    ]
    counts = m.contacts_by_week(rows, weeks)
    assert [(c.contacts, c.face_to_face) for c in counts] == [(0, 0)] * 6 + [(4, 3), (6, 6)]
    assert [c.goal_met for c in counts[-2:]] == [False, True]
    assert m.per_week(counts) == (Decimal("1.3"), Decimal("1.1"))  # 10 / 8, 9 / 8


def test_first_contact_summary():
    rows = [(S, d(10)), (S, d(30)), (S, d(31)), (S, None), (S, d(50))]
    summary = m.first_contact_summary(rows)
    assert (summary.periods, summary.within_goal, summary.without_contact) == (5, 2, 1)
    assert summary.median_days == Decimal("30.5")  # median of 10, 30, 31, 50
    assert summary.within_goal_percent == Decimal(40)


@pytest.mark.django_db
def test_team_measures_from_records(team, coach, coach2, other_coach):
    at = b.employer(team, coach)
    # coach: the hand-built cohort's first three periods and the empty one.
    rows: list[tuple[Any, list[tuple[int, int | None, str, str | None]]]] = [
        (coach, [(28, 42, "20", "12.00"), (98, 70, "10", None)]),
        (coach, [(14, 140, "30", "15.00")]),
        (coach2, [(337, None, "15", "13.50")]),
        (coach2, []),
    ]
    for who, jobs in rows:
        p = b.period(who, S, team=team)
        for start, days, hours, wage in jobs:
            b.placement(
                p,
                d(start),
                ended_on=None if days is None else d(start + days - 1),
                hours=hours,
                wage=wage,
            )
    b.period(other_coach, S)  # another team's: not counted
    # Contacts in the week of ON: coach 6 face to face, coach2 one call.
    for _ in range(6):
        b.contact(at, coach, ON)
    b.contact(at, coach2, ON, face_to_face=False)
    # Rapid job search: three periods started 40 days before ON, contacts after 5, 20, 35 days.
    for days in (5, 20, 35):
        p = b.period(coach, ON - dt.timedelta(days=40), team=team)
        b.contact(at, coach, ON - dt.timedelta(days=40 - days), about=p)

    result = selectors.team_measures(team=team, on=ON)
    by_coach = {row.coach.pk if row.coach else None: row for row in result}
    assert set(by_coach) == {coach.pk, coach2.pk, None}
    total = by_coach[None]
    out = total.outcomes[12]
    assert (out.clients, out.workers, out.employed_percent) == (4, 3, Decimal(75))
    assert out.weeks_worked == Decimal("13.3")
    assert out.hourly_wage == Decimal("13.50")
    assert total.outcomes[18].clients == 0
    assert (total.weeks[-1].contacts, total.weeks[-1].face_to_face) == (7, 6)
    assert by_coach[coach.pk].weeks[-1].face_to_face == 6
    assert by_coach[coach2.pk].weeks[-1].contacts == 1
    first = total.first_contact
    assert (first.periods, first.within_goal, first.median_days) == (3, 2, Decimal(20))
    assert by_coach[coach.pk].caseload == 3 + 2  # all open on ON
    assert by_coach[coach2.pk].outcomes[12].clients == 2
