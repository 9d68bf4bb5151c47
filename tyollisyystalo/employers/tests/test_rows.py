import pytest
from django.urls import reverse

from conftest import login
from tyollisyystalo.employers.models import ContactPerson, JobOpening


@pytest.mark.django_db
def test_add_contact_person(client, coach, employer):
    login(client, coach)
    url = reverse("employers:person_new", kwargs={"pk": employer.pk})
    data = {"name": "Maija Malli", "email": "maija@example.com", "may_email": "on"}
    assert client.post(url, data).status_code == 302
    person = ContactPerson.objects.get()
    assert person.may_email
    assert person.employer == employer


@pytest.mark.django_db
def test_may_email_without_address_is_400(client, coach, employer):
    login(client, coach)
    url = reverse("employers:person_new", kwargs={"pk": employer.pk})
    response = client.post(url, {"name": "Maija Malli", "may_email": "on"})
    assert response.status_code == 400
    assert 'value="Maija Malli"' in response.text
    assert not ContactPerson.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "status"), [("0", 400), ("61", 400), ("37.5", 302)])
def test_opening_hours_per_week(client, coach, employer, hours, status):
    login(client, coach)
    url = reverse("employers:opening_new", kwargs={"pk": employer.pk})
    response = client.post(url, {"kind": "job", "title": "Leipuri", "hours_per_week": hours})
    assert response.status_code == status
    assert JobOpening.objects.exists() is (status == 302)


@pytest.mark.django_db
def test_close_opening(client, coach, employer):
    opening = JobOpening.objects.create(
        employer=employer, kind="work_trial", title="X", created_by=coach
    )
    login(client, coach)
    response = client.post(reverse("employers:opening_close", kwargs={"pk": opening.pk}))
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.closed_at is not None


@pytest.mark.django_db
def test_other_team_cannot_add_rows(client, other_coach, employer):
    login(client, other_coach)
    url = reverse("employers:person_new", kwargs={"pk": employer.pk})
    assert client.post(url, {"name": "X"}).status_code == 404
    assert not ContactPerson.objects.exists()
