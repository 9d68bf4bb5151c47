"""Who sees which situation picture: the rules read a second time, by hand, not from the code.

Managers see their own organisation per municipality it serves, and the region; the steering
group only the region, in aggregate; every other role nothing (403). Another organisation or a
municipality outside the view is 404; a period the picker does not offer is 400. A refused
request shows no figure and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.indicators.periods import parse_period
from tyollisyystalo.situation.tests.builders import Q1, URL, H, X, table_cells
from tyollisyystalo.staff.roles import Role

SEES_PICTURE = {Role.MANAGER, Role.STEERING_GROUP}
DOWNLOADS = ("", "tilannekuva.csv", "tilannekuva.xlsx")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("download", DOWNLOADS)
def test_picture_by_role(client: HttpClient, employment, role: Role, download: str) -> None:
    staff = StaffFactory.create(role=role, organisation=employment)
    login(client, staff)
    before = AccessLogEntry.objects.count()
    response = client.get(f"{URL}{download}?{Q1}")
    assert response.status_code == (200 if role in SEES_PICTURE else 403)
    if role not in SEES_PICTURE:
        assert b"table-headline" not in response.content
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("organisation=org-hva", 404),  # another organisation
        ("organisation=org-esimerkkila-tyollisyys", 200),  # his own, named
        ("municipality=103", 404),  # Ceeta: not served by his organisation
        ("municipality=999", 404),  # no such municipality
        ("municipality=101", 200),  # Aalto: the charts draw Aalto's column
        ("view=region&municipality=103", 200),  # the region has Ceeta
        ("jakso=2026-Q5", 400),
        ("jakso=2026-13", 400),
        ("jakso=kvartaali", 400),
        ("jakso=2999", 400),  # not begun
        ("jakso=1999", 400),
    ],
)
def test_bad_requests_answer_plainly(
    client: HttpClient, mikko, quarter, query: str, status: int
) -> None:
    login(client, mikko)
    params = query if "jakso=" in query else f"{Q1}&{query}"
    for download in DOWNLOADS:
        response = client.get(f"{URL}{download}?{params}")
        assert response.status_code == status, download
        if status != 200:
            assert b"table-headline" not in response.content
    if status == 400:
        page = client.get(f"{URL}?{params}").content.decode()
        assert "Valitse kausi luettelosta" in page


@pytest.mark.django_db
def test_steering_group_sees_the_region_in_aggregate_only(
    client: HttpClient, employment, county, quarter
) -> None:
    raija = StaffFactory.create(role=Role.STEERING_GROUP, organisation=county)
    login(client, raija)
    assert client.get(f"{URL}?{Q1}&organisation=org-esimerkkila-tyollisyys").status_code == 404
    assert client.get(f"{URL}?{Q1}&organisation=org-hva").status_code == 404
    html = client.get(f"{URL}?{Q1}").content.decode()
    # Both organisations' paths add up, per municipality of the region: Aalto, Beeta, Ceeta,
    # other. In service: Aalto 8 + the county's x1 = 9, Beeta 3, Ceeta c1 = 1, other o1 = 1,
    # total 14. By age (25–34: 6 0 1 0 | 7; 35–44: 2 3 0 0 | 5; 65+: 1 0 0 0 | 1; unknown:
    # 0 0 0 1 | 1) row 25–34 hides Aalto's 6 ("x") beside Ceeta's 1; 35–44's total 5 shows.
    # New: 8 3 1 1 | 13; the quarter before had 1 open path at its end, so 14 = 1 + 13 would
    # give the hidden 1 back: new 13 is hidden ("x").
    headline = table_cells(html, "headline")
    assert headline["in_service"] == ["9", H, H, H, "14"]
    assert headline["new"] == ["8", H, H, H, X]
    ages = table_cells(html, "age_group")
    assert ages["25_34"] == [X, "0", H, "0", "7"]
    assert ages["35_44"] == [H, H, "0", "0", "5"]
    # No organisation is named or shown apart.
    assert "Esimerkkilän työllisyyspalvelut" not in html
    assert "view=region" not in html  # nothing to switch to


@pytest.mark.django_db
def test_manager_switches_between_own_and_regional_view(client: HttpClient, mikko, quarter) -> None:
    login(client, mikko)
    own = client.get(f"{URL}?{Q1}").content.decode()
    assert table_cells(own, "headline")["in_service"] == ["8", H, H, "13"]
    assert "view=region" in own
    region = client.get(f"{URL}?{Q1}&view=region").content.decode()
    # The region's Aalto (9) and total (14) are Mikko's own 8 and 13 plus one person of the
    # county: hidden from him, or the difference would count that person.
    assert table_cells(region, "headline")["in_service"] == [X, H, H, H, X]


@pytest.mark.django_db
def test_no_region_figure_shown_to_a_manager_differs_from_their_own_by_a_few(
    client: HttpClient, mikko, county, quarter
) -> None:
    """Second reading: others = region - own, counted cell by cell from the raw figures of both
    (the counting, not the protection); every cell Mikko's regional view shows must leave the
    others at 0 or at least 5. The steering group, who has no own view, sees the region's 9."""
    from tyollisyystalo.situation.selectors import OPEN_STATUSES, situation_figures

    codes = ["101", "102", "103"]
    period = parse_period("2026-Q1")
    region = situation_figures(
        organisation_ids=None, municipality_codes=codes, period=period, using="default"
    ).current.counts["state"]
    own = situation_figures(
        organisation_ids=[mikko.organisation.pk],
        municipality_codes=codes,
        period=period,
        using="default",
    ).current.counts["state"]

    def raw(counts: dict[str, dict[str, int]], row: str, column: str | None) -> int:
        rows = {"open": list(OPEN_STATUSES), "total": [*OPEN_STATUSES, "closed"]}.get(row, [row])
        columns = [column] if column else [*codes, "_other"]
        return sum(counts[r][c] for r in rows for c in columns)

    login(client, mikko)
    shown = table_cells(client.get(f"{URL}?{Q1}&view=region").content.decode(), "state")
    checked = 0
    for row, cells in shown.items():
        for column, cell in zip([*codes, "_other", None], cells, strict=True):
            if cell not in (H, X):
                others = raw(region, row, column) - raw(own, row, column)
                assert not 0 < others < 5, (row, column, cell, others)
                checked += 1
    assert checked
    assert shown["total"][0] == X  # Aalto: 9 in the region, 8 of Mikko's
    raija = StaffFactory.create(role=Role.STEERING_GROUP, organisation=county)
    login(client, raija)
    seen = table_cells(client.get(f"{URL}?{Q1}").content.decode(), "headline")
    assert seen["in_service"][0] == "9"
