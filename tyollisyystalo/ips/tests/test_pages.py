"""The measures' pages: who sees them (expected from ADR 0023 decision 14), no client names,
nothing logged, queries constant in data size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.ips.tests import builders as b
from tyollisyystalo.staff.roles import Role

# who → (own page, the team's page)
EXPECTED = {
    "coach_of_team_org": (200, 404),
    "leader": (200, 200),
    "leader_from_outside": ("redirect", 200),
    "manager_of_team_org": ("redirect", 200),
    "coordinator_of_team_org": (404, 404),
    "coach_of_other_team": (200, 404),
    "manager_of_other_org": ("their_own_team", 404),
}


def make_who(who, askel, klubi, muu, team):
    if who == "leader":
        staff = StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
        team.leaders.add(staff)
        return staff
    if who == "leader_from_outside":
        staff = StaffFactory.create(organisation=muu, role=Role.COORDINATOR)
        team.leaders.add(staff)
        return staff
    if who == "coach_of_team_org":
        return StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
    if who == "manager_of_team_org":
        return StaffFactory.create(organisation=klubi, role=Role.MANAGER)
    if who == "coordinator_of_team_org":
        return StaffFactory.create(organisation=askel, role=Role.COORDINATOR)
    if who == "coach_of_other_team":
        return StaffFactory.create(organisation=muu, role=Role.JOB_COACH)
    return StaffFactory.create(organisation=muu, role=Role.MANAGER)


def build(team, coach, n):
    at = b.employer(team, coach)
    for i in range(n):
        p = b.period(coach, b.days_ago(400 + i), team=team)
        b.contact(at, coach, b.days_ago(380 + i), about=p)
        b.contact(at, coach, b.days_ago(i % 50))
        b.placement(p, b.days_ago(300 + i), hours="25", wage="14.00")


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_pages_by_who(client, who, askel, klubi, muu, team, other_team, coach):
    build(team, coach, 3)
    own, team_page = EXPECTED[who]
    login(client, make_who(who, askel, klubi, muu, team))
    before = AccessLogEntry.objects.count()
    mine = client.get(reverse("ips:own"))
    theirs = client.get(reverse("ips:team", kwargs={"pk": team.pk}))
    if own == "redirect":
        assert mine.status_code == 302
        assert mine["Location"] == reverse("ips:team", kwargs={"pk": team.pk})
    elif own == "their_own_team":
        assert mine["Location"] == reverse("ips:team", kwargs={"pk": other_team.pk})
    else:
        assert mine.status_code == own
    assert theirs.status_code == team_page
    if team_page == 404:
        assert coach.display_name not in theirs.text
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
def test_team_page_shows_coaches_not_clients(client, team, coach, leader):
    build(team, coach, 4)
    login(client, leader)
    page = client.get(reverse("ips:team", kwargs={"pk": team.pk}))
    assert page.status_code == 200
    assert coach.display_name in page.text
    assert "Testi" not in page.text  # the built clients' names
    assert "Asiakas Testi" not in page.text
    for text in (
        "Työllistyi avoimille työmarkkinoille",
        "Miten mittarit lasketaan",
        "12 kuukauden seurantaryhmä",
        "18 kuukauden seurantaryhmä",
    ):
        assert text in page.text


@pytest.mark.django_db
def test_own_page_for_the_coach(client, team, coach):
    build(team, coach, 3)
    login(client, coach)
    page = client.get(reverse("ips:own"))
    assert page.status_code == 200
    assert "Omat IPS-mittarit" in page.text
    assert "Testi" not in page.text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_pages_in_other_languages(client, team, coach, leader, language):
    build(team, coach, 3)
    login(client, leader)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("ips:team", kwargs={"pk": team.pk}))
    assert f'<html lang="{language}">' in page.text


@pytest.mark.django_db
def test_queries_constant_in_data_size(client, team, coach, coach2, leader):
    build(team, coach, 2)
    login(client, leader)
    url = reverse("ips:team", kwargs={"pk": team.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build(team, coach, 15)
    build(team, coach2, 10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)
    login(client, coach)
    with CaptureQueriesContext(connection) as own_small:
        client.get(reverse("ips:own"))
    build(team, coach, 10)
    with CaptureQueriesContext(connection) as own_large:
        client.get(reverse("ips:own"))
    assert len(own_small) == len(own_large)
    assert dt.date.today()  # pages are counted on today's date


def _cohort_row(html: str, months: int) -> list[str]:
    """The cells of the "clients in the cohort" row of one outcome table."""
    table = html.split(f'id="outcomes-{months}"')[1].split("</table>")[0]
    row = table.split("Asiakkaita ryhmässä</th>")[1].split("</tr>")[0]
    return [cell.split("</td>")[0].strip() for cell in row.split("<td>")[1:]]


@pytest.mark.django_db
def test_small_cohorts_hidden_and_not_worked_back_from_the_team_total(
    client, team, coach, coach2, leader
):
    # 3 + 7 = 10 in the 12-month cohort: 3 is hidden ("< 5"), and since 3 = 10 - 7 the 7 is
    # hidden too ("x"); the team's 10 stays.
    build(team, coach, 3)
    build(team, coach2, 7)
    login(client, leader)
    page = client.get(reverse("ips:team", kwargs={"pk": team.pk}))
    header = page.text.split('id="outcomes-12"')[1].split("</thead>")[0]
    columns = [th.split("</th>")[0] for th in header.split('<th scope="col">')[2:]]
    cells = dict(zip(columns, _cohort_row(page.text, 12), strict=True))
    cells = {name: cells[name] for name in (coach.display_name, coach2.display_name)} | {
        "team": cells["Tiimi yhteensä"]
    }
    assert cells == {coach.display_name: "&lt; 5", coach2.display_name: "x", "team": "10"}
    assert ">3<" not in page.text.split('id="outcomes-12"')[1].split("</table>")[0]


@pytest.mark.django_db
def test_own_page_hides_a_small_cohort(client, team, coach):
    build(team, coach, 4)
    login(client, coach)
    page = client.get(reverse("ips:own"))
    assert _cohort_row(page.text, 12) == ["&lt; 5"]
