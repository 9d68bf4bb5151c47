"""Every response with client data says `Cache-Control: no-store`; every page carries the CSP."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client as HttpClient
from django.urls import reverse
from rest_framework.authtoken.models import Token

from conftest import login, open_path
from tyollisyystalo.selfservice.models import ClientAccount


def staff_urls(sari, case):
    return [
        reverse("clients:search"),
        reverse("casefile:card", args=[sari.pk]),
        reverse("clients:register"),
        reverse("cases:worklist"),
        reverse("cases:detail", args=[case.pk]),
        reverse("audit:client_log", args=[sari.pk]),
        reverse("rules:client_rules", args=[sari.pk]),
    ]


API_PATHS = [
    "/api/v1/clients/{id}/",
    "/api/v1/clients/{id}/access-log/",
]


@pytest.fixture
def case(sari, aino):
    return open_path(aino, sari, started_days_ago=10)


@pytest.mark.django_db
def test_staff_pages_with_client_data_are_not_stored(client, sari, aino, case):
    login(client, aino)
    for url in staff_urls(sari, case):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    search = client.post(reverse("clients:search"), {"name": "Esimerkki"})
    assert search.status_code == 200
    assert search["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_staff_access_log_is_not_stored(client, sari, mikko):
    login(client, mikko)
    response = client.get(reverse("audit:staff_log"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_refused_or_missing_client_is_not_stored_either(client, sari, bertta, aino):
    login(client, aino)
    missing = client.get(reverse("casefile:card", args=["00000000-0000-0000-0000-000000000000"]))
    assert missing.status_code == 404
    assert missing["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_api_responses_with_client_data_are_not_stored(sari, aino):
    token = Token.objects.create(user=aino.user)
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    for template in API_PATHS:
        url = template.format(id=sari.pk)
        response = api.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    search = api.post(
        "/api/v1/clients/search/", {"name": "Esimerkki"}, content_type="application/json"
    )
    assert search.status_code == 200
    assert search["Cache-Control"] == "no-store"
    refused = HttpClient().get(f"/api/v1/clients/{sari.pk}/")
    assert refused.status_code in (401, 403)
    assert refused["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_clients_own_pages_are_not_stored(client, sari):
    user = User.objects.create_user(username="sari-asiakas")
    ClientAccount.objects.create(user=user, client=sari)
    client.force_login(user)
    for url in [reverse("selfservice:home"), reverse("selfservice:export")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


@pytest.mark.django_db
def test_the_public_catalogue_api_may_be_cached(client):
    for url in ["/api/v1/hsds/services", "/api/v1/hsds/", "/api/v1/catalogue/search?q=työ"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_unsafe_inline(client, aino):
    pages = ["/", reverse("portal:search") + "?q=velat", reverse("portal:self_assessment")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        directives = dict(
            ([*part.split(" ", 1), ""])[:2] for part in (p.strip() for p in policy.split(";"))
        )
        assert directives["script-src"].startswith("'self'"), policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"


@pytest.mark.django_db
def test_no_page_has_inline_script_style_or_event_handlers(client, sari, aino, case):
    """Inline code would be blocked by the policy: scripts and styles come from static files."""
    login(client, aino)
    urls = ["/", reverse("portal:self_assessment"), *staff_urls(sari, case)]
    for url in urls:
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"<style\b", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
