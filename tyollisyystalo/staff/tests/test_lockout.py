"""A locked-out login answers in the asker's format: JSON for the API, a page for people."""

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.urls import reverse

from conftest import current_code, totp_device

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the token endpoint's rate limit counts in the cache
    yield
    cache.clear()


def token_attempt(api, code, password="wrong-password!", **headers):
    return api.post(
        TOKEN_URL,
        {"username": "aino", "password": password, "otp_token": code},
        content_type="application/json",
        **headers,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "liian monta kertaa"),
        ("sv", "för många gånger"),
        ("en", "too many times"),
    ],
)
def test_token_endpoint_answers_a_lockout_in_json_in_the_requests_language(
    aino, language, expected
):
    device = totp_device(aino.user)
    api = HttpClient()
    for _ in range(4):
        assert token_attempt(api, "123456").status_code == 401
    fifth = token_attempt(api, "123456", HTTP_ACCEPT_LANGUAGE=language)
    assert fifth.status_code == 429  # the failure that reaches the limit already locks
    assert fifth.json()["code"] == "locked_out"
    locked = token_attempt(
        api, current_code(device), password="Testi-salasana-123", HTTP_ACCEPT_LANGUAGE=language
    )
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    body = locked.json()
    assert body["code"] == "locked_out"
    assert expected in body["detail"]
    assert int(locked["Retry-After"]) == 15 * 60
    assert "token" not in body


@pytest.mark.django_db
def test_the_login_page_still_shows_the_lockout_page(client, aino):
    device = totp_device(aino.user)
    for _ in range(5):
        client.post(
            reverse("staff:login"),
            {"username": "aino", "password": "wrong-password!", "otp_token": "123456"},
        )
    locked = client.post(
        reverse("staff:login"),
        {"username": "aino", "password": "Testi-salasana-123", "otp_token": current_code(device)},
    )
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("text/html")
    assert "Kirjautuminen on estetty hetkeksi" in locked.text
