"""Differencing: a manager reads the region's figures and their own organisation's, so a
region figure that differs from their own by 1–4 people would count the other organisations'
people. The expected answers are worked out by hand below, per cell: others = region - own."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import StaffFactory
from tyollisyystalo.indicators.tests import builders as b
from tyollisyystalo.indicators.tests.conftest import World
from tyollisyystalo.indicators.tests.test_api import VALUES, api
from tyollisyystalo.staff.roles import Role

Q1 = {"period": "quarter", "from": "2026-01-01", "to": "2026-03-31", "region": "true"}
ON = dt.date(2026, 2, 10)


@pytest.fixture
def closed(world: World) -> World:
    # X01: own 10 closed (5 to work), others 3 (all to work): the region 13 and 8 - 3 apart.
    b.closed_paths(world.own, world.staff, world.x01, count=5, outcome="job_or_study", on=ON)
    b.closed_paths(world.own, world.staff, world.x01, count=5, outcome="declined", on=ON)
    b.closed_paths(
        world.other, world.other_staff, world.x01, count=3, outcome="job_or_study", on=ON
    )
    # X02: own 10 closed (none to work), others 8 (all to work): 18 and 8, 8 apart.
    b.closed_paths(world.own, world.staff, world.x02, count=10, outcome="declined", on=ON)
    b.closed_paths(
        world.other, world.other_staff, world.x02, count=8, outcome="job_or_study", on=ON
    )
    return world


def _region(reader, municipality: str | None = None) -> dict[str, object]:
    query = dict(Q1, **({"municipality": municipality} if municipality else {}))
    response = api(reader).get(VALUES, query)
    assert response.status_code == 200, response.content
    [value] = response.json()
    return value


@pytest.mark.django_db
def test_a_managers_region_hides_what_differs_from_their_own_by_a_few(closed: World) -> None:
    manager = StaffFactory.create(organisation=closed.own, role=Role.MANAGER)
    x01, x02, x03 = (_region(manager, m) for m in ("X01", "X02", "X03"))
    # X01: 13 - 10 = 3 other people closed, 8 - 5 = 3 placed: hidden.
    assert x01["suppressed"] is True
    assert x01["value"] is None
    assert x01["denominator"] is None
    # X01 hidden, so one more part of the line X01 + X02 + X03 = region is hidden: the smallest
    # with people (X02, 18; X03 has none).
    assert x02["suppressed"] is True
    assert (x03["suppressed"], x03["denominator"]) == (False, 0)
    # The region's total: 31 closed against the manager's 20 (11 apart), 16 placed against 5.
    total = _region(manager)
    assert (total["numerator"], total["denominator"], total["suppressed"]) == (16, 31, False)


@pytest.mark.django_db
def test_a_reader_without_an_own_view_sees_the_region_whole(closed: World) -> None:
    raija = StaffFactory.create(organisation=closed.own, role=Role.STEERING_GROUP)
    x01, x02 = _region(raija, "X01"), _region(raija, "X02")
    assert (x01["numerator"], x01["denominator"], x01["suppressed"]) == (8, 13, False)
    assert (x02["numerator"], x02["denominator"], x02["suppressed"]) == (8, 18, False)


@pytest.mark.django_db
def test_the_managers_own_view_is_not_changed(closed: World) -> None:
    manager = StaffFactory.create(organisation=closed.own, role=Role.MANAGER)
    own = dict(Q1, region="false", municipality="X01")
    [x01] = api(manager).get(VALUES, own).json()
    assert (x01["numerator"], x01["denominator"], x01["suppressed"]) == (5, 10, False)


@pytest.mark.django_db
def test_the_regional_page_shows_the_same_hiding(client, closed: World) -> None:
    from conftest import login

    manager = StaffFactory.create(organisation=closed.own, role=Role.MANAGER)
    login(client, manager)
    page = client.get("/johtaminen/mittarit/", {"jakso": "2026-Q1", "alue": "1"})
    assert page.status_code == 200
    row = _overview_row(page.content.decode(), "Työelämään sijoittuneet")
    # Columns: the region, then the municipalities by name (Esimerkkilä X01, Järvikylä X03,
    # Pohjala X02): the region's 16 / 31 = 52 %, X01 and X02 hidden, X03 no one.
    assert row[0].startswith("52")
    assert row[1] == "x"
    assert row[3] == "x"


def _overview_row(html: str, name: str) -> list[str]:
    import re

    table = html[html.index('id="overview-table"') :]
    table = table[: table.index("</table>")]
    start = table.index(f">{name}</a></th>")
    row = table[start : table.index("</tr>", start)]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
