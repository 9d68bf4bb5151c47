import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from conftest import PASSWORD, current_code, totp_device
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.clients.models import Client, ClientIdentity


def token_for(api, staff):
    device = totp_device(staff.user)
    response = api.post(
        reverse("v1:token"),
        {"username": staff.user.username, "password": PASSWORD, "otp_token": current_code(device)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def api():
    return HttpClient(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_token_needs_the_second_factor(api, aino):
    totp_device(aino.user)
    response = api.post(
        reverse("v1:token"),
        {"username": "aino", "password": PASSWORD, "otp_token": "000000"},
        content_type="application/json",
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_card_through_the_api_applies_the_gatekeeper_and_logs(api, sari, aino):
    headers = token_for(api, aino)
    response = api.get(reverse("v1:client-card", kwargs={"client_id": sari.id}), **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["identity"]["last_name"] == "Esimerkki"
    assert {e["category"] for e in body["entries"]} == {"employment_services"}
    assert body["more_exists"] is True
    assert "hetu" not in body["identity"]
    assert (
        AccessLogEntry.objects.filter(client_id=sari.id, action="read", outcome="allowed").count()
        == 1
    )


@pytest.mark.django_db
def test_api_without_credentials_gets_nothing(api, sari):
    response = api.get(reverse("v1:client-card", kwargs={"client_id": sari.id}))
    assert response.status_code in (401, 403)
    assert "Esimerkki" not in response.text
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db
def test_search_by_hetu_and_unknown_ids(api, sari, aino):
    headers = token_for(api, aino)
    hetu = ClientIdentity.objects.get(client=sari).hetu
    found = api.post(
        reverse("v1:client-search"), {"hetu": hetu}, content_type="application/json", **headers
    )
    assert [r["last_name"] for r in found.json()["results"]] == ["Esimerkki"]
    missing = api.get(
        reverse("v1:client-card", kwargs={"client_id": "00000000-0000-0000-0000-000000000000"}),
        **headers,
    )
    assert missing.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ('{"hetu": "010101A900X"}', "application/json", 400),
        ("{}", "application/json", 400),
        ("name=x", "application/x-www-form-urlencoded", 415),
        ('{"name": "' + "x" * 300_000 + '"}', "application/json", 413),
    ],
)
def test_malformed_and_oversized_payloads_are_4xx(api, aino, body, content_type, status):
    headers = token_for(api, aino)
    response = api.post(reverse("v1:client-search"), body, content_type=content_type, **headers)
    assert response.status_code == status
    assert "detail" in response.json() or response.json()


@pytest.mark.django_db
def test_register_with_invalid_hetu_is_400_in_swedish_and_saves_nothing(api, aino):
    headers = token_for(api, aino)
    response = api.post(
        reverse("v1:clients"),
        {"first_names": "Anna", "last_name": "Testi", "hetu": "010101A900X"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="sv",
        **headers,
    )
    assert response.status_code == 400
    assert response.json()["hetu"] == ["Personbeteckningens kontrolltecken stämmer inte."]
    assert Client.objects.count() == 0


@pytest.mark.django_db
def test_consent_api_rejects_consent_without_categories(api, sari, aino, county, employment):
    headers = token_for(api, aino)
    response = api.post(
        reverse("v1:client-consents", kwargs={"client_id": sari.id}),
        {
            "disclosing_organisations": [employment.code],
            "receiving_organisations": [county.code],
            "categories": [],
            "purpose": "x",
            "method": "written_form",
            "valid_from": "2026-01-01",
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert "categories" in response.json()


@pytest.mark.django_db
def test_openapi_schema_is_served(api):
    response = api.get(reverse("schema"))
    assert response.status_code == 200
    assert b"/api/v1/clients/search/" in response.content
