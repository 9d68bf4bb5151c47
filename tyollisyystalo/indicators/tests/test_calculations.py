"""The pure calculations and periods: expected figures worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from tyollisyystalo.indicators import calculations as calc
from tyollisyystalo.indicators.definitions import TEXT_FIELDS, IndicatorTableError, parse_table
from tyollisyystalo.indicators.periods import (
    Period,
    PeriodError,
    PeriodKind,
    parse_period,
    period_of,
    periods_between,
    trend,
)

D = dt.date
Q1 = Period(D(2026, 1, 1), PeriodKind.QUARTER)  # 1.1.–31.3.2026
A, B, C, E, F = (uuid.uuid4() for _ in range(5))


def test_periods_codes_ends_and_trend() -> None:
    assert parse_period("2026-Q1") == Q1
    assert Q1.end == D(2026, 3, 31)
    assert parse_period("2024-02").end == D(2024, 2, 29)  # a leap year
    assert parse_period("2026-H2").start == D(2026, 7, 1)
    assert parse_period("2026").end == D(2026, 12, 31)
    assert period_of("half", D(2026, 6, 30)).code == "2026-H1"
    assert [p.code for p in trend(Q1, 3)] == ["2025-Q3", "2025-Q4", "2026-Q1"]
    assert [p.code for p in periods_between("month", D(2025, 11, 20), D(2026, 1, 2))] == [
        "2025-11",
        "2025-12",
        "2026-01",
    ]
    for bad in ("2026-Q5", "2026-13", "26", "2026-H3", "1999", "2026Q1", ""):
        with pytest.raises(PeriodError):
            parse_period(bad)
    with pytest.raises(PeriodError):
        periods_between("month", D(2026, 2, 1), D(2026, 1, 1))
    with pytest.raises(PeriodError):  # 121 months
        periods_between("month", D(2016, 1, 1), D(2026, 1, 1))


def test_placed_in_working_life_counts_paths_closed_in_the_period() -> None:
    paths = [
        calc.ClosedPath(A, D(2026, 1, 1), "job_or_study"),  # first day: counts, placed
        calc.ClosedPath(B, D(2026, 3, 31), "job_or_study"),  # last day: counts, placed
        calc.ClosedPath(C, D(2026, 2, 10), "declined"),  # counts, not placed
        calc.ClosedPath(C, D(2026, 3, 1), "moved_to_typ"),  # C's second path counts too
        calc.ClosedPath(E, D(2025, 12, 31), "job_or_study"),  # the day before: not counted
        calc.ClosedPath(F, D(2026, 4, 1), "job_or_study"),  # the day after: not counted
    ]
    m = calc.placed_in_working_life(paths, Q1)
    # 2 placed of 4 closed = 50 %, behind it 3 clients (A, B, C)
    assert (m.numerator, m.denominator, m.n, m.value) == (2, 4, 3, Decimal(50))


def test_client_activation_at_the_period_end() -> None:
    end = Q1.end
    p1, p2, p3, p4, p5, p6 = (uuid.uuid4() for _ in range(6))
    paths = [
        calc.OpenPath(p1, A, D(2025, 6, 1), None),  # open, accepted referral under way
        calc.OpenPath(p2, B, D(2025, 6, 1), None),  # open, coaching ended on the last day
        calc.OpenPath(p3, C, D(2026, 3, 31), None),  # referred on the last day: open
        calc.OpenPath(p4, E, D(2025, 1, 1), D(2026, 3, 31)),  # closed on the last day: not open
        calc.OpenPath(p5, F, D(2026, 4, 1), None),  # referred after: not open
        calc.OpenPath(p6, C, D(2025, 1, 1), None),  # C's other open path, with a work trial
    ]
    services = [
        calc.PathService(p1, D(2026, 2, 1), None),
        calc.PathService(p2, D(2026, 1, 1), D(2026, 3, 31)),  # ended by the end of the day
        calc.PathService(p4, D(2026, 1, 1), None),  # of a path not open: nothing
        calc.PathService(p6, D(2026, 3, 20), D(2026, 4, 19)),
    ]
    m = calc.client_activation(paths, services, end)
    # open at the end: A, B, C (two paths) = 3 clients; activated: A, C = 2 → 2/3 = 66.7 %
    assert (m.numerator, m.denominator, m.n) == (2, 3, 3)
    assert round(m.value or 0, 1) == Decimal("66.7")


def test_median_days_to_first_meeting() -> None:
    paths = [
        calc.FirstMeeting(A, D(2025, 12, 20), D(2026, 1, 1)),  # 12 days
        calc.FirstMeeting(B, D(2026, 1, 10), D(2026, 1, 13)),  # 3 days
        calc.FirstMeeting(C, D(2026, 2, 1), D(2026, 3, 31)),  # 58 days
        calc.FirstMeeting(E, D(2026, 3, 1), D(2026, 3, 8)),  # 7 days
        calc.FirstMeeting(F, D(2026, 3, 30), D(2026, 4, 2)),  # met after the period: out
    ]
    m = calc.median_days_to_first_meeting(paths, Q1)
    # days 3, 7, 12, 58 → median (7 + 12) / 2 = 9.5 over 4 paths
    assert (m.value, m.n, m.numerator) == (Decimal("9.5"), 4, None)


def test_reviews_on_time() -> None:
    today = D(2026, 3, 20)
    reviews = [
        calc.Review(A, D(2026, 1, 15), D(2026, 1, 15), None),  # done on the due date: on time
        calc.Review(A, D(2026, 2, 1), D(2026, 2, 5), None),  # done late
        calc.Review(B, D(2026, 2, 10), None, None),  # not done, due date passed: late
        calc.Review(B, D(2026, 2, 20), None, D(2026, 3, 1)),  # cancelled after due: late
        calc.Review(C, D(2026, 2, 25), None, D(2026, 2, 1)),  # cancelled before due: not due
        calc.Review(C, D(2026, 3, 25), None, None),  # due later than today: not yet due
        calc.Review(E, D(2026, 3, 25), D(2026, 3, 10), None),  # done early, due later: on time
        calc.Review(F, D(2026, 4, 1), D(2026, 3, 1), None),  # due in the next period: out
    ]
    m = calc.reviews_on_time(reviews, Q1, today)
    # due: A×2, B×2, E = 5; on time: A's first, E's = 2 → 40 %; clients A, B, E = 3
    assert (m.numerator, m.denominator, m.n, m.value) == (2, 5, 3, Decimal(40))


def test_referrals_closed_loop() -> None:
    referrals = [
        calc.SentReferral(A, D(2026, 1, 1), "completed"),  # result back
        calc.SentReferral(A, D(2026, 1, 2), "declined"),  # a reasoned refusal: back
        calc.SentReferral(B, D(2026, 2, 1), "accepted"),  # accepted, no result yet
        calc.SentReferral(C, D(2026, 3, 31), "sent"),  # unanswered
        calc.SentReferral(E, D(2026, 3, 1), "cancelled"),  # the sender cancelled: out
        calc.SentReferral(F, D(2025, 12, 31), "completed"),  # sent before: out
    ]
    m = calc.referrals_closed_loop(referrals, Q1)
    # 2 back of 4 sent = 50 %; clients A, B, C = 3
    assert (m.numerator, m.denominator, m.n, m.value) == (2, 4, 3, Decimal(50))


def test_coaching_competitive_employment() -> None:
    p1, p2, p3, p4, p5 = (uuid.uuid4() for _ in range(5))
    spans = [
        calc.CoachingSpan(p1, A, D(2025, 10, 1), None),  # under way
        calc.CoachingSpan(p2, B, D(2026, 3, 31), None),  # started on the last day
        calc.CoachingSpan(p3, C, D(2025, 1, 1), D(2026, 1, 1)),  # ended on the first day
        calc.CoachingSpan(p4, E, D(2025, 1, 1), D(2025, 12, 31)),  # ended before: out
        calc.CoachingSpan(p5, F, D(2026, 4, 1), None),  # started after: out
    ]
    jobs = [
        calc.Job(p1, D(2025, 11, 1), D(2026, 1, 1), True),  # A: competitive, one day in Q1
        calc.Job(p2, D(2026, 3, 31), None, False),  # B: not competitive
        calc.Job(p3, D(2025, 6, 1), D(2025, 12, 31), True),  # C: ended before the period
        calc.Job(p4, D(2026, 1, 1), None, True),  # E's period is not in the period
    ]
    m = calc.coaching_competitive_employment(spans, jobs, Q1)
    # coached: A, B, C = 3; in competitive work during Q1: A = 1 → 33.3 %
    assert (m.numerator, m.denominator, m.n) == (1, 3, 3)


def test_work_ability_change_is_the_median_of_latest_minus_first() -> None:
    t = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    scores = [
        calc.Score(A, D(2025, 5, 1), t, Decimal(4)),
        calc.Score(A, D(2025, 9, 1), t, Decimal(9)),
        calc.Score(A, D(2026, 2, 1), t, Decimal(6)),  # A: latest 6 - first 4 = +2
        calc.Score(B, D(2026, 1, 5), t, Decimal(7)),
        calc.Score(B, D(2026, 3, 31), t, Decimal(5)),  # B: 5 - 7 = -2
        calc.Score(C, D(2026, 2, 1), t, Decimal(3)),
        calc.Score(C, D(2026, 2, 1), t + dt.timedelta(hours=1), Decimal(8)),  # same day: +5
        calc.Score(E, D(2026, 2, 1), t, Decimal(5)),  # E: one score only: out
        calc.Score(F, D(2025, 1, 1), t, Decimal(2)),
        calc.Score(F, D(2025, 12, 1), t, Decimal(6)),  # F's latest before the period: out
        calc.Score(F, D(2026, 4, 1), t, Decimal(9)),  # after the period: ignored
    ]
    m = calc.work_ability_change(scores, Q1)
    # changes -2, +2, +5 → median +2 over 3 clients
    assert (m.value, m.n) == (Decimal(2), 3)


def test_public_latest_takes_the_last_month_with_a_figure() -> None:
    figures = [
        calc.PublicFigure("X01", D(2026, 1, 1), Decimal(100)),
        calc.PublicFigure("X01", D(2026, 2, 1), Decimal(110)),
        calc.PublicFigure("X02", D(2026, 1, 1), Decimal(50)),
        calc.PublicFigure("X01", D(2026, 4, 1), Decimal(999)),  # next quarter
    ]
    assert calc.public_latest(figures, Q1, ["X01", "X02"]) == {
        "X01": Decimal(110),
        "X02": Decimal(50),
    }


def _row(**changes: object) -> dict[str, object]:
    texts = {"fi": "a", "sv": "b", "en": "c"}
    row: dict[str, object] = {
        "key": "placed_in_working_life",
        "kind": "computed",
        "unit": "percent",
        "direction": "higher",
        "decimals": 0,
        "scale": [0, 100],
        **dict.fromkeys(TEXT_FIELDS, texts),
    }
    row.update(changes)
    return row


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "guess"},
        {"unit": "euro"},
        {"direction": "up"},
        {"key": "not_computed_here"},
        {"kind": "survey"},  # without survey and item
        {"kind": "public"},  # without its code
        {"source": {"fi": "a", "sv": "b"}},  # a language missing
        {"scale": [10, 0]},
        {"decimals": 5},
    ],
)
def test_a_broken_indicator_table_refuses_to_load(changes: dict[str, object]) -> None:
    assert parse_table({"indicator": [_row()]})  # the row as such is valid
    with pytest.raises(IndicatorTableError):
        parse_table({"indicator": [_row(**changes)]})


def test_the_shipped_table_has_every_indicator_of_the_issue() -> None:
    from tyollisyystalo.indicators.definitions import indicators_all

    assert set(indicators_all()) >= {
        "client_satisfaction",
        "cooperation",
        "placed_in_working_life",
        "client_activation",
        "median_days_to_first_meeting",
        "reviews_on_time",
        "referrals_closed_loop",
        "coaching_competitive_employment",
        "work_ability_change",
        "work_group_open_market",
        "unemployed_jobseekers",
        "long_term_unemployed",
        "activation_rate",
    }


def test_work_group_open_market() -> None:
    exits = [
        calc.GroupExit(1, dt.date(2026, 1, 15), "open_market"),
        calc.GroupExit(2, dt.date(2026, 2, 1), "education"),
        calc.GroupExit(3, dt.date(2026, 3, 31), ""),  # where they went not recorded: still ended
        calc.GroupExit(4, dt.date(2026, 4, 1), "open_market"),  # the next quarter
        calc.GroupExit(5, dt.date(2026, 3, 2), "open_market"),
    ]
    m = calc.work_group_open_market(exits, Q1)
    assert (m.numerator, m.denominator, m.n) == (2, 4, 4)
    assert m.value == 50
