"""The pages a caseworker uses, and who gets nothing from them."""

import re

import pytest
from django.urls import reverse

from conftest import StaffFactory, current_code, login, totp_device
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.staff.roles import Role


def card_url(client):
    return reverse("casefile:card", kwargs={"client_id": client.id})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["anonymous", "other_organisation", "own_organisation_without_role", "own_without_team"]
)
def test_denied_card_requests_return_nothing_and_log_nothing_as_read(
    client, sari, kela, employment, who
):
    if who == "other_organisation":
        login(client, StaffFactory.create(organisation=kela, role=Role.KELA_EXPERT))
    elif who == "own_organisation_without_role":
        login(client, StaffFactory.create(organisation=employment, role=Role.SERVICE_EDITOR))
    elif who == "own_without_team":
        login(client, StaffFactory.create(organisation=employment, role=Role.JOB_COACH))
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    response = client.get(card_url(sari))

    assert response.status_code in (302, 404)
    assert b"Esimerkki, Sari" not in response.content
    # Not "Sari" alone: the logged-in staff member's generated name may be Sari too.
    assert not re.search(r"\bEsimerkki\b", response.text)
    assert not AccessLogEntry.objects.filter(outcome="allowed").filter(id__gt=before).exists()
    if who != "anonymous":
        assert AccessLogEntry.objects.filter(outcome="denied", client_id=sari.id).count() == 1


@pytest.mark.django_db
def test_coordinator_reads_own_records_but_not_county_health_data_without_consent(
    client, sari, aino
):
    login(client, aino)
    response = client.get(card_url(sari))
    assert response.status_code == 200
    assert "Työllistymissuunnitelma" in response.text
    assert "Terveystarkastus" not in response.text
    assert "tietoja, jotka eivät näy sinulle" in response.text
    entry = AccessLogEntry.objects.filter(client_id=sari.id, action="read").get()
    assert entry.actor_name == aino.display_name
    assert set(entry.category_list) == {"identity", "employment_services"}


@pytest.mark.django_db
def test_search_by_hetu_is_a_post_and_finds_the_client(client, sari, aino):
    login(client, aino)
    hetu = ClientIdentity.objects.get(client=sari).hetu
    response = client.post(reverse("clients:search"), {"hetu": hetu.lower()})
    assert response.status_code == 200
    assert "Esimerkki, Sari" in response.text
    assert hetu not in response.text
    assert (
        client.get(reverse("clients:search"), {"hetu": hetu}).status_code == 200
    )  # GET only shows the form
    assert AccessLogEntry.objects.filter(action="search", client_id=sari.id).count() == 1


@pytest.mark.django_db
def test_invalid_hetu_in_search_is_a_400_with_the_reason(client, aino):
    login(client, aino)
    response = client.post(reverse("clients:search"), {"hetu": "010101A900X"})
    assert response.status_code == 400
    assert "tarkistusmerkki" in response.text


@pytest.mark.django_db
def test_registering_a_duplicate_henkilotunnus_offers_a_relationship_instead(client, sari, kela):
    tuomas = StaffFactory.create(organisation=kela, role=Role.COORDINATOR)
    login(client, tuomas)
    hetu = ClientIdentity.objects.get(client=sari).hetu
    response = client.post(
        reverse("clients:register"),
        {"first_names": "Sari", "last_name": "Toinen", "hetu": hetu, "language": "fi"},
    )
    assert response.status_code == 400
    assert "jo rekisterissä" in response.text
    assert Client.objects.count() == 1
    response = client.post(reverse("clients:relationship_start"), {"hetu": hetu})
    assert response.status_code == 400
    assert "Valitse" in response.text
    response = client.post(
        reverse("clients:relationship_start"), {"hetu": hetu, "basis": "client_present"}
    )
    assert response.status_code == 302
    assert client.get(card_url(sari)).status_code == 200


@pytest.mark.django_db
def test_register_with_bad_hetu_saves_nothing(client, aino):
    login(client, aino)
    response = client.post(
        reverse("clients:register"),
        {"first_names": "A", "last_name": "B", "hetu": "311399-9001", "language": "fi"},
    )
    assert response.status_code == 400
    assert Client.objects.count() == 0
    assert AccessLogEntry.objects.count() == 0


def post_login(client, code, password="Testi-salasana-123"):
    return client.post(
        reverse("staff:login"), {"username": "aino", "password": password, "otp_token": code}
    )


@pytest.mark.django_db
def test_login_needs_password_and_current_totp_code(client, aino):
    device = totp_device(aino.user)
    bad = post_login(client, "000000")
    assert bad.status_code == 400
    assert "vahvistuskoodi on väärin" in bad.text
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down the next guess
    device.throttle_reset()
    assert post_login(client, current_code(device)).status_code == 302
    assert client.get(reverse("clients:search")).status_code == 200


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_for_a_while(client, aino):
    device = totp_device(aino.user)
    for _ in range(5):
        post_login(client, "123456", password="wrong-password!")
    assert post_login(client, current_code(device)).status_code == 429
    assert client.get(reverse("clients:search")).status_code == 302


@pytest.mark.django_db
def test_pages_switch_language(client):
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert '<html lang="sv">' in client.get("/").text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").text


@pytest.mark.django_db
def test_pages_are_finnish_until_the_visitor_chooses(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fi">' in response.text
    assert "Tukea työkykyyn ja työllistymiseen" in response.text


@pytest.mark.django_db
def test_people_without_a_henkilotunnus_can_be_registered(client, aino):
    login(client, aino)
    for name in ("Amina", "Yusuf"):
        response = client.post(
            reverse("clients:register"),
            {
                "first_names": name,
                "last_name": "Ali",
                "language": "other",
                "other_language": "somali",
                "needs_interpreter": "on",
                "interpreter_language": "somali",
            },
        )
        assert response.status_code == 302
    identities = ClientIdentity.objects.order_by("first_names")
    assert [(i.first_names, i.hetu, i.hetu_hash, i.interpreter_language) for i in identities] == [
        ("Amina", "", None, "somali"),
        ("Yusuf", "", None, "somali"),
    ]
    assert AccessLogEntry.objects.filter(action="create", object_type="client").count() == 2
