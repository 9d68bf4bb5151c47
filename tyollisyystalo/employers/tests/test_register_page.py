"""The register page at size: a count that stops at the cap, paging without a full count, the
owner's notices read only since the last visit, and rows as the page shows them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from tyollisyystalo.employers import selectors
from tyollisyystalo.employers.models import Employer, EmployerContact, RegisterVisit

NOTICES = "Muiden valmentajien yhteydenotot työnantajiisi"


def names(response):
    """The employer names of the page's table rows, in order."""
    return [
        line.split('">', 2)[2].split("</a>")[0]
        for line in response.text.splitlines()
        if line.startswith('  <tr><th scope="row">')
    ]


@pytest.fixture
def seven(team, coach):
    """Seven employers, "Yritys 1 Oy" … "Yritys 7 Oy", the first owned by the coach."""
    return [
        Employer.objects.create(
            team=team, name=f"Yritys {n} Oy", owner=coach if n == 1 else None, created_by=coach
        )
        for n in range(1, 8)
    ]


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of three rows and a count that stops at five."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)


@pytest.mark.django_db
def test_count_over_the_cap_says_over_and_pages_still_go_on(
    client, coach, team, seven, small_pages
):
    login(client, coach)
    url = reverse("employers:team", kwargs={"pk": team.pk})
    first = client.get(url)
    assert "Yli 5 työnantajaa" in first.text
    assert names(first) == ["Yritys 1 Oy", "Yritys 2 Oy", "Yritys 3 Oy"]
    assert "Seuraava sivu" in first.text
    assert "Edellinen sivu" not in first.text
    third = client.get(url, {"sivu": "3"})  # rows 7–9 of 7: past the cap, known without a count
    assert names(third) == ["Yritys 7 Oy"]
    assert "Seuraava sivu" not in third.text
    assert "Edellinen sivu" in third.text


@pytest.mark.django_db
def test_count_within_the_cap_is_exact(client, coach, team, seven, small_pages):
    login(client, coach)
    url = reverse("employers:team", kwargs={"pk": team.pk})
    response = client.get(url, {"q": "Yritys 1"})  # one match
    main = response.text[response.text.index("<main") :]  # not the random CSRF token
    assert "1 työnantaja" in main
    assert "Yli " not in main
    Employer.objects.filter(name__in=["Yritys 6 Oy", "Yritys 7 Oy"]).delete()
    assert "5 työnantajaa" in client.get(url).text  # five: the cap itself is counted exactly


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("2", ["Yritys 4 Oy", "Yritys 5 Oy", "Yritys 6 Oy"]),
        ("9", ["Yritys 7 Oy"]),
        ("2147483647", ["Yritys 7 Oy"]),
        ("x", None),
        ("0", None),
        ("٣", None),
        ("99999999999", None),
    ],
)
def test_a_page_past_the_end_shows_the_last_and_nonsense_the_first(
    client, coach, team, seven, small_pages, asked, shown
):
    login(client, coach)
    url = reverse("employers:team", kwargs={"pk": team.pk})
    response = client.get(url, {"sivu": asked})
    assert response.status_code == 200
    assert names(response) == (shown or ["Yritys 1 Oy", "Yritys 2 Oy", "Yritys 3 Oy"])


@pytest.mark.django_db
def test_page_past_the_end_within_the_cap(client, coach, team, seven, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    login(client, coach)
    url = reverse("employers:team", kwargs={"pk": team.pk})
    response = client.get(url, {"sivu": "5"})  # 7 employers: three pages, the third has one
    assert names(response) == ["Yritys 7 Oy"]
    assert "7 työnantajaa" in response.text


@pytest.mark.django_db
def test_rows_show_owner_sector_and_dashes(client, coach, team, seven, askel):
    login(client, coach)
    EmployerContact.objects.create(
        employer=seven[0],
        coach=coach,
        contacted_on=dt.date(2026, 11, 3),
        kind="call",
        owner_organisation=askel,
    )
    row = next(
        line
        for line in client.get(reverse("employers:team", kwargs={"pk": team.pk})).text.splitlines()
        if "Yritys 1 Oy" in line
    )
    detail = reverse("employers:detail", kwargs={"pk": seven[0].pk})
    assert f'<a href="{detail}">Yritys 1 Oy</a>' in row
    assert f"<td>{coach.display_name}</td>" in row
    assert "<td>Toimiala tuntematon</td>" in row  # sector X, the default
    assert "<td>3.11.2026</td>" in row
    assert row.count("<td>–</td>") == 2  # no Y-tunnus, no municipality
    other = next(
        line
        for line in client.get(reverse("employers:team", kwargs={"pk": team.pk})).text.splitlines()
        if "Yritys 2 Oy" in line
    )
    assert other.count("<td>–</td>") == 3  # no owner either
    assert "<td>Ei yhteydenottoja</td>" in other


@pytest.mark.django_db
def test_notices_are_the_contacts_logged_since_the_last_visit(
    client, coach, coach2, team, seven, askel
):
    def contact(created_at):
        return EmployerContact.objects.create(
            employer=seven[0],
            coach=coach2,
            contacted_on=dt.date(2026, 11, 3),
            kind="call",
            owner_organisation=askel,
            created_at=created_at,
        )

    now = timezone.now()
    RegisterVisit.objects.create(staff=coach, team=team, seen_at=now - dt.timedelta(hours=1))
    contact(now - dt.timedelta(hours=2))  # before the last visit: seen
    login(client, coach)
    url = reverse("employers:team", kwargs={"pk": team.pk})
    assert NOTICES not in client.get(url).text
    contact(timezone.now())  # after this visit: new
    page = client.get(url)
    assert NOTICES in page.text
    assert coach2.display_name in page.text
    assert NOTICES not in client.get(url).text  # and seen now
