"""POST /api/v1/coaching/fidelity/score: answers, 400s, login, schema."""

import json

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from conftest import login
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.fidelity.tests.test_scoring import ISSUE_KEYS

URL = "/api/v1/coaching/fidelity/score"


@pytest.fixture
def api(aino):
    http = HttpClient()
    login(http, aino)
    return http


def post(http, body):
    raw = body if isinstance(body, str) else json.dumps(body)
    return http.post(URL, raw, content_type="application/json")


@pytest.mark.django_db
def test_url_is_the_issues():
    assert reverse("v1:fidelity-score") == URL


@pytest.mark.django_db
def test_complete_review_scores_and_bands(api):
    before = AccessLogEntry.objects.count()
    items = dict.fromkeys(ISSUE_KEYS, 4)  # 100: good
    response = post(api, {"items": items})
    assert response.status_code == 200
    assert response.json() == {"total": 100, "band": "good", "complete": True, "missing": []}
    items["caseload_size"] = 3  # 99: fair
    assert post(api, {"items": items}).json()["band"] == "fair"
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
def test_incomplete_review(api):
    response = post(api, {"items": {"disclosure": 5, "caseload_size": 5}})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 10
    assert data["band"] is None
    assert data["complete"] is False
    assert data["missing"] == [k for k in ISSUE_KEYS if k not in ("disclosure", "caseload_size")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"items": {"caseload_size": 0}},
        {"items": {"caseload_size": 6}},
        {"items": {"caseload_size": 2.5}},
        {"items": {"caseload_size": "5"}},
        {"items": {"caseload_size": True}},
        {"items": {"caseload_size": None}},
        {"items": {"no_such_item": 3}},
        {"items": [5, 5]},
        {"items": "5"},
        {},
        [1, 2],
        "not json",
        '{"items": {"caseload_size": 5',
    ],
)
def test_bad_input_is_400(api, body):
    response = post(api, body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_400_names_the_item_in_the_users_language(api):
    response = post(api, {"items": {"caseload_size": 7, "unknown": 1}})
    errors = response.json()
    assert "caseload_size" in json.dumps(errors)
    assert "1–5" in json.dumps(errors, ensure_ascii=False)
    english = api.post(
        URL,
        json.dumps({"items": {"caseload_size": 7}}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 400
    assert english.json() == {"items": {"caseload_size": ["The score must be 1–5."]}}


@pytest.mark.django_db
def test_needs_a_verified_staff_login():
    response = post(HttpClient(), {"items": {"caseload_size": 5}})
    assert response.status_code in (401, 403)


@pytest.mark.django_db
def test_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/coaching/fidelity/score" in schema.content.decode()
