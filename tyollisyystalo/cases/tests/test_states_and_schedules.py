"""The status machine and the review dates: every transition, month ends and leap years."""

import datetime as dt
import itertools

import pytest

from tyollisyystalo.cases.schedules import mapping_period_end, plan_review_due, review_schedule
from tyollisyystalo.cases.states import TRANSITIONS, IllegalTransition, Status, transition_check

LEGAL = {
    (Status.REFERRED, Status.INTAKE),
    (Status.REFERRED, Status.CLOSED),
    (Status.INTAKE, Status.ACTIVE),
    (Status.INTAKE, Status.CLOSED),
    (Status.ACTIVE, Status.CLOSED),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(Status, Status)))
def test_every_pair_of_statuses_is_either_legal_or_refused(current, target):
    if (current, target) in LEGAL:
        assert transition_check(current, target) == target
    else:
        with pytest.raises(IllegalTransition) as caught:
            transition_check(current, target)
        assert caught.value.current == current
        assert caught.value.target == target


def test_the_table_has_exactly_the_legal_transitions():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == LEGAL


def test_a_closed_path_says_to_open_a_new_one():
    with pytest.raises(IllegalTransition) as caught:
        transition_check("closed", "active")
    assert "Avaa uusi" in caught.value.message


def dues(start):
    return [
        (d.kind, d.due_on)
        for d in review_schedule(start, interim_months=[1, 3, 6, 9], final_months=12)
    ]


def test_reviews_fall_at_1_3_6_9_and_12_months():
    assert dues(dt.date(2026, 3, 15)) == [
        ("interim_review", dt.date(2026, 4, 15)),
        ("interim_review", dt.date(2026, 6, 15)),
        ("interim_review", dt.date(2026, 9, 15)),
        ("interim_review", dt.date(2026, 12, 15)),
        ("final_review", dt.date(2027, 3, 15)),
    ]


@pytest.mark.parametrize(
    ("start", "first", "final"),
    [
        # A start on the 31st: the last day of a shorter month.
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2027, 1, 31)),
        # Leap year: 31.1.2024 + 1 month = 29.2.2024.
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2025, 1, 31)),
        # A start on the leap day: 12 months later is 28.2. of a common year.
        (dt.date(2024, 2, 29), dt.date(2024, 3, 29), dt.date(2025, 2, 28)),
        # Across the year end.
        (dt.date(2025, 12, 31), dt.date(2026, 1, 31), dt.date(2026, 12, 31)),
    ],
)
def test_month_ends_and_leap_years(start, first, final):
    schedule = dues(start)
    assert schedule[0][1] == first
    assert schedule[-1] == ("final_review", final)


def test_a_region_may_set_other_review_months():
    schedule = review_schedule(dt.date(2026, 1, 10), interim_months=[2], final_months=6)
    assert [(d.kind, d.months) for d in schedule] == [("interim_review", 2), ("final_review", 6)]


def test_plan_review_of_an_activation_plan_comes_from_the_rules_with_its_statute():
    due = plan_review_due("activation", plan_start=dt.date(2026, 5, 4), last_review=None)
    assert due is not None
    assert due.due_on == dt.date(2026, 8, 4)
    assert due.months == 3
    assert "189/2001" in due.source


def test_a_plan_review_on_a_holiday_moves_to_the_next_working_day():
    # 5.1.2026 + 3 months = Sunday 5.4.2026, Easter Monday 6.4. is a holiday too.
    due = plan_review_due(
        "multisector", plan_start=dt.date(2025, 11, 3), last_review=dt.date(2026, 1, 5)
    )
    assert due is not None
    assert due.due_on == dt.date(2026, 4, 7)
    assert "381/2023" in due.source


def test_client_plans_have_no_statutory_review():
    assert plan_review_due("client", plan_start=dt.date(2026, 1, 1), last_review=None) is None


def test_typ_mapping_period_follows_the_law_in_force_on_its_start():
    assert "1369/2014" in mapping_period_end(dt.date(2024, 3, 1)).source
    later = mapping_period_end(dt.date(2025, 3, 3))
    assert later.due_on == dt.date(2025, 6, 3)
    assert "381/2023" in later.source
