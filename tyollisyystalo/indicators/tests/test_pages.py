"""The indicator page and the goals page: who sees what, what they show, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.indicators.models import IndicatorGoal
from tyollisyystalo.indicators.periods import PeriodKind, period_of
from tyollisyystalo.indicators.tests import builders as b
from tyollisyystalo.indicators.tests.conftest import World
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

URL = "/johtaminen/mittarit/"
GOALS = "/johtaminen/mittarit/tavoitteet/"
# A second reading of the role table: who sees management figures, who the region.
SEES_OWN = {Role.MANAGER}
SEES_REGION = {Role.MANAGER, Role.STEERING_GROUP}
SETS_GOALS = {Role.MANAGER, Role.STEERING_GROUP}  # their organisation's; the region's


def manager_of(world: World) -> StaffMember:
    return StaffFactory.create(organisation=world.own, role=Role.MANAGER)


def page(http: HttpClient, staff: StaffMember, query: str = "") -> tuple[int, str]:
    login(http, staff)
    response = http.get(URL + query)
    return response.status_code, response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_who_reaches_the_indicator_page(client: HttpClient, world: World, role: Role) -> None:
    staff = StaffFactory.create(organisation=world.own, role=role)
    before = AccessLogEntry.objects.count()
    status, body = page(client, staff)
    assert status == (200 if role in SEES_REGION else 403)
    if role not in SEES_REGION:
        assert "Mittarit ja tavoitteet" not in body
    assert AccessLogEntry.objects.count() == before  # no client data was read
    status, _ = page(client, staff, "?alue=1")
    assert status == (200 if role in SEES_REGION else 403)
    login(client, staff)
    assert client.get(GOALS).status_code == (200 if role in SETS_GOALS else 403)


@pytest.mark.django_db
def test_foreign_organisation_and_municipality_are_404(client: HttpClient, world: World) -> None:
    manager = manager_of(world)
    assert page(client, manager, "?organisaatio=org-other")[0] == 404
    assert page(client, manager, "?kunta=X03")[0] == 404  # not served by our organisation
    assert page(client, manager, "?kunta=X99")[0] == 404
    assert page(client, manager, f"?organisaatio={world.own.code}&kunta=X02")[0] == 200
    # In the regional view every municipality of the region is there.
    assert page(client, manager, "?alue=1&kunta=X03")[0] == 200


@pytest.mark.django_db
def test_steering_group_sees_only_the_region(client: HttpClient, world: World) -> None:
    raija = StaffFactory.create(organisation=world.own, role=Role.STEERING_GROUP)
    status, body = page(client, raija)
    assert status == 200
    assert "Koko alue" in body
    assert world.own.name_fi not in body[body.index("<main") :]
    assert page(client, raija, f"?organisaatio={world.own.code}")[0] == 404


def _placed(world: World, count: int, home: str, outcome: str, on: dt.date) -> None:
    home_town = getattr(world, home)
    b.closed_paths(world.own, world.staff, home_town, count=count, outcome=outcome, on=on)


@pytest.mark.django_db
def test_page_shows_figure_goal_n_trend_and_how_it_is_counted(
    client: HttpClient, world: World
) -> None:
    today = timezone.localdate()
    quarter = period_of(PeriodKind.QUARTER, today)
    last = quarter.previous()
    _placed(world, 3, "x01", "job_or_study", last.start)  # previous quarter: 3 of 6 = 50 %
    _placed(world, 3, "x01", "declined", last.start)
    _placed(world, 5, "x01", "job_or_study", last.end)  # this is the chosen quarter below
    _placed(world, 5, "x02", "declined", last.end)
    IndicatorGoal.objects.create(
        indicator="placed_in_working_life",
        period_kind="year",
        period_start=period_of(PeriodKind.YEAR, last.start).start,
        target=Decimal(28),
    )
    status, body = page(client, manager_of(world), f"?jakso={last.code}")
    assert status == 200
    # Chosen quarter: 5 of 16 = 31 %; both quarters' paths closed in it (start and end days).
    # 3+3 on the first day, 5+5 on the last: 8 placed of 16 = 50 %.
    assert "8 / 16" in body
    assert "50 %" in body
    assert "Luvun takana 16 henkilöä tai vastausta." in body
    assert "(28 %)" in body  # the region's goal beside the figure in the overview
    assert "tavoite saavutettu" in body
    assert "Miten tämä lasketaan?" in body
    assert "Palvelupolun päättymispäivä on kauden ensimmäisen" in body  # the period rule
    assert "<svg" in body
    assert "Katkoviiva: tavoite." in body
    assert last.previous().label in body  # the trend: previous periods in the table


@pytest.mark.django_db
def test_page_in_swedish_and_english(client: HttpClient, world: World) -> None:
    manager = manager_of(world)
    login(client, manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    body = client.get(URL).content.decode()
    assert "Placerade i arbetslivet" in body
    assert "Hur räknas detta?" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(URL).content.decode()
    assert "Placed in working life" in body
    assert "How is this counted?" in body


@pytest.mark.django_db
def test_a_bad_period_is_400_with_a_message(client: HttpClient, world: World) -> None:
    status, body = page(client, manager_of(world), "?jakso=2026-Q9")
    assert status == 400
    assert "Valitse kausi luettelosta." in body


def _query_count(client: HttpClient, manager: StaffMember, query: str = "") -> int:
    login(client, manager)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL + query).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_the_data(client: HttpClient, world: World) -> None:
    manager = manager_of(world)
    today = timezone.localdate()

    def add(count: int) -> None:
        for index in range(count):
            home = world.x01 if index % 2 else world.x02
            person = b.resident(world.own, home)
            case = b.path(
                person,
                world.own,
                world.staff,
                referred_on=today - dt.timedelta(days=100),
                started_on=today - dt.timedelta(days=90),
            )
            b.review(case, due_on=today - dt.timedelta(days=10))
            b.referral(case, world.other, sent_on=today - dt.timedelta(days=20))
            period = b.coaching(person, world.own, world.staff, started_on=today)
            b.job(period, started_on=today)
            b.work_ability(person, world.own, answered_on=today, score=5)

    add(3)
    few = _query_count(client, manager)
    add(12)
    assert _query_count(client, manager) == few
    assert _query_count(client, manager, "?alue=1") == _query_count(client, manager, "?alue=1")


@pytest.mark.django_db
def test_manager_sets_a_goal_and_sees_it(client: HttpClient, world: World) -> None:
    manager = manager_of(world)
    login(client, manager)
    response = client.post(
        GOALS,
        {"indicator": "client_activation", "scope": "X01", "period": "2026", "target": "37,5"},
    )
    assert response.status_code == 302
    goal = IndicatorGoal.objects.get()
    assert (goal.organisation, goal.municipality, goal.target) == (
        world.own,
        world.x01,
        Decimal("37.5"),
    )
    assert (goal.period_kind, goal.period_start, goal.set_by) == (
        "year",
        dt.date(2026, 1, 1),
        manager,
    )
    # Setting it again changes it; nothing is added.
    client.post(
        GOALS, {"indicator": "client_activation", "scope": "X01", "period": "2026", "target": "40"}
    )
    assert IndicatorGoal.objects.get().target == Decimal(40)
    assert "Asiakkaiden aktivointi" in client.get(GOALS).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target": "101"}, "Tavoitteen pitää olla välillä 0–100."),
        ({"target": "-1"}, "Tavoitteen pitää olla välillä 0–100."),
        ({"target": "abc"}, "Anna tavoite lukuna"),
        ({"target": "1,234"}, "enintään kahden desimaalin"),
        ({"indicator": "client_satisfaction", "target": "11"}, "välillä 4–10"),
        ({"indicator": "nope"}, "Valitse oikea vaihtoehto"),
        ({"scope": "X03"}, "Valitse oikea vaihtoehto"),  # a municipality we do not serve
        ({"period": "2026-Q9"}, "Valitse kausi luettelosta."),
    ],
)
def test_bad_goals_are_refused_and_nothing_is_saved(
    client: HttpClient, world: World, data: dict[str, str], message: str
) -> None:
    login(client, manager_of(world))
    posted = {"indicator": "placed_in_working_life", "scope": "", "period": "2026", "target": "30"}
    response = client.post(GOALS, {**posted, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IndicatorGoal.objects.exists()


@pytest.mark.django_db
def test_another_organisations_goal_cannot_be_removed(client: HttpClient, world: World) -> None:
    theirs = IndicatorGoal.objects.create(
        indicator="placed_in_working_life",
        organisation=world.other,
        period_kind="year",
        period_start=dt.date(2026, 1, 1),
        target=Decimal(30),
    )
    mine = IndicatorGoal.objects.create(
        indicator="placed_in_working_life",
        organisation=world.own,
        period_kind="year",
        period_start=dt.date(2026, 1, 1),
        target=Decimal(30),
    )
    login(client, manager_of(world))
    assert client.post(f"{GOALS}{theirs.pk}/poista/").status_code == 404
    assert IndicatorGoal.objects.filter(pk=theirs.pk).exists()
    assert client.post(f"{GOALS}{mine.pk}/poista/").status_code == 302
    assert not IndicatorGoal.objects.filter(pk=mine.pk).exists()


@pytest.mark.django_db
def test_management_front_page_links_to_the_indicators(client: HttpClient, world: World) -> None:
    login(client, manager_of(world))
    assert f'href="{URL}"' in client.get("/johtaminen/").content.decode()


@pytest.mark.django_db
def test_steering_group_sets_and_removes_the_regions_shared_goals(
    client: HttpClient, world: World
) -> None:
    raija = StaffFactory.create(organisation=world.own, role=Role.STEERING_GROUP)
    login(client, raija)
    assert "Aseta alueen yhteiset tavoitteet" in page(client, raija, "")[1]
    response = client.post(
        GOALS,
        {
            "indicator": "placed_in_working_life",
            "scope": "X03",  # any municipality of the region, not only one an organisation serves
            "period": "2026",
            "target": "28",
            "basis": "Yhteistyösopimus 2026",
        },
    )
    assert response.status_code == 302
    goal = IndicatorGoal.objects.get()
    assert (goal.organisation, goal.municipality, goal.target, goal.basis, goal.set_by) == (
        None,
        world.x03,
        Decimal(28),
        "Yhteistyösopimus 2026",
        raija,
    )
    listed = client.get(GOALS).content.decode()
    assert "Alueen yhteiset tavoitteet" in listed
    assert "Järvikylä" in listed
    # Shown beside the region's figure for that municipality.
    region = page(client, raija, "?jakso=2026-Q1&kunta=X03")[1]
    assert "tavoite 28 %" in region
    # A manager can neither remove it nor see a form for the region.
    manager = manager_of(world)
    login(client, manager)
    assert client.post(f"{GOALS}{goal.pk}/poista/").status_code == 404
    assert "Koko alue, Järvikylä" not in client.get(GOALS).content.decode()
    # The steering group cannot remove an organisation's goal; it removes the region's.
    theirs = IndicatorGoal.objects.create(
        indicator="placed_in_working_life",
        organisation=world.own,
        period_kind="year",
        period_start=dt.date(2026, 1, 1),
        target=Decimal(30),
    )
    login(client, raija)
    assert client.post(f"{GOALS}{theirs.pk}/poista/").status_code == 404
    assert client.post(f"{GOALS}{goal.pk}/poista/").status_code == 302
    assert list(IndicatorGoal.objects.all()) == [theirs]


@pytest.mark.django_db
def test_a_bad_region_goal_is_refused_and_nothing_is_saved(
    client: HttpClient, world: World
) -> None:
    login(client, StaffFactory.create(organisation=world.own, role=Role.STEERING_GROUP))
    posted = {"indicator": "placed_in_working_life", "scope": "", "period": "2026", "target": "28"}
    response = client.post(GOALS, {**posted, "basis": "x" * 301})
    assert response.status_code == 400
    assert "Peruste on liian pitkä." in response.content.decode()
    response = client.post(GOALS, {**posted, "scope": "X99"})
    assert response.status_code == 400
    assert not IndicatorGoal.objects.exists()
