"""Who sees a team's register: expected answers written from ADR 0023 decisions 2 and 7."""

import pytest
from django.urls import reverse

from conftest import StaffFactory, login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.employers.models import Employer
from tyollisyystalo.staff.roles import Role

# (who, may read, may write) — read from the ADR, not from the code.
EXPECTED = {
    "coach_of_team_org": (True, True),
    "coach_of_second_team_org": (True, True),
    "manager_of_team_org": (True, False),
    "coordinator_of_team_org": (False, False),
    "coach_of_other_team": (False, False),
    "leader_of_other_org": (True, True),
}


def make_who(who, askel, klubi, muu, team):
    if who == "coach_of_team_org":
        return StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
    if who == "coach_of_second_team_org":
        return StaffFactory.create(organisation=klubi, role=Role.JOB_COACH)
    if who == "manager_of_team_org":
        return StaffFactory.create(organisation=askel, role=Role.MANAGER)
    if who == "coordinator_of_team_org":
        return StaffFactory.create(organisation=askel, role=Role.COORDINATOR)
    if who == "coach_of_other_team":
        return StaffFactory.create(organisation=muu, role=Role.JOB_COACH)
    staff = StaffFactory.create(organisation=muu, role=Role.COORDINATOR)
    team.leaders.add(staff)
    return staff


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_register_pages_by_who(client, who, askel, klubi, muu, team, employer):
    may_read, may_write = EXPECTED[who]
    login(client, make_who(who, askel, klubi, muu, team))
    before = AccessLogEntry.objects.count()

    listing = client.get(reverse("employers:team", kwargs={"pk": team.pk}))
    detail = client.get(reverse("employers:detail", kwargs={"pk": employer.pk}))
    edit = client.post(
        reverse("employers:edit", kwargs={"pk": employer.pk}),
        {"name": "Muutettu Oy", "business_id": "", "sector": "C"},
    )

    assert listing.status_code == (200 if may_read else 404)
    assert detail.status_code == (200 if may_read else 404)
    if may_read:
        assert "Leipomo Esimerkki Oy" in listing.text
    else:
        assert "Leipomo Esimerkki Oy" not in listing.text + detail.text
    assert edit.status_code == (302 if may_write else 404)
    employer.refresh_from_db()
    assert (employer.name == "Muutettu Oy") is may_write
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
def test_other_teams_employer_is_404_and_unchanged(client, other_coach, employer, team):
    login(client, other_coach)
    for url in (
        reverse("employers:team", kwargs={"pk": team.pk}),
        reverse("employers:new", kwargs={"pk": team.pk}),
        reverse("employers:detail", kwargs={"pk": employer.pk}),
    ):
        assert client.get(url).status_code == 404
    response = client.post(reverse("employers:new", kwargs={"pk": team.pk}), {"name": "X Oy"})
    assert response.status_code == 404
    assert not Employer.objects.filter(name="X Oy").exists()
    assert client.get(reverse("employers:index")).status_code == 404


@pytest.mark.django_db
def test_nav_shows_register_to_coach(client, coach, team):
    login(client, coach)
    response = client.get(reverse("employers:index"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Työnantajarekisteri" in page.text
