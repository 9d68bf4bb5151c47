"""The contact log: client links only to readable clients, names hidden from others, notices."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import add_to_team, login, make_client
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.employers.models import EmployerContact


def contact_url(employer):
    return reverse("employers:contact_new", kwargs={"pk": employer.pk})


def post(http, employer, **extra):
    data = {"contacted_on": timezone.localdate().isoformat(), "kind": "meeting", **extra}
    return http.post(contact_url(employer), data)


@pytest.fixture
def klaus(askel, coach):
    """A client of the first coach's organisation, in that coach's team (readable by them)."""
    person = make_client(organisation=askel)
    add_to_team(person, coach)
    return person


@pytest.mark.django_db
def test_contact_logged_with_readable_client(client, coach, employer, klaus):
    login(client, coach)
    response = post(
        client, employer, client=str(klaus.pk), notes="Keskusteltiin", face_to_face="on"
    )
    assert response.status_code == 302
    contact = EmployerContact.objects.get()
    assert contact.client_id == klaus.pk
    assert contact.face_to_face


@pytest.mark.django_db
def test_client_link_refused_when_coach_may_not_read_client(client, coach2, employer, klaus):
    login(client, coach2)
    before = AccessLogEntry.objects.filter(outcome="allowed").count()
    response = post(client, employer, client=str(klaus.pk), notes="Tekstiä")
    assert response.status_code == 400
    assert not EmployerContact.objects.exists()
    assert 'value="Tekstiä"' in response.text or "Tekstiä" in response.text
    assert AccessLogEntry.objects.filter(outcome="allowed").count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tweak", "field"),
    [
        ({"contacted_on": "2999-01-01"}, "contacted_on"),
        ({"next_step_on": "2000-01-01"}, "next_step_on"),
    ],
)
def test_bad_dates_are_400(client, coach, employer, tweak, field):
    login(client, coach)
    data = {"contacted_on": timezone.localdate().isoformat(), "kind": "call", **tweak}
    response = client.post(contact_url(employer), data)
    assert response.status_code == 400
    assert not EmployerContact.objects.exists()


@pytest.mark.django_db
def test_client_name_shown_only_to_reader_and_logged(client, coach, coach2, employer, klaus, askel):
    EmployerContact.objects.create(
        employer=employer,
        coach=coach,
        contacted_on=dt.date(2026, 3, 1),
        kind="meeting",
        client=klaus,
        owner_organisation=askel,
        notes="Salainen muistiinpano",
    )
    surname = klaus.identity.full_name
    url = reverse("employers:detail", kwargs={"pk": employer.pk})

    # Written from ADR 0023 decision 4: the coach works with Klaus in his own organisation,
    # the other coach (another organisation, no team membership, no consent) does not.
    login(client, coach2)
    before = AccessLogEntry.objects.count()
    page = client.get(url)
    assert page.status_code == 200
    assert surname not in page.text
    assert "Salainen muistiinpano" not in page.text
    assert "Yhteydenotto koski asiakasta" in page.text
    assert AccessLogEntry.objects.count() == before

    client.logout()
    login(client, coach)
    page = client.get(url)
    assert surname in page.text
    assert "Salainen muistiinpano" in page.text
    read = AccessLogEntry.objects.filter(client_id=klaus.pk, outcome="allowed")
    assert read.count() == 1


@pytest.mark.django_db
def test_owner_sees_other_coaches_contacts_since_last_visit(client, coach, coach2, employer, team):
    login(client, coach2)
    assert post(client, employer, kind="call").status_code == 302
    client.logout()
    login(client, coach)
    url = reverse("employers:team", kwargs={"pk": team.pk})
    first = client.get(url)
    assert "Muiden valmentajien yhteydenotot työnantajiisi" in first.text
    assert coach2.display_name in first.text
    second = client.get(url)
    assert "Muiden valmentajien yhteydenotot työnantajiisi" not in second.text


@pytest.mark.django_db
def test_own_contacts_are_no_notice(client, coach, employer, team):
    login(client, coach)
    post(client, employer, kind="call")
    page = client.get(reverse("employers:team", kwargs={"pk": team.pk}))
    assert "Muiden valmentajien yhteydenotot työnantajiisi" not in page.text


@pytest.mark.django_db
def test_callbacks_due_are_the_coachs_own_open_next_steps(coach, coach2, employer, askel, klubi):
    from tyollisyystalo.employers.selectors import callbacks_due

    def contact(who, org, next_on, done=None):
        return EmployerContact.objects.create(
            employer=employer,
            coach=who,
            contacted_on=dt.date(2026, 1, 1),
            kind="call",
            owner_organisation=org,
            next_step_on=next_on,
            next_step_done_at=done,
        )

    due = contact(coach, askel, dt.date(2026, 2, 1))
    contact(coach, askel, dt.date(2026, 2, 2))  # not yet due
    contact(coach, askel, dt.date(2026, 1, 5), done=timezone.now())  # done
    contact(coach2, klubi, dt.date(2026, 1, 5))  # another coach's
    assert list(callbacks_due(staff=coach, today=dt.date(2026, 2, 1))) == [due]
