"""Pre-filled figures from hand-built rows; expected numbers worked out by hand here."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tyollisyystalo.fidelity import prefill
from tyollisyystalo.fidelity.definition import scale_get
from tyollisyystalo.ips.tests import builders as b

ON = dt.date(2026, 6, 1)


def ago(n):
    return ON - dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("per_coach", "score"),
    [
        (0, 5),
        (20, 5),
        (Decimal("20.1"), 4),
        (21, 4),
        (25, 4),
        (26, 3),
        (30, 3),
        (31, 2),
        (40, 2),
        (41, 1),
        (90, 1),
    ],
)
def test_caseload_anchors(per_coach, score):
    assert prefill.caseload_score(Decimal(per_coach)) == score


@pytest.mark.parametrize(
    ("per_week", "score"),
    [
        (0, 1),
        (Decimal("1.9"), 1),
        (2, 2),
        (Decimal("2.9"), 2),
        (3, 3),
        (4, 3),
        (5, 4),
        (Decimal("5.9"), 4),
        (6, 5),
        (12, 5),
    ],
)
def test_job_development_anchors(per_week, score):
    assert prefill.contacts_score(Decimal(per_week)) == score


@pytest.mark.parametrize(
    ("rate", "percent", "score"),
    [
        ("share", 89, 4),
        ("share", 90, 5),
        ("share", 24, 1),
        ("share", 25, 2),
        ("share", 50, 3),
        ("diversity", 49, 1),
        ("diversity", 50, 2),
        ("diversity", 60, 3),
        ("diversity", 84, 4),
        ("diversity", 85, 5),
        ("competitive", 64, 1),
        ("competitive", 65, 2),
        ("competitive", 94, 4),
        ("competitive", 95, 5),
    ],
)
def test_share_anchors(rate, percent, score):
    function = {
        "share": prefill.share_score,
        "diversity": prefill.diversity_score,
        "competitive": prefill.competitive_score,
    }[rate]
    assert function(Decimal(percent)) == score


@pytest.mark.django_db
def test_caseload_counts_open_periods_per_coach(team, other_team, coach, coach2, other_coach):
    for _ in range(3):
        b.period(coach, ago(100), team=team)
    b.period(coach2, ago(10))  # no team set: kept by a team organisation, so counted
    b.period(coach2, ago(400), ended_on=ON + dt.timedelta(days=5))  # ended later: open then
    b.period(coach2, ago(400), ended_on=ago(31))  # ended before the day
    b.period(coach2, ON + dt.timedelta(days=1))  # starts after the day
    b.period(other_coach, ago(10))  # another team's
    figure = prefill.caseload_figure(team, ON)
    # 3 + 2 open periods, 2 coaches: 2.5 per coach.
    assert (figure.value, figure.count, figure.base, figure.score) == (Decimal("2.5"), 5, 2, 5)


@pytest.mark.django_db
def test_job_development_counts_face_to_face_per_coach_per_week(team, coach, coach2, leader):
    b.period(coach, ago(100), team=team)
    b.period(coach2, ago(100), team=team)
    at = b.employer(team, coach)
    for day in range(10):
        b.contact(at, coach, ago(day))  # 10 face to face within the four weeks
    b.contact(at, coach, ago(3), face_to_face=False)  # a call: not counted
    b.contact(at, coach, ago(28))  # the 29th day back: outside the four weeks
    for day in range(6):
        b.contact(at, coach2, ago(27 - day))
    b.contact(at, leader, ago(2))  # leader holds no period: not a coach here
    figure = prefill.job_development_figure(team, ON)
    # 16 contacts / (2 coaches × 4 weeks) = 2.0 a week: anchor 2.
    assert (figure.value, figure.count, figure.base, figure.score) == (Decimal("2.0"), 16, 2, 2)


@pytest.mark.django_db
def test_rapid_job_search_share(team, coach):
    at = b.employer(team, coach)
    quick = [b.period(coach, ago(200), team=team) for _ in range(3)]
    for p, days in zip(quick, (0, 15, 30), strict=True):
        b.contact(at, coach, ago(200) + dt.timedelta(days=days), about=p)
    slow = b.period(coach, ago(100), team=team)
    b.contact(at, coach, ago(100) + dt.timedelta(days=31), about=slow)
    b.period(coach, ago(60), team=team)  # no contact yet
    recent = b.period(coach, ago(20), team=team)  # not a month yet: not counted
    b.contact(at, coach, ago(19), about=recent)
    b.period(coach, ago(400), team=team)  # before the year: not counted
    figure = prefill.rapid_job_search_figure(team, ON)
    # 3 of 5 within 30 days: 60 %, anchor 3.
    assert (figure.value, figure.count, figure.base, figure.score) == (Decimal(60), 3, 5, 3)


@pytest.mark.django_db
def test_diversity_and_competitive_jobs(team, coach):
    at = b.employer(team, coach, "Leipomo Oy")
    p = b.period(coach, ago(300), team=team)
    b.placement(p, ago(200), title="Kokki", at=at)
    b.placement(p, ago(150), title=" kokki", at=at, competitive=False)
    b.placement(p, ago(100), title="Siivooja", employer_name="Siivous Oy")
    b.placement(p, ago(50), title="Varastotyöntekijä", employer_name="siivous  oy")
    b.placement(p, ago(400), title="Vanha työ", employer_name="Vanha Oy")  # before the year
    # Job titles: kokki, siivooja, varastotyöntekijä = 3 of 4 = 75 % → 4 (70–84).
    types = prefill.job_types_figure(team, ON)
    assert (types.value, types.count, types.base, types.score) == (Decimal(75), 3, 4, 4)
    # Employers: Leipomo Oy, Siivous Oy = 2 of 4 = 50 % → 2 (50–59).
    employers = prefill.employers_figure(team, ON)
    assert (employers.value, employers.count, employers.score) == (Decimal(50), 2, 2)
    # Competitive: 3 of 4 = 75 % → 3 (75–84).
    competitive = prefill.competitive_figure(team, ON)
    assert (competitive.value, competitive.count, competitive.score) == (Decimal(75), 3, 3)


@pytest.mark.django_db
def test_time_unlimited_follow_along(team, coach):
    supported = b.period(coach, ago(700), team=team)
    b.placement(supported, ago(600))  # working for well over a year, still supported
    b.support(supported, ago(30))
    recent = b.period(coach, ago(100), team=team)
    b.placement(recent, ago(50))
    b.support(recent, ago(3), kind="with_employer")
    cut = b.period(coach, ago(400), team=team)
    b.placement(cut, ago(300))
    b.support(cut, ago(31))  # the 32nd day back: support cut
    b.support(cut, ago(2), kind="client_meeting")  # not follow-along support
    ended = b.period(coach, ago(400), team=team)
    b.placement(ended, ago(300), ended_on=ago(10))  # not working on the day
    figure = prefill.follow_along_figure(team, ON)
    # 2 of 3 working clients: 67 %, anchor 3.
    assert (figure.value, figure.count, figure.base, figure.score) == (Decimal(67), 2, 3, 3)


@pytest.mark.django_db
def test_no_data_gives_no_score(team):
    figures = prefill.prefills_compute(scale_get(), team, ON)
    assert set(figures) == {
        "caseload_size",
        "job_development_frequency",
        "rapid_job_search",
        "diversity_of_job_types",
        "diversity_of_employers",
        "competitive_jobs",
        "time_unlimited_follow_along",
    }
    assert all(f.score is None for f in figures.values())
    assert prefill.figure_text(figures["caseload_size"].as_json()) == "Ei tietoja laskettavaksi."


def _build(team, coach, n):
    at = b.employer(team, coach)
    for _ in range(n):
        p = b.period(coach, ago(100), team=team)
        b.contact(at, coach, ago(90), about=p)
        b.placement(p, ago(80))
        b.support(p, ago(5))


@pytest.mark.django_db
def test_prefill_queries_constant_in_data_size(team, coach):
    _build(team, coach, 2)
    with CaptureQueriesContext(connection) as small:
        prefill.prefills_compute(scale_get(), team, ON)
    _build(team, coach, 12)
    with CaptureQueriesContext(connection) as large:
        figures = prefill.prefills_compute(scale_get(), team, ON)
    assert figures["caseload_size"].count == 14
    assert len(small) == len(large)
