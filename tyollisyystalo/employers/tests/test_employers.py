import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from tyollisyystalo.employers.models import (
    ContactKind,
    ContactPerson,
    Employer,
    EmployerContact,
    JobOpening,
)
from tyollisyystalo.employers.rules import InvalidBusinessId, business_id_normalise


@pytest.mark.parametrize(
    ("raw", "expected"), [("1234567-1", "1234567-1"), (" 12345671 ", "1234567-1"), ("", "")]
)
def test_business_id_normalised(raw, expected):
    assert business_id_normalise(raw) == expected


@pytest.mark.parametrize("raw", ["1234567-2", "123456-1", "abcdefg-h"])
def test_business_id_wrong(raw):
    with pytest.raises(InvalidBusinessId):
        business_id_normalise(raw)


def new_url(team):
    return reverse("employers:new", kwargs={"pk": team.pk})


@pytest.mark.django_db
def test_create_normalises_business_id(client, coach, team):
    login(client, coach)
    response = client.post(
        new_url(team), {"name": "Kahvila Oy", "business_id": "12345671", "sector": "I"}
    )
    assert response.status_code == 302
    assert Employer.objects.get(name="Kahvila Oy").business_id == "1234567-1"


@pytest.mark.django_db
def test_wrong_check_digit_is_400_in_finnish_and_keeps_input(client, coach, team):
    login(client, coach)
    response = client.post(
        new_url(team), {"name": "Kahvila Oy", "business_id": "1234567-2", "sector": "I"}
    )
    assert response.status_code == 400
    assert "Y-tunnus ei kelpaa" in response.text
    assert 'value="Kahvila Oy"' in response.text
    assert not Employer.objects.exists()


@pytest.mark.django_db
def test_wrong_check_digit_in_english(client, coach, team):
    login(client, coach)
    client.cookies["tt_language"] = "en"
    response = client.post(
        new_url(team),
        {"name": "Kahvila Oy", "business_id": "1234567-2", "sector": "I"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Y-tunnus ei kelpaa" not in response.text
    assert "The business ID is not valid" in response.text


@pytest.mark.django_db
def test_second_employer_with_same_business_id_is_409(client, coach, team, employer):
    login(client, coach)
    response = client.post(
        new_url(team), {"name": "Kopio Oy", "business_id": "1234567-1", "sector": "C"}
    )
    assert response.status_code == 409
    assert not Employer.objects.filter(name="Kopio Oy").exists()


@pytest.mark.django_db
def test_same_business_id_in_another_team_is_allowed(client, other_coach, other_team, employer):
    login(client, other_coach)
    response = client.post(
        new_url(other_team), {"name": "Leipomo Oy", "business_id": "1234567-1", "sector": "C"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_search_by_name_business_id_sector_municipality(client, coach, team, employer, town):
    Employer.objects.create(team=team, name="Kauppa Oy", sector="G", created_by=coach)
    login(client, coach)
    url = reverse("employers:team", kwargs={"pk": team.pk})
    assert "Leipomo" in client.get(url, {"q": "leipomo"}).text
    assert "Kauppa Oy" not in client.get(url, {"q": "1234567"}).text
    assert "Leipomo" in client.get(url, {"q": "1234567"}).text
    assert "Leipomo" not in client.get(url, {"sector": "G"}).text
    assert "Kauppa Oy" not in client.get(url, {"municipality": town.code}).text


@pytest.mark.django_db
def test_search_shows_last_contact_date(client, coach, team, employer, askel):
    EmployerContact.objects.create(
        employer=employer,
        coach=coach,
        contacted_on="2026-03-05",
        kind=ContactKind.CALL,
        owner_organisation=askel,
    )
    login(client, coach)
    response = client.get(reverse("employers:team", kwargs={"pk": team.pk}))
    assert "5.3.2026" in response.text


@pytest.mark.django_db
def test_search_queries_constant_in_data_size(client, coach, team, askel):
    login(client, coach)
    url = reverse("employers:team", kwargs={"pk": team.pk})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"q": "oy"}).status_code == 200
        return len(ctx)

    def add(n):
        for i in range(n):
            e = Employer.objects.create(
                team=team, name=f"Yritys {i} Oy", owner=coach, created_by=coach
            )
            EmployerContact.objects.create(
                employer=e,
                coach=coach,
                contacted_on="2026-01-01",
                kind="call",
                owner_organisation=askel,
            )

    add(2)
    count()  # the first visit records the visit (an insert instead of an update)
    small = count()
    add(30)
    assert count() == small


@pytest.mark.django_db
def test_merge_moves_history_and_keeps_duplicate(client, coach, team, employer, askel):
    duplicate = Employer.objects.create(team=team, name="Leipomo E. Oy", created_by=coach)
    contact = EmployerContact.objects.create(
        employer=duplicate,
        coach=coach,
        contacted_on="2026-02-01",
        kind="visit",
        owner_organisation=askel,
    )
    person = ContactPerson.objects.create(employer=duplicate, name="Maija Malli")
    opening = JobOpening.objects.create(
        employer=duplicate, kind="job", title="Leipuri", created_by=coach
    )
    login(client, coach)
    response = client.post(
        reverse("employers:merge", kwargs={"pk": duplicate.pk}), {"target": employer.pk}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == employer
    assert duplicate.merged_at is not None
    for row in (contact, person, opening):
        row.refresh_from_db()
        assert row.employer_id == employer.pk
    listing = client.get(reverse("employers:team", kwargs={"pk": team.pk}))
    assert "Leipomo E. Oy" not in listing.text
    page = client.get(reverse("employers:detail", kwargs={"pk": duplicate.pk}))
    assert page.status_code == 200
    assert "yhdistetty" in page.text


@pytest.mark.django_db
def test_merge_keeps_duplicates_business_id_when_target_has_none(client, coach, team, employer):
    target = Employer.objects.create(team=team, name="Leipomo Uusi Oy", created_by=coach)
    login(client, coach)
    client.post(reverse("employers:merge", kwargs={"pk": employer.pk}), {"target": target.pk})
    target.refresh_from_db()
    employer.refresh_from_db()
    assert target.business_id == "1234567-1"
    assert employer.business_id == "1234567-1"
    assert employer.merged_into == target


@pytest.mark.django_db
def test_merge_into_other_teams_employer_refused(client, coach, other_coach, other_team, employer):
    foreign = Employer.objects.create(team=other_team, name="Vieras Oy", created_by=other_coach)
    login(client, coach)
    response = client.post(
        reverse("employers:merge", kwargs={"pk": employer.pk}), {"target": foreign.pk}
    )
    assert response.status_code == 400
    employer.refresh_from_db()
    assert employer.merged_into is None


@pytest.mark.django_db
def test_erase_contact_person_keeps_row_and_contacts(client, coach, employer, askel):
    person = ContactPerson.objects.create(
        employer=employer,
        name="Maija Malli",
        phone="040 123",
        email="maija@example.com",
        may_email=True,
    )
    contact = EmployerContact.objects.create(
        employer=employer,
        coach=coach,
        contact_person=person,
        contacted_on="2026-02-01",
        kind="call",
        owner_organisation=askel,
    )
    login(client, coach)
    response = client.post(reverse("employers:person_erase", kwargs={"pk": person.pk}))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at is not None
    assert (person.name, person.phone, person.email, person.may_email) == ("", "", "", False)
    contact.refresh_from_db()
    assert contact.contact_person_id == person.pk
    page = client.get(reverse("employers:detail", kwargs={"pk": employer.pk})).text
    # The page's own content (the header names the signed-in coach, a random fake name).
    assert "Maija Malli" not in page[page.index("<main") :]
