"""GET /api/v1/indicators/ and /api/v1/indicators/{key}/values: answers, access, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import StaffFactory, login
from tyollisyystalo.indicators.models import IndicatorGoal
from tyollisyystalo.indicators.tests import builders as b
from tyollisyystalo.indicators.tests.conftest import World
from tyollisyystalo.staff.models import StaffMember
from tyollisyystalo.staff.roles import Role

LIST = "/api/v1/indicators/"
VALUES = "/api/v1/indicators/placed_in_working_life/values"
Q1 = {"period": "quarter", "from": "2026-01-01", "to": "2026-03-31"}


def api(staff: StaffMember) -> HttpClient:
    http = HttpClient()
    login(http, staff)
    return http


def manager(world: World) -> StaffMember:
    return StaffFactory.create(organisation=world.own, role=Role.MANAGER)


def closed(world: World, home: str, outcome: str, on: dt.date) -> None:
    b.closed_paths(world.own, world.staff, getattr(world, home), outcome=outcome, on=on)


@pytest.mark.django_db
def test_urls_are_the_issues() -> None:
    assert reverse("v1:indicators") == LIST
    assert reverse("v1:indicator-values", kwargs={"key": "placed_in_working_life"}) == VALUES


@pytest.mark.django_db
def test_definitions(world: World) -> None:
    response = api(world.staff).get(LIST)  # definitions are no figures: any staff member
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.json()}
    placed = rows["placed_in_working_life"]
    assert (placed["unit"], placed["direction"], placed["kind"]) == (
        "percent",
        "higher",
        "computed",
    )
    assert placed["name"] == {
        "fi": "Työelämään sijoittuneet",
        "sv": "Placerade i arbetslivet",
        "en": "Placed in working life",
    }
    assert set(placed) >= {"definition", "numerator", "denominator", "period_rule", "source"}
    assert rows["activation_rate"]["kind"] == "public"


@pytest.mark.django_db
def test_values_per_period_with_goal_and_suppression(world: World) -> None:
    for _ in range(5):
        closed(world, "x01", "job_or_study", dt.date(2026, 2, 1))
    for _ in range(5):
        closed(world, "x01", "declined", dt.date(2026, 3, 1))
    closed(world, "x01", "job_or_study", dt.date(2026, 4, 1))  # Q2: 1 of 1: suppressed
    IndicatorGoal.objects.create(
        indicator="placed_in_working_life",
        period_kind="year",
        period_start=dt.date(2026, 1, 1),
        target=Decimal(28),
    )
    response = api(manager(world)).get(VALUES, {**Q1, "to": "2026-06-30"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "key": "placed_in_working_life",
            "period": "2026-Q1",
            "start": "2026-01-01",
            "end": "2026-03-31",
            "value": 50.0,  # 5 of 10
            "numerator": 5,
            "denominator": 10,
            "n": 10,
            "goal": 28.0,
            "suppressed": False,
        },
        {
            "key": "placed_in_working_life",
            "period": "2026-Q2",
            "start": "2026-04-01",
            "end": "2026-06-30",
            "value": None,
            "numerator": None,
            "denominator": None,
            "n": None,
            "goal": 28.0,
            "suppressed": True,
        },
    ]
    x01 = api(manager(world)).get(VALUES, {**Q1, "municipality": "X01"}).json()
    assert (x01[0]["numerator"], x01[0]["denominator"]) == (5, 10)
    region = api(manager(world)).get(VALUES, {**Q1, "region": "true"}).json()
    assert (region[0]["numerator"], region[0]["denominator"]) == (5, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_values_by_role(world: World, role: Role) -> None:
    staff = StaffFactory.create(organisation=world.own, role=role)
    sees = role in {Role.MANAGER, Role.STEERING_GROUP}  # the role table read a second time
    response = api(staff).get(VALUES, Q1)
    assert response.status_code == (200 if sees else 403)
    if not sees:
        assert "value" not in response.content.decode()


@pytest.mark.django_db
def test_foreign_organisation_municipality_and_unknown_key_are_404(world: World) -> None:
    http = api(manager(world))
    assert http.get(VALUES, {**Q1, "organisation": "org-other"}).status_code == 404
    assert http.get(VALUES, {**Q1, "municipality": "X03"}).status_code == 404
    assert http.get(VALUES, {**Q1, "municipality": "X03", "region": "true"}).status_code == 200
    assert http.get("/api/v1/indicators/no_such/values", Q1).status_code == 404
    raija = StaffFactory.create(organisation=world.own, role=Role.STEERING_GROUP)
    assert api(raija).get(VALUES, {**Q1, "organisation": world.own.code}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"period": "week"}, "period"),
        ({"from": "2026-04-01", "to": "2026-01-01"}, "from"),
        ({"period": "month", "from": "2000-01-01", "to": "2026-01-01"}, "from"),
        ({"region": "maybe"}, "region"),
        ({"region": "true", "organisation": "org-esimerkkila-tyollisyys"}, "organisation"),
    ],
)
def test_bad_parameters_are_400_with_a_message(
    world: World, params: dict[str, str], field: str
) -> None:
    response = api(manager(world)).get(VALUES, {**Q1, **params})
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_api_queries_do_not_grow_with_the_data(world: World) -> None:
    http = api(manager(world))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert http.get(VALUES, Q1).status_code == 200
        return len(queries)

    closed(world, "x01", "job_or_study", dt.date(2026, 2, 1))
    few = count()
    for _ in range(10):
        closed(world, "x02", "declined", dt.date(2026, 3, 1))
    assert count() == few


@pytest.mark.django_db
def test_in_the_openapi_schema(client: HttpClient) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/indicators/{key}/values" in schema
    assert "/api/v1/indicators/" in schema
