"""Each indicator on a small dataset read from the database, expected figures by hand.

Our organisation (``employment``) serves Esimerkkilä (X01) and Pohjala (X02); another
organisation (``other``) works in the same municipalities; Järvikylä (X03) is not ours. The
period is the first quarter of 2026 (1.1.–31.3.) and today is 15.4.2026 unless said.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import StaffFactory
from tyollisyystalo.indicators import selectors, services
from tyollisyystalo.indicators.periods import Period, PeriodKind, parse_period
from tyollisyystalo.indicators.selectors import (
    IndicatorValue,
    indicator_figures,
    indicator_goal,
    indicator_values,
)
from tyollisyystalo.indicators.tests import builders as b
from tyollisyystalo.indicators.tests.conftest import World
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.roles import Role

D = dt.date
Q1 = parse_period("2026-Q1")
Q2 = parse_period("2026-Q2")
TODAY = D(2026, 4, 15)


def values(
    key: str,
    organisation: Organisation | None,
    municipality: str | None = None,
    periods: list[Period] | None = None,
) -> list[IndicatorValue]:
    return indicator_values(
        key,
        organisation_id=None if organisation is None else organisation.pk,
        municipality_code=municipality,
        periods=periods or [Q1],
        using="default",
        today=TODAY,
    )


def closed(world: World, home: str, outcome: str, on: D, owner: str = "own") -> None:
    if owner == "own":
        b.closed_paths(world.own, world.staff, getattr(world, home), outcome=outcome, on=on)
    else:
        b.closed_paths(world.other, world.other_staff, getattr(world, home), outcome=outcome, on=on)


@pytest.mark.django_db
def test_placed_in_working_life(world: World) -> None:
    for day in (D(2026, 1, 1), D(2026, 2, 1), D(2026, 2, 2), D(2026, 3, 1), D(2026, 3, 31)):
        closed(world, "x01", "job_or_study", day)  # 5 placed in X01
    closed(world, "x01", "declined", D(2026, 2, 15))  # 1 not placed in X01
    closed(world, "x01", "job_or_study", D(2025, 12, 31))  # before the period
    closed(world, "x01", "job_or_study", D(2026, 4, 1))  # after the period
    closed(world, "x01", "job_or_study", D(2026, 2, 1), owner="other")  # another organisation's
    for _ in range(5):
        closed(world, "x02", "no_contact", D(2026, 1, 20))  # 5 not placed in X02
    [total] = values("placed_in_working_life", world.own)
    # 5 placed of 11 closed = 45.45… → 45 %
    assert (total.numerator, total.denominator, total.n, total.value) == (5, 11, 11, Decimal(45))
    [x01] = values("placed_in_working_life", world.own, "X01")
    # 5 of 6 = 83.3 → 83 %
    assert (x01.numerator, x01.denominator, x01.value, x01.suppressed) == (5, 6, Decimal(83), False)
    [x02] = values("placed_in_working_life", world.own, "X02")
    assert (x02.numerator, x02.denominator, x02.value) == (0, 5, Decimal(0))
    [region] = values("placed_in_working_life", None)
    # the region adds the other organisation's one placed path: 6 of 12 = 50 %
    assert (region.numerator, region.denominator, region.value) == (6, 12, Decimal(50))


@pytest.mark.django_db
def test_small_numbers_are_suppressed_and_cannot_be_worked_back(world: World) -> None:
    for _ in range(6):
        closed(world, "x01", "job_or_study", D(2026, 2, 1))  # X01: 6 of 6
    for _ in range(3):
        closed(world, "x02", "declined", D(2026, 2, 1))  # X02: 0 of 3: hidden (3 is 1–4)
    table = indicator_figures(
        ["placed_in_working_life"],
        organisation_id=world.own.pk,
        municipality_codes=["X01", "X02"],
        periods=[Q1],
        using="default",
        today=TODAY,
    ).table["placed_in_working_life"]
    [total], [x01], [x02] = table[None], table["X01"], table["X02"]
    # X02 is hidden (3 paths). The total 6 of 9 is shown, so X01 must be hidden too, or X02's
    # 3 = 9 - 6 could be worked back.
    assert x02.suppressed
    assert x02.value is None
    assert x02.denominator is None
    assert x02.n is None
    assert x01.suppressed
    assert x01.value is None
    assert (total.numerator, total.denominator, total.suppressed) == (6, 9, False)
    # The API's entry point hides the same figures.
    [api_x01] = values("placed_in_working_life", world.own, "X01")
    assert api_x01.suppressed
    # Shown: the rates as "x"; the people behind X02 as "< 5", behind X01 (hidden beside) "x".
    assert (str(x02.figure), str(x02.n_figure)) == ("x", "< 5")
    assert (str(x01.figure), str(x01.n_figure)) == ("x", "x")


@pytest.mark.django_db
def test_client_activation(world: World) -> None:
    own, staff = world.own, world.staff
    receiver = world.other
    for index in range(8):  # 8 clients in X01 with an open path at 31.3.
        client = b.resident(own, world.x01)
        case = b.path(client, own, staff, referred_on=D(2025, 11, 1), started_on=D(2025, 11, 5))
        if index < 3:  # accepted referral under way
            b.referral(
                case, receiver, sent_on=D(2026, 1, 5), status="accepted", answered_on=D(2026, 1, 8)
            )
        elif index == 3:  # coaching of the path under way
            b.coaching(client, receiver, world.other_staff, started_on=D(2026, 2, 1), case=case)
        elif index == 4:  # a work trial whose host link is open on 31.3.
            b.work_trial(case, created_on=D(2026, 3, 20))
        elif index == 5:  # a referral completed on 31.3.: no longer under way
            b.referral(
                case,
                receiver,
                sent_on=D(2026, 1, 5),
                status="completed",
                answered_on=D(2026, 1, 8),
                completed_on=D(2026, 3, 31),
            )
        elif index == 6:  # a referral accepted only after the period
            b.referral(
                case, receiver, sent_on=D(2026, 3, 25), status="accepted", answered_on=D(2026, 4, 2)
            )
        # index 7: nothing under way
    gone = b.resident(own, world.x01)  # closed on 31.3.: not open at the end
    b.path(
        gone,
        own,
        staff,
        referred_on=D(2025, 1, 1),
        started_on=D(2025, 1, 5),
        closed_on=D(2026, 3, 31),
        outcome="declined",
    )
    stranger = b.resident(world.other, world.x01)  # another organisation's open path
    b.path(stranger, world.other, world.other_staff, referred_on=D(2025, 1, 1))
    [m] = values("client_activation", own)
    # open at 31.3.: 8 clients; under way: 3 referrals + 1 coaching + 1 work trial = 5 → 62.5 → 63 %
    assert (m.numerator, m.denominator, m.n, m.value) == (5, 8, 8, Decimal(63))


@pytest.mark.django_db
def test_client_activation_of_the_running_period_is_as_of_today(world: World) -> None:
    own, staff = world.own, world.staff
    for index in range(5):
        client = b.resident(own, world.x01)
        case = b.path(client, own, staff, referred_on=D(2026, 1, 10), started_on=D(2026, 1, 12))
        # work trials open from 10.4. for 30 days: under way today (15.4.), not at 30.6.
        b.work_trial(case, created_on=D(2026, 4, 10))
        del index
    [m] = values("client_activation", own, periods=[Q2])
    assert (m.numerator, m.denominator, m.value) == (5, 5, Decimal(100))


@pytest.mark.django_db
def test_median_days_to_first_meeting(world: World) -> None:
    own, staff = world.own, world.staff
    for days, met in (
        (2, D(2026, 1, 1)),
        (4, D(2026, 1, 20)),
        (10, D(2026, 2, 1)),
        (20, D(2026, 3, 1)),
        (30, D(2026, 3, 31)),
        (1, D(2026, 4, 1)),
    ):
        client = b.resident(own, world.x01)
        b.path(client, own, staff, referred_on=met - dt.timedelta(days=days), started_on=met)
    waiting = b.resident(own, world.x01)  # not met yet: not counted
    b.path(waiting, own, staff, referred_on=D(2026, 1, 1))
    [m] = values("median_days_to_first_meeting", own)
    # met in Q1: 2, 4, 10, 20, 30 days → median 10 over 5 paths
    assert (m.value, m.n, m.suppressed) == (Decimal(10), 5, False)


@pytest.mark.django_db
def test_median_of_fewer_than_five_is_suppressed(world: World) -> None:
    own, staff = world.own, world.staff
    for days in (3, 5, 7, 9):
        client = b.resident(own, world.x01)
        b.path(
            client,
            own,
            staff,
            referred_on=D(2026, 2, 1),
            started_on=D(2026, 2, 1) + dt.timedelta(days=days),
        )
    [m] = values("median_days_to_first_meeting", own)
    assert m.suppressed
    assert m.value is None
    assert m.n is None


@pytest.mark.django_db
def test_reviews_on_time(world: World) -> None:
    own, staff = world.own, world.staff
    dues = [
        (D(2026, 1, 10), D(2026, 1, 10), None),  # on time (done on the due date)
        (D(2026, 1, 20), D(2026, 1, 5), None),  # on time
        (D(2026, 2, 10), D(2026, 2, 9), None),  # on time
        (D(2026, 2, 20), D(2026, 2, 15), None),  # on time
        (D(2026, 3, 1), D(2026, 3, 1), None),  # on time
        (D(2026, 3, 10), D(2026, 3, 12), None),  # late
        (D(2026, 3, 20), None, None),  # not done: late
        (D(2026, 3, 25), None, D(2026, 3, 1)),  # cancelled before due: not counted
        (D(2026, 4, 1), D(2026, 3, 30), None),  # due in Q2: not counted
    ]
    for due, done, cancelled in dues:
        client = b.resident(own, world.x01)
        case = b.path(client, own, staff, referred_on=D(2025, 6, 1), started_on=D(2025, 6, 2))
        b.review(case, due_on=due, done_on=done, cancelled_on=cancelled)
    other_case = b.path(
        b.resident(world.other, world.x01),
        world.other,
        world.other_staff,
        referred_on=D(2025, 6, 1),
        started_on=D(2025, 6, 2),
    )
    b.review(other_case, due_on=D(2026, 2, 1))  # another organisation's
    [m] = values("reviews_on_time", own)
    # due: 7, on time: 5 → 71.4 → 71 %
    assert (m.numerator, m.denominator, m.n, m.value) == (5, 7, 7, Decimal(71))


@pytest.mark.django_db
def test_referrals_closed_loop(world: World) -> None:
    own, staff, receiver = world.own, world.staff, world.other
    client = b.resident(own, world.x02)
    case = b.path(client, own, staff, referred_on=D(2025, 6, 1), started_on=D(2025, 6, 2))
    sent = [
        (D(2026, 1, 1), "completed", D(2026, 1, 3), D(2026, 2, 1)),
        (D(2026, 1, 15), "completed", D(2026, 1, 16), D(2026, 4, 10)),  # result after the period
        (D(2026, 2, 1), "declined", D(2026, 2, 3), None),
        (D(2026, 2, 10), "declined", D(2026, 2, 11), None),
        (D(2026, 3, 1), "completed", D(2026, 3, 2), D(2026, 3, 20)),
        (D(2026, 3, 5), "accepted", D(2026, 3, 6), None),  # no result yet
        (D(2026, 3, 31), "sent", None, None),  # unanswered
        (D(2026, 3, 10), "cancelled", None, None),  # cancelled: not counted
        (D(2025, 12, 31), "completed", D(2026, 1, 2), D(2026, 1, 5)),  # sent before: out
    ]
    for sent_on, status, answered, completed in sent:
        b.referral(
            case,
            receiver,
            sent_on=sent_on,
            status=status,
            answered_on=answered,
            completed_on=completed,
        )
    [m] = values("referrals_closed_loop", own)
    # sent: 7; back: 3 completed + 2 declined = 5 → 71 %; one client behind them
    assert (m.numerator, m.denominator, m.value) == (None, None, None)
    assert m.suppressed  # one client (n = 1) is a small number: the figure would reveal a person
    [region] = values("referrals_closed_loop", None)
    assert region.suppressed


@pytest.mark.django_db
def test_referrals_closed_loop_over_several_clients(world: World) -> None:
    own, staff, receiver = world.own, world.staff, world.other
    statuses = ["completed"] * 5 + ["accepted", "sent"]
    for status in statuses:
        client = b.resident(own, world.x01)
        case = b.path(client, own, staff, referred_on=D(2025, 6, 1), started_on=D(2025, 6, 2))
        answered = None if status == "sent" else D(2026, 2, 2)
        completed = D(2026, 2, 20) if status == "completed" else None
        b.referral(
            case,
            receiver,
            sent_on=D(2026, 2, 1),
            status=status,
            answered_on=answered,
            completed_on=completed,
        )
    [m] = values("referrals_closed_loop", own)
    # 5 back of 7 sent = 71.4 → 71 %, 7 clients
    assert (m.numerator, m.denominator, m.n, m.value) == (5, 7, 7, Decimal(71))


@pytest.mark.django_db
def test_coaching_competitive_employment(world: World) -> None:
    own, coach = world.own, world.staff
    for index in range(10):
        client = b.resident(own, world.x01)
        period = b.coaching(client, own, coach, started_on=D(2025, 10, 1))
        if index < 5:  # competitive jobs overlapping Q1
            b.job(
                period,
                started_on=D(2026, 3, 31) if index == 0 else D(2025, 12, 1),
                ended_on=D(2026, 1, 1) if index == 1 else None,
            )
        elif index == 5:
            b.job(period, started_on=D(2026, 1, 10), competitive=False)  # sheltered: no
        elif index == 6:
            b.job(period, started_on=D(2025, 11, 1), ended_on=D(2025, 12, 31))  # ended before
    ended = b.coaching(
        b.resident(own, world.x01),
        own,
        coach,
        started_on=D(2025, 1, 1),
        ended_on=D(2025, 12, 31),
    )
    b.job(ended, started_on=D(2025, 12, 1))  # coaching ended before Q1: client not counted
    [m] = values("coaching_competitive_employment", own)
    # coached in Q1: 10 clients; in competitive work during Q1: 5 → 50 %
    assert (m.numerator, m.denominator, m.value) == (5, 10, Decimal(50))


@pytest.mark.django_db
def test_work_ability_change(world: World) -> None:
    own = world.own
    changes = [(3, 7), (5, 5), (2, 8), (6, 4), (4, 5)]  # +4, 0, +6, -2, +1
    for first, latest in changes:
        client = b.resident(own, world.x01)
        b.work_ability(client, own, answered_on=D(2025, 9, 1), score=first)
        b.work_ability(client, own, answered_on=D(2026, 2, 1), score=latest)
    once = b.resident(own, world.x01)  # only one score: not counted
    b.work_ability(once, own, answered_on=D(2026, 2, 1), score=9)
    foreign = b.resident(world.other, world.x01)  # another organisation's answers
    b.work_ability(foreign, world.other, answered_on=D(2025, 9, 1), score=0)
    b.work_ability(foreign, world.other, answered_on=D(2026, 2, 1), score=10)
    [m] = values("work_ability_change", own)
    # changes -2, 0, +1, +4, +6 → median +1 over 5 clients
    assert (m.value, m.n) == (Decimal("1.0"), 5)
    [region] = values("work_ability_change", None)
    # with the other organisation's +10: -2, 0, +1, +4, +6, +10 → median (1 + 4) / 2 = 2.5
    assert (region.value, region.n) == (Decimal("2.5"), 6)


@pytest.mark.django_db
def test_goals_fall_back_from_own_scope_to_the_region(world: World) -> None:
    own = world.own
    year = parse_period("2026")
    services.region_goal_set(
        indicator_key="placed_in_working_life", period=year, target=Decimal(28), basis=""
    )
    manager = StaffFactory.create(organisation=own, role=Role.MANAGER)
    services.indicator_goal_set(
        actor=manager,
        indicator_key="placed_in_working_life",
        municipality=None,
        period=Q1,
        target=Decimal(30),
    )
    services.indicator_goal_set(
        actor=manager,
        indicator_key="placed_in_working_life",
        municipality=world.x01,
        period=year,
        target=Decimal(40),
    )
    q1, q2 = values("placed_in_working_life", own, periods=[Q1, Q2])
    assert (q1.goal, q2.goal) == (Decimal(30), Decimal(28))  # Q2: the organisation has none
    [x01] = values("placed_in_working_life", own, "X01")
    assert x01.goal == Decimal(40)  # its own scope first, though set for the whole year
    [x02] = values("placed_in_working_life", own, "X02")
    assert x02.goal == Decimal(30)
    [region] = values("placed_in_working_life", None, "X01")
    assert region.goal == Decimal(28)  # the region never takes an organisation's goal
    # The same lookup for other pages' headline figures:
    assert indicator_goal(
        "placed_in_working_life",
        organisation_id=own.pk,
        municipality_code="X01",
        period=Q2,
        using="default",
    ) == Decimal(40)
    assert Period(D(2026, 1, 1), PeriodKind.YEAR) == year


@pytest.mark.django_db
def test_survey_indicators_are_the_mean_of_the_survey_items_answers(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[dict[str, object]] = []
    answers: dict[str, list[int]] = {}
    feb, may = D(2026, 2, 1), D(2026, 5, 1)  # May is outside Q1: never counted

    def scale_answer_counts(**kwargs: object) -> list[tuple[str | None, D, int, int]]:
        asked.append(kwargs)
        rows = [(m, feb, value, 1) for m, values in answers.items() for value in values]
        return [*rows, ("X01", may, 4, 3), (None, feb, 10, 0)]

    monkeypatch.setattr(selectors, "_scale_answer_counts", lambda: scale_answer_counts)

    def table() -> dict[str | None, list[IndicatorValue]]:
        return indicator_figures(
            ["client_satisfaction"],
            organisation_id=world.own.pk,
            municipality_codes=["X01", "X02"],
            periods=[Q1],
            using="default",
            today=TODAY,
        ).table["client_satisfaction"]

    answers.update({"X01": [8, 9, 10, 7, 6], "X02": [4, 10, 9, 5, 6]})
    shown = table()
    # X01: (8 + 9 + 10 + 7 + 6) / 5 = 8.0; X02: 34 / 5 = 6.8; all: 74 / 10 = 7.4
    assert [(v[0].value, v[0].n) for v in (shown["X01"], shown["X02"], shown[None])] == [
        (Decimal("8.0"), 5),
        (Decimal("6.8"), 5),
        (Decimal("7.4"), 10),
    ]
    assert shown["X01"][0].numerator is None  # a mean has no numerator or denominator
    assert asked[0] == {
        "survey": "client_satisfaction",
        "item": "overall",
        "organisation_ids": (world.own.pk,),
        "start": D(2026, 1, 1),
        "end": D(2026, 3, 31),
        "using": "default",
    }
    answers.update({"X01": [8, 9, 10, 7, 6], "X02": [4, 10, 9]})
    hidden = table()
    [x01], [x02], [total] = hidden["X01"], hidden["X02"], hidden[None]
    # X02's three answers are too few ("< 5"); X01's five with the total's eight would give
    # them away (8 - 5 = 3), so X01 is hidden beside it ("x"); the total 63 / 8 = 7.875 → 7.9.
    assert (x02.suppressed, str(x02.figure), str(x02.n_figure)) == (True, "x", "< 5")
    assert (x01.suppressed, str(x01.n_figure)) == (True, "x")
    assert (total.value, total.n) == (Decimal("7.9"), 8)
