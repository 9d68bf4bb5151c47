"""Hostile input to the API: NUL characters, impossible times, unknown values are 400s, never 500s."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tyollisyystalo.clients.tests.test_api import token_for

HSDS_LISTS = ["services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", HSDS_LISTS)
def test_a_nul_in_the_hsds_search_is_a_400(path):
    response = HttpClient().get(f"/api/v1/hsds/{path}", {"search": "työ\x00kyky"})
    assert response.status_code == 400
    assert "NUL" in response.json()["search"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    [
        "0000-01-01T00:00:00Z",
        "99999-01-01",
        "2026-01-01T00:00:00+99:00",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:00:00-05:00",
        "2026-02-30",
        "²⁰²⁶-01-01",
    ],
)
def test_an_impossible_modified_after_is_a_400(value):
    response = HttpClient().get("/api/v1/hsds/services", {"modified_after": value})
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["modified_after"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0366-07-14T03:55:19.5-21:57", "2026-01-01T00:00:00+23:59"])
def test_a_possible_time_with_an_offset_postgresql_would_refuse_is_answered(value):
    response = HttpClient().get("/api/v1/hsds/services", {"modified_after": value})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "value"), [("lang", "xx"), ("full", "maybe"), ("page", "²")])
def test_unknown_hsds_parameter_values_are_a_400(name, value):
    response = HttpClient().get("/api/v1/hsds/services", {name: value})
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.django_db
def test_an_address_that_matches_no_api_pattern_answers_in_json():
    response = HttpClient().get("/api/v1/hsds/services/not-a-uuid")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.django_db
def test_nul_in_api_text_fields_is_a_400_and_nothing_is_saved(aino):
    from tyollisyystalo.clients.models import Client

    api = HttpClient()
    headers = token_for(api, aino)
    response = api.post(
        reverse("v1:clients"),
        {"first_names": "Sa\x00ri", "last_name": "Esimerkki", "address": "Tie 1\x00"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert set(response.json()) == {"first_names", "address"}
    assert not Client.objects.exists()
    response = api.post(
        reverse("v1:rule-evaluate", kwargs={"rule_id": "pay_subsidy"}),
        {"on": "2026-01-01", "facts": {"x\x00": "y"}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_schema_says_identity_birth_date_and_municipality_may_be_null():
    schema = HttpClient().get("/api/schema/", {"format": "json"}).json()
    identity = schema["components"]["schemas"]["Identity"]["properties"]
    assert identity["birth_date"].get("nullable") is True
    assert identity["municipality"].get("nullable") is True
    card = schema["components"]["schemas"]["Card"]["properties"]
    assert card["identity"].get("nullable") is True
